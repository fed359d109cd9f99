//! Keeping the open vault in step with its file while a sync service (OneDrive, Dropbox,
//! Nextcloud, Syncthing) brings other laptops' saves: the shell calls [`Session::sync_tick`] every
//! second; what arrived is merged in memory (never written over) and announced.

use crate::error::ErrorCode;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use vault::SystemClock;
use vault::model::MergeReport;
use vault::store::{LeftAlone, SaveError, SetAside, Suspicious, conflicts};

use super::Session;
use crate::view::{HeldCopy, PasswordChangeNotice, SyncNews, SyncStatus};

/// What the app knows about its vault file between ticks.
#[derive(Debug, Default)]
pub struct SyncState {
    pub status: SyncStatus,
    /// Changes merged in by our own saves, not yet announced.
    pending: SyncNews,
    /// The file's stamp at the last look (`None`: not looked at yet): a cheap way to notice a
    /// new version without reading it. Polling rather than file-system events, because sync
    /// folders on FUSE or network mounts often send none. A file that could not be read is read
    /// again only when its stamp changes, so a broken or planted file costs one read, not one
    /// every second.
    stamp: Option<Stamp>,
    /// Conflicted copies left alone (another vault, unreadable, too large) and their stamps then:
    /// looked at again only if they change (the sync service may still have been bringing one).
    left_alone: BTreeMap<PathBuf, Stamp>,
    /// The vault file's and the copies' stamps when merging the copies last failed: not tried
    /// again until one of them changes (the user's next save changes the vault file's).
    copies_failed: Option<(Stamp, BTreeMap<PathBuf, Stamp>)>,
    /// Conflicted copies not merged (another vault, unreadable, not to be trusted) and files
    /// set aside from the vault's place, with why: reported, merged only on purpose.
    pub held: BTreeMap<PathBuf, HeldCopy>,
}

/// A file's modification time and size; `None` when it is missing.
type Stamp = Option<(SystemTime, u64)>;

impl SyncState {
    /// Takes in what a save of ours merged from the file (another laptop's save it found there).
    pub fn note_save(&mut self, report: &MergeReport) {
        add_report(&mut self.pending, report);
    }

    /// Puts the held copies into the status the page sees; returns whether the list changed.
    pub fn publish_held(&mut self) -> bool {
        let held: Vec<HeldCopy> = self.held.values().cloned().collect();
        let changed = held != self.status.held_copies;
        self.status.copies_left_alone = held.iter().map(|h| h.name.clone()).collect();
        self.status.held_copies = held;
        changed
    }
}

impl Session {
    /// Looks at the vault file and the conflicted copies beside it; merges what is new into the
    /// open vault. Returns news for the page when something arrived or the status changed.
    pub fn sync_tick(&mut self, now_ms: u64) -> Option<(SyncNews, SyncStatus)> {
        let open = self.open.as_mut()?;
        let sync = &mut self.sync;
        let path = open.file.path().to_owned();
        let mut news = std::mem::take(&mut sync.pending);
        let error_before = sync.status.error;

        let stamp = file_stamp(&path);
        if sync.stamp != Some(stamp) {
            sync.stamp = Some(stamp);
            sync.status.password_change = None;
            match open.file.refresh(&mut open.vault, &SystemClock) {
                Ok(Some(report)) => {
                    add_report(&mut news, &report);
                    sync.status.error = None;
                }
                Ok(None) => sync.status.error = Some(ErrorCode::FileMissing),
                Err(SaveError::PasswordChangedElsewhere { change, .. }) => {
                    sync.status.error = Some(ErrorCode::PasswordChangedElsewhere);
                    sync.status.password_change = Some(PasswordChangeNotice { by: change.by, at: change.at_ms });
                }
                Err(err) => sync.status.error = Some(crate::error::from_save(err).code),
            }
        }

        let copies: BTreeMap<PathBuf, Stamp> = conflicts::find(&path)
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.path.clone(), file_stamp(&c.path)))
            .collect();
        // A copy left alone that has since gone (deleted, moved) is no longer worth a mention;
        // one that changed is looked at again.
        sync.left_alone.retain(|left, stamp| copies.get(left) == Some(stamp));
        sync.held.retain(|held, _| held.exists());
        let attempt = (stamp, copies.clone());
        let new_copies = copies.keys().any(|copy| !sync.left_alone.contains_key(copy));
        if new_copies && sync.copies_failed.as_ref() != Some(&attempt) {
            match open.file.merge_conflicted_copies(&mut open.vault, &SystemClock) {
                Ok(report) => {
                    sync.copies_failed = None;
                    // It read the vault file too (or wrote it again), so whatever kept it from
                    // being read is over.
                    if path.exists() {
                        sync.status.error = None;
                    }
                    news.copies_merged += report.merged.len() as u32;
                    sync.status.copies_merged += report.merged.len() as u32;
                    add_report(&mut news, &report.changes);
                    for (copy, why) in report.left_alone {
                        let stamp = copies.get(&copy.path).copied().flatten();
                        sync.held.insert(copy.path.clone(), held_copy(&copy.path, &why));
                        sync.left_alone.insert(copy.path, stamp);
                    }
                }
                Err(err) => {
                    sync.copies_failed = Some(attempt);
                    sync.status.error = Some(crate::error::from_save(err).code);
                }
            }
            sync.stamp = Some(file_stamp(&path));
        }
        // Files found in the vault's own place that were not to be trusted, moved aside by a save
        // or by the refresh above.
        for aside in open.file.take_set_aside() {
            let held = set_aside_copy(&aside);
            sync.held.insert(aside.moved_to, held);
        }
        let left_alone_changed = sync.publish_held();

        sync.status.last_check = Some(now_ms);
        let arrived = !is_empty(&news);
        if arrived {
            sync.status.last_merge = Some(now_ms);
            sync.status.last_news = Some(news.clone());
        }
        let changed = arrived || left_alone_changed || sync.status.error != error_before;
        if arrived {
            self.record_merge(&news);
            // Our own save of the merge event is no news for the next look.
            self.sync.stamp = Some(file_stamp(&path));
        }
        changed.then(|| (news, self.sync.status.clone()))
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

/// A conflicted copy left where it is, as the page shows it.
fn held_copy(path: &Path, why: &LeftAlone) -> HeldCopy {
    let mut held = HeldCopy {
        name: file_name(path),
        reason: String::new(),
        device: None,
        ahead_ms: None,
        set_aside: false,
        mergeable: false,
    };
    match why {
        LeftAlone::Suspicious(suspicious) => {
            describe(&mut held, suspicious);
            held.mergeable = true;
        }
        LeftAlone::PasswordChangedThere(change) => {
            // Saved after a master password change the vault file has not seen: either two
            // laptops saved at once (the laptop that changed it puts its file in place at its
            // next save, and this one is then asked for the new password), or someone holding
            // the key trying to bring their own password. Not offered for merging in the app;
            // `crm-vault merge` can, with that password.
            held.reason = "password-changed-there".into();
            held.device = Some(change.by.clone());
        }
        LeftAlone::DifferentVault => held.reason = "different-vault".into(),
        LeftAlone::Unreadable(_) => held.reason = "unreadable".into(),
        LeftAlone::TooLarge(_) => held.reason = "too-large".into(),
        _ => held.reason = "io".into(),
    }
    held
}

fn set_aside_copy(aside: &SetAside) -> HeldCopy {
    let mut held = HeldCopy {
        name: file_name(&aside.moved_to),
        reason: String::new(),
        device: None,
        ahead_ms: None,
        set_aside: true,
        mergeable: true,
    };
    describe(&mut held, &aside.why);
    held
}

/// The reason code (and the device it names) for a copy not to be trusted.
fn describe(held: &mut HeldCopy, why: &Suspicious) {
    held.reason = suspicion_code(why).into();
    if let Suspicious::ClockAhead(ahead) = why {
        held.device = Some(ahead.device_name.clone().unwrap_or_else(|| ahead.device.to_string()));
        held.ahead_ms = Some(ahead.ahead_ms);
    }
}

pub fn suspicion_code(why: &Suspicious) -> &'static str {
    match why {
        Suspicious::ForeignKeySlot => "foreign-key-slot",
        Suspicious::ClockAhead(_) => "clock-ahead",
        Suspicious::RetiredKey => "retired-key",
        _ => "other-key",
    }
}

fn file_stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::view::EntryDraft;
    use secrecy::SecretString;
    use vault::{Clock, KdfParams, Vault, VaultFile};

    pub const PASSWORD: &str = "pw";

    /// Two laptops (their own settings folders) with one vault file, both unlocked.
    pub fn two_laptops(dir: &Path) -> (PathBuf, Session, Session) {
        let path = dir.join("v.crmvault");
        let laptop = |name: &str| {
            let mut app = Session::new(dir.join(name), dir.join("data"), Err("no keyring in tests".into()));
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

    pub fn draft(title: &str) -> EntryDraft {
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
            also_fill_on: vec![],
            autotype_sequence: None,
            autotype_windows: vec![],
            totp: Default::default(),
        }
    }

    pub fn titles(app: &mut Session) -> Vec<String> {
        app.list_entries(None).unwrap().into_iter().map(|e| e.title).collect()
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
        assert_eq!(status.error, Some(ErrorCode::FileMissing));
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

    const THREE_GIB: u64 = 3 * 1024 * 1024 * 1024;

    /// A file of `len` bytes that takes no disk space, as it costs an attacker nothing.
    fn sparse(path: &Path, len: u64) {
        std::fs::File::create(path).unwrap().set_len(len).unwrap();
    }

    #[test]
    fn a_broken_vault_file_is_read_again_only_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.sync_tick(1);
        let good = std::fs::read(&path).unwrap();
        let mut damaged = good.clone();
        damaged[40] ^= 1; // inside the header, which carries a checksum
        std::fs::write(&path, &damaged).unwrap();
        let (_, status) = a.sync_tick(2).expect("the error is news");
        assert_eq!(status.error, Some(ErrorCode::UnreadableOnDisk));

        // The good bytes back under the damaged file's size and time: a read would find them,
        // so the error staying proves the file was not read again.
        let damaged_at = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, &good).unwrap();
        let set_time = |at| std::fs::File::options().write(true).open(&path).unwrap().set_modified(at).unwrap();
        set_time(damaged_at);
        for tick in 3..8 {
            assert_eq!(a.sync_tick(tick), None, "not read again while its size and time stay the same");
        }
        assert_eq!(a.sync_status().error, Some(ErrorCode::UnreadableOnDisk));

        set_time(damaged_at + std::time::Duration::from_secs(1));
        let (_, status) = a.sync_tick(8).expect("a changed file is read at once");
        assert_eq!(status.error, None);
    }

    #[test]
    fn files_too_large_to_be_a_vault_are_refused_unread_and_the_vault_stays_open() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.save_entry(None, draft("ERP")).unwrap();
        a.sync_tick(1);

        let copy = dir.path().join("v (Bob's conflicted copy 2026-11-21).crmvault");
        sparse(&copy, THREE_GIB);
        let start = std::time::Instant::now();
        let (_, status) = a.sync_tick(2).expect("a copy left alone is news");
        assert!(start.elapsed().as_secs() < 5, "refused before reading: {:?}", start.elapsed());
        assert_eq!(status.copies_left_alone, ["v (Bob's conflicted copy 2026-11-21).crmvault"]);
        assert_eq!(status.error, None);
        assert_eq!(a.sync_tick(3), None, "said once, not looked at again");

        sparse(&path, THREE_GIB);
        let (_, status) = a.sync_tick(4).expect("the error is news");
        assert_eq!(status.error, Some(ErrorCode::TooLarge));
        assert_eq!(a.sync_tick(5), None);
        assert_eq!(titles(&mut a), ["ERP"], "still open in memory");
        assert_eq!(a.save_entry(None, draft("Mail")).unwrap_err().code, ErrorCode::TooLarge);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), THREE_GIB, "left as it is");
        assert_eq!(std::fs::metadata(&copy).unwrap().len(), THREE_GIB, "left as it is");
    }

    #[test]
    fn out_of_range_settings_from_a_synced_file_are_clamped_where_the_app_uses_them() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.sync_tick(1);
        // Another laptop's file (hand-made, or planted) with settings no settings page accepts.
        let (mut file, mut vault) = VaultFile::open(&path, &SecretString::from(PASSWORD)).unwrap();
        let clock = vault::Hlc::tick(vault.clock, vault::SystemClock.now_ms() + 1, vault::DeviceId(0xbad));
        vault.settings.auto_lock_minutes = vault::model::Stamped::new(u32::MAX, clock);
        vault.settings.clipboard_clear_seconds = vault::model::Stamped::new(0, clock);
        vault.settings.rotation_days = vault::model::Stamped::new(Some(u32::MAX), clock);
        vault.clock = clock;
        file.save(&mut vault, &vault::SystemClock).unwrap();
        let (news, _) = a.sync_tick(2).expect("the settings arrive");
        assert!(news.settings_changed);
        assert_eq!(a.open.as_ref().unwrap().vault.settings.auto_lock_minutes.value, u32::MAX, "merged as they are");

        let settings = a.state().settings;
        assert_eq!((settings.auto_lock_minutes, settings.clipboard_clear_seconds), (24 * 60, 5));
        assert_eq!(settings.rotation_days, Some(3650));
        assert_eq!(a.clipboard_clear_seconds(), 5, "the clipboard is still cleared, after 5 s");
        // u32::MAX minutes would never lock; clamped, the vault locks after a day.
        a.last_activity -= std::time::Duration::from_secs(24 * 60 * 60 - 60);
        assert!(!a.idle_expired(None));
        a.last_activity -= std::time::Duration::from_secs(60);
        assert!(a.idle_expired(None));
    }
}
