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

/**
 * Looks a key up in the current language; `{name}` placeholders take `params`, and
 * `{name, plural, one {# day} other {# days}}` picks the form the language uses for that number
 * (Intl.PluralRules; `#` is the number), so English never says "1 days".
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[current.locale][key] ?? en[key] ?? key;
  if (!params) return text;
  return formatMessage(text, params, current.locale);
}

/** `t`'s formatting on its own, for a text and a language. */
export function formatMessage(text: string, params: Record<string, string | number>, lang: Locale): string {
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  return choosePlurals(text, params, lang, number).replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in params)) return m;
    const value = params[name];
    // "10,000 entries": numbers get the language's digit grouping.
    return typeof value === 'number' ? number(value) : value;
  });
}

/** Replaces each `{name, plural, …}` with the branch for `params[name]`. */
function choosePlurals(text: string, params: Record<string, string | number>, lang: Locale, number: (n: number) => string): string {
  const start = /\{(\w+),\s*plural,/g;
  let out = '';
  let from = 0;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const branches = new Map<string, string>();
    let i = m.index + m[0].length;
    // Branches: `selector {text}` until the closing brace of the whole construct.
    for (;;) {
      while (text[i] === ' ') i += 1;
      if (text[i] === '}' || i >= text.length) break;
      const open = text.indexOf('{', i);
      if (open < 0) return text;
      const selector = text.slice(i, open).trim();
      let depth = 1;
      let j = open + 1;
      for (; j < text.length && depth > 0; j += 1) {
        if (text[j] === '{') depth += 1;
        else if (text[j] === '}') depth -= 1;
      }
      branches.set(selector, text.slice(open + 1, j - 1));
      i = j;
    }
    const value = Number(params[m[1]]);
    const exact = Number.isFinite(value) ? (branches.get(`=${value}`) ?? branches.get(new Intl.PluralRules(lang).select(value))) : undefined;
    const pick = exact ?? branches.get('other') ?? '';
    out += text.slice(from, m.index) + pick.replace(/#/g, Number.isFinite(value) ? number(value) : String(params[m[1]] ?? '#'));
    from = i + 1;
    start.lastIndex = from;
  }
  return out + text.slice(from);
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
