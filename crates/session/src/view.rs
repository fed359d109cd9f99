//! What crosses between Rust and the page. Each type here is exported to TypeScript
//! (`ui/src/lib/ipc/bindings/`) by ts-rs; CI fails if the checked-in files are stale.
//! Nothing here holds a key; a password appears only in `reveal`'s answer, when the user asked.
//!
//! Every password or other secret that crosses (typed in the editor, generated, checked) is held
//! in a [`SecretText`]: wiped from memory when dropped, and `Debug` prints a placeholder, so a
//! `{:?}` in a log line or a panic message cannot show it. On the wire it is a plain string
//! (`#[ts(type = "string")]`), as the page sends and shows it.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;
use vault::SecretText;

use crate::error::ErrorCode;

mod autofill;
pub use autofill::*;
mod company;
pub use company::*;
mod activity;
pub use activity::*;
mod transfer;
pub use transfer::*;

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
    /// Live entries whose password is due for a change (older than the rotation period, or
    /// past the entry's expiry date); 0 while locked.
    pub rotation_due: u32,
    /// This device's copy of the Have I Been Pwned password list, if one was chosen.
    pub hibp_file: Option<String>,
    /// Live entries whose expiry date is within the vault's warning period, soonest first (the
    /// report's `expiring`), for the notice after unlock; empty while locked.
    pub expiring: Vec<ExpiringView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuickUnlockStatus {
    pub available: bool,
    /// Why it is unavailable ("no-keyring").
    pub reason: Option<ErrorCode>,
    pub enabled: bool,
    /// Milliseconds since the epoch.
    #[ts(type = "number | null")]
    pub until: Option<u64>,
    /// PIN attempts left before the master password is needed (known once the keyring was read).
    pub attempts_left: Option<u8>,
    /// The longest period quick unlock can be turned on for, in hours (7 days).
    pub max_hours: u32,
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
    /// Close the login windows when the vault locks (they stop being filled either way).
    pub close_logins_on_lock: bool,
    /// Auto-type's global shortcut, as "Ctrl+Alt+A".
    pub autotype_shortcut: String,
    /// Auto-type's pause after each key, in milliseconds.
    pub autotype_key_delay_ms: u32,
    /// Days after which a password is due for a change; `None` turns the reminder off.
    pub rotation_days: Option<u32>,
    /// The vault owner's name and company: passwords made of them are flagged as personal.
    pub owner_name: String,
    pub company: String,
    /// How long the vault's activity log keeps events, in days and events; 0 sent by the page
    /// leaves the setting as it is.
    #[serde(default)]
    pub activity_keep_days: u32,
    #[serde(default)]
    pub activity_keep_events: u32,
    /// Days ahead of an entry's expiry date that it is warned of; 0: never.
    pub expiry_warning_days: u32,
    /// How this laptop orders the entry list (`list_entries` without a sort uses it).
    #[serde(default)]
    pub list_sort: ListSort,
    /// How tightly this laptop's entry list is set.
    #[serde(default)]
    pub list_density: ListDensity,
}

/// The entry list's order: by name (pinyin for Chinese, numbers as numbers), most recently used
/// first, most recently changed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ListSort {
    #[default]
    Name,
    Used,
    Changed,
}

impl ListSort {
    pub fn entry_sort(self) -> vault::order::EntrySort {
        match self {
            ListSort::Name => vault::order::EntrySort::Name,
            ListSort::Used => vault::order::EntrySort::RecentlyUsed,
            ListSort::Changed => vault::order::EntrySort::RecentlyChanged,
        }
    }
}

/// The entry list's rows: comfortable (two lines) or compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ListDensity {
    #[default]
    Comfortable,
    Compact,
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
    /// When the entry's contents last changed (ms since the epoch): an edit, moving to the trash
    /// or back. Starring is not a change.
    #[ts(type = "number")]
    pub modified: u64,
    /// Starred by the user.
    pub favourite: bool,
    /// When it was last copied from, revealed, used to fill a login page or auto-typed (ms since
    /// the epoch), as far as the vault's activity log remembers; null: not used since.
    #[ts(type = "number | null")]
    pub last_used: Option<u64>,
    /// When it went to the trash (ms since the epoch); null for an entry not in the trash.
    #[ts(type = "number | null")]
    pub deleted: Option<u64>,
    /// Set on an entry that arrived in a hand-over.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub handed_over: Option<HandedOverView>,
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
    pub rules: Option<RulesView>,
    /// "YYYY-MM-DD".
    pub expires: Option<String>,
    /// Other sites the login window may fill with this entry, as origins ("https://sso.example.com").
    pub also_fill_on: Vec<String>,
    /// The entry's own auto-type sequence; `None` types the default one.
    pub autotype_sequence: Option<String>,
    /// Window title patterns that pick this entry for auto-type.
    pub autotype_windows: Vec<String>,
    pub fields: Vec<FieldView>,
    pub history: Vec<HistoryView>,
    /// Where and when each field last changed.
    pub changes: Vec<FieldChange>,
    #[ts(type = "number")]
    pub created: u64,
    #[ts(type = "number")]
    pub modified: u64,
    #[ts(type = "number")]
    pub password_changed: u64,
    /// Set on an entry that arrived in a hand-over: it cannot be edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub handed_over: Option<HandedOverView>,
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

/// The last write to one field: "password", "username", ... or "field:<name>".
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "number")]
    pub changed: u64,
    /// The laptop that wrote it.
    pub device: String,
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
    #[ts(type = "string | null")]
    pub password: Option<SecretText>,
    pub urls: Vec<String>,
    pub notes: String,
    pub tags: Vec<String>,
    pub fields: Vec<DraftField>,
    /// The system's password rules as the editor shows them; `None` for none.
    #[serde(default)]
    pub rules: Option<RulesView>,
    /// "YYYY-MM-DD", or `None` for no expiry date.
    #[serde(default)]
    pub expires: Option<String>,
    /// Sites (or origins) the login window may also fill; blanks are dropped.
    #[serde(default)]
    pub also_fill_on: Vec<String>,
    /// An auto-type sequence; `None` or blank for the default.
    #[serde(default)]
    pub autotype_sequence: Option<String>,
    /// Window title patterns; blanks are dropped.
    #[serde(default)]
    pub autotype_windows: Vec<String>,
    #[serde(default)]
    pub totp: TotpDraft,
}

/// What saving does with the entry's TOTP setup. A new setup is first read by `parse_totp` or
/// an import, which keep it in Rust and answer with a token; the draft names the token, so a
/// secret read from a QR code never passes through the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "action", rename_all = "lowercase")]
#[ts(export)]
pub enum TotpDraft {
    #[default]
    Keep,
    Remove,
    Set {
        token: u32,
    },
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DraftField {
    pub name: String,
    /// `None` keeps the current (hidden) value, which the page never received.
    #[ts(type = "string | null")]
    pub value: Option<SecretText>,
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For a mistake in a text the user typed (an auto-type sequence): the character it is at,
    /// counted from 1, so the page can point at it in the user's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Strength {
    pub score: u8,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum GeneratorKind {
    Characters,
    Passphrase,
}

/// Both kinds' options, so switching kinds in the editor keeps the other's choices; the whole
/// set is remembered per device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GeneratorOptions {
    pub kind: GeneratorKind,
    pub length: u32,
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
    /// The symbols to use when `symbols` is on.
    pub symbol_set: String,
    pub exclude_similar: bool,
    pub words: u32,
    pub separator: String,
    pub capitalise: bool,
    pub add_digit: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Generated {
    #[ts(type = "string")]
    pub password: SecretText,
    pub entropy_bits: f64,
}

/// A system's password policy, as `vault::generate::PasswordRules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesView {
    pub min_length: u16,
    pub max_length: u16,
    /// The symbols the system accepts; empty if none.
    pub symbols: String,
    pub required: RequiredKinds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequiredKinds {
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
}

/// One way a password breaks its entry's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum RuleBreakView {
    TooShort { min: u16 },
    TooLong { max: u16 },
    MissingLower,
    MissingUpper,
    MissingDigit,
    MissingSymbol,
    NotAllowed { character: String },
}

/// What the editor asks about a password before it is saved. The entry's own fields are sent
/// as typed (they may not be saved yet); the vault's other passwords stay in Rust.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordCheckRequest {
    /// The entry being edited (its own password is not "reuse"); `None` for a new entry.
    pub id: Option<String>,
    #[ts(type = "string")]
    pub password: SecretText,
    pub title: String,
    pub username: String,
    pub urls: Vec<String>,
    pub rules: Option<RulesView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordCheck {
    pub strength: Strength,
    /// What the security report would say about it: weak, common, reused (naming the other
    /// entries), personal, barely changed from an earlier password. Never a breach look-up.
    pub issues: Vec<FindingDetail>,
    pub rule_breaks: Vec<RuleBreakView>,
    /// An error code when the rules themselves cannot be met ("rules-min-above-max", ...).
    pub rules_error: Option<ErrorCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum TotpKind {
    Standard,
    Steam,
}

/// The code to type now, and the next one near the end of its period. A code lets its holder
/// log in until its period ends, so it is a secret for that long.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TotpCode {
    #[ts(type = "string")]
    pub code: SecretText,
    /// Unix seconds: the code is valid from `period_start` until `period_end`.
    #[ts(type = "number")]
    pub period_start: u64,
    #[ts(type = "number")]
    pub period_end: u64,
    pub period: u32,
    /// The following period's code, only in its last `NEXT_CODE_SECONDS` seconds.
    #[ts(type = "string | null")]
    pub next: Option<SecretText>,
    pub kind: TotpKind,
    pub issuer: Option<String>,
    pub account: Option<String>,
}

/// A TOTP setup read from pasted text or a QR code and kept in Rust until the entry is saved.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TotpPreview {
    /// Names the setup in `TotpDraft::Set`.
    pub token: u32,
    pub kind: TotpKind,
    pub issuer: Option<String>,
    pub account: Option<String>,
    pub digits: u8,
    pub period: u32,
}

/// A QR code's modules, row by row, without the quiet zone (the page draws it as SVG).
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QrView {
    pub size: u32,
    /// `size * size` modules, row by row: true is dark.
    pub dark: Vec<bool>,
}

/// The modules encode the TOTP secret as surely as the link does.
impl fmt::Debug for QrView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrView").field("size", &self.size).field("dark", &"(redacted)").finish()
    }
}

/// The core's own kind (its TypeScript declaration comes with the core's `typescript` feature).
pub use vault::health::FindingKind;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryRefView {
    pub id: String,
    pub title: String,
}

/// The facts behind a finding, one variant per kind, for the page to word in its language.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[ts(export)]
pub enum FindingDetail {
    Breached {
        #[ts(type = "number")]
        seen: u64,
    },
    Common {
        rank: u32,
        l33t: bool,
        reversed: bool,
    },
    Weak {
        score: u8,
        warning: Option<String>,
    },
    Reused {
        others: Vec<EntryRefView>,
    },
    Incremental {
        #[serde(rename = "previousSet")]
        #[ts(type = "number")]
        previous_set: u64,
        identical: bool,
    },
    Personal {
        #[ts(type = "\"username\" | \"owner_name\" | \"company\"")]
        part: String,
        word: String,
    },
    Expired {
        date: String,
        #[serde(rename = "daysAgo")]
        #[ts(type = "number")]
        days_ago: i64,
    },
    Old {
        #[ts(type = "number")]
        days: u64,
        #[serde(rename = "rotationDays")]
        rotation_days: u32,
    },
    #[serde(rename = "handed-over")]
    HandedOver {
        to: String,
        #[ts(type = "number")]
        made: u64,
        /// `null`: a company hand-over, without expiry.
        #[ts(type = "number | null")]
        expires: Option<u64>,
    },
    /// Breaks the company policy: shorter than its minimum and/or without a kind it requires.
    Policy {
        #[serde(rename = "tooShort")]
        too_short: Option<u16>,
        #[ts(type = "Array<\"lower\" | \"upper\" | \"digits\" | \"symbols\">")]
        missing: Vec<String>,
    },
    /// The entry has a tag the company policy says needs a one-time code, and none is set up.
    #[serde(rename = "no-2fa")]
    No2fa {
        tag: String,
    },
    Expiring {
        date: String,
        #[serde(rename = "daysLeft")]
        #[ts(type = "number")]
        days_left: i64,
    },
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Finding {
    pub entry_id: String,
    pub title: String,
    pub kind: FindingKind,
    pub detail: FindingDetail,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FindingCount {
    pub kind: FindingKind,
    pub count: u32,
}

/// Whether the passwords were looked up in a breach list.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "kebab-case")]
#[ts(export)]
pub enum BreachCheck {
    /// No password list chosen on this device.
    Off,
    /// Looked up offline in `file`.
    Checked { file: String },
    /// The list could not be read: an error code.
    Failed { file: String, code: ErrorCode },
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecurityReport {
    /// Live entries with a password, all of them checked.
    pub checked: u32,
    /// Every kind, in order of urgency, with its number of findings (zeros included).
    pub counts: Vec<FindingCount>,
    /// Most urgent first, then by title.
    pub findings: Vec<Finding>,
    pub breaches: BreachCheck,
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

/// What arrived from other laptops in one go: counts and who made the changes (the page words it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncNews {
    pub added: u32,
    pub updated: u32,
    pub deleted: u32,
    pub restored: u32,
    /// Names of the laptops whose changes came in.
    pub from: Vec<String>,
    pub settings_changed: bool,
    /// The laptop where the master password was changed: the next unlock needs the new one.
    pub password_changed_by: Option<String>,
    /// Conflicted copies merged in and moved to the backups folder.
    pub copies_merged: u32,
}

/// How the open vault stands with its file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    /// When other laptops' changes last came in (ms since the epoch).
    #[ts(type = "number | null")]
    pub last_merge: Option<u64>,
    /// When the file was last looked at.
    #[ts(type = "number | null")]
    pub last_check: Option<u64>,
    pub last_news: Option<SyncNews>,
    /// Conflicted copies merged since the vault was unlocked.
    pub copies_merged: u32,
    /// Conflicted copies left where they are (another vault, unreadable, not to be trusted) and
    /// files set aside from the vault's own place, by file name.
    pub copies_left_alone: Vec<String>,
    /// The same files, with why each was not merged and whether it can be merged on purpose.
    pub held_copies: Vec<HeldCopy>,
    /// Why the file cannot be synced now ("file-missing", "unreadable-on-disk",
    /// "password-changed-elsewhere", ...); the vault stays open in memory, and the next save
    /// writes the file again.
    pub error: Option<ErrorCode>,
    /// With "password-changed-elsewhere": where and when the master password was changed.
    pub password_change: Option<PasswordChangeNotice>,
}

/// The master password was changed on another laptop: this one must be given the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PasswordChangeNotice {
    /// The name of the laptop where it was changed.
    pub by: String,
    /// When (ms since the epoch, that laptop's clock).
    #[ts(type = "number")]
    pub at: u64,
}

/// A file beside the vault (or moved aside from its place) that was not merged by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HeldCopy {
    /// Its file name: the handle the page passes back to preview or merge it.
    pub name: String,
    /// Why: "foreign-key-slot", "clock-ahead", "retired-key", "other-key",
    /// "password-changed-there", "different-vault", "unreadable", "too-large", "io".
    pub reason: String,
    /// The laptop the reason names (whose clock runs ahead, where the password changed).
    pub device: Option<String>,
    /// With "clock-ahead": how far ahead of this computer's clock.
    #[ts(type = "number | null")]
    pub ahead_ms: Option<u64>,
    /// It was found in the vault file's own place and moved into the backups folder.
    pub set_aside: bool,
    /// It is a copy of this vault the user may merge on purpose (maybe with its own password).
    pub mergeable: bool,
}

/// What merging a held copy would change, shown before the user decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CopyPreview {
    pub name: String,
    /// Why it was not merged by itself (as [`HeldCopy::reason`]); `None` if nothing is wrong.
    pub reason: Option<String>,
    /// Titles of the entries that would be added, updated, moved to the trash, restored.
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub deleted: Vec<String>,
    pub restored: Vec<String>,
    /// Vault-wide settings that would take the copy's value.
    pub settings: Vec<String>,
}

/// The "vault-synced" event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncEvent {
    pub news: SyncNews,
    pub status: SyncStatus,
}

/// The limits Rust enforces, for the page to show and check the same ones (`policy` command).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Policy {
    /// The zxcvbn score (0 to 4) a new master password must reach.
    pub min_master_score: u8,
    pub auto_lock_minutes: NumberRange,
    pub clipboard_clear_seconds: NumberRange,
    pub rotation_days: NumberRange,
    /// How long quick unlock may stay on; the default is "remember on this device".
    pub quick_unlock_hours: NumberRange,
    /// A generated password's length in characters.
    pub generator_length: NumberRange,
    /// A generated passphrase's number of words.
    pub generator_words: NumberRange,
    pub separator_max_chars: u32,
    /// Auto-type's pause after each key, in milliseconds.
    pub autotype_key_delay_ms: NumberRange,
    /// How long the activity log keeps events.
    pub activity_keep_days: NumberRange,
    pub activity_keep_events: NumberRange,
}

/// Inclusive bounds and the value a new device starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NumberRange {
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

/// An entry whose expiry date is near, for the notice after unlock.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpiringView {
    pub entry_id: String,
    pub title: String,
    /// "2026-12-03".
    pub date: String,
    /// 0: it expires at the end of today.
    #[ts(type = "number")]
    pub days_left: i64,
}

/// What can be told of a backup without the master password (see `vault::store::BackupListing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum BackupState {
    /// Opens with the vault's key: it can be restored.
    Opens,
    /// Made with an earlier master password; the app does not restore it (see `session/backups.rs`).
    EarlierPassword,
    /// Not a readable file of this vault.
    Unreadable,
}

/// One kept earlier version of the vault file.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupView {
    /// Its file name in the backups folder: what a restore names.
    pub name: String,
    /// When it was replaced by a newer save (kept aside), milliseconds since the epoch.
    #[ts(type = "number")]
    pub taken: u64,
    /// When its version was saved, and on which laptop: known once it opens.
    #[ts(type = "number | null")]
    pub saved: Option<u64>,
    pub device: Option<String>,
    pub entries: Option<u32>,
    #[ts(type = "number")]
    pub size: u64,
    pub state: BackupState,
}

/// The newest backup that opens with the master password just typed, offered by the unlock
/// screen when the vault file is damaged.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupOffer {
    pub name: String,
    /// When its version was saved, milliseconds since the epoch.
    #[ts(type = "number")]
    pub saved: u64,
    pub device: Option<String>,
    pub entries: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Kx9-ipc-secret-秘密";

    /// Whatever a `{:?}` shows (a log line, a panic message, a crash report) must not hold the
    /// secrets these types carry.
    #[track_caller]
    fn assert_debug_hides(what: &str, shown: String) {
        assert!(!shown.contains(SECRET) && !shown.contains("Kx9"), "{what} shows a secret: {shown}");
    }

    #[test]
    fn debug_output_of_every_type_carrying_a_secret_hides_it() {
        // Built as the page sends them, so the test also checks they deserialise from strings.
        let draft: EntryDraft = serde_json::from_value(serde_json::json!({
            "title": "CRM", "username": "li.wei", "password": SECRET, "urls": [], "notes": "", "tags": [],
            "fields": [{"name": "PIN", "value": SECRET, "hidden": true}],
        }))
        .unwrap();
        assert_eq!(draft.password.as_ref().map(SecretText::expose), Some(SECRET));
        assert_eq!(draft.fields[0].value.as_ref().map(SecretText::expose), Some(SECRET));
        assert_debug_hides("EntryDraft", format!("{draft:?}"));
        assert_debug_hides("DraftField", format!("{:?}", draft.fields[0]));

        let request: PasswordCheckRequest = serde_json::from_value(serde_json::json!({
            "id": null, "password": SECRET, "title": "CRM", "username": "li.wei", "urls": [], "rules": null,
        }))
        .unwrap();
        assert_eq!(request.password.expose(), SECRET);
        assert_debug_hides("PasswordCheckRequest", format!("{request:?}"));

        let generated = Generated { password: SecretText::new(SECRET), entropy_bits: 128.0 };
        assert_debug_hides("Generated", format!("{generated:?}"));
        // The page still receives the password itself, as a string.
        assert_eq!(serde_json::to_value(&generated).unwrap()["password"], SECRET);

        let matrix = vault::totp::qr_modules(&format!("otpauth://totp/x?secret={}", "GEZDGNBVGY3TQOJQ")).unwrap();
        let qr = QrView { size: matrix.size as u32, dark: matrix.dark.to_vec() };
        let shown = format!("{qr:?}");
        assert!(!shown.contains("true") && !shown.contains("false"), "QrView shows its modules: {shown}");

        let code = TotpCode {
            code: SECRET.into(),
            period_start: 30,
            period_end: 60,
            period: 30,
            next: Some(SECRET.into()),
            kind: TotpKind::Standard,
            issuer: None,
            account: None,
        };
        assert_debug_hides("TotpCode", format!("{code:?}"));

        // Command arguments (unlock, create_vault, change_master_password, parse_totp,
        // password_strength) and `reveal`'s answer are `SecretText` too.
        let argument: SecretText = serde_json::from_value(serde_json::json!(SECRET)).unwrap();
        assert_debug_hides("a command argument", format!("{argument:?}"));
    }
}

/// The mark of an entry that arrived in a hand-over: "Handed over by Li Wei until 3 Dec, 18:00".
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandedOverView {
    pub giver: String,
    /// Milliseconds since the epoch; `None`: no expiry (a company hand-over).
    #[ts(type = "number | null")]
    pub expires: Option<u64>,
}

/// A hand-over file made: the page says where, for how many entries, until when.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandoverMade {
    pub path: String,
    pub entries: u32,
    #[ts(type = "number | null")]
    pub expires: Option<u64>,
}

/// What receiving a hand-over did: how many entries arrived, from whom, until when.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandoverReceived {
    /// 0 when it had been received before.
    pub added: u32,
    pub already_received: bool,
    pub giver: String,
    #[ts(type = "number | null")]
    pub expires: Option<u64>,
}

/// A hand-over this vault made.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GivenHandover {
    pub id: String,
    pub to: String,
    #[ts(type = "number")]
    pub made: u64,
    #[ts(type = "number | null")]
    pub expires: Option<u64>,
    /// The entries still in the vault (by title), in title order.
    pub entries: Vec<EntryRefView>,
}
