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

#[cfg(test)]
mod tests {
    use super::super::tests::{draft, unlocked_app};
    use crate::error::ErrorCode;
    use crate::session::Session;
    use crate::view::{ActivityFilter, ListSort};

    fn titles(app: &mut Session, sort: Option<ListSort>) -> Vec<String> {
        app.list_entries(sort).unwrap().into_iter().map(|e| e.title).collect()
    }

    fn add(app: &mut Session, titles: &[&str]) -> Vec<String> {
        titles.iter().map(|t| app.save_entry(None, draft(t, Some("x"))).unwrap()).collect()
    }

    fn kinds(app: &Session) -> Vec<String> {
        app.activity(&ActivityFilter::default()).unwrap().events.into_iter().map(|e| e.kind).collect()
    }

    #[test]
    fn the_list_sorts_chinese_by_pinyin_and_numbers_as_numbers_and_search_finds_pinyin() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        add(&mut app, &["Salesforce", "金蝶", "Exchange", "钉钉", "纷享销客", "客户1060", "客户110", "客户1023"]);
        let listing = titles(&mut app, None);
        assert_eq!(listing, ["钉钉", "Exchange", "纷享销客", "金蝶", "客户110", "客户1023", "客户1060", "Salesforce"]);
        let found = |app: &Session, query: &str| -> Vec<String> {
            app.search(query).unwrap().into_iter().map(|i| listing[i as usize].clone()).collect()
        };
        assert_eq!(found(&app, "fxxk"), ["纷享销客"]);
        assert_eq!(found(&app, "fenxiang"), ["纷享销客"]);
        // Each word must match: "kehu" finds the three 客户 entries, "kehu 1023" one.
        assert_eq!(found(&app, "kehu").len(), 3);
        assert_eq!(found(&app, "kehu 1023"), ["客户1023"]);
    }

    #[test]
    fn recently_used_and_the_saved_sort() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let ids = add(&mut app, &["A", "B", "C"]);
        app.record_copy(&ids[2], "password");
        let listed = app.list_entries(Some(ListSort::Used)).unwrap();
        assert_eq!(listed.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["C", "A", "B"]);
        assert!(listed[0].last_used.is_some() && listed[1].last_used.is_none());
        // Without a sort, the laptop's saved one (by name until changed).
        assert_eq!(titles(&mut app, None), ["A", "B", "C"]);
        let mut settings = app.state().settings;
        settings.list_sort = ListSort::Used;
        app.update_settings(settings).unwrap();
        assert_eq!(titles(&mut app, None), ["C", "A", "B"]);
        app.save_entry(Some(&ids[1]), draft("B", Some("changed"))).unwrap();
        assert_eq!(titles(&mut app, Some(ListSort::Changed))[0], "B");
    }

    #[test]
    fn a_star_is_kept_in_the_vault_and_is_not_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let ids = add(&mut app, &["A", "B"]);
        let before = app.list_entries(None).unwrap();
        let events = kinds(&app).len();
        app.set_favourite(&ids[1], true).unwrap();
        let after = app.list_entries(None).unwrap();
        assert!(after[1].favourite && !after[0].favourite);
        assert_eq!(after[1].modified, before[1].modified, "starring is not editing");
        assert_eq!(kinds(&app).len(), events, "nothing in the activity log");
        assert_eq!(titles(&mut app, Some(ListSort::Changed))[0], "B", "B was made last, and stays first");
        app.lock();
        app.unlock("pw", None).unwrap();
        assert!(app.list_entries(None).unwrap()[1].favourite, "saved in the vault");
        app.set_favourite(&ids[1], false).unwrap();
        assert!(!app.list_entries(None).unwrap()[1].favourite);
        assert_eq!(app.set_favourite("nope", true).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn deleting_for_ever_only_from_the_trash_and_emptying_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let ids = add(&mut app, &["ERP", "Mail", "CRM"]);
        assert_eq!(app.purge_entry(&ids[0]).unwrap_err().code, ErrorCode::Invalid, "not in the trash");
        assert!(app.list_trash().unwrap().is_empty());
        app.delete_entry(&ids[0]).unwrap();
        let trash = app.list_trash().unwrap();
        assert!(trash[0].deleted.is_some());
        assert!(app.list_entries(None).unwrap().iter().all(|e| e.deleted.is_none()));
        app.purge_entry(&ids[0]).unwrap();
        assert!(app.list_trash().unwrap().is_empty());
        assert_eq!(app.entry_detail(&ids[0]).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(app.restore_entry(&ids[0]).unwrap_err().code, ErrorCode::NotFound);
        let log = app.activity(&ActivityFilter::default()).unwrap().events;
        assert_eq!((log[0].kind.as_str(), log[0].title.as_str()), ("entry-purged", "ERP"), "the log still names it");

        assert_eq!(app.empty_trash().unwrap(), 0);
        app.delete_entry(&ids[1]).unwrap();
        app.delete_entry(&ids[2]).unwrap();
        assert_eq!(app.empty_trash().unwrap(), 2);
        assert!(app.list_trash().unwrap().is_empty() && app.list_entries(None).unwrap().is_empty());
        app.lock();
        app.unlock("pw", None).unwrap();
        assert!(app.list_trash().unwrap().is_empty(), "saved");
        assert_eq!(kinds(&app).iter().filter(|k| *k == "entry-purged").count(), 3);
    }
}
