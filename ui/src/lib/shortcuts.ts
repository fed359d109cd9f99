import type { MessageKey } from './i18n/index.svelte';

export type Action = 'search' | 'copyUsername' | 'copyPassword' | 'copyTotp' | 'openUrl' | 'login' | 'newEntry' | 'edit' | 'favourite' | 'report' | 'lock' | 'back';

interface Shortcut {
  action: Action;
  /** `KeyboardEvent.key`, lower-cased for letters. */
  key: string;
  ctrl: boolean;
  label: MessageKey;
}

/** One table for both the handler and the help panel, so what is shown is what works. */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'search', key: 'f', ctrl: true, label: 'shortcut.search' },
  { action: 'copyUsername', key: 'b', ctrl: true, label: 'shortcut.copyUsername' },
  { action: 'copyPassword', key: 'c', ctrl: true, label: 'shortcut.copyPassword' },
  { action: 'copyTotp', key: 't', ctrl: true, label: 'shortcut.copyTotp' },
  { action: 'openUrl', key: 'u', ctrl: true, label: 'shortcut.openUrl' },
  { action: 'login', key: 'Enter', ctrl: true, label: 'shortcut.login' },
  { action: 'newEntry', key: 'n', ctrl: true, label: 'shortcut.newEntry' },
  { action: 'edit', key: 'e', ctrl: true, label: 'shortcut.edit' },
  // Ctrl+D, as browsers bookmark a page with it.
  { action: 'favourite', key: 'd', ctrl: true, label: 'shortcut.favourite' },
  { action: 'report', key: 'r', ctrl: true, label: 'shortcut.report' },
  { action: 'lock', key: 'l', ctrl: true, label: 'shortcut.lock' },
  { action: 'back', key: 'Escape', ctrl: false, label: 'shortcut.back' },
];

/** Keys handled by the list and the search box rather than the window. */
export const LIST_KEYS: readonly { keys: string; label: MessageKey }[] = [
  { keys: '↑ / ↓', label: 'shortcut.move' },
  { keys: 'Enter', label: 'shortcut.open' },
];

export function matchShortcut(e: KeyboardEvent): Action | null {
  if (e.altKey) return null;
  // Cmd on macOS plays Ctrl's part, as in every other app there.
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.key === key && s.ctrl === ctrl)?.action ?? null;
}

export function shortcutText(action: Action): string {
  const s = SHORTCUTS.find((x) => x.action === action);
  if (!s) return '';
  if (!s.ctrl) return s.key === 'Escape' ? 'Esc' : s.key;
  return `Ctrl+${s.key.length === 1 ? s.key.toUpperCase() : s.key}`;
}

/**
 * Ctrl+C copies the password only when the user has not selected text to
 * copy: selected text in the page or inside a text field keeps the usual copy.
 */
export function hasTextSelection(doc: Document = document): boolean {
  const el = doc.activeElement;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    try {
      if (el.selectionStart !== null && el.selectionStart !== el.selectionEnd) return true;
    } catch {
      // Inputs such as checkboxes have no selection and throw on access.
    }
  }
  const sel = doc.getSelection?.();
  return !!sel && sel.toString() !== '';
}
