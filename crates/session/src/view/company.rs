//! What the page is shown of the company policy (what it sets, where it comes from, which
//! settings it locks) and the accounts list for IT.

use serde::Serialize;
use ts_rs::TS;

use super::RequiredKinds;

/// The company policy as the settings screen and `crm-vault policy` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompanyPolicyView {
    /// "none": no file; "in-force": read and enforced; "malformed": a file that could not be
    /// read in full, of which nothing is enforced.
    #[ts(type = "\"none\" | \"in-force\" | \"malformed\"")]
    pub state: String,
    /// The file looked for (or found).
    pub path: String,
    /// "environment": named by CRM_VAULT_POLICY; "system": the system-wide place.
    #[ts(type = "\"environment\" | \"system\"")]
    pub source: String,
    pub error: Option<PolicyFileError>,
    pub min_length: Option<u16>,
    pub required: RequiredKinds,
    pub rotation_days: Option<u32>,
    pub max_auto_lock_minutes: Option<u32>,
    pub max_clipboard_clear_seconds: Option<u32>,
    pub quick_unlock_allowed: bool,
    pub quick_unlock_max_hours: Option<u32>,
    pub totp_required_tags: Vec<String>,
    pub company_tag: Option<String>,
    /// Which settings the policy sets or limits: shown as locked, "Set by your company".
    pub locked: LockedSettings,
}

/// Settings the policy sets (`rotation_days`, quick unlock when refused) or limits (a maximum
/// for the timers and quick unlock, a floor for the generator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockedSettings {
    pub rotation_days: bool,
    pub auto_lock_minutes: bool,
    pub clipboard_clear_seconds: bool,
    pub quick_unlock: bool,
    pub generator: bool,
}

/// Why a policy file is not applied: the file's mistake and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PolicyFileError {
    /// 1-based; `None` when the file could not be read at all.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// In English, as the TOML reader words it.
    pub message: String,
}

/// One row of the accounts list for IT: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InventoryRowView {
    /// The entry's title: the system the account is for.
    pub system: String,
    pub username: String,
    pub urls: Vec<String>,
    pub totp: bool,
    /// RFC 3339, UTC; `None` for an entry without a password.
    pub password_changed: Option<String>,
    pub tags: Vec<String>,
}
