// What the unlock screen has to tell after it is gone: the main screen's notice banner
// (activity/UnlockNotices.svelte) takes it once. A plain module value, not app state: it lives
// from one unlock to the main screen that follows it.

let rememberFailed = false;

/** The vault opened, but "remember on this device" could not turn quick unlock on. */
export function noteRememberFailed(): void {
  rememberFailed = true;
}

/** Whether the last unlock's "remember" failed; told once. */
export function takeRememberFailed(): boolean {
  const was = rememberFailed;
  rememberFailed = false;
  return was;
}
