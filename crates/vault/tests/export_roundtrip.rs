//! Exports read back. The encrypted JSON export brings a whole vault back through `import`
//! (clocks, history and the trash included), into a new vault or into a copy of the same one;
//! the CSV export comes back through the CSV importer with everything Bitwarden's layout holds.
//! Damaged, altered and hostile export files are refused with the right reason. And the test
//! vector in docs/FORMAT.md ("Export file (encrypted JSON)") is what the writer writes and what an
//! outside reader following the page decrypts.
//!
//! `CRM_VAULT_WRITE_VECTORS=1 cargo test -p crm-vault-core --test export_roundtrip -- --ignored`
//! rewrites the vector files; do that only when the export format changes (and bump its version).

use proptest::prelude::*;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::path::PathBuf;
use vault::activity::{Event, EventKind};
use vault::crypto::{self, KdfParams, SecretKey};
use vault::export::{self, ExportError};
use vault::import::{self, Contents, FileKey, ImportError, Options, Read, Source};
use vault::model::{EntryId, VaultId};
use vault::{Author, Clock, CustomField, DeviceId, Entry, EntryEdit, NewEntry, SecretText, Vault};

const PASSWORD: &str = "导出 export 密码 🔐";
/// The cheapest settings a vault accepts: the tests run Argon2id many times.
const LIGHT: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
const START_MS: u64 = 1_800_000_000_000;

struct TestClock(Cell<u64>);

impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

impl TestClock {
    fn advance(&self, ms: u64) {
        self.0.set(self.0.get() + ms);
    }
}

fn password() -> SecretText {
    SecretText::new(PASSWORD)
}

fn read_back(bytes: &[u8], password: Option<&SecretText>) -> Result<Read, ImportError> {
    import::read(bytes, None, FileKey { password, key_file: None }, Options::default(), &mut |_, _| {})
}

/// Every member of two entries, one by one (so a failure names the member), then the whole.
fn assert_same_entry(got: &Entry, want: &Entry) {
    let title = &want.title.value;
    assert_eq!(got.id, want.id, "{title}: id");
    assert_eq!(got.created, want.created, "{title}: created");
    assert_eq!(got.title, want.title, "{title}: title");
    assert_eq!(got.username, want.username, "{title}: username");
    assert_eq!(got.password, want.password, "{title}: password");
    assert_eq!(got.urls, want.urls, "{title}: urls");
    assert_eq!(got.notes, want.notes, "{title}: notes");
    assert_eq!(got.totp, want.totp, "{title}: totp");
    assert_eq!(got.tags, want.tags, "{title}: tags");
    assert_eq!(got.fields, want.fields, "{title}: custom fields");
    assert_eq!(got.expires, want.expires, "{title}: expiry");
    assert_eq!(got.deleted, want.deleted, "{title}: deleted");
    assert_eq!(got.history, want.history, "{title}: history");
    assert_eq!(got, want, "{title}: the whole entry");
}

fn assert_same_entries(got: &Vault, want: &Vault) {
    let ids = |v: &Vault| v.entries.keys().copied().collect::<Vec<EntryId>>();
    assert_eq!(ids(got), ids(want), "the same entries, the trash included");
    for (id, entry) in &want.entries {
        assert_same_entry(&got.entries[id], entry);
    }
}

// ---------------------------------------------------------------------------------------------
// Random vaults

/// A word of Latin letters, digits, Chinese and emoji. Never starts with a space or a character a
/// spreadsheet reads as a formula, and holds no CSV separator the importer splits on.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9客户销售密码北京上海纷享🔑😀🚀][a-zA-Z0-9客户销售密码北京上海纷享🔑😀🚀_.]{0,7}"
}

/// Words joined by spaces and line breaks.
fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), prop::bool::ANY), 1..5).prop_map(|words| {
        let mut out = String::new();
        for (n, (word, newline)) in words.into_iter().enumerate() {
            if n > 0 {
                out.push(if newline { '\n' } else { ' ' });
            }
            out.push_str(&word);
        }
        out
    })
}

#[derive(Debug, Clone)]
struct Spec {
    title: String,
    /// May start with "+" or "@": a phone number or a handle.
    username: String,
    /// Any printable text, spaces, quotes, commas and formula characters included.
    password: String,
    urls: Vec<String>,
    notes: String,
    totp: bool,
    tags: Vec<String>,
    fields: Vec<(String, String, bool)>,
    /// Later values: each a new title, password and notes, a step of the clock apart.
    edits: Vec<(Option<String>, Option<String>, Option<String>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let url = (word(), word()).prop_map(|(host, path)| format!("https://{host}.example.com/{path}"));
    let field = (word(), "[^\\x00-\\x1f]{0,12}", prop::bool::ANY);
    let edit = (prop::option::of(phrase()), prop::option::of("[ -~密码🔑]{1,16}"), prop::option::of(phrase()));
    (
        phrase(),
        "[+@]?[a-z0-9客户🔑.]{1,10}",
        "[ -~密码🔑]{0,20}",
        prop::collection::vec(url, 0..4),
        prop::option::of(phrase()),
        prop::bool::ANY,
        prop::collection::btree_set(word(), 0..4),
        prop::collection::btree_map(word(), field, 0..3),
        prop::collection::vec(edit, 0..3),
    )
        .prop_map(|(title, username, password, urls, notes, totp, tags, fields, edits)| Spec {
            title,
            username,
            password,
            urls,
            notes: notes.unwrap_or_default(),
            totp,
            tags: tags.into_iter().collect(),
            fields: fields.into_iter().map(|(name, (_, value, hidden))| (name, value, hidden)).collect(),
            edits,
        })
}

/// A vault made of `specs` the way a user makes one: entries added, edited a step of the clock
/// apart (so they have history), one of them deleted, an activity log.
fn build(specs: &[Spec], delete: usize) -> Vault {
    let clock = TestClock(Cell::new(START_MS));
    let author = Author { device: DeviceId(0x1111_2222_3333_4444), clock: &clock };
    let mut vault = Vault::new("销售 Sales 🚀", author, "笔记本 LAPTOP-1");
    let mut ids = Vec::new();
    for (n, spec) in specs.iter().enumerate() {
        clock.advance(1_000);
        let new = NewEntry {
            // Titles differ, so that no two entries are the same login.
            title: format!("{} {n}", spec.title),
            username: spec.username.clone(),
            password: SecretText::new(spec.password.as_str()),
            urls: spec.urls.clone(),
            notes: spec.notes.clone(),
            totp: SecretText::new(if spec.totp {
                format!("otpauth://totp/CRM:{n}?secret=JBSWY3DPEHPK3PXP")
            } else {
                String::new()
            }),
            tags: spec.tags.clone(),
            fields: spec
                .fields
                .iter()
                .map(|(name, value, hidden)| {
                    (name.clone(), CustomField { value: value.as_str().into(), hidden: *hidden })
                })
                .collect(),
            ..NewEntry::default()
        };
        ids.push(vault.add_entry(new, author));
        vault.activity.add(Event::at(EventKind::EntryCreated, clock.now_ms(), author.device));
    }
    for (n, spec) in specs.iter().enumerate() {
        for (title, password, notes) in &spec.edits {
            clock.advance(60_000);
            let edit = EntryEdit {
                title: title.as_ref().map(|t| format!("{t} {n}")),
                password: password.as_deref().map(SecretText::from),
                notes: notes.clone(),
                ..EntryEdit::default()
            };
            vault.edit_entry(ids[n], edit, author).unwrap();
        }
    }
    if !ids.is_empty() {
        clock.advance(1_000);
        vault.delete_entry(ids[delete % ids.len()], author).unwrap();
    }
    vault
}

/// An empty vault on another laptop, to import into.
fn other_vault() -> Vault {
    let clock = TestClock(Cell::new(START_MS + 86_400_000));
    Vault::new("新 New", Author { device: DeviceId(0x5555_6666_7777_8888), clock: &clock }, "LAPTOP-2")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// vault -> encrypted JSON -> import: the whole vault comes back, into a new vault (every
    /// entry, in the trash or not, with its clocks and history) and into a copy of the same vault
    /// (merged whole: an edit made on the copy after the export survives).
    #[test]
    fn the_encrypted_json_export_brings_the_whole_vault_back(specs in prop::collection::vec(spec(), 1..6), delete in 0usize..6) {
        let original = build(&specs, delete);
        let bytes = export::json::write(&original, &password(), LIGHT).unwrap();

        let read = read_back(&bytes, Some(&password())).unwrap();
        prop_assert_eq!(&read.source, &Source::CrmVault);
        prop_assert!(read.skipped.is_empty());
        let Contents::Vault(back) = &read.contents else { panic!("an export reads as a whole vault") };
        prop_assert_eq!(&**back, &original, "the vault read back is the vault exported");

        // Into a new, empty vault: every entry arrives as it was.
        let mut target = other_vault();
        let live = original.live_entries().count();
        let plan = import::plan(&target, &read);
        prop_assert_eq!((plan.arriving, plan.already.len()), (live, 0));
        let clock = TestClock(Cell::new(START_MS + 86_400_000));
        let author = Author { device: DeviceId(0x5555_6666_7777_8888), clock: &clock };
        let summary = import::apply(&mut target, read, author).unwrap();
        prop_assert_eq!(summary.added, live);
        assert_same_entries(&target, &original);
        prop_assert!(target.trashed_entries().len() == original.trashed_entries().len());
        // Again: nothing changes.
        let before = target.clone();
        import::apply(&mut target, read_back(&bytes, Some(&password())).unwrap(), author).unwrap();
        prop_assert_eq!(&target.entries, &before.entries);

        // Into a copy of the same vault, edited after the export: merged whole.
        let mut copy = original.clone();
        // In the trash or not: an edit brings it back.
        let first = *copy.entries.keys().next().unwrap();
        let clock = TestClock(Cell::new(START_MS + 10 * 86_400_000));
        let author = Author { device: DeviceId(0x1111_2222_3333_4444), clock: &clock };
        let edit = EntryEdit { title: Some("改了 renamed later".into()), ..EntryEdit::default() };
        copy.edit_entry(first, edit, author).unwrap();
        let edited = copy.entries[&first].clone();
        let read = read_back(&bytes, Some(&password())).unwrap();
        let plan = import::plan(&copy, &read);
        prop_assert_eq!((plan.arriving, plan.already.len()), (0, live));
        import::apply(&mut copy, read, author).unwrap();
        prop_assert_eq!(copy.id, original.id);
        assert_same_entry(&copy.entries[&first], &edited);
        for (id, entry) in original.entries.iter().filter(|(id, _)| **id != first) {
            assert_same_entry(&copy.entries[id], entry);
        }
        prop_assert_eq!(&copy.activity, &original.activity);
        prop_assert_eq!(&copy.devices, &original.devices);
    }

    /// vault -> CSV -> CSV import: every live entry comes back with its title, user name,
    /// password, URLs, notes, TOTP, custom fields and first tag (the folder); the trash stays out.
    #[test]
    fn the_csv_export_comes_back_through_the_csv_importer(specs in prop::collection::vec(spec(), 1..6), delete in 0usize..6) {
        let original = build(&specs, delete);
        let bytes = export::csv::write(&original);
        let read = read_back(&bytes, None).unwrap();
        prop_assert_eq!(&read.source, &Source::Csv(import::csv::Source::Bitwarden));
        prop_assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        let Contents::Entries(entries) = &read.contents else { panic!("a CSV reads as entries") };
        prop_assert_eq!(entries.len(), original.live_entries().count());
        for want in original.live_entries() {
            let title = &want.title.value;
            let got = entries.iter().find(|i| &i.entry.title == title);
            let Some(got) = got.map(|i| &i.entry) else { panic!("\"{title}\" did not come back") };
            prop_assert_eq!(&got.username, &want.username.value);
            prop_assert_eq!(got.password.expose(), want.password.value.expose(), "{}: password", title);
            prop_assert_eq!(&got.urls, &want.urls.value, "{}: urls", title);
            prop_assert_eq!(&got.notes, &want.notes.value, "{}: notes", title);
            prop_assert_eq!(got.totp.expose(), want.totp.value.expose(), "{}: totp", title);
            let first_tag: Vec<String> = want.tags().take(1).map(str::to_owned).collect();
            prop_assert_eq!(&got.tags, &first_tag, "{}: folder", title);
            let fields: Vec<(&str, &str)> = got.fields.iter().map(|(n, f)| (n.as_str(), f.value.expose())).collect();
            let wanted: Vec<(&str, &str)> = want.custom_fields().map(|(n, f)| (n, f.value.expose())).collect();
            prop_assert_eq!(fields, wanted, "{}: custom fields", title);
        }
        let mut target = other_vault();
        let clock = TestClock(Cell::new(START_MS + 86_400_000));
        let author = Author { device: DeviceId(0x5555_6666_7777_8888), clock: &clock };
        let summary = import::apply(&mut target, read, author).unwrap();
        prop_assert_eq!(summary.added, original.live_entries().count());
    }
}

// ---------------------------------------------------------------------------------------------
// The CSV file itself

fn one_entry(new: NewEntry) -> Vault {
    let clock = TestClock(Cell::new(START_MS));
    let author = Author { device: DeviceId(7), clock: &clock };
    let mut vault = Vault::new("v", author, "laptop");
    vault.add_entry(new, author);
    vault
}

#[test]
fn the_csv_has_bitwardens_columns_and_one_row_per_live_entry() {
    let mut vault = one_entry(NewEntry {
        title: "纷享销客 CRM".into(),
        username: "li.wei".into(),
        password: "p,w\"1 密码".into(),
        urls: vec!["https://www.fxiaoke.com".into(), "https://sso.example.com".into()],
        notes: "line 1\nline 2".into(),
        totp: "otpauth://totp/CRM:li?secret=JBSWY3DPEHPK3PXP".into(),
        tags: vec!["sales".into(), "crm".into()],
        fields: vec![
            ("employee id".into(), CustomField { value: "E1".into(), hidden: false }),
            ("PIN".into(), CustomField { value: "1234".into(), hidden: true }),
        ],
        ..NewEntry::default()
    });
    let clock = TestClock(Cell::new(START_MS + 1));
    let author = Author { device: DeviceId(7), clock: &clock };
    let gone = vault.add_entry(NewEntry { title: "In the trash".into(), ..NewEntry::default() }, author);
    vault.delete_entry(gone, author).unwrap();
    let csv = String::from_utf8(export::csv::write(&vault).to_vec()).unwrap();
    assert_eq!(
        csv,
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
         crm,,login,纷享销客 CRM,\"line 1\nline 2\",\"PIN: 1234\nemployee id: E1\",0,\
         \"https://www.fxiaoke.com,https://sso.example.com\",li.wei,\"p,w\"\"1 密码\",\
         otpauth://totp/CRM:li?secret=JBSWY3DPEHPK3PXP\n"
    );
}

/// A title or note that a spreadsheet would run is made inert; the user name, password and TOTP
/// link are kept exactly, or the logins would break in the next password manager.
#[test]
fn formula_cells_are_made_inert_but_credentials_are_kept_exactly() {
    let vault = one_entry(NewEntry {
        title: "=HYPERLINK(\"http://evil.example\")".into(),
        username: "+8613800138000".into(),
        password: "-Xy=9@+".into(),
        notes: "@SUM(A1)".into(),
        tags: vec!["+crm".into()],
        ..NewEntry::default()
    });
    let csv = String::from_utf8(export::csv::write(&vault).to_vec()).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert_eq!(row, "'+crm,,login,\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@SUM(A1),,0,,+8613800138000,-Xy=9@+,");
}

// ---------------------------------------------------------------------------------------------
// Refused export files

/// A small vault's export, made once: Argon2id runs for every read.
fn sample_export() -> (Vault, Vec<u8>) {
    let vault = one_entry(NewEntry {
        title: "邮箱 Mail".into(),
        username: "li.wei".into(),
        password: "秘密 secret 🔑".into(),
        ..NewEntry::default()
    });
    let bytes = export::json::write(&vault, &password(), LIGHT).unwrap();
    (vault, bytes)
}

fn envelope(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

fn json_read(value: &serde_json::Value) -> Result<Vault, ImportError> {
    export::json::read(&serde_json::to_vec(value).unwrap(), Some(&password()))
}

#[test]
fn an_export_opens_only_with_its_password() {
    let (vault, bytes) = sample_export();
    assert_eq!(export::json::read(&bytes, Some(&password())).unwrap(), vault);
    let wrong = SecretText::new("导出 export 密码");
    assert!(matches!(export::json::read(&bytes, Some(&wrong)), Err(ImportError::WrongPassword)));
    // Asked for only once the file is known to be an export this version reads.
    assert!(matches!(export::json::read(&bytes, None), Err(ImportError::NeedsPassword)));
    assert!(matches!(read_back(&bytes, None), Err(ImportError::NeedsPassword)));
}

#[test]
fn an_export_needs_a_password_and_settings_a_vault_accepts() {
    let (vault, _) = sample_export();
    assert!(matches!(export::json::write(&vault, &SecretText::default(), LIGHT), Err(ExportError::NoPassword)));
    let weak = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
    assert!(matches!(export::json::write(&vault, &password(), weak), Err(ExportError::Kdf(_))));
}

#[test]
fn a_truncated_export_is_damaged() {
    let (_, bytes) = sample_export();
    for cut in [bytes.len() / 2, bytes.len() - 40, 1] {
        let err = export::json::read(&bytes[..cut], Some(&password())).unwrap_err();
        assert!(matches!(err, ImportError::Damaged { .. }), "cut at {cut}: {err:?}");
    }
    // Cut inside the ciphertext, with the JSON closed again.
    let mut value = envelope(&bytes);
    let ciphertext = value["ciphertext"].as_str().unwrap().to_owned();
    value["ciphertext"] = ciphertext[..ciphertext.len() - 24].into();
    assert!(matches!(json_read(&value), Err(ImportError::Damaged { .. })));
}

#[test]
fn an_altered_ciphertext_is_damaged_not_a_wrong_password() {
    let (_, bytes) = sample_export();
    let mut value = envelope(&bytes);
    let mut sealed = data_encoding::BASE64.decode(value["ciphertext"].as_str().unwrap().as_bytes()).unwrap();
    sealed[10] ^= 1;
    value["ciphertext"] = data_encoding::BASE64.encode(&sealed).into();
    let err = json_read(&value).unwrap_err();
    assert!(matches!(err, ImportError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("integrity"), "{err}");
}

/// Every member but the ciphertext is bound to it: altering one never yields a vault.
#[test]
fn altered_envelope_members_are_refused() {
    let (_, bytes) = sample_export();
    let value = envelope(&bytes);
    let alter = |path: &[&str], to: serde_json::Value| {
        let mut altered = value.clone();
        let mut at = &mut altered;
        for key in path {
            at = &mut at[*key];
        }
        *at = to;
        json_read(&altered)
    };
    // Other KDF settings derive another key: the password no longer opens the file.
    assert!(matches!(alter(&["kdf", "iterations"], 3.into()), Err(ImportError::WrongPassword)));
    assert!(matches!(alter(&["kdf", "memory_kib"], (20 * 1024).into()), Err(ImportError::WrongPassword)));
    let salt = data_encoding::BASE64.encode(&[9u8; 32]);
    assert!(matches!(alter(&["kdf", "salt"], salt.into()), Err(ImportError::WrongPassword)));
    // Another nonce: the right key, but the contents no longer open.
    let nonce = data_encoding::BASE64.encode(&[9u8; 12]);
    assert!(matches!(alter(&["nonce"], nonce.into()), Err(ImportError::Damaged { .. })));
    let check = data_encoding::BASE64.encode(&[9u8; 16]);
    assert!(matches!(alter(&["key_check"], check.into()), Err(ImportError::WrongPassword)));
    assert!(matches!(alter(&["cipher"], "chacha20-poly1305".into()), Err(ImportError::Unsupported { .. })));
    assert!(matches!(alter(&["kdf", "algorithm"], "scrypt".into()), Err(ImportError::Unsupported { .. })));
    assert!(matches!(alter(&["format"], "something-else".into()), Err(ImportError::WrongShape { .. })));
    assert!(matches!(alter(&["extra"], true.into()), Err(ImportError::WrongShape { .. })));
    assert!(matches!(alter(&["version"], "1".into()), Err(ImportError::WrongShape { .. })));
}

/// KDF settings beyond a vault's limits are refused before Argon2id runs: a file made to cost
/// gigabytes of memory or hours of work costs nothing.
#[test]
fn absurd_kdf_settings_are_refused_before_deriving_anything() {
    let (_, bytes) = sample_export();
    let value = envelope(&bytes);
    for (member, absurd) in
        [("memory_kib", 4_000_000_000u32), ("memory_kib", 4097 * 1024), ("iterations", 1_000_000), ("parallelism", 0)]
    {
        let mut altered = value.clone();
        altered["kdf"][member] = absurd.into();
        let started = std::time::Instant::now();
        let err = json_read(&altered).unwrap_err();
        assert!(matches!(err, ImportError::Damaged { .. }), "{member} {absurd}: {err:?}");
        assert!(err.to_string().contains("refused"), "{err}");
        // No key derivation ran (the lightest one takes tens of milliseconds even here).
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{member} {absurd}");
    }
    let mut altered = value.clone();
    altered["kdf"]["salt"] = data_encoding::BASE64.encode(&[1u8; 8]).into();
    assert!(matches!(json_read(&altered), Err(ImportError::Damaged { .. })));
}

#[test]
fn a_later_version_is_unsupported_and_other_json_is_another_shape() {
    let (_, bytes) = sample_export();
    let mut value = envelope(&bytes);
    value["version"] = 2.into();
    // A version 2 file may have other members: it is named as a version, not called damaged.
    value["new_member"] = "x".into();
    let err = json_read(&value).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains("version 2"), "{err}");

    let bitwarden = br#"{"encrypted": false, "folders": [], "items": []}"#;
    assert!(matches!(export::json::read(bitwarden, Some(&password())), Err(ImportError::WrongShape { .. })));
    assert!(matches!(export::json::read(b"[1, 2, 3]", Some(&password())), Err(ImportError::WrongShape { .. })));
    assert!(matches!(export::json::read(b"name,password\n", Some(&password())), Err(ImportError::WrongShape { .. })));
    assert!(matches!(export::json::read(b"", Some(&password())), Err(ImportError::Damaged { .. })));
    let mut value = envelope(&bytes);
    value["ciphertext"] = "not base64!".into();
    assert!(matches!(json_read(&value), Err(ImportError::Damaged { .. })));
}

/// Contents that open but are not a vault (a file sealed by someone who has the password) are
/// damage, and the message quotes nothing of them.
#[test]
fn decrypted_contents_that_are_not_a_vault_are_damaged_without_being_quoted() {
    let salt = [3u8; 32];
    let nonce = [4u8; 12];
    let (value, key) = hand_made(&salt);
    let plaintext = br#"{"id": "Kx9-secret-Pw"}"#;
    let mut value = value;
    value["nonce"] = data_encoding::BASE64.encode(&nonce).into();
    let aad = associated_data(&value);
    value["ciphertext"] = data_encoding::BASE64.encode(&crypto::seal(&key, &nonce, &aad, plaintext)).into();
    let err = json_read(&value).unwrap_err();
    assert!(matches!(err, ImportError::Damaged { .. }), "{err:?}");
    assert!(!err.to_string().contains("Kx9"), "{err}");
}

/// An envelope made by hand following docs/FORMAT.md, without the ciphertext, and its key.
fn hand_made(salt: &[u8; 32]) -> (serde_json::Value, SecretKey) {
    let key = crypto::derive_kek(&SecretString::from(PASSWORD), salt, LIGHT).unwrap();
    let check = &Sha256::new().chain_update(b"CRM Vault export key check").chain_update(key.expose()).finalize()[..16];
    let value = serde_json::json!({
        "format": "crm-vault-export",
        "version": 1,
        "kdf": {"algorithm": "argon2id", "memory_kib": LIGHT.memory_kib, "iterations": LIGHT.iterations,
                "parallelism": LIGHT.parallelism, "salt": data_encoding::BASE64.encode(salt)},
        "cipher": "aes-256-gcm",
        "nonce": "",
        "key_check": data_encoding::BASE64.encode(check),
        "ciphertext": "",
    });
    (value, key)
}

/// The associated data as docs/FORMAT.md defines it: the envelope without `ciphertext`, compact,
/// members in the file's order.
fn associated_data(envelope: &serde_json::Value) -> Vec<u8> {
    let kdf = &envelope["kdf"];
    format!(
        r#"{{"format":"{}","version":{},"kdf":{{"algorithm":"{}","memory_kib":{},"iterations":{},"parallelism":{},"salt":"{}"}},"cipher":"{}","nonce":"{}","key_check":"{}"}}"#,
        envelope["format"].as_str().unwrap(),
        envelope["version"],
        kdf["algorithm"].as_str().unwrap(),
        kdf["memory_kib"],
        kdf["iterations"],
        kdf["parallelism"],
        kdf["salt"].as_str().unwrap(),
        envelope["cipher"].as_str().unwrap(),
        envelope["nonce"].as_str().unwrap(),
        envelope["key_check"].as_str().unwrap(),
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// The test vector

const VECTOR_PASSWORD: &str = "correct horse battery staple 客户";
const VECTOR_SALT: [u8; 32] = [0x11; 32];
const VECTOR_NONCE: [u8; 12] = [0x22; 12];
const VECTOR_FILE: &str = "export-v1.json";
const VECTOR_PAYLOAD: &str = "export-v1.payload.json";

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// The vector's vault: one entry whose password was changed once (so it has history), fixed ids
/// and clocks.
fn vector_vault() -> Vault {
    let clock = TestClock(Cell::new(START_MS));
    let author = Author { device: DeviceId(0x1111_2222_3333_4444), clock: &clock };
    let mut vault = Vault::new("销售 Sales", author, "LAPTOP-1");
    vault.id = VaultId("00000000-0000-4000-8000-0000000000ee".parse().unwrap());
    let new = NewEntry {
        title: "纷享销客 CRM".into(),
        username: "li.wei@example.com".into(),
        password: "Password1!".into(),
        urls: vec!["https://www.fxiaoke.com/login".into()],
        tags: vec!["crm".into()],
        fields: vec![("PIN".into(), CustomField { value: "2468".into(), hidden: true })],
        ..NewEntry::default()
    };
    let random = vault.add_entry(new, author);
    let mut entry = vault.entries.remove(&random).unwrap();
    entry.id = EntryId("00000000-0000-4000-8000-000000000001".parse().unwrap());
    vault.entries.insert(entry.id, entry);
    clock.advance(5);
    let id = *vault.entries.keys().next().unwrap();
    let edit = EntryEdit { password: Some("S3cret-密码-🔑".into()), ..EntryEdit::default() };
    vault.edit_entry(id, edit, author).unwrap();
    vault
}

fn vector_bytes() -> Vec<u8> {
    export::json::write_with(&vector_vault(), &SecretText::new(VECTOR_PASSWORD), LIGHT, VECTOR_SALT, VECTOR_NONCE)
        .unwrap()
}

/// The text between two `<!-- name -->` markers in docs/FORMAT.md.
fn documented(name: &str) -> String {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/FORMAT.md")).unwrap();
    let marker = format!("<!-- {name} -->");
    let section = doc.split(&marker).nth(1).unwrap_or_else(|| panic!("{marker} in docs/FORMAT.md"));
    section.trim().trim_start_matches("```").trim_end_matches("```").trim().to_owned()
}

#[test]
fn the_test_vector_is_what_the_writer_writes_and_reads_back() {
    let file = std::fs::read(vectors().join(VECTOR_FILE)).unwrap();
    let payload = std::fs::read(vectors().join(VECTOR_PAYLOAD)).unwrap();
    assert_eq!(String::from_utf8(vector_bytes()).unwrap(), String::from_utf8(file.clone()).unwrap());
    assert_eq!(payload, serde_json::to_vec(&vector_vault()).unwrap(), "the payload is the vault's own JSON");
    let read = read_back(&file, Some(&SecretText::new(VECTOR_PASSWORD))).unwrap();
    let Contents::Vault(vault) = read.contents else { panic!("an export reads as a whole vault") };
    assert_eq!(*vault, vector_vault());
    assert_eq!(serde_json::to_vec(&*vault).unwrap(), payload);
}

/// An outside reader following docs/FORMAT.md, with nothing but Argon2id, SHA-256 and AES-GCM,
/// decrypts the vector to the documented payload; the documented key and associated data are
/// right; and changing any bound member makes the contents fail to open.
#[test]
fn the_documented_steps_decrypt_the_test_vector() {
    let file = std::fs::read(vectors().join(VECTOR_FILE)).unwrap();
    let payload = std::fs::read(vectors().join(VECTOR_PAYLOAD)).unwrap();
    let value = envelope(&file);
    let base64 = |v: &serde_json::Value| data_encoding::BASE64.decode(v.as_str().unwrap().as_bytes()).unwrap();
    let kdf = &value["kdf"];
    let params = KdfParams {
        memory_kib: kdf["memory_kib"].as_u64().unwrap() as u32,
        iterations: kdf["iterations"].as_u64().unwrap() as u32,
        parallelism: kdf["parallelism"].as_u64().unwrap() as u32,
    };
    let key = crypto::derive_kek(&SecretString::from(VECTOR_PASSWORD), &base64(&kdf["salt"]), params).unwrap();
    assert_eq!(hex::encode(key.expose()), documented("export-vector-key"));
    let check = Sha256::new().chain_update(b"CRM Vault export key check").chain_update(key.expose()).finalize();
    assert_eq!(base64(&value["key_check"]), &check[..16]);
    let aad = associated_data(&value);
    assert_eq!(String::from_utf8(aad.clone()).unwrap(), documented("export-vector-aad"));
    let nonce: [u8; 12] = base64(&value["nonce"]).try_into().unwrap();
    let sealed = base64(&value["ciphertext"]);
    let plaintext = crypto::open(&key, &nonce, &aad, &sealed).unwrap();
    assert_eq!(plaintext.as_slice(), payload.as_slice());
    assert_eq!(String::from_utf8(payload.clone()).unwrap(), documented("export-vector-payload"));

    for (what, from, to) in [
        ("version", r#""version":1"#, r#""version":2"#),
        ("iterations", r#""iterations":2"#, r#""iterations":3"#),
        ("format", "crm-vault-export", "crm-vault-exporT"),
    ] {
        let altered = String::from_utf8(aad.clone()).unwrap().replace(from, to);
        assert!(crypto::open(&key, &nonce, altered.as_bytes(), &sealed).is_err(), "{what} is bound");
    }
}

/// Rewrites the vector files (see the top of this file).
#[test]
#[ignore = "writes tests/vectors/export-v1*.json; run with CRM_VAULT_WRITE_VECTORS=1"]
fn write_the_test_vector() {
    if std::env::var_os("CRM_VAULT_WRITE_VECTORS").is_none() {
        return;
    }
    std::fs::write(vectors().join(VECTOR_FILE), vector_bytes()).unwrap();
    std::fs::write(vectors().join(VECTOR_PAYLOAD), serde_json::to_vec(&vector_vault()).unwrap()).unwrap();
    let key = crypto::derive_kek(&SecretString::from(VECTOR_PASSWORD), &VECTOR_SALT, LIGHT).unwrap();
    println!("key: {}", hex::encode(key.expose()));
    println!("aad: {}", String::from_utf8(associated_data(&envelope(&vector_bytes()))).unwrap());
}

/// A hostile file's long member is not copied whole into the message shown to the user.
#[test]
fn messages_quote_at_most_a_little_of_the_file() {
    let (_, bytes) = sample_export();
    let mut value = envelope(&bytes);
    value["cipher"] = "x".repeat(1_000_000).into();
    let err = json_read(&value).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().len() < 400, "{} bytes", err.to_string().len());
    let mut value = envelope(&bytes);
    value["version"] = 1.into();
    value["kdf"]["iterations"] = "y".repeat(1_000_000).into();
    let err = json_read(&value).unwrap_err();
    assert!(matches!(err, ImportError::WrongShape { .. }), "{err:?}");
    assert!(err.to_string().len() < 400, "{} bytes", err.to_string().len());
}
