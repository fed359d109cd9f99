//! Master password changes: made here, or adopted from another laptop. Each has a slow part,
//! Argon2id on a password, that needs neither the open vault nor the file lock, so it is a
//! value of its own ([`NewMasterPassword`], [`KeyOnDisk`], and for a copy under another
//! password `VaultCopy::open_with_password`): an app can run it while the rest
//! of the program (its file watch, its idle timer) goes on, and install the result after.

use super::{OnDisk, OpenError, PasswordChange, SaveError, VaultFile, digest, read_file};
use crate::clock::Clock;
use crate::crypto::{KdfParams, VaultKey};
use crate::format::{self, KeyChange, KeyChangeNotice, KeyId, KeySlot, MAX_NOTICES};
use crate::model::{Author, MergeReport, Vault};
use crate::secret::MasterPassword;
use std::path::Path;

/// A new random vault key wrapped for a new master password: the slow part of a change.
pub struct NewMasterPassword {
    key: VaultKey,
    slot: KeySlot,
}

impl std::fmt::Debug for NewMasterPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMasterPassword").field("kdf", &self.slot.kdf).finish_non_exhaustive()
    }
}

impl NewMasterPassword {
    /// Makes the new vault key and wraps it under `password` with `kdf` (Argon2id: slow).
    pub fn prepare(password: &MasterPassword, kdf: KdfParams) -> Result<NewMasterPassword, SaveError> {
        let key = VaultKey::random();
        let slot = format::wrap_key(password, kdf, &key)?;
        Ok(NewMasterPassword { key, slot })
    }
}

/// The vault key that a master password unwraps in the file on disk now: the slow part of
/// taking in a master password changed on another laptop.
pub struct KeyOnDisk(VaultKey);

impl std::fmt::Debug for KeyOnDisk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyOnDisk(..)")
    }
}

impl KeyOnDisk {
    /// Unwraps the key of the file at `path` with `password` (Argon2id: slow).
    pub fn unwrap(path: &Path, password: &MasterPassword) -> Result<KeyOnDisk, OpenError> {
        let bytes = read_file(path)?;
        Ok(KeyOnDisk(format::read(&bytes, password)?.key))
    }
}

impl VaultFile {
    /// Changes the master password (and optionally the key-derivation settings). A new random
    /// vault key is made and everything is re-encrypted under it, the backups too, so whoever
    /// knew the old password can read nothing written from now on. The file keeps a notice,
    /// sealed with the old key, that tells laptops still holding it what happened. The change is
    /// stamped in the vault (`password_changed`) after everything on disk was merged in.
    pub fn change_password(
        &mut self,
        vault: &mut Vault,
        new: &MasterPassword,
        kdf: Option<KdfParams>,
        author: Author<'_>,
    ) -> Result<PasswordChange, SaveError> {
        // Argon2 takes a second: done before taking the lock, so other saves do not wait for it.
        let prepared = NewMasterPassword::prepare(new, kdf.unwrap_or(self.slot.kdf))?;
        self.change_password_to(vault, prepared, author)
    }

    /// [`Self::change_password`] with the new key already made: only the quick part.
    pub fn change_password_to(
        &mut self,
        vault: &mut Vault,
        new: NewMasterPassword,
        author: Author<'_>,
    ) -> Result<PasswordChange, SaveError> {
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let disk = self.catch_up(vault, author.clock)?;
        let mut change = PasswordChange { merged: MergeReport::between(&before, vault), ..Default::default() };
        let (previous_change, previous_clock) = (vault.password_changed, vault.clock);
        vault.note_password_change(author);
        let by = vault.devices.get(&author.device).map_or_else(|| author.device.to_string(), |d| d.name.clone());
        let what = KeyChange { vault: vault.id, by, device: author.device, at_ms: vault.password_changed.wall_ms };
        let mut notices = vec![KeyChangeNotice::seal(&self.key, &what)];
        notices.extend(self.notices.iter().filter(|n| n.retired != KeyId::of(&self.key)).cloned());
        notices.truncate(MAX_NOTICES);
        let old_key = std::mem::replace(&mut self.key, new.key);
        let old_slot = std::mem::replace(&mut self.slot, new.slot);
        let old_notices = std::mem::replace(&mut self.notices, notices);
        if let Err(err) = self.write(vault, author.clock, disk) {
            // The file still opens with the old password: say so in memory too.
            (vault.password_changed, vault.clock) = (previous_change, previous_clock);
            (self.key, self.slot, self.notices) = (old_key, old_slot, old_notices);
            return Err(err);
        }
        (change.backups_rewritten, change.backups_not_rewritten) = self.reencrypt_backups(&old_key);
        Ok(change)
    }

    /// After a master password change on another laptop ([`SaveError::PasswordChangedElsewhere`]):
    /// opens the file on disk with the new password, merges in everything this laptop has that
    /// the file does not (unsaved and unsynced edits), and carries on under the new key.
    pub fn adopt_new_password(
        &mut self,
        vault: &mut Vault,
        password: &MasterPassword,
        clock: &dyn Clock,
    ) -> Result<MergeReport, OpenError> {
        let key = KeyOnDisk::unwrap(&self.path, password)?;
        self.adopt_key_on_disk(vault, key, clock)
    }

    /// [`Self::adopt_new_password`] with the key already unwrapped: the file is read again under
    /// the lock, so a save made meanwhile is not lost (if that save changed the key once more,
    /// this fails as a wrong key and the user is asked again).
    pub fn adopt_key_on_disk(
        &mut self,
        vault: &mut Vault,
        key: KeyOnDisk,
        clock: &dyn Clock,
    ) -> Result<MergeReport, OpenError> {
        let _lock = self.lock_for_write().map_err(OpenError::Save)?;
        let bytes = read_file(&self.path)?;
        let mut theirs = format::read_with_key(&bytes, &key.0)?;
        if theirs.vault.id != vault.id {
            return Err(OpenError::Save(SaveError::OtherVaultOnDisk(self.path.clone())));
        }
        // The user vouched for this file by typing its password; a clock far ahead is still
        // not allowed to pin the vault in the future.
        if theirs.vault.clock_ahead(clock.now_ms()).is_some() {
            theirs.vault.pull_back_clocks(clock.now_ms());
        }
        let before = vault.clone();
        vault.merge(&theirs.vault).map_err(SaveError::from)?;
        let report = MergeReport::between(&before, vault);
        (self.key, self.slot, self.notices) = (theirs.key, theirs.slot, theirs.notices);
        self.fingerprint = digest(&bytes);
        if *vault != theirs.vault {
            self.write(vault, clock, OnDisk::Present)?;
        }
        Ok(report)
    }
}
