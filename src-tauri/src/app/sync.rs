//! Keeping the open vault in step with its file while a sync service (OneDrive, Dropbox,
//! Nextcloud, Syncthing) brings other laptops' saves: the shell calls [`App::sync_tick`] every
//! second; what arrived is merged in memory (never written over) and announced.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use vault::SystemClock;
use vault::model::MergeReport;
use vault::store::conflicts;

use super::App;
use crate::ipc::{SyncNews, SyncStatus};

/// What the app knows about its vault file between ticks.
#[derive(Debug, Default)]
pub struct SyncState {
    pub status: SyncStatus,
    /// Changes merged in by our own saves, not yet announced.
    pending: SyncNews,
    /// The file's modification time and size at the last look: a cheap way to notice a new
    /// version without reading it. Polling rather than file-system events, because sync folders
    /// on FUSE or network mounts often send none.
    stamp: Option<(SystemTime, u64)>,
    /// Conflicted copies already found to be another vault or unreadable: not retried every tick.
    left_alone: BTreeSet<PathBuf>,
}

impl SyncState {
    /// Takes in what a save of ours merged from the file (another laptop's save it found there).
    pub fn note_save(&mut self, report: &MergeReport) {
        add_report(&mut self.pending, report);
    }
}

impl App {
    /// Looks at the vault file and the conflicted copies beside it; merges what is new into the
    /// open vault. Returns news for the page when something arrived or the status changed.
    pub fn sync_tick(&mut self, now_ms: u64) -> Option<(SyncNews, SyncStatus)> {
        let open = self.open.as_mut()?;
        let sync = &mut self.sync;
        let path = open.file.path().to_owned();
        let mut news = std::mem::take(&mut sync.pending);
        let error_before = sync.status.error.clone();

        let stamp = file_stamp(&path);
        if stamp != sync.stamp || sync.status.error.is_some() {
            sync.stamp = stamp;
            match open.file.refresh(&mut open.vault) {
                Ok(Some(report)) => {
                    add_report(&mut news, &report);
                    sync.status.error = None;
                }
                Ok(None) => sync.status.error = Some("file-missing".into()),
                Err(err) => sync.status.error = Some(crate::error::from_save(err).code),
            }
        }

        let copies = conflicts::find(&path).unwrap_or_default();
        // A copy left alone that has since gone (deleted, moved) is no longer worth a mention.
        sync.left_alone.retain(|left| copies.iter().any(|c| &c.path == left));
        if copies.iter().any(|c| !sync.left_alone.contains(&c.path)) {
            match open.file.merge_conflicted_copies(&mut open.vault, &SystemClock) {
                Ok(report) => {
                    news.copies_merged += report.merged.len() as u32;
                    sync.status.copies_merged += report.merged.len() as u32;
                    add_report(&mut news, &report.changes);
                    for (copy, _) in report.left_alone {
                        sync.left_alone.insert(copy.path);
                    }
                }
                Err(err) => sync.status.error = Some(crate::error::from_save(err).code),
            }
            sync.stamp = file_stamp(&path);
        }
        let left_alone: Vec<String> = sync.left_alone.iter().map(|p| file_name(p)).collect();
        let left_alone_changed = left_alone != sync.status.copies_left_alone;
        sync.status.copies_left_alone = left_alone;

        sync.status.last_check = Some(now_ms);
        let arrived = !is_empty(&news);
        if arrived {
            sync.status.last_merge = Some(now_ms);
            sync.status.last_news = Some(news.clone());
        }
        (arrived || left_alone_changed || sync.status.error != error_before).then(|| (news, sync.status.clone()))
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.sync.status.clone()
    }
}

fn add_report(news: &mut SyncNews, report: &MergeReport) {
    news.added += report.added.len() as u32;
    news.updated += report.updated.len() as u32;
    news.deleted += report.deleted.len() as u32;
    news.restored += report.restored.len() as u32;
    let changes = report.added.iter().chain(&report.updated).chain(&report.deleted).chain(&report.restored);
    for name in changes.flat_map(|change| &change.by) {
        if !news.from.contains(name) {
            news.from.push(name.clone());
        }
    }
    news.settings_changed |= !report.settings.is_empty();
    if let Some(by) = &report.password_changed_by {
        news.password_changed_by = Some(by.clone());
    }
}

fn is_empty(news: &SyncNews) -> bool {
    news.added + news.updated + news.deleted + news.restored + news.copies_merged == 0
        && !news.settings_changed
        && news.password_changed_by.is_none()
}

fn file_stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::EntryDraft;
    use secrecy::SecretString;
    use vault::{KdfParams, Vault, VaultFile};

    const PASSWORD: &str = "pw";

    /// Two laptops (their own settings folders) with one vault file, both unlocked.
    fn two_laptops(dir: &Path) -> (PathBuf, App, App) {
        let path = dir.join("v.crmvault");
        let laptop = |name: &str| {
            let mut app = App::new(dir.join(name), dir.join("data"), Err("no keyring in tests".into()));
            if !path.exists() {
                let vault = Vault::new("v", app.author(), name);
                let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
                VaultFile::create(&path, &SecretString::from(PASSWORD), cheap, &vault).unwrap();
            }
            app.open_vault(&path).unwrap();
            app.unlock(PASSWORD, None).unwrap();
            app
        };
        let (a, b) = (laptop("laptop-a"), laptop("laptop-b"));
        (path, a, b)
    }

    fn draft(title: &str) -> EntryDraft {
        EntryDraft {
            title: title.into(),
            username: "li.wei".into(),
            password: Some("pw-1".into()),
            urls: vec![],
            notes: String::new(),
            tags: vec![],
            fields: vec![],
            rules: None,
            expires: None,
            totp: Default::default(),
        }
    }

    fn titles(app: &mut App) -> Vec<String> {
        app.list_entries().unwrap().into_iter().map(|e| e.title).collect()
    }

    #[test]
    fn another_laptops_save_is_merged_and_announced_once() {
        let dir = tempfile::tempdir().unwrap();
        let (_, mut a, mut b) = two_laptops(dir.path());
        assert_eq!(b.sync_tick(1), None, "nothing new yet");
        let id = a.save_entry(None, draft("Salesforce")).unwrap();

        let (news, status) = b.sync_tick(2).expect("B notices A's save");
        assert_eq!((news.added, news.updated), (1, 0));
        assert_eq!(news.from, [a.device.name.clone()]);
        assert_eq!(status.last_merge, Some(2));
        assert_eq!(titles(&mut b), ["Salesforce"]);
        assert_eq!(b.sync_tick(3), None, "announced once");

        // B edits on top, A takes it in; the detail says where the field last changed.
        let mut edit = draft("Salesforce");
        edit.username = "wei.li".into();
        edit.password = None;
        b.save_entry(Some(&id), edit).unwrap();
        let (news, _) = a.sync_tick(4).expect("A notices B's edit");
        assert_eq!(news.updated, 1);
        let detail = a.entry_detail(&id).unwrap();
        assert_eq!(detail.username, "wei.li");
        let username = detail.changes.iter().find(|c| c.field == "username").unwrap();
        assert_eq!(username.device, b.device.name);
    }

    #[test]
    fn a_missing_file_is_reported_and_the_vault_stays_open() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.save_entry(None, draft("ERP")).unwrap();
        a.sync_tick(1);
        std::fs::remove_file(&path).unwrap();
        let (_, status) = a.sync_tick(2).expect("the error is news");
        assert_eq!(status.error.as_deref(), Some("file-missing"));
        assert_eq!(titles(&mut a), ["ERP"], "still open in memory");
        assert_eq!(a.sync_tick(3), None, "the same error is not announced twice");
        // The next save writes the file again, and the error clears.
        a.save_entry(None, draft("Mail")).unwrap();
        let (_, status) = a.sync_tick(4).expect("the error cleared");
        assert_eq!(status.error, None);
        assert!(path.exists());
    }

    #[test]
    fn conflicted_copies_beside_the_vault_are_merged_and_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.sync_tick(1);
        // A third laptop's save that the sync service kept as a conflicted copy.
        let copy = dir.path().join("v (conflicted copy 2026-11-21 101010).crmvault");
        std::fs::copy(&path, &copy).unwrap();
        let (mut file, mut vault) = VaultFile::open(&copy, &SecretString::from(PASSWORD)).unwrap();
        let clock = vault::SystemClock;
        let author = vault::Author { device: vault::DeviceId(0xc0ffee), clock: &clock };
        vault.add_entry(vault::NewEntry { title: "Partner portal".into(), ..Default::default() }, author);
        vault.note_device(author, "LAPTOP-3");
        file.save(&mut vault, &clock).unwrap();

        let (news, status) = a.sync_tick(2).expect("the copy is news");
        assert_eq!((news.added, news.copies_merged), (1, 1));
        assert_eq!(news.from, ["LAPTOP-3"]);
        assert_eq!(status.copies_merged, 1);
        assert!(!copy.exists(), "moved to the backups folder");
        assert_eq!(titles(&mut a), ["Partner portal"]);
        // Another vault's file with a conflicted-copy name is left alone, said once, and forgotten
        // when it goes.
        let stranger = dir.path().join("v-LAPTOP9.crmvault");
        let other = Vault::new("other", author, "LAPTOP-9");
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&stranger, &SecretString::from(PASSWORD), cheap, &other).unwrap();
        let (_, status) = a.sync_tick(3).expect("a copy left alone is news");
        assert_eq!(status.copies_left_alone, ["v-LAPTOP9.crmvault"]);
        assert_eq!(a.sync_tick(4), None);
        std::fs::remove_file(&stranger).unwrap();
        let (_, status) = a.sync_tick(5).expect("its going is news too");
        assert!(status.copies_left_alone.is_empty());
        // And it is in the file, not only in memory.
        let (_, on_disk) = VaultFile::open(&path, &SecretString::from(PASSWORD)).unwrap();
        assert_eq!(on_disk.live_entries().count(), 1);
    }
}
