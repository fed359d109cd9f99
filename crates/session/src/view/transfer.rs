//! What the page is shown of an import (the preview before anything changes, then what came in)
//! and of an export.

use serde::Serialize;
use ts_rs::TS;

/// What importing a file would do, shown before the vault is touched. The file as read is held
/// by the session under `token` until the user imports it, reads another file or locks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub token: u32,
    /// Which program wrote the file, in English ("KeePass (KDBX 4.0)", "Bitwarden JSON").
    pub source: String,
    /// Entries the import would add.
    pub arriving: u32,
    /// Entries of the file the vault already has; the import leaves them as they are.
    pub already: Vec<ImportMatch>,
    pub skipped: Vec<SkippedView>,
    /// Secure notes the file holds that were left out: "keep notes" would bring them as entries.
    pub secure_notes: u32,
    /// Whether this preview was read with secure notes kept as entries.
    pub keep_notes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportMatch {
    pub title: String,
    /// The vault's copy is in the trash, and stays there.
    pub in_trash: bool,
}

/// An item (or part of one) left out, and why: typed, so the page says it in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SkippedView {
    pub place: PlaceView,
    pub reason: SkipReasonView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum PlaceView {
    /// A line of a CSV file (1-based).
    Line { line: u32 },
    /// An item by its title, with its group or folder path in front where it has one.
    Item { title: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum SkipReasonView {
    /// A card, an identity, a secure note...: `what` is the source's word for it, in English.
    NotALogin { what: String },
    /// The entry was imported; this attached file was not.
    Attachment { name: String },
    /// No title, URL, user name or password.
    Empty,
    /// The entry was imported without its TOTP setup, which could not be read.
    BadTotp,
    /// A row that cannot be read as one entry; the detail is in English.
    Unreadable { detail: String },
    /// A reason this build does not know yet, in English.
    Other { detail: String },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportDone {
    pub source: String,
    pub added: u32,
    pub already_present: u32,
}

/// An export written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportDone {
    pub path: String,
    /// "kdbx", "csv" or "json".
    #[ts(type = "\"kdbx\" | \"csv\" | \"json\"")]
    pub format: String,
    pub entries: u32,
}

/// The `import-progress` event: how far reading an import file is, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}
