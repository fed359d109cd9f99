import type { Theme } from './ipc/types';

let chosen: Theme = 'system';
let watching = false;

/**
 * Sets `data-theme` on the root to the theme in effect: the user's choice, or for "system" what
 * the OS prefers now (followed live). The CSS then has one block per theme instead of repeating
 * the dark colours under a media query.
 */
export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  chosen = theme;
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  if (query && !watching) {
    watching = true;
    query.addEventListener('change', () => applyTheme(chosen));
  }
  const effective = theme === 'system' ? (query?.matches ? 'dark' : 'light') : theme;
  document.documentElement.setAttribute('data-theme', effective);
}
