//! Vault files on disk: open, create, save (atomic, with backups, under a lock), restore.

mod atomic;
pub mod backup;
mod bounded;
pub mod conflicts;
mod copies;
mod links;
mod lock;

pub use backup::{Backup, KEEP as BACKUPS_KEPT};
pub use bounded::{MAX_FILE_BYTES, TooLarge};
pub use conflicts::{ConflictedCopy, ConflictsReport, LeftAlone, MergedCopy, SyncTool};
pub use copies::VaultCopy;
pub use links::LinkRefused;
pub use lock::SaveLock;

use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

use crate::clock::{Clock, Hlc};
use crate::crypto::{KdfParams, KdfParamsError, VaultKey};
use crate::format::{self, KeySlot, ReadError};
use crate::model::{Author, MergeError, MergeReport, Vault};
use crate::secret::MasterPassword;
use bounded::ReadProblem;
use lock::LockError;

/// The usual file extension of a vault.
pub const EXTENSION: &str = "crmvault";

/// Why a vault could not be opened.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum OpenError {
    #[error("there is no vault file at {0}")]
    NotFound(PathBuf),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    #[error("could not read the vault file: {0}")]
    Io(#[source] io::Error),
}

/// Why a save (or any write of the vault file) did not happen. The file on disk is unchanged.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The file at the vault's path does not open with this vault's key, or holds another vault:
    /// something else was saved or synced over it. It is left as it is.
    #[error(
        "the file at {0} now holds a different vault (another vault was saved or synced over it); it was left as it is"
    )]
    OtherVaultOnDisk(PathBuf),
    /// The file changed on disk and the new version cannot be read. It is left as it is.
    #[error("the vault file at {path} changed on disk and cannot be read ({source}); it was left as it is")]
    UnreadableOnDisk {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A copy with this vault's id that is locked with another key: not made by CRM Vault from
    /// this vault. Merging it could not keep a key slot that opens both.
    #[error("{0} claims to be a copy of this vault but is locked with a different key; it was left as it is")]
    CopyWithOtherKey(PathBuf),
    #[error("another CRM Vault program kept this vault locked for too long")]
    Busy,
    #[error("the disk is full")]
    DiskFull,
    #[error("the vault's folder cannot be written to (read-only or no permission)")]
    ReadOnly,
    #[error("a vault file already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error(transparent)]
    Kdf(#[from] KdfParamsError),
    /// The file at the vault's path grew beyond what a vault can be. It is left as it is.
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
    /// A symbolic link planted where a file or folder of ours goes.
    #[error(transparent)]
    LinkRefused(#[from] LinkRefused),
    #[error("could not write the vault file: {0}")]
    Io(#[source] io::Error),
}

impl From<io::Error> for SaveError {
    fn from(err: io::Error) -> Self {
        // The store's own refusals reach here inside I/O errors from the helpers that return one.
        let err = match err.downcast::<LinkRefused>() {
            Ok(link) => return SaveError::LinkRefused(link),
            Err(err) => err,
        };
        let err = match err.downcast::<TooLarge>() {
            Ok(big) => return SaveError::TooLarge(big),
            Err(err) => err,
        };
        match err.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge => {
                SaveError::DiskFull
            }
            io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => SaveError::ReadOnly,
            _ => SaveError::Io(err),
        }
    }
}

impl From<LockError> for SaveError {
    fn from(err: LockError) -> Self {
        match err {
            LockError::Busy => SaveError::Busy,
            LockError::Io(err) => err.into(),
        }
    }
}

/// An unlocked vault file: where it lives, its key, and what it held when last read or written.
#[derive(Debug)]
pub struct VaultFile {
    path: PathBuf,
    key: VaultKey,
    slot: KeySlot,
    /// When the master password of `slot` was set (the vault's `password_changed` it came with):
    /// a copy with a later password change brings its key slot along.
    slot_changed: Hlc,
    /// Identity of the version last read or written (see [`digest`]), to notice a save by someone else.
    fingerprint: [u8; 32],
    /// Held from [`VaultFile::open_for_edit`] until drop, so read-modify-write is one step.
    lock: Option<SaveLock>,
}

impl VaultFile {
    /// Creates a new vault file; refuses to replace an existing one.
    pub fn create(
        path: &Path,
        password: &MasterPassword,
        kdf: KdfParams,
        vault: &Vault,
    ) -> Result<VaultFile, SaveError> {
        kdf.check()?;
        let lock = SaveLock::acquire(path)?;
        if path.exists() {
            return Err(SaveError::AlreadyExists(path.to_owned()));
        }
        let key = VaultKey::random();
        let slot = format::wrap_key(password, kdf, &key)?;
        let bytes = format::write(vault, &key, &slot);
        atomic::write_atomic(path, &bytes)?;
        drop(lock);
        let fingerprint = digest(&bytes);
        Ok(VaultFile {
            path: path.to_owned(),
            key,
            slot,
            slot_changed: vault.password_changed,
            fingerprint,
            lock: None,
        })
    }

    /// Opens a vault to read it. A later [`save`](Self::save) merges in whatever someone else
    /// saved meanwhile.
    pub fn open(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault), OpenError> {
        let bytes = read_file(path)?;
        Ok(Self::from_opened(path, &bytes, format::read(&bytes, password)?))
    }

    /// Opens a vault with its vault key (quick unlock; a copy written by another laptop), without
    /// the master password.
    pub fn open_with_key(path: &Path, key: &VaultKey) -> Result<(VaultFile, Vault), OpenError> {
        let bytes = read_file(path)?;
        Ok(Self::from_opened(path, &bytes, format::read_with_key(&bytes, key)?))
    }

    fn from_opened(path: &Path, bytes: &[u8], opened: format::Opened) -> (VaultFile, Vault) {
        let file = VaultFile {
            path: path.to_owned(),
            key: opened.key,
            slot: opened.slot,
            slot_changed: opened.vault.password_changed,
            fingerprint: digest(bytes),
            lock: None,
        };
        (file, opened.vault)
    }

    /// The vault key, for quick unlock to keep. Handle as the secret it is.
    pub fn vault_key(&self) -> &VaultKey {
        &self.key
    }

    /// Opens a vault to change it: takes the save lock first and keeps it, so no other program
    /// on this laptop can save between this read and our save.
    pub fn open_for_edit(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault), OpenError> {
        let lock = SaveLock::acquire(path).map_err(SaveError::from)?;
        let (mut file, vault) = Self::open(path, password)?;
        file.lock = Some(lock);
        Ok((file, vault))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kdf(&self) -> KdfParams {
        self.slot.kdf
    }

    /// Writes `vault` over the file: the current file goes to the backups, the new one replaces it
    /// atomically. If another laptop or program saved the file since we read it, its version is
    /// merged into `vault` first (never overwritten); the report says what came in.
    pub fn save(&mut self, vault: &mut Vault, clock: &dyn Clock) -> Result<MergeReport, SaveError> {
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let exists = self.catch_up(vault)?;
        self.write(vault, clock, exists)?;
        Ok(MergeReport::between(&before, vault))
    }

    /// Merges into `vault` what another laptop or program saved over the file since we last read
    /// or wrote it, without writing anything: for an app that watches its vault file. `None`
    /// if the file is gone (the vault stays open in memory; the next save writes it again).
    pub fn refresh(&mut self, vault: &mut Vault) -> Result<Option<MergeReport>, SaveError> {
        // Under the lock: a save in progress elsewhere on this laptop finishes first.
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        if !self.catch_up(vault)? {
            return Ok(None);
        }
        Ok(Some(MergeReport::between(&before, vault)))
    }

    /// Changes the master password (and optionally the key-derivation settings). The vault key
    /// stays, so entries and other laptops' copies are not re-encrypted under a new key. The
    /// change is stamped in the vault (`password_changed`) after everything on disk was merged
    /// in, so it is the latest one and a merge elsewhere keeps this key slot.
    pub fn change_password(
        &mut self,
        vault: &mut Vault,
        new: &MasterPassword,
        kdf: Option<KdfParams>,
        author: Author<'_>,
    ) -> Result<MergeReport, SaveError> {
        // Argon2 takes a second: done before taking the lock, so other saves do not wait for it.
        let slot = format::wrap_key(new, kdf.unwrap_or(self.slot.kdf), &self.key)?;
        let _lock = self.lock_for_write()?;
        let before = vault.clone();
        let exists = self.catch_up(vault)?;
        let mut report = MergeReport::between(&before, vault);
        // Whatever password came in from disk is replaced by this one.
        report.password_changed_by = None;
        let (previous_change, previous_clock) = (vault.password_changed, vault.clock);
        vault.note_password_change(author);
        let previous_slot = std::mem::replace(&mut self.slot, slot);
        let previous_slot_changed = std::mem::replace(&mut self.slot_changed, vault.password_changed);
        if let Err(err) = self.write(vault, author.clock, exists) {
            // The file still opens with the old password: say so in memory too.
            (vault.password_changed, vault.clock) = (previous_change, previous_clock);
            (self.slot, self.slot_changed) = (previous_slot, previous_slot_changed);
            return Err(err);
        }
        Ok(report)
    }

    /// The save lock, unless this handle holds it already (see [`open_for_edit`](Self::open_for_edit)).
    fn lock_for_write(&self) -> Result<Option<SaveLock>, SaveError> {
        match self.lock {
            Some(_) => Ok(None),
            None => Ok(Some(SaveLock::acquire(&self.path)?)),
        }
    }

    /// Merges into `vault` whatever was saved over the file since we last read or wrote it.
    /// Call under the save lock. Returns whether the file exists.
    fn catch_up(&mut self, vault: &mut Vault) -> Result<bool, SaveError> {
        atomic::remove_stale_temps(&self.path);
        let bytes = match bounded::read(&self.path) {
            Ok(bytes) => bytes,
            // Deleted behind our back: writing it again loses nothing.
            Err(ReadProblem::Io(err)) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(ReadProblem::Io(err)) => return Err(err.into()),
            Err(ReadProblem::TooLarge(big)) => return Err(big.into()),
        };
        if digest(&bytes) == self.fingerprint {
            return Ok(true);
        }
        let theirs = format::read_with_key(&bytes, &self.key).map_err(|err| match err {
            ReadError::WrongKey => SaveError::OtherVaultOnDisk(self.path.clone()),
            source => SaveError::UnreadableOnDisk { path: self.path.clone(), source },
        })?;
        if theirs.vault.id != vault.id {
            return Err(SaveError::OtherVaultOnDisk(self.path.clone()));
        }
        self.take_in(vault, &theirs)?;
        self.fingerprint = digest(&bytes);
        Ok(true)
    }

    /// Merges another copy's contents into `vault`, and its key slot if its master password
    /// changed later than ours. The copy must have been opened with this vault's key.
    fn take_in(&mut self, vault: &mut Vault, other: &format::Opened) -> Result<(), SaveError> {
        vault.merge(&other.vault)?;
        if other.vault.password_changed > self.slot_changed {
            self.slot = other.slot.clone();
            self.slot_changed = other.vault.password_changed;
        }
        Ok(())
    }

    /// Writes `vault` with the current key slot, keeping the file it replaces as a backup.
    /// Call under the save lock.
    fn write(&mut self, vault: &Vault, clock: &dyn Clock, exists: bool) -> Result<(), SaveError> {
        let bytes = format::write(vault, &self.key, &self.slot);
        if exists {
            backup::keep(&self.path, clock.now_ms())?;
        }
        atomic::write_atomic(&self.path, &bytes)?;
        self.fingerprint = digest(&bytes);
        Ok(())
    }

    /// The kept earlier versions of the vault at `path`, newest first.
    pub fn backups(path: &Path) -> io::Result<Vec<Backup>> {
        backup::list(path)
    }

    /// Puts a backup back in place of the vault. The backup must open with `password`; the
    /// current file is itself kept as a backup first, so a restore can be undone.
    pub fn restore(
        path: &Path,
        backup: &Path,
        password: &MasterPassword,
        clock: &dyn Clock,
    ) -> Result<Vault, OpenError> {
        let _lock = SaveLock::acquire(path).map_err(SaveError::from)?;
        let bytes = read_file(backup)?;
        let opened = format::read(&bytes, password)?;
        if path.exists() {
            backup::keep(path, clock.now_ms()).map_err(SaveError::from)?;
        }
        atomic::write_atomic(path, &bytes).map_err(SaveError::from)?;
        Ok(opened.vault)
    }
}

/// A vault file or copy, read whole if it is not too large to be one.
fn read_file(path: &Path) -> Result<Vec<u8>, OpenError> {
    bounded::read(path).map_err(|problem| match problem {
        ReadProblem::TooLarge(big) => OpenError::TooLarge(big),
        ReadProblem::Io(err) if err.kind() == io::ErrorKind::NotFound => OpenError::NotFound(path.to_owned()),
        ReadProblem::Io(err) => OpenError::Io(err),
    })
}

/// Identifies one saved version of a vault file without hashing megabytes: every save has a
/// fresh payload nonce in the header, and the GCM tag at the end depends on the whole payload.
/// So the first and last bytes of the file (header and tag), plus its length, tell versions
/// apart. Files that are not even well-formed are hashed whole.
fn digest(bytes: &[u8]) -> [u8; 32] {
    const ENDS: usize = 512;
    if bytes.len() <= 2 * ENDS {
        return Sha256::digest(bytes).into();
    }
    let mut hash = Sha256::new();
    hash.update((bytes.len() as u64).to_le_bytes());
    hash.update(&bytes[..ENDS]);
    hash.update(&bytes[bytes.len() - ENDS..]);
    hash.finalize().into()
}

/// A file beside `path` named `<prefix><file name><suffix>`.
fn sibling(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{prefix}{name}{suffix}"))
}

/// Writes any small file of ours (settings, device identity) with the same crash safety as a vault.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic::write_atomic(path, bytes)
}
