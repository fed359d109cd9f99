//! What the CLI prints about entries. These types hold no secret unless built with one on
//! purpose (`show --show-secrets`), so printing a listing cannot leak a password.

use serde::Serialize;
use vault::Entry;

/// One line of `ls`/`search --json`.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub id: String,
    pub title: &'a str,
    pub username: &'a str,
    pub url: &'a str,
    pub urls: &'a [String],
    pub notes: &'a str,
    pub tags: Vec<&'a str>,
    pub created: String,
    pub modified: String,
    pub password_changed: String,
    /// Starred as a favourite; left out when not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    /// Set on an entry that arrived in a hand-over: whose, until when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<HandedOver<'a>>,
}

/// The mark of a received entry in `--json`: `{"giver": "Li Wei", "expires": "2026-12-03T10:00:00Z"}`
/// (`expires` null: a company hand-over, without expiry).
#[derive(Debug, Serialize)]
pub struct HandedOver<'a> {
    pub giver: &'a str,
    pub expires: Option<String>,
}

impl<'a> Summary<'a> {
    pub fn of(entry: &'a Entry) -> Self {
        Summary {
            id: entry.id.to_string(),
            title: &entry.title.value,
            username: &entry.username.value,
            url: entry.url(),
            urls: &entry.urls.value,
            notes: &entry.notes.value,
            tags: entry.tags().collect(),
            created: time(entry.created.wall_ms),
            modified: time(entry.modified().wall_ms),
            password_changed: time(entry.password_changed().wall_ms),
            favourite: entry.favourite.value,
            handed_over: entry
                .handed_over
                .as_ref()
                .map(|mark| HandedOver { giver: &mark.giver, expires: mark.expires_ms.map(time) }),
        }
    }
}

/// `show --json`: the summary, custom fields, and secrets only when asked for.
#[derive(Debug, Serialize)]
pub struct Details<'a> {
    #[serde(flatten)]
    pub summary: Summary<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp: Option<&'a str>,
    pub fields: Vec<Field<'a>>,
    pub history: usize,
    /// The superseded values, oldest first; each value only with `--show-secrets`.
    pub earlier_values: Vec<EarlierValue<'a>>,
    /// What the system accepts in a password, if known.
    pub rules: Option<&'a vault::generate::PasswordRules>,
    /// "2027-03-31", if the account expires.
    pub expires: Option<String>,
    /// Other sites the login window may fill with this entry, as origins.
    pub also_fill_on: &'a [String],
    /// The entry's own auto-type sequence; null types the default one.
    pub autotype_sequence: Option<&'a str>,
    /// Window title patterns that pick this entry for auto-type.
    pub autotype_windows: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct EarlierValue<'a> {
    /// "password", "title", ... or "field:<name>".
    pub field: &'a str,
    /// When that value was set.
    pub changed: String,
    pub value: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct Field<'a> {
    pub name: &'a str,
    /// `None` for a hidden field when secrets were not asked for.
    pub value: Option<&'a str>,
    pub hidden: bool,
}

impl<'a> Details<'a> {
    pub fn of(entry: &'a Entry, show_secrets: bool) -> Self {
        let secret = |text: &'a vault::SecretText| (show_secrets && !text.is_empty()).then(|| text.expose());
        Details {
            summary: Summary::of(entry),
            password: secret(&entry.password.value),
            totp: secret(&entry.totp.value),
            fields: entry
                .custom_fields()
                .map(|(name, f)| Field {
                    name,
                    value: (show_secrets || !f.hidden).then(|| f.value.expose()),
                    hidden: f.hidden,
                })
                .collect(),
            history: entry.history.len(),
            earlier_values: entry
                .history
                .iter()
                .map(|h| EarlierValue {
                    field: &h.field,
                    changed: time(h.clock.wall_ms),
                    value: show_secrets.then(|| h.value.expose()),
                })
                .collect(),
            rules: entry.rules.value.as_ref(),
            expires: entry.expires.value.map(|d| d.to_string()),
            also_fill_on: &entry.also_fill_on.value,
            autotype_sequence: entry.autotype_sequence.value.as_deref(),
            autotype_windows: &entry.autotype_windows.value,
        }
    }
}

fn time(ms: u64) -> String {
    vault::clock::rfc3339(ms)
}
