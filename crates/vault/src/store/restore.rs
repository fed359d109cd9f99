//! Backups as a person sees them: which version each one is (when it was saved, on which
//! laptop), the newest one that still opens when the vault file itself is damaged, and putting
//! one back. Every restore goes through [`VaultFile::restore_opened`], so the file it replaces
//! is always kept as a backup first, whichever front end asked.

use std::path::Path;

use super::{OpenError, SaveError, SaveLock, VaultFile, atomic, backup, bounded, read_file};
use crate::clock::Clock;
use crate::crypto::VaultKey;
use crate::format::{self, KeyId, KeySlot};
use crate::model::Vault;
use crate::secret::MasterPassword;

use super::Backup;

/// What opens the backup being restored.
#[derive(Debug, Clone, Copy)]
pub enum Unlocking<'a> {
    /// The master password it was saved under (Argon2id: slow).
    Password(&'a MasterPassword),
    /// The vault key an unlocked vault already holds (no key derivation).
    Key(&'a VaultKey),
}

/// The version a backup holds, read from inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// When the laptop that saved it last wrote, in milliseconds since the epoch.
    pub saved_ms: u64,
    /// The name of that laptop, if the file names it.
    pub device: Option<String>,
    /// Live entries in it.
    pub entries: usize,
}

impl Saved {
    /// Every save notes its laptop first (`Vault::note_device`), so the laptop with the latest
    /// write is the one that saved this version; the header itself records no writer.
    pub fn of(vault: &Vault) -> Saved {
        let latest = vault.devices.values().max_by_key(|device| device.last_write_ms);
        Saved {
            saved_ms: latest.map_or(vault.clock.wall_ms, |device| device.last_write_ms),
            device: latest.map(|device| device.name.clone()),
            entries: vault.live_entries().count(),
        }
    }
}

/// What can be told of one backup with the vault key an unlocked vault holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupListing {
    /// It opens with the vault's key.
    Opens(Saved),
    /// It is locked with a key this vault retired: made before a master password change (and
    /// not re-encrypted then). Only that earlier master password opens it.
    EarlierPassword,
    /// Another vault's file, or not a readable vault file at all.
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub backup: Backup,
    /// Bytes on disk.
    pub size: u64,
    pub listing: BackupListing,
}

/// The newest backup that opens with a master password, found for a damaged vault file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFound {
    pub backup: Backup,
    pub saved: Saved,
}

/// What [`VaultFile::newest_backup_that_opens`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupSearch {
    pub found: Option<BackupFound>,
    /// How many backups there were to try.
    pub backups: usize,
}

impl VaultFile {
    /// The backups of this vault, newest first, each opened with the vault's key (no key
    /// derivation) to tell when and where its version was saved.
    pub fn list_backups(&self) -> std::io::Result<Vec<BackupSummary>> {
        let backups = backup::list(&self.path)?;
        Ok(backups
            .into_iter()
            .map(|backup| {
                let bytes = bounded::read(&backup.path).ok();
                let size = bytes.as_ref().map_or(0, |b| b.len() as u64);
                let listing = match bytes.as_deref().map(|b| format::read_with_key(b, &self.key)) {
                    // The key is random per vault: a file it opens is a version of this vault.
                    Some(Ok(opened)) => BackupListing::Opens(Saved::of(&opened.vault)),
                    Some(Err(_)) if bytes.as_deref().is_some_and(|b| self.is_retired_file(b)) => {
                        BackupListing::EarlierPassword
                    }
                    _ => BackupListing::Unreadable,
                };
                BackupSummary { backup, size, listing }
            })
            .collect())
    }

    /// For a vault file that is damaged: the newest backup of it that opens with `password`.
    /// One key derivation per distinct key slot among the backups (they share one slot until
    /// the master password changes), and none for a backup under a key already unwrapped.
    /// A backup under a key that another backup says was retired is passed over: the earlier
    /// master password that opens it was changed on purpose, and must not come back this way.
    pub fn newest_backup_that_opens(path: &Path, password: &MasterPassword) -> std::io::Result<BackupSearch> {
        let backups = backup::list(path)?;
        let mut search = BackupSearch { found: None, backups: backups.len() };
        let files: Vec<(Backup, Vec<u8>)> =
            backups.into_iter().filter_map(|b| bounded::read(&b.path).ok().map(|bytes| (b, bytes))).collect();
        let retired: Vec<KeyId> = files
            .iter()
            .filter_map(|(_, bytes)| format::parse(bytes).ok())
            .flat_map(|parsed| parsed.notices.into_iter().map(|notice| notice.retired))
            .collect();
        let mut refused: Vec<KeySlot> = Vec::new();
        let mut keys: Vec<(KeyId, VaultKey)> = Vec::new();
        for (backup, bytes) in files {
            let Ok(parsed) = format::parse(&bytes) else { continue };
            if parsed.key_id.is_some_and(|id| retired.contains(&id)) {
                continue;
            }
            let known = parsed.key_id.and_then(|id| keys.iter().find(|(known, _)| *known == id));
            let key = match known {
                Some((_, key)) => key.clone(),
                None if refused.contains(&parsed.slot) => continue,
                None => match format::unwrap_key(password, &parsed.slot) {
                    Ok(key) => {
                        keys.push((KeyId::of(&key), key.clone()));
                        key
                    }
                    Err(_) => {
                        refused.push(parsed.slot.clone());
                        continue;
                    }
                },
            };
            if let Ok(vault) = parsed.decrypt(&key) {
                search.found = Some(BackupFound { backup, saved: Saved::of(&vault) });
                break;
            }
        }
        Ok(search)
    }

    /// Puts the backup at `backup` back in place of the vault at `path` and opens it: the
    /// backup must open with `unlocking`, and the current file (if any) is kept as a backup
    /// first, so a restore can be undone. The one restore of every front end.
    pub fn restore_opened(
        path: &Path,
        backup: &Path,
        unlocking: Unlocking<'_>,
        clock: &dyn Clock,
    ) -> Result<(VaultFile, Vault), OpenError> {
        let _lock = SaveLock::acquire(path).map_err(SaveError::from)?;
        let bytes = read_file(backup)?;
        let opened = match unlocking {
            Unlocking::Password(password) => format::read(&bytes, password)?,
            Unlocking::Key(key) => format::read_with_key(&bytes, key)?,
        };
        if path.exists() {
            backup::keep(path, clock.now_ms()).map_err(SaveError::from)?;
        }
        atomic::write_atomic(path, &bytes).map_err(SaveError::from)?;
        Ok(VaultFile::from_opened(path, &bytes, opened))
    }
}
