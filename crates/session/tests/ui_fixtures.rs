//! The page's mock backend holds no rules of its own: what it answers for strength, password
//! checks, generation and the security report was recorded here, from the session layer, into
//! `ui/src/lib/ipc/fixtures/`. This test writes those files and fails when one was stale, so a
//! changed rule cannot leave the UI's tests trusting an old answer (commit the new files).
//!
//! A UI test that needs an answer not recorded here fails with the case to add: add it to the
//! scenario lists below, run `cargo test -p crm-vault-session --test ui_fixtures`, and commit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use session::Session;
use session::view::{EntryDraft, GeneratorOptions, PasswordCheckRequest, RulesView};
use vault::{Clock, Hlc, KdfParams, MasterPassword, SystemClock, Vault, VaultFile};

const MASTER: &str = "correct horse battery staple";
const DAY: u64 = 86_400_000;
/// The report's "today", fixed so expiry findings do not change from one day to the next.
const TODAY: (i32, u32, u32) = (2026, 1, 15);
/// The breach list the mock's tests choose; the recorded report names it.
const BREACH_LIST_NAME: &str = "/data/pwned-passwords-sha1-ordered-by-hash-v8.txt";
/// SHA-1 (upper-case hex, sorted) and counts, in Have I Been Pwned's file format.
const BREACH_LIST: &str = "7C4A8D09CA3762AF61E59520943DC26494F8941B:37359195\r\n\
                           7E8B0A3433F1210A9699D85420E363A1B162ECAC:1208\r\n\
                           E35BECE6C5E6E0E86CA51D0440E92282A9D6AC8A:182331\r\n\
                           E38AD214943DAAD1D64C102FAEC29DE4AFE9DA3D:2413945\r\n";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/ipc/fixtures")
}

fn read_fixture(name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(fixtures_dir().join(name)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the fixture; returns its name when the committed file differed.
fn write_fixture(name: &str, value: &Value) -> Option<String> {
    let path = fixtures_dir().join(name);
    let current = serde_json::to_string_pretty(value).unwrap() + "\n";
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored == current {
        return None;
    }
    std::fs::write(&path, &current).unwrap();
    Some(path.display().to_string())
}

// ---- Scenarios: what the UI's tests and the mock's sample data ask. ----

/// `password_strength(password, user_inputs)`.
fn strength_cases() -> Vec<(&'static str, Vec<&'static str>)> {
    // The setup screen rates the password with the vault's path; settings with nothing else.
    let default_path = "/home/sales/Documents/CRM Vault/vault.crmv";
    let chosen_path = "/home/sales/OneDrive/CRM Vault/vault.crmv";
    vec![
        ("password1", vec![default_path]),
        ("Harbour lantern 7 quietly folds", vec![default_path]),
        ("Harbour lantern 7 quietly folds", vec![chosen_path]),
        ("password1", vec![]),
        ("Seven orange kites over Pudong", vec![]),
    ]
}

fn all_classes(min: u32, max: u32, symbols: &str) -> Value {
    json!({ "minLength": min, "maxLength": max, "symbols": symbols,
            "required": { "lower": true, "upper": true, "digits": true, "symbols": true } })
}

/// Generator recipes, as the editor sends them (the defaults changed as the tests change them).
fn generator_cases(defaults: &Value) -> Vec<Value> {
    let with = |changes: Value| {
        let mut options = defaults.clone();
        for (k, v) in changes.as_object().unwrap() {
            options[k] = v.clone();
        }
        options
    };
    vec![
        defaults.clone(),
        with(json!({ "length": 32 })),
        with(json!({ "kind": "passphrase", "words": 4, "separator": ".", "capitalise": true })),
        with(json!({ "symbolSet": "#@", "excludeSimilar": true })),
        with(json!({ "symbolSet": "ab", "excludeSimilar": true })),
        with(json!({ "length": 4 })),
        with(json!({ "length": 500 })),
        with(json!({ "kind": "passphrase", "words": 2 })),
        with(json!({ "lower": false, "upper": false, "digits": false, "symbols": false })),
        // The editor's generator makes a new password as soon as the kind changes.
        with(json!({ "kind": "passphrase" })),
    ]
}

fn rules_cases() -> Vec<Value> {
    vec![all_classes(8, 12, "#"), all_classes(10, 12, "#"), all_classes(8, 32, "")]
}

/// An entry as the mock's tests seed it; `ageDays`: days since its password was set.
fn entry(id: &str, title: &str, username: &str, password: &str) -> Value {
    json!({ "id": id, "title": title, "username": username, "password": password,
            "urls": [], "expires": null, "ageDays": 0 })
}

fn with(mut entry: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        entry[k] = v.clone();
    }
    entry
}

fn settings(rotation_days: Option<u32>) -> Value {
    json!({ "rotationDays": rotation_days, "ownerName": "", "company": "" })
}

/// The security report's tests (report.test.ts).
fn report_entries(portal: Value) -> Vec<Value> {
    vec![
        entry("erp", "ERP", "li", "Shared-Long-Password-77"),
        entry("mail", "Mail", "li", "Shared-Long-Password-77"),
        portal,
        with(entry("vpn", "VPN", "li", "Unique-Tunnel-Passphrase-42"), json!({ "expires": "2020-01-31" })),
    ]
}

/// The mock's default sample vault (`sampleEntries(12)` in mock.ts): plausible systems.
fn sample_entries() -> Vec<Value> {
    let systems = [
        ("Salesforce", "https://login.salesforce.com"),
        ("HubSpot", "https://app.hubspot.com"),
        ("Outlook", "https://outlook.office.com"),
        ("SAP ERP", "https://erp.example.com"),
        ("企业微信", "https://work.weixin.qq.com"),
        ("钉钉", "https://login.dingtalk.com"),
        ("用友 ERP", "https://yonyou.example.cn"),
        ("金蝶云", "https://kingdee.example.cn"),
        ("Partner portal", "https://partners.example.com"),
        ("Zoho CRM", "https://crm.zoho.com"),
    ];
    (0..12)
        .map(|i| {
            let (name, url) = systems[i % systems.len()];
            let num = format!("{i:05}");
            let title = if i < systems.len() { name.to_owned() } else { format!("{name} {num}") };
            json!({ "id": format!("e{num}"), "title": title, "username": format!("sales{num}@example.com"),
                    "password": format!("pw-{num}-Xq7!"), "urls": [url], "expires": null, "ageDays": 0 })
        })
        .collect()
}

// ---- Driving the session layer. ----

/// The editor's "Login window and auto-type" section as drafts send it: `alsoFillOn`,
/// `autotypeSequence`, `autotypeWindows`.
fn autofill_cases() -> Vec<Value> {
    vec![
        json!({ "alsoFillOn": ["sso.example.com/auth"], "autotypeSequence": "{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}",
                "autotypeWindows": ["*CRM*"] }),
        json!({ "alsoFillOn": ["https://sso.example.com"], "autotypeSequence": null, "autotypeWindows": ["*CRM*"] }),
        json!({ "alsoFillOn": [], "autotypeSequence": "{USERNAME}{TAB}{PASSWROD}{ENTER}", "autotypeWindows": [] }),
        json!({ "alsoFillOn": [], "autotypeSequence": "{USERNAME}{TAB}{PASSWORD}{ENTER}", "autotypeWindows": [] }),
        json!({ "alsoFillOn": ["ftp://files.example.com"], "autotypeSequence": null, "autotypeWindows": [] }),
        json!({ "alsoFillOn": [], "autotypeSequence": null, "autotypeWindows": ["//(unclosed//"] }),
    ]
}

struct Scene {
    _dir: tempfile::TempDir,
    session: Session,
    path: PathBuf,
    /// The session's entry ids, by the ids the mock's tests use.
    ids: BTreeMap<String, String>,
    /// "Now" for the report: every entry's password is `ageDays` old then.
    now_ms: u64,
}

impl Scene {
    /// A vault (made with cheap key derivation) holding `entries`, each password `ageDays` old at
    /// `now_ms`, and the vault settings `settings`.
    fn new(entries: &[Value], settings: &Value) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.crmvault");
        let author = vault::Author { device: vault::DeviceId::random(), clock: &SystemClock };
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&path, &MasterPassword::from(MASTER), cheap, &Vault::new("Work", author, "Test")).unwrap();
        let mut session = Session::new(dir.path().join("config"), dir.path().join("data"), Err("no keyring".into()));
        session.open_vault(&path).unwrap();
        session.unlock(MASTER, None).unwrap();
        let mut next = session.state().settings;
        next.rotation_days = settings["rotationDays"].as_u64().map(|d| d as u32);
        next.owner_name = settings["ownerName"].as_str().unwrap().to_owned();
        next.company = settings["company"].as_str().unwrap().to_owned();
        session.update_settings(next).unwrap();

        // The oldest passwords are set first; before each younger group the vault's clock is
        // moved on, so the next writes carry a later time (a hybrid clock never goes back).
        let base = SystemClock.now_ms();
        let age = |e: &Value| e["ageDays"].as_u64().unwrap();
        let oldest = entries.iter().map(age).max().unwrap_or(0);
        let mut ages: Vec<u64> = entries.iter().map(age).collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        ages.dedup();
        let mut ids = BTreeMap::new();
        for group in ages {
            let stamp = base + (oldest - group) * DAY;
            if stamp > base {
                session.lock();
                let (mut file, mut vault) = VaultFile::open(&path, &MasterPassword::from(MASTER)).unwrap();
                vault.clock = Hlc { wall_ms: stamp, counter: 0, device: vault.clock.device };
                file.save(&mut vault, &SystemClock).unwrap();
                session.unlock(MASTER, None).unwrap();
            }
            for e in entries.iter().filter(|e| age(e) == group) {
                let draft: EntryDraft = serde_json::from_value(json!({
                    "title": e["title"], "username": e["username"], "password": e["password"],
                    "urls": e["urls"], "notes": "", "tags": [], "fields": [], "rules": null,
                    "expires": e["expires"], "totp": { "action": "keep" },
                }))
                .unwrap();
                let id = session.save_entry(None, draft).unwrap();
                ids.insert(e["id"].as_str().unwrap().to_owned(), id);
            }
        }
        // An hour past the last group: saves take seconds, so whole days come out as set.
        let now_ms = base + oldest * DAY + 3_600_000;
        Scene { _dir: dir, session, path, ids, now_ms }
    }

    /// `value` with the session's entry ids replaced by the mock's.
    fn with_mock_ids(&self, value: Value) -> Value {
        let mut text = value.to_string();
        for (mock, real) in &self.ids {
            text = text.replace(real.as_str(), mock);
        }
        serde_json::from_str(&text).unwrap()
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

fn answer<T: serde::Serialize>(result: Result<T, session::view::IpcError>) -> Value {
    match result {
        Ok(value) => serde_json::to_value(value).unwrap(),
        Err(e) => json!({ "error": e.code }),
    }
}

/// A generated password is random: the one recorded before is kept while it is still the kind
/// of answer the session gives now (same entropy, same length or number of words), so the
/// fixtures change only when a rule does.
fn keep_recorded(fresh: Value, recorded: Option<&Value>, separator: Option<&str>) -> Value {
    let Some(old) = recorded else { return fresh };
    let shape = |v: &Value| {
        let password = v["password"].as_str().unwrap_or_default();
        let parts = match separator {
            Some(sep) if !sep.is_empty() => password.split(sep).count(),
            _ => password.chars().count(),
        };
        (v.get("error").cloned(), v["entropyBits"].as_f64().map(|bits| format!("{bits:.9}")), parts)
    };
    if shape(old) == shape(&fresh) { old.clone() } else { fresh }
}

fn recorded_answer<'a>(recorded: &'a Option<Value>, list: &str, key: &str, request: &Value) -> Option<&'a Value> {
    recorded.as_ref()?[list].as_array()?.iter().find(|r| &r[key] == request).map(|r| &r["answer"])
}

#[test]
fn the_ui_fixtures_hold_the_session_layers_answers() {
    let mut stale = Vec::new();

    let strength: Vec<Value> = strength_cases()
        .into_iter()
        .map(|(password, inputs)| {
            let inputs: Vec<String> = inputs.into_iter().map(str::to_owned).collect();
            let answer = session::tools::strength(password, &inputs);
            json!({ "password": password, "userInputs": inputs, "answer": answer })
        })
        .collect();
    stale.extend(write_fixture("strength.json", &Value::Array(strength)));

    // Generation: defaults from a fresh device, each recipe's answer or refusal.
    let recorded = read_fixture("generator.json");
    let scene = Scene::new(&[], &settings(Some(90)));
    let mut session = scene.session;
    let defaults = serde_json::to_value(session.generator_options()).unwrap();
    let mut samples = Vec::new();
    for options in generator_cases(&defaults) {
        let parsed: GeneratorOptions = serde_json::from_value(options.clone()).unwrap();
        let fresh = answer(session.generate_password(parsed));
        let separator = (options["kind"] == "passphrase").then(|| options["separator"].as_str().unwrap_or_default());
        let kept = keep_recorded(fresh, recorded_answer(&recorded, "samples", "options", &options), separator);
        samples.push(json!({ "options": options, "answer": kept }));
    }
    let mut for_rules = Vec::new();
    for rules in rules_cases() {
        let parsed: RulesView = serde_json::from_value(rules.clone()).unwrap();
        let fresh = answer(session::session::generate_for_rules(&parsed));
        let kept = keep_recorded(fresh, recorded_answer(&recorded, "forRules", "rules", &rules), None);
        for_rules.push(json!({ "rules": rules, "answer": kept }));
    }
    let generator = json!({ "defaults": defaults, "samples": samples, "forRules": for_rules });
    stale.extend(write_fixture("generator.json", &generator));

    // The password the report's "fix" generates for Portal (its rules: 10 to 12, '#').
    let portal_fixed = for_rules[1]["answer"]["password"].as_str().unwrap().to_owned();

    // Password checks in the editor, with the vault they were typed against.
    let two_shared = vec![
        entry("erp", "ERP", "li", "Shared-Long-Password-77"),
        entry("mail", "Mail", "li", "Shared-Long-Password-77"),
    ];
    let request = |id: Value, password: &str, title: &str, rules: Value| json!({ "id": id, "password": password, "title": title, "username": "", "urls": [], "rules": rules });
    let sample = |options: usize| samples[options]["answer"]["password"].as_str().unwrap().to_owned();
    let check_cases: Vec<(Vec<Value>, Value)> = vec![
        (two_shared.clone(), request(Value::Null, "Shared-Long-Password-77", "CRM", Value::Null)),
        (two_shared.clone(), request(Value::Null, "password1", "CRM", Value::Null)),
        // Rules typed in the editor: a password that breaks them, then the one made by them.
        (vec![], request(Value::Null, "abc$", "Bank", all_classes(8, 12, "#"))),
        (
            vec![],
            request(Value::Null, for_rules[0]["answer"]["password"].as_str().unwrap(), "Bank", all_classes(8, 12, "#")),
        ),
        // Contradictory rules, before any title or password.
        (vec![], request(Value::Null, "", "", all_classes(8, 32, ""))),
        // A new entry's generated password (32 characters).
        (
            vec![],
            json!({ "id": null, "password": sample(1), "title": "Partner portal", "username": "li.wei@example.com",
                    "urls": ["https://partners.example.com"], "rules": null }),
        ),
    ];
    let mut checks = Vec::new();
    for (entries, req) in check_cases {
        let scene = Scene::new(&entries, &settings(Some(90)));
        let mut real = req.clone();
        if let Some(id) = req["id"].as_str() {
            real["id"] = json!(scene.ids[id]);
        }
        let parsed: PasswordCheckRequest = serde_json::from_value(real).unwrap();
        let answer = scene.with_mock_ids(answer(scene.session.check_password(&parsed)));
        checks.push(
            json!({ "vault": vault_key(&entries), "settings": settings(Some(90)), "request": req, "answer": answer }),
        );
    }
    stale.extend(write_fixture("checks.json", &Value::Array(checks)));

    // Security reports of whole vaults.
    let portal = with(entry("portal", "Portal", "li", "password1"), json!({ "ageDays": 200 }));
    let fixed = entry("portal", "Portal", "li", &portal_fixed);
    let report_cases: Vec<(Vec<Value>, Value, bool)> = vec![
        (report_entries(portal.clone()), settings(Some(90)), false),
        (report_entries(portal), settings(Some(90)), true),
        (report_entries(fixed), settings(Some(90)), false),
        (sample_entries(), settings(Some(90)), false),
    ];
    let mut reports = Vec::new();
    for (entries, vault_settings, breach_list) in report_cases {
        let mut scene = Scene::new(&entries, &vault_settings);
        if breach_list {
            let list = scene.path.with_file_name("pwned.txt");
            std::fs::write(&list, BREACH_LIST).unwrap();
            scene.session.set_hibp_file(Some(list)).unwrap();
        }
        let mut report = scene.with_mock_ids(answer(scene.session.security_report(scene.now_ms, today())));
        if breach_list {
            report["breaches"]["file"] = json!(BREACH_LIST_NAME);
        }
        scene.session.lock();
        let (_, vault) = VaultFile::open(&scene.path, &MasterPassword::from(MASTER)).unwrap();
        let due = vault::health::due_for_rotation(&vault, scene.now_ms, today());
        reports.push(json!({
            "vault": report_key(&entries), "settings": vault_settings, "breachList": breach_list,
            "answer": report, "rotationDue": due,
        }));
    }
    stale.extend(write_fixture("reports.json", &Value::Array(reports)));

    // The editor's login window and auto-type settings: what is stored, or the refusal.
    let mut scene = Scene::new(&[], &json!({ "rotationDays": null, "ownerName": "", "company": "" }));
    let autofill: Vec<Value> = autofill_cases()
        .into_iter()
        .map(|settings| {
            let mut draft = json!({
                "title": "CRM", "username": "li", "password": "pw", "urls": [], "notes": "", "tags": [],
                "fields": [], "rules": null, "expires": null, "totp": { "action": "keep" },
            });
            for (key, value) in settings.as_object().unwrap() {
                draft[key] = value.clone();
            }
            let saved = scene.session.save_entry(None, serde_json::from_value(draft).unwrap());
            let answer = match saved.and_then(|id| scene.session.entry_detail(&id)) {
                Ok(detail) => json!({
                    "alsoFillOn": detail.also_fill_on,
                    "autotypeSequence": detail.autotype_sequence,
                    "autotypeWindows": detail.autotype_windows,
                }),
                Err(e) => json!({ "error": e.code, "position": e.position }),
            };
            json!({ "settings": settings, "answer": answer })
        })
        .collect();
    stale.extend(write_fixture("autofill.json", &Value::Array(autofill)));

    assert!(stale.is_empty(), "stale UI fixtures were rewritten, commit them: {stale:?}");
}

/// What of the vault a password check depends on, as the mock describes its entries.
fn vault_key(entries: &[Value]) -> Value {
    let mut key: Vec<Value> =
        entries.iter().map(|e| json!({ "id": e["id"], "title": e["title"], "password": e["password"] })).collect();
    key.sort_by_key(|e| e["id"].as_str().unwrap().to_owned());
    Value::Array(key)
}

/// What of the vault the report depends on, as the mock describes its entries.
fn report_key(entries: &[Value]) -> Value {
    let mut key: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({ "id": e["id"], "title": e["title"], "username": e["username"], "password": e["password"],
                    "urls": e["urls"], "expires": e["expires"], "ageDays": e["ageDays"] })
        })
        .collect();
    key.sort_by_key(|e| e["id"].as_str().unwrap().to_owned());
    Value::Array(key)
}
