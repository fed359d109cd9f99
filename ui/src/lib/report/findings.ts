import type { FindingDetail, FindingKind } from '../ipc/types';
import { formatDate, t, type MessageKey } from '../i18n/index.svelte';
import { warningText } from '../common/strength';

/** Most urgent first, as Rust orders the findings. */
export const KINDS: readonly FindingKind[] = ['breached', 'common', 'weak', 'reused', 'incremental', 'personal', 'expired', 'old', 'expiring'];

export function kindLabel(kind: FindingKind): string {
  return t(`report.kind.${kind}` as MessageKey);
}

/** What is wrong, in the UI's language, from the finding's facts. */
export function detailText(detail: FindingDetail): string {
  switch (detail.kind) {
    case 'breached':
      return t('report.detail.breached', { seen: detail.seen });
    case 'common':
      return t(detail.l33t ? 'report.detail.commonL33t' : detail.reversed ? 'report.detail.commonReversed' : 'report.detail.common', {
        rank: detail.rank,
      });
    case 'weak':
      return detail.warning ? `${t('report.detail.weak', { score: detail.score })} ${warningText(detail.warning)}` : t('report.detail.weak', { score: detail.score });
    case 'reused':
      return t('report.detail.reused', { titles: detail.others.map((o) => o.title).join(', ') });
    case 'incremental':
      return t(detail.identical ? 'report.detail.incrementalSame' : 'report.detail.incremental');
    case 'personal':
      return t(
        detail.part === 'username' ? 'report.detail.personalUsername' : detail.part === 'company' ? 'report.detail.personalCompany' : 'report.detail.personalName',
        { word: detail.word },
      );
    case 'expired':
      return t(detail.daysAgo === 1 ? 'report.detail.expiredYesterday' : 'report.detail.expired', { date: formatDate(detail.date), days: detail.daysAgo });
    case 'old':
      return t('report.detail.old', { days: detail.days, rotation: detail.rotationDays });
    case 'expiring':
      return t(
        detail.daysLeft === 0 ? 'report.detail.expiringToday' : detail.daysLeft === 1 ? 'report.detail.expiringTomorrow' : 'report.detail.expiring',
        { date: formatDate(detail.date), days: detail.daysLeft },
      );
  }
}
