//! The security report and the rotation reminder.
//!
//! Interim: until `vault::health` (the library's report, with the common-password, personal,
//! incremental and breach checks) lands, this computes the weak, reused, expired and old findings
//! itself, with the same kinds and details, so the page does not change when it does.

use std::collections::HashMap;
use vault::{Entry, Vault};

use super::App;
use super::passwords::user_inputs;
use crate::error::Result;
use crate::ipc::*;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Today in the user's time zone: an entry expires at the end of its day.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn has_password(entry: &Entry) -> bool {
    !entry.password.value.is_empty()
}

fn days_unchanged(entry: &Entry, now_ms: u64) -> u64 {
    now_ms.saturating_sub(entry.password_changed().wall_ms) / DAY_MS
}

fn is_old(entry: &Entry, rotation_days: Option<u32>, now_ms: u64) -> bool {
    rotation_days.is_some_and(|days| days_unchanged(entry, now_ms) >= u64::from(days))
}

fn expired_days_ago(entry: &Entry, today: chrono::NaiveDate) -> Option<i64> {
    let date = entry.expires.value?.0;
    (date < today).then(|| (today - date).num_days())
}

/// Live entries with a password that is due for a change: older than the rotation period, or
/// past the entry's expiry date.
pub fn rotation_due(vault: &Vault, now_ms: u64, today: chrono::NaiveDate) -> u32 {
    let rotation = vault.settings.rotation_days.value;
    let due = |e: &&Entry| has_password(e) && (is_old(e, rotation, now_ms) || expired_days_ago(e, today).is_some());
    vault.live_entries().filter(due).count() as u32
}

const ORDER: [FindingKind; 8] = [
    FindingKind::Breached,
    FindingKind::Common,
    FindingKind::Weak,
    FindingKind::Reused,
    FindingKind::Incremental,
    FindingKind::Personal,
    FindingKind::Expired,
    FindingKind::Old,
];

impl App {
    pub fn security_report(&self, now_ms: u64, today: chrono::NaiveDate) -> Result<SecurityReport> {
        let vault = &self.unlocked()?.vault;
        let settings = &vault.settings;
        let entries: Vec<&Entry> = vault.sorted_entries().into_iter().filter(|e| has_password(e)).collect();
        let mut by_password: HashMap<&str, Vec<&Entry>> = HashMap::new();
        for entry in &entries {
            by_password.entry(entry.password.value.expose()).or_default().push(entry);
        }
        let mut findings = Vec::new();
        for entry in &entries {
            let mut add = |kind, detail| {
                findings.push(Finding {
                    entry_id: entry.id.to_string(),
                    title: entry.title.value.clone(),
                    kind,
                    detail,
                })
            };
            let inputs = user_inputs(
                &entry.title.value,
                &entry.username.value,
                &entry.urls.value,
                &settings.owner_name.value,
                &settings.company.value,
            );
            let strength = crate::tools::strength(entry.password.value.expose(), &inputs);
            if strength.score < 3 {
                add(FindingKind::Weak, FindingDetail::Weak { score: strength.score, warning: strength.warning });
            }
            let same = &by_password[entry.password.value.expose()];
            if same.len() > 1 {
                let others = same
                    .iter()
                    .filter(|o| o.id != entry.id)
                    .map(|o| EntryRefView { id: o.id.to_string(), title: o.title.value.clone() })
                    .collect();
                add(FindingKind::Reused, FindingDetail::Reused { others });
            }
            if let Some(days_ago) = expired_days_ago(entry, today) {
                let date = entry.expires.value.map(|d| d.to_string()).unwrap_or_default();
                add(FindingKind::Expired, FindingDetail::Expired { date, days_ago });
            }
            if let Some(rotation_days) = settings.rotation_days.value
                && is_old(entry, Some(rotation_days), now_ms)
            {
                add(FindingKind::Old, FindingDetail::Old { days: days_unchanged(entry, now_ms), rotation_days });
            }
        }
        // Most urgent first; within a kind, the listing's title order (a stable sort keeps it).
        findings.sort_by_key(|f| ORDER.iter().position(|k| *k == f.kind));
        let counts = ORDER
            .iter()
            .map(|&kind| FindingCount { kind, count: findings.iter().filter(|f| f.kind == kind).count() as u32 })
            .collect();
        let breaches = match &self.desktop.hibp_file {
            None => BreachCheck::Off,
            Some(file) => BreachCheck::Failed { file: file.display().to_string(), code: "hibp-unavailable".into() },
        };
        Ok(SecurityReport { checked: entries.len() as u32, counts, findings, breaches })
    }
}
