//! Vault files on disk: open, create, save (atomic, with backups, under a lock), restore.

mod atomic;
pub mod backup;
mod bounded;
pub mod conflicts;
mod copies;
mod links;
mod lock;
mod password;
mod rekey;
mod restore;
mod suspicious;

pub use backup::{Backup, KEEP as BACKUPS_KEPT};
pub use bounded::{MAX_FILE_BYTES, TooLarge};
pub use conflicts::{ConflictedCopy, ConflictsReport, LeftAlone, MergedCopy, SyncTool};
pub use copies::VaultCopy;
pub use links::LinkRefused;
pub use lock::SaveLock;
pub use password::{KeyOnDisk, NewMasterPassword};
pub use restore::{BackupFound, BackupListing, BackupSearch, BackupSummary, Saved, Unlocking};
pub use suspicious::{SetAside, Suspicious};

use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

use crate::clock::Clock;
use crate::crypto::{self, KdfParams, KdfParamsError, VaultKey};
use crate::format::{self, KeyChange, KeyChangeNotice, KeySlot, MAX_NOTICES, ReadError};
use crate::model::{MergeError, MergeReport, Vault};
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
    /// The vault file was saved under a new vault key on another laptop, whose master password
    /// was changed there. This laptop's edits stay in memory until the new password is given
    /// ([`VaultFile::adopt_new_password`]).
    #[error("{change}; enter the new master password to go on (what you changed here is kept)")]
    PasswordChangedElsewhere { path: PathBuf, change: KeyChange },
    #[error(transparent)]
    Merge(#[from] MergeError),
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
    /// The one key slot this laptop trusts: its own, or the one it read with the master
    /// password. Never taken from a copy: a real password change always brings a new key.
    slot: KeySlot,
    /// Word of earlier master password changes, sealed with the retired keys, carried into
    /// every save for laptops that have not heard yet.
    notices: Vec<KeyChangeNotice>,
    /// Identity of the version last read or written (see [`digest`]), to notice a save by someone else.
    fingerprint: [u8; 32],
    /// Held from [`VaultFile::open_for_edit`] until drop, so read-modify-write is one step.
    lock: Option<SaveLock>,
    /// Files found in the vault file's place and moved aside unmerged, not yet reported.
    set_aside: Vec<SetAside>,
}

/// What became of the file at the vault's path when catching up with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnDisk {
    /// It is there (and merged in, if it was new).
    Present,
    /// There is none: writing it again loses nothing.
    Missing,
    /// It was not to be trusted and was moved into the backups folder: the next write puts
    /// ours in its place.
    SetAside,
}

/// What a master password change did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct PasswordChange {
    /// What came in from the file on disk before the change.
    pub merged: MergeReport,
    /// Backups re-encrypted under the new key (they open with the new password only).
    pub backups_rewritten: usize,
    /// Backups that could not be rewritten, and why; they still open with the old password.
    pub backups_not_rewritten: Vec<(PathBuf, String)>,
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
            notices: Vec::new(),
            fingerprint,
            lock: None,
            set_aside: Vec::new(),
        })
    }

    /// Opens a vault to read it. A later [`save`](Self::save) merges in whatever someone else
    /// saved meanwhile.
    pub fn open(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault), OpenError> {
        Self::open_with_password(path, password, None)
    }

    /// [`Self::open`]; `lock` is the save lock when the caller holds it already.
    fn open_with_password(
        path: &Path,
        password: &MasterPassword,
        lock: Option<&SaveLock>,
    ) -> Result<(VaultFile, Vault), OpenError> {
        let bytes = read_file(path)?;
        match format::read(&bytes, password) {
            Ok(opened) => Ok(Self::from_opened(path, &bytes, opened)),
            Err(ReadError::WrongPassword) => match Self::open_past_planted_slot(path, &bytes, password, lock)? {
                Some(opened) => Ok(opened),
                None => Err(ReadError::WrongPassword.into()),
            },
            Err(err) => Err(err.into()),
        }
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
            notices: opened.notices,
            fingerprint: digest(bytes),
            lock: None,
            set_aside: Vec::new(),
        };
        (file, opened.vault)
    }

    /// The key slot this laptop trusts, as [`KeySlot::fingerprint`]: quick unlock keeps it to
    /// notice a file whose master password it was not set up under.
    pub fn key_slot_fingerprint(&self) -> [u8; 32] {
        self.slot.fingerprint()
    }

    /// The vault key, for quick unlock to keep. Handle as the secret it is.
    pub fn vault_key(&self) -> &VaultKey {
        &self.key
    }

    /// Opens a vault to change it: takes the save lock first and keeps it, so no other program
    /// on this laptop can save between this read and our save.
    pub fn open_for_edit(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault), OpenError> {
        let lock = SaveLock::acquire(path).map_err(SaveError::from)?;
        let (mut file, vault) = Self::open_with_password(path, password, Some(&lock))?;
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
        self.save_keeping(vault, clock, true)
    }

    /// Saves a vault whose only change since the last save is new activity (a copy, a reveal, a
    /// fill): as [`VaultFile::save`], but the file replaced is not kept as a backup. Otherwise
    /// a morning of copying would push every real earlier version out of the backups.
    pub fn save_activity(&mut self, vault: &mut Vault, clock: &dyn Clock) -> Result<MergeReport, SaveError> {
        self.save_keeping(vault, clock, false)
    }

    fn save_keeping(&mut self, vault: &mut Vault, clock: &dyn Clock, backup: bool) -> Result<MergeReport, SaveError> {
        let _lock = self.lock_for_write()?;
        let (disk, report) = self.catch_up_reporting(vault, clock)?;
        vault.prune_activity(clock.now_ms());
        // `write` keeps a backup only of a file that is present.
        let disk = if backup { disk } else { OnDisk::Missing };
        self.write(vault, clock, disk)?;
        Ok(report)
    }

    /// Merges into `vault` what another laptop or program saved over the file since we last read
    /// or wrote it: for an app that watches its vault file. Writes only to put the vault back
    /// in place of a file it moved aside as suspicious. `None` if the file is gone (the vault
    /// stays open in memory; the next save writes it again).
    pub fn refresh(&mut self, vault: &mut Vault, clock: &dyn Clock) -> Result<Option<MergeReport>, SaveError> {
        // Under the lock: a save in progress elsewhere on this laptop finishes first.
        let _lock = self.lock_for_write()?;
        let (disk, report) = self.catch_up_reporting(vault, clock)?;
        match disk {
            OnDisk::Missing => return Ok(None),
            OnDisk::SetAside => self.write(vault, clock, OnDisk::SetAside)?,
            OnDisk::Present => {}
        }
        Ok(Some(report))
    }

    /// Files moved aside since the last call because they were not to be trusted, for the
    /// caller to tell the user about.
    pub fn take_set_aside(&mut self) -> Vec<SetAside> {
        std::mem::take(&mut self.set_aside)
    }

    /// The save lock, unless this handle holds it already (see [`open_for_edit`](Self::open_for_edit)).
    fn lock_for_write(&self) -> Result<Option<SaveLock>, SaveError> {
        match self.lock {
            Some(_) => Ok(None),
            None => Ok(Some(SaveLock::acquire(&self.path)?)),
        }
    }

    /// Merges into `vault` whatever was saved over the file since we last read or wrote it.
    /// A file that is not to be trusted (see [`Suspicious`]) is moved aside, not merged. Call
    /// under the save lock.
    fn catch_up(&mut self, vault: &mut Vault, clock: &dyn Clock) -> Result<OnDisk, SaveError> {
        self.catch_up_reporting(vault, clock).map(|(disk, _)| disk)
    }

    /// [`Self::catch_up`], saying what the merge changed. The vault is copied for the report only
    /// when there is something to merge: on most saves the file is as we left it, and copying a
    /// large vault to compare it with itself cost every save (at 100,000 entries, half a second).
    fn catch_up_reporting(&mut self, vault: &mut Vault, clock: &dyn Clock) -> Result<(OnDisk, MergeReport), SaveError> {
        let unchanged = |disk| Ok((disk, MergeReport::default()));
        atomic::remove_stale_temps(&self.path);
        let bytes = match bounded::read(&self.path) {
            Ok(bytes) => bytes,
            // Deleted behind our back: writing it again loses nothing.
            Err(ReadProblem::Io(err)) if err.kind() == io::ErrorKind::NotFound => return unchanged(OnDisk::Missing),
            Err(ReadProblem::Io(err)) => return Err(err.into()),
            Err(ReadProblem::TooLarge(big)) => return Err(big.into()),
        };
        if digest(&bytes) == self.fingerprint {
            return unchanged(OnDisk::Present);
        }
        let theirs = match format::read_with_key(&bytes, &self.key) {
            Ok(theirs) => theirs,
            // Saved by a laptop that had not heard of our master password change (or forged by
            // whoever knew the old password): kept aside for the user, never merged by itself.
            Err(ReadError::WrongKey) if self.is_retired_file(&bytes) => {
                return self.set_file_aside(Suspicious::RetiredKey, clock).and_then(unchanged);
            }
            Err(ReadError::KeyChanged(change)) if change.vault == vault.id => {
                return Err(SaveError::PasswordChangedElsewhere { path: self.path.clone(), change });
            }
            Err(ReadError::WrongKey | ReadError::KeyChanged(_)) => {
                return Err(SaveError::OtherVaultOnDisk(self.path.clone()));
            }
            Err(source) => return Err(SaveError::UnreadableOnDisk { path: self.path.clone(), source }),
        };
        if theirs.vault.id != vault.id {
            return Err(SaveError::OtherVaultOnDisk(self.path.clone()));
        }
        if let Some(why) = self.suspicion(&theirs, clock.now_ms()) {
            return self.set_file_aside(why, clock).and_then(unchanged);
        }
        let before = vault.clone();
        self.take_in(vault, &theirs)?;
        self.fingerprint = digest(&bytes);
        Ok((OnDisk::Present, MergeReport::between(&before, vault)))
    }

    /// Moves the file in the vault's place into the backups folder, unmerged, to be reported.
    fn set_file_aside(&mut self, why: Suspicious, clock: &dyn Clock) -> Result<OnDisk, SaveError> {
        let moved_to = conflicts::move_aside(&self.path, &self.path, clock.now_ms(), "set-aside")?;
        self.set_aside.push(SetAside { from: self.path.clone(), moved_to, why });
        Ok(OnDisk::SetAside)
    }

    /// Merges another copy's contents into `vault`, and the word it carries of earlier password
    /// changes. Its key slot is never taken: the copy must have been opened with this vault's
    /// key and passed [`Self::suspicion`].
    fn take_in(&mut self, vault: &mut Vault, other: &format::Opened) -> Result<(), SaveError> {
        vault.merge(&other.vault)?;
        for notice in &other.notices {
            if self.notices.len() < MAX_NOTICES && !self.notices.iter().any(|n| n.retired == notice.retired) {
                self.notices.push(notice.clone());
            }
        }
        Ok(())
    }

    /// Writes `vault` with the current key slot, keeping the file it replaces as a backup.
    /// Call under the save lock.
    fn write(&mut self, vault: &Vault, clock: &dyn Clock, disk: OnDisk) -> Result<(), SaveError> {
        let bytes = format::write_with_notices(vault, &self.key, &self.slot, &self.notices, crypto::random_array());
        if disk == OnDisk::Present {
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
        Self::restore_opened(path, backup, restore::Unlocking::Password(password), clock).map(|(_, vault)| vault)
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
