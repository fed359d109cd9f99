use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::SecretString;
use vault::company::PolicySource;
use vault::quick_unlock::KeyStore;
use vault::{KdfParams, NewEntry, SystemClock, Vault, VaultFile};

use super::*;
use crate::session::QuickUnlockSystem;
use crate::testing::Keyring;

const PASSWORD: &str = "granite otter lantern meadow 47";
const PIN: &str = "482916";
const SHORT: &str = "Kx7#pQ2m";
const NO_SYMBOL: &str = "Kx7pQ2mLw9zvTa";
const GOOD: &str = "Kx7#pQ2mLw9z!vT";
const TOTP_KEY: &str = "JBSWY3DPEHPK3PXP";

const POLICY: &str = r#"
[passwords]
min_length = 12
require = ["lower", "upper", "digits", "symbols"]
rotation_days = 30

[timers]
max_auto_lock_minutes = 10
max_clipboard_clear_seconds = 30

[quick_unlock]
allowed = true
max_hours = 8

[accounts]
totp_required_tags = ["crm"]
company_tag = "company"
"#;

struct Laptop {
    dir: tempfile::TempDir,
    keyring: Arc<Keyring>,
}

impl Laptop {
    fn new() -> Laptop {
        Laptop { dir: tempfile::tempdir().unwrap(), keyring: Arc::default() }
    }

    fn policy_path(&self) -> PathBuf {
        self.dir.path().join("policy.toml")
    }

    /// The app on a computer whose policy file says `policy` (`None`: no file).
    fn start(&self, policy: Option<&str>) -> Session {
        match policy {
            Some(text) => std::fs::write(self.policy_path(), text).unwrap(),
            None => {
                let _ = std::fs::remove_file(self.policy_path());
            }
        }
        let keyring: Arc<dyn KeyStore + Send + Sync> = self.keyring.clone();
        let quick = QuickUnlockSystem::new(Ok(keyring), Arc::new(SystemClock), "boot-1".into());
        let location = PolicyLocation { path: self.policy_path(), source: PolicySource::Environment };
        Session::with_quick_unlock_system(self.dir.path().join("config"), self.dir.path().join("data"), quick)
            .with_company_policy(&location)
    }

    /// A vault whose own settings are generous (an hour's auto-lock, two minutes on the
    /// clipboard, rotation every 90 days), with entries the policy has something to say about.
    fn vault(&self, app: &mut Session) -> PathBuf {
        let path = self.dir.path().join("work.crmvault");
        if path.exists() {
            app.open_vault(&path).unwrap();
            return path;
        }
        let author = app.author();
        let mut vault = Vault::new("work", author, "laptop");
        vault.set_timers(60, 120, author);
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
        add("CRM", GOOD, "", &["crm", "company"]);
        add("ERP", SHORT, TOTP_KEY, &["crm"]);
        add("Mail", NO_SYMBOL, "", &[]);
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&path, &SecretString::from(PASSWORD), cheap, &vault).unwrap();
        app.open_vault(&path).unwrap();
        path
    }

    fn unlocked(&self, policy: Option<&str>) -> Session {
        let mut app = self.start(policy);
        self.vault(&mut app);
        app.unlock(PASSWORD, None).unwrap();
        app
    }
}

fn code<T: std::fmt::Debug>(result: Result<T>) -> ErrorCode {
    result.unwrap_err().code
}

#[test]
fn settings_are_capped_by_the_policy_and_updates_that_break_it_are_refused() {
    let laptop = Laptop::new();
    let app = laptop.unlocked(None);
    let free = app.state().settings;
    assert_eq!((free.auto_lock_minutes, free.clipboard_clear_seconds, free.rotation_days), (60, 120, Some(90)));
    assert_eq!(app.company_policy_view().state, "none");

    let mut app = laptop.unlocked(Some(POLICY));
    let capped = app.state().settings;
    assert_eq!((capped.auto_lock_minutes, capped.clipboard_clear_seconds, capped.rotation_days), (10, 30, Some(30)));
    assert_eq!(app.clipboard_clear_seconds(), 30);
    let view = app.company_policy_view();
    assert_eq!((view.state.as_str(), view.path.clone()), ("in-force", laptop.policy_path().display().to_string()));
    assert_eq!(
        view.locked,
        LockedSettings {
            rotation_days: true,
            auto_lock_minutes: true,
            clipboard_clear_seconds: true,
            quick_unlock: true,
            generator: true
        }
    );

    for (auto_lock, clipboard, rotation) in [(0, 30, Some(30)), (11, 30, Some(30)), (10, 31, Some(30)), (10, 30, None)]
    {
        let asked = Settings {
            auto_lock_minutes: auto_lock,
            clipboard_clear_seconds: clipboard,
            rotation_days: rotation,
            ..capped.clone()
        };
        assert_eq!(code(app.update_settings(asked)), ErrorCode::PolicyForbids, "{auto_lock} {clipboard} {rotation:?}");
    }
    // What the page was shown goes back unchanged: accepted, and the vault's own rotation kept.
    let state = app.update_settings(Settings { auto_lock_minutes: 7, ..capped.clone() }).unwrap();
    assert_eq!((state.settings.auto_lock_minutes, state.settings.rotation_days), (7, Some(30)));
    assert_eq!(app.open.as_ref().unwrap().vault.settings.rotation_days.value, Some(90));
}

#[test]
fn quick_unlock_is_refused_or_shortened() {
    let laptop = Laptop::new();
    let refused = POLICY.replace("allowed = true", "allowed = false");
    let mut app = laptop.start(Some(&refused));
    laptop.vault(&mut app);
    let status = app.state().quick_unlock;
    assert_eq!((status.available, status.reason), (false, Some(ErrorCode::PolicyForbids)));
    assert_eq!(code(app.unlock(PASSWORD, Some(PIN))), ErrorCode::PolicyForbids);
    app.unlock(PASSWORD, None).unwrap();
    assert_eq!(code(app.set_quick_unlock(true, 1, Some(PIN))), ErrorCode::PolicyForbids);

    let mut app = laptop.start(Some(POLICY));
    laptop.vault(&mut app);
    assert_eq!(app.state().quick_unlock.max_hours, 8);
    // "Remember on this device" (a day, usually) lasts the policy's 8 hours.
    let before = vault::Clock::now_ms(&SystemClock);
    let state = app.unlock(PASSWORD, Some(PIN)).unwrap();
    let until = state.quick_unlock.until.unwrap();
    assert!(until <= before + 8 * 3_600_000 + 60_000 && until > before + 7 * 3_600_000, "{until} {before}");
    assert_eq!(code(app.set_quick_unlock(true, 9, Some(PIN))), ErrorCode::PolicyForbids);
    assert!(app.set_quick_unlock(true, 8, Some(PIN)).unwrap().quick_unlock.enabled);
}

#[test]
fn the_generator_follows_the_policy_whatever_the_options() {
    let laptop = Laptop::new();
    let mut app = laptop.unlocked(Some(POLICY));
    let policy = app.company_policy().unwrap().clone();
    let weak = GeneratorOptions {
        kind: GeneratorKind::Characters,
        length: 8,
        lower: true,
        upper: false,
        digits: false,
        symbols: false,
        ..crate::desktop::default_generator()
    };
    let passphrase = GeneratorOptions {
        kind: GeneratorKind::Passphrase,
        words: 3,
        capitalise: false,
        add_digit: false,
        separator: " ".into(),
        ..weak.clone()
    };
    for options in [weak.clone(), passphrase] {
        for _ in 0..300 {
            let made = app.generate_password(options.clone()).unwrap();
            assert_eq!(policy.check(made.password.expose()), None);
        }
    }
    app.generate_password(weak).unwrap();
    let shown = app.generator_options();
    assert_eq!((shown.length, shown.upper, shown.digits, shown.symbols), (12, true, true, true));

    let rules = RulesView {
        min_length: 8,
        max_length: 16,
        symbols: "!".into(),
        required: RequiredKinds { lower: false, upper: false, digits: false, symbols: false },
    };
    for _ in 0..200 {
        let made = app.generate_for_rules_in_force(&rules).unwrap();
        assert_eq!(policy.check(made.password.expose()), None);
    }
}

#[test]
fn the_report_and_the_editor_check_name_policy_and_no_2fa() {
    let laptop = Laptop::new();
    let app = laptop.unlocked(Some(POLICY));
    let now = vault::Clock::now_ms(&SystemClock);
    let report = app.security_report(now, crate::session::today()).unwrap();
    let found: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| matches!(f.kind, FindingKind::Policy | FindingKind::No2fa))
        .map(|f| (f.title.clone(), serde_json::to_string(&f.detail).unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("CRM".to_owned(), r#"{"kind":"no-2fa","tag":"crm"}"#.to_owned()),
            ("ERP".to_owned(), r#"{"kind":"policy","tooShort":12,"missing":[]}"#.to_owned()),
            ("Mail".to_owned(), r#"{"kind":"policy","tooShort":null,"missing":["symbols"]}"#.to_owned()),
        ]
    );
    let json = serde_json::to_string(&report).unwrap();
    for secret in [GOOD, SHORT, NO_SYMBOL, TOTP_KEY] {
        assert!(!json.contains(secret));
    }

    let request = PasswordCheckRequest {
        id: None,
        password: "abcdefgh".into(),
        title: "New".into(),
        username: String::new(),
        urls: vec![],
        rules: None,
    };
    let check = app.check_password(&request).unwrap();
    assert!(
        check
            .issues
            .iter()
            .any(|i| matches!(i, FindingDetail::Policy { too_short: Some(12), missing } if missing.len() == 3))
    );
}

#[test]
fn a_malformed_file_is_shown_with_its_line_and_nothing_of_it_is_applied() {
    let laptop = Laptop::new();
    let broken = POLICY.replace("max_clipboard_clear_seconds = 30", "max_clipboard_clear_seconds = \"30\"");
    let app = laptop.unlocked(Some(&broken));
    let view = app.company_policy_view();
    assert_eq!(view.state, "malformed");
    let error = view.error.unwrap();
    assert_eq!((error.line, error.column), (Some(9), Some(31)));
    assert_eq!(view.locked, LockedSettings::default());
    let settings = app.state().settings;
    assert_eq!(
        (settings.auto_lock_minutes, settings.clipboard_clear_seconds, settings.rotation_days),
        (60, 120, Some(90))
    );
    assert!(app.state().quick_unlock.available);
}

#[test]
fn the_policy_is_read_again_at_unlock() {
    let laptop = Laptop::new();
    let mut app = laptop.unlocked(None);
    assert!(app.company_policy().is_none());
    app.lock();
    std::fs::write(laptop.policy_path(), POLICY).unwrap();
    app.unlock(PASSWORD, None).unwrap();
    assert_eq!(app.state().settings.auto_lock_minutes, 10);
}

#[test]
fn the_accounts_list_has_no_secret_and_saves_as_csv() {
    let laptop = Laptop::new();
    let mut app = laptop.unlocked(None);
    let rows = app.inventory().unwrap();
    let systems: Vec<(&str, bool)> = rows.iter().map(|r| (r.system.as_str(), r.totp)).collect();
    assert_eq!(systems, [("CRM", false), ("ERP", true), ("Mail", false)]);
    assert_eq!(rows[0].tags, ["company", "crm"]);
    let out: &Path = &laptop.dir.path().join("accounts.csv");
    app.save_inventory_csv(out).unwrap();
    let csv = std::fs::read_to_string(out).unwrap();
    assert!(csv.starts_with("system,username,urls,totp,password_changed,tags\nCRM,li.wei,https://crm.example.com,no,"));
    for secret in [GOOD, SHORT, NO_SYMBOL, TOTP_KEY, PASSWORD] {
        assert!(!csv.contains(secret) && !serde_json::to_string(&rows).unwrap().contains(secret));
    }
}

#[test]
fn company_accounts_go_to_it_by_the_policys_tag_without_expiry_and_the_handover_is_logged() {
    let laptop = Laptop::new();
    let mut app = laptop.unlocked(None);
    let out = laptop.dir.path().join("company.crmhandover");
    // Without a policy there is no company tag to go by.
    let refused = app.hand_over_company_accounts("IT", "granite otter lantern meadow 47 blue", &out).unwrap_err();
    assert_eq!(refused.code, ErrorCode::HandoverNoTagged);
    assert!(!out.exists());

    let mut app = laptop.unlocked(Some(POLICY));
    let made = app.hand_over_company_accounts("IT", "granite otter lantern meadow 47 blue", &out).unwrap();
    assert_eq!((made.entries, made.expires), (1, None), "the one entry tagged \"company\", for good");
    assert!(out.exists());
    let given = app.given_handovers().unwrap();
    assert_eq!((given[0].to.as_str(), given[0].entries[0].title.as_str()), ("IT", "CRM"));
    let logged = app.activity(&Default::default()).unwrap();
    assert!(
        logged
            .events
            .iter()
            .any(|e| e.kind == "handover-made" && e.detail.contains("to IT, 1 entries, until no expiry"))
    );
}
