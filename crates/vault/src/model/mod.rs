//! The vault: its entries, the devices that wrote it, and the settings that travel with it.

mod clocks;
mod entry;
mod merge;
mod settings;
mod stamped;

pub use clocks::{ClockAhead, MAX_CLOCK_AHEAD_MS, human_span};
pub(crate) use entry::normalize_history;
pub use entry::{CustomField, Entry, EntryEdit, EntryId, ExpiryDate, HISTORY_LIMIT, HistoryItem, NewEntry};
pub use merge::{EntryChange, MergeError, MergeReport, merge};
pub use stamped::Stamped;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

use crate::clock::{Clock, DeviceId, Hlc};
use crate::handover::HandoverLedger;

/// A vault's id: two files with the same id are copies of one vault and may be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VaultId(pub uuid::Uuid);

impl std::fmt::Display for VaultId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who is writing: this laptop, and its clock.
#[derive(Clone, Copy)]
pub struct Author<'c> {
    pub device: DeviceId,
    pub clock: &'c dyn Clock,
}

impl std::fmt::Debug for Author<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Author").field("device", &self.device).finish_non_exhaustive()
    }
}

/// A laptop that has written to the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub name: String,
    /// Milliseconds since the epoch of its latest write.
    pub last_write_ms: u64,
}

/// Settings that travel with the vault to every laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Days after which a password is due for rotation; `None` turns the check off.
    pub rotation_days: Stamped<Option<u32>>,
    pub clipboard_clear_seconds: Stamped<u32>,
    pub auto_lock_minutes: Stamped<u32>,
    /// The vault owner's name and company: passwords made of them are flagged as personal.
    #[serde(default)]
    pub owner_name: Stamped<String>,
    #[serde(default)]
    pub company: Stamped<String>,
    /// How long the activity log keeps events, in days, and how many it keeps at most; `None`
    /// for the defaults (left out of the file until someone sets them).
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub activity_keep_days: Stamped<Option<u32>>,
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub activity_keep_events: Stamped<Option<u32>>,
    /// Days ahead of an entry's expiry date that the report and the app warn of it; 0: never.
    #[serde(
        default = "Settings::default_expiry_warning_days",
        skip_serializing_if = "Settings::expiry_warning_days_unwritten"
    )]
    pub expiry_warning_days: Stamped<u32>,
}

impl Settings {
    fn new(clock: Hlc) -> Self {
        Settings {
            rotation_days: Stamped::new(Self::DEFAULT_ROTATION_DAYS, clock),
            clipboard_clear_seconds: Stamped::new(Self::DEFAULT_CLIPBOARD_CLEAR_SECONDS, clock),
            auto_lock_minutes: Stamped::new(Self::DEFAULT_AUTO_LOCK_MINUTES, clock),
            owner_name: Stamped::new(String::new(), clock),
            company: Stamped::new(String::new(), clock),
            activity_keep_days: Stamped::default(),
            activity_keep_events: Stamped::default(),
            expiry_warning_days: Stamped::new(Self::DEFAULT_EXPIRY_WARNING_DAYS, clock),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vault {
    pub id: VaultId,
    pub name: Stamped<String>,
    pub devices: BTreeMap<DeviceId, Device>,
    pub settings: Settings,
    /// Every entry ever made, including those in the trash.
    pub entries: BTreeMap<EntryId, Entry>,
    /// The latest clock reading in the vault: new writes are always later than it.
    pub clock: Hlc,
    /// When the master password last changed: of two copies, the key wrapping of the one
    /// with the later clock is the one that unlocks the merged file.
    #[serde(default)]
    pub password_changed: Hlc,
    /// What was done with the vault, on which laptop (see [`crate::activity`]).
    #[serde(default, skip_serializing_if = "crate::activity::Log::is_empty")]
    pub activity: crate::activity::Log,
    /// Hand-overs made and expired (see [`crate::handover`]); left out of the file while empty.
    #[serde(default, skip_serializing_if = "HandoverLedger::is_empty")]
    pub handovers: HandoverLedger,
}

/// An operation named an entry the vault does not have.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("no entry with id {0}")]
pub struct NoSuchEntry(pub EntryId);

/// Why an entry could not be deleted for ever.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PurgeError {
    #[error(transparent)]
    NoSuchEntry(#[from] NoSuchEntry),
    /// Only an entry in the trash is deleted for ever: one step back is always possible.
    #[error("entry {0} is not in the trash")]
    NotInTrash(EntryId),
}

/// Why an entry could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EditError {
    #[error(transparent)]
    NoSuchEntry(#[from] NoSuchEntry),
    /// The entry arrived in a hand-over: its values are the giver's, and stay as given.
    #[error("\"{title}\" was handed over to you by {giver}; it cannot be edited")]
    HandedOver { title: String, giver: String },
}

impl Vault {
    /// The entry `id`, refused if it arrived in a hand-over.
    fn editable(&self, id: EntryId) -> Result<&Entry, EditError> {
        let entry = self.entry(id).ok_or(NoSuchEntry(id))?;
        match &entry.handed_over {
            Some(mark) => Err(EditError::HandedOver { title: entry.title.value.clone(), giver: mark.giver.clone() }),
            None => Ok(entry),
        }
    }
}

impl Vault {
    /// Whether every entry is filed under its own id. Version 4's JSON writes the id twice (the
    /// key of `entries` and the entry's `id`); only a forged file makes them differ, and such a
    /// vault would change at its next save, where version 5 writes the id once.
    pub fn keyed_by_id(&self) -> bool {
        self.entries.iter().all(|(id, entry)| *id == entry.id)
    }

    pub fn new(name: impl Into<String>, author: Author<'_>, device_name: &str) -> Vault {
        let clock = Hlc::tick(Hlc::default(), author.clock.now_ms(), author.device);
        let mut vault = Vault {
            id: VaultId(uuid::Builder::from_random_bytes(crate::crypto::random_array()).into_uuid()),
            name: Stamped::new(name.into(), clock),
            devices: BTreeMap::new(),
            settings: Settings::new(clock),
            entries: BTreeMap::new(),
            clock,
            password_changed: clock,
            activity: crate::activity::Log::default(),
            handovers: HandoverLedger::default(),
        };
        vault.note_device(author, device_name);
        vault
    }

    /// The next clock reading for a write by `author`.
    pub(crate) fn tick(&mut self, author: Author<'_>) -> Hlc {
        self.clock = Hlc::tick(self.clock, author.clock.now_ms(), author.device);
        self.clock
    }

    /// The clock for a write to the settings: later than every settings clock, even in a file
    /// whose vault clock is behind them (see `entry_to_write`).
    pub(crate) fn tick_settings(&mut self, author: Author<'_>) -> Hlc {
        let s = &self.settings;
        let clocks = [
            s.rotation_days.clock,
            s.clipboard_clear_seconds.clock,
            s.auto_lock_minutes.clock,
            s.owner_name.clock,
            s.company.clock,
            s.activity_keep_days.clock,
            s.activity_keep_events.clock,
            s.expiry_warning_days.clock,
        ];
        self.clock = clocks.into_iter().fold(self.clock, Hlc::max);
        self.tick(author)
    }

    /// Records that `author` wrote to the vault, under the name it goes by.
    pub fn note_device(&mut self, author: Author<'_>, device_name: &str) {
        let device = Device { name: device_name.to_owned(), last_write_ms: author.clock.now_ms() };
        self.devices.insert(author.device, device);
    }

    pub fn add_entry(&mut self, new: NewEntry, author: Author<'_>) -> EntryId {
        let clock = self.tick(author);
        let mut id = EntryId::random();
        while self.entries.contains_key(&id) {
            id = EntryId::random();
        }
        self.entries.insert(id, Entry::create(id, new, clock));
        id
    }

    /// The entry `id` and the clock for a write to it by `author`. The clock ticks only for an
    /// entry that exists, so a failed write leaves the vault exactly as it was.
    fn entry_to_write(&mut self, id: EntryId, author: Author<'_>) -> Result<(&mut Entry, Hlc), NoSuchEntry> {
        // A tombstone is never written to: writing would put values back in it.
        let Some(entry) = self.entry(id) else { return Err(NoSuchEntry(id)) };
        // The vault's clock is at least every clock inside it in any file we wrote; a file that
        // breaks that (hand-made, or from a buggy writer) must still not make this write older
        // than the entry's own latest one, or it would lose the merge against it.
        self.clock = self.clock.max(entry.modified()).max(entry.favourite.clock);
        let clock = self.tick(author);
        Ok((self.entries.get_mut(&id).expect("checked just above"), clock))
    }

    /// Applies `edit`; returns whether anything changed.
    pub fn edit_entry(&mut self, id: EntryId, edit: EntryEdit, author: Author<'_>) -> Result<bool, EditError> {
        self.editable(id)?;
        let (entry, clock) = self.entry_to_write(id, author)?;
        Ok(entry.apply(edit, clock))
    }

    /// Moves an entry to the trash. It stays in the file (as a tombstone for other laptops, and
    /// so it can be restored).
    pub fn delete_entry(&mut self, id: EntryId, author: Author<'_>) -> Result<(), NoSuchEntry> {
        let (entry, clock) = self.entry_to_write(id, author)?;
        entry.deleted = Stamped::new(true, clock);
        Ok(())
    }

    /// Stars (or un-stars) an entry; returns whether it changed. Not an edit: the entry's
    /// [`Entry::last_edit`] stays, so it neither moves up "recently changed" nor leaves the trash.
    /// An entry handed over may be starred: the star is the receiver's, not one of its values.
    pub fn set_favourite(&mut self, id: EntryId, favourite: bool, author: Author<'_>) -> Result<bool, NoSuchEntry> {
        match self.entry(id) {
            None => return Err(NoSuchEntry(id)),
            Some(entry) if entry.favourite.value == favourite => return Ok(false),
            Some(_) => {}
        }
        let (entry, clock) = self.entry_to_write(id, author)?;
        entry.favourite = Stamped::new(favourite, clock);
        Ok(true)
    }

    /// Deletes an entry in the trash for ever: what is left is a tombstone (see
    /// [`Entry::tombstone`]) that keeps other laptops' copies from bringing it back. Returns
    /// the title it had, for the activity log.
    pub fn purge_entry(&mut self, id: EntryId, author: Author<'_>) -> Result<String, PurgeError> {
        match self.entry(id) {
            None => return Err(PurgeError::NoSuchEntry(NoSuchEntry(id))),
            Some(entry) if !entry.is_deleted() => return Err(PurgeError::NotInTrash(id)),
            Some(_) => {}
        }
        let (entry, clock) = self.entry_to_write(id, author)?;
        let title = std::mem::take(&mut entry.title.value);
        *entry = Entry::tombstone(id, entry.created, clock);
        Ok(title)
    }

    /// Deletes every entry in the trash for ever; returns each one's id and title.
    pub fn empty_trash(&mut self, author: Author<'_>) -> Vec<(EntryId, String)> {
        let ids: Vec<EntryId> = self.trashed_entries().iter().map(|e| e.id).collect();
        ids.into_iter().filter_map(|id| self.purge_entry(id, author).ok().map(|title| (id, title))).collect()
    }

    /// Sets the auto-lock and clipboard timers that travel with the vault, each clamped to its
    /// range ([`Settings::AUTO_LOCK_MINUTES`], [`Settings::CLIPBOARD_CLEAR_SECONDS`]); returns
    /// whether either changed.
    pub fn set_timers(&mut self, auto_lock_minutes: u32, clipboard_clear_seconds: u32, author: Author<'_>) -> bool {
        let auto_lock_minutes = settings::clamp(auto_lock_minutes, &Settings::AUTO_LOCK_MINUTES);
        let clipboard_clear_seconds = settings::clamp(clipboard_clear_seconds, &Settings::CLIPBOARD_CLEAR_SECONDS);
        let changed = self.settings.auto_lock_minutes.value != auto_lock_minutes
            || self.settings.clipboard_clear_seconds.value != clipboard_clear_seconds;
        if changed {
            let clock = self.tick_settings(author);
            if self.settings.auto_lock_minutes.value != auto_lock_minutes {
                self.settings.auto_lock_minutes = Stamped::new(auto_lock_minutes, clock);
            }
            if self.settings.clipboard_clear_seconds.value != clipboard_clear_seconds {
                self.settings.clipboard_clear_seconds = Stamped::new(clipboard_clear_seconds, clock);
            }
        }
        changed
    }

    /// Sets the rotation period (`None`: never due; clamped to [`Settings::ROTATION_DAYS`]), and
    /// the owner's name and company used to spot personal passwords; returns whether anything
    /// changed.
    pub fn set_profile(
        &mut self,
        rotation_days: Option<u32>,
        owner_name: &str,
        company: &str,
        author: Author<'_>,
    ) -> bool {
        let rotation_days = rotation_days.map(|days| settings::clamp(days, &Settings::ROTATION_DAYS));
        let settings = &self.settings;
        let changed = settings.rotation_days.value != rotation_days
            || settings.owner_name.value != owner_name
            || settings.company.value != company;
        if changed {
            let clock = self.tick_settings(author);
            let settings = &mut self.settings;
            if settings.rotation_days.value != rotation_days {
                settings.rotation_days = Stamped::new(rotation_days, clock);
            }
            if settings.owner_name.value != owner_name {
                settings.owner_name = Stamped::new(owner_name.to_owned(), clock);
            }
            if settings.company.value != company {
                settings.company = Stamped::new(company.to_owned(), clock);
            }
        }
        changed
    }

    /// Sets how many days ahead an expiry date is warned of (clamped to
    /// [`Settings::EXPIRY_WARNING_DAYS`]); returns whether it changed.
    pub fn set_expiry_warning_days(&mut self, days: u32, author: Author<'_>) -> bool {
        let days = settings::clamp(days, &Settings::EXPIRY_WARNING_DAYS);
        if self.settings.expiry_warning_days.value == days {
            return false;
        }
        let clock = self.tick_settings(author);
        self.settings.expiry_warning_days = Stamped::new(days, clock);
        true
    }

    /// Records a master password change, so that a merge keeps the newer key wrapping.
    pub fn note_password_change(&mut self, author: Author<'_>) {
        self.password_changed = self.tick(author);
    }

    /// Takes an entry back out of the trash.
    pub fn restore_entry(&mut self, id: EntryId, author: Author<'_>) -> Result<(), NoSuchEntry> {
        let (entry, clock) = self.entry_to_write(id, author)?;
        if entry.is_deleted() {
            entry.deleted = Stamped::new(false, clock);
        }
        Ok(())
    }

    /// Puts an earlier value from the entry's history back; the value it replaces goes into the
    /// history in turn, so nothing is lost either way.
    pub fn restore_history(&mut self, id: EntryId, index: usize, author: Author<'_>) -> Result<bool, EditError> {
        let entry = self.editable(id)?;
        let Some(item) = entry.history.get(index) else { return Ok(false) };
        let value = item.value.clone();
        let mut edit = EntryEdit::default();
        match item.field.as_str() {
            "title" => edit.title = Some(value.expose().to_owned()),
            "username" => edit.username = Some(value.expose().to_owned()),
            "password" => edit.password = Some(value),
            "urls" => edit.urls = Some(value.expose().lines().map(str::to_owned).filter(|l| !l.is_empty()).collect()),
            "notes" => edit.notes = Some(value.expose().to_owned()),
            "totp" => edit.totp = Some(value),
            other => {
                let Some(name) = other.strip_prefix("field:") else { return Ok(false) };
                // A field that was removed comes back hidden: it may hold a secret.
                let hidden = entry.custom_field(name).is_none_or(|(_, f)| f.hidden);
                edit.fields.push((name.to_owned(), Some(CustomField { value, hidden })));
            }
        }
        self.edit_entry(id, edit, author)
    }

    /// Entries in the trash, most recently deleted first.
    pub fn trashed_entries(&self) -> Vec<&Entry> {
        let trash = self.entries.values().filter(|e| e.is_deleted() && !e.is_purged());
        let mut trashed: Vec<&Entry> = trash.collect();
        trashed.sort_by_key(|e| std::cmp::Reverse(e.deleted.clock));
        trashed
    }

    /// Entries not in the trash, in no particular order.
    pub fn live_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().filter(|e| !e.is_deleted())
    }

    /// Entries not in the trash, ordered by name (see [`crate::order::collation_key`]: pinyin
    /// for Han characters, numbers as numbers, case ignored), then title, then id: the order
    /// every listing uses by default, so two equal vaults list the same way.
    pub fn sorted_entries(&self) -> Vec<&Entry> {
        self.entries_by(crate::order::EntrySort::Name)
    }

    /// The entry `id`, in the trash or not; `None` once it is deleted for ever.
    pub fn entry(&self, id: EntryId) -> Option<&Entry> {
        self.entries.get(&id).filter(|e| !e.is_purged())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretText;
    use std::cell::Cell;

    struct StepClock(Cell<u64>);
    impl Clock for StepClock {
        fn now_ms(&self) -> u64 {
            let now = self.0.get();
            self.0.set(now + 1);
            now
        }
    }

    fn author(clock: &StepClock) -> Author<'_> {
        Author { device: DeviceId(7), clock }
    }

    #[test]
    fn edits_keep_old_values_in_history_and_skip_no_op_writes() {
        let clock = StepClock(Cell::new(1_000));
        let mut vault = Vault::new("Work", author(&clock), "laptop");
        let id = vault.add_entry(
            NewEntry { title: "Salesforce".into(), password: "Password1!".into(), ..Default::default() },
            author(&clock),
        );
        let before = vault.entry(id).unwrap().modified();

        let same = EntryEdit { title: Some("Salesforce".into()), ..Default::default() };
        assert!(!vault.edit_entry(id, same, author(&clock)).unwrap());
        assert_eq!(vault.entry(id).unwrap().modified(), before);

        let change = EntryEdit { password: Some(SecretText::new("Password2!")), ..Default::default() };
        assert!(vault.edit_entry(id, change, author(&clock)).unwrap());
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.password.value.expose(), "Password2!");
        assert!(entry.password_changed() > before);
        assert_eq!(entry.history.len(), 1);
        assert_eq!(entry.history[0].field, "password");
        assert_eq!(entry.history[0].value.expose(), "Password1!");
    }

    #[test]
    fn tags_and_custom_fields_can_be_set_and_removed() {
        let clock = StepClock(Cell::new(1));
        let mut vault = Vault::new("Work", author(&clock), "laptop");
        let field = CustomField { value: "E1234".into(), hidden: false };
        let new = NewEntry {
            title: "ERP".into(),
            tags: vec!["erp".into(), "daily".into()],
            fields: vec![("employee id".into(), field)],
            ..Default::default()
        };
        let id = vault.add_entry(new, author(&clock));
        let edit = EntryEdit {
            tags: Some(vec!["daily".into(), "客户".into()]),
            fields: vec![("employee id".into(), None)],
            ..Default::default()
        };
        assert!(vault.edit_entry(id, edit, author(&clock)).unwrap());
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.tags().collect::<Vec<_>>(), ["daily", "客户"]);
        assert_eq!(entry.custom_fields().count(), 0);
        assert_eq!(entry.history.last().unwrap().value.expose(), "E1234");
    }

    #[test]
    fn history_values_can_be_restored_without_losing_the_current_one() {
        let clock = StepClock(Cell::new(1));
        let mut vault = Vault::new("Work", author(&clock), "laptop");
        let new = NewEntry {
            title: "CRM".into(),
            password: "first".into(),
            urls: vec!["https://a".into(), "https://b".into()],
            ..Default::default()
        };
        let id = vault.add_entry(new, author(&clock));
        let edit = EntryEdit { password: Some("second".into()), urls: Some(vec![]), ..Default::default() };
        vault.edit_entry(id, edit, author(&clock)).unwrap();
        let entry = vault.entry(id).unwrap();
        let at = |field: &str| entry.history.iter().position(|h| h.field == field).unwrap();
        let (pw, urls) = (at("password"), at("urls"));
        assert!(vault.restore_history(id, pw, author(&clock)).unwrap());
        assert!(vault.restore_history(id, urls, author(&clock)).unwrap());
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.password.value.expose(), "first");
        assert_eq!(entry.urls.value, ["https://a", "https://b"]);
        assert!(entry.history.iter().any(|h| h.field == "password" && h.value.expose() == "second"));
        assert!(!vault.restore_history(id, 99, author(&clock)).unwrap());
    }

    #[test]
    fn a_write_is_later_than_the_entrys_own_clocks_even_if_the_vault_clock_is_behind() {
        // A file whose vault clock is behind one of its entries (not one we write, but one a
        // fuzzer found): deleting must still win over the entry's latest edit.
        let clock = StepClock(Cell::new(1));
        let mut vault = Vault::new("Work", author(&clock), "laptop");
        let id = vault.add_entry(NewEntry { title: "CRM".into(), ..Default::default() }, author(&clock));
        let future = Hlc { wall_ms: 10_000_000, counter: 0, device: DeviceId(9) };
        vault.entries.get_mut(&id).unwrap().notes = Stamped::new("from the future".into(), future);
        vault.delete_entry(id, author(&clock)).unwrap();
        assert!(vault.entry(id).unwrap().is_deleted());
        assert!(vault.clock > future);

        let later = Hlc { wall_ms: 20_000_000, counter: 0, device: DeviceId(9) };
        vault.settings.company = Stamped::new("Old name".into(), later);
        assert!(vault.set_profile(Some(90), "", "New name", author(&clock)));
        assert!(vault.settings.company.clock > later, "a new setting wins a merge against the old one");
    }

    #[test]
    fn deleted_entries_leave_listings_and_come_back_when_edited() {
        let clock = StepClock(Cell::new(1));
        let mut vault = Vault::new("Work", author(&clock), "laptop");
        let b = vault.add_entry(NewEntry { title: "b".into(), ..Default::default() }, author(&clock));
        let a = vault.add_entry(NewEntry { title: "A".into(), ..Default::default() }, author(&clock));
        let titles = |v: &Vault| v.sorted_entries().iter().map(|e| e.title.value.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&vault), ["A", "b"]);
        vault.delete_entry(a, author(&clock)).unwrap();
        assert_eq!(titles(&vault), ["b"]);
        let edit = EntryEdit { notes: Some("back".into()), ..Default::default() };
        vault.edit_entry(a, edit, author(&clock)).unwrap();
        assert_eq!(titles(&vault), ["A", "b"]);
        vault.delete_entry(b, author(&clock)).unwrap();
        assert_eq!(vault.trashed_entries().len(), 1);
        vault.restore_entry(b, author(&clock)).unwrap();
        assert_eq!(titles(&vault), ["A", "b"]);
        assert!(vault.delete_entry(EntryId::random(), author(&clock)).is_err());
    }
}
