import { afterEach } from 'vitest';
import { setLanguage } from '../lib/i18n/index.svelte';

// Every test starts in English whatever the machine's locale, and with the OS theme.
afterEach(() => {
  setLanguage('en');
  document.documentElement.removeAttribute('data-theme');
});
setLanguage('en');
