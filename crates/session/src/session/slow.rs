//! The use cases with a slow part (Argon2id on the master password, reading and decrypting the
//! vault file), in three steps, so that nothing slow runs while the session is held and the
//! timers that share it (idle lock, file watch, clipboard clear) keep ticking:
//!
//! 1. under the session, a job is taken: a plain value with what the slow part needs (the vault
//!    path, the checked PIN, the session's generation), and every check that can refuse early;
//! 2. without the session, the job runs: a function of the job alone;
//! 3. under the session again, the outcome is finished: installed only if the session is still
//!    where the job was taken (same vault, no lock since: see `Session::generation`), otherwise
//!    dropped with the "locked" error. Counting wrong passwords happens here too.
//!
//! [`crate::shared::SharedSession`] does the three steps around a mutex; the one-call methods on
//! [`Session`] (`unlock`, `create_vault`, `change_master_password`) do them in a row.

use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use vault::quick_unlock::{KeyStore, Owner, Period, Pin, QuickUnlock, Unlocks};
use vault::store::{BackupSearch, NewMasterPassword, OpenError};
use vault::{DeviceId, KdfParams, Vault, VaultFile};

use super::{Session, Unlocked, backups};
use crate::error::{self, ErrorCode, Result, error, locked};
use crate::policy;
use crate::view::{AppState, KdfChoice};

/// The answer when the session moved on (locked, or another vault chosen) while a job ran: its
/// result is dropped, and the vault stays as the user left it.
pub fn interrupted() -> crate::view::IpcError {
    error(ErrorCode::Locked, "the vault was locked before this finished; nothing was changed")
}

/// What unlocking with the master password needs, taken from the session.
pub struct UnlockJob {
    path: PathBuf,
    generation: u64,
    /// "Remember on this device": the PIN and period, with what enabling needs.
    remember: Option<Remember>,
}

struct Remember {
    pin: Pin,
    period: Period,
    keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    device: DeviceId,
    now_ms: u64,
    boot_id: String,
}

impl std::fmt::Debug for UnlockJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockJob")
            .field("path", &self.path)
            .field("remember", &self.remember.is_some())
            .finish_non_exhaustive()
    }
}

/// What the slow part of an unlock found, for [`Session::finish_unlock`].
pub struct UnlockOutcome {
    job: UnlockJob,
    opened: std::result::Result<(VaultFile, Vault), OpenError>,
    /// The quick-unlock record made for "remember on this device", if asked and the vault opened.
    remembered: Option<Result<QuickUnlock>>,
    /// For a damaged vault file: the newest backup that opens with the password typed.
    backups: Option<std::io::Result<BackupSearch>>,
}

impl std::fmt::Debug for UnlockOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockOutcome").field("job", &self.job).field("opened", &self.opened.is_ok()).finish()
    }
}

impl UnlockJob {
    /// The slow part: Argon2id on `password`, reading and decrypting the file, and for
    /// "remember" the PIN's key derivation too.
    pub fn run(self, password: &str) -> UnlockOutcome {
        let opened = VaultFile::open(&self.path, &SecretString::from(password));
        let remembered = match (&opened, &self.remember) {
            (Ok((file, vault)), Some(remember)) => Some(remember.enable(file, vault)),
            _ => None,
        };
        let backups = match &opened {
            Err(err) if backups::is_damage(err) => {
                Some(VaultFile::newest_backup_that_opens(&self.path, &SecretString::from(password)))
            }
            _ => None,
        };
        UnlockOutcome { job: self, opened, remembered, backups }
    }
}

impl Remember {
    /// A new device key in the keyring, the vault key sealed under it and the PIN.
    fn enable(&self, file: &VaultFile, vault: &Vault) -> Result<QuickUnlock> {
        let keyring = self.keyring.clone().map_err(|reason| error(ErrorCode::NoKeyring, reason))?;
        let owner = Owner { device: self.device, vault_id: vault.id };
        let unlocks = Unlocks { key: file.vault_key(), key_slot: file.key_slot_fingerprint() };
        QuickUnlock::enable(keyring.as_ref(), owner, unlocks, &self.pin, self.now_ms, self.period, &self.boot_id)
            .map_err(error::from_enable_quick_unlock)
    }
}

/// What creating a vault needs: the new vault, where it goes, its key derivation.
pub struct CreateJob {
    path: PathBuf,
    vault: Vault,
    kdf: KdfParams,
    generation: u64,
}

impl std::fmt::Debug for CreateJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateJob").field("path", &self.path).finish_non_exhaustive()
    }
}

/// The new vault file, written, for [`Session::finish_create_vault`].
#[derive(Debug)]
pub struct Created {
    job: CreateJob,
    file: Result<VaultFile>,
}

impl CreateJob {
    /// The slow part: Argon2id on `password` and writing the file.
    pub fn run(self, password: &str) -> Created {
        let file = self.write(password);
        Created { job: self, file }
    }

    fn write(&self, password: &str) -> Result<VaultFile> {
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| error::from_save(e.into()))?;
        }
        VaultFile::create(&self.path, &SecretString::from(password), self.kdf, &self.vault).map_err(error::from_save)
    }
}

/// What changing the master password needs: the current password is proven against the file
/// in the slow part, and the new vault key is made and wrapped there too.
#[derive(Debug)]
pub struct PasswordChangeJob {
    path: PathBuf,
    kdf: KdfParams,
    generation: u64,
}

/// The current password proven and the new key made, for [`Session::finish_password_change`].
#[derive(Debug)]
pub struct CurrentPasswordChecked {
    job: PasswordChangeJob,
    prepared: Result<NewMasterPassword>,
}

impl PasswordChangeJob {
    /// The slow part: Argon2id on the current password, then on the new one.
    pub fn run(self, current: &str, new: &str) -> CurrentPasswordChecked {
        // Proves the user knows the current password, not just that the vault was left open.
        let prepared = VaultFile::open(&self.path, &SecretString::from(current))
            .map_err(error::from_open)
            .and_then(|_| NewMasterPassword::prepare(&SecretString::from(new), self.kdf).map_err(error::from_save));
        CurrentPasswordChecked { job: self, prepared }
    }
}

impl Session {
    /// Step 1 of an unlock with the master password. A PIN of the wrong shape is refused here,
    /// before the slow part costs anything.
    pub fn unlock_job(&self, remember_pin: Option<&str>) -> Result<UnlockJob> {
        let path = self.vault_path()?;
        let remember_pin = remember_pin.map(Pin::new).transpose().map_err(error::from_pin)?;
        let remember = match remember_pin {
            None => None,
            Some(pin) => Some(Remember {
                pin,
                // Shortened to the company policy's longest; refused if it allows none.
                period: Period::hours(self.remember_hours()?).map_err(error::from_period)?,
                keyring: self.quick.keyring.clone(),
                device: self.device.id,
                now_ms: self.quick.now_ms(),
                boot_id: self.quick.boot_id.clone(),
            }),
        };
        Ok(UnlockJob { path, generation: self.generation, remember })
    }

    /// Step 3 of an unlock: a wrong password is counted (if the vault is still the one chosen),
    /// an opened vault is installed unless the session was locked or moved to another vault
    /// meanwhile.
    pub fn finish_unlock(&mut self, outcome: UnlockOutcome) -> Result<AppState> {
        let UnlockOutcome { job, opened, remembered, backups } = outcome;
        let same_vault = self.local.vault_path.as_deref() == Some(job.path.as_path());
        match opened {
            Err(err) if backups.is_some() && same_vault => {
                Err(self.offer_backup(err, backups.expect("checked just above"), job.generation))
            }
            Err(err) => {
                let err = error::from_open(err);
                if err.code == ErrorCode::WrongPassword && same_vault {
                    self.note_failed_unlock(&job.path, crate::activity::WRONG_PASSWORD);
                    self.local.failed_attempts += 1;
                    self.save_local()?;
                }
                Err(err)
            }
            Ok(_) if !same_vault || self.generation != job.generation => {
                if let Some(Ok(record)) = &remembered {
                    self.discard_quick_unlock(record);
                }
                Err(interrupted())
            }
            Ok((file, vault)) => {
                self.local.failed_attempts = 0;
                self.open = Some(Unlocked { file, vault });
                self.reload_company_policy();
                self.record_unlock(&job.path, crate::activity::BY_PASSWORD);
                match remembered {
                    None => {}
                    Some(Ok(record)) => self.replace_quick_unlock(record),
                    Some(Err(err)) => {
                        // As before: the vault is open, the old record is gone, and why the
                        // new one could not be made is said.
                        self.forget_quick_unlock();
                        self.save_local()?;
                        return Err(err);
                    }
                }
                self.save_local()?;
                self.last_activity = Instant::now();
                Ok(self.state())
            }
        }
    }

    /// Step 1 of creating a vault at `path`.
    pub fn create_vault_job(&self, path: &Path, password: &str) -> Result<CreateJob> {
        // The vault's path counts as a word an attacker tries first, as on the setup screen.
        policy::check_master_password(password, &[&path.to_string_lossy()])
            .map_err(|e| error(ErrorCode::Invalid, e))?;
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let vault = Vault::new(name, self.author(), &self.device.name);
        Ok(CreateJob { path: path.to_owned(), vault, kdf: KdfParams::default(), generation: self.generation })
    }

    /// Step 3 of creating a vault: it becomes this device's vault, unlocked, unless another
    /// vault was chosen meanwhile (the new file stays on disk, to be opened).
    pub fn finish_create_vault(&mut self, created: Created) -> Result<AppState> {
        let file = created.file?;
        if self.generation != created.job.generation {
            return Err(interrupted());
        }
        self.local.vault_path = Some(created.job.path);
        self.local.failed_attempts = 0;
        self.save_local()?;
        self.open = Some(Unlocked { file, vault: created.job.vault });
        self.reload_company_policy();
        // The idle clock starts now, not when the setup screen appeared.
        self.last_activity = Instant::now();
        Ok(self.state())
    }

    /// Step 1 of a master password change.
    pub fn password_change_job(&self, new: &str, kdf: Option<KdfChoice>) -> Result<PasswordChangeJob> {
        policy::check_master_password(new, &[]).map_err(|e| error(ErrorCode::Invalid, e))?;
        let path = self.vault_path()?;
        let kdf = kdf
            .map(|k| KdfParams::from_mib(k.memory_mib, k.iterations, k.parallelism))
            .transpose()
            .map_err(|e| error(ErrorCode::KdfRange, e))?;
        let kdf = kdf.unwrap_or(self.unlocked()?.file.kdf());
        Ok(PasswordChangeJob { path, kdf, generation: self.generation })
    }

    /// Step 3 of a master password change: with the current password proven, the new key made
    /// and the vault still open, the vault is re-keyed (a quick write, under the file lock).
    pub fn finish_password_change(&mut self, checked: CurrentPasswordChecked) -> Result<()> {
        let prepared = checked.prepared?;
        if self.generation != checked.job.generation {
            return Err(locked());
        }
        let author = self.author();
        let name = self.device.name.clone();
        let open = self.open.as_mut().ok_or_else(locked)?;
        open.vault.note_device(author, &name);
        let change = open.file.change_password_to(&mut open.vault, prepared, author).map_err(error::from_save)?;
        self.sync.note_save(&change.merged);
        // Recorded once it happened (a refused change records nothing), in a save of its own.
        self.record_alone(vault::activity::EventKind::PasswordChanged, None, "");
        // Quick unlock sealed the retired vault key: it would open nothing now.
        self.forget_quick_unlock();
        self.save_local()?;
        Ok(())
    }
}
