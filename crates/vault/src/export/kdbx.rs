//! A KDBX 4 file (Argon2id, AES-256, gzip) that KeePassXC, KeePass and pykeepass open with
//! everything the vault holds that KeePass has a place for: the fields, URLs (the first as URL,
//! the others as KeePassXC's `KP2A_URL`, `KP2A_URL_1`...), custom fields (hidden ones as
//! protected strings), the one-time password setup as KeePassXC's `otp` attribute, tags, expiry,
//! creation and modification times, auto-type sequence and windows, and the history.
//!
//! Entries go into the root group, which is named after the vault: our tags are not folders, and
//! an entry with two tags could not be in two groups. Tags stay tags (KeePassXC shows them), so
//! importing the file back gives the same tags. The trash is not exported.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, NaiveTime};
use keepass::config::{DatabaseConfig, KdfConfig};
use keepass::db::{AutoType, AutoTypeAssociation, EntryId as KeepassEntryId, EntryMut, Times, Value, fields};
use keepass::{Database, DatabaseKey};

use super::ExportError;
use crate::clock::Hlc;
use crate::crypto::KdfParams;
use crate::import::kdbx::EXTRA_URL;
use crate::model::{Entry, HistoryItem, Vault};
use crate::secret::SecretText;

/// The vault's live entries as a KDBX 4 file locked with `password`, its key derived with
/// Argon2id at `kdf`.
pub fn write(vault: &Vault, password: &SecretText, kdf: KdfParams) -> Result<Vec<u8>, ExportError> {
    if password.is_empty() {
        return Err(ExportError::NoPassword);
    }
    let mut database = Database::with_config(config(kdf));
    database.meta.database_name = Some(vault.name.value.clone());
    database.meta.generator = Some("CRM Vault".to_owned());
    database.meta.recyclebin_enabled = Some(false);
    let mut root = database.root_mut();
    root.name = vault.name.value.clone();
    for entry in vault.live_entries() {
        let mut target = root
            .add_entry_with_id(KeepassEntryId::from_uuid(entry.id.0))
            .map_err(|_| ExportError::Kdbx { detail: "two entries have the same id".into() })?;
        write_entry(&mut target, entry);
    }
    let mut out = Vec::new();
    let key = DatabaseKey::new().with_password(password.expose());
    // The crate's messages name what failed (an I/O or encryption step), never a value.
    database.save(&mut out, key).map_err(|err| ExportError::Kdbx { detail: err.to_string() })?;
    Ok(out)
}

fn config(kdf: KdfParams) -> DatabaseConfig {
    let mut config = DatabaseConfig::default();
    // The Argon2 version type is the `rust-argon2` crate's; rather than depend on that crate for
    // one constant, take it from the crate's default (Argon2d, version 1.3) and switch to Argon2id.
    if let KdfConfig::Argon2 { version, .. } = config.kdf_config {
        config.kdf_config = KdfConfig::Argon2id {
            iterations: u64::from(kdf.iterations),
            memory: u64::from(kdf.memory_kib) * 1024,
            parallelism: kdf.parallelism,
            version,
        };
    }
    config
}

fn time(ms: u64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX)).unwrap_or_default().naive_utc()
}

/// What one version of an entry holds, in KDBX terms.
#[derive(Clone)]
struct Version {
    title: String,
    username: String,
    password: SecretText,
    urls: Vec<String>,
    notes: String,
    totp: SecretText,
    /// By name: value and whether it is hidden.
    fields: BTreeMap<String, (SecretText, bool)>,
}

impl Version {
    fn of(entry: &Entry) -> Version {
        Version {
            title: entry.title.value.clone(),
            username: entry.username.value.clone(),
            password: entry.password.value.clone(),
            urls: entry.urls.value.clone(),
            notes: entry.notes.value.clone(),
            totp: entry.totp.value.clone(),
            fields: entry.custom_fields().map(|(n, f)| (n.to_owned(), (f.value.clone(), f.hidden))).collect(),
        }
    }

    fn put(&self, target: &mut keepass::db::Entry) {
        target.set_unprotected(fields::TITLE, self.title.as_str());
        target.set_unprotected(fields::USERNAME, self.username.as_str());
        target.set_protected(fields::PASSWORD, self.password.expose());
        target.set_unprotected(fields::URL, self.urls.first().map_or("", String::as_str));
        for (i, url) in self.urls.iter().skip(1).enumerate() {
            let name = if i == 0 { EXTRA_URL.to_owned() } else { format!("{EXTRA_URL}_{i}") };
            target.set_unprotected(name, url.as_str());
        }
        target.set_unprotected(fields::NOTES, self.notes.as_str());
        if !self.totp.is_empty() {
            target.set_protected(fields::OTP, self.totp.expose());
        }
        for (name, (value, hidden)) in &self.fields {
            let value = if *hidden { Value::protected(value.expose()) } else { Value::unprotected(value.expose()) };
            target.set(name.clone(), value);
        }
    }
}

fn write_entry(target: &mut EntryMut<'_>, entry: &Entry) {
    let current = Version::of(entry);
    current.put(target);
    target.tags = entry.tags().map(str::to_owned).collect();
    target.times = times(entry.created.wall_ms, entry.modified().wall_ms);
    if let Some(date) = entry.expires.value {
        // An entry expires at the end of its day.
        target.times.expires = Some(true);
        target.times.expiry = date.0.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    }
    let sequence = entry.autotype_sequence.value.clone();
    let windows = &entry.autotype_windows.value;
    if sequence.is_some() || !windows.is_empty() {
        target.autotype = Some(AutoType {
            enabled: true,
            default_sequence: sequence,
            // An empty sequence for a window means the entry's own: our windows have no other.
            associations: windows
                .iter()
                .map(|w| AutoTypeAssociation { window: w.clone(), sequence: String::new() })
                .collect(),
            ..AutoType::default()
        });
    }
    let versions = earlier_versions(entry, &current);
    let template = (**target).clone();
    let history = target.history.get_or_insert_with(Default::default);
    // `add_entry` puts each version first; adding the newest first leaves them oldest first,
    // the order KeePass keeps.
    for (at_ms, version) in versions.into_iter().rev() {
        let mut old = template.clone();
        old.fields.clear();
        version.put(&mut old);
        old.times = times(entry.created.wall_ms, at_ms);
        history.add_entry(old);
    }
}

fn times(created_ms: u64, modified_ms: u64) -> Times {
    let mut times = Times::default();
    times.creation = Some(time(created_ms));
    times.last_modification = Some(time(modified_ms));
    times.last_access = Some(time(modified_ms));
    times.location_changed = Some(time(created_ms));
    times.expiry = time(modified_ms);
    times.expires = Some(false);
    times.usage_count = Some(0);
    times
}

/// The entry as it was at each time one of its history items was set, oldest first.
///
/// Our history keeps superseded values one field at a time, each with the clock of the write
/// that set it; KeePass keeps whole copies of the entry. So a copy is made for each distinct
/// time in the history, holding for every field the value it had then: the latest value set at
/// or before that time (from the history, or the current value if that was set by then). A
/// field with nothing known that early (a value set before the history was kept, or a field
/// added later) takes its oldest known value. Removed custom fields are not in the history, so
/// they are absent from the copies.
fn earlier_versions(entry: &Entry, current: &Version) -> Vec<(u64, Version)> {
    // Whole clocks, not milliseconds: an edit in the same millisecond as the creation is still
    // later than it.
    let times: BTreeSet<Hlc> = entry.history.iter().map(|item| item.clock).collect();
    let mut by_field: BTreeMap<&str, Vec<&HistoryItem>> = BTreeMap::new();
    for item in &entry.history {
        by_field.entry(item.field.as_str()).or_default().push(item);
    }
    let current_clock = |field: &str| -> Option<Hlc> {
        match field {
            "title" => Some(entry.title.clock),
            "username" => Some(entry.username.clock),
            "password" => Some(entry.password.clock),
            "urls" => Some(entry.urls.clock),
            "notes" => Some(entry.notes.clock),
            "totp" => Some(entry.totp.clock),
            other => other.strip_prefix("field:").and_then(|name| entry.fields.get(name)).map(|f| f.clock),
        }
    };
    times
        .into_iter()
        .map(|at| {
            let mut version = current.clone();
            for (field, items) in &by_field {
                if current_clock(field).is_some_and(|clock| clock <= at) {
                    continue;
                }
                // Items are in clock order: the last one set by `at`, else the oldest.
                let item = items.iter().rev().find(|i| i.clock <= at).unwrap_or(&items[0]);
                set(&mut version, field, &item.value);
            }
            (at.wall_ms, version)
        })
        .collect()
}

fn set(version: &mut Version, field: &str, value: &SecretText) {
    let text = value.expose();
    match field {
        "title" => version.title = text.to_owned(),
        "username" => version.username = text.to_owned(),
        "password" => version.password = value.clone(),
        "urls" => version.urls = text.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        "notes" => version.notes = text.to_owned(),
        "totp" => version.totp = value.clone(),
        other => {
            if let Some(name) = other.strip_prefix("field:") {
                let hidden = version.fields.get(name).is_some_and(|(_, hidden)| *hidden);
                version.fields.insert(name.to_owned(), (value.clone(), hidden));
            }
        }
    }
}

#[cfg(test)]
mod tests;
