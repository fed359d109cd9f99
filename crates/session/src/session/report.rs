//! The security report (`vault::health`) as the page receives it, and the rotation reminder.

use vault::Vault;
use vault::health::{self, Detail, HibpError, HibpFile, PersonalPart, ReportOptions};

use super::Session;
use crate::error::{ErrorCode, Result, error};
use crate::view::*;

/// Today in the user's time zone: an entry expires at the end of its day.
pub fn today() -> chrono::NaiveDate {
    health::local_date(vault::Clock::now_ms(&vault::SystemClock))
}

/// Live entries with a password due for a change (see `vault::health::due_for_rotation`).
pub fn rotation_due(vault: &Vault, now_ms: u64, today: chrono::NaiveDate) -> u32 {
    health::due_for_rotation(vault, now_ms, today) as u32
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
    }
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

impl Session {
    /// Every live password checked; breaches too, offline, when this device has the list. A list
    /// that cannot be searched is said so in the report, which is made without it.
    pub fn security_report(&self, now_ms: u64, today: chrono::NaiveDate) -> Result<SecurityReport> {
        let vault = &self.unlocked()?.vault;
        let options = || ReportOptions { now_ms, today, hibp: None };
        let (report, breaches) = match &self.desktop.hibp_file {
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
        let counts = health::FindingKind::ALL
            .iter()
            .map(|&kind| FindingCount { kind, count: report.count(kind) as u32 })
            .collect();
        let findings = report
            .findings
            .into_iter()
            .map(|f| Finding {
                entry_id: f.entry.to_string(),
                title: f.title,
                kind: f.kind,
                detail: detail_view(f.detail),
            })
            .collect();
        Ok(SecurityReport { checked: report.entries_checked as u32, counts, findings, breaches })
    }
}
