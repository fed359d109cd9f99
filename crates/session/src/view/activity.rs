//! The activity log as the page sees it: events in plain data (the page words the kind and the
//! time in the user's language), the filter it sends, and the notices shown after an unlock.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One event of the log. Never a secret: `detail` names a field, an origin, a window, a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityEvent {
    /// The event's id (16 hex digits), for the page's keyed lists.
    pub id: String,
    /// Milliseconds since the epoch, by the clock of the laptop where it happened.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// The kind's name (`unlock-failed`); see [`vault::activity::EventKind::name`].
    pub kind: String,
    /// The laptop's name in the vault.
    pub device: String,
    pub device_id: String,
    /// The entry it was about, if any (it may since have been deleted for good).
    pub entry_id: Option<String>,
    /// The entry's title now, or the one it had then if it is gone; empty without an entry.
    pub title: String,
    pub detail: String,
    /// Whether it happened on this laptop.
    pub this_device: bool,
}

/// Which events to list; empty or `null` members admit all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ActivityFilter {
    pub entry_id: Option<String>,
    /// Kind names (`copy`, `unlock-failed`).
    pub kinds: Vec<String>,
    pub device_id: Option<String>,
    /// From this time on (ms since the epoch, inclusive).
    #[ts(type = "number | null")]
    pub since_ms: Option<u64>,
    /// Before this time (ms since the epoch, exclusive).
    #[ts(type = "number | null")]
    pub until_ms: Option<u64>,
}

/// The answer to a listing: the newest events that match, at most [`ActivityPage::limit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityPage {
    pub events: Vec<ActivityEvent>,
    /// Whether more events matched than were sent.
    pub more: bool,
    pub limit: u32,
}

/// A laptop that appears in the log, for the device filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityDevice {
    pub id: String,
    pub name: String,
    pub this_device: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum UnlockNoticeKind {
    /// Wrong master passwords or PINs on a laptop since this one last unlocked.
    FailedAttempts,
    /// A laptop the vault had not seen unlocked it.
    NewDevice,
}

/// Something the user should look at after an unlock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnlockNotice {
    pub kind: UnlockNoticeKind,
    pub device: String,
    pub device_id: String,
    /// How many failed attempts (1 for a new device).
    pub count: u32,
    /// The last failed attempt, or the new device's unlock.
    #[ts(type = "number")]
    pub at_ms: u64,
}
