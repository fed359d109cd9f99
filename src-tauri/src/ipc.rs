//! What crosses between Rust and the page. Each type here is exported to TypeScript
//! (`ui/src/lib/ipc/bindings/`) by ts-rs; CI fails if the checked-in files are stale.
//! Nothing here holds a key; a password appears only in `reveal`'s answer, when the user asked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Stage {
    Setup,
    Locked,
    Unlocked,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppState {
    pub stage: Stage,
    pub vault_path: Option<String>,
    pub default_vault_path: String,
    pub vault_name: Option<String>,
    pub failed_attempts: u32,
    pub quick_unlock: QuickUnlockStatus,
    pub settings: Settings,
    pub entry_count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuickUnlockStatus {
    pub available: bool,
    /// Why it is unavailable, as an error code ("no-keyring").
    pub reason: Option<String>,
    pub enabled: bool,
    /// Milliseconds since the epoch.
    #[ts(type = "number | null")]
    pub until: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Settings {
    pub auto_lock_minutes: u32,
    pub clipboard_clear_seconds: u32,
    #[ts(type = "\"system\" | \"en\" | \"zh-CN\"")]
    pub language: String,
    #[ts(type = "\"system\" | \"light\" | \"dark\"")]
    pub theme: String,
    pub lock_on_minimise: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntrySummary {
    pub id: String,
    pub title: String,
    pub username: String,
    pub url: String,
    pub tags: Vec<String>,
    #[ts(type = "number")]
    pub modified: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryDetail {
    pub id: String,
    pub title: String,
    pub username: String,
    pub urls: Vec<String>,
    pub notes: String,
    pub tags: Vec<String>,
    pub has_password: bool,
    pub has_totp: bool,
    pub fields: Vec<FieldView>,
    pub history: Vec<HistoryView>,
    #[ts(type = "number")]
    pub created: u64,
    #[ts(type = "number")]
    pub modified: u64,
    #[ts(type = "number")]
    pub password_changed: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldView {
    pub name: String,
    /// `None` for a hidden field: the page asks `reveal` when the user wants to see it.
    pub value: Option<String>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryView {
    pub index: u32,
    pub field: String,
    #[ts(type = "number")]
    pub changed: u64,
    pub device: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryDraft {
    pub title: String,
    pub username: String,
    /// `None` leaves the password as it is.
    pub password: Option<String>,
    pub urls: Vec<String>,
    pub notes: String,
    pub tags: Vec<String>,
    pub fields: Vec<DraftField>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DraftField {
    pub name: String,
    /// `None` keeps the current (hidden) value, which the page never received.
    pub value: Option<String>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Strength {
    pub score: u8,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GeneratorOptions {
    pub length: u32,
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KdfChoice {
    pub memory_mib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KdfCost {
    pub choice: KdfChoice,
    #[ts(type = "number")]
    pub millis: u64,
}

/// Payload of the `vault-locked` event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockedEvent {
    #[ts(type = "\"idle\" | \"screen\" | \"minimise\" | \"tray\" | \"user\"")]
    pub reason: String,
}
