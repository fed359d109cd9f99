import type { HandedOverView, HandoverReceived } from '../ipc/types';
import { formatDateTime, t } from '../i18n/index.svelte';

export type Unit = 'hours' | 'days';

/** The longest hand-over, in hours (30 days); the shortest is 1 hour. Rust checks the same. */
export const MAX_HOURS = 30 * 24;

/** The hand-over's length in whole hours, or null when it is outside 1 hour to 30 days. */
export function hoursOf(amount: number, unit: Unit): number | null {
  if (!Number.isInteger(amount)) return null;
  const hours = unit === 'days' ? amount * 24 : amount;
  return hours >= 1 && hours <= MAX_HOURS ? hours : null;
}

/** "Handed over by Li Wei until 3 Dec 2026, 18:00" on a received entry. */
export function markText(mark: HandedOverView): string {
  return mark.expires === null
    ? t('handover.badgeForGood', { giver: mark.giver })
    : t('handover.badge', { giver: mark.giver, until: formatDateTime(mark.expires) });
}

/** What receiving did, in one sentence. */
export function receivedText(received: HandoverReceived): string {
  if (received.alreadyReceived) return t('handover.already');
  const one = received.added === 1;
  return received.expires === null
    ? t(one ? 'handover.receivedOneForGood' : 'handover.receivedForGood', { count: received.added, giver: received.giver })
    : t(one ? 'handover.receivedOne' : 'handover.received', { count: received.added, giver: received.giver, until: formatDateTime(received.expires) });
}
