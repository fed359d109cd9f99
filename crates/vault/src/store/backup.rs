//! Rotating backups: before each save, the file being replaced is kept in `NAME.backups/`
//! beside the vault. The newest [`KEEP`] are kept.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How many earlier versions are kept.
pub const KEEP: usize = 10;

/// One kept earlier version of the vault file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    /// When it was moved aside, in milliseconds since the epoch.
    pub taken_ms: u64,
}

/// `NAME.backups/` beside the vault `NAME.crmvault`.
pub fn folder(vault_path: &Path) -> PathBuf {
    let stem = vault_path.file_stem().unwrap_or_default().to_string_lossy();
    vault_path.with_file_name(format!("{stem}.backups"))
}

/// Keeps the current file at `vault_path` as a backup, then drops the oldest beyond [`KEEP`].
/// A hard link costs nothing and cannot be half-written; folders that cannot link get a copy.
pub fn keep(vault_path: &Path, now_ms: u64) -> io::Result<()> {
    let folder = folder(vault_path);
    // Backups go into a real folder beside the vault, never through a link to somewhere else.
    super::links::real_folder(&folder)?;
    let stem = vault_path.file_stem().unwrap_or_default().to_string_lossy();
    let ext = vault_path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let mut taken = now_ms;
    let target = loop {
        let candidate = folder.join(format!("{stem}.{}{ext}", stamp(taken)));
        if !super::links::exists(&candidate) {
            break candidate;
        }
        taken = taken.saturating_add(1);
    };
    if fs::hard_link(vault_path, &target).is_err() {
        let bytes = super::bounded::read(vault_path)?;
        super::atomic::write_atomic(&target, &bytes)?;
    }
    super::atomic::sync_folder(&target)?;
    prune(vault_path)
}

fn prune(vault_path: &Path) -> io::Result<()> {
    let backups = list(vault_path)?;
    for old in backups.iter().skip(KEEP) {
        fs::remove_file(&old.path)?;
    }
    Ok(())
}

/// The backups of a vault, newest first.
pub fn list(vault_path: &Path) -> io::Result<Vec<Backup>> {
    let folder = folder(vault_path);
    let stem = vault_path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    // A linked folder holds someone else's files: none of them is offered for a restore.
    super::links::refuse_link(&folder)?;
    let listing = match fs::read_dir(&folder) {
        Ok(listing) => listing,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut backups = Vec::new();
    for item in listing {
        let path = item?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        let Some(rest) = name.strip_prefix(&stem).and_then(|r| r.strip_prefix('.')) else { continue };
        let stamp_text = rest.split('.').next().unwrap_or_default();
        if let Some(taken_ms) = parse_stamp(stamp_text) {
            backups.push(Backup { path, taken_ms });
        }
    }
    backups.sort_by(|a, b| b.taken_ms.cmp(&a.taken_ms).then_with(|| b.path.cmp(&a.path)));
    Ok(backups)
}

/// `20261122T101010123Z`: sorts by time, readable, and legal in every file system's names.
pub(super) fn stamp(ms: u64) -> String {
    let time = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    time.format("%Y%m%dT%H%M%S%3fZ").to_string()
}

fn parse_stamp(text: &str) -> Option<u64> {
    let time = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S%3fZ").ok()?;
    u64::try_from(time.and_utc().timestamp_millis()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        let ms = 1_795_000_000_123;
        assert_eq!(parse_stamp(&stamp(ms)), Some(ms));
        assert_eq!(parse_stamp("not-a-time"), None);
    }
}
