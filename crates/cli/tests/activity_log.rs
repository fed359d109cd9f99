//! `crm-vault log` and the events the command line records: each command's event appears in the
//! log after it, the filters and formats work, no secret value reaches the log in any form, and
//! a vault that cannot be written to is still read (with a warning that the use was not recorded).

mod common;

use common::{CONFIG_ENV, MASTER, NEW_MASTER, Run, Sandbox, binary, chmod, is_root, master, master_and, run_of};
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

const TOTP_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const CRM_PASSWORD: &str = "crm-Pw-7319!q";
const NEW_CRM_PASSWORD: &str = "crm-Pw-8842!z";
const PIN: &str = "PIN-480213";
const IMPORTED_PASSWORD: &str = "imported-Pw-5521";
const COPY_PASSWORD: &str = "copy-Pw-9043";

/// `log --json` with `rest`, parsed.
#[track_caller]
fn log_json(sb: &Sandbox, rest: &[&str], stdin: &str) -> (Run, Vec<Value>) {
    let mut args = vec!["--json"];
    args.extend_from_slice(rest);
    let run = sb.on_vault("log", &args, stdin).success();
    let events = run.json().as_array().unwrap_or_else(|| panic!("log --json prints a list\n{run}")).clone();
    (run, events)
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["kind"].as_str().expect("kind is a string")).collect()
}

/// The newest event of `kind`, which must be there.
#[track_caller]
fn newest<'a>(events: &'a [Value], kind: &str) -> &'a Value {
    events.iter().find(|e| e["kind"] == kind).unwrap_or_else(|| panic!("no {kind} event in {events:#?}"))
}

/// Adds "CRM" with a password, a TOTP setup and a hidden field, all from standard input.
fn add_crm(sb: &Sandbox) -> String {
    let link = format!("otpauth://totp/ACME:li?secret={TOTP_KEY}&issuer=ACME");
    let args = ["--title", "CRM", "--username", "li", "--totp", "-", "--field-stdin", "PIN", "--hidden"];
    let run = sb.on_vault("add", &args, &format!("{MASTER}\n{CRM_PASSWORD}\n{link}\n{PIN}\n")).success();
    run.stdout.trim().to_owned()
}

#[test]
fn each_command_records_its_event_and_no_secret_value_reaches_the_log() {
    let sb = Sandbox::with_vault();
    let id = add_crm(&sb);
    let (_, events) = log_json(&sb, &[], &master());
    let created = newest(&events, "entry-created");
    assert_eq!((created["entry"].as_str(), created["entry_id"].as_str()), (Some("CRM"), Some(id.as_str())));
    assert!(created["time"].as_str().unwrap().ends_with('Z'), "{created}");
    assert!(created["device"].is_string() && created["device_id"].is_string(), "{created}");
    let unlock = newest(&events, "unlock");
    assert_eq!(unlock["detail"], "command-line");
    assert!(unlock.get("entry").is_none(), "an unlock is about no entry: {unlock}");

    // A wrong master password, then the right one: the failed attempt is in the vault.
    sb.on_vault("ls", &[], "not the master password\n").failure(3);
    sb.on_vault("ls", &[], &master()).success();
    let (_, events) = log_json(&sb, &["--kind", "unlock-failed"], &master());
    assert_eq!(kinds(&events), ["unlock-failed"], "one failed attempt, moved into the vault once");
    assert_eq!(events[0]["detail"], "password");

    // Reveals, by field; a field that is not secret is no reveal.
    sb.on_vault("show", &["CRM", "--field", "password"], &master()).success().stdout_has(CRM_PASSWORD);
    sb.on_vault("show", &["CRM", "--field", "username"], &master()).success();
    sb.on_vault("show", &["CRM", "--field", "PIN"], &master()).success().stdout_has(PIN);
    sb.on_vault("totp", &["CRM", "--at", "59"], &master()).success();
    let (_, events) = log_json(&sb, &["--kind", "reveal"], &master());
    let details: Vec<&str> = events.iter().map(|e| e["detail"].as_str().unwrap()).collect();
    assert_eq!(details, ["totp", "field:PIN", "password"], "newest first");
    assert!(events.iter().all(|e| e["entry"] == "CRM"));
    sb.on_vault("show", &["CRM", "-s"], &master()).success();
    let (_, events) = log_json(&sb, &["--kind", "reveal"], &master());
    assert_eq!(events.len(), 6, "show -s reveals the password, the TOTP setup and the hidden field\n{events:#?}");

    // An edit lists the fields it changed, never their values.
    let args = ["CRM", "--username", "li.wei", "--password-stdin", "--tag", "crm"];
    sb.on_vault("edit", &args, &master_and(NEW_CRM_PASSWORD)).success();
    let (_, events) = log_json(&sb, &[], &master());
    assert_eq!(newest(&events, "entry-edited")["detail"], "username, password, tags");

    // Import, merge, delete, settings, master password.
    let csv = sb.path("chrome.csv");
    std::fs::write(
        &csv,
        format!("name,url,username,password,note\nMail,https://mail.example.com/,li,{IMPORTED_PASSWORD},\n"),
    )
    .unwrap();
    sb.on_vault("import", &[csv.to_str().unwrap()], &master()).success();
    let copy = sb.path("copy.crmvault");
    std::fs::copy(&sb.vault, &copy).unwrap();
    let run = sb.run(&["add", copy.to_str().unwrap(), "--title", "From the copy"], &master_and(COPY_PASSWORD));
    run.success();
    sb.on_vault("merge", &[copy.to_str().unwrap()], &master()).success();
    sb.on_vault("rm", &["Mail"], &master()).success();
    sb.on_vault("undelete", &["Mail"], &master()).success();
    sb.on_vault("rm", &["Mail"], &master()).success();
    sb.on_vault("settings", &["--company", "ACME Trading", "--rotation-days", "30"], &master()).success();
    sb.on_vault("passwd", &[], &format!("{MASTER}\n{NEW_MASTER}\n")).success();
    let new_master = format!("{NEW_MASTER}\n");
    let (run, events) = log_json(&sb, &[], &new_master);
    assert_eq!(newest(&events, "import")["detail"], "Chrome/Edge CSV, 1 entries");
    let merge = newest(&events, "merge")["detail"].as_str().unwrap().to_owned();
    assert!(merge.contains("copy.crmvault") && merge.ends_with(": 1 entries changed"), "{merge}");
    let deleted = newest(&events, "entry-deleted");
    assert_eq!(deleted["entry"], "Mail");
    assert_eq!(newest(&events, "entry-restored")["entry"], "Mail");
    let mail: Vec<&str> = events.iter().filter(|e| e["entry"] == "Mail").map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(mail, ["entry-deleted", "entry-restored", "entry-deleted"]);
    assert_eq!(newest(&events, "settings-changed")["detail"], "rotation-days, company");
    newest(&events, "password-changed");
    let created: Vec<&str> =
        events.iter().filter(|e| e["kind"] == "entry-created").map(|e| e["entry"].as_str().unwrap()).collect();
    assert_eq!(created, ["From the copy", "CRM"], "the copy's own event came in with the merge");

    // No secret, in any form the vault or the command line writes it.
    let (file, vault) = vault::VaultFile::open(&sb.vault, &secrecy::SecretString::from(NEW_MASTER)).unwrap();
    drop(file);
    let payload = serde_json::to_string(&vault.activity).unwrap();
    assert!(vault.activity.len() >= 20, "{payload}");
    for secret in [CRM_PASSWORD, NEW_CRM_PASSWORD, TOTP_KEY, PIN, IMPORTED_PASSWORD, COPY_PASSWORD, MASTER, NEW_MASTER]
    {
        let lower = secret.to_lowercase();
        for (what, text) in [("log --json", run.all_output()), ("the vault's activity", payload.clone())] {
            assert!(!text.to_lowercase().contains(&lower), "{secret:?} in {what}:\n{text}");
        }
    }
}

#[test]
fn log_filters_by_date_entry_kind_and_device_and_writes_csv() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    sb.add("Wiki", &[], "wiki-pw");
    sb.on_vault("show", &["Mail", "--field", "password"], &master()).success();

    let (_, events) = log_json(&sb, &["--entry", "mail"], &master());
    assert_eq!(kinds(&events), ["reveal", "entry-created"]);
    let (_, events) = log_json(&sb, &["--kind", "entry-created", "--kind", "reveal"], &master());
    assert_eq!(kinds(&events), ["reveal", "entry-created", "entry-created"]);
    let (_, all) = log_json(&sb, &["--since", "1d"], &master());
    assert!(all.len() >= 6, "{all:#?}");
    let (_, none) = log_json(&sb, &["--since", "2999-01-01"], &master());
    assert!(none.is_empty(), "{none:#?}");
    let (_, since) = log_json(&sb, &["--since", "2000-01-01T00:00:00Z", "--kind", "entry-created"], &master());
    assert_eq!(since.len(), 2);
    sb.on_vault("log", &["--since", "last week"], &master()).failure(2).stderr_has("7d");
    sb.on_vault("log", &["--kind", "login"], &master()).failure(2).stderr_has("unlock-failed");

    let device = all[0]["device"].as_str().unwrap().to_owned();
    let (_, mine) = log_json(&sb, &["--device", &device, "--kind", "entry-created"], &master());
    assert_eq!(mine.len(), 2);
    sb.on_vault("log", &["--device", "LAPTOP-NOBODY"], &master()).failure(5).stderr_has(&device);

    // An entry deleted is still found by the title the log recorded.
    sb.on_vault("rm", &["Wiki"], &master()).success();
    let (_, wiki) = log_json(&sb, &["--entry", "Wiki"], &master());
    assert_eq!(kinds(&wiki), ["entry-deleted", "entry-created"]);

    let run = sb.on_vault("log", &["--csv", "--kind", "entry-created"], &master()).success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "time,kind,device,device_id,entry,entry_id,detail");
    assert_eq!(lines.len(), 3, "{run}");
    assert!(lines[1].contains(",entry-created,") && lines[1].contains(",Wiki,"), "{run}");

    let run = sb.on_vault("log", &["--kind", "reveal"], &master()).success();
    let fields: Vec<&str> = run.stdout.trim_end().split('\t').collect();
    assert_eq!(fields[1..], ["reveal", device.as_str(), "Mail", "password"], "{run}");
}

#[test]
fn a_vault_that_cannot_be_written_is_still_read_with_a_warning() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    sb.on_vault("ls", &[], &master()).success();
    let bytes = sb.vault_bytes();
    let listing = |run: Run| {
        let run = run.success().stderr_has("could not be recorded");
        assert!(run.stdout.contains("Mail"), "{run}");
    };
    if is_root() {
        if Command::new("setpriv").arg("--version").output().is_err() {
            println!("skipped: running as root and setpriv is not installed");
            return;
        }
        // A root-owned folder and a world-readable vault: user nobody may read it, not write.
        chmod(sb.dir.path(), 0o755);
        chmod(&sb.vault, 0o644);
        let output = assert_cmd::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary())
            .args(["ls", sb.vault_str()])
            .env(CONFIG_ENV, &sb.config)
            .current_dir(sb.dir.path())
            .write_stdin(master())
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run setpriv");
        listing(run_of(vec!["ls".into()], &output));
    } else {
        chmod(sb.dir.path(), 0o555);
        let run = sb.on_vault("ls", &[], &master());
        chmod(sb.dir.path(), 0o700);
        listing(run);
    }
    assert_eq!(sb.vault_bytes(), bytes, "the vault file is untouched");
}

#[test]
fn failed_attempts_on_another_laptop_are_told_at_the_next_unlock_here_once() {
    let sb = Sandbox::with_vault();
    sb.on_vault("ls", &[], &master()).success();
    // Laptop B: its own config folder, so its own device id and its own waiting failed attempts.
    let laptop_b = sb.path("laptop-b-config");
    std::fs::create_dir(&laptop_b).unwrap();
    let on_b = |stdin: &str| {
        let output =
            sb.command().env(CONFIG_ENV, &laptop_b).args(["ls", sb.vault_str()]).write_stdin(stdin).output().unwrap();
        run_of(vec!["ls".into()], &output)
    };
    on_b("wrong guess 1\n").failure(3);
    on_b("wrong guess 2\n").failure(3);
    // They wait on laptop B until it unlocks. Nothing is unlocked here meanwhile: the notice counts
    // attempts made since this laptop's last unlock.
    on_b(&master()).success();

    let run = sb.on_vault("ls", &[], &master()).success();
    assert!(run.stderr.contains("Note: 2 failed attempts to unlock on "), "{run}");
    let again = sb.on_vault("ls", &[], &master()).success();
    assert!(!again.stderr.contains("failed attempt"), "told once\n{again}");
    let (_, events) = log_json(&sb, &["--kind", "unlock-failed"], &master());
    assert_eq!(events.len(), 2, "{events:#?}");
}

#[test]
fn restoring_a_backup_is_recorded_in_the_version_put_back() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    sb.add("Wiki", &[], "wiki-pw");
    let lines = sb.backup_lines();
    let (taken, backup) = lines.last().expect("a backup was kept").split_once('\t').unwrap();
    sb.on_vault("restore", &[backup], &master()).success();
    let (_, events) = log_json(&sb, &[], &master());
    assert_eq!(newest(&events, "backup-restored")["detail"], taken);
}
