//! The store on a real file system: saves, backups, restore, password change, refusing to
//! overwrite another writer's save.

use secrecy::SecretString;
use std::fs;
use std::path::Path;
use vault::crypto::KdfParams;
use vault::format;
use vault::store::{BACKUPS_KEPT, SaveError};
use vault::{Author, Clock, DeviceId, NewEntry, SystemClock, Vault, VaultFile};

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
fn a_new_master_password_makes_a_new_vault_key_and_rewrites_the_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let old = SecretString::from("old password");
    let new = SecretString::from("新的 password");
    let (_, _) = new_vault(&path, &old);
    let (mut file, mut vault) = VaultFile::open_for_edit(&path, &old).unwrap();
    vault.add_entry(entry("kept"), me());
    file.save(&mut vault, &SystemClock).unwrap();
    let key_before = format::read(&fs::read(&path).unwrap(), &old).unwrap().key;

    let change = file.change_password(&mut vault, &new, None, me()).unwrap();
    drop(file);
    let bytes = fs::read(&path).unwrap();
    assert!(matches!(format::read(&bytes, &old), Err(format::ReadError::WrongPassword)));
    let opened = format::read(&bytes, &new).unwrap();
    assert_eq!(titles(&opened.vault), ["kept"]);
    assert_ne!(opened.key.expose(), key_before.expose(), "a new vault key");
    // The old key opens nothing, and learns only that the password changed, where and when.
    match format::read_with_key(&bytes, &key_before) {
        Err(format::ReadError::KeyChanged(change)) => {
            assert_eq!((change.vault, change.by.as_str()), (vault.id, "laptop"));
            assert_eq!(change.at_ms, vault.password_changed.wall_ms);
        }
        other => panic!("expected word of the change, got {other:?}"),
    }
    assert!(matches!(
        format::read_with_key(&bytes, &vault::crypto::SecretKey::random()),
        Err(format::ReadError::WrongKey)
    ));
    // Every backup now opens with the new password only, and is still there to restore.
    let backups = VaultFile::backups(&path).unwrap();
    assert_eq!(change.backups_rewritten, backups.len());
    assert!(backups.len() >= 2, "{backups:?}");
    for backup in &backups {
        let bytes = fs::read(&backup.path).unwrap();
        assert!(matches!(format::read(&bytes, &old), Err(format::ReadError::WrongPassword)), "{backup:?}");
        assert!(format::read_with_key(&bytes, &key_before).is_err(), "{backup:?}");
        format::read(&bytes, &new).unwrap();
    }
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

fn edit(f: impl FnOnce(&mut vault::EntryEdit)) -> vault::EntryEdit {
    let mut edit = vault::EntryEdit::default();
    f(&mut edit);
    edit
}

#[test]
fn two_laptops_editing_different_fields_of_one_entry_both_keep_their_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    let id = vault.add_entry(entry("CRM"), me());
    file.save(&mut vault, &SystemClock).unwrap();

    let (mut one, mut one_vault) = VaultFile::open(&path, &pw).unwrap();
    let (mut two, mut two_vault) = VaultFile::open(&path, &pw).unwrap();
    one_vault.edit_entry(id, edit(|e| e.username = Some("li.lei".into())), laptop(1)).unwrap();
    two_vault.edit_entry(id, edit(|e| e.password = Some("new password".into())), laptop(2)).unwrap();
    two_vault.note_device(laptop(2), "LAPTOP-2");
    two.save(&mut two_vault, &SystemClock).unwrap();
    let report = one.save(&mut one_vault, &SystemClock).unwrap();
    assert_eq!(report.lines(), ["1 entry updated from LAPTOP-2"]);

    for vault in [one_vault, VaultFile::open(&path, &pw).unwrap().1] {
        let entry = vault.entry(id).unwrap();
        assert_eq!(entry.username.value, "li.lei");
        assert_eq!(entry.password.value.expose(), "new password");
    }
}

#[test]
fn refresh_takes_in_another_laptops_save_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    let id = vault.add_entry(entry("CRM"), me());
    file.save(&mut vault, &SystemClock).unwrap();
    assert!(file.refresh(&mut vault, &SystemClock).unwrap().unwrap().is_empty(), "nothing new yet");

    let (mut other, mut other_vault) = VaultFile::open(&path, &pw).unwrap();
    other_vault.edit_entry(id, edit(|e| e.notes = Some("from laptop 2".into())), laptop(2)).unwrap();
    other_vault.note_device(laptop(2), "LAPTOP-2");
    other.save(&mut other_vault, &SystemClock).unwrap();
    let on_disk = std::fs::read(&path).unwrap();

    let report = file.refresh(&mut vault, &SystemClock).unwrap().expect("the file is there");
    assert_eq!(report.lines(), ["1 entry updated from LAPTOP-2"]);
    assert_eq!(vault.entry(id).unwrap().notes.value, "from laptop 2");
    assert_eq!(std::fs::read(&path).unwrap(), on_disk, "refresh only reads");
    assert!(
        file.refresh(&mut vault, &SystemClock).unwrap().unwrap().is_empty(),
        "the same version twice is nothing new"
    );

    std::fs::remove_file(&path).unwrap();
    assert!(file.refresh(&mut vault, &SystemClock).unwrap().is_none(), "a missing file is reported, the vault stays");
    assert_eq!(vault.entry(id).unwrap().notes.value, "from laptop 2");
    file.save(&mut vault, &SystemClock).unwrap();
    assert_eq!(VaultFile::open(&path, &pw).unwrap().1.entry(id).unwrap().notes.value, "from laptop 2");
}

#[test]
fn a_laptop_that_missed_a_password_change_asks_for_it_and_keeps_its_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let (old, new) = (SecretString::from("old"), SecretString::from("new"));
    new_vault(&path, &old);
    let (mut one, mut one_vault) = VaultFile::open(&path, &old).unwrap();
    let (mut two, mut two_vault) = VaultFile::open(&path, &old).unwrap();
    two_vault.add_entry(entry("from two"), laptop(2));
    two_vault.note_device(laptop(2), "LAPTOP-A");
    two.change_password(&mut two_vault, &new, None, laptop(2)).unwrap();

    // Laptop one's key is retired: its save is refused with word of the change, the file left
    // as it is, its edit kept in memory.
    one_vault.add_entry(entry("from one"), laptop(1));
    let before = fs::read(&path).unwrap();
    let err = one.save(&mut one_vault, &SystemClock).unwrap_err();
    match &err {
        SaveError::PasswordChangedElsewhere { change, .. } => assert_eq!(change.by, "LAPTOP-A"),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("the master password was changed on LAPTOP-A at "), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(matches!(one.refresh(&mut one_vault, &SystemClock), Err(SaveError::PasswordChangedElsewhere { .. })));

    // The wrong password changes nothing; the new one merges both sides under the new key.
    assert!(one.adopt_new_password(&mut one_vault, &old, &SystemClock).is_err());
    let report = one.adopt_new_password(&mut one_vault, &new, &SystemClock).unwrap();
    assert_eq!(report.added.len(), 1, "{report:?}");
    assert_eq!(titles(&one_vault), ["from one", "from two"]);
    let bytes = fs::read(&path).unwrap();
    assert!(matches!(format::read(&bytes, &old), Err(format::ReadError::WrongPassword)));
    assert_eq!(titles(&format::read(&bytes, &new).unwrap().vault), ["from one", "from two"]);
    // Both laptops go on saving under the new key.
    one_vault.add_entry(entry("again"), laptop(1));
    one.save(&mut one_vault, &SystemClock).unwrap();
    two.save(&mut two_vault, &SystemClock).unwrap();
    assert_eq!(titles(&VaultFile::open(&path, &new).unwrap().1), ["again", "from one", "from two"]);
}

#[test]
fn a_different_vault_synced_over_the_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    // Another vault, with the same password even, lands on the same path.
    let other_path = dir.path().join("other.crmvault");
    new_vault(&other_path, &pw);
    fs::copy(&other_path, &path).unwrap();
    let before = fs::read(&path).unwrap();

    vault.add_entry(entry("mine"), me());
    let err = file.save(&mut vault, &SystemClock).unwrap_err();
    assert!(matches!(err, SaveError::OtherVaultOnDisk(_)), "{err:?}");
    assert!(err.to_string().contains("different vault"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the file on disk is untouched");
    // So is a damaged one.
    fs::write(&path, b"CRMVAULT garbage").unwrap();
    assert!(matches!(file.save(&mut vault, &SystemClock), Err(SaveError::UnreadableOnDisk { .. })));
    assert_eq!(fs::read(&path).unwrap(), b"CRMVAULT garbage");
}

#[test]
fn a_copy_is_merged_in_without_being_changed_and_another_vault_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.crmvault");
    let pw = SecretString::from("pw");
    let (mut file, mut vault) = new_vault(&path, &pw);
    let copy_path = dir.path().join("copy.crmvault");
    fs::copy(&path, &copy_path).unwrap();
    let (mut copy_file, mut copy_vault) = VaultFile::open(&copy_path, &pw).unwrap();
    copy_vault.add_entry(entry("on the stick"), laptop(2));
    copy_file.change_password(&mut copy_vault, &SecretString::from("stick"), None, laptop(2)).unwrap();
    let copy_bytes = fs::read(&copy_path).unwrap();

    // Under its own new key it needs its own password; merged on purpose, its entries come in
    // and the vault keeps its own master password.
    let err = file.open_copy(&copy_path, None).unwrap_err();
    assert!(matches!(err, vault::store::OpenError::Read(format::ReadError::WrongKey)), "{err:?}");
    let copy = file.open_copy(&copy_path, Some(&SecretString::from("stick"))).unwrap();
    assert_eq!(file.check_copy(&copy, SystemClock.now_ms()), Some(vault::store::Suspicious::OtherKey));
    assert_eq!(file.preview_merge(&vault, &copy, SystemClock.now_ms()).unwrap().added.len(), 1);
    assert_eq!(titles(&vault), Vec::<String>::new(), "a preview changes nothing");
    let report = file.merge_copy(&mut vault, &copy, &SystemClock).unwrap();
    assert_eq!(report.added.len(), 1);
    assert_eq!(fs::read(&copy_path).unwrap(), copy_bytes, "the copy is only read");
    assert_eq!(titles(&VaultFile::open(&path, &pw).unwrap().1), ["on the stick"]);

    let other_path = dir.path().join("other.crmvault");
    new_vault(&other_path, &SecretString::from("other"));
    let err = file.open_copy(&other_path, None).unwrap_err();
    assert!(matches!(err, vault::store::OpenError::Read(format::ReadError::WrongKey)), "{err:?}");
    let other = file.open_copy(&other_path, Some(&SecretString::from("other"))).unwrap();
    let before = fs::read(&path).unwrap();
    assert!(matches!(file.merge_copy(&mut vault, &other, &SystemClock), Err(SaveError::Merge(_))));
    assert_eq!(fs::read(&path).unwrap(), before);
}
