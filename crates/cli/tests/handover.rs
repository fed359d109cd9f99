//! `crm-vault handover`, `handover-company`, `receive` and `handovers`: a hand-over from one
//! person's vault to a colleague's, and each way receiving fails (its own message and exit code,
//! nothing received).

mod common;

use common::{MASTER, Run, Sandbox, master, master_and};
use secrecy::SecretString;
use std::path::Path;

const PASSPHRASE: &str = "amber kettle violin harbor quietly";
const CRM_PASSWORD: &str = "Harbor-Lantern-Orbit-77";

fn both(second: &str) -> String {
    master_and(second)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The giver's vault with a CRM entry (tagged crm) and a mail entry; the colleague's vault.
fn giver_and_colleague() -> (Sandbox, Sandbox) {
    let giver = Sandbox::with_vault();
    giver.add("CRM", &["--username", "li.wei", "--tag", "crm", "--url", "https://crm.example.com"], CRM_PASSWORD);
    giver.add("Mail", &[], "Quietly^Tundra^Pike^19");
    giver.on_vault("settings", &["--owner-name", "Li Wei"], &master()).success();
    (giver, Sandbox::with_vault())
}

fn hand_over(giver: &Sandbox, out: &Path, rest: &[&str]) -> Run {
    let mut args = vec!["CRM", "--out", path_str(out)];
    args.extend_from_slice(rest);
    giver.on_vault("handover", &args, &both(PASSPHRASE))
}

fn receive(colleague: &Sandbox, file: &Path, passphrase: &str) -> Run {
    colleague.on_vault("receive", &[path_str(file)], &both(passphrase))
}

#[test]
fn a_hand_over_goes_from_one_vault_to_another_read_only_and_the_giver_lists_it() {
    let (giver, colleague) = giver_and_colleague();
    let file = giver.path("crm.crmhandover");
    hand_over(&giver, &file, &["--expires", "3d", "--to", "Wang Fang"])
        .success()
        .stdout_has("Handed over 1 entry for Wang Fang until");
    let run = receive(&colleague, &file, PASSPHRASE).success().stdout_has("Received 1 entry from Li Wei until");
    assert!(!run.all_output().contains(CRM_PASSWORD));

    let listed = colleague.ls_json();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["title"], "CRM");
    assert_eq!(listed[0]["handed_over"]["giver"], "Li Wei");
    assert!(listed[0]["handed_over"]["expires"].is_string());
    assert!(giver.ls_json().iter().all(|e| e.get("handed_over").is_none()));
    let shown = colleague.on_vault("show", &["CRM", "--field", "password"], &master()).success();
    assert_eq!(shown.stdout.trim_end(), CRM_PASSWORD);
    colleague.on_vault("edit", &["CRM", "--notes", "mine"], &master()).failure(1).stderr_has("cannot be edited");

    // The same file again adds nothing.
    receive(&colleague, &file, PASSPHRASE).success().stdout_has("nothing was added");
    assert_eq!(colleague.ls_json().len(), 1);

    let given = giver.on_vault("handovers", &["--json"], &master()).success().json();
    assert_eq!(given[0]["to"], "Wang Fang");
    assert_eq!(given[0]["entries"][0]["title"], "CRM");
    assert!(given[0]["expires"].is_u64());
    // The password is in no output of the giver's either.
    assert!(!giver.on_vault("handovers", &[], &master()).success().all_output().contains(CRM_PASSWORD));
}

#[test]
fn a_wrong_passphrase_a_damaged_file_and_a_foreign_file_each_have_their_exit_code() {
    let (giver, colleague) = giver_and_colleague();
    let file = giver.path("crm.crmhandover");
    hand_over(&giver, &file, &["--expires", "8h"]).success();
    receive(&colleague, &file, "amber kettle violin harbor").failure(6).stderr_has("passphrase");

    let bytes = std::fs::read(&file).unwrap();
    let bad = giver.path("bad.crmhandover");
    for (what, spoiled) in [
        ("payload", flip(&bytes, bytes.len() - 5)),
        ("header", flip(&bytes, 30)),
        ("cut", bytes[..bytes.len() - 1].to_vec()),
    ] {
        std::fs::write(&bad, &spoiled).unwrap();
        let run = receive(&colleague, &bad, PASSPHRASE).failure(7);
        assert!(run.stderr.contains("damaged") || run.stderr.contains("tampered"), "{what}\n{run}");
    }
    std::fs::write(&bad, "not a hand-over").unwrap();
    receive(&colleague, &bad, PASSPHRASE).failure(7).stderr_has("not a CRM Vault hand-over file");
    receive(&colleague, Path::new(colleague.vault_str()), PASSPHRASE).failure(7);
    assert!(colleague.ls_json().is_empty(), "nothing was received");
}

#[test]
fn an_expired_hand_over_is_refused_with_its_own_exit_code() {
    use vault::handover::file::{self, HandedEntry, HandoverFile};
    let colleague = Sandbox::with_vault();
    // Made by the library: the command line cannot make one that has already expired.
    let expired = HandoverFile {
        id: vault::handover::HandoverId::random(),
        giver: "Li Wei".into(),
        made_ms: 1_700_000_000_000,
        expires_ms: Some(1_700_003_600_000),
        entries: vec![HandedEntry { title: "CRM".into(), password: CRM_PASSWORD.into(), ..Default::default() }],
    };
    let cheap = vault::KdfParams::from_mib(19, 2, 1).unwrap();
    let bytes = file::write(&expired, &SecretString::from(PASSPHRASE), cheap).unwrap();
    let path = colleague.path("old.crmhandover");
    std::fs::write(&path, bytes).unwrap();
    receive(&colleague, &path, PASSPHRASE).failure(8).stderr_has("expired");
    assert!(colleague.ls_json().is_empty());
}

#[test]
fn durations_passphrases_and_files_are_checked_before_anything_is_written() {
    let (giver, _) = giver_and_colleague();
    let out = giver.path("x.crmhandover");
    for duration in ["30m", "31d", "0h", "soon"] {
        hand_over(&giver, &out, &["--expires", duration]).failure(2).stderr_has("1h to 30d");
    }
    let weak = giver.on_vault("handover", &["CRM", "--out", path_str(&out), "--expires", "8h"], &both("password1"));
    weak.failure(2).stderr_has("too easy to guess");
    let no_line = giver.on_vault("handover", &["CRM", "--out", path_str(&out), "--expires", "8h"], &master());
    no_line.failure(2).stderr_has("line 2");
    assert!(!out.exists());
    std::fs::write(&out, "keep me").unwrap();
    hand_over(&giver, &out, &["--expires", "8h"]).failure(1).stderr_has("exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let listed = giver.on_vault("handovers", &[], &master()).success();
    assert!(listed.stdout.contains("handed nothing over"), "{listed}");
}

#[test]
fn the_company_hand_over_takes_the_tagged_entries_without_expiry() {
    let (giver, colleague) = giver_and_colleague();
    let file = giver.path("it.crmhandover");
    let none = giver.on_vault("handover-company", &["--tag", "company", "--out", path_str(&file)], &both(PASSPHRASE));
    none.failure(5).stderr_has("no entry has the tag");
    giver
        .on_vault("handover-company", &["--tag", "CRM", "--out", path_str(&file)], &both(PASSPHRASE))
        .success()
        .stdout_has("Handed over 1 entry for IT without expiry");
    receive(&colleague, &file, PASSPHRASE).success().stdout_has("without expiry");
    let health = giver.on_vault("health", &["--json"], &master()).success().json();
    let kinds: Vec<String> = health
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["entry"] == "CRM")
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"handed-over".to_owned()), "{health}");
    let _ = MASTER;
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0x40;
    out
}
