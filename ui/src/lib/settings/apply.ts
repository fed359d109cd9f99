// Settings are applied at once, as 1Password and Bitwarden do: each change is saved when it is
// made, so closing the dialog (×, Esc) never throws anything away and no tab needs a Save button.
import type { AppModel } from '../app.svelte';
import type { Settings } from '../ipc/types';
import { errorText } from '../errors';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Saves `change` over the settings Rust holds now. Saves run one after another, each reading
 * the settings the previous one left, so two quick changes on different tabs both stay.
 * Answers null, or what went wrong in the user's words (for the control that made the change).
 */
export function applySettings(app: AppModel, change: (current: Settings) => Partial<Settings>): Promise<string | null> {
  const run = queue.then(async () => {
    const current = app.state?.settings;
    if (!current) return null;
    try {
      app.apply(await app.backend.updateSettings({ ...current, ...change(current) }));
      return null;
    } catch (err) {
      return errorText(err);
    }
  });
  queue = run;
  return run;
}

/**
 * A number field's value, whole: a cleared or garbled field keeps the saved value (an empty
 * auto-lock box must not quietly become 0, "never lock"). Rust clamps it to its range.
 */
export function wholeOr(value: unknown, saved: number, min = 0): number {
  const n = typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(n) ? Math.max(min, Math.round(n)) : saved;
}
