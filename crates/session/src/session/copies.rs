//! Copies that were not merged by themselves, and the master password changed on another
//! laptop: the user decides, after seeing what a merge would change. Opening a copy with its own
//! password and taking in a new password are slow (Argon2id): both run in steps, like an unlock.

use secrecy::SecretString;
use std::path::PathBuf;

use vault::format::ReadError;
use vault::store::{KeyOnDisk, OpenError, VaultCopy};
use vault::{Clock, SystemClock};

use super::Session;
use super::slow::interrupted;
use super::sync::{file_name, suspicion_code};
use crate::error::{self, ErrorCode, Result, error, locked};
use crate::view::{CopyPreview, IpcError, SyncStatus};

/// Taking in a master password changed on another laptop: the file's key is unwrapped with the
/// new password without the session (Argon2id), then adopted under it. See `session/slow.rs`.
#[derive(Debug)]
pub struct AdoptJob {
    path: PathBuf,
    generation: u64,
}

/// The key the new password unwrapped, for [`Session::finish_adopt_new_password`].
#[derive(Debug)]
pub struct KeyUnwrapped {
    job: AdoptJob,
    key: std::result::Result<KeyOnDisk, OpenError>,
}

impl AdoptJob {
    pub fn run(self, password: &str) -> KeyUnwrapped {
        let key = KeyOnDisk::unwrap(&self.path, &SecretString::from(password));
        KeyUnwrapped { job: self, key }
    }
}

/// A held copy to preview or merge. A copy under this vault's key opens at once, under the
/// session; one under another master password is opened with it in the slow part.
#[derive(Debug)]
pub struct HeldCopyJob {
    name: String,
    path: PathBuf,
    generation: u64,
    opened: Option<VaultCopy>,
}

/// The held copy, open, for [`Session::finish_preview_held_copy`] or [`Session::finish_merge_held_copy`].
#[derive(Debug)]
pub struct HeldCopyOpened {
    job: HeldCopyJob,
    copy: Result<VaultCopy>,
}

impl HeldCopyJob {
    /// The slow part, if the copy needs its own password: Argon2id on it.
    pub fn run(mut self, password: Option<&str>) -> HeldCopyOpened {
        let copy = match (self.opened.take(), password.filter(|p| !p.is_empty())) {
            (Some(copy), _) => Ok(copy),
            (None, Some(password)) => {
                VaultCopy::open_with_password(&self.path, &SecretString::from(password)).map_err(copy_error)
            }
            (None, None) => Err(needs_password()),
        };
        HeldCopyOpened { job: self, copy }
    }
}

impl Session {
    /// Takes the master password set on another laptop: the file on disk is opened with it, and
    /// everything this laptop has that the file lacks is merged in and saved under the new key.
    /// Quick unlock, sealed with the retired key, is forgotten. In steps, see [`AdoptJob`].
    pub fn adopt_new_password(&mut self, password: &str) -> Result<SyncStatus> {
        let unwrapped = self.adopt_new_password_job()?.run(password);
        self.finish_adopt_new_password(unwrapped)
    }

    pub fn adopt_new_password_job(&self) -> Result<AdoptJob> {
        let open = self.open.as_ref().ok_or_else(locked)?;
        Ok(AdoptJob { path: open.file.path().to_owned(), generation: self.generation })
    }

    pub fn finish_adopt_new_password(&mut self, unwrapped: KeyUnwrapped) -> Result<SyncStatus> {
        let key = unwrapped.key.map_err(error::from_open)?;
        if self.generation != unwrapped.job.generation {
            return Err(interrupted());
        }
        let open = self.open.as_mut().ok_or_else(locked)?;
        let report = open.file.adopt_key_on_disk(&mut open.vault, key, &SystemClock).map_err(error::from_open)?;
        self.sync.note_save(&report);
        self.sync.status.error = None;
        self.sync.status.password_change = None;
        self.forget_quick_unlock();
        self.save_local()?;
        Ok(self.sync.status.clone())
    }

    /// What merging the held copy `name` would change. A copy under another master password
    /// needs that `password`: without it the answer is "copy-needs-password".
    pub fn preview_held_copy(&mut self, name: &str, password: Option<&str>) -> Result<CopyPreview> {
        let opened = self.held_copy_job(name)?.run(password);
        self.finish_preview_held_copy(opened)
    }

    /// Merges the held copy `name` on purpose: its entries and settings come in, never its
    /// master password. A copy beside the vault then goes to the backups folder.
    pub fn merge_held_copy(&mut self, name: &str, password: Option<&str>) -> Result<SyncStatus> {
        let opened = self.held_copy_job(name)?.run(password);
        self.finish_merge_held_copy(opened)
    }

    /// Step 1 for a held copy: the copy is opened at once if this vault's key opens it.
    pub fn held_copy_job(&self, name: &str) -> Result<HeldCopyJob> {
        let path = self.held_path(name)?;
        let open = self.open.as_ref().ok_or_else(locked)?;
        let opened = match open.file.open_copy(&path, None) {
            Ok(copy) => Some(copy),
            Err(OpenError::Read(ReadError::WrongKey)) => None,
            Err(other) => return Err(copy_error(other)),
        };
        Ok(HeldCopyJob { name: name.to_owned(), path, generation: self.generation, opened })
    }

    pub fn finish_preview_held_copy(&mut self, opened: HeldCopyOpened) -> Result<CopyPreview> {
        let copy = opened.copy?;
        if self.generation != opened.job.generation {
            return Err(interrupted());
        }
        let open = self.open.as_ref().ok_or_else(locked)?;
        let now = SystemClock.now_ms();
        let reason = open.file.check_copy(&copy, now).map(|why| suspicion_code(&why).to_owned());
        let report =
            open.file.preview_merge(&open.vault, &copy, now).map_err(|e| error(ErrorCode::DifferentVaults, e))?;
        let titles = |changes: &[vault::model::EntryChange]| changes.iter().map(|c| c.title.clone()).collect();
        Ok(CopyPreview {
            name: opened.job.name,
            reason,
            added: titles(&report.added),
            updated: titles(&report.updated),
            deleted: titles(&report.deleted),
            restored: titles(&report.restored),
            settings: report.settings.iter().map(|s| s.to_string()).collect(),
        })
    }

    pub fn finish_merge_held_copy(&mut self, opened: HeldCopyOpened) -> Result<SyncStatus> {
        let copy = opened.copy?;
        if self.generation != opened.job.generation {
            return Err(interrupted());
        }
        let path = opened.job.path;
        let open = self.open.as_mut().ok_or_else(locked)?;
        let report = open.file.merge_copy(&mut open.vault, &copy, &SystemClock).map_err(error::from_save)?;
        // Merged is merged: if it cannot be moved, it stays listed but its contents are in.
        let moved = open.file.put_merged_copy_aside(&path, &SystemClock);
        self.sync.note_save(&report);
        if moved.is_ok() {
            self.sync.held.remove(&path);
            self.sync.status.copies_merged += 1;
        }
        self.sync.publish_held();
        Ok(self.sync.status.clone())
    }

    /// The held file called `name`: only files this app itself listed, never a path from the page.
    fn held_path(&self, name: &str) -> Result<PathBuf> {
        let held = self.sync.held.iter().find(|(path, held)| held.name == name && file_name(path) == name);
        match held {
            Some((path, held)) if held.mergeable => Ok(path.clone()),
            Some(_) => Err(error(ErrorCode::CopyNotMergeable, format!("{name} is not a copy of this vault"))),
            None => Err(error(ErrorCode::NotFound, format!("{name} is not among the copies held back"))),
        }
    }
}

fn needs_password() -> IpcError {
    error(ErrorCode::CopyNeedsPassword, "this copy is locked with another master password: enter that password")
}

fn copy_error(err: OpenError) -> IpcError {
    match err {
        OpenError::Read(ReadError::WrongKey) => needs_password(),
        OpenError::Read(ReadError::WrongPassword) => {
            error(ErrorCode::CopyWrongPassword, "that is not the copy's master password")
        }
        other => error::from_open(other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sync::tests::{PASSWORD, draft, titles, two_laptops};
    use crate::error::ErrorCode;
    use secrecy::SecretString;
    use vault::crypto::KdfParams;
    use vault::{Author, DeviceId, NewEntry, VaultFile, format};

    /// A master password strong enough for the policy, to change to.
    const NEW_PASSWORD: &str = "orbit kettle marble juniper";

    #[test]
    fn a_password_changed_on_another_laptop_is_asked_for_once_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, mut b) = two_laptops(dir.path());
        b.sync_tick(1);
        a.change_master_password(PASSWORD, NEW_PASSWORD, None).unwrap();

        // B is told where the password changed; its edit is refused on disk but kept.
        let (_, status) = b.sync_tick(2).expect("the change is news");
        assert_eq!(status.error, Some(ErrorCode::PasswordChangedElsewhere));
        assert_eq!(status.password_change.as_ref().map(|c| &c.by), Some(&a.device.name));
        let err = b.save_entry(None, draft("Written on the train")).unwrap_err();
        assert_eq!(err.code, ErrorCode::PasswordChangedElsewhere);
        assert_eq!(titles(&mut b), ["Written on the train"]);

        assert_eq!(b.adopt_new_password(PASSWORD).unwrap_err().code, ErrorCode::WrongPassword);
        let status = b.adopt_new_password(NEW_PASSWORD).unwrap();
        assert_eq!((status.error, status.password_change), (None, None));
        a.save_entry(None, draft("From A")).unwrap();
        b.sync_tick(3);
        a.sync_tick(3);
        assert_eq!(titles(&mut a), ["From A", "Written on the train"]);
        assert_eq!(titles(&mut b), ["From A", "Written on the train"]);
        let bytes = std::fs::read(&path).unwrap();
        assert!(format::read(&bytes, &SecretString::from(PASSWORD)).is_err());
        assert_eq!(format::read(&bytes, &SecretString::from(NEW_PASSWORD)).unwrap().vault.live_entries().count(), 2);
    }

    #[test]
    fn copies_that_would_bring_another_password_or_vault_are_listed_but_not_offered_for_merging() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.sync_tick(1);
        // A copy whose master password was changed there (so its own key): left alone, listed.
        let stick = dir.path().join("stick.crmvault");
        std::fs::copy(&path, &stick).unwrap();
        let (mut file, mut vault) = VaultFile::open(&stick, &SecretString::from(PASSWORD)).unwrap();
        let clock = vault::SystemClock;
        let author = Author { device: DeviceId(0xc0ffee), clock: &clock };
        vault.add_entry(NewEntry { title: "Partner portal".into(), ..Default::default() }, author);
        file.change_password(&mut vault, &SecretString::from("stick pw"), None, author).unwrap();
        let copy = dir.path().join("v (conflicted copy 2026-11-21 101010).crmvault");
        std::fs::rename(&stick, &copy).unwrap();

        let (_, status) = a.sync_tick(2).expect("a held copy is news");
        let [held] = &status.held_copies[..] else { panic!("{status:?}") };
        // Made after a master password change there: it would bring its own password, so the
        // app does not offer it for merging (the command line can, with that password).
        assert_eq!((held.reason.as_str(), held.mergeable), ("password-changed-there", false));
        assert!(held.device.is_some(), "names where the password was changed");
        assert_eq!(a.preview_held_copy(&held.name, Some("stick pw")).unwrap_err().code, ErrorCode::CopyNotMergeable);
        assert!(copy.exists());
        std::fs::remove_file(&copy).unwrap();
        a.sync_tick(3);
        // Another vault's file is listed but cannot be merged; and only files the app listed,
        // never a path from the page.
        let stranger = dir.path().join("v-LAPTOP9.crmvault");
        let other = vault::Vault::new("other", author, "LAPTOP-9");
        VaultFile::create(
            &stranger,
            &SecretString::from(PASSWORD),
            KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 },
            &other,
        )
        .unwrap();
        let (_, status) = a.sync_tick(4).expect("news");
        let [held] = &status.held_copies[..] else { panic!("{status:?}") };
        assert_eq!((held.reason.as_str(), held.mergeable), ("different-vault", false));
        assert_eq!(a.preview_held_copy(&held.name, None).unwrap_err().code, ErrorCode::CopyNotMergeable);
        assert_eq!(a.preview_held_copy("../../etc/passwd", None).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn a_copy_under_the_retired_key_is_held_back_and_needs_the_old_password_to_merge() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut a, _) = two_laptops(dir.path());
        a.save_entry(None, draft("CRM")).unwrap();
        // A laptop that had not heard of the change yet adds an entry under the old key.
        let before_change = dir.path().join("before.crmvault");
        std::fs::copy(&path, &before_change).unwrap();
        let (mut old_file, mut old_vault) = VaultFile::open(&before_change, &SecretString::from(PASSWORD)).unwrap();
        let clock = vault::SystemClock;
        let laptop_c = Author { device: DeviceId(0xc), clock: &clock };
        old_vault.add_entry(NewEntry { title: "Partner portal".into(), ..Default::default() }, laptop_c);
        old_file.save(&mut old_vault, &clock).unwrap();
        let before_change = std::fs::read(&before_change).unwrap();
        a.change_master_password(PASSWORD, NEW_PASSWORD, None).unwrap();
        a.sync_tick(1);
        // A laptop that had not heard of the change saved under the old key (or someone who
        // knew the old password planted this): held back, named, never merged by itself.
        let copy = dir.path().join("v (conflicted copy 2026-11-21 101010).crmvault");
        std::fs::write(&copy, &before_change).unwrap();
        let (_, status) = a.sync_tick(2).expect("a held copy is news");
        let [held] = &status.held_copies[..] else { panic!("{status:?}") };
        assert_eq!((held.reason.as_str(), held.mergeable, held.set_aside), ("retired-key", true, false));
        assert!(copy.exists());
        assert_eq!(a.preview_held_copy(&held.name, None).unwrap_err().code, ErrorCode::CopyNeedsPassword);
        let preview = a.preview_held_copy(&held.name, Some(PASSWORD)).unwrap();
        assert_eq!(preview.reason.as_deref(), Some("retired-key"));
        assert_eq!(preview.added, ["Partner portal"]);
        assert_eq!(titles(&mut a), ["CRM"], "a preview changes nothing");
        let status = a.merge_held_copy(&held.name, Some(PASSWORD)).unwrap();
        assert!(status.held_copies.is_empty(), "{status:?}");
        assert!(!copy.exists(), "moved to the backups folder");
        assert_eq!(titles(&mut a), ["CRM", "Partner portal"]);
        // Its entries came in, never its master password.
        assert!(VaultFile::open(&path, &SecretString::from(NEW_PASSWORD)).is_ok());
        assert!(VaultFile::open(&path, &SecretString::from(PASSWORD)).is_err());
    }
}
