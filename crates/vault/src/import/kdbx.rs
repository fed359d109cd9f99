//! KeePass files (KDBX 3.1 and 4, as KeePass 2, KeePassXC, KeeWeb and Strongbox write them),
//! opened with the `keepass` crate and mapped onto entries.
//!
//! What arrives: title, user name, password, the URL and KeePassXC's additional ones
//! (`KP2A_URL`, `KP2A_URL_1`, ...), notes, tags, the group path below the root as one more tag
//! (`Sales/国内CRM`), every other attribute as a custom field (protected ones hidden), the
//! one-time password setup in any of its layouts (see [`otp`]), the expiry date when the entry
//! expires, its creation and modification times, its history, and its auto-type sequence and
//! window associations where our auto-type accepts them (a sequence or window our auto-type
//! cannot read, and an association's own sequence, are left out rather than refusing the entry).
//!
//! A known limit of the `keepass` crate: an entry's `<String>` elements must be together, as
//! KeePass, KeePassXC and KeeWeb write them. pykeepass appends a field it sets at the end of the
//! entry; such a file is refused as damaged until it is saved once by KeePassXC. (The crate's
//! XML reader can be told to accept scattered elements, but then decrypts protected values in
//! the wrong order, giving wrong passwords: refusing is the safe side.)
//!
//! The recycle bin and everything in it is not imported and not listed: the user threw those
//! away, and a preview full of them would hide what matters. Attachments are listed as skipped,
//! one line each, and their entry arrives without them.

mod header;
mod otp;

pub use header::Limits;

use std::collections::BTreeMap;

use keepass::config::DatabaseVersion;
use keepass::db::{AutoType, DatabaseOpenError, Entry as KeepassEntry, GroupRef, fields};
use keepass::{Database, DatabaseKey};

use super::{Contents, Earlier, FileKey, ImportError, Imported, Place, Read, SkipReason, Skipped, Source};
use crate::autofill::settings;
use crate::model::{CustomField, EntryId, ExpiryDate, NewEntry};
use crate::secret::SecretText;

/// KeePassXC's additional URLs: `KP2A_URL`, then `KP2A_URL_1`, `KP2A_URL_2`...
pub const EXTRA_URL: &str = "KP2A_URL";

/// Reads a KeePass file opened with `key` (a password, a key file, or both).
pub fn read(bytes: &[u8], key: FileKey<'_>, progress: &mut dyn FnMut(u64, u64)) -> Result<Read, ImportError> {
    read_with_limits(bytes, key, Limits::DEFAULT, progress)
}

/// [`read`], refusing files whose key derivation asks for more than `limits` (the fuzz target
/// sets them low, so that it tests the reader and not the machine's memory).
pub fn read_with_limits(
    bytes: &[u8],
    key: FileKey<'_>,
    limits: Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Read, ImportError> {
    // A KDBX always has a key; asking the crate to open one without is no question worth the wait.
    if key.password.is_none() && key.key_file.is_none() {
        return Err(ImportError::NeedsPassword);
    }
    let version = match DatabaseVersion::parse(bytes) {
        Ok(DatabaseVersion::KDB3(minor)) => format!("3.{minor}"),
        Ok(DatabaseVersion::KDB4(minor)) => format!("4.{minor}"),
        Ok(_) => return Err(ImportError::Unsupported { what: "KeePass file version".into() }),
        Err(_) => return Err(damaged("it does not begin as a KeePass file does")),
    };
    if !header::sizes_are_sound(bytes) {
        return Err(damaged("its header is damaged"));
    }
    if let Some(cost) = header::kdf_cost(bytes) {
        limits.check(cost)?;
    }
    let mut database_key = DatabaseKey::new();
    if let Some(password) = key.password {
        database_key = database_key.with_password(password.expose());
    }
    if let Some(mut key_file) = key.key_file {
        database_key = database_key.with_keyfile(&mut key_file).map_err(|_| ImportError::WrongPassword)?;
    }
    progress(0, 0);
    // The crate's reader has panicked on malformed files before (see `header::sizes_are_sound`);
    // should another such case remain, it is a damaged file to the user, not a crash.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Database::parse(bytes, database_key)));
    let database =
        parsed.map_err(|_| damaged("it cannot be read as a KeePass file"))?.map_err(|err| open_error(err, bytes))?;
    let (entries, skipped) = Walk::run(&database, progress);
    Ok(Read { source: Source::Kdbx { version }, contents: Contents::Entries(entries), skipped })
}

fn damaged(detail: &str) -> ImportError {
    ImportError::Damaged { detail: detail.to_owned() }
}

/// The crate's errors, in the user's terms. Its own messages are not passed on: an XML error can
/// quote the decrypted contents, and so a secret.
fn open_error(err: DatabaseOpenError, bytes: &[u8]) -> ImportError {
    use keepass::db::DatabaseFormatError;
    use keepass::error::{CryptographyError, DatabaseKeyError};
    match err {
        DatabaseOpenError::Key(DatabaseKeyError::EmptyKey) => ImportError::NeedsPassword,
        DatabaseOpenError::Key(_) => ImportError::WrongPassword,
        // KDBX 3.1 has no check of the key before decrypting: a wrong key shows as bad padding at
        // the end. A file cut short shows the same, unless it was cut off a block boundary.
        DatabaseOpenError::Cryptography(CryptographyError::InvalidPadding(_)) => match header::kdbx3_payload_len(bytes)
        {
            Some(len) if len % 16 == 0 && len > 0 => ImportError::WrongPassword,
            _ => damaged("it is cut short or its contents are damaged"),
        },
        DatabaseOpenError::Cryptography(CryptographyError::Argon2(_)) => {
            damaged("its key derivation settings are not valid")
        }
        DatabaseOpenError::Cryptography(_) => damaged("its contents cannot be decrypted"),
        DatabaseOpenError::UnexpectedEof | DatabaseOpenError::Io(_) => damaged("it is cut short"),
        DatabaseOpenError::VersionParse(_) => damaged("it does not begin as a KeePass file does"),
        DatabaseOpenError::UnsupportedVersion | DatabaseOpenError::Format(DatabaseFormatError::Kdb(_)) => {
            ImportError::Unsupported { what: "KeePass file version".into() }
        }
        DatabaseOpenError::Format(_) => damaged("its contents are damaged or cut short"),
        _ => damaged("it cannot be read as a KeePass file"),
    }
}

/// Going through the groups, outside the recycle bin.
struct Walk<'p> {
    recycle_bin: Option<uuid::Uuid>,
    entries: Vec<Imported>,
    skipped: Vec<Skipped>,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl Walk<'_> {
    fn run(database: &Database, progress: &mut dyn FnMut(u64, u64)) -> (Vec<Imported>, Vec<Skipped>) {
        let total = database.num_entries() as u64;
        let mut walk = Walk {
            recycle_bin: database.meta.recyclebin_uuid,
            entries: Vec::new(),
            skipped: Vec::new(),
            done: 0,
            total,
            progress,
        };
        walk.group(database.root(), &mut Vec::new());
        (walk.progress)(total, total);
        (walk.entries, walk.skipped)
    }

    fn group(&mut self, group: GroupRef<'_>, path: &mut Vec<String>) {
        for entry in group.entries() {
            let title = entry.get_title().unwrap_or_default();
            let place = Place::Item(path.iter().map(String::as_str).chain([title]).collect::<Vec<_>>().join("/"));
            for (name, _) in entry.attachments_named() {
                self.skipped
                    .push(Skipped { place: place.clone(), reason: SkipReason::Attachment { name: name.to_owned() } });
            }
            match imported(&entry, path) {
                Ok((imported, bad_totp)) => {
                    if bad_totp {
                        self.skipped.push(Skipped { place, reason: SkipReason::BadTotp });
                    }
                    self.entries.push(imported);
                }
                Err(reason) => self.skipped.push(Skipped { place, reason }),
            }
            self.done += 1;
            (self.progress)(self.done, self.total);
        }
        for child in group.groups() {
            if Some(child.id().uuid()) == self.recycle_bin {
                continue;
            }
            path.push(child.name.clone());
            self.group(child, path);
            path.pop();
        }
    }
}

/// An entry's values at one time: the entry itself, or one of its history versions.
#[derive(Default)]
struct Values {
    title: String,
    username: String,
    password: SecretText,
    urls: Vec<String>,
    notes: String,
    totp: SecretText,
    fields: BTreeMap<String, CustomField>,
    /// There was a one-time password setup that could not be read.
    bad_totp: bool,
}

fn values(entry: &KeepassEntry) -> Values {
    let text = |name: &str| entry.get(name).unwrap_or_default().to_owned();
    let mut extra_urls: Vec<(u64, &str)> = Vec::new();
    let mut custom = BTreeMap::new();
    for (name, value) in &entry.fields {
        if fields::KNOWN_FIELDS.contains(&name.as_str()) || otp::is_otp_field(name) {
            continue;
        }
        if let Some(rank) = extra_url_rank(name) {
            extra_urls.push((rank, value.get().as_str()));
            continue;
        }
        let field = CustomField { value: SecretText::new(value.get().as_str()), hidden: value.is_protected() };
        custom.insert(name.clone(), field);
    }
    extra_urls.sort();
    let mut urls: Vec<String> = Vec::new();
    for url in entry.get_url().into_iter().chain(extra_urls.into_iter().map(|(_, url)| url)) {
        let url = url.trim();
        if !url.is_empty() && !urls.iter().any(|u| u == url) {
            urls.push(url.to_owned());
        }
    }
    let (totp, bad_totp) = match otp::from_fields(&entry.fields) {
        otp::Found::Nothing => (SecretText::default(), false),
        otp::Found::Link(link) => (link, false),
        otp::Found::Unreadable => (SecretText::default(), true),
    };
    Values {
        title: text(fields::TITLE),
        username: text(fields::USERNAME),
        password: SecretText::new(entry.get(fields::PASSWORD).unwrap_or_default()),
        urls,
        notes: text(fields::NOTES),
        totp,
        fields: custom,
        bad_totp,
    }
}

/// `KP2A_URL` is the first additional URL, `KP2A_URL_<n>` the n+1st.
fn extra_url_rank(name: &str) -> Option<u64> {
    let rest = name.strip_prefix(EXTRA_URL)?;
    if rest.is_empty() {
        return Some(0);
    }
    rest.strip_prefix('_')?.parse::<u64>().ok().map(|n| n.saturating_add(1))
}

fn ms(time: Option<chrono::NaiveDateTime>) -> Option<u64> {
    time.and_then(|t| u64::try_from(t.and_utc().timestamp_millis()).ok())
}

fn imported(entry: &KeepassEntry, path: &[String]) -> Result<(Imported, bool), SkipReason> {
    let now = values(entry);
    let empty = now.title.is_empty()
        && now.username.is_empty()
        && now.password.is_empty()
        && now.urls.is_empty()
        && now.notes.is_empty()
        && now.totp.is_empty()
        && now.fields.is_empty();
    if empty {
        return Err(SkipReason::Empty);
    }
    let history = history(entry, &now);
    let mut tags: Vec<String> = Vec::new();
    let group_path = (!path.is_empty()).then(|| path.join("/"));
    for tag in entry.tags.iter().map(|t| t.trim().to_owned()).chain(group_path) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let expires = (entry.times.expires == Some(true)).then(|| ExpiryDate(entry.times.expiry.date()));
    let (autotype_sequence, autotype_windows) = autotype(entry.autotype.as_ref());
    let bad_totp = now.bad_totp;
    let new = NewEntry {
        title: now.title,
        username: now.username,
        password: now.password,
        urls: now.urls,
        notes: now.notes,
        totp: now.totp,
        tags,
        fields: now.fields.into_iter().collect(),
        expires,
        autotype_sequence,
        autotype_windows,
        ..NewEntry::default()
    };
    let imported = Imported {
        id: Some(EntryId(entry.id().uuid())),
        entry: new,
        created_ms: ms(entry.times.creation),
        modified_ms: ms(entry.times.last_modification),
        history,
    };
    Ok((imported, bad_totp))
}

/// The entry's sequence and window titles, each only if our auto-type reads it.
fn autotype(autotype: Option<&AutoType>) -> (Option<String>, Vec<String>) {
    let Some(autotype) = autotype else { return (None, Vec::new()) };
    let sequence = settings::autotype_sequence(autotype.default_sequence.as_deref()).ok().flatten();
    let mut windows: Vec<String> = Vec::new();
    for association in &autotype.associations {
        if let Ok(accepted) = settings::autotype_windows(std::slice::from_ref(&association.window)) {
            for window in accepted {
                if !windows.contains(&window) {
                    windows.push(window);
                }
            }
        }
    }
    (sequence, windows)
}

/// Earlier values: each history version's values that the next version (or the entry as it is
/// now) no longer has, set when that version was saved.
fn history(entry: &KeepassEntry, now: &Values) -> Vec<Earlier> {
    let Some(history) = entry.history.as_ref() else { return Vec::new() };
    let mut versions: Vec<(u64, Values)> = history
        .get_entries()
        .iter()
        .filter_map(|version| Some((ms(version.times.last_modification)?, values(version))))
        .collect();
    versions.sort_by_key(|(at, _)| *at);
    let mut earlier = Vec::new();
    for (i, (at_ms, version)) in versions.iter().enumerate() {
        let next = versions.get(i + 1).map_or(now, |(_, next)| next);
        let mut differs = |field: &str, old: &str, new: &str| {
            if old != new {
                earlier.push(Earlier { field: field.to_owned(), value: SecretText::new(old), at_ms: *at_ms });
            }
        };
        differs("title", &version.title, &next.title);
        differs("username", &version.username, &next.username);
        differs("password", version.password.expose(), next.password.expose());
        differs("urls", &version.urls.join("\n"), &next.urls.join("\n"));
        differs("notes", &version.notes, &next.notes);
        differs("totp", version.totp.expose(), next.totp.expose());
        for (name, field) in &version.fields {
            let new = next.fields.get(name).map_or("", |f| f.value.expose());
            differs(&format!("field:{name}"), field.value.expose(), new);
        }
    }
    earlier
}

#[cfg(test)]
mod tests;
