//! The sync folder is not trusted: anyone who can write there (or a teammate who once knew the
//! master password) can plant a file. A copy is merged only if it is made under this vault's
//! current key, with this laptop's own key slot, and with clocks that could be real. Anything
//! else is left alone (or, in the vault file's own place, moved aside) and reported; the user
//! can merge it on purpose ([`VaultFile::merge_copy`]).

use std::path::{Path, PathBuf};

use super::{OpenError, SaveError, SaveLock, VaultFile, atomic, backup, bounded, conflicts};
use crate::clock::{Clock, SystemClock};
use crate::format::{self, KeyId, KeySlot};
use crate::model::{ClockAhead, Vault};
use crate::secret::MasterPassword;

/// Why a copy of this vault was not merged by itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Suspicious {
    /// It opens with this vault's key but would bring another key slot: another master
    /// password for the same key. A real password change always makes a new key, so this is
    /// someone who holds the key trying to lock the owner out.
    #[error(
        "it opens with this vault's key but carries a master password this laptop never set; a real \
         master password change always makes a new key, so it was not made by CRM Vault"
    )]
    ForeignKeySlot,
    #[error("its clocks cannot be right: {0}")]
    ClockAhead(ClockAhead),
    /// It is locked with a key this vault has retired: made before a master password change by a
    /// laptop that had not heard of it yet, or by someone who knew the old password.
    #[error("it was made under an earlier master password of this vault")]
    RetiredKey,
    /// It has this vault's id but is locked with a key this laptop does not know.
    #[error("it is locked with another master password than this vault's")]
    OtherKey,
}

/// A file found in the vault file's place and moved into the backups folder, unmerged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub from: PathBuf,
    pub moved_to: PathBuf,
    pub why: Suspicious,
}

impl VaultFile {
    /// Why a copy that opened with this vault's key must not be merged by itself, if it must not.
    pub(super) fn suspicion(&self, copy: &format::Opened, now_ms: u64) -> Option<Suspicious> {
        if copy.slot != self.slot {
            return Some(Suspicious::ForeignKeySlot);
        }
        copy.vault.clock_ahead(now_ms).map(Suspicious::ClockAhead)
    }

    /// Whether `key` is one this vault used before a master password change.
    pub(super) fn is_retired(&self, key: KeyId) -> bool {
        self.notices.iter().any(|notice| notice.retired == key)
    }

    /// Whether the file `bytes` is locked with a key this vault retired.
    pub(super) fn is_retired_file(&self, bytes: &[u8]) -> bool {
        let key_id = format::parse(bytes).ok().and_then(|parsed| parsed.key_id);
        key_id.is_some_and(|id| self.is_retired(id))
    }
}

impl VaultFile {
    /// When the master password does not open the vault file: was its key slot planted? That is
    /// so when a backup beside it, under the same vault key but with another key slot, opens with
    /// this password: someone who held the key put their own master password on the file to
    /// lock the owner out (an unlocked laptop would have moved it aside; this one was locked).
    /// Then the planted file is moved aside, the newest such backup put back in its place (the
    /// other laptops bring what they have at their next look), and the vault opened from it.
    /// `None`: no backup says so, the password is simply wrong.
    pub(super) fn open_past_planted_slot(
        path: &Path,
        bytes: &[u8],
        password: &MasterPassword,
        lock: Option<&SaveLock>,
    ) -> Result<Option<(VaultFile, Vault)>, OpenError> {
        let Ok(planted) = format::parse(bytes) else { return Ok(None) };
        // Files before version 3 say nothing of their key; their slots may differ legitimately.
        let Some(key_id) = planted.key_id else { return Ok(None) };
        let mut tried: Vec<KeySlot> = vec![planted.slot.clone()];
        for backup in backup::list(path).unwrap_or_default() {
            let Ok(backup_bytes) = bounded::read(&backup.path) else { continue };
            let Ok(parsed) = format::parse(&backup_bytes) else { continue };
            // Cheap checks first: one key derivation per distinct key slot at most.
            if parsed.key_id != Some(key_id) || tried.contains(&parsed.slot) {
                continue;
            }
            tried.push(parsed.slot.clone());
            let Ok(key) = format::unwrap_key(password, &parsed.slot) else { continue };
            let Ok(opened) = format::read_with_key(&backup_bytes, &key) else { continue };
            let _lock = match lock {
                Some(_) => None,
                None => Some(SaveLock::acquire(path).map_err(SaveError::from)?),
            };
            let now = SystemClock.now_ms();
            let moved_to = conflicts::move_aside(path, path, now, "set-aside").map_err(SaveError::from)?;
            atomic::write_atomic(path, &backup_bytes).map_err(SaveError::from)?;
            let (mut file, vault) = VaultFile::from_opened(path, &backup_bytes, opened);
            file.set_aside.push(SetAside { from: path.to_owned(), moved_to, why: Suspicious::ForeignKeySlot });
            return Ok(Some((file, vault)));
        }
        Ok(None)
    }
}
