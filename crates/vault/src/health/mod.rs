//! The security report: what is wrong with the passwords in a vault ([`report`]), and the quick
//! check the editor runs on one password before it is saved ([`check_password`]).
//!
//! Nothing leaves the computer: breached passwords are looked up in Have I Been Pwned's file that
//! the user downloaded ([`HibpFile`]). Findings never hold a password or a piece of one, and the
//! checks copy a password only where they must compare it (lower-cased, in zeroizing strings).
//! Entries in the trash, entries without a password and hidden custom fields are not checked.

mod common;
mod detail;
pub mod hibp;
pub mod incremental;
mod personal;

pub use detail::{Detail, EntryRef, FindingKind, PersonalPart};
pub use hibp::{HibpError, HibpFile};

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use thiserror::Error;

use crate::clock::Hlc;
use crate::company::CompanyPolicy;
use crate::model::{Entry, EntryId, ExpiryDate, Settings, Vault};
use crate::strength::rate;
use personal::PersonalWords;

/// zxcvbn scores below this are weak.
pub const STRONG_SCORE: u8 = 3;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// One thing wrong with one entry's password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub entry: EntryId,
    pub title: String,
    pub kind: FindingKind,
    pub detail: Detail,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  {}  {}", self.title, self.kind, self.detail)
    }
}

/// One thing wrong with a password being edited, which may not belong to an entry yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub kind: FindingKind,
    pub detail: Detail,
}

impl From<Detail> for Issue {
    fn from(detail: Detail) -> Self {
        Issue { kind: detail.kind(), detail }
    }
}

/// When the report is made, where to look breaches up, and the company policy to check against.
#[derive(Debug)]
pub struct ReportOptions<'a> {
    /// Milliseconds since the epoch: passwords older than the rotation period are old.
    pub now_ms: u64,
    /// Entries whose expiry date is before this day have expired.
    pub today: NaiveDate,
    /// Without a file, breaches are not checked.
    pub hibp: Option<&'a mut HibpFile>,
    /// The company policy in force: its rotation period replaces the vault's, and its findings
    /// (`policy`, `no-2fa`) are added.
    pub policy: Option<&'a CompanyPolicy>,
}

impl<'a> ReportOptions<'a> {
    /// A report as of `now_ms`, with "today" in this computer's time zone.
    pub fn at(now_ms: u64) -> Self {
        ReportOptions { now_ms, today: local_date(now_ms), hibp: None, policy: None }
    }

    pub fn with_policy(self, policy: Option<&'a CompanyPolicy>) -> Self {
        ReportOptions { policy, ..self }
    }

    pub fn with_hibp(self, file: &'a mut HibpFile) -> Self {
        ReportOptions { hibp: Some(file), ..self }
    }
}

/// The day it is at `now_ms` in this computer's time zone.
pub fn local_date(now_ms: u64) -> NaiveDate {
    let utc = chrono::DateTime::from_timestamp_millis(i64::try_from(now_ms).unwrap_or(i64::MAX)).unwrap_or_default();
    utc.with_timezone(&chrono::Local).date_naive()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Ordered by entry title (as listings order entries), then by kind.
    pub findings: Vec<Finding>,
    /// Every kind, with how many findings of it there are (zero included).
    pub counts: BTreeMap<FindingKind, usize>,
    /// Live entries with a password.
    pub entries_checked: usize,
    /// Entries whose password should be changed because of time: old or expired.
    pub due_for_rotation: usize,
    /// Whether a Pwned Passwords file was searched.
    pub breaches_checked: bool,
}

impl Report {
    pub fn count(&self, kind: FindingKind) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HealthError {
    #[error(transparent)]
    Breaches(#[from] HibpError),
}

/// What the editor knows about the entry whose password is being checked, saved or not.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryContext<'a> {
    pub title: &'a str,
    pub username: &'a str,
    pub urls: &'a [String],
}

impl<'a> EntryContext<'a> {
    pub fn of(entry: &'a Entry) -> Self {
        EntryContext { title: &entry.title.value, username: &entry.username.value, urls: &entry.urls.value }
    }
}

/// How many live entries with a password are due for a change: older than the rotation period or
/// past their expiry date (the report's `old` and `expired`). Cheap: it rates no password, so
/// the app can count them at every unlock.
pub fn due_for_rotation(vault: &Vault, now_ms: u64, today: NaiveDate) -> usize {
    due_for_rotation_under(vault, None, now_ms, today)
}

/// [`due_for_rotation`] with the company policy's rotation period, if it sets one.
pub fn due_for_rotation_under(vault: &Vault, policy: Option<&CompanyPolicy>, now_ms: u64, today: NaiveDate) -> usize {
    let rotation_days = rotation_days_in_force(&vault.settings, policy);
    vault
        .live_entries()
        .filter(|e| !e.password.value.is_empty())
        .filter(|e| old(e, rotation_days, now_ms).is_some() || expired(e, today).is_some())
        .count()
}

/// Checks every live entry's password. Fails only if the Pwned Passwords file cannot be searched.
pub fn report(vault: &Vault, options: ReportOptions<'_>) -> Result<Report, HealthError> {
    let ReportOptions { now_ms, today, mut hibp, policy } = options;
    let rotation_days = rotation_days_in_force(&vault.settings, policy);
    let entries: Vec<&Entry> = vault.sorted_entries().into_iter().filter(|e| !e.password.value.is_empty()).collect();
    let owner = PersonalWords::of_owner(&vault.settings.owner_name.value, &vault.settings.company.value);
    // Grouped by the password itself, borrowed from the vault: no copy of any password is made.
    let mut by_password: HashMap<&str, Vec<&Entry>> = HashMap::new();
    for entry in &entries {
        by_password.entry(entry.password.value.expose()).or_default().push(entry);
    }
    let mut breaches: HashMap<&str, Option<u64>> = HashMap::new();

    let own = own_issues_of_all(&entries, &vault.settings, &owner);

    let mut findings = Vec::new();
    let mut due_for_rotation = 0;
    for (entry, mut details) in entries.iter().zip(own) {
        let password = entry.password.value.expose();
        let others: Vec<EntryRef> =
            by_password[password].iter().filter(|e| e.id != entry.id).map(|e| refer(e)).collect();
        if !others.is_empty() {
            details.push(Detail::Reused { others });
        }
        let timely = [old(entry, rotation_days, now_ms), expired(entry, today)];
        due_for_rotation += usize::from(timely.iter().any(Option::is_some));
        details.extend(timely.into_iter().flatten());
        details.extend(handed_over(vault, entry, now_ms));
        details.extend(expiring(entry, today, vault.settings.expiry_warning_days()));
        if let Some(file) = hibp.as_deref_mut() {
            // Each distinct password is hashed and looked up once, however many entries share it.
            let seen = match breaches.get(password) {
                Some(seen) => *seen,
                None => {
                    let seen = file.seen_password(password)?;
                    breaches.insert(password, seen);
                    seen
                }
            };
            details.extend(seen.map(|seen| Detail::Breached { seen }));
        }
        if let Some(policy) = policy {
            details.extend(policy_details(policy, entry));
        }
        details.sort_by_key(Detail::kind);
        let title = &entry.title.value;
        findings.extend(details.into_iter().map(|detail| Finding {
            entry: entry.id,
            title: title.clone(),
            kind: detail.kind(),
            detail,
        }));
    }

    let mut counts: BTreeMap<FindingKind, usize> = FindingKind::ALL.iter().map(|&k| (k, 0)).collect();
    for finding in &findings {
        *counts.entry(finding.kind).or_default() += 1;
    }
    Ok(Report { findings, counts, entries_checked: entries.len(), due_for_rotation, breaches_checked: hibp.is_some() })
}

/// The vault's rotation period, or the company policy's if it sets one.
fn rotation_days_in_force(settings: &Settings, policy: Option<&CompanyPolicy>) -> Option<u32> {
    policy.map_or_else(|| settings.rotation_days(), |p| p.rotation_days(settings))
}

/// What the company policy finds with an entry: its password too short or without a required
/// kind (`policy`), and no TOTP where a tag requires it (`no-2fa`).
fn policy_details(policy: &CompanyPolicy, entry: &Entry) -> Vec<Detail> {
    let mut details = Vec::new();
    if let Some(broken) = policy.check(entry.password.value.expose()) {
        details.push(Detail::Policy { too_short: broken.too_short, missing: broken.missing });
    }
    if let Some(tag) = policy.lacks_required_totp(entry) {
        details.push(Detail::No2fa { tag });
    }
    details
}

/// [`own_issues`] of every entry, on every core: zxcvbn is nearly all of a report's time and each
/// entry's rating is independent of the others'. In the order of `entries`.
fn own_issues_of_all(entries: &[&Entry], settings: &Settings, owner: &PersonalWords) -> Vec<Vec<Detail>> {
    let rate = |entry: &&Entry| {
        let context = EntryContext::of(entry);
        own_issues(entry.password.value.expose(), &context, settings, owner, earlier_passwords(entry))
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || entries.len() < 64 {
        return entries.iter().map(rate).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            entries.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(rate).collect::<Vec<_>>())).collect();
        workers.into_iter().flat_map(|worker| worker.join().expect("rating a password does not panic")).collect()
    })
}

/// Checks a password the user is typing for `entry` (`None`: an entry not saved yet): weak,
/// common, reused (on which other entries), personal, and incremental against the entry's current
/// and earlier passwords. Cheap enough to run on every keystroke; no breach look-up.
pub fn check_password(vault: &Vault, entry: Option<EntryId>, password: &str, context: &EntryContext<'_>) -> Vec<Issue> {
    if password.is_empty() {
        return Vec::new();
    }
    let owner = PersonalWords::of_owner(&vault.settings.owner_name.value, &vault.settings.company.value);
    let existing = entry.and_then(|id| vault.entry(id));
    let mut earlier = existing.map(earlier_passwords).unwrap_or_default();
    // The current password becomes an earlier one once this one is saved.
    earlier.extend(existing.map(|e| (e.password.value.expose(), e.password.clock)));
    let mut details = own_issues(password, context, &vault.settings, &owner, earlier);
    let others: Vec<EntryRef> = vault
        .sorted_entries()
        .into_iter()
        .filter(|e| Some(e.id) != entry && e.password.value.expose() == password)
        .map(refer)
        .collect();
    if !others.is_empty() {
        details.push(Detail::Reused { others });
    }
    details.sort_by_key(Detail::kind);
    details.into_iter().map(Issue::from).collect()
}

/// The checks that need only the password, its entry and the vault's owner: weak, common,
/// personal, incremental.
fn own_issues(
    password: &str,
    context: &EntryContext<'_>,
    settings: &Settings,
    owner: &PersonalWords,
    earlier: Vec<(&str, Hlc)>,
) -> Vec<Detail> {
    let mut details = Vec::new();
    let mut inputs = vec![context.username, context.title, &settings.owner_name.value, &settings.company.value];
    inputs.extend(context.urls.iter().map(|url| host(url)));
    inputs.retain(|input| !input.is_empty());
    let (rated, analysis) = rate(password, &inputs);
    if rated.score < STRONG_SCORE {
        details.push(Detail::Weak { score: rated.score, warning: rated.warning, suggestions: rated.suggestions });
    }
    details.extend(common::common_given(password, &analysis));
    if let Some((part, word)) = owner.with_username(context.username).found_in(password) {
        details.push(Detail::Personal { part, word: word.to_owned() });
    }
    details.extend(incremental_on(password, earlier));
    details
}

/// How `password` follows from the entry's earlier ones. Being exactly an earlier password is
/// told first, as the stronger finding, but counts only if the password was changed to something
/// else in between: a copy of the current value (as a merge may leave in the history) is not the
/// user going back. Otherwise the newest earlier password it is a bumped counter of.
fn incremental_on(password: &str, mut earlier: Vec<(&str, Hlc)>) -> Option<Detail> {
    earlier.sort_by_key(|(_, clock)| std::cmp::Reverse(*clock));
    let mut changed_since = false;
    let mut bumped = None;
    for (old, clock) in earlier {
        if old == password {
            if changed_since {
                return Some(Detail::Incremental { previous_set_ms: clock.wall_ms, identical: true });
            }
        } else {
            changed_since = true;
            if bumped.is_none() && incremental::is_incremental(password, old) {
                bumped = Some(Detail::Incremental { previous_set_ms: clock.wall_ms, identical: false });
            }
        }
    }
    bumped
}

fn old(entry: &Entry, rotation_days: Option<u32>, now_ms: u64) -> Option<Detail> {
    let rotation_days = rotation_days?;
    let changed_ms = entry.password_changed().wall_ms;
    let age_ms = now_ms.saturating_sub(changed_ms);
    (age_ms > u64::from(rotation_days).saturating_mul(DAY_MS)).then_some(Detail::Old {
        days: age_ms / DAY_MS,
        rotation_days,
        changed_ms,
    })
}

fn expired(entry: &Entry, today: NaiveDate) -> Option<Detail> {
    let date = entry.expires.value?;
    (today > date.0).then(|| Detail::Expired { date, days_ago: (today - date.0).num_days() })
}

/// The latest hand-over of `entry`'s current password whose time is over (or that had no expiry):
/// the colleague still knows the password until it is changed.
fn handed_over(vault: &Vault, entry: &Entry, now_ms: u64) -> Option<Detail> {
    let given = vault.handovers.given.values();
    let known = given.filter(|g| g.calls_for_change(now_ms) && g.entries.contains(&entry.id));
    let latest = known.filter(|g| entry.password_changed() <= g.made).max_by_key(|g| g.made)?;
    Some(Detail::HandedOver { to: latest.to.clone(), made_ms: latest.made.wall_ms, expires_ms: latest.expires_ms })
}

/// An expiry date from today up to `warning_days` ahead (an entry expires at the end of its day).
fn expiring(entry: &Entry, today: NaiveDate, warning_days: u32) -> Option<Detail> {
    let date = entry.expires.value?;
    let days_left = (date.0 - today).num_days();
    (warning_days > 0 && (0..=i64::from(warning_days)).contains(&days_left))
        .then_some(Detail::Expiring { date, days_left })
}

/// One entry whose expiry date is near, for the notice after unlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringEntry {
    pub entry: EntryRef,
    pub date: ExpiryDate,
    pub days_left: i64,
}

/// The live entries with a password whose expiry date is within the vault's warning period (the
/// report's `expiring`), soonest first. Cheap: the app asks at every unlock.
pub fn expiring_soon(vault: &Vault, today: NaiveDate) -> Vec<ExpiringEntry> {
    let warning_days = vault.settings.expiry_warning_days();
    let mut soon: Vec<ExpiringEntry> = vault
        .sorted_entries()
        .into_iter()
        .filter(|e| !e.password.value.is_empty())
        .filter_map(|e| match expiring(e, today, warning_days)? {
            Detail::Expiring { date, days_left } => Some(ExpiringEntry { entry: refer(e), date, days_left }),
            _ => None,
        })
        .collect();
    soon.sort_by_key(|e| e.days_left);
    soon
}

/// An entry's earlier passwords and when each was set, borrowed from its history.
fn earlier_passwords(entry: &Entry) -> Vec<(&str, Hlc)> {
    entry.history.iter().filter(|h| h.field == "password").map(|h| (h.value.expose(), h.clock)).collect()
}

fn refer(entry: &Entry) -> EntryRef {
    EntryRef { id: entry.id, title: entry.title.value.clone() }
}

/// `https://user@login.example.com:8443/path` -> `login.example.com`: the words of a URL an
/// attacker would try, without its scheme and path.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    host.split(':').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_on_several_cores_gives_each_entry_its_own_findings_in_order() {
        let clock = crate::SystemClock;
        let author = crate::Author { device: crate::DeviceId(1), clock: &clock };
        let mut vault = Vault::new("v", author, "laptop");
        vault.set_profile(Some(90), "Li Wei", "Acme", author);
        let passwords = ["password1", "Acme2024!", "vR7#qLw9!zTn2$Kp", "li.wei.1", "qwerty", "Summer2025"];
        for n in 0..200 {
            let new = crate::NewEntry {
                title: format!("System {n}"),
                username: format!("user{n}"),
                password: format!("{}{}", passwords[n % passwords.len()], n % 7).into(),
                ..Default::default()
            };
            vault.add_entry(new, author);
        }
        let entries: Vec<&Entry> = vault.sorted_entries();
        let owner = PersonalWords::of_owner("Li Wei", "Acme");
        let one_by_one: Vec<Vec<Detail>> = entries
            .iter()
            .map(|e| {
                let context = EntryContext::of(e);
                own_issues(e.password.value.expose(), &context, &vault.settings, &owner, earlier_passwords(e))
            })
            .collect();
        assert!(one_by_one.iter().any(|d| !d.is_empty()) && one_by_one.iter().any(Vec::is_empty));
        assert_eq!(own_issues_of_all(&entries, &vault.settings, &owner), one_by_one);
    }

    #[test]
    fn hosts_are_taken_out_of_urls() {
        assert_eq!(host("https://user@login.example.com:8443/path?q#f"), "login.example.com");
        assert_eq!(host("crm.example.cn"), "crm.example.cn");
        assert_eq!(host(""), "");
    }
}
