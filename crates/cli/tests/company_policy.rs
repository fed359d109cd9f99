//! The company policy on the command line: `policy` shows it (or the malformed file's line),
//! `health` adds its findings, `generate` obeys it, and `inventory` lists the accounts for IT
//! without a secret.

mod common;

use common::{MASTER, Sandbox, master, master_and};
use serde_json::json;

const POLICY: &str = r#"[passwords]
min_length = 12
require = ["lower", "upper", "digits", "symbols"]
rotation_days = 30

[timers]
max_auto_lock_minutes = 10

[quick_unlock]
allowed = false

[accounts]
totp_required_tags = ["crm"]
company_tag = "company"
"#;

const CRM: &str = "Kx7#pQ2mLw9z!vT";
const ERP: &str = "Kx7#pQ2m";
const MAIL: &str = "Kx7pQ2mLw9zvTa";
const TOTP_KEY: &str = "JBSWY3DPEHPK3PXP";

fn sandbox_with_entries() -> Sandbox {
    let sb = Sandbox::with_vault();
    sb.add(
        "CRM",
        &["--username", "li.wei", "--url", "https://crm.example.com", "--tag", "crm", "--tag", "company"],
        CRM,
    );
    let stdin = format!("{}{TOTP_KEY}\n", master_and(ERP));
    sb.on_vault("add", &["--title", "ERP", "--username", "E1234", "--tag", "crm", "--totp", "-"], &stdin).success();
    sb.add("Mail", &["--username", "li.wei@example.com"], MAIL);
    sb
}

fn write_policy(sb: &Sandbox, text: &str) {
    std::fs::write(sb.path("policy.toml"), text).unwrap();
}

#[test]
fn policy_shows_none_the_policy_in_force_or_the_malformed_line() {
    let sb = Sandbox::with_vault();
    let none = sb.on_vault("policy", &[], "").success();
    assert!(none.stdout.starts_with("No company policy: there is no file at "), "{none}");
    assert!(none.stdout.contains("named by CRM_VAULT_POLICY"), "{none}");

    write_policy(&sb, POLICY);
    let shown = sb.on_vault("policy", &[], "").success();
    for line in [
        "  passwords: at least 12 characters, with lower, upper, digits, symbols\n",
        "  rotation: every 30 days (replaces the vault's setting)\n",
        "  auto-lock: after at most 10 minutes\n",
        "  clipboard: not set\n",
        "  quick unlock: not allowed\n",
        "  TOTP required for tags: crm\n",
        "  company accounts tag: company\n",
    ] {
        assert!(shown.stdout.contains(line), "{line}\n{shown}");
    }
    assert!(shown.stdout.contains(&sb.path("policy.toml").display().to_string()), "{shown}");
    let json = sb.on_vault("policy", &["--json"], "").success().json();
    assert_eq!(json["state"], "in-force");
    assert_eq!(json["source"], "environment");
    assert_eq!(json["minLength"], 12);
    assert_eq!(json["required"], json!({"lower": true, "upper": true, "digits": true, "symbols": true}));
    assert_eq!(json["locked"]["quickUnlock"], true);
    assert_eq!(json["locked"]["clipboardClearSeconds"], false);

    write_policy(&sb, &POLICY.replace("max_auto_lock_minutes = 10", "max_auto_lock_minute = 10"));
    let bad = sb.on_vault("policy", &[], "").failure(10);
    assert!(bad.stderr.contains("is malformed at line 7, column 1"), "{bad}");
    assert!(bad.stderr.contains("max_auto_lock_minute"), "{bad}");
    assert!(bad.stderr.contains("Nothing of the policy is applied"), "{bad}");
}

#[test]
fn health_adds_policy_and_no_2fa_findings_without_a_password() {
    let sb = sandbox_with_entries();
    let before = sb.on_vault("health", &["--json"], &master()).success().json();
    assert!(before.as_array().unwrap().iter().all(|f| f["kind"] != "policy" && f["kind"] != "no-2fa"));

    write_policy(&sb, POLICY);
    let run = sb.on_vault("health", &["--json"], &master()).success();
    let found: Vec<(String, String, String)> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "policy" || f["kind"] == "no-2fa")
        .map(|f| {
            (
                f["entry"].as_str().unwrap().into(),
                f["kind"].as_str().unwrap().into(),
                f["detail"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "CRM".into(),
                "no-2fa".into(),
                "no one-time code (TOTP) set up; the company policy requires one for \"crm\" entries".into()
            ),
            ("ERP".into(), "policy".into(), "breaks the company policy: shorter than 12 characters".into()),
            ("Mail".into(), "policy".into(), "breaks the company policy: no symbols".into()),
        ]
    );
    let text = sb.on_vault("health", &[], &master()).success();
    assert!(text.stdout.contains("policy 2, no-2fa 1"), "{text}");
    for secret in [CRM, ERP, MAIL, TOTP_KEY, MASTER] {
        assert!(!run.all_output().contains(secret) && !text.all_output().contains(secret), "{secret}");
    }

    // A malformed policy is not applied: said once, and the report goes on without it.
    write_policy(&sb, "[passwords]\nmin_length = \"twelve\"\n");
    let run = sb.on_vault("health", &[], &master()).success();
    assert!(run.stderr.contains("malformed at line 2"), "{run}");
    assert!(run.stdout.contains("policy 0, no-2fa 0"), "{run}");
}

#[test]
fn generate_never_prints_a_password_the_policy_refuses() {
    let sb = Sandbox::new();
    write_policy(&sb, POLICY);
    let policy = vault::company::parse(POLICY, std::path::Path::new("p.toml")).unwrap();
    let run = sb
        .run(&["generate", "--length", "8", "--no-upper", "--no-digits", "--no-symbols", "--count", "200"], "")
        .success();
    let passphrases =
        sb.run(&["generate", "--passphrase", "--words", "3", "--separator", " ", "--count", "200"], "").success();
    let lines: Vec<&str> = run.stdout.lines().chain(passphrases.stdout.lines()).collect();
    assert_eq!(lines.len(), 400);
    for line in lines {
        assert_eq!(policy.check(line), None, "{line}");
    }
    // Entries made with --generate, with and without a system's rules.
    let sb = Sandbox::with_vault();
    write_policy(&sb, POLICY);
    let plain = sb.on_vault("add", &["--title", "A", "--generate", "--length", "8"], &master()).success();
    let ruled = sb
        .on_vault(
            "add",
            &["--title", "B", "--generate", "--min-length", "8", "--max-length", "16", "--allowed-symbols", "!"],
            &master(),
        )
        .success();
    for id in [plain.stdout.trim(), ruled.stdout.trim()] {
        let password = sb.field(id, "password");
        assert_eq!(policy.check(&password), None, "{password}");
    }
}

#[test]
fn inventory_lists_every_account_as_text_json_and_csv_and_no_secret() {
    let sb = sandbox_with_entries();
    let json = sb.on_vault("inventory", &["--json"], &master()).success();
    let rows = json.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let crm = &rows[0];
    let keys: Vec<&str> = crm.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["password_changed", "system", "tags", "totp", "urls", "username"]);
    assert_eq!((&crm["system"], &crm["username"], &crm["totp"]), (&json!("CRM"), &json!("li.wei"), &json!(false)));
    assert_eq!((&crm["urls"], &crm["tags"]), (&json!(["https://crm.example.com"]), &json!(["company", "crm"])));
    let changed = crm["password_changed"].as_str().unwrap();
    // RFC 3339 in UTC, to the second: 2026-11-30T15:03:22Z.
    assert!(changed.len() == 20 && changed.ends_with('Z') && changed.as_bytes()[10] == b'T', "{changed}");
    assert_eq!((&rows[1]["system"], &rows[1]["totp"]), (&json!("ERP"), &json!(true)));

    let csv = sb.on_vault("inventory", &["--csv"], &master()).success();
    assert!(
        csv.stdout
            .starts_with("system,username,urls,totp,password_changed,tags\nCRM,li.wei,https://crm.example.com,no,"),
        "{csv}"
    );
    assert_eq!(csv.stdout.lines().count(), 4);
    let text = sb.on_vault("inventory", &[], &master()).success();
    assert!(text.stdout.contains("\nERP\tE1234\t\tyes\t"), "{text}");
    for run in [&json, &csv, &text] {
        for secret in [CRM, ERP, MAIL, TOTP_KEY, MASTER] {
            assert!(!run.all_output().contains(secret), "{secret} in {run}");
        }
    }
    sb.on_vault("inventory", &["--json", "--csv"], &master()).failure(2);
}

#[test]
fn settings_says_when_the_policy_sets_the_rotation_period() {
    let sb = Sandbox::with_vault();
    let plain = sb.on_vault("settings", &[], &master()).success();
    assert!(!plain.stdout.contains("company policy"), "{plain}");
    write_policy(&sb, POLICY);
    let run = sb.on_vault("settings", &[], &master()).success();
    assert!(run.stdout.contains("Rotation: every 90 days\n"), "{run}");
    assert!(
        run.stdout.contains("The company policy sets the rotation period to every 30 days; it applies instead.\n"),
        "{run}"
    );
}
