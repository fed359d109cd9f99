import { toIpcError } from './ipc/backend';
import { has, t } from './i18n/index.svelte';

/**
 * The user-facing text for an IPC error: our own translation per code (the tables are typed by
 * `ErrorCode`, so every code Rust sends has one), Rust's message for a code this build does not know.
 */
export function errorText(e: unknown): string {
  const err = toIpcError(e);
  const key = `error.${err.code}`;
  if (has(key)) return t(key);
  return err.message || t('error.unknown');
}
