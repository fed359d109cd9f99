//! Merging another copy of the vault into the vault file: a copy from a USB stick, a file
//! mailed from the other laptop, a conflicted copy left by a sync tool.

use std::path::{Path, PathBuf};

use super::bounded::ReadProblem;
use super::{OpenError, SaveError, VaultFile, read_file};
use crate::clock::Clock;
use crate::format::{self, ReadError};
use crate::model::{MergeError, MergeReport, Vault};
use crate::secret::MasterPassword;

/// Another copy of a vault file, opened and ready to merge. It is only read, never changed.
#[derive(Debug)]
pub struct VaultCopy {
    path: PathBuf,
    opened: format::Opened,
}

impl VaultCopy {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn vault(&self) -> &Vault {
        &self.opened.vault
    }
}

impl VaultFile {
    /// Opens another copy of this vault. Every copy of one vault shares its vault key, so no
    /// password is needed even if the master password was changed there; `password` is tried
    /// only when the key does not open it (then it is most likely another vault, and opening
    /// it tells the user so for sure). Without a password that case is
    /// `OpenError::Read(ReadError::WrongKey)`.
    pub fn open_copy(&self, path: &Path, password: Option<&MasterPassword>) -> Result<VaultCopy, OpenError> {
        let bytes = read_file(path)?;
        let opened = match (format::read_with_key(&bytes, &self.key), password) {
            (Err(ReadError::WrongKey), Some(password)) => format::read(&bytes, password)?,
            (result, _) => result?,
        };
        Ok(VaultCopy { path: path.to_owned(), opened })
    }

    /// Merges `copy` into `vault` and saves the result (under the save lock, after taking in
    /// anything saved over the vault file meanwhile). The copy's key slot is kept if its master
    /// password changed later. Writes only if the copy brought something new.
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
        if copy.opened.key.expose() != self.key.expose() {
            return Err(SaveError::CopyWithOtherKey(copy.path.clone()));
        }
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let exists = self.catch_up(vault)?;
        let (caught_up, slot_before) = (vault.clone(), self.slot_changed);
        self.take_in(vault, &copy.opened)?;
        if *vault != caught_up || self.slot_changed != slot_before {
            self.write(vault, clock, exists)?;
        }
        Ok(MergeReport::between(&before, vault))
    }

    /// Reads a file beside the vault with this vault's key only.
    pub(super) fn read_with_our_key(&self, path: &Path) -> Result<format::Opened, CopyProblem> {
        let bytes = super::bounded::read(path).map_err(|problem| match problem {
            ReadProblem::TooLarge(big) => CopyProblem::TooLarge(big),
            ReadProblem::Io(err) => CopyProblem::Io(err),
        })?;
        format::read_with_key(&bytes, &self.key).map_err(CopyProblem::Read)
    }
}

/// Why a file beside the vault could not be read as a copy of it.
#[derive(Debug)]
pub(super) enum CopyProblem {
    Io(std::io::Error),
    Read(ReadError),
    TooLarge(super::TooLarge),
}
