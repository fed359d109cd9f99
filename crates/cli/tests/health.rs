//! `crm-vault health`: the text and JSON reports, offline breach look-ups with --hibp, and the
//! errors scripts tell apart (bad breach file, wrong master password).

mod common;

use common::{MASTER, Sandbox, is_id, master};
use serde_json::Value;
use vault::health::hibp;

const SHARED: &str = "Lantern-Quietly-Orbit-58";
const BREACHED: &str = "Velvet^Tundra^Pike^41";

/// Salesforce, ERP and Mail share a password; Intranet has a common one; Partner is breached.
fn vault_with_problems() -> Sandbox {
    let sb = Sandbox::with_vault();
    for title in ["Salesforce", "ERP", "Mail"] {
        sb.add(title, &["--username", "li.wei"], SHARED);
    }
    sb.add("Intranet", &["--username", "li.wei"], "iloveyou");
    sb.add("Partner", &["--username", "li.wei"], BREACHED);
    sb
}

/// A Pwned Passwords file: `known` passwords among made-up hashes, sorted, CRLF line ends.
fn pwned_file(sb: &Sandbox, known: &[(&str, u64)]) -> String {
    let mut lines: Vec<String> = known
        .iter()
        .map(|(password, count)| {
            format!("{}:{count}", String::from_utf8(hibp::hex(&hibp::sha1(password)).to_vec()).unwrap())
        })
        .collect();
    lines.extend((1..=500u32).map(|i| format!("{:040X}:{}", u128::from(i) * 0x0123_4567_89AB_CDEF_0123_4567, i)));
    lines.sort();
    let path = sb.path("pwnedpasswords.txt");
    std::fs::write(&path, lines.join("\r\n") + "\r\n").unwrap();
    path.to_str().unwrap().to_owned()
}

fn findings(run: &common::Run) -> Vec<Value> {
    run.json().as_array().unwrap_or_else(|| panic!("health --json prints a list\n{run}")).clone()
}

#[test]
fn text_report_counts_then_one_line_per_finding() {
    let sb = vault_with_problems();
    let run = sb.on_vault("health", &[], &master()).success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "5 entries checked, 0 due for a new password; breaches not checked (see --hibp)", "{run}");
    assert_eq!(
        lines[1],
        "breached 0, common 1, weak 1, reused 3, incremental 0, personal 0, expired 0, old 0, handed-over 0, policy 0, no-2fa 0, expiring 0",
        "{run}"
    );
    let findings: Vec<&str> = lines[3..].to_vec();
    assert_eq!(findings.len(), 5, "{run}");
    assert_eq!(findings[0], "ERP  reused  same password as Mail, Salesforce");
    assert!(findings[1].starts_with("Intranet  common  "), "{run}");
    assert!(findings[2].starts_with("Intranet  weak  "), "{run}");
    assert_eq!(findings[3], "Mail  reused  same password as ERP, Salesforce");
    assert_eq!(findings[4], "Salesforce  reused  same password as ERP, Mail");
    for secret in [SHARED, "iloveyou", BREACHED, MASTER] {
        assert!(!run.all_output().contains(secret), "printed {secret}\n{run}");
    }
}

#[test]
fn json_lists_entry_id_kind_detail_and_data() {
    let sb = vault_with_problems();
    let ids = sb.ids();
    let run = sb.on_vault("health", &["--json"], &master()).success();
    let list = findings(&run);
    assert_eq!(list.len(), 5, "{run}");
    for finding in &list {
        let title = finding["entry"].as_str().expect("entry is the title");
        assert!(is_id(finding["id"].as_str().unwrap()) && ids.contains(&finding["id"].as_str().unwrap().to_owned()));
        assert!(["reused", "common", "weak"].contains(&finding["kind"].as_str().unwrap()), "{finding}");
        assert!(!finding["detail"].as_str().expect("detail is a sentence").is_empty());
        assert!(finding["data"].is_object(), "{finding}");
        assert!(["ERP", "Intranet", "Mail", "Salesforce"].contains(&title), "{finding}");
    }
    let salesforce = list.iter().find(|f| f["entry"] == "Salesforce").unwrap();
    assert_eq!(salesforce["detail"], "same password as ERP, Mail");
    let others: Vec<&str> =
        salesforce["data"]["others"].as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(others, ["ERP", "Mail"]);
    let common = list.iter().find(|f| f["kind"] == "common").unwrap();
    assert_eq!(common["entry"], "Intranet");
    assert_eq!(common["data"]["rank"], 47);
    for secret in [SHARED, "iloveyou", BREACHED] {
        assert!(!run.all_output().contains(secret), "printed {secret}\n{run}");
    }
}

#[test]
fn hibp_file_finds_breached_passwords_offline() {
    let sb = vault_with_problems();
    let file = pwned_file(&sb, &[(BREACHED, 12_345), ("iloveyou", 1_765_328)]);
    let run = sb.on_vault("health", &["--json", "--hibp", &file], &master()).success();
    let list = findings(&run);
    let breached: Vec<&Value> = list.iter().filter(|f| f["kind"] == "breached").collect();
    let titles: Vec<&str> = breached.iter().map(|f| f["entry"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Intranet", "Partner"], "{run}");
    let partner = breached.iter().find(|f| f["entry"] == "Partner").unwrap();
    assert_eq!(partner["data"]["seen"], 12_345);
    assert!(partner["detail"].as_str().unwrap().contains("12,345 times"), "{partner}");

    let text = sb.on_vault("health", &["--hibp", &file], &master()).success();
    assert!(text.stdout.starts_with("5 entries checked, 0 due for a new password\nbreached 2,"), "{text}");
}

#[test]
fn a_bad_hibp_file_is_a_clear_error_before_unlocking() {
    let sb = vault_with_problems();
    let garbage = sb.path("passwords.html");
    std::fs::write(&garbage, "<html><body>Pwned Passwords</body></html>\n").unwrap();
    // Checked before the master password is read: no password on standard input at all.
    sb.on_vault("health", &["--hibp", garbage.to_str().unwrap()], "")
        .failure(1)
        .stderr_has("not the SHA-1 file ordered by hash")
        .stderr_has("PwnedPasswordsDownloader");

    let unsorted = sb.path("by-prevalence.txt");
    let text = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:99\r\n0000000000000000000000000000000000000001:1\r\n";
    std::fs::write(&unsorted, text).unwrap();
    sb.on_vault("health", &["--hibp", unsorted.to_str().unwrap()], &master())
        .failure(1)
        .stderr_has("not in order of hash");

    let empty = sb.path("empty.txt");
    std::fs::write(&empty, "").unwrap();
    sb.on_vault("health", &["--hibp", empty.to_str().unwrap()], &master()).failure(1).stderr_has("empty");

    let missing = sb.path("not-downloaded.txt");
    sb.on_vault("health", &["--hibp", missing.to_str().unwrap()], &master())
        .failure(1)
        .stderr_has("not-downloaded.txt");
}

#[test]
fn wrong_master_password_exits_3() {
    let sb = vault_with_problems();
    sb.on_vault("health", &[], "not the master password\n").failure(3).stderr_has("master password is wrong");
    let file = pwned_file(&sb, &[]);
    sb.on_vault("health", &["--json", "--hibp", &file], "nope\n").failure(3);
}

#[test]
fn an_empty_vault_is_healthy() {
    let sb = Sandbox::with_vault();
    let run = sb.on_vault("health", &[], &master()).success();
    assert!(run.stdout.starts_with("0 entries checked"), "{run}");
    assert!(run.stdout.ends_with("\nNothing to fix.\n"), "{run}");
    let json = sb.on_vault("health", &["--json"], &master()).success();
    assert_eq!(json.json(), serde_json::json!([]));
}

#[test]
fn settings_name_the_owner_and_company_that_the_personal_check_looks_for() {
    let sb = Sandbox::with_vault();
    sb.add("CRM", &["--username", "sales01"], "Weiliang#Acme#Orbit#2026");
    let shown = sb.on_vault("settings", &[], &master()).success();
    assert_eq!(
        shown.stdout, "Rotation: every 90 days\nOwner name: \nCompany: \nExpiry warning: 14 days ahead\n",
        "{shown}"
    );
    let kinds = |sb: &Sandbox| -> Vec<String> {
        let run = sb.on_vault("health", &["--json"], &master()).success();
        findings(&run).iter().map(|f| f["kind"].as_str().unwrap().to_owned()).collect()
    };
    assert!(!kinds(&sb).contains(&"personal".to_owned()));

    let args = ["--owner-name", "Weiliang Zhang", "--company", "Acme Trading", "--no-rotation"];
    let changed = sb.on_vault("settings", &args, &master()).success();
    assert!(changed.stdout.contains("Rotation: off\nOwner name: Weiliang Zhang\nCompany: Acme Trading"), "{changed}");
    assert!(kinds(&sb).contains(&"personal".to_owned()));

    sb.on_vault("settings", &["--rotation-days", "0"], &master()).failure(2);
    sb.on_vault("settings", &["--rotation-days", "30"], &master()).success().stdout_has("every 30 days");
}

#[test]
fn an_expiry_date_within_the_warning_period_is_reported_as_expiring() {
    let sb = Sandbox::with_vault();
    // Far enough ahead to be outside the default two weeks whatever the day the test runs.
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let soon = vault::health::local_date(now_ms + 20 * 24 * 60 * 60 * 1000).to_string();
    sb.add("Salesforce", &["--expires", &soon], "Quartz-Meadow-Falcon-57");
    let kinds = |sb: &Sandbox| -> Vec<String> {
        let run = sb.on_vault("health", &["--json"], &master()).success();
        findings(&run).iter().map(|f| f["kind"].as_str().unwrap().to_owned()).collect()
    };
    assert!(!kinds(&sb).contains(&"expiring".to_owned()));
    sb.on_vault("settings", &["--expiry-warning-days", "30"], &master())
        .success()
        .stdout_has("Expiry warning: 30 days ahead");
    assert!(kinds(&sb).contains(&"expiring".to_owned()));
    sb.on_vault("settings", &["--expiry-warning-days", "366"], &master()).failure(2);
    sb.on_vault("settings", &["--expiry-warning-days", "0"], &master()).success().stdout_has("Expiry warning: off");
    assert!(!kinds(&sb).contains(&"expiring".to_owned()));
}
