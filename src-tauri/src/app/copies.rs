//! Copies that were not merged by themselves, and the master password changed on another
//! laptop: the user decides, after seeing what a merge would change.

use secrecy::SecretString;
use std::path::PathBuf;

use vault::format::ReadError;
use vault::store::OpenError;
use vault::{Clock, SystemClock};

use super::App;
use super::sync::{describe, file_name};
use crate::error::{self, Result, error, locked};
use crate::ipc::{CopyPreview, HeldCopy, SyncStatus};

impl App {
    /// Takes the master password set on another laptop: the file on disk is opened with it, and
    /// everything this laptop has that the file lacks is merged in and saved under the new key.
    /// Quick unlock, sealed with the retired key, is forgotten.
    pub fn adopt_new_password(&mut self, password: &str) -> Result<SyncStatus> {
        let open = self.open.as_mut().ok_or_else(locked)?;
        let report = open
            .file
            .adopt_new_password(&mut open.vault, &SecretString::from(password), &SystemClock)
            .map_err(error::from_open)?;
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
        let path = self.held_path(name)?;
        let open = self.open.as_ref().ok_or_else(locked)?;
        let copy = open_held(&open.file, &path, password)?;
        let now = SystemClock.now_ms();
        let reason = open.file.check_copy(&copy, now).map(|why| {
            let mut held = HeldCopy::default_named(name);
            describe(&mut held, &why);
            held.reason
        });
        let report = open.file.preview_merge(&open.vault, &copy, now).map_err(|e| error("different-vaults", e))?;
        let titles = |changes: &[vault::model::EntryChange]| changes.iter().map(|c| c.title.clone()).collect();
        Ok(CopyPreview {
            name: name.to_owned(),
            reason,
            added: titles(&report.added),
            updated: titles(&report.updated),
            deleted: titles(&report.deleted),
            restored: titles(&report.restored),
            settings: report.settings.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Merges the held copy `name` on purpose: its entries and settings come in, never its
    /// master password. A copy beside the vault then goes to the backups folder.
    pub fn merge_held_copy(&mut self, name: &str, password: Option<&str>) -> Result<SyncStatus> {
        let path = self.held_path(name)?;
        let open = self.open.as_mut().ok_or_else(locked)?;
        let copy = open_held(&open.file, &path, password)?;
        let report = open.file.merge_copy(&mut open.vault, &copy, &SystemClock).map_err(error::from_save)?;
        // Merged is merged: if it cannot be moved, it stays listed but its contents are in.
        let moved = open.file.put_merged_copy_aside(&path, &SystemClock);
        self.sync.note_save(&report);
        if moved.is_ok() {
            self.sync.held.remove(&path);
            self.sync.status.copies_merged += 1;
        }
        self.sync.status.held_copies = self.sync.held.values().cloned().collect();
        self.sync.status.copies_left_alone = self.sync.held.values().map(|h| h.name.clone()).collect();
        Ok(self.sync.status.clone())
    }

    /// The held file called `name`: only files this app itself listed, never a path from the page.
    fn held_path(&self, name: &str) -> Result<PathBuf> {
        let held = self.sync.held.iter().find(|(path, held)| held.name == name && file_name(path) == name);
        match held {
            Some((path, held)) if held.mergeable => Ok(path.clone()),
            Some(_) => Err(error("copy-not-mergeable", format!("{name} is not a copy of this vault"))),
            None => Err(error("not-found", format!("{name} is not among the copies held back"))),
        }
    }
}

fn open_held(
    file: &vault::VaultFile,
    path: &std::path::Path,
    password: Option<&str>,
) -> Result<vault::store::VaultCopy> {
    let password = password.filter(|p| !p.is_empty()).map(SecretString::from);
    file.open_copy(path, password.as_ref()).map_err(|err| match err {
        OpenError::Read(ReadError::WrongKey) => {
            error("copy-needs-password", "this copy is locked with another master password: enter that password")
        }
        OpenError::Read(ReadError::WrongPassword) => {
            error("copy-wrong-password", "that is not the copy's master password")
        }
        other => error::from_open(other),
    })
}

impl HeldCopy {
    fn default_named(name: &str) -> HeldCopy {
        HeldCopy {
            name: name.to_owned(),
            reason: String::new(),
            device: None,
            ahead_ms: None,
            set_aside: false,
            mergeable: true,
        }
    }
}
