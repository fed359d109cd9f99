//! The sync folder is not trusted: anyone who can write there (or a teammate who once knew the
//! master password) can plant a file. A copy is merged only if it is made under this vault's
//! current key, with this laptop's own key slot, and with clocks that could be real. Anything
//! else is left alone (or, in the vault file's own place, moved aside) and reported; the user
//! can merge it on purpose ([`VaultFile::merge_copy`]).

use std::path::PathBuf;

use super::VaultFile;
use crate::format::{self, KeyId};
use crate::model::ClockAhead;

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
