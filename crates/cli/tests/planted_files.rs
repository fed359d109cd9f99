//! Files planted in the sync folder by someone who can write there, met by the real binary: a
//! conflicted copy or a vault file of 3 GiB, symbolic links where the vault keeps its lock file
//! and backups, settings out of range. Each test performs the attack and checks that it fails.

mod common;

use common::{CONFIG_ENV, MASTER, Run, Sandbox, binary, master, master_and, run_of};
use secrecy::SecretString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const THREE_GIB: u64 = 3 * 1024 * 1024 * 1024;

/// The address space the CLI is allowed in these runs, in KiB (`ulimit -v`): far less than the
/// 3 GiB it would need to read the planted file, a little more than a normal run uses.
const ADDRESS_SPACE_KIB: u32 = 400_000;

/// A file of `len` bytes that takes no disk space, as it costs an attacker nothing.
fn sparse(path: &Path, len: u64) {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

/// Runs `crm-vault ARGS` under an address-space limit, so that any attempt to read a planted
/// file whole fails the run; returns it with how long it took.
fn run_limited(sb: &Sandbox, args: &[&str], stdin: &str) -> (Run, Duration) {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(binary())
        .args(args)
        .env(CONFIG_ENV, &sb.config)
        .current_dir(sb.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run crm-vault under sh");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    (run_of(args.iter().map(|a| a.to_string()).collect(), &output), start.elapsed())
}

#[test]
fn a_3_gib_conflicted_copy_is_refused_quickly_in_little_memory_and_the_vault_is_intact() {
    let sb = Sandbox::with_vault();
    sb.add("CRM", &[], "pw-1");
    let backups = sb.backup_lines().len();
    let copy = sb.path("work (Bob's conflicted copy 2026-11-21).crmvault");
    sparse(&copy, THREE_GIB);

    let (run, took) = run_limited(&sb, &["sync", sb.vault_str()], &master());
    let run = run.success().stdout_has("Left alone").stdout_has("Bob's conflicted copy");
    run.stdout_has("it is 3 GiB, more than a vault file can be (at most 512 MiB); it was not read");
    assert!(took < Duration::from_secs(10), "refused before reading, yet took {took:?}");
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), THREE_GIB, "left where it is");
    // Only the unlock is recorded in the vault, without a backup.
    assert_eq!(sb.backup_lines().len(), backups, "nothing merged, no backup taken");
    assert_eq!(sb.titles(), ["CRM"]);
}

#[test]
fn a_3_gib_vault_file_is_refused_on_open_with_a_clear_message() {
    let sb = Sandbox::with_vault();
    let copy = sb.path("from-usb.crmvault");
    sparse(&copy, THREE_GIB);
    let (run, took) = run_limited(&sb, &["merge", sb.vault_str(), copy.to_str().unwrap()], &master());
    run.failure(4).stderr_has("from-usb.crmvault is 3 GiB, more than a vault file can be (at most 512 MiB)");
    assert!(took < Duration::from_secs(10), "took {took:?}");

    sparse(&sb.vault, THREE_GIB);
    let (run, took) = run_limited(&sb, &["ls", sb.vault_str()], &master());
    let run = run.failure(4).stderr_has("work.crmvault is 3 GiB, more than a vault file can be (at most 512 MiB)");
    run.stderr_has("it was not read").stderr_has("move it away");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[cfg(unix)]
#[test]
fn links_planted_as_the_lock_file_or_the_backups_folder_are_refused_and_nothing_is_written_outside() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::with_vault();
    sb.add("CRM", &[], "pw-1");
    let outside = sb.path("outside");
    std::fs::create_dir(&outside).unwrap();
    let before = sb.vault_bytes();

    // The backups folder as a link to a folder elsewhere.
    std::fs::remove_dir_all(sb.backups_dir()).unwrap();
    symlink(&outside, sb.backups_dir()).unwrap();
    sb.on_vault("add", &["--title", "ERP"], &master_and("pw-2"))
        .failure(1)
        .stderr_has("work.backups is a symbolic link")
        .stderr_has("remove it");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing was written outside");
    assert_eq!(sb.vault_bytes(), before, "nothing was saved");
    std::fs::remove_file(sb.backups_dir()).unwrap();

    // The lock file as a link to a file that does not exist yet: following it would create it.
    let lock = sb.path(".work.crmvault.lock");
    let _ = std::fs::remove_file(&lock);
    let planted = outside.join("planted");
    symlink(&planted, &lock).unwrap();
    sb.on_vault("add", &["--title", "ERP"], &master_and("pw-2"))
        .failure(1)
        .stderr_has(".work.crmvault.lock is a symbolic link");
    assert!(!planted.exists(), "nothing was created outside");
    assert_eq!(sb.vault_bytes(), before, "nothing was saved");

    // With the links gone, saves work again.
    std::fs::remove_file(&lock).unwrap();
    sb.add("ERP", &[], "pw-2");
    assert_eq!(sb.titles(), ["CRM", "ERP"]);
}

#[test]
fn a_rotation_period_out_of_range_in_a_synced_file_is_shown_and_used_clamped() {
    let sb = Sandbox::with_vault();
    // What a planted or hand-made copy can hold, written with the core as another laptop would.
    let password = SecretString::from(MASTER);
    let (mut file, mut vault) = vault::VaultFile::open(&sb.vault, &password).unwrap();
    vault.settings.rotation_days = vault::model::Stamped::new(Some(0), vault.clock);
    file.save(&mut vault, &vault::SystemClock).unwrap();

    sb.on_vault("settings", &[], &master()).success().stdout_has("Rotation: every day");
    let (mut file, mut vault) = vault::VaultFile::open(&sb.vault, &password).unwrap();
    vault.settings.rotation_days = vault::model::Stamped::new(Some(u32::MAX), vault.clock);
    file.save(&mut vault, &vault::SystemClock).unwrap();
    sb.on_vault("settings", &[], &master()).success().stdout_has("Rotation: every 3650 days");
}
