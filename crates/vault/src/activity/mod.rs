//! The activity log: what was done with the vault, on which laptop, when. IT and team leads read
//! it to see who used an account and to spot someone trying to get in.
//!
//! It lives inside the encrypted vault and travels with it. Events are never edited, only added,
//! each with a random id: two copies merge by taking the union, so the log cannot conflict and
//! merging stays commutative, associative and idempotent. It is bounded: merge keeps the newest
//! [`Settings::activity_keep_events`] events, and a save drops those older than
//! [`Settings::activity_keep_days`].
//!
//! An event never holds a secret value: only which field was copied, which fields were edited,
//! which origin was filled. Titles are kept so that an entry deleted for good can still be named.

mod notices;
mod pending;

pub use notices::{Notice, notices};
pub use pending::{FailedUnlock, MAX_PENDING, PendingFailures};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

use crate::clock::DeviceId;
use crate::model::{Author, EntryId, Settings, Vault};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// A random id: two laptops never make the same one, so the union of two logs has no duplicates.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EventId(pub u64);

impl EventId {
    pub fn random() -> Self {
        EventId(crate::crypto::random_u64())
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({self})")
    }
}

impl Serialize for EventId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The same 16 hex digits as a device id.
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let device: DeviceId = text.parse().map_err(serde::de::Error::custom)?;
        Ok(EventId(device.0))
    }
}

/// What happened. The `detail` of an [`Event`] says more, per kind (never a secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum EventKind {
    /// Detail: how (`password`, `quick-unlock`, `command-line`).
    Unlock,
    /// A wrong master password or PIN. Detail: `password` or `pin`.
    UnlockFailed,
    /// A secret shown on screen. Detail: the field (`password`, `totp`, `field:NAME`).
    Reveal,
    /// Detail: the field copied (`username`, `password`, `totp`, `field:NAME`).
    Copy,
    /// A login page filled. Detail: the page's origin.
    Autofill,
    /// Keystrokes typed into another window. Detail: that window's title.
    Autotype,
    EntryCreated,
    /// Detail: the fields that changed, comma-separated (names, never values).
    EntryEdited,
    EntryDeleted,
    EntryRestored,
    /// Deleted for ever from the trash: the event keeps the title, the vault no longer does.
    EntryPurged,
    /// Detail: the format and how many entries came in.
    Import,
    /// Detail: the format and how many entries went out.
    Export,
    /// Changes taken in from another laptop's save or a copy. Detail: from where, and how many.
    Merge,
    PasswordChanged,
    /// Detail: the settings that changed (names, never values of secrets).
    SettingsChanged,
    /// Detail: to whom, until when, how many entries.
    HandoverMade,
    /// Detail: from whom, until when.
    HandoverReceived,
    /// Detail: from whom.
    HandoverExpired,
    /// Detail: the time of the version put back.
    BackupRestored,
}

impl EventKind {
    pub const ALL: [EventKind; 20] = [
        EventKind::Unlock,
        EventKind::UnlockFailed,
        EventKind::Reveal,
        EventKind::Copy,
        EventKind::Autofill,
        EventKind::Autotype,
        EventKind::EntryCreated,
        EventKind::EntryEdited,
        EventKind::EntryDeleted,
        EventKind::EntryRestored,
        EventKind::EntryPurged,
        EventKind::Import,
        EventKind::Export,
        EventKind::Merge,
        EventKind::PasswordChanged,
        EventKind::SettingsChanged,
        EventKind::HandoverMade,
        EventKind::HandoverReceived,
        EventKind::HandoverExpired,
        EventKind::BackupRestored,
    ];

    /// The kind's name as the file, the CLI and the page spell it (`unlock-failed`).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Unlock => "unlock",
            EventKind::UnlockFailed => "unlock-failed",
            EventKind::Reveal => "reveal",
            EventKind::Copy => "copy",
            EventKind::Autofill => "autofill",
            EventKind::Autotype => "autotype",
            EventKind::EntryCreated => "entry-created",
            EventKind::EntryEdited => "entry-edited",
            EventKind::EntryDeleted => "entry-deleted",
            EventKind::EntryRestored => "entry-restored",
            EventKind::EntryPurged => "entry-purged",
            EventKind::Import => "import",
            EventKind::Export => "export",
            EventKind::Merge => "merge",
            EventKind::PasswordChanged => "password-changed",
            EventKind::SettingsChanged => "settings-changed",
            EventKind::HandoverMade => "handover-made",
            EventKind::HandoverReceived => "handover-received",
            EventKind::HandoverExpired => "handover-expired",
            EventKind::BackupRestored => "backup-restored",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an event kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no kind of activity is called {0:?}")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for EventKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_lowercase().replace('_', "-");
        EventKind::ALL.into_iter().find(|k| k.name() == wanted).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// One thing done with the vault.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    // Members in this order so that the derived order is time first: pruning and listing rely on it.
    /// Milliseconds since the epoch, by the clock of the laptop where it happened.
    pub at_ms: u64,
    pub id: EventId,
    pub device: DeviceId,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryId>,
    /// The entry's title when it happened.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// More about it, by kind (see [`EventKind`]); never a secret value.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Event {
    /// An event happening now on `author`'s laptop.
    pub fn new(kind: EventKind, author: Author<'_>) -> Event {
        Event::at(kind, author.clock.now_ms(), author.device)
    }

    pub fn at(kind: EventKind, at_ms: u64, device: DeviceId) -> Event {
        Event { at_ms, id: EventId::random(), device, kind, entry: None, title: String::new(), detail: String::new() }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Event {
        self.detail = detail.into();
        self
    }
}

/// The log: events by time, then id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Log {
    events: BTreeMap<(u64, EventId), Event>,
}

impl Log {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator {
        self.events.values()
    }

    /// Adds an event. Of two events with the same time and id (only a forged file makes them),
    /// the greater is kept, so the outcome does not depend on the order they came in.
    pub fn add(&mut self, event: Event) {
        let key = (event.at_ms, event.id);
        match self.events.get(&key) {
            Some(kept) if *kept >= event => {}
            _ => {
                self.events.insert(key, event);
            }
        }
    }

    /// The union of two logs, cut to the newest `keep` events.
    pub fn merged(a: &Log, b: &Log, keep: usize) -> Log {
        let (mut out, other) = if a.len() >= b.len() { (a.clone(), b) } else { (b.clone(), a) };
        for event in other.iter() {
            out.add(event.clone());
        }
        out.keep_newest(keep);
        out
    }

    fn keep_newest(&mut self, keep: usize) {
        while self.events.len() > keep {
            self.events.pop_first();
        }
    }

    /// Drops events older than `days` before `now_ms`, then all but the newest `keep`.
    pub fn prune(&mut self, now_ms: u64, days: u32, keep: usize) {
        let oldest_kept = now_ms.saturating_sub(u64::from(days) * DAY_MS);
        self.events = self.events.split_off(&(oldest_kept, EventId(0)));
        self.keep_newest(keep);
    }

    /// Events that pass `filter`, newest first.
    pub fn query<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = &'a Event> + 'a {
        let from = (filter.since_ms.unwrap_or(0), EventId(0));
        self.events.range(from..).rev().map(|(_, e)| e).filter(|e| filter.admits(e))
    }
}

impl Serialize for Log {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.events.values())
    }
}

impl<'de> Deserialize<'de> for Log {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut log = Log::default();
        for event in Vec::<Event>::deserialize(deserializer)? {
            log.add(event);
        }
        Ok(log)
    }
}

/// Which events to list; `None` admits all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub since_ms: Option<u64>,
    pub until_ms: Option<u64>,
    pub entry: Option<EntryId>,
    pub kinds: Vec<EventKind>,
    pub device: Option<DeviceId>,
}

impl Filter {
    pub fn admits(&self, event: &Event) -> bool {
        self.since_ms.is_none_or(|t| event.at_ms >= t)
            && self.until_ms.is_none_or(|t| event.at_ms < t)
            && self.entry.is_none_or(|id| event.entry == Some(id))
            && (self.kinds.is_empty() || self.kinds.contains(&event.kind))
            && self.device.is_none_or(|d| event.device == d)
    }
}

impl Vault {
    /// Records `event`. An event about an entry takes the entry's title of the moment.
    pub fn record(&mut self, mut event: Event) {
        if let Some(id) = event.entry
            && event.title.is_empty()
            && let Some(entry) = self.entry(id)
        {
            event.title = entry.title.value.clone();
        }
        self.activity.add(event);
        self.activity.keep_newest(self.settings.activity_keep_events() as usize);
    }

    /// Records that `kind` happened to entry `entry`, now, on `author`'s laptop.
    pub fn record_for(&mut self, kind: EventKind, entry: EntryId, detail: impl Into<String>, author: Author<'_>) {
        let mut event = Event::new(kind, author).detail(detail);
        event.entry = Some(entry);
        self.record(event);
    }

    /// Drops the events the vault's settings no longer keep (older than its days, beyond its
    /// count); a save calls it.
    pub fn prune_activity(&mut self, now_ms: u64) {
        let (days, keep) = (self.settings.activity_keep_days(), self.settings.activity_keep_events());
        self.activity.prune(now_ms, days, keep as usize);
    }

    /// The title to show for an event: the entry's title now, or the one it had then if the
    /// entry is gone.
    pub fn event_title<'a>(&'a self, event: &'a Event) -> &'a str {
        event.entry.and_then(|id| self.entry(id)).map_or(event.title.as_str(), |e| e.title.value.as_str())
    }

    /// Sets how long the log keeps events (each clamped to its range); returns whether either
    /// changed.
    pub fn set_activity_retention(&mut self, days: u32, events: u32, author: Author<'_>) -> bool {
        let days = days.clamp(*Settings::ACTIVITY_KEEP_DAYS.start(), *Settings::ACTIVITY_KEEP_DAYS.end());
        let events = events.clamp(*Settings::ACTIVITY_KEEP_EVENTS.start(), *Settings::ACTIVITY_KEEP_EVENTS.end());
        let s = &self.settings;
        if s.activity_keep_days() == days && s.activity_keep_events() == events {
            return false;
        }
        let clock = self.tick_settings(author);
        if self.settings.activity_keep_days() != days {
            self.settings.activity_keep_days = crate::model::Stamped::new(Some(days), clock);
        }
        if self.settings.activity_keep_events() != events {
            self.settings.activity_keep_events = crate::model::Stamped::new(Some(events), clock);
        }
        self.activity.keep_newest(events as usize);
        true
    }

    /// The name a laptop goes by in this vault, or its id if it never wrote to it.
    pub fn device_name(&self, device: DeviceId) -> String {
        self.devices.get(&device).map_or_else(|| device.to_string(), |d| d.name.clone())
    }
}

impl Settings {
    pub const ACTIVITY_KEEP_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
    pub const ACTIVITY_KEEP_EVENTS: std::ops::RangeInclusive<u32> = 100..=200_000;
    pub const DEFAULT_ACTIVITY_KEEP_DAYS: u32 = 365;
    pub const DEFAULT_ACTIVITY_KEEP_EVENTS: u32 = 20_000;

    /// How many days of activity the vault keeps.
    pub fn activity_keep_days(&self) -> u32 {
        let range = Self::ACTIVITY_KEEP_DAYS;
        self.activity_keep_days.value.unwrap_or(Self::DEFAULT_ACTIVITY_KEEP_DAYS).clamp(*range.start(), *range.end())
    }

    /// How many events the vault keeps at most.
    pub fn activity_keep_events(&self) -> u32 {
        let range = Self::ACTIVITY_KEEP_EVENTS;
        self.activity_keep_events
            .value
            .unwrap_or(Self::DEFAULT_ACTIVITY_KEEP_EVENTS)
            .clamp(*range.start(), *range.end())
    }
}

#[cfg(test)]
mod tests;
