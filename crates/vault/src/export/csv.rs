//! A plain-text CSV of the live entries in Bitwarden's column layout, which Bitwarden, 1Password,
//! KeePassXC and most other managers import. It holds every password in the clear: the front ends
//! ask for an explicit confirmation before writing one.

use zeroize::Zeroizing;

use crate::company::inventory::inert;
use crate::model::{Entry, Vault};

/// Bitwarden's header row, in its order.
pub const HEADER: [&str; 11] = [
    "folder",
    "favorite",
    "type",
    "name",
    "notes",
    "fields",
    "reprompt",
    "login_uri",
    "login_username",
    "login_password",
    "login_totp",
];

/// The live entries (not the trash), ordered by title, one row each.
///
/// The folder is the entry's first tag (in the order the app lists them); custom fields are
/// Bitwarden's `name: value` lines (its CSV has no hidden flag); several URLs are joined by
/// commas, as Bitwarden writes them. Cells a spreadsheet could run as a formula get a leading
/// apostrophe, as in the accounts list for IT, except the user name, password and TOTP link:
/// those must reach the next manager exactly as they are, or the logins break (a user name may
/// well be "+8613800138000", a generated password "-x9...").
pub fn write(vault: &Vault) -> Zeroizing<Vec<u8>> {
    let entries = vault.sorted_entries();
    // Room for everything up front, so the buffer holding the passwords is never moved (which
    // would leave a copy behind that is not wiped). csv's own small buffer is freed unwiped.
    let capacity = entries.iter().map(|e| 2 * upper_bound(e) + 64).sum::<usize>() + 128;
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    {
        let mut writer = ::csv::Writer::from_writer(&mut *out);
        writer.write_record(HEADER).expect("writing to memory does not fail");
        for entry in entries {
            write_entry(&mut writer, entry);
        }
        writer.flush().expect("writing to memory does not fail");
    }
    out
}

fn write_entry(writer: &mut ::csv::Writer<&mut Vec<u8>>, entry: &Entry) {
    let folder = entry.tags().next().unwrap_or("");
    let mut fields = Zeroizing::new(String::new());
    for (name, field) in entry.custom_fields() {
        if !fields.is_empty() {
            fields.push('\n');
        }
        fields.push_str(name);
        fields.push_str(": ");
        fields.push_str(field.value.expose());
    }
    let fields = Zeroizing::new(inert(&fields));
    let (folder, title, notes) = (inert(folder), inert(&entry.title.value), inert(&entry.notes.value));
    let urls = inert(&entry.urls.value.join(","));
    let record: [&[u8]; 11] = [
        folder.as_bytes(),
        b"",
        b"login",
        title.as_bytes(),
        notes.as_bytes(),
        fields.as_bytes(),
        b"0",
        urls.as_bytes(),
        entry.username.value.as_bytes(),
        entry.password.value.expose().as_bytes(),
        entry.totp.value.expose().as_bytes(),
    ];
    writer.write_record(record).expect("writing to memory does not fail");
}

/// The most bytes an entry's cells take before quoting.
fn upper_bound(entry: &Entry) -> usize {
    let fields: usize = entry.custom_fields().map(|(name, f)| name.len() + f.value.expose().len() + 3).sum();
    let urls: usize = entry.urls.value.iter().map(|u| u.len() + 1).sum();
    entry.tags().next().map_or(0, str::len)
        + entry.title.value.len()
        + entry.notes.value.len()
        + fields
        + urls
        + entry.username.value.len()
        + entry.password.value.expose().len()
        + entry.totp.value.expose().len()
        + 16
}
