import type { EntryDetail } from '../ipc/types';
import { formatDateTime, locale, t } from '../i18n/index.svelte';
import { fieldLabel } from './labels';

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * When an entry was last edited, as short as it can be said in the UI's language: the time alone
 * for today ("4:52 PM", "16:52"), the date and time before that.
 */
export function editedTime(ms: number, now = Date.now()): string {
  const when = new Date(ms);
  if (sameDay(when, new Date(now))) return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(when);
  return formatDateTime(ms);
}

/** The toast after copying an earlier value ("Earlier password copied…"), named by its field. */
export function historyCopiedText(detail: EntryDetail | null, index: number, seconds: number): string {
  const item = detail?.history.find((h) => h.index === index);
  return t('copied.history', { seconds, field: item ? fieldLabel(item.field).toLowerCase() : '' });
}
