//! Failed unlock attempts wait on the laptop where they happened: without the master password
//! nothing can be written into the vault. The next successful unlock there moves them into the
//! vault's log, so every laptop sees them.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

const FILE_NAME: &str = "failed-unlocks.json";
/// A bound on the file, whatever a script hammering the vault does: the newest are kept.
pub const MAX_PENDING: usize = 1000;

/// One wrong master password or PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedUnlock {
    /// The vault file tried.
    pub vault: PathBuf,
    pub at_ms: u64,
    /// `password` or `pin`.
    pub how: String,
}

/// The failed attempts kept in this laptop's config folder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PendingFailures {
    #[serde(default)]
    pub attempts: Vec<FailedUnlock>,
}

impl PendingFailures {
    /// The attempts on record; a missing or damaged file reads as none (it only ever holds
    /// warnings, and a lost warning must not stop anyone from unlocking).
    pub fn load(config_dir: &Path) -> PendingFailures {
        std::fs::read(config_dir.join(FILE_NAME)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub(super) fn save(&self, config_dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(config_dir)?;
        let text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        crate::store::write_file_atomic(&config_dir.join(FILE_NAME), &text)
    }

    /// Notes a failed attempt on `vault`.
    pub fn add(config_dir: &Path, vault: &Path, at_ms: u64, how: &str) -> io::Result<()> {
        let mut pending = PendingFailures::load(config_dir);
        pending.attempts.push(FailedUnlock { vault: same_file(vault), at_ms, how: how.to_owned() });
        let excess = pending.attempts.len().saturating_sub(MAX_PENDING);
        pending.attempts.drain(..excess);
        pending.save(config_dir)
    }

    /// The attempts on `vault`, oldest first.
    pub fn of(config_dir: &Path, vault: &Path) -> Vec<FailedUnlock> {
        let vault = same_file(vault);
        PendingFailures::load(config_dir).attempts.into_iter().filter(|a| a.vault == vault).collect()
    }

    /// Forgets the attempts on `vault` up to `until_ms`, once they are safely in the vault.
    pub fn forget(config_dir: &Path, vault: &Path, until_ms: u64) -> io::Result<()> {
        let vault = same_file(vault);
        let mut pending = PendingFailures::load(config_dir);
        let before = pending.attempts.len();
        pending.attempts.retain(|a| a.vault != vault || a.at_ms > until_ms);
        if pending.attempts.len() == before {
            return Ok(());
        }
        pending.save(config_dir)
    }
}

/// One spelling per file, so `./v.crmvault` and `/home/li/v.crmvault` count together.
fn same_file(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
}
