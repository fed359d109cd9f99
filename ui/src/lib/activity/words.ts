// The unlock notices in words: "3 failed attempts on LAPTOP-2, yesterday 22:14".
import { formatDateTime, locale, t } from '../i18n/index.svelte';
import type { UnlockNotice } from '../ipc/bindings/UnlockNotice';

function startOfDay(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "today 09:12", "yesterday 22:14", or the date and time further back (local time). */
export function when(ms: number, now = Date.now()): string {
  const time = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(ms),
  );
  const today = startOfDay(now);
  if (ms >= today) return t('activity.today', { time });
  // The day before today, whatever its length (a change to or from summer time).
  if (ms >= startOfDay(today - 1)) return t('activity.yesterday', { time });
  return formatDateTime(ms);
}

export function noticeText(notice: UnlockNotice, now = Date.now()): string {
  const at = when(notice.atMs, now);
  if (notice.kind === 'new-device') return t('activity.notice.newDevice', { device: notice.device, when: at });
  const key = notice.count === 1 ? 'activity.notice.failed.one' : 'activity.notice.failed.many';
  return t(key, { device: notice.device, count: notice.count, when: at });
}
