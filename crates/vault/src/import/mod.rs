//! Bringing entries in from other password managers. Kept apart from `format`: these readers
//! deal with other programs' files, never with ours.

pub mod csv;

use crate::model::{Author, NewEntry, Vault};

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line number in the source file.
    pub line: u64,
    pub reason: String,
}

/// What an import did to the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    /// Rows identical to an entry already in the vault (same title, username, password and URLs).
    pub already_present: usize,
}

/// Adds `entries` to `vault`, leaving out any that are already there, so importing the same file
/// twice does not double the vault.
pub fn add_all(vault: &mut Vault, entries: Vec<NewEntry>, author: Author<'_>) -> ImportSummary {
    let mut seen: std::collections::HashSet<(String, String, String, Vec<String>)> = vault
        .live_entries()
        .map(|e| {
            (
                e.title.value.clone(),
                e.username.value.clone(),
                e.password.value.expose().to_owned(),
                e.urls.value.clone(),
            )
        })
        .collect();
    let mut summary = ImportSummary::default();
    for entry in entries {
        let key = (entry.title.clone(), entry.username.clone(), entry.password.expose().to_owned(), entry.urls.clone());
        if seen.insert(key) {
            vault.add_entry(entry, author);
            summary.added += 1;
        } else {
            summary.already_present += 1;
        }
    }
    summary
}
