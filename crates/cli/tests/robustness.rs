//! The vault under stress: parallel writers, `kill -9` at random moments, a full disk, a
//! read-only folder. Each must leave the last good vault readable and lose no acknowledged save.

mod common;

use common::{CONFIG_ENV, MASTER, Rng, Run, Sandbox, binary, chmod, is_root, master, master_and, run_of};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `crm-vault add VAULT --title TITLE` with the password on stdin, without waiting.
fn spawn_add(sb: &Sandbox, title: &str) -> Child {
    let mut child = Command::new(binary())
        .args(["add", sb.vault_str(), "--title", title])
        .env(CONFIG_ENV, &sb.config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start crm-vault");
    // Small enough for the pipe buffer, so this never blocks even if the child is killed.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let _ = stdin.write_all(master_and(&format!("password of {title}")).as_bytes());
    child
}

fn finish(child: Child, title: &str) -> Run {
    let output = child.wait_with_output().expect("wait for crm-vault");
    run_of(vec!["add".into(), "--title".into(), title.into()], &output)
}

/// The id an `add` printed, if it got as far as acknowledging the save.
fn acknowledged_id(run: &Run) -> Option<String> {
    let id = run.stdout.strip_suffix('\n')?;
    common::is_id(id).then(|| id.to_owned())
}

#[test]
fn eight_adds_started_at_once_all_succeed_and_all_are_kept() {
    let sb = Sandbox::with_vault();
    let titles: Vec<String> = (0..8).map(|i| format!("Parallel {i}")).collect();
    let children: Vec<Child> = titles.iter().map(|t| spawn_add(&sb, t)).collect();
    let mut ids = BTreeSet::new();
    for (child, title) in children.into_iter().zip(&titles) {
        let run = finish(child, title).success();
        ids.insert(acknowledged_id(&run).unwrap_or_else(|| panic!("no id printed\n{run}")));
    }
    assert_eq!(ids.len(), 8);
    let listed: BTreeSet<String> = sb.ids().into_iter().collect();
    assert_eq!(listed, ids, "every add that succeeded is in the vault");
    for title in &titles {
        assert_eq!(sb.field(title, "password"), format!("password of {title}"));
    }
}

#[test]
fn kill_9_at_random_moments_never_breaks_the_vault_nor_loses_an_acknowledged_add() {
    let sb = Sandbox::with_vault();
    let mut rng = Rng::from_env_or_clock();
    let mut acknowledged: Vec<(String, String)> = Vec::new();

    // How long one add takes here, so the kills spread over its whole life: start-up, key
    // derivation, and the save at the end (a fixed 0-50 ms would rarely reach the save).
    let mut longest = Duration::ZERO;
    for n in 0..3 {
        let title = format!("Warm-up {n}");
        let started = Instant::now();
        let run = finish(spawn_add(&sb, &title), &title).success();
        longest = longest.max(started.elapsed());
        acknowledged.push((acknowledged_id(&run).expect("id"), title));
    }
    let window_us = (longest.as_micros() as u64 * 6 / 5).max(50_000);
    eprintln!("one add takes up to {longest:?}; killing within 0..{window_us} us");

    let deadline = Instant::now() + Duration::from_secs(25);
    let (mut killed, mut completed, mut rounds) = (0, 0, 0);
    while rounds < 100 && Instant::now() < deadline {
        let title = format!("Crash {rounds}");
        let mut child = spawn_add(&sb, &title);
        let delay = Duration::from_micros(rng.up_to(window_us));
        std::thread::sleep(delay);
        // SIGKILL on Unix. Fails harmlessly if the add already finished.
        let _ = child.kill();
        let run = finish(child, &title);
        match acknowledged_id(&run) {
            Some(id) => {
                completed += 1;
                acknowledged.push((id, title.clone()));
            }
            None => {
                killed += 1;
                assert!(run.code == -1 || run.code == 0, "an add that was not killed must succeed\n{run}");
            }
        }
        let check = sb.on_vault("ls", &[], &master());
        assert_eq!(check.code, 0, "round {rounds}: after a kill at {delay:?} the vault no longer opens\n{check}");
        rounds += 1;
    }
    eprintln!("{rounds} rounds: {killed} killed before acknowledging, {completed} completed");
    assert!(rounds >= 20, "too few rounds in the time budget: {rounds}");

    // A normal save after all that: nothing acknowledged is missing, temp files are cleaned up.
    let title = "After the storm".to_owned();
    acknowledged.push((sb.add(&title, &[], "pw"), title));
    let listed = sb.ls_json();
    let listed_ids: BTreeSet<&str> = listed.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for (id, title) in &acknowledged {
        assert!(listed_ids.contains(id.as_str()), "acknowledged add {title:?} ({id}) was lost");
    }
    let mut saved_unacknowledged = 0;
    for entry in &listed {
        let title = entry["title"].as_str().unwrap();
        if !acknowledged.iter().any(|(_, t)| t == title) {
            assert!(title.starts_with("Crash "), "unexpected entry {title:?}");
            saved_unacknowledged += 1;
        }
    }
    // Killed after the rename but before printing the id: evidence that kills reached the save.
    eprintln!("{saved_unacknowledged} adds were saved but killed before printing their id");
    let leftovers: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left after a good save: {leftovers:?}");
    assert!(sb.backup_lines().len() <= 10);
}

// ---------------------------------------------------------------- full disk

/// A tmpfs mounted for one test, unmounted when dropped (also when the test fails).
#[derive(Debug)]
struct TmpfsMount {
    dir: PathBuf,
}

impl TmpfsMount {
    fn mount(dir: &Path, size: &str) -> Result<TmpfsMount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("could not run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("mount failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(TmpfsMount { dir: dir.to_owned() })
    }
}

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        let unmounted = Command::new("umount").arg(&self.dir).status().is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Writes to `path` until the file system says it is full.
fn fill_disk(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let block = vec![0x5a_u8; 64 * 1024];
    for size in [block.len(), 4096, 512, 1] {
        loop {
            match file.write(&block[..size]) {
                Ok(0) => break,
                Ok(_) => {}
                Err(err) if err.kind() == std::io::ErrorKind::StorageFull => break,
                Err(err) => panic!("filling the disk: {err}"),
            }
        }
    }
    let _ = file.sync_all();
}

#[test]
fn a_full_disk_fails_cleanly_and_leaves_the_vault_as_it_was() {
    if !is_root() {
        println!(
            "skipped a_full_disk_fails_cleanly: mounting a small tmpfs needs root (uid is {:?})",
            common::effective_uid()
        );
        return;
    }
    let sb = Sandbox::new();
    let disk = sb.path("small-disk");
    let _mount = match TmpfsMount::mount(&disk, "2m") {
        Ok(mount) => mount,
        Err(why) => {
            println!("skipped a_full_disk_fails_cleanly: {why}");
            return;
        }
    };
    let vault = disk.join("work.crmvault");
    let vault_str = vault.to_str().unwrap();
    sb.init_at(&vault, MASTER).success();
    sb.run(&["add", vault_str, "--title", "Before", "--username", "li"], &master_and("before-pw")).success();
    let listing = sb.run(&["ls", vault_str, "--json"], &master()).success().stdout;
    let bytes = std::fs::read(&vault).unwrap();

    let filler = disk.join("filler");
    fill_disk(&filler);
    let run = sb.run(&["add", vault_str, "--title", "After"], &master_and("after-pw")).failure(1);
    assert!(run.stderr.contains("disk is full"), "{run}");
    assert!(run.stdout.is_empty(), "no id may be printed for a failed add\n{run}");
    assert_eq!(std::fs::read(&vault).unwrap(), bytes, "the vault file is untouched");
    assert_eq!(sb.run(&["ls", vault_str, "--json"], &master()).success().stdout, listing);
    sb.run(&["edit", vault_str, "Before", "--notes", "x"], &master()).failure(1).stderr_has("disk is full");
    let temps: Vec<_> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(temps.is_empty(), "a failed save leaves no temp file behind: {temps:?}");

    // Once there is room again, saving works.
    std::fs::remove_file(&filler).unwrap();
    sb.run(&["add", vault_str, "--title", "After"], &master_and("after-pw")).success();
    let titles = sb.run(&["ls", vault_str], &master()).success().stdout;
    assert!(titles.contains("Before") && titles.contains("After"), "{titles}");
}

// ---------------------------------------------------------------- read-only folder

/// Puts a folder's permissions back when dropped, so the temp dir can be removed.
#[derive(Debug)]
struct RestoreMode {
    path: PathBuf,
    mode: u32,
}

impl Drop for RestoreMode {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(self.mode));
    }
}

/// Runs `crm-vault ARGS` with `STDIN` as a particular user.
type RunAs<'a> = dyn Fn(&[&str], &str) -> Run + 'a;

#[test]
fn a_read_only_folder_fails_cleanly_and_leaves_the_vault_as_it_was() {
    let sb = Sandbox::with_vault();
    sb.add("Before", &["--username", "li"], "before-pw");
    let listing = sb.on_vault("ls", &["--json"], &master()).success().stdout;
    // After the listing, which records its unlock in the vault.
    let bytes = sb.vault_bytes();

    // Runs `crm-vault ARGS` as someone who may read the vault but not write to its folder.
    let (as_reader, _restore): (Box<RunAs>, Option<RestoreMode>) = if is_root() {
        if Command::new("setpriv").arg("--version").output().is_err() {
            println!("skipped a_read_only_folder: running as root and setpriv is not installed");
            return;
        }
        // A root-owned 0755 folder and a world-readable vault: user nobody can read, not write.
        chmod(sb.dir.path(), 0o755);
        chmod(&sb.vault, 0o644);
        let (config, dir) = (sb.config.clone(), sb.dir.path().to_owned());
        let run = move |args: &[&str], stdin: &str| {
            let output = assert_cmd::Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(binary())
                .args(args)
                .env(CONFIG_ENV, &config)
                .current_dir(&dir)
                .write_stdin(stdin)
                .timeout(Duration::from_secs(60))
                .output()
                .expect("run setpriv");
            run_of(args.iter().map(|a| a.to_string()).collect(), &output)
        };
        (Box::new(run), None)
    } else {
        let restore = RestoreMode { path: sb.dir.path().to_owned(), mode: 0o700 };
        chmod(sb.dir.path(), 0o555);
        (Box::new(|args: &[&str], stdin: &str| sb.run(args, stdin)), Some(restore))
    };

    // The setting is right: the vault can be read.
    assert_eq!(as_reader(&["ls", sb.vault_str(), "--json"], &master()).success().stdout, listing);

    let run = as_reader(&["add", sb.vault_str(), "--title", "After"], &master_and("after-pw")).failure(1);
    assert!(run.stderr.contains("read-only") || run.stderr.contains("no permission"), "{run}");
    assert!(run.stdout.is_empty(), "no id may be printed for a failed add\n{run}");
    as_reader(&["rm", sb.vault_str(), "Before"], &master()).failure(1).stderr_has("cannot be written");
    assert_eq!(sb.vault_bytes(), bytes, "the vault file is untouched");
    assert_eq!(as_reader(&["ls", sb.vault_str(), "--json"], &master()).success().stdout, listing);
    assert_eq!(sb.field("Before", "password"), "before-pw");
}

#[test]
fn kill_9_during_passwd_leaves_a_vault_that_opens_with_the_old_or_the_new_password() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &["--username", "li"], "mail-pw");
    sb.add("CRM", &[], "crm-pw");
    let listing = sb.on_vault("ls", &["--json"], &master()).success().stdout;
    let mut rng = Rng::from_env_or_clock();
    let passwords = [MASTER.to_owned(), "second master 第二".to_owned()];
    let mut current = 0;
    let (mut changed, mut kept) = (0, 0);
    for round in 0..20 {
        let next = 1 - current;
        let mut child = Command::new(binary())
            .args(["passwd", sb.vault_str()])
            .env(CONFIG_ENV, &sb.config)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start crm-vault passwd");
        let secrets = format!("{}\n{}\n", passwords[current], passwords[next]);
        let _ = child.stdin.take().expect("stdin").write_all(secrets.as_bytes());
        // passwd runs the key derivation twice (unlock, then the new wrap) before it saves.
        std::thread::sleep(Duration::from_micros(rng.up_to(150_000)));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let opens = |i: usize| sb.on_vault("ls", &["--json"], &format!("{}\n", passwords[i]));
        let (old, new) = (opens(current), opens(next));
        match (old.code, new.code) {
            (0, 3) => kept += 1,
            (3, 0) => {
                changed += 1;
                current = next;
            }
            _ => panic!(
                "round {round} ({status}): the vault must open with exactly one of the two passwords\n{old}\n{new}"
            ),
        }
        let now = if current == next { new } else { old };
        assert_eq!(now.stdout, listing, "round {round}: entries intact");
        if status.success() {
            assert_eq!(
                current, next,
                "round {round}: passwd reported success but the new password does not open the vault"
            );
        }
    }
    eprintln!("20 rounds: password changed {changed} times, kept {kept} times");
}
