//! Backups in the app: the list in Settings (when each version was saved and on which laptop),
//! a restore from it, and the unlock screen's offer of the newest backup that opens when the
//! vault file itself is damaged. Every restore is the core's (`VaultFile::restore_opened`), which
//! keeps the replaced file as a backup first, as the command line's `restore` does.
//!
//! A backup made with an earlier master password (one that could not be re-encrypted at the
//! change) is listed as such but not restored here: putting it back would make the old
//! password open the vault again, which a change of password was meant to end. The command
//! line's `restore` can, for someone who knows that password and means it.

use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use vault::format::ReadError;
use vault::store::{BackupListing, BackupSearch, OpenError, Unlocking};
use vault::{SystemClock, Vault, VaultFile};

use super::slow::interrupted;
use super::{Session, Unlocked};
use crate::error::{self, ErrorCode, Result, error, locked};
use crate::view::{AppState, BackupOffer, BackupState, BackupView, IpcError};

/// Whether an unlock failed because the file is not a readable vault any more (damaged, cut
/// short, overwritten), the case where a backup may help. A newer format is not damage: an
/// older backup would lose what the newer version holds.
pub(super) fn is_damage(err: &OpenError) -> bool {
    matches!(err, OpenError::Read(ReadError::Damaged(_) | ReadError::NotAVault))
}

/// Restoring a backup from the unlock screen: the backup is opened with the master password
/// (Argon2id) without the session, then installed as an unlock is. See `session/slow.rs`.
#[derive(Debug)]
pub struct RestoreJob {
    path: PathBuf,
    backup: PathBuf,
    generation: u64,
}

/// The backup put back and opened, for [`Session::finish_restore_backup`].
#[derive(Debug)]
pub struct Restored {
    job: RestoreJob,
    opened: std::result::Result<(VaultFile, Vault), OpenError>,
}

impl RestoreJob {
    pub fn run(self, password: &str) -> Restored {
        let password = SecretString::from(password);
        let opened = VaultFile::restore_opened(&self.path, &self.backup, Unlocking::Password(&password), &SystemClock);
        Restored { job: self, opened }
    }
}

impl Session {
    /// After an unlock found the vault file damaged: keeps the offer of the newest backup that
    /// opens with the password typed, and says what was found.
    pub(super) fn offer_backup(
        &mut self,
        damage: OpenError,
        search: std::io::Result<BackupSearch>,
        generation: u64,
    ) -> IpcError {
        let damaged = error::from_open(damage);
        if generation != self.generation {
            return damaged;
        }
        match search {
            Ok(BackupSearch { found: Some(found), .. }) => {
                let device = found.saved.device.clone();
                self.backup_offer = Some(BackupOffer {
                    name: file_name(&found.backup.path),
                    saved: found.saved.saved_ms,
                    device: device.clone(),
                    entries: found.saved.entries as u32,
                });
                let place = device.map(|d| format!(" saved on {d}")).unwrap_or_default();
                error(ErrorCode::Damaged, format!("{}; a backup{place} opens with this password", damaged.message))
            }
            Ok(BackupSearch { backups: 0, .. }) => {
                error(ErrorCode::DamagedNoBackup, format!("{}, and there is no backup of it", damaged.message))
            }
            Ok(_) => {
                // The backups refused it: as good a sign of a wrong password as the file would be.
                self.local.failed_attempts += 1;
                let _ = self.save_local();
                error(
                    ErrorCode::DamagedNoBackup,
                    format!("{}, and none of its backups opens with this password either", damaged.message),
                )
            }
            Err(err) => {
                error(ErrorCode::Damaged, format!("{}; its backups could not be read ({err})", damaged.message))
            }
        }
    }

    /// The backup the last unlock offered for a damaged vault file, if any.
    pub fn backup_offer(&self) -> Option<BackupOffer> {
        self.backup_offer.clone()
    }

    /// The backups of the open vault, newest first, each with when and where its version was
    /// saved (read with the vault's key: no key derivation).
    pub fn list_backups(&self) -> Result<Vec<BackupView>> {
        let open = self.unlocked()?;
        let backups = open.file.list_backups().map_err(|e| error::from_save(e.into()))?;
        Ok(backups
            .into_iter()
            .map(|summary| {
                let (state, saved) = match summary.listing {
                    BackupListing::Opens(saved) => (BackupState::Opens, Some(saved)),
                    BackupListing::EarlierPassword => (BackupState::EarlierPassword, None),
                    _ => (BackupState::Unreadable, None),
                };
                BackupView {
                    name: file_name(&summary.backup.path),
                    taken: summary.backup.taken_ms,
                    saved: saved.as_ref().map(|s| s.saved_ms),
                    device: saved.as_ref().and_then(|s| s.device.clone()),
                    entries: saved.as_ref().map(|s| s.entries as u32),
                    size: summary.size,
                    state,
                }
            })
            .collect())
    }

    /// Puts the backup `name` back in place of the open vault's file (the current file is kept
    /// as a backup first) and carries on with it open. Only backups under the vault's key.
    pub fn restore_backup(&mut self, name: &str) -> Result<AppState> {
        let path = self.vault_path()?;
        let backup = backup_path(&path, name)?;
        let open = self.open.as_ref().ok_or_else(locked)?;
        let key = open.file.vault_key().clone();
        let (file, vault) =
            VaultFile::restore_opened(&path, &backup, Unlocking::Key(&key), &SystemClock).map_err(restore_error)?;
        self.install_restored(file, vault);
        self.record_restore(&backup);
        Ok(self.state())
    }

    /// Step 1 of restoring a backup from the unlock screen: only the one [`Self::backup_offer`]
    /// offered (never, say, one under an earlier master password that a page could name).
    pub fn restore_backup_job(&self, name: &str) -> Result<RestoreJob> {
        if self.backup_offer.as_ref().is_none_or(|offer| offer.name != name) {
            return Err(error(ErrorCode::NotFound, format!("{name} is not the backup offered for this vault")));
        }
        let path = self.vault_path()?;
        let backup = backup_path(&path, name)?;
        Ok(RestoreJob { path, backup, generation: self.generation })
    }

    /// Step 3: the restored vault is open, as after an unlock (the user typed its password).
    pub fn finish_restore_backup(&mut self, restored: Restored) -> Result<AppState> {
        let Restored { job, opened } = restored;
        let (file, vault) = opened.map_err(restore_error)?;
        if self.local.vault_path.as_deref() != Some(job.path.as_path()) || self.generation != job.generation {
            return Err(interrupted());
        }
        self.local.failed_attempts = 0;
        self.save_local()?;
        self.install_restored(file, vault);
        self.record_restore(&job.backup);
        self.last_activity = Instant::now();
        Ok(self.state())
    }

    /// [`Self::restore_backup_job`], run and finished in a row.
    pub fn restore_backup_with_password(&mut self, name: &str, password: &str) -> Result<AppState> {
        let restored = self.restore_backup_job(name)?.run(password);
        self.finish_restore_backup(restored)
    }

    /// Records the restore in the restored vault (the replaced file keeps its own log).
    fn record_restore(&mut self, backup: &Path) {
        self.record_alone(vault::activity::EventKind::BackupRestored, None, file_name(backup));
    }

    fn install_restored(&mut self, file: VaultFile, vault: Vault) {
        self.backup_offer = None;
        self.pending_totp = None;
        self.listing = vault::find::SearchIndex::default();
        self.open = Some(Unlocked { file, vault });
    }
}

/// The backup called `name`: only a file the store lists as a backup of this vault, never a
/// path from the page.
fn backup_path(vault_path: &Path, name: &str) -> Result<PathBuf> {
    let backups = VaultFile::backups(vault_path).map_err(|e| error::from_save(e.into()))?;
    backups
        .into_iter()
        .map(|b| b.path)
        .find(|p| file_name(p) == name)
        .ok_or_else(|| error(ErrorCode::NotFound, format!("{name} is not among the backups of this vault")))
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn restore_error(err: OpenError) -> IpcError {
    match err {
        OpenError::Read(ReadError::WrongKey | ReadError::KeyChanged(_)) => error(
            ErrorCode::Invalid,
            "this backup was made with an earlier master password; the app restores only backups under the current one",
        ),
        other => error::from_open(other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sync::tests::{PASSWORD, draft, titles, two_laptops};
    use crate::error::ErrorCode;
    use crate::view::{BackupState, Stage};
    use std::path::Path;

    /// A master password strong enough for the policy, to change to.
    const NEW_PASSWORD: &str = "orbit kettle marble juniper";

    /// Flips bytes near the end of the file: the payload no longer passes its integrity check.
    fn flip_payload(path: &Path) {
        let mut bytes = std::fs::read(path).unwrap();
        let n = bytes.len();
        for byte in &mut bytes[n - 40..n - 30] {
            *byte ^= 0x5a;
        }
        std::fs::write(path, bytes).unwrap();
    }

    /// Flips a byte of the salt: the header fails its checksum, so the damage shows before any
    /// password is tried.
    fn flip_header(path: &Path) {
        let mut bytes = std::fs::read(path).unwrap();
        bytes[30] ^= 0x01;
        std::fs::write(path, bytes).unwrap();
    }

    fn truncate(path: &Path, len: usize) {
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(path, &bytes[..len]).unwrap();
    }

    #[test]
    fn settings_list_each_version_with_its_laptop_and_a_restore_keeps_the_replaced_file() {
        let dir = tempfile::tempdir().unwrap();
        let (_, mut a, mut b) = two_laptops(dir.path());
        a.device.name = "LAPTOP-1".into();
        b.device.name = "LAPTOP-2".into();
        // Apart in time, so each version has one laptop that wrote it last.
        let pause = || std::thread::sleep(std::time::Duration::from_millis(5));
        a.save_entry(None, draft("CRM")).unwrap();
        pause();
        b.sync_tick(1);
        b.save_entry(None, draft("ERP")).unwrap();
        pause();
        a.sync_tick(2);
        a.save_entry(None, draft("Mail")).unwrap();

        let listed = a.list_backups().unwrap();
        let seen: Vec<(Option<u32>, Option<&str>, BackupState)> =
            listed.iter().map(|b| (b.entries, b.device.as_deref(), b.state)).collect();
        // Newest first: the version Mail replaced was saved on LAPTOP-2, the one before on LAPTOP-1.
        assert_eq!(seen[0], (Some(2), Some("LAPTOP-2"), BackupState::Opens));
        assert_eq!(seen[1], (Some(1), Some("LAPTOP-1"), BackupState::Opens));
        assert!(listed.windows(2).all(|w| w[0].taken >= w[1].taken && w[0].saved >= w[1].saved));
        assert!(listed.iter().all(|b| b.size > 0));

        let state = a.restore_backup(&listed[1].name).unwrap();
        assert_eq!((state.stage, state.entry_count), (Stage::Unlocked, 1));
        assert_eq!(titles(&mut a), ["CRM"]);
        // As the command line does: the file it replaced is the newest backup now.
        let after = a.list_backups().unwrap();
        assert_eq!(after.len(), listed.len() + 1);
        assert_eq!((after[0].entries, after[0].device.as_deref()), (Some(3), Some("LAPTOP-1")));
        // Saving carries on from the restored version, and nothing from the page names a path.
        a.save_entry(None, draft("Wiki")).unwrap();
        assert_eq!(titles(&mut a), ["CRM", "Wiki"]);
        assert_eq!(a.restore_backup("../v.crmvault").unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn a_damaged_file_offers_the_newest_backup_that_opens_and_restoring_it_unlocks() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.device.name = "LAPTOP-2".into();
        a.save_entry(None, draft("CRM")).unwrap();
        a.save_entry(None, draft("ERP")).unwrap();
        a.lock();
        flip_header(&path);

        // A wrong password: the file is damaged and no backup opens with it either.
        let err = a.unlock("not the password", None).unwrap_err();
        assert_eq!(err.code, ErrorCode::DamagedNoBackup);
        assert!(err.message.contains("none of its backups"), "{}", err.message);
        assert!(a.backup_offer().is_none());
        assert_eq!(a.state().failed_attempts, 1);

        let err = a.unlock(PASSWORD, None).unwrap_err();
        assert_eq!(err.code, ErrorCode::Damaged);
        let offer = a.backup_offer().expect("a backup opens with the password");
        assert_eq!((offer.entries, offer.device.as_deref()), (1, Some("LAPTOP-2")));
        assert_eq!(a.state().stage, Stage::Locked);

        let state = a.restore_backup_with_password(&offer.name, PASSWORD).unwrap();
        assert_eq!((state.stage, state.failed_attempts), (Stage::Unlocked, 0));
        assert_eq!(titles(&mut a), ["CRM"]);
        assert!(a.backup_offer().is_none());
        // The damaged file was kept aside, not deleted.
        let kept = a.list_backups().unwrap();
        assert_eq!(kept[0].state, BackupState::Unreadable);

        // Damage inside the encrypted part shows only to the right password: a wrong one is
        // just wrong, the right one gets the offer.
        a.lock();
        flip_payload(&path);
        assert_eq!(a.unlock("not the password", None).unwrap_err().code, ErrorCode::WrongPassword);
        assert_eq!(a.unlock(PASSWORD, None).unwrap_err().code, ErrorCode::Damaged);
        assert!(a.backup_offer().is_some());
    }

    #[test]
    fn a_truncated_file_is_damage_too_and_without_backups_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.lock();
        // Not even a header left, and no save made a backup yet.
        truncate(&path, 5);
        let err = a.unlock(PASSWORD, None).unwrap_err();
        assert_eq!(err.code, ErrorCode::DamagedNoBackup);
        assert!(err.message.contains("no backup"), "{}", err.message);

        std::fs::remove_file(&path).unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.save_entry(None, draft("CRM")).unwrap();
        a.save_entry(None, draft("ERP")).unwrap();
        a.lock();
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        truncate(&path, len / 2);
        assert_eq!(a.unlock(PASSWORD, None).unwrap_err().code, ErrorCode::Damaged);
        let offer = a.backup_offer().unwrap();
        a.restore_backup_with_password(&offer.name, PASSWORD).unwrap();
        assert_eq!(titles(&mut a), ["CRM"]);
    }

    #[test]
    fn a_backup_made_with_an_earlier_master_password_is_listed_as_such_and_never_brought_back() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.save_entry(None, draft("CRM")).unwrap();
        // A backup under the first key that the password change could not re-encrypt.
        let old = a.list_backups().unwrap()[0].name.clone();
        let folder = vault::store::backup::folder(&path);
        let old_bytes = std::fs::read(folder.join(&old)).unwrap();
        a.change_master_password(PASSWORD, NEW_PASSWORD, None).unwrap();
        a.save_entry(None, draft("ERP")).unwrap();
        std::fs::write(folder.join(&old), &old_bytes).unwrap();

        let listed = a.list_backups().unwrap();
        let earlier = listed.iter().find(|b| b.name == old).unwrap();
        assert_eq!((earlier.state, earlier.device.as_ref(), earlier.saved), (BackupState::EarlierPassword, None, None));
        assert_eq!(a.restore_backup(&old).unwrap_err().code, ErrorCode::Invalid);
        assert_eq!(titles(&mut a), ["CRM", "ERP"], "nothing was restored");

        // On a damaged file the old password finds nothing to restore; the new one does.
        a.lock();
        flip_header(&path);
        assert_eq!(a.unlock(PASSWORD, None).unwrap_err().code, ErrorCode::DamagedNoBackup);
        assert_eq!(a.unlock(NEW_PASSWORD, None).unwrap_err().code, ErrorCode::Damaged);
        let offer = a.backup_offer().unwrap();
        assert_ne!(offer.name, old);
        // Only the backup offered is restored from the unlock screen, whatever the page names.
        let refused = a.restore_backup_with_password(&old, PASSWORD).unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotFound);
        a.restore_backup_with_password(&offer.name, NEW_PASSWORD).unwrap();
        assert_eq!(titles(&mut a), ["CRM"]);
        assert!(vault::VaultFile::open(&path, &secrecy::SecretString::from(PASSWORD)).is_err());
    }
}
