//! Bitwarden's JSON export (Tools > Export vault > .json), plain or password-protected.
//!
//! Plain: `{"encrypted": false, "folders": [{id, name}], "items": [...]}`. Password-protected:
//! `{"encrypted": true, "passwordProtected": true, "salt", "kdfType", "kdfIterations",
//! "kdfMemory", "kdfParallelism", "encKeyValidation_DO_NOT_EDIT", "data"}`, where `data` opens
//! to the plain export (see [`crypto`] for how). An "account restricted" export (encrypted with
//! the Bitwarden account's own key) cannot be opened outside that account, and is refused with
//! what to do instead.
//!
//! Items: type 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key. Logins become entries;
//! secure notes become entries with only notes when the user chooses so; the rest are listed as
//! skipped. Items in Bitwarden's trash (`deletedDate` set) are left out.

mod crypto;

use std::collections::HashMap;

use serde::Deserialize;

use super::item::{json_problem, push_field, rfc3339_ms, totp_uri};
use super::{Contents, Earlier, FileKey, ImportError, Imported, Options, Place, Read, SkipReason, Skipped, Source};
use crate::model::NewEntry;
use crate::secret::SecretText;

const EXPECTED: &str = "Bitwarden JSON";

/// The top level of either kind of export.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export {
    encrypted: Option<bool>,
    password_protected: Option<bool>,
    folders: Option<Vec<Folder>>,
    items: Option<Vec<Item>>,
    salt: Option<String>,
    kdf_type: Option<u32>,
    kdf_iterations: Option<u32>,
    kdf_memory: Option<u32>,
    kdf_parallelism: Option<u32>,
    #[serde(rename = "encKeyValidation_DO_NOT_EDIT")]
    enc_key_validation: Option<String>,
    data: Option<String>,
}

#[derive(Deserialize)]
struct Folder {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: Option<String>,
    folder_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<u32>,
    name: Option<String>,
    notes: Option<String>,
    login: Option<Login>,
    fields: Option<Vec<Field>>,
    password_history: Option<Vec<OldPassword>>,
    creation_date: Option<String>,
    revision_date: Option<String>,
    deleted_date: Option<String>,
}

#[derive(Deserialize)]
struct Login {
    uris: Option<Vec<Uri>>,
    username: Option<String>,
    password: Option<String>,
    totp: Option<String>,
}

#[derive(Deserialize)]
struct Uri {
    uri: Option<String>,
}

#[derive(Deserialize)]
struct Field {
    name: Option<String>,
    value: Option<String>,
    #[serde(rename = "type")]
    kind: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldPassword {
    last_used_date: Option<String>,
    password: Option<String>,
}

/// Reads a Bitwarden JSON export; a password-protected one needs `key.password`.
pub fn read(bytes: &[u8], key: FileKey<'_>, options: Options) -> Result<Read, ImportError> {
    let export = parse(bytes)?;
    if export.encrypted != Some(true) {
        return read_plain(export, false, options);
    }
    if export.password_protected != Some(true) {
        return Err(ImportError::Unsupported {
            what: "account-restricted Bitwarden export (only the Bitwarden account that made it can open it); \
                   export again from Bitwarden choosing \"Password protected\" or plain .json"
                .into(),
        });
    }
    let plain = open_protected(&export, key.password)?;
    let inner = parse(&plain)?;
    if inner.encrypted == Some(true) {
        return Err(ImportError::Damaged { detail: "the protected data holds another encrypted export".into() });
    }
    read_plain(inner, true, options)
}

fn parse(bytes: &[u8]) -> Result<Export, ImportError> {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    serde_json::from_slice(text)
        .map_err(|err| ImportError::WrongShape { expected: EXPECTED, detail: json_problem(&err) })
}

/// The plain export inside a password-protected one.
fn open_protected(export: &Export, password: Option<&SecretText>) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let missing = [
        ("salt", export.salt.is_none()),
        ("kdfType", export.kdf_type.is_none()),
        ("kdfIterations", export.kdf_iterations.is_none()),
        ("encKeyValidation_DO_NOT_EDIT", export.enc_key_validation.is_none()),
        ("data", export.data.is_none()),
    ];
    let missing: Vec<&str> = missing.iter().filter(|(_, gone)| *gone).map(|(name, _)| *name).collect();
    if !missing.is_empty() {
        return Err(ImportError::WrongShape {
            expected: "password-protected Bitwarden JSON",
            detail: format!("it has no {}", missing.join(", ")),
        });
    }
    let (Some(salt), Some(kind), Some(iterations), Some(validation), Some(data)) =
        (&export.salt, export.kdf_type, export.kdf_iterations, &export.enc_key_validation, &export.data)
    else {
        unreachable!("checked above");
    };
    let kdf = crypto::Kdf::from_file(kind, iterations, export.kdf_memory, export.kdf_parallelism)?;
    let password = password.ok_or(ImportError::NeedsPassword)?;
    let key = crypto::stretch(&crypto::derive(password.expose().as_bytes(), salt.as_bytes(), kdf));
    // The validation value is there to tell a wrong password from damaged data.
    match crypto::open(validation, &key) {
        Ok(_) => {}
        Err(crypto::OpenError::Mac) => return Err(ImportError::WrongPassword),
        Err(err) => return Err(damaged("encKeyValidation_DO_NOT_EDIT", err)),
    }
    crypto::open(data, &key).map_err(|err| damaged("data", err))
}

fn damaged(member: &str, err: crypto::OpenError) -> ImportError {
    match err {
        crypto::OpenError::Type(kind) => {
            ImportError::Unsupported { what: format!("encryption type {kind} in a Bitwarden export") }
        }
        crypto::OpenError::Mac => {
            ImportError::Damaged { detail: format!("\"{member}\" does not match its checksum: it was altered") }
        }
        crypto::OpenError::Malformed => {
            ImportError::Damaged { detail: format!("\"{member}\" is not a Bitwarden encrypted value") }
        }
        crypto::OpenError::Padding => {
            ImportError::Damaged { detail: format!("\"{member}\" does not decrypt to whole data") }
        }
    }
}

fn read_plain(export: Export, encrypted: bool, options: Options) -> Result<Read, ImportError> {
    let Some(items) = export.items else {
        return Err(ImportError::WrongShape { expected: EXPECTED, detail: "it has no \"items\" list".into() });
    };
    let folders: HashMap<String, String> =
        export.folders.unwrap_or_default().into_iter().filter_map(|folder| Some((folder.id?, folder.name?))).collect();
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for item in items {
        if item.deleted_date.is_some() {
            continue;
        }
        let folder = item.folder_id.as_ref().and_then(|id| folders.get(id)).map(|f| f.trim()).filter(|f| !f.is_empty());
        let name = item.name.clone().unwrap_or_default();
        let place = || Place::Item(folder.map(|f| format!("{f}/{name}")).unwrap_or_else(|| name.clone()));
        let kind = match item.kind {
            Some(1) => None,
            Some(2) if options.keep_notes => None,
            Some(2) => Some("secure note".to_owned()),
            Some(3) => Some("card".to_owned()),
            Some(4) => Some("identity".to_owned()),
            Some(5) => Some("SSH key".to_owned()),
            Some(n) => Some(format!("Bitwarden item of type {n}")),
            None => Some("Bitwarden item without a type".to_owned()),
        };
        if let Some(kind) = kind {
            skipped.push(Skipped { place: place(), reason: SkipReason::NotALogin { kind } });
            continue;
        }
        match to_entry(item, folder) {
            Ok((imported, bad_totp)) => {
                if bad_totp {
                    skipped.push(Skipped { place: place(), reason: SkipReason::BadTotp });
                }
                entries.push(imported);
            }
            Err(reason) => skipped.push(Skipped { place: place(), reason }),
        }
    }
    Ok(Read { source: Source::BitwardenJson { encrypted }, contents: Contents::Entries(entries), skipped })
}

/// A login (or a kept secure note) as an entry; the flag says its TOTP could not be read.
fn to_entry(item: Item, folder: Option<&str>) -> Result<(Imported, bool), SkipReason> {
    let login = item.login.unwrap_or(Login { uris: None, username: None, password: None, totp: None });
    let title = item.name.unwrap_or_default();
    let username = login.username.unwrap_or_default();
    let password = login.password.unwrap_or_default();
    let urls: Vec<String> = login
        .uris
        .unwrap_or_default()
        .into_iter()
        .filter_map(|u| u.uri)
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    let notes = item.notes.unwrap_or_default();
    if title.trim().is_empty() && username.is_empty() && password.is_empty() && urls.is_empty() && notes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let (totp, bad_totp) = match login.totp.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => (SecretText::default(), false),
        Some(text) => match totp_uri(text, &title, &username) {
            Some(uri) => (uri, false),
            None => (SecretText::default(), true),
        },
    };
    let mut fields = Vec::new();
    for field in item.fields.unwrap_or_default() {
        let name = field.name.unwrap_or_default();
        let value = field.value.unwrap_or_default();
        match field.kind {
            Some(0) | None => push_field(&mut fields, &name, &value, false),
            Some(1) => push_field(&mut fields, &name, &value, true),
            Some(2) => push_field(&mut fields, &name, if value == "true" { "true" } else { "false" }, false),
            // 3, a linked field, only points at the login's own user name or password.
            _ => {}
        }
    }
    let created_ms = rfc3339_ms(item.creation_date.as_deref());
    let modified_ms = rfc3339_ms(item.revision_date.as_deref());
    let mut history: Vec<Earlier> = item
        .password_history
        .unwrap_or_default()
        .into_iter()
        .filter_map(|old| {
            let value = old.password?;
            let at_ms = rfc3339_ms(old.last_used_date.as_deref()).or(created_ms)?;
            Some(Earlier { field: "password".into(), value: SecretText::new(value), at_ms })
        })
        .collect();
    history.sort_by_key(|earlier| earlier.at_ms);
    let entry = NewEntry {
        title: title.trim().to_owned(),
        username,
        password: SecretText::new(password),
        urls,
        notes,
        totp,
        tags: folder.map(|f| vec![f.to_owned()]).unwrap_or_default(),
        fields,
        ..NewEntry::default()
    };
    let id = item.id.filter(|id| !id.is_empty()).map(|id| super::derived_id("bitwarden", &id));
    Ok((Imported { id, entry, created_ms, modified_ms, history }, bad_totp))
}
