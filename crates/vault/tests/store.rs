//! The store on a real file system: saves, backups, restore, password change, refusing to
//! overwrite another writer's save.

use secrecy::SecretString;
use std::fs;
use std::path::Path;
use vault::crypto::KdfParams;
use vault::format;
use vault::store::{BACKUPS_KEPT, SaveError};
use vault::{Author, DeviceId, NewEntry, SystemClock, Vault, VaultFile};

const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

fn me() -> Author<'static> {
    laptop(1)
}

/// Another laptop: its own device id in every clock.
fn laptop(n: u64) -> Author<'static> {
    Author { device: DeviceId(n), clock: &SystemClock }
}

fn entry(title: &str) -> NewEntry {
    NewEntry { title: title.into(), password: "pw".into(), ..Default::default() }
}

fn titles(vault: &Vault) -> Vec<String> {
    vault.sorted_entries().iter().map(|e| e.title.value.clone()).collect()
}

fn new_vault(path: &Path, password: &SecretString) -> (VaultFile, Vault) {
    let vault = Vault::new("t", me(), "laptop");
    let file = VaultFile::create(path, password, CHEAP, &vault).unwrap();
    (file, vault)
}

#[test]
fn a_save_merges_what_someone_else_saved_meanwhile_instead_of_overwriting_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    new_vault(&path, &pw);
    let (mut mine, mut my_vault) = VaultFile::open(&path, &pw).unwrap();
    let (mut theirs, mut their_vault) = VaultFile::open(&path, &pw).unwrap();
    their_vault.add_entry(entry("theirs"), laptop(2));
    assert!(theirs.save(&mut their_vault, &SystemClock).unwrap().is_empty());

    my_vault.add_entry(entry("mine"), me());
    let report = mine.save(&mut my_vault, &SystemClock).unwrap();
    assert_eq!(report.added.len(), 1, "{report:?}");
    assert_eq!(titles(&my_vault), ["mine", "theirs"], "the vault in memory has both");
    assert_eq!(titles(&VaultFile::open(&path, &pw).unwrap().1), ["mine", "theirs"]);
    // The other save is kept as a backup too.
    assert_eq!(titles(&VaultFile::open(&VaultFile::backups(&path).unwrap()[0].path, &pw).unwrap().1), ["theirs"]);
}

#[test]
fn saves_keep_the_last_ten_versions_and_any_can_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    for i in 0..12 {
        vault.add_entry(entry(&format!("e{i:02}")), me());
        file.save(&mut vault, &SystemClock).unwrap();
    }
    let backups = VaultFile::backups(&path).unwrap();
    assert_eq!(backups.len(), BACKUPS_KEPT);
    assert!(backups.windows(2).all(|w| w[0].taken_ms >= w[1].taken_ms), "newest first");
    // The newest backup is the state before the last save: 11 entries.
    let newest = VaultFile::open(&backups[0].path, &pw).unwrap().1;
    assert_eq!(newest.live_entries().count(), 11);

    assert!(VaultFile::restore(&path, &backups[0].path, &SecretString::from("wrong"), &SystemClock).is_err());
    assert_eq!(VaultFile::open(&path, &pw).unwrap().1.live_entries().count(), 12, "a failed restore changes nothing");

    let restored = VaultFile::restore(&path, &backups[0].path, &pw, &SystemClock).unwrap();
    assert_eq!(restored.live_entries().count(), 11);
    assert_eq!(VaultFile::open(&path, &pw).unwrap().1.live_entries().count(), 11);
    // The file that was replaced is itself a backup now, so the restore can be undone.
    let after = VaultFile::backups(&path).unwrap();
    assert_eq!(VaultFile::open(&after[0].path, &pw).unwrap().1.live_entries().count(), 12);
}

#[test]
fn a_new_master_password_rewraps_the_same_vault_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let old = SecretString::from("old password");
    let new = SecretString::from("新的 password");
    let (_, _) = new_vault(&path, &old);
    let (mut file, mut vault) = VaultFile::open_for_edit(&path, &old).unwrap();
    vault.add_entry(entry("kept"), me());
    let key_before = format::read(&fs::read(&path).unwrap(), &old).unwrap().key;

    file.change_password(&mut vault, &new, None, me()).unwrap();
    drop(file);
    let bytes = fs::read(&path).unwrap();
    assert!(matches!(format::read(&bytes, &old), Err(format::ReadError::WrongPassword)));
    let opened = format::read(&bytes, &new).unwrap();
    assert_eq!(titles(&opened.vault), ["kept"]);
    assert_eq!(opened.key.expose(), key_before.expose());
    // A laptop that still holds the vault key reads the new file without the new password.
    assert_eq!(titles(&format::read_with_key(&bytes, &key_before).unwrap().vault), ["kept"]);
    assert!(matches!(
        format::read_with_key(&bytes, &vault::crypto::SecretKey::random()),
        Err(format::ReadError::WrongKey)
    ));
}

#[test]
fn create_refuses_to_replace_a_file_and_refuses_weak_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    fs::write(&path, b"something precious").unwrap();
    let vault = Vault::new("t", me(), "laptop");
    assert!(matches!(
        VaultFile::create(&path, &SecretString::from("pw"), CHEAP, &vault),
        Err(SaveError::AlreadyExists(_))
    ));
    assert_eq!(fs::read(&path).unwrap(), b"something precious");
    let weak = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
    assert!(matches!(
        VaultFile::create(&dir.path().join("w.crmvault"), &SecretString::from("pw"), weak, &vault),
        Err(SaveError::Kdf(_))
    ));
    assert!(!dir.path().join("w.crmvault").exists());
}

#[test]
fn leftovers_of_an_interrupted_save_are_cleaned_and_the_vault_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    drop(file.save(&mut vault, &SystemClock));
    let stale = dir.path().join(".v.crmvault.tmp-0123456789abcdef");
    fs::write(&stale, b"half a vault").unwrap();
    vault.add_entry(entry("x"), me());
    file.save(&mut vault, &SystemClock).unwrap();
    assert!(!stale.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn opening_a_missing_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = VaultFile::open(&dir.path().join("nope.crmvault"), &SecretString::from("pw")).unwrap_err();
    assert!(matches!(err, vault::store::OpenError::NotFound(_)), "{err:?}");
}
