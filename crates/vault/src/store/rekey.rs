//! After a master password change, the backups beside the vault are re-encrypted under the new
//! key: otherwise whoever knew the old password could open a backup, read the old vault key
//! from it, and with that key nothing would change. They stay restorable, with the new password.

use std::fs;
use std::path::PathBuf;

use super::{VaultFile, atomic, backup};
use crate::crypto::{self, VaultKey};
use crate::format;

impl VaultFile {
    /// Rewrites every file in the backups folder that opens with `old_key` (rotating backups,
    /// merged and set-aside copies) under the current key, slot and notices. Files under other
    /// keys are not ours to touch. Returns how many were rewritten and those that failed.
    pub(super) fn reencrypt_backups(&self, old_key: &VaultKey) -> (usize, Vec<(PathBuf, String)>) {
        let folder = backup::folder(&self.path);
        let listing = match fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (0, Vec::new()),
            Err(err) => return (0, vec![(folder, err.to_string())]),
        };
        let (mut rewritten, mut failed) = (0, Vec::new());
        for item in listing.flatten() {
            let path = item.path();
            let is_file = fs::symlink_metadata(&path).map(|m| m.is_file()).unwrap_or(false);
            let hidden = item.file_name().to_string_lossy().starts_with('.');
            if !is_file || hidden {
                continue;
            }
            let Ok(bytes) = fs::read(&path) else { continue };
            let Ok(opened) = format::read_with_key(&bytes, old_key) else { continue };
            let again =
                format::write_with_notices(&opened.vault, &self.key, &self.slot, &self.notices, crypto::random_array());
            match atomic::write_atomic(&path, &again) {
                Ok(()) => rewritten += 1,
                Err(err) => failed.push((path, err.to_string())),
            }
        }
        (rewritten, failed)
    }
}
