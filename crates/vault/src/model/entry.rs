//! An entry: one account on one system (the CRM, mail, the ERP, a partner portal).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::stamped::Stamped;
use crate::clock::Hlc;
use crate::generate::PasswordRules;
use crate::handover::HandedOver;
use crate::secret::SecretText;

/// How many superseded values an entry keeps. The oldest go first; current values never do.
pub const HISTORY_LIMIT: usize = 100;

/// An entry's stable id, the same on every laptop.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub uuid::Uuid);

impl EntryId {
    pub fn random() -> Self {
        EntryId(uuid::Builder::from_random_bytes(crate::crypto::random_array()).into_uuid())
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryId({})", self.0)
    }
}

impl std::str::FromStr for EntryId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(EntryId)
    }
}

/// A field the user added: recovery email, employee id, a security question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomField {
    pub value: SecretText,
    /// Hidden fields are masked in the app like the password.
    pub hidden: bool,
}

/// One superseded value, kept so it can be seen and restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryItem {
    /// Which field: "title", "password", ... or "field:<name>" for a custom field.
    pub field: String,
    pub value: SecretText,
    /// The clock of the write that had set this value.
    #[serde(rename = "c")]
    pub clock: Hlc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: EntryId,
    pub created: Hlc,
    pub title: Stamped<String>,
    pub username: Stamped<String>,
    pub password: Stamped<SecretText>,
    pub urls: Stamped<Vec<String>>,
    pub notes: Stamped<String>,
    /// An otpauth:// URI.
    pub totp: Stamped<SecretText>,
    /// Each tag ever set, and whether it is on now: concurrent tag edits on two laptops both survive.
    pub tags: BTreeMap<String, Stamped<bool>>,
    /// Custom fields by name; `None` is a removed field, kept so the removal can travel.
    pub fields: BTreeMap<String, Stamped<Option<CustomField>>>,
    /// What the system accepts in a password, so regenerating makes one it takes.
    #[serde(default)]
    pub rules: Stamped<Option<PasswordRules>>,
    /// The day the account or its password expires, as the system's owner set it.
    #[serde(default)]
    pub expires: Stamped<Option<ExpiryDate>>,
    /// Other origins whose login page the login window may fill with this entry (a single sign-on
    /// page), each normalised ("https://sso.example.com"): see [`crate::autofill::settings`].
    /// Left out of the file until first written, so vaults that never use it keep their bytes.
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub also_fill_on: Stamped<Vec<String>>,
    /// The entry's own auto-type sequence, in KeePassXC's syntax; `None` types the default one.
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub autotype_sequence: Stamped<Option<String>>,
    /// Window title patterns (KeePassXC wildcards, or `//regex//`) that auto-type this entry.
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub autotype_windows: Stamped<Vec<String>>,
    /// Starred by the user. Not an edit of the entry: it does not move [`Entry::last_edit`] (so
    /// starring neither counts as "recently changed" nor takes an entry out of the trash), and
    /// has no history. Left out of the file until first written.
    #[serde(default, skip_serializing_if = "Stamped::is_unwritten")]
    pub favourite: Stamped<bool>,
    /// Moved to the trash. An edit with a later clock brings the entry back: see [`Entry::is_deleted`].
    pub deleted: Stamped<bool>,
    /// Deleted for ever, at this clock: the entry is a tombstone with no values and no history
    /// (see [`Entry::tombstone`]), kept so that no other laptop's copy brings it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged: Option<Hlc>,
    /// Superseded values, oldest first (ordered by clock, then field, then value, so that two
    /// merged copies hold it in the same order).
    pub history: Vec<HistoryItem>,
    /// Set on an entry that arrived in a hand-over: whose, until when. Such an entry is not
    /// edited, and leaves the vault at the expiry (see [`crate::handover`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<HandedOver>,
}

/// The fields of a new entry.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub title: String,
    pub username: String,
    pub password: SecretText,
    pub urls: Vec<String>,
    pub notes: String,
    pub totp: SecretText,
    pub tags: Vec<String>,
    pub fields: Vec<(String, CustomField)>,
    pub rules: Option<PasswordRules>,
    pub expires: Option<ExpiryDate>,
    /// Normalised origins: see [`crate::autofill::settings::also_fill_on`].
    pub also_fill_on: Vec<String>,
    /// Checked with [`crate::autofill::settings::autotype_sequence`].
    pub autotype_sequence: Option<String>,
    /// Checked with [`crate::autofill::settings::autotype_windows`].
    pub autotype_windows: Vec<String>,
}

/// A change to an entry; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EntryEdit {
    pub title: Option<String>,
    pub username: Option<String>,
    pub password: Option<SecretText>,
    pub urls: Option<Vec<String>>,
    pub notes: Option<String>,
    pub totp: Option<SecretText>,
    /// Replaces the whole set of tags.
    pub tags: Option<Vec<String>>,
    /// Sets (`Some`) or removes (`None`) custom fields by name.
    pub fields: Vec<(String, Option<CustomField>)>,
    /// `Some(None)` forgets the system's rules.
    pub rules: Option<Option<PasswordRules>>,
    /// `Some(None)` clears the expiry date.
    pub expires: Option<Option<ExpiryDate>>,
    /// Replaces the whole list; `Some(vec![])` clears it.
    pub also_fill_on: Option<Vec<String>>,
    /// `Some(None)` goes back to the default sequence.
    pub autotype_sequence: Option<Option<String>>,
    /// Replaces the whole list; `Some(vec![])` clears it.
    pub autotype_windows: Option<Vec<String>>,
}

/// A calendar day, written "2026-12-31". An entry expires at the end of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExpiryDate(pub chrono::NaiveDate);

impl std::str::FromStr for ExpiryDate {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map(ExpiryDate)
    }
}

impl fmt::Display for ExpiryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for ExpiryDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ExpiryDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Entry {
    pub(crate) fn create(id: EntryId, new: NewEntry, clock: Hlc) -> Entry {
        Entry {
            id,
            created: clock,
            title: Stamped::new(new.title, clock),
            username: Stamped::new(new.username, clock),
            password: Stamped::new(new.password, clock),
            urls: Stamped::new(new.urls, clock),
            notes: Stamped::new(new.notes, clock),
            totp: Stamped::new(new.totp, clock),
            tags: new.tags.into_iter().map(|t| (t, Stamped::new(true, clock))).collect(),
            fields: new.fields.into_iter().map(|(n, f)| (n, Stamped::new(Some(f), clock))).collect(),
            rules: Stamped::new(new.rules, clock),
            expires: Stamped::new(new.expires, clock),
            also_fill_on: stamped_if_set(new.also_fill_on, clock),
            autotype_sequence: stamped_if_set(new.autotype_sequence, clock),
            autotype_windows: stamped_if_set(new.autotype_windows, clock),
            favourite: Stamped::default(),
            deleted: Stamped::new(false, clock),
            purged: None,
            history: Vec::new(),
            handed_over: None,
        }
    }

    /// What is left of entry `id` after it was deleted for ever at `clock`: its id, when it was
    /// made, and the purge. Every value, tag, field and earlier value is gone, so the secrets
    /// leave the file at the next save; every stamp is the zero clock, so the tombstone is the
    /// same whichever laptop made it.
    pub(crate) fn tombstone(id: EntryId, created: Hlc, clock: Hlc) -> Entry {
        Entry {
            id,
            created,
            title: Stamped::default(),
            username: Stamped::default(),
            password: Stamped::default(),
            urls: Stamped::default(),
            notes: Stamped::default(),
            totp: Stamped::default(),
            tags: BTreeMap::new(),
            fields: BTreeMap::new(),
            rules: Stamped::default(),
            expires: Stamped::default(),
            also_fill_on: Stamped::default(),
            autotype_sequence: Stamped::default(),
            autotype_windows: Stamped::default(),
            favourite: Stamped::default(),
            deleted: Stamped::new(true, clock),
            purged: Some(clock),
            history: Vec::new(),
            handed_over: None,
        }
    }

    /// Deleted for ever: a tombstone, never shown or listed, not even in the trash.
    pub fn is_purged(&self) -> bool {
        self.purged.is_some()
    }

    /// Applies `edit` at `clock`. Returns whether anything changed; unchanged fields keep their
    /// clocks, so saving the same value twice is not an edit that could win a merge.
    pub(super) fn apply(&mut self, edit: EntryEdit, clock: Hlc) -> bool {
        let mut changed = false;
        let history = &mut self.history;
        changed |= set_text(&mut self.title, edit.title, clock, "title", history);
        changed |= set_text(&mut self.username, edit.username, clock, "username", history);
        changed |= set_text(&mut self.notes, edit.notes, clock, "notes", history);
        changed |= set_field(&mut self.password, edit.password, clock, "password", history, |v| v.clone());
        changed |= set_field(&mut self.totp, edit.totp, clock, "totp", history, |v| v.clone());
        changed |= set_field(&mut self.urls, edit.urls, clock, "urls", history, |v| SecretText::new(v.join("\n")));
        if let Some(tags) = edit.tags {
            for (name, on) in self.tags.iter_mut() {
                let wanted = tags.contains(name);
                if on.value != wanted {
                    *on = Stamped::new(wanted, clock);
                    changed = true;
                }
            }
            for name in tags {
                if let std::collections::btree_map::Entry::Vacant(slot) = self.tags.entry(name) {
                    slot.insert(Stamped::new(true, clock));
                    changed = true;
                }
            }
        }
        changed |= set_meta(&mut self.rules, edit.rules, clock);
        changed |= set_meta(&mut self.expires, edit.expires, clock);
        changed |= set_meta(&mut self.also_fill_on, edit.also_fill_on, clock);
        changed |= set_meta(&mut self.autotype_sequence, edit.autotype_sequence, clock);
        changed |= set_meta(&mut self.autotype_windows, edit.autotype_windows, clock);
        for (name, field) in edit.fields {
            // Field names are matched ignoring case, as `show --field` and the app look them up.
            let existing = self.fields.keys().find(|k| k.to_lowercase() == name.to_lowercase()).cloned();
            match existing.and_then(|key| self.fields.get_mut(&key).map(|slot| (key, slot))) {
                Some((key, current)) => {
                    let label = format!("field:{key}");
                    changed |= set_field(current, Some(field), clock, &label, history, |v| {
                        v.as_ref().map(|f| f.value.clone()).unwrap_or_default()
                    });
                }
                None if field.is_some() => {
                    self.fields.insert(name, Stamped::new(field, clock));
                    changed = true;
                }
                None => {}
            }
        }
        if changed && self.deleted.value {
            // Editing an entry in the trash is taken as wanting it back.
            self.deleted = Stamped::new(false, clock);
        }
        normalize_history(history);
        changed
    }

    /// In the trash: deleted, and not written to since. The second half matters after a merge:
    /// a laptop that edited the entry without knowing it had been deleted elsewhere wants it,
    /// and the stored `deleted` stamp (last writer wins) cannot say so on its own. Computed
    /// from the stamps, so it is the same whichever order copies were merged in.
    pub fn is_deleted(&self) -> bool {
        self.is_purged() || (self.deleted.value && self.deleted.clock >= self.last_edit())
    }

    /// The tags that are on, in order.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().filter(|(_, on)| on.value).map(|(name, _)| name.as_str())
    }

    /// The custom field called `name`, ignoring case.
    pub fn custom_field(&self, name: &str) -> Option<(&str, &CustomField)> {
        let wanted = name.to_lowercase();
        self.custom_fields().find(|(n, _)| n.to_lowercase() == wanted)
    }

    /// Custom fields that exist now, by name.
    pub fn custom_fields(&self) -> impl Iterator<Item = (&str, &CustomField)> {
        self.fields.iter().filter_map(|(name, f)| f.value.as_ref().map(|f| (name.as_str(), f)))
    }

    /// The latest write to any field of the entry, deletion and restoring included.
    pub fn modified(&self) -> Hlc {
        self.last_edit().max(self.deleted.clock)
    }

    /// The latest write to the entry's contents (creation, any field, tag or custom field).
    pub fn last_edit(&self) -> Hlc {
        let mut latest = self.created;
        for clock in [
            self.title.clock,
            self.username.clock,
            self.password.clock,
            self.urls.clock,
            self.notes.clock,
            self.totp.clock,
            self.rules.clock,
            self.expires.clock,
            self.also_fill_on.clock,
            self.autotype_sequence.clock,
            self.autotype_windows.clock,
        ] {
            latest = latest.max(clock);
        }
        let tag_clocks = self.tags.values().map(|t| t.clock);
        let field_clocks = self.fields.values().map(|f| f.clock);
        tag_clocks.chain(field_clocks).fold(latest, Hlc::max)
    }

    pub fn password_changed(&self) -> Hlc {
        self.password.clock
    }

    /// The first URL, the one "open URL" uses.
    pub fn url(&self) -> &str {
        self.urls.value.first().map(String::as_str).unwrap_or("")
    }
}

/// A member added after format version 3, as a new entry gets it: left unwritten when empty, so
/// new entries that do not use it keep the file readable by versions that do not know it.
fn stamped_if_set<T: Default + PartialEq>(value: T, clock: Hlc) -> Stamped<T> {
    if value == T::default() { Stamped::default() } else { Stamped::new(value, clock) }
}

fn set_text(
    slot: &mut Stamped<String>,
    new: Option<String>,
    clock: Hlc,
    name: &str,
    history: &mut Vec<HistoryItem>,
) -> bool {
    set_field(slot, new, clock, name, history, |v| SecretText::new(v.as_str()))
}

/// Replaces a field's value if it differs, keeping the old one in the history.
fn set_field<T: PartialEq>(
    slot: &mut Stamped<T>,
    new: Option<T>,
    clock: Hlc,
    name: &str,
    history: &mut Vec<HistoryItem>,
    as_text: impl Fn(&T) -> SecretText,
) -> bool {
    match new {
        Some(value) if value != slot.value => {
            history.push(HistoryItem { field: name.to_owned(), value: as_text(&slot.value), clock: slot.clock });
            *slot = Stamped::new(value, clock);
            true
        }
        _ => false,
    }
}

/// Sets a field that has no history: rules, dates and autofill settings are settings of the
/// entry, not secrets anyone needs back.
fn set_meta<T: PartialEq>(slot: &mut Stamped<T>, new: Option<T>, clock: Hlc) -> bool {
    match new {
        Some(value) if value != slot.value => {
            *slot = Stamped::new(value, clock);
            true
        }
        _ => false,
    }
}

/// Puts a history in its one canonical form: ordered by (clock, field, value), without
/// duplicates, the oldest beyond [`HISTORY_LIMIT`] dropped. Local edits and merges both end
/// here, so equal knowledge gives equal vaults, byte for byte.
pub(crate) fn normalize_history(history: &mut Vec<HistoryItem>) {
    history.sort_by(|a, b| history_order(a).cmp(&history_order(b)));
    history.dedup_by(|a, b| history_order(a) == history_order(b));
    if history.len() > HISTORY_LIMIT {
        let excess = history.len() - HISTORY_LIMIT;
        history.drain(..excess);
    }
}

fn history_order(item: &HistoryItem) -> (Hlc, &str, &str) {
    (item.clock, item.field.as_str(), item.value.expose())
}
