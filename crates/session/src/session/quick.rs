//! Quick unlock in the session: turning it on with a PIN, unlocking with the PIN, and ending it
//! (turned off, used up, expired, another boot, or a vault key the vault file no longer takes).

use std::path::PathBuf;
use std::sync::Arc;

use vault::quick_unlock::{self, KeyStore, Owner, Period, Pin, QuickUnlock, QuickUnlockError, Unlocks};
use vault::store::OpenError;
use vault::{Clock, SystemClock, VaultFile, format::ReadError};

use super::{Session, Unlocked};
use crate::error::{self, ErrorCode, Result, error, locked};
use crate::view::{AppState, QuickUnlockStatus};

pub use crate::policy::REMEMBER_HOURS;

/// What quick unlock needs from the computer: the keyring for the device key, the time, and this
/// boot's id. Tests pass their own to act out expiry and reboots.
pub struct QuickUnlockSystem {
    pub keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    pub clock: Arc<dyn Clock + Send + Sync>,
    pub boot_id: String,
    /// PIN attempts left for the current record, as last read from the keyring.
    pub(super) attempts_left: Option<u8>,
}

impl std::fmt::Debug for QuickUnlockSystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickUnlockSystem")
            .field("keyring", &self.keyring.as_ref().map(|_| "available"))
            .field("boot_id", &self.boot_id)
            .finish_non_exhaustive()
    }
}

impl QuickUnlockSystem {
    pub fn new(
        keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
        clock: Arc<dyn Clock + Send + Sync>,
        boot_id: String,
    ) -> QuickUnlockSystem {
        QuickUnlockSystem { keyring, clock, boot_id, attempts_left: None }
    }

    /// This computer's keyring, clock and boot.
    pub fn here(keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>) -> QuickUnlockSystem {
        let clock: Arc<dyn Clock + Send + Sync> = Arc::new(SystemClock);
        let boot = quick_unlock::boot_id();
        // The end-to-end suite acts out a reboot and the passing of days, which it cannot do
        // for real (never in a build for users).
        #[cfg(feature = "e2e-hooks")]
        let (clock, boot) = {
            let hours: u64 = std::env::var("CRM_VAULT_E2E_HOURS_LATER").ok().and_then(|h| h.parse().ok()).unwrap_or(0);
            let later: Arc<dyn Clock + Send + Sync> = Arc::new(LaterClock(hours * 3_600_000));
            let _ = clock;
            (later, std::env::var("CRM_VAULT_E2E_BOOT_ID").unwrap_or(boot))
        };
        QuickUnlockSystem::new(keyring, clock, boot)
    }

    fn keyring(&self) -> Result<Arc<dyn KeyStore + Send + Sync>> {
        self.keyring.clone().map_err(|reason| error(ErrorCode::NoKeyring, reason))
    }

    pub(super) fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }
}

/// The system clock moved forward, for the end-to-end suite.
#[cfg(feature = "e2e-hooks")]
struct LaterClock(u64);

#[cfg(feature = "e2e-hooks")]
impl Clock for LaterClock {
    fn now_ms(&self) -> u64 {
        SystemClock.now_ms().saturating_add(self.0)
    }
}

/// What a quick unlock needs, taken from the session (see `slow.rs`).
pub struct QuickUnlockJob {
    path: PathBuf,
    keyring: Arc<dyn KeyStore + Send + Sync>,
    record: QuickUnlock,
    pin: Pin,
    now: u64,
    boot: String,
    generation: u64,
}

impl std::fmt::Debug for QuickUnlockJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickUnlockJob").field("path", &self.path).finish_non_exhaustive()
    }
}

/// What the slow part of a quick unlock found: the PIN's verdict (counted in the keyring), and
/// if it was right, the vault file opened with the key it unsealed.
pub struct QuickUnlockOutcome {
    job: QuickUnlockJob,
    opened: std::result::Result<std::result::Result<(VaultFile, vault::Vault), OpenError>, QuickUnlockError>,
}

impl std::fmt::Debug for QuickUnlockOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickUnlockOutcome").field("job", &self.job).finish_non_exhaustive()
    }
}

impl QuickUnlockJob {
    /// The slow part: Argon2id on the PIN, the keyring, reading and decrypting the file.
    pub fn run(self) -> QuickUnlockOutcome {
        let key = self.record.unlock(self.keyring.as_ref(), self.record.vault_id, &self.pin, self.now, &self.boot);
        let opened = key.map(|key| VaultFile::open_with_key(&self.path, &key));
        QuickUnlockOutcome { job: self, opened }
    }
}

impl Session {
    /// At start-up: drops a record that can no longer unlock and deletes from the keyring every
    /// device key that no usable record needs.
    pub(super) fn clean_up_quick_unlock(&mut self) {
        let (now, boot) = (self.quick.now_ms(), self.quick.boot_id.clone());
        let before = self.local.quick_unlock.clone();
        let kept = match &self.quick.keyring {
            Ok(keyring) => match quick_unlock::clean_up(keyring.as_ref(), self.device.id, before.clone(), now, &boot) {
                Ok(live) => live,
                // The keyring did not answer: keep what may still be good; a spent record goes anyway.
                Err(_) => before.clone().filter(|r| !r.is_spent(now, &boot)).map(|r| (r, quick_unlock::MAX_FAILURES)),
            },
            Err(_) => before.clone().filter(|r| !r.is_spent(now, &boot)).map(|r| (r, quick_unlock::MAX_FAILURES)),
        };
        self.quick.attempts_left = kept.as_ref().map(|(_, left)| *left);
        self.local.quick_unlock = kept.map(|(record, _)| record);
        if self.local.quick_unlock != before {
            let _ = self.save_local();
        }
    }

    pub(super) fn quick_unlock_status(&self) -> QuickUnlockStatus {
        let (now, boot) = (self.quick.now_ms(), &self.quick.boot_id);
        let quick = self.local.quick_unlock.as_ref().filter(|q| !q.is_spent(now, boot));
        let allowed = self.quick_unlock_hours_allowed();
        QuickUnlockStatus {
            available: self.quick.keyring.is_ok() && allowed.is_some(),
            reason: match (&self.quick.keyring, allowed) {
                (Err(_), _) => Some(ErrorCode::NoKeyring),
                (Ok(_), None) => Some(ErrorCode::PolicyForbids),
                (Ok(_), Some(_)) => None,
            },
            enabled: quick.is_some(),
            until: quick.map(|q| q.expires_ms),
            attempts_left: quick.and(self.quick.attempts_left),
            max_hours: allowed.unwrap_or(quick_unlock::MAX_HOURS),
        }
    }

    /// Unlocks with the quick-unlock PIN. The slow part (Argon2id) runs here, so call it off the
    /// main thread, or in steps (`quick_unlock_job`) to leave the session free meanwhile.
    pub fn quick_unlock(&mut self, pin: &str) -> Result<AppState> {
        let outcome = self.quick_unlock_job(pin)?.run();
        self.finish_quick_unlock(outcome)
    }

    /// Step 1 of a quick unlock (see `slow.rs`): the record, the keyring and the checked PIN.
    pub fn quick_unlock_job(&self, pin: &str) -> Result<QuickUnlockJob> {
        let path = self.vault_path()?;
        // Set up before the company forbade it: the master password is needed now.
        self.check_quick_unlock(0)?;
        let keyring = self.quick.keyring()?;
        let record = self
            .local
            .quick_unlock
            .clone()
            .ok_or_else(|| error(ErrorCode::QuickUnlockUnavailable, "quick unlock is off"))?;
        // A PIN of the wrong shape is a typing slip, not a guess: it is not counted.
        let pin = Pin::new(pin).map_err(error::from_pin)?;
        let (now, boot) = (self.quick.now_ms(), self.quick.boot_id.clone());
        Ok(QuickUnlockJob { path, keyring, record, pin, now, boot, generation: self.generation })
    }

    /// Step 3 of a quick unlock: the wrong-PIN count and the ends of the record as the slow part
    /// found them, then the vault installed unless the session was locked meanwhile.
    pub fn finish_quick_unlock(&mut self, outcome: QuickUnlockOutcome) -> Result<AppState> {
        let QuickUnlockOutcome { job, opened } = outcome;
        let record = job.record;
        // Turned off, replaced or another vault chosen meanwhile: the answer is about a record
        // that is gone (a wrong PIN was still counted, in the keyring).
        if self.local.quick_unlock.as_ref() != Some(&record) || self.vault_path().ok().as_ref() != Some(&job.path) {
            return Err(super::interrupted());
        }
        let opened = match opened {
            Ok(opened) => opened,
            Err(err) => {
                if matches!(err, QuickUnlockError::WrongPin { .. }) {
                    self.note_failed_unlock(&job.path, crate::activity::WRONG_PIN);
                }
                self.quick.attempts_left = match err {
                    QuickUnlockError::WrongPin { attempts_left } => Some(attempts_left),
                    _ => None,
                };
                if err.ends_it() {
                    self.local.quick_unlock = None;
                    self.save_local()?;
                }
                return Err(error::from_quick_unlock(err));
            }
        };
        self.quick.attempts_left = Some(quick_unlock::MAX_FAILURES);
        match opened {
            // The file carries a master password this laptop did not set quick unlock up under:
            // someone holding the vault key planted their own. The master password sorts it out
            // (the file is moved aside); quick unlock does not open it.
            Ok((file, _)) if file.key_slot_fingerprint() != record.key_slot => {
                self.end_quick_unlock()?;
                Err(error(
                    ErrorCode::QuickUnlockKeySlot,
                    "the vault file carries a master password quick unlock was not set up under; unlock with your master password",
                ))
            }
            Ok(_) if self.generation != job.generation => Err(super::interrupted()),
            Ok((file, vault)) if vault.id == record.vault_id => {
                self.open = Some(Unlocked { file, vault });
                self.reload_company_policy();
                self.record_unlock(&job.path, crate::activity::BY_QUICK_UNLOCK);
                self.touch();
                Ok(self.state())
            }
            // The key no longer opens this file: the master password was changed (a new vault key),
            // or another vault is at this path. The record can never work again.
            Ok(_) | Err(OpenError::Read(ReadError::WrongKey)) => {
                self.end_quick_unlock()?;
                Err(error(
                    ErrorCode::QuickUnlockStale,
                    "the vault no longer opens with the key quick unlock kept (was the master password changed?); \
                     unlock with the master password",
                ))
            }
            // The master password was changed on another laptop: its key is retired for good.
            Err(OpenError::Read(ReadError::KeyChanged(change))) => {
                self.end_quick_unlock()?;
                Err(error(
                    ErrorCode::PasswordChangedElsewhere,
                    format!("{change}; unlock with the new master password"),
                ))
            }
            Err(err) => Err(error::from_open(err)),
        }
    }

    /// Puts `record`, just made by a job's slow part, in place of the current one. The current
    /// one's keyring item is deleted, unless `record` has just overwritten it (one item per
    /// device and vault).
    pub(super) fn replace_quick_unlock(&mut self, record: QuickUnlock) {
        if let (Some(old), Ok(keyring)) = (self.local.quick_unlock.take(), &self.quick.keyring)
            && old.key_name() != record.key_name()
        {
            let _ = old.forget(keyring.as_ref());
        }
        self.local.quick_unlock = Some(record);
        self.quick.attempts_left = Some(quick_unlock::MAX_FAILURES);
    }

    /// Deletes the keyring item of `record`, made by a job whose result is not installed. A
    /// current record that shared the item can no longer work, so it ends too.
    pub(super) fn discard_quick_unlock(&mut self, record: &QuickUnlock) {
        if let Ok(keyring) = &self.quick.keyring {
            let _ = record.forget(keyring.as_ref());
        }
        if self.local.quick_unlock.as_ref().is_some_and(|current| current.key_name() == record.key_name()) {
            self.forget_quick_unlock();
            let _ = self.save_local();
        }
    }

    /// Ends a record that its period or a reboot has spent, with its device key. Called on lock,
    /// so that one which expired while the vault was open does not wait for the next start.
    pub(super) fn end_spent_quick_unlock(&mut self) {
        let (now, boot) = (self.quick.now_ms(), &self.quick.boot_id);
        if self.local.quick_unlock.as_ref().is_some_and(|record| record.is_spent(now, boot)) {
            self.forget_quick_unlock();
            let _ = self.save_local();
        }
    }

    /// Drops the record and deletes its device key, without saving the settings.
    pub(super) fn forget_quick_unlock(&mut self) {
        self.quick.attempts_left = None;
        if let (Some(record), Ok(keyring)) = (self.local.quick_unlock.take(), &self.quick.keyring) {
            let _ = record.forget(keyring.as_ref());
        }
    }

    /// Ends quick unlock and saves the settings. Call after the master password changed: the
    /// record holds the old vault key.
    pub fn end_quick_unlock(&mut self) -> Result<()> {
        self.forget_quick_unlock();
        self.save_local()
    }

    /// Turns quick unlock on (with a PIN, for `hours`) or off. Turning it on again replaces the
    /// record: a new device key, a new PIN, the count of wrong PINs back to zero. Turning it on
    /// derives a key from the PIN; in steps, see `quick_unlock_on_job`.
    pub fn set_quick_unlock(&mut self, enabled: bool, hours: u32, pin: Option<&str>) -> Result<AppState> {
        if enabled {
            let enabled = self.quick_unlock_on_job(hours, pin)?.run();
            return self.finish_quick_unlock_on(enabled);
        }
        self.forget_quick_unlock();
        self.save_local()?;
        Ok(self.state())
    }

    /// Step 1 of turning quick unlock on (see `slow.rs`): the checked PIN and period, and a copy
    /// of the vault key to seal.
    pub fn quick_unlock_on_job(&self, hours: u32, pin: Option<&str>) -> Result<QuickUnlockOnJob> {
        let pin = Pin::new(pin.unwrap_or_default()).map_err(error::from_pin)?;
        let period = Period::hours(hours).map_err(error::from_period)?;
        self.check_quick_unlock(hours)?;
        let open = self.open.as_ref().ok_or_else(locked)?;
        Ok(QuickUnlockOnJob {
            keyring: self.quick.keyring.clone(),
            owner: Owner { device: self.device.id, vault_id: open.vault.id },
            key: open.file.vault_key().clone(),
            key_slot: open.file.key_slot_fingerprint(),
            pin,
            period,
            now: self.quick.now_ms(),
            boot: self.quick.boot_id.clone(),
            generation: self.generation,
        })
    }

    /// Step 3 of turning quick unlock on: the new record replaces the old one, unless the vault
    /// was locked meanwhile (then the new device key is deleted).
    pub fn finish_quick_unlock_on(&mut self, enabled: QuickUnlockOn) -> Result<AppState> {
        let QuickUnlockOn { job, record } = enabled;
        match record {
            Ok(record) if self.generation != job.generation => {
                self.discard_quick_unlock(&record);
                return Err(super::interrupted());
            }
            Err(_) if self.generation != job.generation => return Err(super::interrupted()),
            Ok(record) => self.replace_quick_unlock(record),
            Err(err) => {
                // As before the change: the old record is gone either way.
                self.end_quick_unlock()?;
                return Err(err);
            }
        }
        self.save_local()?;
        Ok(self.state())
    }
}

/// What turning quick unlock on needs, taken from the session: the vault key is a copy, wiped
/// when the job is dropped.
pub struct QuickUnlockOnJob {
    keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    owner: Owner,
    key: vault::crypto::VaultKey,
    key_slot: [u8; 32],
    pin: Pin,
    period: Period,
    now: u64,
    boot: String,
    generation: u64,
}

impl std::fmt::Debug for QuickUnlockOnJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickUnlockOnJob").field("period", &self.period).finish_non_exhaustive()
    }
}

/// The record made by [`QuickUnlockOnJob::run`].
#[derive(Debug)]
pub struct QuickUnlockOn {
    job: QuickUnlockOnJob,
    record: Result<QuickUnlock>,
}

impl QuickUnlockOnJob {
    /// The slow part: Argon2id on the PIN, and the new device key in the keyring.
    pub fn run(self) -> QuickUnlockOn {
        let record = self.keyring.clone().map_err(|reason| error(ErrorCode::NoKeyring, reason)).and_then(|keyring| {
            let unlocks = Unlocks { key: &self.key, key_slot: self.key_slot };
            QuickUnlock::enable(keyring.as_ref(), self.owner, unlocks, &self.pin, self.now, self.period, &self.boot)
                .map_err(error::from_enable_quick_unlock)
        });
        QuickUnlockOn { job: self, record }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Stage;
    use secrecy::SecretString;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};
    use vault::quick_unlock::KEYRING_SERVICE;
    use vault::{KdfParams, Vault};

    const PASSWORD: &str = "granite otter lantern meadow 47";
    const PIN: &str = "482916";
    const HOUR_MS: u64 = 3_600_000;

    use crate::testing::Keyring;

    struct TestClock(AtomicU64);
    impl Clock for TestClock {
        fn now_ms(&self) -> u64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    /// One laptop: its folder, keyring and clock, which outlive the app's restarts.
    struct Laptop {
        dir: tempfile::TempDir,
        keyring: Arc<Keyring>,
        clock: Arc<TestClock>,
    }

    impl Laptop {
        fn new() -> Laptop {
            let clock = Arc::new(TestClock(AtomicU64::new(SystemClock.now_ms())));
            Laptop { dir: tempfile::tempdir().unwrap(), keyring: Arc::default(), clock }
        }

        /// Starts the app, as after a restart on boot `boot`.
        fn start(&self, boot: &str) -> Session {
            let keyring: Arc<dyn KeyStore + Send + Sync> = self.keyring.clone();
            let quick = QuickUnlockSystem::new(Ok(keyring), self.clock.clone(), boot.into());
            Session::with_quick_unlock_system(self.dir.path().join("config"), self.dir.path().join("data"), quick)
        }

        /// A vault (with cheap key derivation, for speed), opened and unlocked with "remember" and PIN.
        fn app_with_quick_unlock(&self) -> Session {
            let mut app = self.start("boot-1");
            let vault = Vault::new("work", app.author(), "laptop");
            let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
            VaultFile::create(&self.vault_path(), &SecretString::from(PASSWORD), cheap, &vault).unwrap();
            app.open_vault(&self.vault_path()).unwrap();
            app.unlock(PASSWORD, Some(PIN)).unwrap();
            assert!(app.state().quick_unlock.enabled);
            assert!(app.lock());
            app
        }

        fn vault_path(&self) -> PathBuf {
            self.dir.path().join("work.crmvault")
        }

        fn settings_file(&self) -> PathBuf {
            self.dir.path().join("config").join("settings.json")
        }

        fn later(&self, ms: u64) {
            self.clock.0.fetch_add(ms, Ordering::SeqCst);
        }
    }

    fn code(result: Result<AppState>) -> ErrorCode {
        result.unwrap_err().code
    }

    fn settings_record(path: &Path) -> serde_json::Value {
        let settings: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        settings["quick_unlock"].clone()
    }

    #[test]
    fn quick_unlock_needs_the_pin_and_lasts_until_turned_off() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        assert_eq!(app.quick_unlock(PIN).unwrap().stage, Stage::Unlocked);
        app.lock();
        // After a restart on the same boot it still works: the device key is in the keyring.
        let mut app = laptop.start("boot-1");
        assert_eq!(app.state().quick_unlock.attempts_left, Some(3));
        assert_eq!(app.quick_unlock(PIN).unwrap().stage, Stage::Unlocked);
        app.set_quick_unlock(false, 0, None).unwrap();
        assert_eq!(laptop.keyring.device_keys(), 0, "turning it off deletes the device key");
        app.lock();
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockUnavailable);
    }

    #[test]
    fn three_wrong_pins_end_quick_unlock_until_the_master_password_is_typed() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        for left in [2, 1] {
            assert_eq!(code(app.quick_unlock("000000")), ErrorCode::WrongPin);
            assert_eq!(app.state().quick_unlock.attempts_left, Some(left));
        }
        // A PIN that is not 4 to 12 digits is a slip, not a guess: not counted.
        assert_eq!(code(app.quick_unlock("12a4")), ErrorCode::InvalidPin);
        assert_eq!(app.state().quick_unlock.attempts_left, Some(1));
        assert_eq!(code(app.quick_unlock("111111")), ErrorCode::QuickUnlockTooMany);
        assert!(!app.state().quick_unlock.enabled);
        assert_eq!(laptop.keyring.device_keys(), 0);
        assert!(settings_record(&laptop.settings_file()).is_null(), "the record is gone from the settings file");
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockUnavailable, "the right PIN no longer helps");
        assert_eq!(app.state().stage, Stage::Locked);
        assert_eq!(app.unlock(PASSWORD, None).unwrap().stage, Stage::Unlocked);
    }

    #[test]
    fn putting_back_the_settings_file_neither_resets_wrong_pins_nor_extends_the_period() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        let saved = std::fs::read(laptop.settings_file()).unwrap();
        for _ in 0..2 {
            assert_eq!(code(app.quick_unlock("000000")), ErrorCode::WrongPin);
        }
        drop(app);
        // The settings file from before the wrong PINs, put back, and the app restarted.
        std::fs::write(laptop.settings_file(), &saved).unwrap();
        let mut app = laptop.start("boot-1");
        assert_eq!(app.state().quick_unlock.attempts_left, Some(1), "the count lives in the keyring");
        assert_eq!(code(app.quick_unlock("000001")), ErrorCode::QuickUnlockTooMany);
        drop(app);
        // Once ended, putting the file back brings nothing back: the start-up drops the record.
        std::fs::write(laptop.settings_file(), &saved).unwrap();
        let mut app = laptop.start("boot-1");
        assert!(!app.state().quick_unlock.enabled);
        assert!(settings_record(&laptop.settings_file()).is_null());
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockUnavailable);

        // A fresh record whose expiry is moved 6 days later in the file: useless.
        app.unlock(PASSWORD, Some(PIN)).unwrap();
        app.lock();
        drop(app);
        let mut settings: serde_json::Value =
            serde_json::from_slice(&std::fs::read(laptop.settings_file()).unwrap()).unwrap();
        let expires = settings["quick_unlock"]["expires_ms"].as_u64().unwrap();
        settings["quick_unlock"]["expires_ms"] = (expires + 6 * 24 * HOUR_MS).into();
        std::fs::write(laptop.settings_file(), serde_json::to_vec(&settings).unwrap()).unwrap();
        laptop.later(25 * HOUR_MS);
        let mut app = laptop.start("boot-1");
        assert!(app.quick_unlock(PIN).is_err(), "an edited expiry does not open the vault");
        assert_eq!(app.state().stage, Stage::Locked);
    }

    #[test]
    fn expiry_ends_quick_unlock_and_the_next_start_deletes_the_device_key() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        laptop.later(REMEMBER_HOURS as u64 * HOUR_MS);
        assert!(!app.state().quick_unlock.enabled, "shown as off as soon as it expires");
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockExpired);
        assert_eq!(laptop.keyring.device_keys(), 0, "deleted when found expired");

        // Expired while the vault was open: locking deletes it.
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        app.quick_unlock(PIN).unwrap();
        laptop.later(REMEMBER_HOURS as u64 * HOUR_MS);
        app.lock();
        assert_eq!(laptop.keyring.device_keys(), 0, "deleted when the vault locks after the period");
        assert!(settings_record(&laptop.settings_file()).is_null());

        // Expired while the app was not running: the start-up deletes it.
        let laptop = Laptop::new();
        drop(laptop.app_with_quick_unlock());
        laptop.later(REMEMBER_HOURS as u64 * HOUR_MS + 1);
        assert_eq!(laptop.keyring.device_keys(), 1);
        let app = laptop.start("boot-1");
        assert_eq!(laptop.keyring.device_keys(), 0, "the stale device key is gone from the keyring after start-up");
        assert!(settings_record(&laptop.settings_file()).is_null());
        assert!(!app.state().quick_unlock.enabled);
    }

    #[test]
    fn a_reboot_ends_quick_unlock_and_the_start_up_deletes_the_stale_device_key() {
        let laptop = Laptop::new();
        drop(laptop.app_with_quick_unlock());
        // A keyring that outlived the reboot (a provider that keeps its session collection on
        // disk, say) still loses the device key at the first start on the new boot.
        let mut app = laptop.start("boot-2");
        assert_eq!(laptop.keyring.device_keys(), 0);
        assert!(settings_record(&laptop.settings_file()).is_null());
        assert!(!app.state().quick_unlock.enabled);
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockUnavailable);
        // Back on the old boot id (the settings file put back by hand): still nothing.
        assert_eq!(app.unlock(PASSWORD, None).unwrap().stage, Stage::Unlocked);
    }

    #[test]
    fn a_device_key_no_record_uses_is_deleted_at_start_up() {
        let laptop = Laptop::new();
        let app = laptop.app_with_quick_unlock();
        let left_behind = format!("{} 00000000-0000-0000-0000-00000000002a", app.device.id);
        laptop.keyring.set(KEYRING_SERVICE, &left_behind, b"a vault this device no longer opens").unwrap();
        // A second settings folder of the same user (a portable install) keeps its own.
        laptop
            .keyring
            .set(KEYRING_SERVICE, "0123456789abcdef 00000000-0000-0000-0000-00000000002b", b"its key")
            .unwrap();
        drop(app);
        let app = laptop.start("boot-1");
        assert_eq!(laptop.keyring.device_keys(), 2, "the live record's device key and the other folder's are kept");
        assert!(laptop.keyring.get(KEYRING_SERVICE, &left_behind).unwrap().is_none());
        assert!(app.state().quick_unlock.enabled);
    }

    #[test]
    fn periods_longer_than_seven_days_and_malformed_pins_are_refused() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        app.quick_unlock(PIN).unwrap();
        assert_eq!(code(app.set_quick_unlock(true, 24 * 30, Some(PIN))), ErrorCode::QuickUnlockPeriod);
        assert_eq!(code(app.set_quick_unlock(true, 0, Some(PIN))), ErrorCode::QuickUnlockPeriod);
        for pin in [None, Some("123"), Some("1234567890123"), Some("12 34")] {
            assert_eq!(code(app.set_quick_unlock(true, 8, pin)), ErrorCode::InvalidPin, "{pin:?}");
        }
        assert!(app.state().quick_unlock.enabled, "a refused change leaves quick unlock as it was");
        let state = app.set_quick_unlock(true, 168, Some("1234")).unwrap();
        let week = laptop.clock.now_ms() + 168 * HOUR_MS;
        assert_eq!(state.quick_unlock.until, Some(week));
        assert_eq!(state.quick_unlock.max_hours, 168);
        app.lock();
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::WrongPin, "the new PIN replaced the old one");
        assert_eq!(app.quick_unlock("1234").unwrap().stage, Stage::Unlocked);
        app.lock();
        assert_eq!(code(app.unlock(PASSWORD, Some("12345678901234"))), ErrorCode::InvalidPin);
        assert_eq!(app.state().stage, Stage::Locked, "a bad PIN is refused before unlocking");
    }

    #[test]
    fn a_vault_key_the_file_no_longer_takes_ends_quick_unlock() {
        // As after a master password change on another laptop: the file has a new vault key.
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        let vault = Vault::new("work", app.author(), "laptop");
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        std::fs::remove_file(laptop.vault_path()).unwrap();
        VaultFile::create(&laptop.vault_path(), &SecretString::from(PASSWORD), cheap, &vault).unwrap();
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockStale);
        assert_eq!(laptop.keyring.device_keys(), 0);
        assert!(!app.state().quick_unlock.enabled);
    }

    #[test]
    fn a_master_password_planted_on_the_file_is_not_opened_by_quick_unlock() {
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        // A save leaves a backup with the real key slot beside the file.
        let path = laptop.vault_path();
        let (mut file, mut vault) = VaultFile::open(&path, &SecretString::from(PASSWORD)).unwrap();
        vault.add_entry(vault::NewEntry { title: "CRM".into(), ..Default::default() }, app.author());
        file.save(&mut vault, &SystemClock).unwrap();
        // Someone holding the vault key puts their own master password on the file.
        let opened = vault::format::read(&std::fs::read(&path).unwrap(), &SecretString::from(PASSWORD)).unwrap();
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        let slot = vault::format::wrap_key(&SecretString::from("attacker"), cheap, &opened.key).unwrap();
        std::fs::write(&path, vault::format::write(&opened.vault, &opened.key, &slot)).unwrap();

        // The key quick unlock kept still opens the file, but the slot is not the one it knew.
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockKeySlot);
        assert!(app.open.is_none() && !app.state().quick_unlock.enabled);
        // The master password sets the planted file aside, and the app lists it.
        app.unlock(PASSWORD, None).unwrap();
        let (_, status) = app.sync_tick(1).expect("the planted file is news");
        assert_eq!(
            status.held_copies.iter().map(|h| (h.reason.as_str(), h.set_aside)).collect::<Vec<_>>(),
            [("foreign-key-slot", true)]
        );
        assert!(VaultFile::open(&path, &SecretString::from("attacker")).is_err());
    }

    #[test]
    fn ending_quick_unlock_deletes_the_device_key_and_the_record() {
        // What a master password change calls.
        let laptop = Laptop::new();
        let mut app = laptop.app_with_quick_unlock();
        app.end_quick_unlock().unwrap();
        assert_eq!(laptop.keyring.device_keys(), 0);
        assert!(settings_record(&laptop.settings_file()).is_null());
        assert_eq!(code(app.quick_unlock(PIN)), ErrorCode::QuickUnlockUnavailable);
    }

    #[test]
    fn without_a_keyring_quick_unlock_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = Session::new(dir.path().join("c"), dir.path().join("d"), Err("no Secret Service".into()));
        let path = dir.path().join("v.crmvault");
        let vault = Vault::new("v", app.author(), "laptop");
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&path, &SecretString::from(PASSWORD), cheap, &vault).unwrap();
        app.open_vault(&path).unwrap();
        let state = app.state();
        assert!(!state.quick_unlock.available);
        assert_eq!(state.quick_unlock.reason, Some(ErrorCode::NoKeyring));
        assert_eq!(code(app.unlock(PASSWORD, Some(PIN))), ErrorCode::NoKeyring);
    }

    #[test]
    fn a_keyring_that_will_not_store_the_key_opens_the_vault_and_says_quick_unlock_is_off() {
        let dir = tempfile::tempdir().unwrap();
        let keyring: Arc<dyn KeyStore + Send + Sync> = Arc::new(crate::testing::RefusingKeyring);
        let mut app = Session::new(dir.path().join("c"), dir.path().join("d"), Ok(keyring));
        let path = dir.path().join("v.crmvault");
        let vault = Vault::new("v", app.author(), "laptop");
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&path, &SecretString::from(PASSWORD), cheap, &vault).unwrap();
        app.open_vault(&path).unwrap();
        assert!(app.state().quick_unlock.available, "a keyring is there, so \"remember\" is offered");

        // "Remember on this device" ticked: the keyring refuses the device key. The failure is
        // said (not swallowed), and the vault is open all the same.
        let err = app.unlock(PASSWORD, Some(PIN)).unwrap_err();
        assert_eq!(err.code, ErrorCode::NoKeyring);
        assert!(err.message.contains("the collection is locked"), "{}", err.message);
        let state = app.state();
        assert_eq!(state.stage, Stage::Unlocked);
        assert!(!state.quick_unlock.enabled, "no quick unlock without its key");

        // After a lock the master password is what works, and the PIN is not offered.
        app.lock();
        assert!(!app.state().quick_unlock.enabled);
        app.unlock(PASSWORD, None).unwrap();
    }
}
