//! Merging two copies of one vault, edited apart on two laptops.
//!
//! The merge is a pure function of the two states: commutative, associative and idempotent, so
//! copies merged in any order, any number of times, end up equal. Each field keeps the write
//! with the later clock; the value that loses goes into the entry's history, where it can be
//! seen and restored. Nothing a user typed is dropped, except the oldest history beyond
//! [`HISTORY_LIMIT`](super::HISTORY_LIMIT).

use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use thiserror::Error;
use zeroize::Zeroizing;

use super::entry::normalize_history;
use super::{CustomField, Device, Entry, EntryId, HistoryItem, Settings, Stamped, Vault, VaultId};
use crate::clock::DeviceId;
use crate::handover::HandoverLedger;
use crate::secret::SecretText;

mod report;

pub use report::{EntryChange, MergeReport};

/// Why two vault states cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MergeError {
    #[error(
        "these are two different vaults (ids {ours} and {theirs}), not two copies of one vault; \
         only copies of the same vault can be merged"
    )]
    DifferentVaults { ours: VaultId, theirs: VaultId },
}

/// The merge of two copies of one vault. `merge(a, b) == merge(b, a)`, exactly.
pub fn merge(a: &Vault, b: &Vault) -> Result<Vault, MergeError> {
    if a.id != b.id {
        return Err(MergeError::DifferentVaults { ours: a.id, theirs: b.id });
    }
    let mut entries: BTreeMap<EntryId, Entry> = a.entries.clone();
    for (id, theirs) in &b.entries {
        let merged = match entries.get(id) {
            Some(ours) => merge_entry(ours, theirs),
            None => theirs.clone(),
        };
        entries.insert(*id, merged);
    }
    // Entries from one side only get the canonical history order too (a file written by an
    // older version may not have it), so that the result does not depend on which side had them.
    for entry in entries.values_mut() {
        normalize_history(&mut entry.history);
    }
    let settings = merge_settings(&a.settings, &b.settings);
    let activity = crate::activity::Log::merged(&a.activity, &b.activity, settings.activity_keep_events() as usize);
    // Entries of a hand-over that expired on either side leave, values and all.
    let handovers = HandoverLedger::merge(&a.handovers, &b.handovers);
    entries.retain(|_, entry| handovers.keeps(entry));
    Ok(Vault {
        id: a.id,
        name: later(&a.name, &b.name).0,
        devices: merge_devices(&a.devices, &b.devices),
        settings,
        entries,
        clock: a.clock.max(b.clock),
        password_changed: a.password_changed.max(b.password_changed),
        activity,
        handovers,
    })
}

impl Vault {
    /// Takes `other`'s changes into this vault; reports what changed here.
    pub fn merge(&mut self, other: &Vault) -> Result<MergeReport, MergeError> {
        let merged = merge(self, other)?;
        let report = MergeReport::between(self, &merged);
        *self = merged;
        Ok(report)
    }
}

impl Vault {
    /// Takes in the entries of another vault (our own export of it), clocks, history and trash
    /// included: a copy of this same vault is merged whole; another vault gives its entries, and
    /// the laptops that wrote them, but not its name, settings or log.
    pub fn take_entries_from(&mut self, other: &Vault) -> Result<MergeReport, MergeError> {
        if other.id == self.id {
            return self.merge(other);
        }
        let mut taken = self.clone();
        for (id, theirs) in &other.entries {
            let merged = match taken.entries.get(id) {
                Some(ours) => merge_entry(ours, theirs),
                None => theirs.clone(),
            };
            taken.entries.insert(*id, merged);
        }
        for entry in taken.entries.values_mut() {
            normalize_history(&mut entry.history);
        }
        taken.devices = merge_devices(&self.devices, &other.devices);
        taken.clock = self.clock.max(other.clock);
        let report = MergeReport::between(self, &taken);
        *self = taken;
        Ok(report)
    }
}

/// The later of two writes, and the other one if it is a different write. Equal clocks cannot
/// come from two real writes (the device id is in the clock), but a tie is still settled the
/// same way on every laptop: by the values' serialised form.
fn later<T: Clone + PartialEq + Serialize>(a: &Stamped<T>, b: &Stamped<T>) -> (Stamped<T>, Option<Stamped<T>>) {
    if a == b {
        return (a.clone(), None);
    }
    let a_wins = match a.clock.cmp(&b.clock) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => *tie_key(&a.value) >= *tie_key(&b.value),
    };
    let (winner, loser) = if a_wins { (a, b) } else { (b, a) };
    (winner.clone(), Some(loser.clone()))
}

fn tie_key<T: Serialize>(value: &T) -> Zeroizing<String> {
    Zeroizing::new(serde_json::to_string(value).unwrap_or_default())
}

/// Merges one field that has history: the loser is kept there.
fn keep<T: Clone + PartialEq + Serialize>(
    a: &Stamped<T>,
    b: &Stamped<T>,
    field: &str,
    history: &mut Vec<HistoryItem>,
    as_text: impl Fn(&T) -> SecretText,
) -> Stamped<T> {
    let (winner, loser) = later(a, b);
    if let Some(loser) = loser {
        history.push(HistoryItem { field: field.to_owned(), value: as_text(&loser.value), clock: loser.clock });
    }
    winner
}

fn secret(value: &SecretText) -> SecretText {
    value.clone()
}

fn merge_entry(a: &Entry, b: &Entry) -> Entry {
    // Deleted for ever on either side: the tombstone wins whatever the other side holds (an
    // edit made elsewhere after the purge included), so no copy brings the values back.
    if a.is_purged() || b.is_purged() {
        let purged = a.purged.max(b.purged).expect("one side is purged");
        return Entry::tombstone(a.id, a.created.min(b.created), purged);
    }
    // Union of both histories; duplicates go in `normalize_history`.
    let mut history: Vec<HistoryItem> = a.history.iter().chain(&b.history).cloned().collect();
    let h = &mut history;
    let text = |value: &String| SecretText::new(value.as_str());
    let title = keep(&a.title, &b.title, "title", h, text);
    let username = keep(&a.username, &b.username, "username", h, text);
    let password = keep(&a.password, &b.password, "password", h, secret);
    let urls = keep(&a.urls, &b.urls, "urls", h, |v| SecretText::new(v.join("\n")));
    let notes = keep(&a.notes, &b.notes, "notes", h, text);
    let totp = keep(&a.totp, &b.totp, "totp", h, secret);
    let fields = union_with(&a.fields, &b.fields, |name, x, y| {
        // As `Entry::apply` records it: a removed field's value reads as empty.
        let as_text = |f: &Option<CustomField>| f.as_ref().map(|f| f.value.clone()).unwrap_or_default();
        keep(x, y, &format!("field:{name}"), h, as_text)
    });
    let tags = union_with(&a.tags, &b.tags, |_, x, y| later(x, y).0);
    normalize_history(&mut history);
    Entry {
        id: a.id,
        // The same on every copy; the earlier one if not, so the choice does not depend on order.
        created: a.created.min(b.created),
        title,
        username,
        password,
        urls,
        notes,
        totp,
        tags,
        fields,
        rules: later(&a.rules, &b.rules).0,
        expires: later(&a.expires, &b.expires).0,
        also_fill_on: later(&a.also_fill_on, &b.also_fill_on).0,
        autotype_sequence: later(&a.autotype_sequence, &b.autotype_sequence).0,
        autotype_windows: later(&a.autotype_windows, &b.autotype_windows).0,
        favourite: later(&a.favourite, &b.favourite).0,
        deleted: later(&a.deleted, &b.deleted).0,
        purged: None,
        history,
        // Set once when received and never changed; the smaller if a hand-made file differs.
        handed_over: match (&a.handed_over, &b.handed_over) {
            (Some(x), Some(y)) => Some(x.clone().min(y.clone())),
            (x, y) => x.clone().or_else(|| y.clone()),
        },
    }
}

/// Every key of either map; values present on both sides are combined with `both`.
fn union_with<V: Clone>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
    mut both: impl FnMut(&str, &V, &V) -> V,
) -> BTreeMap<String, V> {
    let mut out = a.clone();
    for (key, theirs) in b {
        let merged = match a.get(key) {
            Some(ours) => both(key, ours, theirs),
            None => theirs.clone(),
        };
        out.insert(key.clone(), merged);
    }
    out
}

fn merge_settings(a: &Settings, b: &Settings) -> Settings {
    Settings {
        rotation_days: later(&a.rotation_days, &b.rotation_days).0,
        clipboard_clear_seconds: later(&a.clipboard_clear_seconds, &b.clipboard_clear_seconds).0,
        auto_lock_minutes: later(&a.auto_lock_minutes, &b.auto_lock_minutes).0,
        owner_name: later(&a.owner_name, &b.owner_name).0,
        company: later(&a.company, &b.company).0,
        activity_keep_days: later(&a.activity_keep_days, &b.activity_keep_days).0,
        activity_keep_events: later(&a.activity_keep_events, &b.activity_keep_events).0,
        expiry_warning_days: later(&a.expiry_warning_days, &b.expiry_warning_days).0,
    }
}

/// Every laptop either copy knows, with its most recent write (and the name it had then).
fn merge_devices(a: &BTreeMap<DeviceId, Device>, b: &BTreeMap<DeviceId, Device>) -> BTreeMap<DeviceId, Device> {
    let mut out = a.clone();
    for (id, theirs) in b {
        let keep_theirs = match a.get(id) {
            Some(ours) => (theirs.last_write_ms, &theirs.name) > (ours.last_write_ms, &ours.name),
            None => true,
        };
        if keep_theirs {
            out.insert(*id, theirs.clone());
        }
    }
    out
}
