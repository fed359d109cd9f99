import type { Theme } from './ipc/types';

/**
 * "system" removes the attribute so the `prefers-color-scheme` media query
 * decides; the CSS only overrides when the user picked a theme.
 */
export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
