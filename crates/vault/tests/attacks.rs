//! The sync folder under attack. Each test plays the attacker of docs/SECURITY.md and shows the
//! attack fails: someone who knew an old master password, someone who holds the current vault
//! key and can write into the sync folder, a copy whose clocks run far ahead.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use secrecy::SecretString;
use std::fs;
use std::path::{Path, PathBuf};

use vault::crypto::{KdfParams, SecretKey};
use vault::format::{self, ReadError};
use vault::store::{LeftAlone, SaveError, Suspicious};
use vault::{Author, Clock, DeviceId, EntryEdit, Hlc, NewEntry, SystemClock, Vault, VaultFile};

const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
const DAY_MS: u64 = 24 * 3_600_000;

fn laptop(n: u64) -> Author<'static> {
    Author { device: DeviceId(n), clock: &SystemClock }
}

fn pw(text: &str) -> SecretString {
    SecretString::from(text)
}

fn titles(vault: &Vault) -> Vec<String> {
    vault.sorted_entries().iter().map(|e| e.title.value.clone()).collect()
}

fn notes_of(vault: &Vault, title: &str) -> String {
    vault.live_entries().find(|e| e.title.value == title).unwrap().notes.value.clone()
}

/// A vault with one CRM entry, its file beside a Dropbox-named conflicted copy's place.
fn team_vault(dir: &Path, password: &str) -> (PathBuf, VaultFile, Vault) {
    let path = dir.join("work.crmvault");
    let mut vault = Vault::new("work", laptop(1), "LAPTOP-A");
    vault.add_entry(NewEntry { title: "CRM".into(), notes: "real".into(), ..Default::default() }, laptop(1));
    let file = VaultFile::create(&path, &pw(password), CHEAP, &vault).unwrap();
    (path, file, vault)
}

fn dropbox_copy(dir: &Path) -> PathBuf {
    dir.join("work (Bob's conflicted copy 2026-11-21).crmvault")
}

/// The vault key of a file, found by hand from its bytes and a password exactly as
/// docs/FORMAT.md describes it (no code of the format module): what an attacker who knew that
/// password would run against an old copy from the sync service's version history.
fn vault_key_by_hand(file: &[u8], password: &str) -> [u8; 32] {
    let salt_len = file[22] as usize;
    let salt = &file[23..23 + salt_len];
    let memory_kib = u32::from_le_bytes(file[13..17].try_into().unwrap());
    let iterations = u32::from_le_bytes(file[17..21].try_into().unwrap());
    let lanes = file[21] as u32;
    let params = argon2::Params::new(memory_kib, iterations, lanes, Some(32)).unwrap();
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut kek = [0u8; 32];
    argon.hash_password_into(password.as_bytes(), salt, &mut kek).unwrap();
    let mut slot_aad = file[..23 + salt_len].to_vec();
    slot_aad[8..10].copy_from_slice(&1u16.to_le_bytes());
    slot_aad[10..12].copy_from_slice(&0u16.to_le_bytes());
    let wrap_nonce = &file[23 + salt_len..35 + salt_len];
    let wrapped = &file[35 + salt_len..83 + salt_len];
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(kek));
    let key = cipher
        .decrypt(&Nonce::from(<[u8; 12]>::try_from(wrap_nonce).unwrap()), Payload { msg: wrapped, aad: &slot_aad })
        .expect("the password opens this copy's key slot");
    key.try_into().unwrap()
}

/// Decrypts a file's payload with a vault key, by hand from docs/FORMAT.md.
fn payload_by_hand(file: &[u8], key: &[u8; 32]) -> Option<Vec<u8>> {
    let header_len = u16::from_le_bytes([file[10], file[11]]) as usize;
    let nonce: [u8; 12] = file[header_len - 44..header_len - 32].try_into().unwrap();
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    cipher.decrypt(&Nonce::from(nonce), Payload { msg: &file[header_len..], aad: &file[..header_len] }).ok()
}

#[test]
fn whoever_knew_the_old_password_reads_nothing_written_after_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = team_vault(dir.path(), "old password");
    let (mut file, mut vault) = VaultFile::open(&path, &pw("old password")).unwrap();
    vault.add_entry(NewEntry { title: "before".into(), ..Default::default() }, laptop(1));
    file.save(&mut vault, &SystemClock).unwrap();
    // The attacker kept a copy from before the change (version history, an old backup).
    let pre_change = fs::read(&path).unwrap();
    let old_key = vault_key_by_hand(&pre_change, "old password");
    assert!(payload_by_hand(&pre_change, &old_key).is_some(), "the hand-made reader works on what it may read");

    file.change_password(&mut vault, &pw("new password"), None, laptop(1)).unwrap();
    vault.add_entry(NewEntry { title: "after".into(), notes: "secret plans".into(), ..Default::default() }, laptop(1));
    file.save(&mut vault, &SystemClock).unwrap();

    // The vault file, and every backup beside it, is under a key the old one cannot open.
    let mut files = vec![fs::read(&path).unwrap()];
    for backup in VaultFile::backups(&path).unwrap() {
        files.push(fs::read(&backup.path).unwrap());
    }
    assert!(files.len() >= 3, "the vault and its backups");
    for bytes in &files {
        assert!(payload_by_hand(bytes, &old_key).is_none(), "the old vault key opens nothing");
        assert!(matches!(format::read(bytes, &pw("old password")), Err(ReadError::WrongPassword)));
        assert!(format::read(bytes, &pw("new password")).is_ok(), "backups stay restorable");
    }
}

#[test]
fn a_copy_forged_under_the_retired_key_is_left_alone_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = team_vault(dir.path(), "old password");
    let pre_change = fs::read(&path).unwrap();
    let (mut file, mut vault) = VaultFile::open(&path, &pw("old password")).unwrap();
    file.change_password(&mut vault, &pw("new password"), None, laptop(1)).unwrap();

    // Whoever knew the old password opens the old copy, points the CRM entry at their own
    // page, sets a password of their own on the old key, and drops it into the sync folder.
    let old = format::read(&pre_change, &pw("old password")).unwrap();
    let mut forged = old.vault.clone();
    let crm = forged.live_entries().next().unwrap().id;
    let edit = EntryEdit { notes: Some("phished".into()), ..Default::default() };
    forged.edit_entry(crm, edit, laptop(66)).unwrap();
    forged.note_password_change(laptop(66));
    let slot = format::wrap_key(&pw("attacker"), CHEAP, &old.key).unwrap();
    fs::write(dropbox_copy(dir.path()), format::write(&forged, &old.key, &slot)).unwrap();
    let planted = fs::read(dropbox_copy(dir.path())).unwrap();

    let report = file.merge_conflicted_copies(&mut vault, &SystemClock).unwrap();
    assert!(report.merged.is_empty());
    assert!(matches!(report.left_alone[..], [(_, LeftAlone::Suspicious(Suspicious::RetiredKey))]), "{report:?}");
    assert!(report.left_alone[0].1.to_string().contains("earlier master password"));
    assert_eq!(fs::read(dropbox_copy(dir.path())).unwrap(), planted, "left where it is, unchanged");
    let (_, on_disk) = VaultFile::open(&path, &pw("new password")).unwrap();
    assert_eq!(notes_of(&on_disk, "CRM"), "real");
    assert!(VaultFile::open(&path, &pw("attacker")).is_err());

    // Put in the vault file's own place (as a laptop that had not heard of the change would
    // save it), it is moved aside at the next save, unmerged, and the vault written back.
    fs::write(&path, &planted).unwrap();
    file.save(&mut vault, &SystemClock).unwrap();
    let aside = file.take_set_aside();
    assert!(matches!(aside[..], [vault::store::SetAside { why: Suspicious::RetiredKey, .. }]), "{aside:?}");
    assert_eq!(fs::read(&aside[0].moved_to).unwrap(), planted);
    let (_, on_disk) = VaultFile::open(&path, &pw("new password")).unwrap();
    assert_eq!(notes_of(&on_disk, "CRM"), "real");
}

/// A vault file's contents under the current key, with a key slot of the attacker's choosing.
fn forge_same_key(path: &Path, password: &str, attacker: &str, change: impl FnOnce(&mut Vault)) -> Vec<u8> {
    let opened = format::read(&fs::read(path).unwrap(), &pw(password)).unwrap();
    let mut forged = opened.vault.clone();
    change(&mut forged);
    let slot = format::wrap_key(&pw(attacker), CHEAP, &opened.key).unwrap();
    format::write(&forged, &opened.key, &slot)
}

#[test]
fn a_copy_that_brings_its_own_key_slot_cannot_take_the_vault_over() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = team_vault(dir.path(), "real password");
    // Someone who holds the vault key (a teammate who knew the password, malware that read
    // memory) forges a copy: same key, their own password, a later password change.
    let forged = forge_same_key(&path, "real password", "attacker", |v| v.note_password_change(laptop(66)));
    fs::write(dropbox_copy(dir.path()), &forged).unwrap();

    let report = file.merge_conflicted_copies(&mut vault, &SystemClock).unwrap();
    assert!(matches!(report.left_alone[..], [(_, LeftAlone::Suspicious(Suspicious::ForeignKeySlot))]), "{report:?}");
    vault.add_entry(NewEntry { title: "after".into(), ..Default::default() }, laptop(1));
    file.save(&mut vault, &SystemClock).unwrap();
    assert_eq!(titles(&VaultFile::open(&path, &pw("real password")).unwrap().1), ["after", "CRM"]);
    assert!(matches!(
        VaultFile::open(&path, &pw("attacker")),
        Err(vault::store::OpenError::Read(ReadError::WrongPassword))
    ));

    // Put in the vault file's own place, it is moved aside at the next save and reported;
    // nothing of it is merged and the real password still opens the vault.
    let forged = forge_same_key(&path, "real password", "attacker", |v| {
        let crm = v.live_entries().find(|e| e.title.value == "CRM").unwrap().id;
        v.edit_entry(crm, EntryEdit { notes: Some("phished".into()), ..Default::default() }, laptop(66)).unwrap();
        v.note_password_change(laptop(66));
    });
    fs::write(&path, &forged).unwrap();
    file.save(&mut vault, &SystemClock).unwrap();
    let aside = file.take_set_aside();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(aside[0].why, Suspicious::ForeignKeySlot);
    assert_eq!(fs::read(&aside[0].moved_to).unwrap(), forged, "kept, to merge on purpose if it was real");
    let (_, on_disk) = VaultFile::open(&path, &pw("real password")).unwrap();
    assert_eq!(notes_of(&on_disk, "CRM"), "real");
    assert!(VaultFile::open(&path, &pw("attacker")).is_err());
    // Another laptop's refresh does the same, and puts the vault back in place at once.
    fs::write(&path, &forged).unwrap();
    file.refresh(&mut vault, &SystemClock).unwrap();
    assert_eq!(file.take_set_aside().len(), 1);
    assert!(VaultFile::open(&path, &pw("real password")).is_ok());
}

#[test]
fn a_key_slot_planted_while_every_laptop_was_locked_does_not_lock_the_owner_out() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = team_vault(dir.path(), "real password");
    vault.add_entry(NewEntry { title: "ERP".into(), ..Default::default() }, laptop(1));
    file.save(&mut vault, &SystemClock).unwrap();
    drop(file);
    // No laptop is unlocked to notice: the planted file sits in the vault's place.
    let forged = forge_same_key(&path, "real password", "attacker", |v| v.note_password_change(laptop(66)));
    fs::write(&path, &forged).unwrap();

    // The real password still opens the vault: a backup under the same key says whose the
    // password is, so the planted file is moved aside and the newest backup put back (what the
    // planted file replaced is not known here; the other laptops bring it, and the planted file
    // can still be merged on purpose).
    let (mut file, opened) = VaultFile::open_for_edit(&path, &pw("real password")).unwrap();
    assert_eq!(titles(&opened), ["CRM"]);
    let aside = file.take_set_aside();
    assert!(matches!(aside[..], [vault::store::SetAside { why: Suspicious::ForeignKeySlot, .. }]), "{aside:?}");
    assert_eq!(fs::read(&aside[0].moved_to).unwrap(), forged);
    drop(file);
    assert!(VaultFile::open(&path, &pw("real password")).is_ok());
    assert!(matches!(
        VaultFile::open(&path, &pw("attacker")),
        Err(vault::store::OpenError::Read(ReadError::WrongPassword))
    ));
    // A mistyped password is still just a wrong password, and moves nothing.
    let before = fs::read(&path).unwrap();
    assert!(matches!(
        VaultFile::open(&path, &pw("real passwort")),
        Err(vault::store::OpenError::Read(ReadError::WrongPassword))
    ));
    assert_eq!(fs::read(&path).unwrap(), before);
}

/// A copy of the vault (same key and slot) in which one entry's notes were written at `wall_ms`.
fn copy_written_at(path: &Path, wall_ms: u64, counter: u32) -> Vec<u8> {
    let opened = format::read(&fs::read(path).unwrap(), &pw("pw")).unwrap();
    let mut copy = opened.vault.clone();
    let crm = copy.live_entries().next().unwrap().id;
    let entry = copy.entries.get_mut(&crm).unwrap();
    entry.notes.value = "from the future".into();
    entry.notes.clock = Hlc { wall_ms, counter, device: DeviceId(66) };
    copy.clock = copy.clock.max(entry.notes.clock);
    copy.note_device(Author { device: DeviceId(66), clock: &SystemClock }, "LAPTOP-Z");
    format::write(&copy, &opened.key, &opened.slot)
}

#[test]
fn clocks_ten_years_ahead_or_at_the_end_of_time_are_not_merged() {
    let now = SystemClock.now_ms();
    for (wall_ms, counter) in [(now + 3653 * DAY_MS, 0), (u64::MAX, u32::MAX)] {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file, mut vault) = team_vault(dir.path(), "pw");
        let clock_before = vault.clock;
        fs::write(dropbox_copy(dir.path()), copy_written_at(&path, wall_ms, counter)).unwrap();

        let report = file.merge_conflicted_copies(&mut vault, &SystemClock).unwrap();
        let [(_, LeftAlone::Suspicious(Suspicious::ClockAhead(ahead)))] = &report.left_alone[..] else {
            panic!("{report:?}")
        };
        assert_eq!(ahead.device_name.as_deref(), Some("LAPTOP-Z"));
        assert!(ahead.ahead_ms > 3000 * DAY_MS);
        let said = report.left_alone[0].1.to_string();
        assert!(said.contains("LAPTOP-Z") && said.contains("years ahead"), "{said}");
        assert_eq!(notes_of(&vault, "CRM"), "real");
        assert_eq!(vault.clock, clock_before, "nothing of its clocks came in");

        // The same file in the vault's own place: moved aside at the next save, not merged.
        fs::write(&path, copy_written_at(&path, wall_ms, counter)).unwrap();
        vault.add_entry(NewEntry { title: "ERP".into(), ..Default::default() }, laptop(1));
        file.save(&mut vault, &SystemClock).unwrap();
        assert!(matches!(file.take_set_aside()[..], [vault::store::SetAside { why: Suspicious::ClockAhead(_), .. }]));
        let (_, on_disk) = VaultFile::open(&path, &pw("pw")).unwrap();
        assert_eq!(notes_of(&on_disk, "CRM"), "real");
        assert!(on_disk.clock.wall_ms <= SystemClock.now_ms() + DAY_MS);

        // Merged on purpose, its values come in but its clocks are pulled back to now, so the
        // next edit on this laptop still wins.
        let copy = file.open_copy(&dropbox_copy(dir.path()), None).unwrap();
        assert!(matches!(file.check_copy(&copy, SystemClock.now_ms()), Some(Suspicious::ClockAhead(_))));
        file.merge_copy(&mut vault, &copy, &SystemClock).unwrap();
        assert_eq!(notes_of(&vault, "CRM"), "from the future");
        assert!(vault.clock.wall_ms <= SystemClock.now_ms());
        let crm = vault.live_entries().find(|e| e.title.value == "CRM").unwrap().id;
        vault.edit_entry(crm, EntryEdit { notes: Some("mine".into()), ..Default::default() }, laptop(1)).unwrap();
        assert_eq!(notes_of(&vault, "CRM"), "mine");
    }
}

#[test]
fn a_copy_a_few_hours_ahead_is_still_merged() {
    // Laptops whose clocks drift, or sit in the wrong time zone, keep syncing.
    let dir = tempfile::tempdir().unwrap();
    let (path, mut file, mut vault) = team_vault(dir.path(), "pw");
    let wall_ms = SystemClock.now_ms() + 5 * 3_600_000;
    fs::write(dropbox_copy(dir.path()), copy_written_at(&path, wall_ms, 0)).unwrap();
    let report = file.merge_conflicted_copies(&mut vault, &SystemClock).unwrap();
    assert_eq!(report.merged.len(), 1, "{report:?}");
    assert_eq!(notes_of(&vault, "CRM"), "from the future");
}

#[test]
fn a_save_refused_for_a_password_change_elsewhere_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = team_vault(dir.path(), "pw");
    let (mut a, mut a_vault) = VaultFile::open(&path, &pw("pw")).unwrap();
    let (mut b, mut b_vault) = VaultFile::open(&path, &pw("pw")).unwrap();
    a.change_password(&mut a_vault, &pw("new"), None, laptop(1)).unwrap();
    b_vault.add_entry(NewEntry { title: "offline".into(), ..Default::default() }, laptop(2));
    assert!(matches!(b.save(&mut b_vault, &SystemClock), Err(SaveError::PasswordChangedElsewhere { .. })));
    // B's conflicted copies are not merged either until B has the new password.
    let report = b.merge_conflicted_copies(&mut b_vault, &SystemClock);
    assert!(matches!(report, Err(SaveError::PasswordChangedElsewhere { .. })));
    b.adopt_new_password(&mut b_vault, &pw("new"), &SystemClock).unwrap();
    assert_eq!(titles(&VaultFile::open(&path, &pw("new")).unwrap().1), ["CRM", "offline"]);
    // A random key, or the retired one, learns nothing from the new file but what changed.
    let bytes = fs::read(&path).unwrap();
    assert!(matches!(format::read_with_key(&bytes, &SecretKey::random()), Err(ReadError::WrongKey)));
}
