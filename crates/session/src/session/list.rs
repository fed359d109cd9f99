//! The entry list: its order, favourites, and the trash (restoring is in `session.rs`; deleting
//! for ever is here).

use vault::activity::EventKind;
use vault::model::PurgeError;
use vault::{EntryId, find, order};

use super::{Session, summary};
use crate::error::{ErrorCode, Result, error, locked, not_found};
use crate::view::{EntrySummary, ListSort};

impl Session {
    /// The entries not in the trash, ordered by `sort`, or by this laptop's saved `listSort`
    /// setting when `None`. `search` then answers positions in this listing.
    pub fn list_entries(&mut self, sort: Option<ListSort>) -> Result<Vec<EntrySummary>> {
        self.drop_expired_handovers()?;
        let sort = sort.unwrap_or(self.desktop.list_sort);
        let vault = &self.unlocked()?.vault;
        let used = order::last_used(vault);
        let mut entries: Vec<_> = vault.live_entries().collect();
        order::sort_entries(&mut entries, sort.entry_sort(), &used);
        let index = find::SearchIndex::of(&entries);
        let summaries = entries.into_iter().map(|e| summary(e, used.get(&e.id).copied())).collect();
        self.listing = index;
        Ok(summaries)
    }

    /// The entries in the trash, most recently deleted first (each with `deleted` set).
    pub fn list_trash(&self) -> Result<Vec<EntrySummary>> {
        let vault = &self.unlocked()?.vault;
        let used = order::last_used(vault);
        Ok(vault.trashed_entries().into_iter().map(|e| summary(e, used.get(&e.id).copied())).collect())
    }

    /// Stars or un-stars an entry. The star travels with the vault (inside it, encrypted, merged
    /// like any field) but is not an edit: no activity event, no backup, the entry's "changed"
    /// time stays.
    pub fn set_favourite(&mut self, id: &str, favourite: bool) -> Result<()> {
        let (id, author) = (self.entry(id)?.id, self.author());
        let open = self.open.as_mut().ok_or_else(locked)?;
        if open.vault.set_favourite(id, favourite, author).map_err(|_| not_found())? {
            let report = crate::write::save_activity(&self.device, &mut open.file, &mut open.vault)
                .map_err(crate::error::from_save)?;
            self.sync.note_save(&report);
        }
        Ok(())
    }

    /// Deletes an entry in the trash for ever: its values and history leave the file at this
    /// save, and a tombstone keeps other laptops' copies from bringing it back. Refused
    /// (`invalid`) for an entry not in the trash.
    pub fn purge_entry(&mut self, id: &str) -> Result<()> {
        let entry = self.entry(id)?;
        if !entry.is_deleted() {
            return Err(not_in_trash());
        }
        let (id, author) = (entry.id, self.author());
        // The event first: it takes the entry's title, which the purge then removes.
        self.note_purged(id);
        let open = self.open.as_mut().ok_or_else(locked)?;
        purge(&mut open.vault, id, author)?;
        self.save()
    }

    /// Deletes every entry in the trash for ever; answers how many.
    pub fn empty_trash(&mut self) -> Result<u32> {
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        let ids: Vec<EntryId> = open.vault.trashed_entries().iter().map(|e| e.id).collect();
        if ids.is_empty() {
            return Ok(0);
        }
        for &id in &ids {
            // The event first: it takes the entry's title, which the purge then removes.
            self.note_purged(id);
            let open = self.open.as_mut().ok_or_else(locked)?;
            purge(&mut open.vault, id, author)?;
        }
        self.save()?;
        Ok(ids.len() as u32)
    }

    fn note_purged(&mut self, id: EntryId) {
        self.note(EventKind::EntryPurged, Some(id), "");
    }
}

fn purge(vault: &mut vault::Vault, id: EntryId, author: vault::Author<'_>) -> Result<()> {
    match vault.purge_entry(id, author) {
        Ok(_) => Ok(()),
        Err(PurgeError::NotInTrash(_)) => Err(not_in_trash()),
        Err(_) => Err(not_found()),
    }
}

fn not_in_trash() -> crate::view::IpcError {
    error(ErrorCode::Invalid, "only an entry in the trash can be deleted for ever")
}
