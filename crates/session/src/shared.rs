//! The session shared between the front end's calls and its timers (idle lock, file watch,
//! clipboard clear). One mutex owns the [`Session`]; the slow use cases go through this type,
//! which holds it only for the two short steps around the slow part (see `session/slow.rs`):
//! take a job, run it with the mutex free, finish it. So an unlock with a 256 MiB key
//! derivation does not stop the file watch or the idle timer for its duration.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::error::Result;
use crate::session::Session;
use crate::view::{AppState, CopyPreview, KdfChoice, SecurityReport, SyncStatus};

#[derive(Debug)]
pub struct SharedSession(Mutex<Session>);

impl SharedSession {
    pub fn new(session: Session) -> SharedSession {
        SharedSession(Mutex::new(session))
    }

    /// The session, for a quick call. Even if a panic elsewhere poisoned the mutex: the session
    /// stays consistent, because every change to it is a single assignment.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn create_vault(&self, path: &Path, password: &str) -> Result<AppState> {
        let job = self.session().create_vault_job(path, password)?;
        let created = job.run(password);
        self.session().finish_create_vault(created)
    }

    pub fn unlock(&self, password: &str, remember_pin: Option<&str>) -> Result<AppState> {
        let job = self.session().unlock_job(remember_pin)?;
        let outcome = job.run(password);
        self.session().finish_unlock(outcome)
    }

    pub fn quick_unlock(&self, pin: &str) -> Result<AppState> {
        let job = self.session().quick_unlock_job(pin)?;
        let outcome = job.run();
        self.session().finish_quick_unlock(outcome)
    }

    /// Turns quick unlock on (the PIN's key derivation runs without the session) or off.
    pub fn set_quick_unlock(&self, enabled: bool, hours: u32, pin: Option<&str>) -> Result<AppState> {
        if !enabled {
            return self.session().set_quick_unlock(false, hours, None);
        }
        let job = self.session().quick_unlock_on_job(hours, pin)?;
        let enabled = job.run();
        self.session().finish_quick_unlock_on(enabled)
    }

    pub fn change_master_password(&self, current: &str, new: &str, kdf: Option<KdfChoice>) -> Result<()> {
        let job = self.session().password_change_job(new, kdf)?;
        let checked = job.run(current, new);
        self.session().finish_password_change(checked)
    }

    /// Takes in the master password changed on another laptop (its Argon2id without the session).
    pub fn adopt_new_password(&self, password: &str) -> Result<SyncStatus> {
        let job = self.session().adopt_new_password_job()?;
        let unwrapped = job.run(password);
        self.session().finish_adopt_new_password(unwrapped)
    }

    pub fn preview_held_copy(&self, name: &str, password: Option<&str>) -> Result<CopyPreview> {
        let job = self.session().held_copy_job(name)?;
        let opened = job.run(password);
        self.session().finish_preview_held_copy(opened)
    }

    pub fn merge_held_copy(&self, name: &str, password: Option<&str>) -> Result<SyncStatus> {
        let job = self.session().held_copy_job(name)?;
        let opened = job.run(password);
        self.session().finish_merge_held_copy(opened)
    }

    /// Restores a backup from the unlock screen (its Argon2id without the session); the vault
    /// is then open.
    pub fn restore_backup_with_password(&self, name: &str, password: &str) -> Result<AppState> {
        let job = self.session().restore_backup_job(name)?;
        let restored = job.run(password);
        self.session().finish_restore_backup(restored)
    }

    pub fn security_report(&self, now_ms: u64, today: chrono::NaiveDate) -> Result<SecurityReport> {
        let job = self.session().security_report_job(now_ms, today)?;
        let outcome = job.run();
        self.session().finish_security_report(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::view::Stage;
    use secrecy::SecretString;
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;
    use vault::quick_unlock::KeyStore;
    use vault::{Author, Clock, DeviceId, KdfParams, SystemClock, Vault, VaultFile};

    const PASSWORD: &str = "granite otter lantern meadow 47";
    const PIN: &str = "482916";
    const NEW_MASTER: &str = "copper violin harbour tulip 83";

    use crate::testing::Keyring;

    const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

    /// A vault file made by the library with `kdf`, chosen (locked) in a shared session.
    fn shared_vault(dir: &Path, name: &str, kdf: KdfParams) -> (SharedSession, Arc<Keyring>, PathBuf) {
        let keyring = Arc::new(Keyring::default());
        let store: Arc<dyn KeyStore + Send + Sync> = keyring.clone();
        let mut session = Session::new(dir.join("config"), dir.join("data"), Ok(store));
        let path = vault_file(dir, name, kdf);
        session.open_vault(&path).unwrap();
        (SharedSession::new(session), keyring, path)
    }

    fn vault_file(dir: &Path, name: &str, kdf: KdfParams) -> PathBuf {
        let path = dir.join(format!("{name}.crmvault"));
        let vault = Vault::new(name, Author { device: DeviceId(7), clock: &SystemClock }, "laptop");
        VaultFile::create(&path, &SecretString::from(PASSWORD), kdf, &vault).unwrap();
        path
    }

    fn stage(shared: &SharedSession) -> Stage {
        shared.session().state().stage
    }

    /// Runs `slow` on another thread while this one does what the app's timers do, through the
    /// same shared session: the file-watch tick and the idle check. Counts the ticks that
    /// completed while `slow` had started and not yet returned, and saw the vault still locked.
    /// A `slow` that held the session throughout would let none through: each tick would wait
    /// for it, and then see the vault unlocked.
    fn ticks_during<T: Send>(shared: &SharedSession, slow: impl FnOnce() -> T + Send) -> (u32, T) {
        ticks_while(shared, |session| session.check_unlocked().is_err(), slow)
    }

    /// Counts the timer ticks that got the session while `slow` ran and `counts` held.
    fn ticks_while<T: Send>(
        shared: &SharedSession,
        counts: impl Fn(&Session) -> bool,
        slow: impl FnOnce() -> T + Send,
    ) -> (u32, T) {
        let (started, done) = (AtomicBool::new(false), AtomicBool::new(false));
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                started.store(true, Ordering::SeqCst);
                let result = slow();
                done.store(true, Ordering::SeqCst);
                result
            });
            while !started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let mut ticks = 0;
            while !done.load(Ordering::SeqCst) {
                let still_locked = {
                    let mut session = shared.session();
                    session.sync_tick(SystemClock.now_ms());
                    session.idle_expired(Some(1));
                    counts(&session)
                };
                if still_locked && !done.load(Ordering::SeqCst) {
                    ticks += 1;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            (ticks, worker.join().unwrap())
        })
    }

    #[test]
    fn the_file_watch_and_the_idle_check_tick_during_an_unlock_with_a_256_mib_key_derivation() {
        let dir = tempfile::tempdir().unwrap();
        let heavy = KdfParams::from_mib(256, 2, 1).unwrap();
        let (shared, _, _) = shared_vault(dir.path(), "work", heavy);
        let (ticks, unlocked) = ticks_during(&shared, || shared.unlock(PASSWORD, None));
        assert_eq!(unlocked.unwrap().stage, Stage::Unlocked);
        assert!(ticks >= 3, "only {ticks} ticks got through during the unlock");
        assert!(!shared.session().idle_expired(None), "the idle clock starts at the unlock");
    }

    #[test]
    fn the_timers_tick_during_a_quick_unlock_with_the_pin() {
        let dir = tempfile::tempdir().unwrap();
        let (shared, _, _) = shared_vault(dir.path(), "work", CHEAP);
        shared.unlock(PASSWORD, Some(PIN)).unwrap();
        assert!(shared.session().lock());
        let (ticks, unlocked) = ticks_during(&shared, || shared.quick_unlock(PIN));
        assert_eq!(unlocked.unwrap().stage, Stage::Unlocked);
        assert!(ticks >= 3, "only {ticks} ticks got through during the quick unlock");
    }

    #[test]
    fn the_timers_tick_during_a_master_password_change_and_while_a_new_password_is_taken_in() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _, path) = shared_vault(dir.path(), "work", CHEAP);
        let b = SharedSession::new(Session::new(dir.path().join("b"), dir.path().join("data"), Err("none".into())));
        b.session().open_vault(&path).unwrap();
        a.unlock(PASSWORD, None).unwrap();
        b.unlock(PASSWORD, None).unwrap();
        // Both the current password's check and the new key's wrapping run outside the session.
        let heavy = Some(KdfChoice { memory_mib: 256, iterations: 2, parallelism: 1 });
        // Counted while the change has not happened: a session held throughout would let at most
        // the ticks between its short steps through.
        let old_key_slot = std::fs::read(&path).unwrap();
        let unchanged = |_: &Session| std::fs::read(&path).unwrap() == old_key_slot;
        let (ticks, changed) =
            ticks_while(&a, unchanged, || a.change_master_password(PASSWORD, "a new master password", heavy));
        changed.unwrap();
        assert!(ticks >= 10, "only {ticks} ticks got through during the change");
        // Laptop B hears of the change and takes the new password in, also outside its session.
        b.session().sync_tick(2);
        let waiting = |session: &Session| session.sync_status().password_change.is_some();
        let (ticks, adopted) = ticks_while(&b, waiting, || b.adopt_new_password("a new master password"));
        assert_eq!(adopted.unwrap().password_change, None);
        assert!(ticks >= 10, "only {ticks} ticks got through while the new password was taken in");
        // Locked meanwhile: the key unwrapped with the new password is not used.
        let job = b.session().adopt_new_password_job().unwrap();
        b.session().lock();
        let unwrapped = job.run("a new master password");
        assert_eq!(b.session().finish_adopt_new_password(unwrapped).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn an_unlock_finishing_after_a_lock_or_a_switch_of_vault_is_not_installed() {
        let dir = tempfile::tempdir().unwrap();
        let (shared, keyring, path) = shared_vault(dir.path(), "work", CHEAP);
        // Locked (the idle timer, the screen locking) while the key derivation ran.
        let job = shared.session().unlock_job(Some(PIN)).unwrap();
        assert!(!shared.session().lock());
        let outcome = job.run(PASSWORD);
        let err = shared.session().finish_unlock(outcome).unwrap_err();
        assert_eq!(err.code, ErrorCode::Locked);
        assert!(err.message.contains("locked before this finished"), "{}", err.message);
        assert_eq!(stage(&shared), Stage::Locked);
        let state = shared.session().state();
        assert!(!state.quick_unlock.enabled, "\"remember on this device\" came to nothing");
        assert_eq!(keyring.device_keys(), 0, "the device key made meanwhile is deleted");

        // Another vault chosen while the first was being unlocked.
        let job = shared.session().unlock_job(None).unwrap();
        let other = vault_file(dir.path(), "home", CHEAP);
        shared.session().open_vault(&other).unwrap();
        let outcome = job.run(PASSWORD);
        assert_eq!(shared.session().finish_unlock(outcome).unwrap_err().code, ErrorCode::Locked);
        let state = shared.session().state();
        assert_eq!((state.stage, state.vault_path), (Stage::Locked, Some(other.display().to_string())));

        // A quick unlock whose slow part outlived a lock is not installed either.
        shared.session().open_vault(&path).unwrap();
        shared.unlock(PASSWORD, Some(PIN)).unwrap();
        assert!(shared.session().lock());
        let job = shared.session().quick_unlock_job(PIN).unwrap();
        shared.session().lock();
        let outcome = job.run();
        assert_eq!(shared.session().finish_quick_unlock(outcome).unwrap_err().code, ErrorCode::Locked);
        assert_eq!(stage(&shared), Stage::Locked);
        assert_eq!(shared.quick_unlock(PIN).unwrap().stage, Stage::Unlocked, "the record is still good");

        // A report made while the vault was locked is not shown.
        let job = shared.session().security_report_job(SystemClock.now_ms(), crate::session::today()).unwrap();
        shared.session().lock();
        assert_eq!(shared.session().finish_security_report(job.run()).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn a_wrong_password_found_in_the_slow_part_is_still_counted() {
        let dir = tempfile::tempdir().unwrap();
        let (shared, _, path) = shared_vault(dir.path(), "work", CHEAP);
        assert_eq!(shared.unlock("wrong", None).unwrap_err().code, ErrorCode::WrongPassword);
        assert_eq!(shared.session().state().failed_attempts, 1);
        // Also when the vault was locked meanwhile: the guess was against this vault.
        let job = shared.session().unlock_job(None).unwrap();
        shared.session().lock();
        let outcome = job.run("wrong again");
        assert_eq!(shared.session().finish_unlock(outcome).unwrap_err().code, ErrorCode::WrongPassword);
        assert_eq!(shared.session().state().failed_attempts, 2);
        // Not against another vault chosen meanwhile: its count starts at zero.
        let job = shared.session().unlock_job(None).unwrap();
        let other = vault_file(dir.path(), "home", CHEAP);
        shared.session().open_vault(&other).unwrap();
        assert_eq!(shared.session().finish_unlock(job.run("wrong")).unwrap_err().code, ErrorCode::WrongPassword);
        assert_eq!(shared.session().state().failed_attempts, 0);
        // A wrong PIN during a quick unlock's slow part is counted too.
        shared.session().open_vault(&path).unwrap();
        shared.unlock(PASSWORD, Some(PIN)).unwrap();
        shared.session().lock();
        assert_eq!(shared.quick_unlock("000000").unwrap_err().code, ErrorCode::WrongPin);
        assert_eq!(shared.session().state().quick_unlock.attempts_left, Some(2));
    }

    #[test]
    fn creating_and_changing_the_master_password_go_through_the_steps() {
        let dir = tempfile::tempdir().unwrap();
        let shared =
            SharedSession::new(Session::new(dir.path().join("config"), dir.path().join("data"), Err("none".into())));
        let path = dir.path().join("new").join("v.crmvault");
        assert_eq!(shared.create_vault(&path, "").unwrap_err().code, ErrorCode::Invalid);
        assert_eq!(shared.create_vault(&path, "a").unwrap_err().code, ErrorCode::Invalid, "too weak");
        assert_eq!(shared.create_vault(&path, PASSWORD).unwrap().stage, Stage::Unlocked);
        assert_eq!(shared.change_master_password(PASSWORD, "new pw", None).unwrap_err().code, ErrorCode::Invalid);
        let cheap = Some(KdfChoice { memory_mib: 19, iterations: 2, parallelism: 1 });
        assert_eq!(
            shared.change_master_password("wrong", NEW_MASTER, cheap).unwrap_err().code,
            ErrorCode::WrongPassword
        );
        // A lock while the current password was checked: nothing changed.
        let job = shared.session().password_change_job(NEW_MASTER, cheap).unwrap();
        shared.session().lock();
        let checked = job.run(PASSWORD, NEW_MASTER);
        assert_eq!(shared.session().finish_password_change(checked).unwrap_err().code, ErrorCode::Locked);
        assert!(VaultFile::open(&path, &SecretString::from(PASSWORD)).is_ok());
        shared.unlock(PASSWORD, None).unwrap();
        shared.change_master_password(PASSWORD, NEW_MASTER, cheap).unwrap();
        assert!(VaultFile::open(&path, &SecretString::from(NEW_MASTER)).is_ok());
    }
}
