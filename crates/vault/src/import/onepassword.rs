//! 1Password's own export, 1PUX ("1Password Unencrypted Export", 1Password 8): a zip holding
//! `export.attributes`, `export.data` and a `files/` folder of attachments.
//!
//! `export.data` is JSON: `accounts[].vaults[]`, each vault with `attrs.name` and `items[]`.
//! An item has `uuid`, `createdAt`/`updatedAt` (seconds), `state` ("active", "archived"),
//! `categoryUuid` ("001" login, "005" password, "003" secure note, "002" credit card...),
//! `overview {title, url, urls[{label, url}], tags[]}` and `details {loginFields[{value, name,
//! fieldType, designation}], notesPlain, password, sections[{title, fields[{title, id, value}]}],
//! passwordHistory[{value, time}]}`. A section field's `value` is an object with one member
//! naming its kind: `{"concealed": ...}`, `{"string": ...}`, `{"totp": ...}`, `{"url": ...}`,
//! `{"email": {"email_address": ...}}`, `{"file": {"fileName": ...}}`...
//!
//! The zip's sizes are never trusted: `export.data` is read through a limit, so a small file
//! that inflates to gigabytes is refused once it passes [`MAX_IMPORT_BYTES`].

use std::io::{Cursor, Read as _};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::item::{json_problem, push_field, seconds_ms, totp_uri};
use super::{
    Contents, Earlier, ImportError, Imported, MAX_IMPORT_BYTES, Options, Place, Read, SkipReason, Skipped, Source,
};
use crate::model::NewEntry;
use crate::secret::SecretText;

const EXPECTED: &str = "1Password 1PUX";

#[derive(Deserialize)]
struct ExportData {
    accounts: Option<Vec<Account>>,
}

#[derive(Deserialize)]
struct Account {
    vaults: Option<Vec<Vault>>,
}

#[derive(Deserialize)]
struct Vault {
    attrs: Option<VaultAttrs>,
    items: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct VaultAttrs {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Item {
    uuid: Option<String>,
    created_at: Option<i64>,
    updated_at: Option<i64>,
    state: Option<String>,
    category_uuid: Option<String>,
    overview: Option<Overview>,
    details: Option<Details>,
}

#[derive(Deserialize, Default)]
struct Overview {
    title: Option<String>,
    url: Option<String>,
    urls: Option<Vec<UrlEntry>>,
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct UrlEntry {
    url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Details {
    login_fields: Option<Vec<LoginField>>,
    notes_plain: Option<String>,
    password: Option<String>,
    sections: Option<Vec<Section>>,
    password_history: Option<Vec<OldPassword>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginField {
    /// Usually text; 1Password writes some linked values as objects, which are skipped.
    value: Option<Value>,
    name: Option<String>,
    id: Option<String>,
    field_type: Option<String>,
    designation: Option<String>,
}

#[derive(Deserialize)]
struct Section {
    title: Option<String>,
    fields: Option<Vec<SectionField>>,
}

#[derive(Deserialize)]
struct SectionField {
    title: Option<String>,
    id: Option<String>,
    value: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct OldPassword {
    value: Option<String>,
    time: Option<i64>,
}

/// Reads a 1PUX file.
pub fn read_1pux(bytes: &[u8], options: Options) -> Result<Read, ImportError> {
    read_1pux_limited(bytes, options, MAX_IMPORT_BYTES)
}

/// [`read_1pux`], refusing an `export.data` that unpacks to more than `limit` bytes: tests and
/// fuzzing check the zip-bomb guard with a small limit instead of half a gigabyte.
pub fn read_1pux_limited(bytes: &[u8], options: Options, limit: u64) -> Result<Read, ImportError> {
    let data = unpack_export_data(bytes, limit)?;
    let export: ExportData = serde_json::from_slice(&data).map_err(|err| ImportError::WrongShape {
        expected: EXPECTED,
        detail: format!("in its export.data, {}", json_problem(&err)),
    })?;
    let Some(accounts) = export.accounts else {
        return Err(ImportError::WrongShape {
            expected: EXPECTED,
            detail: "its export.data has no \"accounts\" list".into(),
        });
    };
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for vault in accounts.into_iter().flat_map(|a| a.vaults.unwrap_or_default()) {
        let vault_name = vault.attrs.and_then(|a| a.name).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        for value in vault.items.unwrap_or_default() {
            read_item(value, vault_name.as_deref(), options, &mut entries, &mut skipped);
        }
    }
    Ok(Read { source: Source::OnePassword1pux, contents: Contents::Entries(entries), skipped })
}

/// The bytes of `export.data`, at most `limit` of them whatever the zip declares.
fn unpack_export_data(bytes: &[u8], limit: u64) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
        if bytes.starts_with(b"PK") {
            ImportError::Damaged { detail: format!("the zip cannot be read: {err}") }
        } else {
            ImportError::WrongShape { expected: EXPECTED, detail: "it is not a zip file".into() }
        }
    })?;
    let mut file = archive.by_name("export.data").map_err(|err| match err {
        zip::result::ZipError::FileNotFound => {
            ImportError::WrongShape { expected: EXPECTED, detail: "the zip holds no export.data".into() }
        }
        err => ImportError::Damaged { detail: format!("export.data cannot be read from the zip: {err}") },
    })?;
    let mut data = zeroize::Zeroizing::new(Vec::new());
    (&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|err| ImportError::Damaged { detail: format!("export.data cannot be unpacked: {err}") })?;
    if data.len() as u64 > limit {
        return Err(ImportError::TooLarge { limit_mb: limit >> 20 });
    }
    Ok(data)
}

/// The word for a category that is not imported as an entry; `None` for those that are.
fn not_a_login(category: &str, keep_notes: bool) -> Option<String> {
    let kind = match category {
        // Login, password, database, wireless router, server, API credential: all have a user
        // name and password to sign in with.
        "001" | "005" | "102" | "109" | "110" | "112" => return None,
        "003" if keep_notes => return None,
        "003" => "secure note",
        "002" => "credit card",
        "004" => "identity",
        "006" => "document",
        "100" => "software licence",
        "101" => "bank account",
        "103" => "driver's licence",
        "104" => "outdoor licence",
        "105" => "membership",
        "106" => "passport",
        "107" => "reward programme",
        "108" => "social security number",
        "111" => "email account",
        "113" => "medical record",
        "114" => "SSH key",
        other => return Some(format!("1Password item of category {other}")),
    };
    Some(kind.to_owned())
}

fn read_item(
    value: Value,
    vault: Option<&str>,
    options: Options,
    entries: &mut Vec<Imported>,
    skipped: &mut Vec<Skipped>,
) {
    // Early 1PUX files wrap each element: {"item": {...}} or {"file": {...}} for an attachment.
    let value = match value {
        Value::Object(mut map) if map.contains_key("item") => map.remove("item").unwrap_or(Value::Null),
        Value::Object(map) if map.contains_key("file") && !map.contains_key("uuid") => {
            let name = file_name(map.get("file")).unwrap_or_else(|| "attachment".into());
            let place = Place::Item(vault.unwrap_or_default().to_owned());
            skipped.push(Skipped { place, reason: SkipReason::Attachment { name } });
            return;
        }
        other => other,
    };
    let item: Item = match serde_json::from_value(value) {
        Ok(item) => item,
        Err(err) => {
            let place = Place::Item(vault.unwrap_or_default().to_owned());
            let detail = format!("the item is not readable: {}", json_problem(&err));
            skipped.push(Skipped { place, reason: SkipReason::Unreadable { detail } });
            return;
        }
    };
    if matches!(item.state.as_deref(), Some("archived" | "deleted")) {
        return;
    }
    let title = item.overview.as_ref().and_then(|o| o.title.clone()).unwrap_or_default();
    let place = || Place::Item(vault.map(|v| format!("{v}/{title}")).unwrap_or_else(|| title.clone()));
    let category = item.category_uuid.clone().unwrap_or_default();
    if let Some(kind) = not_a_login(&category, options.keep_notes) {
        skipped.push(Skipped { place: place(), reason: SkipReason::NotALogin { kind } });
        return;
    }
    let mut notes_for_item = Vec::new();
    match to_entry(item, vault, &mut notes_for_item) {
        Some(imported) => entries.push(imported),
        None => notes_for_item.insert(0, SkipReason::Empty),
    }
    skipped.extend(notes_for_item.into_iter().map(|reason| Skipped { place: place(), reason }));
}

fn file_name(file: Option<&Value>) -> Option<String> {
    let file = file?.as_object()?;
    let attrs = file.get("attrs").and_then(Value::as_object).unwrap_or(file);
    ["fileName", "name"].iter().find_map(|key| attrs.get(*key)?.as_str().map(str::to_owned))
}

/// The entry for an item, or `None` when it has nothing to import. `reasons` collects what of
/// the item was left out (attachments, an unreadable TOTP).
fn to_entry(item: Item, vault: Option<&str>, reasons: &mut Vec<SkipReason>) -> Option<Imported> {
    let overview = item.overview.unwrap_or_default();
    let details = item.details.unwrap_or_default();
    let mut entry = NewEntry { title: overview.title.unwrap_or_default().trim().to_owned(), ..NewEntry::default() };

    let mut urls: Vec<String> = overview.urls.unwrap_or_default().into_iter().filter_map(|u| u.url).collect();
    urls.extend(overview.url);
    for url in urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
        if !entry.urls.iter().any(|known| known == url) {
            entry.urls.push(url.to_owned());
        }
    }
    entry.tags.extend(vault.map(str::to_owned));
    for tag in overview.tags.unwrap_or_default() {
        let tag = tag.trim();
        if !tag.is_empty() && !entry.tags.iter().any(|t| t == tag) {
            entry.tags.push(tag.to_owned());
        }
    }

    let mut password = details.password.unwrap_or_default();
    for field in details.login_fields.unwrap_or_default() {
        let Some(value) = field.value.as_ref().and_then(Value::as_str) else { continue };
        let name = field.name.or(field.id).unwrap_or_default();
        match (field.designation.as_deref(), field.field_type.as_deref()) {
            (Some("username"), _) if entry.username.is_empty() => entry.username = value.to_owned(),
            (Some("password"), _) if password.is_empty() => password = value.to_owned(),
            (_, Some("P")) => push_field(&mut entry.fields, &name, value, true),
            (_, Some("C")) => {
                push_field(&mut entry.fields, &name, if value.is_empty() { "false" } else { "true" }, false)
            }
            _ if value.is_empty() => {}
            _ => push_field(&mut entry.fields, &name, value, false),
        }
    }

    let mut totp_text = None;
    for section in details.sections.unwrap_or_default() {
        let section_title = section.title.unwrap_or_default();
        for field in section.fields.unwrap_or_default() {
            let Some((kind, value)) = field.value.as_ref().and_then(|v| v.iter().next()) else { continue };
            let id = field.id.unwrap_or_default();
            let name = [field.title.as_deref(), Some(section_title.as_str()), Some(id.as_str())]
                .into_iter()
                .flatten()
                .find(|n| !n.trim().is_empty())
                .unwrap_or_default()
                .to_owned();
            match (kind.as_str(), value) {
                ("file", file) => {
                    let name = file_name(Some(file)).unwrap_or(name);
                    reasons.push(SkipReason::Attachment { name });
                }
                ("totp", Value::String(text)) if !text.trim().is_empty() => {
                    if totp_text.is_none() {
                        totp_text = Some(text.clone());
                    } else {
                        push_field(&mut entry.fields, &name, text, true);
                    }
                }
                ("concealed", Value::String(text)) if id == "password" && password.is_empty() => {
                    password = text.clone();
                }
                ("string", Value::String(text)) if id == "username" && entry.username.is_empty() => {
                    entry.username = text.clone();
                }
                ("concealed" | "creditCardNumber", Value::String(text)) if !text.is_empty() => {
                    push_field(&mut entry.fields, &name, text, true);
                }
                ("email", Value::Object(email)) => {
                    if let Some(address) = email.get("email_address").and_then(Value::as_str) {
                        push_field(&mut entry.fields, &name, address, false);
                    }
                }
                ("address", Value::Object(parts)) => {
                    let text: Vec<&str> = ["street", "city", "state", "zip", "country"]
                        .iter()
                        .filter_map(|key| parts.get(*key)?.as_str())
                        .filter(|part| !part.is_empty())
                        .collect();
                    if !text.is_empty() {
                        push_field(&mut entry.fields, &name, &text.join(", "), false);
                    }
                }
                // A link to another item, or an SSH key: nothing an entry can hold.
                ("reference" | "sshKey", _) => {}
                (_, Value::String(text)) if !text.is_empty() => push_field(&mut entry.fields, &name, text, false),
                (_, Value::Number(number)) => push_field(&mut entry.fields, &name, &number.to_string(), false),
                _ => {}
            }
        }
    }
    entry.password = SecretText::new(password);
    if let Some(text) = totp_text {
        match totp_uri(&text, &entry.title, &entry.username) {
            Some(uri) => entry.totp = uri,
            None => reasons.push(SkipReason::BadTotp),
        }
    }
    entry.notes = details.notes_plain.unwrap_or_default();

    if entry.title.is_empty()
        && entry.username.is_empty()
        && entry.password.is_empty()
        && entry.urls.is_empty()
        && entry.notes.is_empty()
    {
        return None;
    }
    let created_ms = seconds_ms(item.created_at);
    let modified_ms = seconds_ms(item.updated_at);
    let mut history: Vec<Earlier> = details
        .password_history
        .unwrap_or_default()
        .into_iter()
        .filter_map(|old| {
            let at_ms = seconds_ms(old.time).or(created_ms)?;
            Some(Earlier { field: "password".into(), value: SecretText::new(old.value?), at_ms })
        })
        .collect();
    history.sort_by_key(|earlier| earlier.at_ms);
    let id = item.uuid.filter(|id| !id.is_empty()).map(|id| super::derived_id("1password", &id));
    Some(Imported { id, entry, created_ms, modified_ms, history })
}
