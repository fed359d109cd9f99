//! Merging another copy of the vault into the vault file: a copy from a USB stick, a file
//! mailed from the other laptop, a conflicted copy left by a sync tool.

use std::path::{Path, PathBuf};

use std::borrow::Cow;

use super::bounded::ReadProblem;
use super::{OnDisk, OpenError, SaveError, Suspicious, VaultFile, read_file};
use crate::clock::Clock;
use crate::format::{self, KeyId, ReadError};
use crate::model::{MergeError, MergeReport, Vault};
use crate::secret::MasterPassword;

/// Another copy of a vault file, opened and ready to merge. It is only read, never changed.
#[derive(Debug)]
pub struct VaultCopy {
    path: PathBuf,
    opened: format::Opened,
}

impl VaultCopy {
    /// Opens the copy at `path` with its own master password (Argon2id: slow), for a copy
    /// that [`VaultFile::open_copy`] found locked under another key. Needs no open vault.
    pub fn open_with_password(path: &Path, password: &MasterPassword) -> Result<VaultCopy, OpenError> {
        let bytes = read_file(path)?;
        Ok(VaultCopy { path: path.to_owned(), opened: format::read(&bytes, password)? })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn vault(&self) -> &Vault {
        &self.opened.vault
    }
}

impl VaultCopy {
    /// The copy's contents as a merge may take them: clocks running far ahead are pulled back
    /// to `now_ms`, so that a copy merged on purpose cannot pin the vault in the future.
    fn contents_to_merge(&self, now_ms: u64) -> Cow<'_, Vault> {
        match self.opened.vault.clock_ahead(now_ms) {
            Some(_) => {
                let mut vault = self.opened.vault.clone();
                vault.pull_back_clocks(now_ms);
                Cow::Owned(vault)
            }
            None => Cow::Borrowed(&self.opened.vault),
        }
    }
}

impl VaultFile {
    /// Opens another copy of this vault, to merge it on purpose: one from a USB stick, one
    /// mailed from the other laptop, one left alone by a sync. It is tried with this vault's key
    /// first; `password` (the copy's own master password) opens a copy under another key: one
    /// made before a master password change, or another vault, which opening it tells for sure.
    /// Without a password that case is `OpenError::Read(ReadError::WrongKey)`.
    pub fn open_copy(&self, path: &Path, password: Option<&MasterPassword>) -> Result<VaultCopy, OpenError> {
        let bytes = read_file(path)?;
        let opened = match (format::read_with_key(&bytes, &self.key), password) {
            (Err(ReadError::WrongKey | ReadError::KeyChanged(_)), Some(password)) => format::read(&bytes, password)?,
            (Err(ReadError::KeyChanged(_)), None) => return Err(ReadError::WrongKey.into()),
            (result, _) => result?,
        };
        Ok(VaultCopy { path: path.to_owned(), opened })
    }

    /// Why `copy` would not have been merged by itself, if so: said before merging it on purpose.
    pub fn check_copy(&self, copy: &VaultCopy, now_ms: u64) -> Option<Suspicious> {
        let key = &copy.opened.key;
        if key.expose() != self.key.expose() {
            let retired = self.is_retired(KeyId::of(key));
            return Some(if retired { Suspicious::RetiredKey } else { Suspicious::OtherKey });
        }
        self.suspicion(&copy.opened, now_ms)
    }

    /// What merging `copy` into `vault` would change, without changing anything.
    pub fn preview_merge(&self, vault: &Vault, copy: &VaultCopy, now_ms: u64) -> Result<MergeReport, MergeError> {
        let mut merged = vault.clone();
        merged.merge(&copy.contents_to_merge(now_ms))
    }

    /// Merges `copy`'s entries and settings into `vault` and saves the result (under the save
    /// lock, after taking in anything saved over the vault file meanwhile): the user chose this
    /// copy, so it is merged even if it is locked with another key or its clocks ran ahead
    /// (they are pulled back). Its key slot is never taken: the vault keeps its own master
    /// password. Writes only if the copy brought something new.
    pub fn merge_copy(
        &mut self,
        vault: &mut Vault,
        copy: &VaultCopy,
        clock: &dyn Clock,
    ) -> Result<MergeReport, SaveError> {
        let theirs = copy.vault();
        if theirs.id != vault.id {
            return Err(MergeError::DifferentVaults { ours: vault.id, theirs: theirs.id }.into());
        }
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let disk = self.catch_up(vault, clock)?;
        let caught_up = vault.clone();
        vault.merge(&copy.contents_to_merge(clock.now_ms()))?;
        if *vault != caught_up || disk == OnDisk::SetAside {
            self.write(vault, clock, disk)?;
        }
        Ok(MergeReport::between(&before, vault))
    }

    /// Reads a file beside the vault with this vault's key only.
    pub(super) fn read_with_our_key(&self, path: &Path) -> Result<format::Opened, CopyProblem> {
        let bytes = super::bounded::read(path).map_err(|problem| match problem {
            ReadProblem::TooLarge(big) => CopyProblem::TooLarge(big),
            ReadProblem::Io(err) => CopyProblem::Io(err),
        })?;
        format::read_with_key(&bytes, &self.key).map_err(|err| match err {
            ReadError::WrongKey if self.is_retired_file(&bytes) => CopyProblem::RetiredKey,
            err => CopyProblem::Read(err),
        })
    }
}

/// Why a file beside the vault could not be read as a copy of it.
#[derive(Debug)]
pub(super) enum CopyProblem {
    Io(std::io::Error),
    Read(ReadError),
    /// Locked with a key this vault retired at a master password change.
    RetiredKey,
    TooLarge(super::TooLarge),
}
