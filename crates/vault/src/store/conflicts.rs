//! Conflicted copies: when two laptops change the vault before the sync service has carried
//! one's change to the other, the service keeps both files and renames one of them beside the
//! vault. Those copies are found by name, merged in when they are copies of this vault, and
//! moved into `NAME.backups/`. Anything else is left where it is and reported.
//!
//! Names, for a vault `work.crmvault` (each service inserts its mark before the extension):
//! - Dropbox: `work (Bob's conflicted copy 2026-11-21).crmvault`, with ` (1)` after the date
//!   or after the parenthesis when there are several;
//! - Syncthing: `work.sync-conflict-20261121-101010-ABCDEFG.crmvault` (the last part, the
//!   short id of the device, is missing in files made by versions before 1.x);
//! - OneDrive: `work-LAPTOP2.crmvault`, `work-LAPTOP2-1.crmvault` (the computer's name);
//! - Nextcloud and ownCloud: `work (conflicted copy 2026-11-21 101010).crmvault`, and from
//!   older clients `work_conflict-20261121-101010.crmvault` or
//!   `work_conflict_bob-20261121-101010.crmvault`.
//!
//! Google Drive's renaming is not documented, so it is not guessed at. The OneDrive pattern
//! also matches unrelated names such as `work-old.crmvault`; the vault id check keeps those
//! out of the vault, and they are reported as a different vault.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{OnDisk, SaveError, Suspicious, VaultFile, atomic, backup, copies::CopyProblem};
use crate::clock::Clock;
use crate::format::{KeyChange, ReadError};
use crate::model::{MergeReport, Vault};

/// A sync service whose conflicted copies are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncTool {
    Dropbox,
    Syncthing,
    OneDrive,
    /// Nextcloud and ownCloud name their copies alike.
    Nextcloud,
}

impl fmt::Display for SyncTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyncTool::Dropbox => "Dropbox",
            SyncTool::Syncthing => "Syncthing",
            SyncTool::OneDrive => "OneDrive",
            SyncTool::Nextcloud => "Nextcloud/ownCloud",
        })
    }
}

/// A file beside the vault named like a sync service's conflicted copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictedCopy {
    pub path: PathBuf,
    pub tool: SyncTool,
    /// The person, computer or device the name mentions, if it does.
    pub from: Option<String>,
}

/// A conflicted copy that was merged into the vault, and where it was moved.
#[derive(Debug)]
pub struct MergedCopy {
    pub copy: ConflictedCopy,
    pub moved_to: PathBuf,
}

/// Why a conflicted copy was left where it is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LeftAlone {
    #[error("it is a different vault (it does not open with this vault's key, or has another id)")]
    DifferentVault,
    #[error("it cannot be read: {0}")]
    Unreadable(ReadError),
    #[error("it could not be read: {0}")]
    Io(io::Error),
    /// Refused before it was read (see [`super::MAX_FILE_BYTES`]).
    #[error("it is {}; it was not read", .0.sizes())]
    TooLarge(super::TooLarge),
    #[error("it was merged, but could not be moved aside: {0}")]
    NotMoved(io::Error),
    /// A copy of this vault that must not be merged by itself; the user may merge it on purpose.
    #[error("{0}; merge it on purpose if you trust it")]
    Suspicious(Suspicious),
    /// Made under a newer master password set on another laptop: this laptop must first take
    /// the new password.
    #[error("{0}; enter the new master password first")]
    PasswordChangedThere(KeyChange),
}

/// What [`VaultFile::merge_conflicted_copies`] did.
#[derive(Debug, Default)]
pub struct ConflictsReport {
    pub merged: Vec<MergedCopy>,
    pub left_alone: Vec<(ConflictedCopy, LeftAlone)>,
    /// What the copies (and any save made over the vault file meanwhile) changed in the vault.
    pub changes: MergeReport,
}

/// The conflicted copies beside the vault at `vault_path`, by name only, sorted by path.
pub fn find(vault_path: &Path) -> io::Result<Vec<ConflictedCopy>> {
    let Some(vault_name) = vault_path.file_name().and_then(|n| n.to_str()) else { return Ok(Vec::new()) };
    let folder = match vault_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut found = Vec::new();
    for item in fs::read_dir(folder)? {
        let item = item?;
        let Some(name) = item.file_name().to_str().map(str::to_owned) else { continue };
        if !item.file_type()?.is_file() {
            continue;
        }
        if let Some((tool, from)) = recognise(vault_name, &name) {
            found.push(ConflictedCopy { path: item.path(), tool, from });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Is `name` a conflicted copy of the vault file called `vault_name`? Which service made it,
/// and whom does it name?
pub fn recognise(vault_name: &str, name: &str) -> Option<(SyncTool, Option<String>)> {
    // Our own lock and temp files start with a dot; so do hidden files nobody wants merged.
    if name == vault_name || name.starts_with('.') {
        return None;
    }
    let (stem, ext) = match vault_name.rfind('.') {
        Some(dot) if dot > 0 => vault_name.split_at(dot),
        _ => (vault_name, ""),
    };
    let tail = name.strip_suffix(ext)?.strip_prefix(stem)?;
    let found = dropbox(tail)
        .map(|from| (SyncTool::Dropbox, from))
        .or_else(|| nextcloud(tail).map(|from| (SyncTool::Nextcloud, from)))
        .or_else(|| syncthing(tail).map(|from| (SyncTool::Syncthing, from)))
        .or_else(|| onedrive(tail).map(|from| (SyncTool::OneDrive, from)))?;
    Some((found.0, found.1.filter(|from| !from.is_empty())))
}

/// ` (Bob's conflicted copy 2026-11-21)`, with an optional ` (N)` after the date or at the end.
fn dropbox(tail: &str) -> Option<Option<String>> {
    let inner = without_copy_number(tail).strip_prefix(" (")?.strip_suffix(')')?;
    let inner = without_copy_number(inner);
    let (who, date) =
        inner.split_once("'s conflicted copy").or_else(|| inner.split_once("\u{2019}s conflicted copy"))?;
    let date = date.trim();
    (date.is_empty() || is_date(date)).then(|| Some(who.trim().to_owned()))
}

/// ` (conflicted copy 2026-11-21 101010)`, `_conflict-20261121-101010`, `_conflict_bob-20261121-101010`.
fn nextcloud(tail: &str) -> Option<Option<String>> {
    if let Some(inner) = tail.strip_prefix(" (conflicted copy ").and_then(|t| t.strip_suffix(')')) {
        let (date, time) = inner.split_once(' ')?;
        return (is_date(date) && is_digits(time, 6)).then_some(None);
    }
    if let Some(stamp) = tail.strip_prefix("_conflict-") {
        return is_compact_stamp(stamp).then_some(None);
    }
    let rest = tail.strip_prefix("_conflict_")?;
    let (user, stamp) = rest.split_at(rest.len().checked_sub(15)?);
    let user = user.strip_suffix('-')?;
    is_compact_stamp(stamp).then(|| Some(user.to_owned()))
}

/// `.sync-conflict-20261121-101010-ABCDEFG` (the device part missing in older versions).
fn syncthing(tail: &str) -> Option<Option<String>> {
    let rest = tail.strip_prefix(".sync-conflict-")?;
    if is_compact_stamp(rest) {
        return Some(None);
    }
    let (stamp, device) = rest.split_at(15.min(rest.len()));
    let device = device.strip_prefix('-')?;
    let plausible = !device.is_empty() && device.len() <= 63 && device.chars().all(|c| c.is_ascii_alphanumeric());
    (is_compact_stamp(stamp) && plausible).then(|| Some(device.to_owned()))
}

/// `-LAPTOP2` or `-LAPTOP2-1`: a computer name (at most 15 characters) and maybe a number.
fn onedrive(tail: &str) -> Option<Option<String>> {
    let rest = tail.strip_prefix('-')?;
    let plausible = !rest.is_empty()
        && rest.len() <= 20
        && !rest.starts_with('-')
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plausible {
        return None;
    }
    let computer = match rest.rsplit_once('-') {
        Some((name, number)) if !name.is_empty() && number.chars().all(|c| c.is_ascii_digit()) => name,
        _ => rest,
    };
    Some(Some(computer.to_owned()))
}

/// `text` without a trailing ` (N)`.
fn without_copy_number(text: &str) -> &str {
    if let Some(open) = text.rfind(" (")
        && let Some(number) = text[open + 2..].strip_suffix(')')
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
    {
        return &text[..open];
    }
    text
}

fn is_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// `2026-11-21`.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if is_digits(y, 4) && is_digits(m, 2) && is_digits(d, 2))
}

/// `20261121-101010`.
fn is_compact_stamp(text: &str) -> bool {
    matches!(text.split_once('-'), Some((date, time)) if is_digits(date, 8) && is_digits(time, 6))
}

/// Moves a copy into `NAME.backups/`, named `<prefix>-<when>-<its own name>` (`merged-` for a
/// copy merged in, `set-aside-` for one not trusted) so it is plain where it came from (and never
/// taken for one of the rotating backups).
pub(super) fn move_aside(vault_path: &Path, copy: &Path, now_ms: u64, prefix: &str) -> io::Result<PathBuf> {
    let folder = backup::folder(vault_path);
    super::links::real_folder(&folder)?;
    let name = copy.file_name().unwrap_or_default().to_string_lossy();
    let mut taken = now_ms;
    let target = loop {
        let candidate = folder.join(format!("{prefix}-{}-{name}", backup::stamp(taken)));
        if !super::links::exists(&candidate) {
            break candidate;
        }
        taken = taken.saturating_add(1);
    };
    fs::rename(copy, &target)?;
    atomic::sync_folder(&target)?;
    atomic::sync_folder(copy)?;
    Ok(target)
}

impl VaultFile {
    /// Moves a copy beside the vault that the user merged on purpose into the backups folder, as
    /// the automatic merges do. Files already in the backups folder stay where they are.
    pub fn put_merged_copy_aside(&self, copy: &Path, clock: &dyn Clock) -> io::Result<Option<PathBuf>> {
        if copy.parent() == Some(backup::folder(&self.path).as_path()) {
            return Ok(None);
        }
        move_aside(&self.path, copy, clock.now_ms(), "merged").map(Some)
    }

    /// Finds the conflicted copies beside the vault, merges into `vault` those that are copies
    /// of it, saves (only if something new came in), then moves the merged copies into the
    /// backups folder. Copies of another vault, unreadable ones, and anything that does not open
    /// with this vault's key are left where they are and reported.
    pub fn merge_conflicted_copies(
        &mut self,
        vault: &mut Vault,
        clock: &dyn Clock,
    ) -> Result<ConflictsReport, SaveError> {
        let found = find(&self.path)?;
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let disk = self.catch_up(vault, clock)?;
        let caught_up = vault.clone();
        let mut to_move = Vec::new();
        let mut report = ConflictsReport::default();
        for copy in found {
            let why = match self.read_with_our_key(&copy.path) {
                Ok(opened) if opened.vault.id == vault.id => match self.suspicion(&opened, clock.now_ms()) {
                    Some(suspicious) => LeftAlone::Suspicious(suspicious),
                    None => {
                        self.take_in(vault, &opened)?;
                        to_move.push(copy);
                        continue;
                    }
                },
                Err(CopyProblem::Read(ReadError::KeyChanged(change))) if change.vault == vault.id => {
                    LeftAlone::PasswordChangedThere(change)
                }
                Ok(_) | Err(CopyProblem::Read(ReadError::WrongKey | ReadError::KeyChanged(_))) => {
                    LeftAlone::DifferentVault
                }
                Err(CopyProblem::RetiredKey) => LeftAlone::Suspicious(Suspicious::RetiredKey),
                Err(CopyProblem::Read(err)) => LeftAlone::Unreadable(err),
                Err(CopyProblem::Io(err)) => LeftAlone::Io(err),
                Err(CopyProblem::TooLarge(big)) => LeftAlone::TooLarge(big),
            };
            report.left_alone.push((copy, why));
        }
        if *vault != caught_up || disk == OnDisk::SetAside {
            self.write(vault, clock, disk)?;
        }
        // Only now that their contents are safely in the vault file do the copies move.
        for copy in to_move {
            match move_aside(&self.path, &copy.path, clock.now_ms(), "merged") {
                Ok(moved_to) => report.merged.push(MergedCopy { copy, moved_to }),
                Err(err) => report.left_alone.push((copy, LeftAlone::NotMoved(err))),
            }
        }
        report.changes = MergeReport::between(&before, vault);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAULT: &str = "work.crmvault";

    fn tool(name: &str) -> Option<(SyncTool, Option<String>)> {
        recognise(VAULT, name)
    }

    fn from(name: &str) -> Option<String> {
        tool(name).and_then(|(_, from)| from)
    }

    #[test]
    fn each_services_naming_is_recognised() {
        use SyncTool::*;
        let cases = [
            ("work (Bob's conflicted copy 2026-11-21).crmvault", Dropbox, Some("Bob")),
            ("work (Bob Li's conflicted copy 2026-11-21) (1).crmvault", Dropbox, Some("Bob Li")),
            ("work (LAPTOP-2's conflicted copy 2026-11-21 (2)).crmvault", Dropbox, Some("LAPTOP-2")),
            ("work (李雷\u{2019}s conflicted copy 2026-11-21).crmvault", Dropbox, Some("李雷")),
            ("work.sync-conflict-20261121-101010-ABCDEF7.crmvault", Syncthing, Some("ABCDEF7")),
            ("work.sync-conflict-20261121-101010.crmvault", Syncthing, None),
            ("work-LAPTOP2.crmvault", OneDrive, Some("LAPTOP2")),
            ("work-LAPTOP2-2.crmvault", OneDrive, Some("LAPTOP2")),
            ("work (conflicted copy 2026-11-21 101010).crmvault", Nextcloud, None),
            ("work_conflict-20261121-101010.crmvault", Nextcloud, None),
            ("work_conflict_bob-20261121-101010.crmvault", Nextcloud, Some("bob")),
        ];
        for (name, expected, who) in cases {
            assert_eq!(tool(name).map(|(t, _)| t), Some(expected), "{name}");
            assert_eq!(from(name).as_deref(), who, "{name}");
        }
    }

    #[test]
    fn other_files_are_not_taken_for_copies() {
        for name in [
            "work.crmvault",
            ".work.crmvault.lock",
            ".work.crmvault.tmp-0123456789abcdef",
            "work.backups",
            "work.csv",
            "work (Bob's conflicted copy 2026-11-21).csv",
            "workshop.crmvault",
            "work (conflicted copy yesterday).crmvault",
            "work.sync-conflict-2026-ABC.crmvault",
            "work (1).crmvault",
            "other (Bob's conflicted copy 2026-11-21).crmvault",
            "work-a name with spaces.crmvault",
        ] {
            assert_eq!(tool(name), None, "{name}");
        }
    }

    #[test]
    fn a_vault_without_an_extension_has_copies_too() {
        assert_eq!(recognise("vault", "vault-PC1").map(|(t, _)| t), Some(SyncTool::OneDrive));
        assert_eq!(recognise("my.team.crmvault", "my.team-PC1.crmvault").map(|(t, _)| t), Some(SyncTool::OneDrive));
    }
}
