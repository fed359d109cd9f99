// The words for what sync brought and how the vault stands with its file, made from the
// structured news Rust sends (counts and laptop names), in the UI's language.
import { has, locale, t, type MessageKey } from '../i18n/index.svelte';
import type { SyncNews, SyncStatus } from '../ipc/types';

/** "LAPTOP-2 and LAPTOP-3", "LAPTOP-2和LAPTOP-3". */
export function joinList(items: string[]): string {
  return new Intl.ListFormat(locale(), { type: 'conjunction' }).format(items);
}

function count(kind: 'added' | 'updated' | 'deleted' | 'restored', n: number): string | null {
  if (n === 0) return null;
  return n === 1 ? t(`sync.${kind}.one`) : t(`sync.${kind}.many`, { count: n });
}

/** The laptops the changes came from, or "another laptop" when the news names none. */
export function fromText(from: string[]): string {
  return from.length > 0 ? joinList(from) : t('sync.anotherLaptop');
}

function capitalise(text: string): string {
  return locale() === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * The toast for one "vault-synced" event: "2 entries updated from LAPTOP-2.", "1 conflicted
 * copy merged.", the master password notice. Null when nothing arrived (only the status moved).
 */
export function newsText(news: SyncNews): string | null {
  const sentences: string[] = [];
  const changes = [
    count('added', news.added),
    count('updated', news.updated),
    count('deleted', news.deleted),
    count('restored', news.restored),
    news.settingsChanged ? t('sync.settingsChanged') : null,
  ].filter((c): c is string => c !== null);
  if (changes.length > 0) sentences.push(capitalise(t('sync.newsFrom', { changes: joinList(changes), from: fromText(news.from) })));
  if (news.copiesMerged > 0) sentences.push(news.copiesMerged === 1 ? t('sync.copies.one') : t('sync.copies.many', { count: news.copiesMerged }));
  if (news.passwordChangedBy !== null) sentences.push(t('sync.passwordChanged', { device: news.passwordChangedBy }));
  // Chinese sentences end in "。" and follow each other without a space.
  return sentences.length > 0 ? sentences.join(locale() === 'zh-CN' ? '' : ' ') : null;
}

/** Whether a "vault-synced" event brought changes the screens must reload for. */
export function hasChanges(news: SyncNews): boolean {
  return news.added + news.updated + news.deleted + news.restored + news.copiesMerged > 0 || news.settingsChanged;
}

/** A time today as "10:32", an earlier one with its date. */
export function formatWhen(ms: number, now = Date.now()): string {
  const when = new Date(ms);
  const sameDay = when.toDateString() === new Date(now).toDateString();
  const style: Intl.DateTimeFormatOptions = sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale(), style).format(when);
}

export interface StatusView {
  state: 'waiting' | 'ok' | 'error';
  /** The short line in the footer. */
  line: string;
  /** The full warning while the file cannot be synced. */
  warning: string | null;
  /** Files left alone beside the vault, for the tooltip. */
  leftAlone: string | null;
}

/** The warning for a sync error code ("file-missing", "busy"…), with a general one for codes we do not know. */
export function errorWarning(code: string): string {
  const key = `sync.error.${code}`;
  return has(key) ? t(key as MessageKey) : t('sync.error.generic', { code });
}

export function statusView(status: SyncStatus | null, now = Date.now()): StatusView {
  if (status?.error) {
    return { state: 'error', line: t('sync.status.paused'), warning: errorWarning(status.error), leftAlone: null };
  }
  if (!status || status.lastCheck === null) {
    return { state: 'waiting', line: t('sync.status.watching'), warning: null, leftAlone: null };
  }
  const parts: string[] = [];
  const from = status.lastNews?.from ?? [];
  parts.push(
    status.lastMerge !== null
      ? t('sync.status.lastChange', { from: fromText(from), time: formatWhen(status.lastMerge, now) })
      : t('sync.status.upToDate'),
  );
  if (status.copiesMerged > 0) {
    parts.push(status.copiesMerged === 1 ? t('sync.status.copiesOne') : t('sync.status.copiesMany', { count: status.copiesMerged }));
  }
  const alone = status.copiesLeftAlone;
  if (alone.length > 0) parts.push(alone.length === 1 ? t('sync.status.leftAloneOne') : t('sync.status.leftAloneMany', { count: alone.length }));
  return {
    state: 'ok',
    line: parts.join(' · '),
    warning: null,
    leftAlone: alone.length > 0 ? t('sync.status.leftAloneTitle', { names: alone.join(', ') }) : null,
  };
}
