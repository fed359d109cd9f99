//! Files planted in the sync folder by someone who can write there: clocks at the end of time,
//! settings out of range, files too large to be a vault, symbolic links where the store keeps
//! files of its own. Each test performs the attack and checks that it fails.

use secrecy::SecretString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;
use vault::crypto::KdfParams;
use vault::health::{self, Detail, FindingKind, ReportOptions};
use vault::model::{Settings, Stamped};
use vault::store::{LeftAlone, MAX_FILE_BYTES, OpenError, SaveError, TooLarge};
use vault::{Author, Clock, DeviceId, EntryEdit, Hlc, NewEntry, SystemClock, Vault, VaultFile};

const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// A clock that always reads the same time.
struct At(u64);

impl Clock for At {
    fn now_ms(&self) -> u64 {
        self.0
    }
}

fn password() -> SecretString {
    SecretString::from("pw")
}

fn me() -> Author<'static> {
    Author { device: DeviceId(1), clock: &SystemClock }
}

fn entry(title: &str) -> NewEntry {
    NewEntry { title: title.into(), password: "Sales-2026-pw".into(), ..Default::default() }
}

/// A vault with one entry at `folder/work.crmvault`.
fn vault_in(folder: &Path) -> (PathBuf, VaultFile, Vault) {
    let path = folder.join("work.crmvault");
    let mut vault = Vault::new("work", me(), "laptop");
    vault.add_entry(entry("CRM"), me());
    let file = VaultFile::create(&path, &password(), CHEAP, &vault).unwrap();
    (path, file, vault)
}

/// A sparse file of `len` bytes: costs no disk space, as it costs an attacker nothing.
fn sparse(path: &Path, len: u64) {
    fs::File::create(path).unwrap().set_len(len).unwrap();
}

const THREE_GIB: u64 = 3 * 1024 * 1024 * 1024;

// --- Clocks --------------------------------------------------------------------------------

#[test]
fn clocks_at_the_end_of_time_tick_without_panic_and_stay_ordered() {
    let top = Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: DeviceId(u64::MAX) };
    let full_counter = Hlc { wall_ms: 1_795_000_000_000, counter: u32::MAX, device: DeviceId(7) };
    for last in [top, full_counter] {
        for now in [0, 1_795_000_000_000, u64::MAX] {
            let next = Hlc::tick(last, now, DeviceId(1));
            assert!(next >= last, "{last:?} ticked back to {next:?} at {now}");
        }
    }
    let next = Hlc::tick(full_counter, 0, DeviceId(1));
    assert_eq!((next.wall_ms, next.counter), (full_counter.wall_ms + 1, 0), "the wall time moves on, not the counter");

    // A vault whose clocks a forged file set to the end of time: every write still works.
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = vault_in(dir.path());
    let id = vault.sorted_entries()[0].id;
    vault.clock = top;
    vault.entries.get_mut(&id).unwrap().title = Stamped::new("CRM".into(), top);
    vault.settings.auto_lock_minutes = Stamped::new(5, top);
    let me = me();
    let mut last = vault.clock;
    let mut moved_on = |vault: &Vault| {
        assert!(vault.clock >= last, "the vault's clock went back");
        last = vault.clock;
    };
    vault.add_entry(entry("ERP"), me);
    moved_on(&vault);
    vault.edit_entry(id, EntryEdit { title: Some("CRM (EU)".into()), ..Default::default() }, me).unwrap();
    moved_on(&vault);
    vault.delete_entry(id, me).unwrap();
    moved_on(&vault);
    vault.restore_entry(id, me).unwrap();
    moved_on(&vault);
    vault.set_timers(10, 30, me);
    moved_on(&vault);
    vault.set_profile(Some(30), "Li Wei", "Acme", me);
    moved_on(&vault);
    vault.note_password_change(me);
    moved_on(&vault);
    file.save(&mut vault, &SystemClock).unwrap();
    let (_, reopened) = VaultFile::open(&path, &password()).unwrap();
    assert_eq!(reopened.live_entries().count(), 2);
    let mut other = reopened.clone();
    other.merge(&vault).unwrap();
    health::report(&reopened, ReportOptions::at(u64::MAX)).unwrap();
    health::report(&reopened, ReportOptions::at(0)).unwrap();
}

// --- Settings ------------------------------------------------------------------------------

#[test]
fn out_of_range_settings_from_a_synced_file_are_clamped_where_used() {
    let now = 1_795_000_000_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("work.crmvault");
    let two_days_ago = At(now - 2 * DAY_MS);
    let then = Author { device: DeviceId(2), clock: &two_days_ago };
    let mut vault = Vault::new("work", then, "laptop");
    vault.add_entry(entry("CRM"), then);
    let mut file = VaultFile::create(&path, &password(), CHEAP, &vault).unwrap();
    // What a hand-made or planted copy can hold: numbers no settings page would accept.
    let clock = vault.clock;
    vault.settings.auto_lock_minutes = Stamped::new(u32::MAX, clock);
    vault.settings.clipboard_clear_seconds = Stamped::new(0, clock);
    vault.settings.rotation_days = Stamped::new(Some(0), clock);
    file.save(&mut vault, &At(now)).unwrap();

    let (_, synced) = VaultFile::open(&path, &password()).unwrap();
    assert_eq!(synced.settings.auto_lock_minutes.value, u32::MAX, "the file holds what was planted");
    let settings = &synced.settings;
    assert_eq!(settings.auto_lock_minutes(), *Settings::AUTO_LOCK_MINUTES.end(), "locks after a day at most");
    assert_eq!(settings.clipboard_clear_seconds(), *Settings::CLIPBOARD_CLEAR_SECONDS.start());
    assert_eq!(settings.rotation_days(), Some(1));
    // Rotation every 0 days would flag every password at once; clamped, a 2-day-old one is due
    // after 1 day.
    let report = health::report(&synced, ReportOptions::at(now)).unwrap();
    let old = report.findings.iter().find(|f| f.kind == FindingKind::Old).expect("the password is due");
    assert!(matches!(old.detail, Detail::Old { rotation_days: 1, days: 2, .. }), "{:?}", old.detail);

    // A period of four billion days would turn rotation off without saying so.
    let (mut file, mut vault) = VaultFile::open(&path, &password()).unwrap();
    vault.settings.rotation_days = Stamped::new(Some(u32::MAX), vault.clock);
    file.save(&mut vault, &At(now)).unwrap();
    let (_, synced) = VaultFile::open(&path, &password()).unwrap();
    assert_eq!(synced.settings.rotation_days(), Some(3650));
    let eleven_years_on = now + 11 * 365 * DAY_MS;
    assert_eq!(health::due_for_rotation(&synced, eleven_years_on, health::local_date(eleven_years_on)), 1);
}

#[test]
fn the_settings_setters_store_only_values_in_range() {
    let mut vault = Vault::new("work", me(), "laptop");
    vault.set_timers(u32::MAX, 1, me());
    vault.set_profile(Some(0), "", "", me());
    let settings = &vault.settings;
    assert_eq!(settings.auto_lock_minutes.value, 24 * 60);
    assert_eq!(settings.clipboard_clear_seconds.value, 5);
    assert_eq!(settings.rotation_days.value, Some(1));
    vault.set_profile(None, "", "", me());
    assert_eq!(vault.settings.rotation_days(), None, "rotation can still be turned off");
}

// --- Size ----------------------------------------------------------------------------------

#[test]
fn a_3_gib_conflicted_copy_is_left_alone_unread_and_the_vault_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = vault_in(dir.path());
    let before = fs::read(&path).unwrap();
    let copy = dir.path().join("work (Bob's conflicted copy 2026-11-21).crmvault");
    sparse(&copy, THREE_GIB);

    let start = Instant::now();
    let report = file.merge_conflicted_copies(&mut vault, &SystemClock).unwrap();
    assert!(start.elapsed().as_secs() < 5, "refused before reading: {:?}", start.elapsed());
    assert!(report.merged.is_empty());
    let [(left, why)] = &report.left_alone[..] else { panic!("{report:?}") };
    assert_eq!(left.path, copy);
    let LeftAlone::TooLarge(too_large) = why else { panic!("{why:?}") };
    assert_eq!((too_large.size, too_large.limit), (THREE_GIB, MAX_FILE_BYTES));
    assert_eq!(why.to_string(), "it is 3 GiB, more than a vault file can be (at most 512 MiB); it was not read");
    assert_eq!(fs::metadata(&copy).unwrap().len(), THREE_GIB, "left where it is");
    assert_eq!(fs::read(&path).unwrap(), before, "the vault file is untouched");
    assert_eq!(VaultFile::open(&path, &password()).unwrap().1.live_entries().count(), 1);

    // Named as another copy to merge on purpose, it is refused the same way.
    let err = file.open_copy(&copy, Some(&password())).unwrap_err();
    assert!(matches!(err, OpenError::TooLarge(TooLarge { size: THREE_GIB, .. })), "{err:?}");
}

#[test]
fn a_3_gib_vault_file_is_refused_on_open_with_its_size_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("work.crmvault");
    sparse(&path, THREE_GIB);
    let start = Instant::now();
    let err = VaultFile::open(&path, &password()).unwrap_err();
    assert!(start.elapsed().as_secs() < 5, "refused before reading: {:?}", start.elapsed());
    assert!(matches!(&err, OpenError::TooLarge(big) if big.path == path && big.size == THREE_GIB), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("work.crmvault is 3 GiB, more than a vault file can be (at most 512 MiB)"), "{message}");
    // As a backup to restore, too.
    let backup = dir.path().join("old.crmvault");
    sparse(&backup, MAX_FILE_BYTES + 1);
    let err = VaultFile::restore(&dir.path().join("new.crmvault"), &backup, &password(), &SystemClock).unwrap_err();
    assert!(matches!(err, OpenError::TooLarge(_)), "{err:?}");
    assert!(!dir.path().join("new.crmvault").exists());
}

#[test]
fn a_vault_file_grown_too_large_on_disk_stops_a_save_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = vault_in(dir.path());
    sparse(&path, THREE_GIB);
    vault.add_entry(entry("ERP"), me());
    let err = file.save(&mut vault, &SystemClock).unwrap_err();
    assert!(matches!(err, SaveError::TooLarge(_)), "{err:?}");
    assert!(matches!(file.refresh(&mut vault, &SystemClock), Err(SaveError::TooLarge(_))));
    assert_eq!(fs::metadata(&path).unwrap().len(), THREE_GIB, "left as it is");
}

// --- Symbolic links ------------------------------------------------------------------------

/// A sync folder holding the vault, and a folder outside it that must stay as it is.
#[cfg(unix)]
fn folder_and_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (sync, outside) = (dir.path().join("Dropbox"), dir.path().join("outside"));
    fs::create_dir(&sync).unwrap();
    fs::create_dir(&outside).unwrap();
    (dir, sync, outside)
}

#[cfg(unix)]
fn link_refused(err: &SaveError, link: &Path) -> bool {
    matches!(err, SaveError::LinkRefused(vault::store::LinkRefused { path }) if path == link)
}

#[cfg(unix)]
#[test]
fn a_link_planted_as_the_lock_file_is_refused_and_nothing_is_written_outside() {
    use std::os::unix::fs::symlink;
    let (_dir, sync, outside) = folder_and_outside();
    let (path, mut file, mut vault) = vault_in(&sync);
    let lock = sync.join(".work.crmvault.lock");
    fs::remove_file(&lock).unwrap();

    // A link to a file the user owns: opening it for writing would have been enough to harm it.
    let precious = outside.join("report.xlsx");
    fs::write(&precious, b"quarterly figures").unwrap();
    let modified = fs::metadata(&precious).unwrap().modified().unwrap();
    symlink(&precious, &lock).unwrap();
    vault.add_entry(entry("ERP"), me());
    let err = file.save(&mut vault, &SystemClock).unwrap_err();
    assert!(link_refused(&err, &lock), "{err:?}");
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    let err = VaultFile::open_for_edit(&path, &password()).unwrap_err();
    assert!(matches!(&err, OpenError::Save(save) if link_refused(save, &lock)), "{err:?}");
    assert_eq!(fs::read(&precious).unwrap(), b"quarterly figures");
    assert_eq!(fs::metadata(&precious).unwrap().modified().unwrap(), modified);

    // A dangling link: following it would create a file outside the vault's folder.
    fs::remove_file(&lock).unwrap();
    let planted = outside.join("autostart.desktop");
    symlink(&planted, &lock).unwrap();
    let err = file.save(&mut vault, &SystemClock).unwrap_err();
    assert!(link_refused(&err, &lock), "{err:?}");
    assert!(!planted.exists(), "nothing was created outside");
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 1);
    assert_eq!(VaultFile::open(&path, &password()).unwrap().1.live_entries().count(), 1, "nothing was saved");
}

#[cfg(unix)]
#[test]
fn a_linked_backups_folder_is_refused_and_nothing_is_written_outside() {
    use std::os::unix::fs::symlink;
    let (_dir, sync, outside) = folder_and_outside();
    let (path, mut file, mut vault) = vault_in(&sync);
    let backups = sync.join("work.backups");
    symlink(&outside, &backups).unwrap();
    let before = fs::read(&path).unwrap();

    vault.add_entry(entry("ERP"), me());
    let err = file.save(&mut vault, &SystemClock).unwrap_err();
    assert!(link_refused(&err, &backups), "{err:?}");
    assert!(err.to_string().contains("work.backups is a symbolic link"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the vault file is unchanged");
    assert!(VaultFile::backups(&path).is_err(), "no backups are offered from elsewhere");

    // A conflicted copy with nothing new is not saved, only moved aside: it stays where it is.
    let (_, mut on_disk) = VaultFile::open(&path, &password()).unwrap();
    let copy = sync.join("work (Bob's conflicted copy 2026-11-21).crmvault");
    fs::copy(&path, &copy).unwrap();
    let (mut file, _) = VaultFile::open(&path, &password()).unwrap();
    let report = file.merge_conflicted_copies(&mut on_disk, &SystemClock).unwrap();
    let [(left, LeftAlone::NotMoved(why))] = &report.left_alone[..] else { panic!("{report:?}") };
    assert_eq!(left.path, copy);
    assert!(why.to_string().contains("symbolic link"), "{why}");
    assert!(copy.exists());

    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "nothing was written outside the vault's folder");
    assert!(fs::symlink_metadata(&backups).unwrap().file_type().is_symlink(), "the link is left for the user");
}

#[cfg(unix)]
#[test]
fn a_link_under_the_next_backups_name_is_passed_over_not_followed() {
    use std::os::unix::fs::symlink;
    let (_dir, sync, outside) = folder_and_outside();
    let (path, mut file, mut vault) = vault_in(&sync);
    let at = At(1_795_000_000_000);
    vault.add_entry(entry("ERP"), me());
    file.save(&mut vault, &at).unwrap();
    // The next backup's name, taken in advance by a link to a file that does not exist yet
    // (`Path::exists` says no to it, and a copy written there would land outside).
    let next = VaultFile::backups(&path).unwrap()[0].path.clone();
    fs::remove_file(&next).unwrap();
    let target = outside.join("planted.crmvault");
    symlink(&target, &next).unwrap();
    vault.add_entry(entry("Mail"), me());
    file.save(&mut vault, &at).unwrap();
    assert!(!target.exists(), "nothing was written outside");
    assert!(fs::symlink_metadata(&next).unwrap().file_type().is_symlink());
    assert_eq!(VaultFile::open(&path, &password()).unwrap().1.live_entries().count(), 3);
}
