// A deliberately small i18n: two flat dictionaries with the same keys and a
// `t` that reads a rune, so every `t(...)` in markup re-renders on a switch.
import en, { type MessageKey } from './en';
import zhCN from './zh-CN';
import type { Language } from '../ipc/types';

export type Locale = 'en' | 'zh-CN';
export type { MessageKey };

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

const current = $state({ preference: 'system' as Language, locale: 'en' as Locale });

/** The OS locale as the webview reports it; any Chinese variant gets Simplified Chinese. */
export function systemLocale(): Locale {
  const langs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  const first = langs.find((l) => !!l) ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function resolveLocale(pref: Language): Locale {
  return pref === 'system' ? systemLocale() : pref;
}

export function setLanguage(pref: Language): void {
  current.preference = pref;
  current.locale = resolveLocale(pref);
  if (typeof document !== 'undefined') document.documentElement.lang = current.locale;
}

export function locale(): Locale {
  return current.locale;
}

export function languagePreference(): Language {
  return current.preference;
}

/** Looks a key up in the current language; `{name}` placeholders take `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[current.locale][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in params)) return m;
    const value = params[name];
    // "10,000 entries": numbers get the language's digit grouping.
    return typeof value === 'number' ? new Intl.NumberFormat(current.locale).format(value) : value;
  });
}

/** Whether a key exists, for codes that come from Rust (errors, strength feedback). */
export function has(key: string): key is MessageKey {
  return key in en;
}

/** Date and time in the UI's language, not the OS's, so a screen never mixes the two. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(current.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A calendar day ("2026-12-31") in the UI's language. */
export function formatDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(current.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return new Intl.NumberFormat(current.locale, { maximumFractionDigits: s < 10 ? 1 : 0 }).format(s);
}
