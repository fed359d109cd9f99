//! The security report (`vault::health`) as the page receives it, and the rotation reminder.

use std::path::{Path, PathBuf};
use vault::Vault;
use vault::company::CompanyPolicy;
use vault::health::{self, Detail, FindingKind, HibpError, HibpFile, PersonalPart, ReportOptions};

use super::Session;
use crate::error::{ErrorCode, Result, error};
use crate::view::*;

/// Today in the user's time zone: an entry expires at the end of its day.
pub fn today() -> chrono::NaiveDate {
    health::local_date(vault::Clock::now_ms(&vault::SystemClock))
}

/// Live entries whose expiry date is near (see `vault::health::expiring_soon`).
pub fn expiring(vault: &Vault, today: chrono::NaiveDate) -> Vec<ExpiringView> {
    health::expiring_soon(vault, today)
        .into_iter()
        .map(|e| ExpiringView {
            entry_id: e.entry.id.to_string(),
            title: e.entry.title,
            date: e.date.to_string(),
            days_left: e.days_left,
        })
        .collect()
}

/// Live entries with a password due for a change (see `vault::health::due_for_rotation`).
pub fn rotation_due(vault: &Vault, policy: Option<&CompanyPolicy>, now_ms: u64, today: chrono::NaiveDate) -> u32 {
    health::due_for_rotation_under(vault, policy, now_ms, today) as u32
}

pub fn detail_view(detail: Detail) -> FindingDetail {
    match detail {
        Detail::Breached { seen } => FindingDetail::Breached { seen },
        Detail::Common { rank, l33t, reversed } => FindingDetail::Common { rank: rank as u32, l33t, reversed },
        Detail::Weak { score, warning, .. } => FindingDetail::Weak { score, warning },
        Detail::Reused { others } => FindingDetail::Reused {
            others: others.into_iter().map(|o| EntryRefView { id: o.id.to_string(), title: o.title }).collect(),
        },
        Detail::Incremental { previous_set_ms, identical } => {
            FindingDetail::Incremental { previous_set: previous_set_ms, identical }
        }
        Detail::Personal { part, word } => FindingDetail::Personal {
            part: match part {
                PersonalPart::Username => "username",
                PersonalPart::OwnerName => "owner_name",
                PersonalPart::Company => "company",
            }
            .into(),
            word,
        },
        Detail::Expired { date, days_ago } => FindingDetail::Expired { date: date.to_string(), days_ago },
        Detail::Old { days, rotation_days, .. } => FindingDetail::Old { days, rotation_days },
        Detail::HandedOver { to, made_ms, expires_ms } => {
            FindingDetail::HandedOver { to, made: made_ms, expires: expires_ms }
        }
        Detail::Policy { too_short, missing } => {
            FindingDetail::Policy { too_short, missing: missing.iter().map(|k| k.as_str().to_owned()).collect() }
        }
        Detail::No2fa { tag } => FindingDetail::No2fa { tag },
        Detail::Expiring { date, days_left } => FindingDetail::Expiring { date: date.to_string(), days_left },
    }
}

/// How urgent a kind of finding is, from what `vault::health` says it means. High: the password
/// is already out or guessed in a few tries (in a breach list, on the common-password list, on
/// another entry whose leak opens this one, or known to a colleague whose hand-over is over).
/// Medium: guessable with effort, or against a rule the user or the company set (zxcvbn below
/// 3 of 4, one digit from an old password, the user's own name in it, past its expiry date, the
/// company policy). Low: upkeep (older than the rotation period, expiry date coming).
pub fn severity(kind: FindingKind) -> Severity {
    match kind {
        FindingKind::Breached | FindingKind::Common | FindingKind::Reused | FindingKind::HandedOver => Severity::High,
        FindingKind::Old | FindingKind::Expiring => Severity::Low,
        _ => Severity::Medium,
    }
}

/// What an entry's most urgent finding costs the score, in tenths of its share.
fn cost(severity: Severity) -> u64 {
    match severity {
        Severity::High => 10,
        Severity::Medium => 5,
        Severity::Low => 2,
    }
}

/// The vault's score, 0 to 100 (formula in [`SecurityReport::score`]): each entry with findings
/// costs its share by its most urgent one, so an entry with two problems counts once, as it
/// shows once. Rounded down, so only a vault without findings has 100.
pub fn score(checked: u32, findings: &[Finding]) -> u8 {
    let mut worst: std::collections::HashMap<&str, Severity> = std::collections::HashMap::new();
    for f in findings {
        let e = worst.entry(f.entry_id.as_str()).or_insert(f.severity);
        *e = (*e).min(f.severity);
    }
    let entries = u64::from(checked).max(worst.len() as u64);
    if entries == 0 {
        return 100;
    }
    let spent: u64 = worst.values().map(|&s| cost(s)).sum();
    let whole = 10 * entries;
    (100 * whole.saturating_sub(spent) / whole) as u8
}

fn hibp_code(err: &HibpError) -> ErrorCode {
    match err {
        HibpError::Io(_) => ErrorCode::HibpUnreadable,
        HibpError::Empty => ErrorCode::HibpEmpty,
        HibpError::Ntlm => ErrorCode::HibpNtlm,
        HibpError::Malformed { .. } => ErrorCode::HibpMalformed,
        HibpError::NotSorted { .. } => ErrorCode::HibpNotSorted,
        _ => ErrorCode::HibpUnreadable,
    }
}

/// What the security report needs, taken from the session so the breach-list search runs
/// without it (see `slow.rs`): a copy of the vault, whose secrets are wiped on drop.
pub struct ReportJob {
    vault: Vault,
    hibp_file: Option<PathBuf>,
    now_ms: u64,
    today: chrono::NaiveDate,
    generation: u64,
    policy: Option<CompanyPolicy>,
}

impl std::fmt::Debug for ReportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportJob").field("hibp_file", &self.hibp_file).finish_non_exhaustive()
    }
}

/// The report made by [`ReportJob::run`], for [`Session::finish_security_report`].
#[derive(Debug)]
pub struct ReportOutcome {
    generation: u64,
    report: Result<SecurityReport>,
}

impl ReportJob {
    /// The slow part: every password checked, and searched in the breach list if there is one.
    pub fn run(self) -> ReportOutcome {
        let report =
            security_report(&self.vault, self.hibp_file.as_deref(), self.now_ms, self.today, self.policy.as_ref());
        ReportOutcome { generation: self.generation, report }
    }
}

impl Session {
    /// Every live password checked; breaches too, offline, when this device has the list. A list
    /// that cannot be searched is said so in the report, which is made without it. In steps:
    /// `security_report_job`.
    pub fn security_report(&self, now_ms: u64, today: chrono::NaiveDate) -> Result<SecurityReport> {
        let vault = &self.unlocked()?.vault;
        security_report(vault, self.desktop.hibp_file.as_deref(), now_ms, today, self.company_policy())
    }

    /// Step 1 of the report.
    pub fn security_report_job(&self, now_ms: u64, today: chrono::NaiveDate) -> Result<ReportJob> {
        let vault = self.unlocked()?.vault.clone();
        Ok(ReportJob {
            vault,
            hibp_file: self.desktop.hibp_file.clone(),
            now_ms,
            today,
            generation: self.generation,
            policy: self.company_policy().cloned(),
        })
    }

    /// Step 3 of the report: not shown if the vault was locked while it was made.
    pub fn finish_security_report(&self, outcome: ReportOutcome) -> Result<SecurityReport> {
        if outcome.generation != self.generation {
            return Err(super::interrupted());
        }
        outcome.report
    }
}

fn security_report(
    vault: &Vault,
    hibp_file: Option<&Path>,
    now_ms: u64,
    today: chrono::NaiveDate,
    policy: Option<&CompanyPolicy>,
) -> Result<SecurityReport> {
    let options = || ReportOptions { now_ms, today, hibp: None, policy };
    let (report, breaches) = match hibp_file {
        None => (health::report(vault, options()), BreachCheck::Off),
        Some(path) => {
            let file = path.display().to_string();
            let searched = HibpFile::open(path)
                .map_err(health::HealthError::from)
                .and_then(|mut hibp| health::report(vault, ReportOptions { hibp: Some(&mut hibp), ..options() }));
            match searched {
                Ok(report) => (Ok(report), BreachCheck::Checked { file }),
                Err(health::HealthError::Breaches(err)) => {
                    let code = hibp_code(&err);
                    (health::report(vault, options()), BreachCheck::Failed { file, code })
                }
                Err(other) => (Err(other), BreachCheck::Off),
            }
        }
    };
    let report = report.map_err(|e| error(ErrorCode::Io, e))?;
    let counts =
        health::FindingKind::ALL.iter().map(|&kind| FindingCount { kind, count: report.count(kind) as u32 }).collect();
    let findings = report
        .findings
        .into_iter()
        .map(|f| Finding {
            entry_id: f.entry.to_string(),
            title: f.title,
            kind: f.kind,
            severity: severity(f.kind),
            detail: detail_view(f.detail),
        })
        .collect::<Vec<_>>();
    let checked = report.entries_checked as u32;
    let score = score(checked, &findings);
    Ok(SecurityReport { checked, counts, findings, breaches, score })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(entry: &str, kind: FindingKind) -> Finding {
        Finding {
            entry_id: entry.into(),
            title: entry.into(),
            kind,
            severity: severity(kind),
            detail: FindingDetail::No2fa { tag: String::new() },
        }
    }

    #[test]
    fn breaches_and_reuse_are_high_weak_is_medium_age_is_low() {
        for kind in [FindingKind::Breached, FindingKind::Common, FindingKind::Reused, FindingKind::HandedOver] {
            assert_eq!(severity(kind), Severity::High, "{kind:?}");
        }
        for kind in [FindingKind::Weak, FindingKind::Incremental, FindingKind::Personal, FindingKind::Expired] {
            assert_eq!(severity(kind), Severity::Medium, "{kind:?}");
        }
        assert_eq!(severity(FindingKind::Old), Severity::Low);
        assert_eq!(severity(FindingKind::Expiring), Severity::Low);
    }

    #[test]
    fn a_clean_vault_scores_100_and_one_where_every_password_is_out_scores_0() {
        assert_eq!(score(0, &[]), 100);
        assert_eq!(score(12, &[]), 100);
        assert_eq!(score(2, &[finding("a", FindingKind::Breached), finding("b", FindingKind::Reused)]), 0);
    }

    #[test]
    fn an_entry_counts_once_by_its_most_urgent_finding() {
        let one = [finding("a", FindingKind::Weak)];
        // One weak password among four: half of a quarter lost.
        assert_eq!(score(4, &one), 87);
        let two = [finding("a", FindingKind::Weak), finding("a", FindingKind::Old)];
        assert_eq!(score(4, &two), 87, "the old finding of the same entry costs nothing more");
        let worse = [finding("a", FindingKind::Old), finding("a", FindingKind::Breached)];
        assert_eq!(score(4, &worse), 75, "the breach decides, whatever the order");
        assert_eq!(score(4, &[finding("a", FindingKind::Old)]), 95);
    }

    #[test]
    fn any_finding_keeps_the_score_below_100_and_it_never_goes_below_0() {
        assert_eq!(score(1000, &[finding("a", FindingKind::Expiring)]), 99);
        // Findings on entries that were not among those checked (no password): still counted.
        let many: Vec<_> = (0..5).map(|i| finding(&i.to_string(), FindingKind::No2fa)).collect();
        assert_eq!(score(2, &many), 50);
        let all: Vec<_> = (0..5).map(|i| finding(&i.to_string(), FindingKind::Breached)).collect();
        assert_eq!(score(2, &all), 0);
    }

    #[test]
    fn more_urgent_findings_cost_more() {
        let of = |kind| score(10, &[finding("a", kind)]);
        assert!(of(FindingKind::Breached) < of(FindingKind::Weak));
        assert!(of(FindingKind::Weak) < of(FindingKind::Old));
    }
}
