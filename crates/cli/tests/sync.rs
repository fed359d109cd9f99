//! Two laptops, one vault: `crm-vault sync` merges the conflicted copies each sync service
//! leaves beside the vault and moves them aside; `crm-vault merge` merges any copy, and refuses
//! another vault. Each laptop is its own config folder, so its own device identity.

mod common;

use assert_cmd::Command;
use common::{CONFIG_ENV, LAPTOP_B_MASTER, Run, Sandbox, master, master_and, run_of};
use std::path::{Path, PathBuf};

/// The second laptop: its own config folder and computer name.
struct LaptopB {
    config: PathBuf,
}

impl LaptopB {
    fn new(sb: &Sandbox) -> LaptopB {
        let config = sb.path("config-b");
        std::fs::create_dir_all(&config).unwrap();
        LaptopB { config }
    }

    fn run(&self, sb: &Sandbox, args: &[&str], stdin: &str) -> Run {
        let output = Command::cargo_bin("crm-vault")
            .unwrap()
            .env(CONFIG_ENV, &self.config)
            .env("COMPUTERNAME", "LAPTOP-B")
            .current_dir(sb.dir.path())
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        run_of(args.iter().map(|a| a.to_string()).collect(), &output)
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A vault with "CRM" in it, and a copy of it at `name` edited on laptop B (a new note on
/// "CRM", a new entry), while laptop A changes the username of "CRM" in the vault itself.
fn diverged(name: &str) -> (Sandbox, PathBuf) {
    let sb = Sandbox::with_vault();
    sb.add("CRM", &["--username", "first"], "pw");
    let copy = sb.path(name);
    std::fs::copy(&sb.vault, &copy).unwrap();
    let b = LaptopB::new(&sb);
    b.run(&sb, &["edit", path_str(&copy), "CRM", "--notes", "from B"], &master()).success();
    b.run(&sb, &["add", path_str(&copy), "--title", "Partner portal"], &master_and("pp")).success();
    sb.on_vault("edit", &["CRM", "--username", "from A"], &master()).success();
    (sb, copy)
}

fn assert_both_edits_are_in(sb: &Sandbox) {
    assert_eq!(sb.titles(), ["CRM", "Partner portal"]);
    assert_eq!(sb.field("CRM", "username"), "from A");
    assert_eq!(sb.field("CRM", "notes"), "from B");
}

#[test]
fn sync_merges_each_services_conflicted_copy_and_moves_it_aside() {
    for name in [
        "work (LAPTOP-B's conflicted copy 2026-11-21).crmvault",
        "work (LAPTOP-B's conflicted copy 2026-11-21) (1).crmvault",
        "work.sync-conflict-20261121-101010-ABCDEF7.crmvault",
        "work-LAPTOPB.crmvault",
        "work-LAPTOPB-2.crmvault",
        "work (conflicted copy 2026-11-21 101010).crmvault",
        "work_conflict-20261121-101010.crmvault",
    ] {
        let (sb, copy) = diverged(name);
        let run = sb.on_vault("sync", &[], &master()).success();
        let run = run.stdout_has("Merged").stdout_has("from LAPTOP-B");
        assert!(!copy.exists(), "{name} is moved aside\n{run}");
        let moved: Vec<String> = std::fs::read_dir(sb.backups_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("merged-"))
            .collect();
        assert!(moved.len() == 1 && moved[0].ends_with(name), "{name}: {moved:?}");
        assert_both_edits_are_in(&sb);
        // Running it again finds nothing more to do.
        sb.on_vault("sync", &[], &master()).success().stdout_has("No conflicted copies");
    }
}

#[test]
fn sync_leaves_another_vault_with_a_copy_like_name_alone() {
    let sb = Sandbox::with_vault();
    let other = sb.path("work-old.crmvault");
    sb.init_at(&other, "another password").success();
    let before = std::fs::read(&other).unwrap();
    let backups = sb.backup_lines().len();
    sb.on_vault("sync", &[], &master()).success().stdout_has("Left alone").stdout_has("different vault");
    assert_eq!(std::fs::read(&other).unwrap(), before);
    // Only the unlock is recorded in the vault, without a backup.
    assert_eq!(sb.backup_lines().len(), backups, "nothing new: no backup taken");
}

#[test]
fn merge_of_a_copy_under_another_password_takes_its_entries_never_its_password() {
    let (sb, copy) = diverged("from-laptop-b.crmvault");
    let b = LaptopB::new(&sb);
    b.run(&sb, &["passwd", path_str(&copy)], &master_and("B's new password")).success();
    let copy_before = std::fs::read(&copy).unwrap();
    // A password change makes a new vault key: the copy needs its own password (line 2).
    sb.on_vault("merge", &[path_str(&copy)], &master()).failure(1).stderr_has("line 2");
    let run = sb.on_vault("merge", &[path_str(&copy)], &master_and("B's new password")).success();
    run.stdout_has("from LAPTOP-B").stderr_has("another master password");
    assert_eq!(std::fs::read(&copy).unwrap(), copy_before, "the other file is not changed");
    // Merged on purpose, it brings entries, never its key slot: the vault keeps its password.
    sb.on_vault("ls", &[], "B's new password\n").failure(3);
    let titles = sb.on_vault("ls", &["--json"], &master()).success().json();
    assert_eq!(titles.as_array().unwrap().len(), 2);
}

#[test]
fn merge_keeps_this_laptops_password_when_it_changed_later() {
    let (sb, copy) = diverged("from-laptop-b.crmvault");
    let b = LaptopB::new(&sb);
    b.run(&sb, &["passwd", path_str(&copy)], &master_and(LAPTOP_B_MASTER)).success();
    sb.on_vault("passwd", &[], &master_and("A's later password")).success();
    sb.on_vault("merge", &[path_str(&copy)], &format!("A's later password\n{LAPTOP_B_MASTER}\n")).success();
    sb.on_vault("ls", &[], &format!("{LAPTOP_B_MASTER}\n")).failure(3);
    let run = sb.on_vault("show", &["CRM", "--field", "notes"], "A's later password\n").success();
    assert_eq!(run.stdout, "from B\n");
}

#[test]
fn merge_refuses_another_vault_and_leaves_the_vault_file_unchanged() {
    let sb = Sandbox::with_vault();
    sb.add("CRM", &[], "pw");
    let other = sb.path("other.crmvault");
    sb.init_at(&other, "other password").success();
    let before = sb.vault_bytes();
    // With its password: opened, and found to be another vault.
    sb.on_vault("merge", &[path_str(&other)], &master_and("other password"))
        .failure(1)
        .stderr_has("two different vaults");
    // Without: it does not open with this vault's key, which says as much.
    sb.on_vault("merge", &[path_str(&other)], &master()).failure(1).stderr_has("not a copy of this vault");
    // A wrong password for it is that file's wrong password (exit 3).
    sb.on_vault("merge", &[path_str(&other)], &master_and("nope")).failure(3).stderr_has("other.crmvault");
    assert_eq!(sb.vault_bytes(), before);
    assert_eq!(sb.titles(), ["CRM"]);
}

#[test]
fn merging_the_same_copy_twice_changes_nothing_the_second_time() {
    let (sb, copy) = diverged("copy.crmvault");
    sb.on_vault("merge", &[path_str(&copy)], &master()).success().stdout_has("1 entry added from LAPTOP-B");
    let (listing, backups) = (sb.ls_json(), sb.backup_lines().len());
    sb.on_vault("merge", &[path_str(&copy)], &master()).success().stdout_has("Nothing new");
    // Only the unlock and the merge are recorded, in a save that takes no backup.
    assert_eq!((sb.ls_json(), sb.backup_lines().len()), (listing, backups));
    assert_both_edits_are_in(&sb);
}

#[test]
fn a_copy_saved_under_the_old_master_password_is_held_back_then_merged_on_purpose() {
    // Laptop B edits its copy before it hears that A changed the master password; the sync
    // service keeps B's save as a conflicted copy.
    let (sb, copy) = diverged("work (Bob's conflicted copy 2026-11-21).crmvault");
    sb.on_vault("passwd", &[], &master_and("the new password")).success();
    let copy_before = std::fs::read(&copy).unwrap();
    let new = "the new password\n";
    let run = sb.on_vault("sync", &[], new).success();
    run.stdout_has("Left alone").stdout_has("earlier master password").stdout_has("crm-vault merge");
    assert_eq!(std::fs::read(&copy).unwrap(), copy_before, "left where it is, unchanged");
    assert_eq!(sb.field_with("CRM", "notes", new), "");
    // Merged on purpose with the old password on line 2: B's edits come in, the new password stays.
    let both = format!("the new password\n{}", master());
    sb.on_vault("merge", &[path_str(&copy)], &both)
        .success()
        .stderr_has("earlier master password")
        .stdout_has("from LAPTOP-B");
    assert_eq!(sb.field_with("CRM", "notes", new), "from B");
    sb.on_vault("ls", &[], &master()).failure(3);
}

#[test]
fn a_master_password_planted_on_the_vault_file_does_not_lock_the_owner_out() {
    let sb = Sandbox::with_vault();
    sb.add("CRM", &[], "pw");
    sb.add("ERP", &[], "pw");
    // Someone holding the vault key puts their own master password on the file, in its place.
    let bytes = sb.vault_bytes();
    let opened = vault::format::read(&bytes, &secrecy::SecretString::from(common::MASTER)).unwrap();
    let slot = vault::format::wrap_key(
        &secrecy::SecretString::from("attacker"),
        vault::KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 },
        &opened.key,
    )
    .unwrap();
    std::fs::write(&sb.vault, vault::format::write(&opened.vault, &opened.key, &slot)).unwrap();

    let run = sb.on_vault("ls", &[], &master()).success();
    run.stderr_has("was not merged").stderr_has("never set").stderr_has("set-aside-");
    sb.on_vault("ls", &[], "attacker\n").failure(3);
    assert_eq!(sb.titles(), ["CRM"], "the vault as its newest backup has it");
}
