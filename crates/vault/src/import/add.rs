//! Taking what a reader found into the vault: first a plan (what arrives, what is already there),
//! then the import itself.

use std::collections::{HashMap, HashSet};

use super::{Contents, Imported, Read};
use crate::clock::Hlc;
use crate::model::{Author, Entry, EntryId, HistoryItem, MergeError, Vault};

/// What an import would do, for the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Entries that would be added.
    pub arriving: usize,
    /// Entries the vault already has, by title.
    pub already: Vec<Match>,
}

/// An entry of the file the vault already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub title: String,
    pub entry: EntryId,
    /// The vault's copy is in the trash: the import leaves it there.
    pub in_trash: bool,
}

/// What the vault holds that an import could duplicate, besides ids: each live entry's title,
/// user name, password and URLs (an entry imported before by a reader that had no id for it).
/// Kept as digests, so that the vault's passwords are not copied into plain strings.
struct Present {
    by_content: HashMap<ContentKey, EntryId>,
}

type ContentKey = [u8; 32];

impl Present {
    fn of(vault: &Vault) -> Self {
        let by_content = vault
            .live_entries()
            .map(|e| (content_key(&e.title.value, &e.username.value, e.password.value.expose(), &e.urls.value), e.id))
            .collect();
        Present { by_content }
    }

    fn find(&self, vault: &Vault, imported: &Imported) -> Option<EntryId> {
        if let Some(id) = imported.id.filter(|id| vault.entry(*id).is_some()) {
            return Some(id);
        }
        self.by_content.get(&key(imported)).copied()
    }
}

fn content_key(title: &str, username: &str, password: &str, urls: &[String]) -> ContentKey {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    // Each part with its length first, so that no two different entries give the same bytes.
    for part in [title, username, password].into_iter().chain(urls.iter().map(String::as_str)) {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().into()
}

fn key(imported: &Imported) -> ContentKey {
    let e = &imported.entry;
    content_key(&e.title, &e.username, e.password.expose(), &e.urls)
}

fn matched(vault: &Vault, title: &str, id: EntryId) -> Match {
    let in_trash = vault.entry(id).is_some_and(Entry::is_deleted);
    Match { title: title.to_owned(), entry: id, in_trash }
}

/// What importing `read` into `vault` would add and what it would find already there.
pub fn plan(vault: &Vault, read: &Read) -> Plan {
    let mut plan = Plan::default();
    match &read.contents {
        Contents::Entries(entries) => {
            let present = Present::of(vault);
            // What the import adds, as `apply` goes: an entry whose id or contents an earlier
            // entry of the same file brought arrives once.
            let (mut ids, mut keys) = (HashSet::new(), HashSet::new());
            for imported in entries {
                if let Some(id) = present.find(vault, imported) {
                    plan.already.push(matched(vault, &imported.entry.title, id));
                    continue;
                }
                let key = key(imported);
                if keys.contains(&key) || imported.id.is_some_and(|id| ids.contains(&id)) {
                    continue;
                }
                keys.insert(key);
                ids.extend(imported.id);
                plan.arriving += 1;
            }
        }
        Contents::Vault(other) => {
            for entry in other.entries.values().filter(|e| !e.is_deleted()) {
                match vault.entry(entry.id) {
                    Some(_) => plan.already.push(matched(vault, &entry.title.value, entry.id)),
                    None => plan.arriving += 1,
                }
            }
        }
    }
    plan
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub already_present: usize,
}

/// Imports `read` into `vault`: new entries are added, with the source's times and earlier values;
/// entries already there are left as they are. Our own export is merged in whole.
pub fn apply(vault: &mut Vault, read: Read, author: Author<'_>) -> Result<Summary, MergeError> {
    let plan = plan(vault, &read);
    match read.contents {
        Contents::Entries(entries) => {
            let mut summary = Summary { added: 0, already_present: plan.already.len() };
            // Built once and kept up to date as entries go in (the same entry twice in one file
            // arrives once): rebuilding it per entry made a 10,000-entry import quadratic.
            let mut present = Present::of(vault);
            for imported in entries {
                if present.find(vault, &imported).is_some() {
                    continue;
                }
                let key = key(&imported);
                let id = vault.add_imported(imported, author);
                present.by_content.insert(key, id);
                summary.added += 1;
            }
            Ok(summary)
        }
        Contents::Vault(mut other) => {
            // An export made on a laptop whose clock ran ahead (or forged) would otherwise pin
            // these entries' clocks in the future, beating every later edit: importing is a
            // choice the user made, so its writes are dated no later than now, as a held copy
            // merged on purpose is.
            if other.clock_ahead(author.clock.now_ms()).is_some() {
                other.pull_back_clocks(author.clock.now_ms());
            }
            vault.take_entries_from(&other)?;
            Ok(Summary { added: plan.arriving, already_present: plan.already.len() })
        }
    }
}

impl Vault {
    /// Adds an entry as a source had it: created and last changed when the source says (never
    /// later than now), with its earlier values in the history.
    pub fn add_imported(&mut self, imported: Imported, author: Author<'_>) -> EntryId {
        let now = self.tick(author);
        let mut id = imported.id.unwrap_or_else(EntryId::random);
        while self.entries.contains_key(&id) {
            id = EntryId::random();
        }
        // A source's times become clocks of this laptop; one in the future (a wrong clock where
        // the file was made) is taken as now, so that no imported write can outrank a real edit.
        let at = |ms: Option<u64>| match ms {
            Some(ms) if ms < now.wall_ms => Hlc { wall_ms: ms, counter: 0, device: author.device },
            _ => now,
        };
        let modified = at(imported.modified_ms);
        let created = at(imported.created_ms).min(modified);
        let mut entry = Entry::create(id, imported.entry, modified);
        entry.created = created;
        entry.history = imported
            .history
            .into_iter()
            .map(|earlier| HistoryItem {
                field: earlier.field,
                value: earlier.value,
                clock: at(Some(earlier.at_ms)).min(modified),
            })
            .collect();
        crate::model::normalize_history(&mut entry.history);
        self.entries.insert(id, entry);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, DeviceId};
    use crate::import::{Earlier, Source};
    use crate::model::NewEntry;

    struct At(u64);
    impl Clock for At {
        fn now_ms(&self) -> u64 {
            self.0
        }
    }

    const NOW: u64 = 1_790_000_000_000;
    const YEAR_MS: u64 = 365 * 24 * 3600 * 1000;

    fn entries(items: Vec<Imported>) -> Read {
        Read { source: Source::CrmVault, contents: Contents::Entries(items), skipped: vec![] }
    }

    #[test]
    fn an_imported_entry_keeps_its_times_and_earlier_values_but_never_a_time_ahead_of_now() {
        let clock = At(NOW);
        let me = Author { device: DeviceId(1), clock: &clock };
        let mut vault = Vault::new("Work", me, "laptop");
        let old = Imported {
            entry: NewEntry { title: "ERP".into(), password: "new-pw".into(), ..NewEntry::default() },
            created_ms: Some(NOW - 2 * YEAR_MS),
            modified_ms: Some(NOW - YEAR_MS),
            history: vec![Earlier { field: "password".into(), value: "old-pw".into(), at_ms: NOW - 2 * YEAR_MS }],
            ..Imported::default()
        };
        let future = Imported {
            entry: NewEntry { title: "Mail".into(), password: "pw".into(), ..NewEntry::default() },
            modified_ms: Some(NOW + YEAR_MS),
            ..Imported::default()
        };
        let summary = apply(&mut vault, entries(vec![old, future]), me).unwrap();
        assert_eq!(summary, Summary { added: 2, already_present: 0 });
        let erp = vault.live_entries().find(|e| e.title.value == "ERP").unwrap();
        assert_eq!(erp.password_changed().wall_ms, NOW - YEAR_MS, "the password's age comes from the source");
        assert_eq!(erp.created.wall_ms, NOW - 2 * YEAR_MS);
        assert_eq!(erp.history.len(), 1);
        assert_eq!(erp.history[0].value.expose(), "old-pw");
        let mail = vault.live_entries().find(|e| e.title.value == "Mail").unwrap();
        assert!(mail.modified().wall_ms <= NOW, "a source's future time is taken as now");
    }

    /// Found by fuzzing: two items of one file with the same id but other contents. The preview
    /// must count what the import then adds.
    #[test]
    fn the_plan_counts_what_apply_adds_when_a_file_repeats_an_id() {
        let clock = At(NOW);
        let me = Author { device: DeviceId(1), clock: &clock };
        let mut vault = Vault::new("Work", me, "laptop");
        let id = Some(EntryId::random());
        let item = |title: &str| Imported {
            id,
            entry: NewEntry { title: title.into(), ..NewEntry::default() },
            ..Imported::default()
        };
        let twice = || entries(vec![item("CRM"), item("CRM (edited)"), item("Mail")]);
        let plan = plan(&vault, &twice());
        let summary = apply(&mut vault, twice(), me).unwrap();
        assert_eq!(plan.arriving, 1, "the second item has the first one's id; Mail too");
        assert_eq!(summary.added, plan.arriving);
        assert_eq!(vault.live_entries().count(), 1);
    }

    #[test]
    fn a_vault_export_with_clocks_ahead_is_dated_now_when_imported() {
        let (ahead, now) = (At(NOW + YEAR_MS), At(NOW));
        let mut other = Vault::new("Old laptop", Author { device: DeviceId(2), clock: &ahead }, "old");
        other.add_entry(
            NewEntry { title: "CRM".into(), ..NewEntry::default() },
            Author { device: DeviceId(2), clock: &ahead },
        );
        let me = Author { device: DeviceId(1), clock: &now };
        let mut vault = Vault::new("Work", me, "laptop");
        let read = Read { source: Source::CrmVault, contents: Contents::Vault(Box::new(other)), skipped: vec![] };
        assert_eq!(apply(&mut vault, read, me).unwrap().added, 1);
        assert!(vault.clock_ahead(NOW).is_none(), "no clock of the import stays in the future");
        let id = vault.live_entries().next().unwrap().id;
        vault
            .edit_entry(id, crate::model::EntryEdit { title: Some("CRM 2".into()), ..Default::default() }, me)
            .unwrap();
        assert_eq!(vault.entry(id).unwrap().title.value, "CRM 2");
    }
}
