//! The save lock: two programs on one laptop never interleave their saves of one vault.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long to wait for another program's save before giving up.
const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(20);

/// Held while reading-then-writing a vault; released on drop.
///
/// The lock is an OS file lock (`flock`/`LockFileEx`) on a hidden file beside the vault, so it
/// disappears with the process that held it: a crash never leaves a vault locked.
#[derive(Debug)]
pub struct SaveLock {
    _file: File,
}

/// The lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another program held it for longer than [`WAIT`].
    Busy,
    Io(io::Error),
}

impl SaveLock {
    pub fn acquire(vault_path: &Path) -> Result<SaveLock, LockError> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        // A link planted under the lock's name would have us create or open a file elsewhere.
        let file =
            super::links::open(super::links::no_follow(&mut options), &lock_path(vault_path)).map_err(LockError::Io)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(SaveLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < WAIT => std::thread::sleep(POLL),
                Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(std::fs::TryLockError::Error(err)) => return Err(LockError::Io(err)),
            }
        }
    }
}

/// `.NAME.lock` in the vault's folder.
pub fn lock_path(vault_path: &Path) -> PathBuf {
    super::sibling(vault_path, ".", ".lock")
}
