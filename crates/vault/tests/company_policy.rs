//! The company policy in the security report (findings `policy` and `no-2fa`, its rotation
//! period), the accounts list, and the README's example policy, which must stay loadable.

use std::cell::Cell;
use std::path::Path;

use vault::company::{self, CompanyPolicy, Kind};
use vault::health::{self, Detail, FindingKind, ReportOptions};
use vault::{Author, Clock, DeviceId, NewEntry, Vault};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// 2026-01-01T00:00:00Z.
const JAN_1: u64 = 1_767_225_600_000;
const NOW: u64 = JAN_1 + 50 * DAY_MS;

struct TestClock(Cell<u64>);
impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

const POLICY: &str = r#"
[passwords]
min_length = 12
require = ["lower", "upper", "digits", "symbols"]
rotation_days = 30

[accounts]
totp_required_tags = ["crm"]
company_tag = "company"
"#;

const GOOD: &str = "Kx7#pQ2mLw9z!vT";
const SHORT: &str = "Kx7#pQ2m";
const NO_SYMBOL: &str = "Kx7pQ2mLw9zvTa";

fn vault() -> Vault {
    let clock = TestClock(Cell::new(JAN_1));
    let author = Author { device: DeviceId(3), clock: &clock };
    let mut vault = Vault::new("Work", author, "laptop");
    // The vault's own rotation is off: the policy's 30 days apply anyway.
    vault.set_profile(None, "Li Wei", "Acme", author);
    let mut add = |title: &str, password: &str, totp: &str, tags: &[&str]| {
        let new = NewEntry {
            title: title.into(),
            username: "li.wei".into(),
            password: password.into(),
            totp: totp.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            urls: vec![format!("https://{}.example.com", title.to_lowercase())],
            ..Default::default()
        };
        vault.add_entry(new, author);
    };
    add("CRM", GOOD, "", &["CRM", "company"]);
    add("CRM backup", "Zq8!wR4nTy6@pLm", "JBSWY3DPEHPK3PXP", &["crm"]);
    add("ERP", SHORT, "", &["company"]);
    add("Mail", NO_SYMBOL, "", &[]);
    vault
}

fn policy() -> CompanyPolicy {
    company::parse(POLICY, Path::new("policy.toml")).unwrap()
}

fn details(report: &health::Report, kind: FindingKind) -> Vec<(String, Detail)> {
    report.findings.iter().filter(|f| f.kind == kind).map(|f| (f.title.clone(), f.detail.clone())).collect()
}

#[test]
fn the_report_adds_policy_and_no_2fa_findings_and_uses_the_policys_rotation() {
    let vault = vault();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
    let without = health::report(&vault, ReportOptions { now_ms: NOW, today, hibp: None, policy: None }).unwrap();
    assert_eq!((without.count(FindingKind::Policy), without.count(FindingKind::No2fa)), (0, 0));
    assert_eq!(without.count(FindingKind::Old), 0, "the vault's rotation is off");

    let policy = policy();
    let options = ReportOptions { now_ms: NOW, today, hibp: None, policy: None }.with_policy(Some(&policy));
    let report = health::report(&vault, options).unwrap();
    assert_eq!(
        details(&report, FindingKind::Policy),
        vec![
            ("ERP".to_owned(), Detail::Policy { too_short: Some(12), missing: vec![] }),
            ("Mail".to_owned(), Detail::Policy { too_short: None, missing: vec![Kind::Symbols] }),
        ]
    );
    assert_eq!(details(&report, FindingKind::No2fa), vec![("CRM".to_owned(), Detail::No2fa { tag: "CRM".into() })]);
    assert_eq!(report.count(FindingKind::Old), 4, "50 days unchanged, 30 allowed");
    assert_eq!(health::due_for_rotation_under(&vault, Some(&policy), NOW, today), 4);
    assert_eq!(health::due_for_rotation(&vault, NOW, today), 0);

    // The findings say what is wrong, never the password.
    let text: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    let json = serde_json::to_string(&report).unwrap();
    for password in [GOOD, SHORT, NO_SYMBOL] {
        assert!(!json.contains(password) && !text.iter().any(|t| t.contains(password)));
    }
    assert!(text.iter().any(|t| t == "ERP  policy  breaks the company policy: shorter than 12 characters"), "{text:?}");
    assert!(json.contains(r#""kind":"no-2fa""#), "{json}");
}

#[test]
fn the_accounts_list_has_every_live_entry_and_no_secret() {
    let vault = vault();
    let rows = company::inventory::inventory(&vault);
    let systems: Vec<&str> = rows.iter().map(|r| r.system.as_str()).collect();
    assert_eq!(systems, ["CRM", "CRM backup", "ERP", "Mail"]);
    assert_eq!((rows[0].totp, rows[1].totp), (false, true));
    assert_eq!(rows[0].password_changed.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(rows[0].tags, ["CRM", "company"]);
    assert_eq!(rows[2].urls, ["https://erp.example.com"]);
    let csv = company::inventory::to_csv(&rows);
    let json = serde_json::to_string(&rows).unwrap();
    for secret in [GOOD, SHORT, NO_SYMBOL, "Zq8!wR4nTy6@pLm", "JBSWY3DPEHPK3PXP"] {
        assert!(!csv.contains(secret) && !json.contains(secret), "{secret}");
    }
}

/// The README's example (its first ```toml block) is a complete policy that loads: the
/// documentation cannot drift from what the program reads.
#[test]
fn the_readme_example_loads_and_sets_every_key() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let start = readme.find("```toml\n").expect("the README has a ```toml example") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let policy = company::parse(&readme[start..end], Path::new("README.md")).unwrap();
    assert!(policy.passwords.min_length.is_some() && policy.passwords.rotation_days.is_some());
    assert_eq!(policy.required_kinds(), Kind::ALL.to_vec());
    assert!(policy.timers.max_auto_lock_minutes.is_some() && policy.timers.max_clipboard_clear_seconds.is_some());
    assert!(policy.quick_unlock.max_hours.is_some());
    assert!(!policy.accounts.totp_required_tags.is_empty() && policy.accounts.company_tag.is_some());
}
