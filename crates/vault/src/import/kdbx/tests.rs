use super::*;
use keepass::config::{CompressionConfig, InnerCipherConfig, OuterCipherConfig};
use keepass::db::{AutoTypeAssociation, Value};

use crate::totp::Totp;

/// Key derivation light enough for tests: 1 MiB, one pass.
fn light(mut config: keepass::config::DatabaseConfig) -> keepass::config::DatabaseConfig {
    if let keepass::config::KdfConfig::Argon2 { iterations, memory, parallelism, .. } = &mut config.kdf_config {
        (*iterations, *memory, *parallelism) = (1, 1 << 20, 1);
    }
    config
}

fn at(seconds: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(seconds, 0).unwrap().naive_utc()
}

const T0: i64 = 1_700_000_000;

/// A database as KeePassXC users have them: groups, an entry with everything, its history, an
/// attachment, a broken one-time password setup, and a recycle bin with an entry in it.
fn sample() -> Database {
    let mut db = Database::with_config(light(keepass::config::DatabaseConfig::default()));
    let mut root = db.root_mut();
    let mut sales = root.add_group();
    sales.name = "Sales".into();
    let mut crm = sales.add_group();
    crm.name = "国内CRM".into();
    let mut entry = crm.add_entry();
    entry.set_unprotected(fields::TITLE, "纷享销客");
    entry.set_unprotected(fields::USERNAME, "li.lei@example.cn");
    entry.set_protected(fields::PASSWORD, "新密码-2024!");
    entry.set_unprotected(fields::URL, "https://www.fxiaoke.com");
    entry.set_unprotected("KP2A_URL_1", "https://third.example.cn");
    entry.set_unprotected("KP2A_URL", "https://second.example.cn");
    entry.set_unprotected(fields::NOTES, "客户经理\n第二行");
    entry.set_protected("otp", "otpauth://totp/fx?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    entry.set_protected("PIN", "4321");
    entry.set_unprotected("工号", "A-17");
    entry.tags = vec!["重要".into(), " ".into()];
    entry.times.creation = Some(at(T0));
    entry.times.last_modification = Some(at(T0 + 300));
    entry.times.expires = Some(true);
    entry.times.expiry = at(T0 + 86_400 * 30);
    entry.autotype = Some(AutoType {
        enabled: true,
        default_sequence: Some("{USERNAME}{TAB}{PASSWORD}{ENTER}".into()),
        associations: vec![
            AutoTypeAssociation { window: "*纷享销客*".into(), sequence: String::new() },
            AutoTypeAssociation { window: "//(unclosed//".into(), sequence: String::new() },
        ],
        ..AutoType::default()
    });
    let mut first = (*entry).clone();
    first.set_protected(fields::PASSWORD, "旧密码-2023");
    first.set_unprotected(fields::TITLE, "Fxiaoke");
    first.times.last_modification = Some(at(T0 + 100));
    let mut second = (*entry).clone();
    second.set_protected(fields::PASSWORD, "中间密码");
    second.times.last_modification = Some(at(T0 + 200));
    let history = entry.history.get_or_insert_with(Default::default);
    history.add_entry(second);
    history.add_entry(first);
    entry.add_attachment("名片.pdf", Value::unprotected(b"%PDF".to_vec()));

    let mut odd = root.add_entry();
    odd.set_unprotected(fields::TITLE, "Old OTP");
    odd.set_protected("otp", "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=1");
    let mut bin = root.add_group();
    bin.name = "回收站".into();
    let bin_id = bin.id().uuid();
    bin.add_entry().set_unprotected(fields::TITLE, "Deleted");
    db.meta.recyclebin_uuid = Some(bin_id);
    db
}

fn save(db: &Database, key: DatabaseKey) -> Vec<u8> {
    let mut out = Vec::new();
    db.save(&mut out, key).unwrap();
    out
}

fn password(text: &str) -> SecretText {
    SecretText::new(text)
}

fn open(bytes: &[u8], pass: &str) -> Result<Read, ImportError> {
    let pass = password(pass);
    read(bytes, FileKey { password: Some(&pass), key_file: None }, &mut |_, _| {})
}

fn entries(read: Read) -> Vec<Imported> {
    match read.contents {
        Contents::Entries(entries) => entries,
        Contents::Vault(_) => panic!("a KeePass file is entries"),
    }
}

#[test]
fn everything_a_user_had_arrives() {
    let file = save(&sample(), DatabaseKey::new().with_password("主密码"));
    let read = open(&file, "主密码").unwrap();
    assert!(matches!(&read.source, Source::Kdbx { version } if version.starts_with("4.")));
    let skipped = read.skipped.clone();
    let mut entries = entries(read);
    entries.sort_by(|a, b| a.entry.title.cmp(&b.entry.title));
    let titles: Vec<&str> = entries.iter().map(|e| e.entry.title.as_str()).collect();
    assert_eq!(titles, ["Old OTP", "纷享销客"], "the recycle bin stays behind");

    let fx = &entries[1];
    let e = &fx.entry;
    assert_eq!(e.username, "li.lei@example.cn");
    assert_eq!(e.password.expose(), "新密码-2024!");
    assert_eq!(e.urls, ["https://www.fxiaoke.com", "https://second.example.cn", "https://third.example.cn"]);
    assert_eq!(e.notes, "客户经理\n第二行");
    assert_eq!(e.tags, ["重要", "Sales/国内CRM"]);
    let fields: Vec<(&str, &str, bool)> =
        e.fields.iter().map(|(n, f)| (n.as_str(), f.value.expose(), f.hidden)).collect();
    assert_eq!(fields, [("PIN", "4321", true), ("工号", "A-17", false)]);
    assert_eq!(Totp::parse(e.totp.expose()).unwrap().code_at(59).text, "287082");
    assert_eq!(e.expires.unwrap().to_string(), "2023-12-14");
    assert_eq!(e.autotype_sequence.as_deref(), Some("{USERNAME}{TAB}{PASSWORD}{ENTER}"));
    assert_eq!(e.autotype_windows, ["*纷享销客*"], "a window pattern our auto-type cannot read is left out");
    assert_eq!(fx.created_ms, Some(T0 as u64 * 1000));
    assert_eq!(fx.modified_ms, Some((T0 as u64 + 300) * 1000));
    assert!(fx.id.is_some());

    let history: Vec<(&str, &str, u64)> =
        fx.history.iter().map(|h| (h.field.as_str(), h.value.expose(), h.at_ms / 1000 - T0 as u64)).collect();
    assert_eq!(history, [("title", "Fxiaoke", 100), ("password", "旧密码-2023", 100), ("password", "中间密码", 200)]);

    assert!(entries[0].entry.totp.is_empty(), "a counter-based setup is not kept");
    let mut reasons: Vec<String> = skipped.iter().map(|s| format!("{} {}", s.place, s.reason)).collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "\"Old OTP\" was imported without its one-time code setup, which could not be read",
            "\"Sales/国内CRM/纷享销客\" has an attachment \"名片.pdf\", which was not imported",
        ]
    );
}

#[test]
fn the_same_file_twice_adds_nothing_the_second_time() {
    use crate::{Author, DeviceId, SystemClock};
    let file = save(&sample(), DatabaseKey::new().with_password("p"));
    let clock = SystemClock;
    let author = Author { device: DeviceId(1), clock: &clock };
    let mut vault = crate::Vault::new("v", author, "laptop");
    let first = crate::import::apply(&mut vault, open(&file, "p").unwrap(), author).unwrap();
    let second = crate::import::apply(&mut vault, open(&file, "p").unwrap(), author).unwrap();
    assert_eq!((first.added, second.added, second.already_present), (2, 0, 2));
    let fx = vault.live_entries().find(|e| e.title.value == "纷享销客").unwrap();
    let old: Vec<&str> = fx.history.iter().filter(|h| h.field == "password").map(|h| h.value.expose()).collect();
    assert_eq!(old, ["旧密码-2023", "中间密码"]);
}

#[test]
fn other_ciphers_key_derivations_and_compression_open_too() {
    let mut db = sample();
    let configs = [
        (OuterCipherConfig::ChaCha20, keepass::config::KdfConfig::Aes { rounds: 1000 }, CompressionConfig::None),
        (OuterCipherConfig::AES256, db.config.kdf_config.clone(), CompressionConfig::GZip),
    ];
    for (cipher, kdf, compression) in configs {
        db.config.outer_cipher_config = cipher;
        db.config.kdf_config = kdf;
        db.config.compression_config = compression;
        db.config.inner_cipher_config = InnerCipherConfig::Salsa20;
        let file = save(&db, DatabaseKey::new().with_password("p"));
        assert_eq!(entries(open(&file, "p").unwrap()).len(), 2);
    }
}

#[test]
fn wrong_or_missing_keys_are_told_apart() {
    let file = save(&sample(), DatabaseKey::new().with_password("right"));
    assert!(matches!(open(&file, "wrong"), Err(ImportError::WrongPassword)));
    let none = read(&file, FileKey::default(), &mut |_, _| {});
    assert!(matches!(none, Err(ImportError::NeedsPassword)));
    let message = open(&file, "wrong-secret-words").unwrap_err().to_string();
    assert!(!message.contains("wrong-secret-words"), "{message}");
}

#[test]
fn a_key_file_alone_or_with_a_password_opens_the_file() {
    let key_file = b"<?xml version=\"1.0\"?>\n<KeyFile><Meta><Version>1.00</Version></Meta><Key><Data>\
        c2VjcmV0LWtleS1maWxlLWNvbnRlbnRzLTAxMjM0NTY3OA==</Data></Key></KeyFile>"
        .to_vec();
    let only = save(&sample(), DatabaseKey::new().with_keyfile(&mut key_file.as_slice()).unwrap());
    let opened = read(&only, FileKey { password: None, key_file: Some(&key_file) }, &mut |_, _| {});
    assert_eq!(entries(opened.unwrap()).len(), 2);

    let both_key = DatabaseKey::new().with_password("p").with_keyfile(&mut key_file.as_slice()).unwrap();
    let both = save(&sample(), both_key);
    let pass = password("p");
    let right = FileKey { password: Some(&pass), key_file: Some(&key_file) };
    assert_eq!(entries(read(&both, right, &mut |_, _| {}).unwrap()).len(), 2);
    let other_file = b"another key file".to_vec();
    let wrong = FileKey { password: Some(&pass), key_file: Some(&other_file) };
    assert!(matches!(read(&both, wrong, &mut |_, _| {}), Err(ImportError::WrongPassword)));
    assert!(matches!(open(&both, "p"), Err(ImportError::WrongPassword)));
}

#[test]
fn a_file_cut_short_or_damaged_is_damaged_and_never_a_panic() {
    let file = save(&sample(), DatabaseKey::new().with_password("p"));
    for len in (0..file.len()).step_by(97).chain([12, 13, file.len() - 1]) {
        match open(&file[..len], "p") {
            Err(ImportError::Damaged { .. }) => {}
            other => panic!("cut at {len}: {:?}", other.map(|_| ())),
        }
    }
    let mut flipped = file.clone();
    let last = flipped.len() - 40;
    flipped[last] ^= 0x55;
    assert!(matches!(open(&flipped, "p"), Err(ImportError::Damaged { .. })));
}

#[test]
fn progress_reaches_the_end() {
    let file = save(&sample(), DatabaseKey::new().with_password("p"));
    let mut seen = Vec::new();
    let pass = password("p");
    read(&file, FileKey { password: Some(&pass), key_file: None }, &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!(seen.last(), Some(&(3, 3)));
}

#[test]
fn additional_urls_are_ordered_by_number() {
    assert_eq!(extra_url_rank("KP2A_URL"), Some(0));
    assert_eq!(extra_url_rank("KP2A_URL_10"), Some(11));
    assert_eq!(extra_url_rank("KP2A_URLS"), None);
    assert_eq!(extra_url_rank("KP2A_URL_x"), None);
}

#[test]
fn a_header_number_shorter_than_its_type_is_damage_not_a_panic() {
    // Found by the kdbx_import fuzz target: a KDF parameter of 0 bytes where 8 belong.
    let file = include_bytes!("../../../../../fuzz/regressions/kdbx_import/short-kdf-number");
    assert!(matches!(open(file, "fuzz-kdbx 密码"), Err(ImportError::Damaged { .. })));
}
