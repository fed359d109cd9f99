//! The vault file as the CLI meets it: wrong password (3), damaged, truncated, foreign or newer
//! files (4), and the rotating backups with `backups` and `restore`.

mod common;

use common::{NEW_MASTER, Run, Sandbox, master, master_and};
use std::path::Path;

/// Every command that unlocks the vault, with what it needs besides the password.
fn unlocking_commands(sb: &Sandbox) -> Vec<(&'static str, Vec<String>, String)> {
    let csv = sb.path("in.csv");
    std::fs::write(&csv, "name,url,username,password,note\nX,,u,p,\n").unwrap();
    let backup = sb.path("copy.crmvault");
    std::fs::copy(&sb.vault, &backup).unwrap();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        ("ls", s(&[]), String::new()),
        ("ls", s(&["--json"]), String::new()),
        ("search", s(&["mail"]), String::new()),
        ("show", s(&["Mail"]), String::new()),
        ("show", s(&["Mail", "--field", "password"]), String::new()),
        ("add", s(&["--title", "New"]), "pw\n".into()),
        ("edit", s(&["Mail", "--notes", "n"]), String::new()),
        ("rm", s(&["Mail"]), String::new()),
        ("passwd", s(&[]), format!("{NEW_MASTER}\n")),
        ("import", vec![csv.to_str().unwrap().to_owned()], String::new()),
        ("restore", vec![backup.to_str().unwrap().to_owned()], String::new()),
    ]
}

fn run_each(sb: &Sandbox, password: &str, mut check: impl FnMut(&str, Run)) {
    for (command, rest, more_stdin) in unlocking_commands(sb) {
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        check(command, sb.on_vault(command, &rest, &format!("{password}\n{more_stdin}")));
    }
}

#[test]
fn a_wrong_master_password_is_exit_3_for_every_command_and_changes_nothing() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let before = sb.vault_bytes();
    run_each(&sb, "not the master password", |command, run| {
        let run = run.failure(3);
        assert!(run.stderr.contains("master password is wrong"), "{command}\n{run}");
        assert!(!run.stderr.contains("damaged"), "a wrong password is not damage\n{run}");
    });
    assert_eq!(sb.vault_bytes(), before);
}

fn flip(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

/// Where the header ends (the encrypted payload starts): bytes 10..12 hold its length.
fn header_len(bytes: &[u8]) -> usize {
    u16::from_le_bytes([bytes[10], bytes[11]]) as usize
}

#[test]
fn a_flipped_byte_in_the_payload_is_reported_as_damage_by_every_command() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &["--notes", "some notes to have a payload"], "mail-pw");
    let good = sb.vault_bytes();
    let header = header_len(&good);
    flip(&sb.vault, header + (good.len() - header) / 2);
    let damaged = sb.vault_bytes();
    run_each(&sb, common::MASTER, |command, run| {
        let run = run.failure(4);
        assert!(run.stderr.contains("damaged"), "{command}\n{run}");
        assert!(!run.stderr.contains("password is wrong"), "damage is not a wrong password\n{run}");
        assert!(run.stderr.contains("crm-vault backups"), "the message says what to do next\n{run}");
    });
    assert_eq!(sb.vault_bytes(), damaged, "no command may write over a damaged vault");
}

#[test]
fn every_flipped_header_byte_and_a_sample_of_payload_bytes_are_refused_as_a_bad_file() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &["--username", "li"], "mail-pw");
    let good = sb.vault_bytes();
    let header = header_len(&good);
    let payload_sample = (header..good.len()).step_by(((good.len() - header) / 6).max(1)).chain([good.len() - 1]);
    for at in (0..header).chain(payload_sample) {
        std::fs::write(&sb.vault, &good).unwrap();
        flip(&sb.vault, at);
        let run = sb.on_vault("ls", &[], &master());
        assert_eq!(run.code, 4, "byte {at} of {} flipped (header is {header} bytes)\n{run}", good.len());
        run.failure(4);
    }
}

#[test]
fn a_truncated_file_is_reported_as_damaged() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let good = sb.vault_bytes();
    let header = header_len(&good);
    for len in [10, 12, 40, header - 1, header, header + 5, good.len() - 1] {
        std::fs::write(&sb.vault, &good[..len]).unwrap();
        let run = sb.on_vault("ls", &[], &master()).failure(4);
        assert!(run.stderr.contains("damaged"), "cut to {len} bytes\n{run}");
    }
    // A file cut inside the magic is no longer recognisable as a vault at all; still exit 4.
    std::fs::write(&sb.vault, &good[..4]).unwrap();
    sb.on_vault("ls", &[], &master()).failure(4);
    std::fs::write(&sb.vault, b"").unwrap();
    sb.on_vault("ls", &[], &master()).failure(4);
}

#[test]
fn a_file_that_is_not_a_vault_is_exit_4_with_a_clear_message() {
    let sb = Sandbox::new();
    std::fs::write(&sb.vault, "Salesforce: li / hunter2\nMail: li / hunter3\n").unwrap();
    sb.on_vault("ls", &[], &master()).failure(4).stderr_has("not a CRM Vault file");
    sb.on_vault("add", &["--title", "X"], &master_and("pw")).failure(4).stderr_has("not a CRM Vault file");
    assert_eq!(std::fs::read_to_string(&sb.vault).unwrap(), "Salesforce: li / hunter2\nMail: li / hunter3\n");
}

#[test]
fn a_newer_format_version_is_exit_4_and_says_to_update() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let mut bytes = sb.vault_bytes();
    assert_eq!(&bytes[..8], b"CRMVAULT");
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 5, "this test knows format version 5");
    bytes[8..10].copy_from_slice(&6u16.to_le_bytes());
    std::fs::write(&sb.vault, &bytes).unwrap();
    let run = sb.on_vault("ls", &[], &master()).failure(4);
    assert!(run.stderr.contains("version 6"), "{run}");
    assert!(run.stderr.contains("newer"), "{run}");
    sb.on_vault("add", &["--title", "X"], &master_and("pw")).failure(4).stderr_has("newer");
    assert_eq!(sb.vault_bytes(), bytes, "a newer file is never overwritten");
}

// ---------------------------------------------------------------- backups and restore

/// The backup files as `crm-vault backups` lists them, newest first.
fn backup_paths(sb: &Sandbox) -> Vec<String> {
    sb.backup_lines()
        .iter()
        .map(|line| {
            let (time, path) =
                line.split_once('\t').unwrap_or_else(|| panic!("a backup line is TIME<tab>PATH: {line:?}"));
            assert!(time.contains('T') && time.ends_with('Z'), "{line:?}");
            assert!(Path::new(path).is_file(), "listed backup exists: {line:?}");
            path.to_owned()
        })
        .collect()
}

#[test]
fn each_save_keeps_a_backup_up_to_ten() {
    let sb = Sandbox::with_vault();
    let run = sb.on_vault("backups", &[], "").success();
    assert!(run.stdout.is_empty() && run.stderr.contains("No backups"), "{run}");
    for n in 1..=12 {
        sb.add(&format!("Entry {n:02}"), &[], "pw");
        if [1, 3, 10, 11, 12].contains(&n) {
            let paths = backup_paths(&sb);
            assert_eq!(paths.len(), n.min(10), "after {n} saves\n{paths:#?}");
            let on_disk = std::fs::read_dir(sb.backups_dir()).unwrap().count();
            assert_eq!(on_disk, n.min(10), "files in {}", sb.backups_dir().display());
        }
    }
    // Newest first: the newest backup is the vault as it was before the last save.
    let newest = backup_paths(&sb)[0].clone();
    let copy = sb.path("newest.crmvault");
    std::fs::copy(&newest, &copy).unwrap();
    let listed = sb.run(&["ls", copy.to_str().unwrap(), "--json"], &master()).success().json();
    assert_eq!(listed.as_array().unwrap().len(), 11);
}

#[test]
fn restore_brings_back_an_earlier_state_and_can_be_undone() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    sb.add("CRM", &[], "crm-pw");
    sb.on_vault("edit", &["Mail", "--password-stdin"], &master_and("mail-pw-2")).success();
    let latest = sb.on_vault("ls", &["--json"], &master()).success().stdout;
    let backups = backup_paths(&sb);
    assert_eq!(backups.len(), 3);

    // backups[1] is the vault before "CRM" was added.
    let run = sb.on_vault("restore", &[&backups[1]], &master()).success();
    assert!(run.stderr.contains("Restored") && run.stderr.contains("1 entries"), "{run}");
    assert_eq!(sb.titles(), ["Mail"]);
    assert_eq!(sb.field("Mail", "password"), "mail-pw");

    // The replaced file became the newest backup: restoring it undoes the restore.
    let after = backup_paths(&sb);
    assert_eq!(after.len(), 4);
    sb.on_vault("restore", &[&after[0]], &master()).success();
    assert_eq!(sb.on_vault("ls", &["--json"], &master()).success().stdout, latest);
    // And the restored vault can be written to again.
    sb.add("ERP", &[], "erp-pw");
    assert_eq!(sb.titles(), ["CRM", "ERP", "Mail"]);
}

#[test]
fn restore_with_a_wrong_password_or_a_bad_backup_changes_nothing() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    sb.add("CRM", &[], "crm-pw");
    let before = sb.vault_bytes();
    let backups = backup_paths(&sb);
    sb.on_vault("restore", &[&backups[0]], "wrong password\n").failure(3);
    assert_eq!(sb.vault_bytes(), before);

    let junk = sb.path("junk.crmvault");
    std::fs::write(&junk, "not a vault").unwrap();
    sb.on_vault("restore", &[junk.to_str().unwrap()], &master()).failure(4);
    sb.on_vault("restore", &[sb.path("missing.crmvault").to_str().unwrap()], &master()).failure(1);
    assert_eq!(sb.vault_bytes(), before);
    assert_eq!(backup_paths(&sb), backups, "a refused restore keeps no extra backup");
    assert_eq!(sb.titles(), ["CRM", "Mail"]);
}

// ---------------------------------------------------------------- hostile headers

/// Rewrites header fields and recomputes the header checksum (SHA-256 over the header before
/// it), as a hostile or buggy writer would. Uses the system's `sha256sum`; `None` without it.
fn with_valid_checksum(mut bytes: Vec<u8>, edit: impl FnOnce(&mut [u8])) -> Option<Vec<u8>> {
    let header = header_len(&bytes);
    edit(&mut bytes);
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(&mut child.stdin.take()?, &bytes[..header - 32]).ok()?;
    let out = child.wait_with_output().ok()?;
    let hex = String::from_utf8(out.stdout).ok()?;
    for i in 0..32 {
        bytes[header - 32 + i] = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(bytes)
}

#[test]
fn hostile_key_derivation_settings_are_refused_at_once() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let good = sb.vault_bytes();
    // Sanity: recomputing the checksum of an unchanged header gives the same file.
    let Some(same) = with_valid_checksum(good.clone(), |_| {}) else {
        println!("skipped hostile_key_derivation_settings: sha256sum is not available");
        return;
    };
    assert_eq!(same, good, "this test knows the header layout");

    // Memory is at bytes 13..17 (KiB), iterations 17..21, lanes at 21; the KDF id at 12.
    type Edit = fn(&mut [u8]);
    let cases: [(&str, Edit, &str); 5] = [
        ("4 TiB of memory", |b| b[13..17].copy_from_slice(&u32::MAX.to_le_bytes()), "19 to 4096 MiB"),
        ("1 MiB of memory", |b| b[13..17].copy_from_slice(&1024u32.to_le_bytes()), "19 to 4096 MiB"),
        ("a billion passes", |b| b[17..21].copy_from_slice(&1_000_000_000u32.to_le_bytes()), "2 to 100"),
        ("255 lanes", |b| b[21] = 255, "1 to 16"),
        ("an unknown KDF", |b| b[12] = 7, "unknown key-derivation method"),
    ];
    for (what, edit, message) in cases {
        let bytes = with_valid_checksum(good.clone(), edit).unwrap();
        std::fs::write(&sb.vault, &bytes).unwrap();
        let started = std::time::Instant::now();
        let run = sb.on_vault("ls", &[], &master()).failure(4);
        assert!(run.stderr.contains(message), "{what}\n{run}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{what}: refused only after {:?}",
            started.elapsed()
        );
    }
}
