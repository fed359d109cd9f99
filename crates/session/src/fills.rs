//! A record of every fill and auto-type on this device: when, which entry, into which site or
//! window, and how it ended. Never a value. Kept as JSON lines in the settings folder (readable by
//! its owner only), in the shape the vault's activity log will take them up in; the newest
//! [`KEEP`] are kept.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How many records are kept.
pub const KEEP: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FillRecord {
    /// Milliseconds since the epoch.
    #[ts(type = "number")]
    pub time_ms: u64,
    pub entry_id: String,
    pub kind: FillKind,
    /// The page's origin (login window) or the window's title (auto-type).
    pub target: String,
    /// How it ended, e.g. "signed-in", "not-filled", "typed", "focus-moved".
    pub outcome: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum FillKind {
    LoginWindow,
    AutoType,
}

fn file(config_dir: &Path) -> PathBuf {
    config_dir.join("fills.jsonl")
}

/// Adds a record, dropping the oldest beyond [`KEEP`].
pub fn append(config_dir: &Path, record: &FillRecord) -> std::io::Result<()> {
    let mut records = read(config_dir);
    records.push(record.clone());
    let start = records.len().saturating_sub(KEEP);
    let mut text = String::new();
    for record in &records[start..] {
        text.push_str(&serde_json::to_string(record).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    std::fs::create_dir_all(config_dir)?;
    let path = file(config_dir);
    let partial = path.with_extension("jsonl.partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(&partial)?;
    out.write_all(text.as_bytes())?;
    out.sync_all()?;
    std::fs::rename(partial, path)
}

/// The records, oldest first; a damaged line is skipped, not fatal.
pub fn read(config_dir: &Path) -> Vec<FillRecord> {
    let Ok(text) = std::fs::read_to_string(file(config_dir)) else { return Vec::new() };
    text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> FillRecord {
        FillRecord {
            time_ms: n,
            entry_id: "e".into(),
            kind: FillKind::LoginWindow,
            target: "http://127.0.0.1:8080".into(),
            outcome: "signed-in".into(),
        }
    }

    #[test]
    fn records_survive_a_restart_skip_damage_and_keep_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        append(dir.path(), &record(1)).unwrap();
        std::fs::write(file(dir.path()), std::fs::read_to_string(file(dir.path())).unwrap() + "{not json\n").unwrap();
        append(dir.path(), &record(2)).unwrap();
        assert_eq!(read(dir.path()), [record(1), record(2)]);
        for n in 3..=(KEEP as u64 + 5) {
            append(dir.path(), &record(n)).unwrap();
        }
        let kept = read(dir.path());
        assert_eq!(kept.len(), KEEP);
        assert_eq!(kept[0].time_ms, 6, "the oldest went first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file(dir.path())).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
        }
    }
}
