import type { Finding, FindingDetail, FindingKind, Severity } from '../ipc/types';
import { formatDate, formatDateTime, t, type MessageKey } from '../i18n/index.svelte';
import { warningText } from '../common/strength';

/** Most urgent first, as Rust orders the findings. */
export const KINDS: readonly FindingKind[] = ['breached', 'common', 'weak', 'reused', 'incremental', 'personal', 'expired', 'old', 'handed-over', 'policy', 'no-2fa', 'expiring'];

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
    case 'handed-over': {
      const to = detail.to || t('report.detail.someone');
      return detail.expires === null
        ? t('report.detail.handedOverForGood', { to })
        : t('report.detail.handedOver', { to, until: formatDateTime(detail.expires) });
    }
    case 'policy': {
      const parts: string[] = [];
      if (detail.tooShort !== null) parts.push(t('report.detail.policyShort', { min: detail.tooShort }));
      if (detail.missing.length > 0) {
        parts.push(t('report.detail.policyMissing', { kinds: detail.missing.map((k) => t(`company.kind.${k}` as MessageKey)).join(', ') }));
      }
      return parts.join(' ');
    }
    case 'no-2fa':
      return t('report.detail.no2fa', { tag: detail.tag });
    case 'expiring':
      return t(
        detail.daysLeft === 0 ? 'report.detail.expiringToday' : detail.daysLeft === 1 ? 'report.detail.expiringTomorrow' : 'report.detail.expiring',
        { date: formatDate(detail.date), days: detail.daysLeft },
      );
  }
}

/** An entry's card in the report: all its findings, coloured by the most urgent one. */
export interface ReportCard {
  entryId: string;
  title: string;
  severity: Severity;
  findings: Finding[];
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/**
 * One card per entry (an entry with two problems shows once), most urgent cards first; within a
 * severity, in Rust's order (most urgent kind, then title). A card keeps its findings in Rust's
 * order, most urgent first.
 */
export function groupByEntry(findings: readonly Finding[]): ReportCard[] {
  const cards = new Map<string, ReportCard & { first: number }>();
  findings.forEach((f, i) => {
    const card = cards.get(f.entryId);
    if (card) {
      card.findings.push(f);
      if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[card.severity]) card.severity = f.severity;
    } else {
      cards.set(f.entryId, { entryId: f.entryId, title: f.title, severity: f.severity, findings: [f], first: i });
    }
  });
  return [...cards.values()]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.first - b.first)
    .map(({ first: _first, ...card }) => card);
}

export function severityLabel(severity: Severity): string {
  return t(`report.severity.${severity}`);
}

/** The score's band: its colour and the sentence under it. 80 and up good, 50 and up fair. */
export function scoreBand(score: number): 'good' | 'fair' | 'poor' {
  return score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
}

export function scoreText(score: number): string {
  const band = scoreBand(score);
  return t(band === 'good' ? 'report.scoreGood' : band === 'fair' ? 'report.scoreFair' : 'report.scorePoor');
}
