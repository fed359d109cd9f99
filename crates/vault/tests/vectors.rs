//! The test vectors in `tests/vectors/` (described in its README and in docs/FORMAT.md): a vault
//! file made from a fixed password, salt, keys and nonces, and damaged variants of it with the
//! failure each must produce. A second implementation can check itself against the same files.
//!
//! `CRM_VAULT_WRITE_VECTORS=1 cargo test -p crm-vault-core --test vectors -- --ignored` rewrites
//! them; do that only when the format itself changes (and bump the format version).

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::PathBuf;
use vault::activity::{Event, EventId, EventKind};
use vault::crypto::{KdfParams, SecretKey};
use vault::format::{self, ReadError};
use vault::generate::{Classes, PasswordRules};
use vault::model::{CustomField, Entry, EntryId, Stamped, VaultId};
use vault::{DeviceId, Hlc, SecretText, Vault};

const PASSWORD: &str = "correct horse battery staple 客户";
const SALT: [u8; 32] = *b"CRM Vault test vector salt 32 B.";
const VAULT_KEY: [u8; 32] = [0x42; 32];
const WRAP_NONCE: [u8; 12] = [1; 12];
const PAYLOAD_NONCE: [u8; 12] = [2; 12];
const KDF: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    password: String,
    kdf: KdfJson,
    salt_hex: String,
    kek_hex: String,
    vault_key_hex: String,
    wrap_nonce_hex: String,
    payload_nonce_hex: String,
    valid: String,
    payload: String,
    /// The valid file's plaintext decompressed: the compact JSON of version 5, byte for byte.
    compact_payload: String,
    invalid: Vec<Invalid>,
    /// The same vault after a master password change: a new key, and a notice for the old one.
    rotated: Rotated,
    /// Files of earlier versions that must still open with `password` to `payload`'s vault
    /// (members added later read as empty).
    older: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Rotated {
    file: String,
    password: String,
    salt_hex: String,
    vault_key_hex: String,
    wrap_nonce_hex: String,
    payload_nonce_hex: String,
    /// The key-change notice, sealed with the retired key (`vault_key_hex` of the basic file).
    notice_nonce_hex: String,
    notice_plaintext: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct KdfJson {
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Invalid {
    file: String,
    password: String,
    /// One of: not-a-vault, unsupported-version, unsupported-kdf, kdf-out-of-range, damaged, wrong-password.
    error: String,
    why: String,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn kind(err: &ReadError) -> &'static str {
    match err {
        ReadError::NotAVault => "not-a-vault",
        ReadError::UnsupportedVersion(_) => "unsupported-version",
        ReadError::UnsupportedKdf(_) => "unsupported-kdf",
        ReadError::KdfOutOfRange(_) => "kdf-out-of-range",
        ReadError::Damaged(_) => "damaged",
        ReadError::WrongPassword => "wrong-password",
        _ => "other",
    }
}

fn manifest() -> Manifest {
    serde_json::from_slice(&std::fs::read(dir().join("vectors.json")).unwrap()).unwrap()
}

/// The payload: a vault with two entries using every kind of field, fixed ids and clocks.
fn basic_vault() -> Vault {
    let laptop = DeviceId(0x1111_2222_3333_4444);
    let at = |ms: u64| Hlc { wall_ms: 1_795_000_000_000 + ms, counter: 0, device: laptop };
    let stamp = |v: &str, ms| Stamped::new(v.to_owned(), at(ms));
    let mut entries = BTreeMap::new();
    let crm = Entry {
        id: EntryId("00000000-0000-4000-8000-000000000001".parse().unwrap()),
        created: at(0),
        title: stamp("纷享销客 CRM", 0),
        username: stamp("li.wei@example.com", 0),
        password: Stamped::new(SecretText::new("S3cret-密码-🔑"), at(5)),
        urls: Stamped::new(vec!["https://www.fxiaoke.com/login".into()], at(0)),
        notes: stamp("Customer visits: Tue/Thu", 0),
        totp: Stamped::new(SecretText::new("otpauth://totp/CRM:li?secret=JBSWY3DPEHPK3PXP&issuer=CRM"), at(0)),
        tags: BTreeMap::from([("crm".into(), Stamped::new(true, at(0))), ("old".into(), Stamped::new(false, at(5)))]),
        fields: BTreeMap::from([
            ("employee id".into(), Stamped::new(Some(CustomField { value: "E-1024".into(), hidden: false }), at(0))),
            ("security answer".into(), Stamped::new(Some(CustomField { value: "上海".into(), hidden: true }), at(0))),
        ]),
        rules: Stamped::new(
            Some(PasswordRules {
                min_length: 8,
                max_length: 16,
                symbols: "!@#".into(),
                required: Classes { lower: true, upper: true, digits: true, symbols: false },
            }),
            at(0),
        ),
        expires: Stamped::new(Some("2027-03-31".parse().unwrap()), at(0)),
        // Members added after version 3 was specified: absent from the vectors' payload.
        also_fill_on: Stamped::default(),
        autotype_sequence: Stamped::default(),
        autotype_windows: Stamped::default(),
        favourite: Stamped::default(),
        deleted: Stamped::new(false, at(0)),
        purged: None,
        history: vec![vault::model::HistoryItem { field: "password".into(), value: "Password1!".into(), clock: at(0) }],
        handed_over: None,
    };
    let crm_id = crm.id;
    let mut gone = crm.clone();
    gone.id = EntryId("00000000-0000-4000-8000-000000000002".parse().unwrap());
    gone.title = stamp("Old mail", 1);
    gone.deleted = Stamped::new(true, at(9));
    gone.history.clear();
    entries.insert(crm.id, crm);
    entries.insert(gone.id, gone);
    let mut vault: Vault = serde_json::from_value(serde_json::json!({
        "id": "00000000-0000-4000-8000-0000000000aa",
        "name": {"v": "Sales team", "c": [1_795_000_000_000u64, 0, "1111222233334444"]},
        "devices": {"1111222233334444": {"name": "LAPTOP-1", "last_write_ms": 1_795_000_000_009u64}},
        "settings": {
            "rotation_days": {"v": 90, "c": [1_795_000_000_000u64, 0, "1111222233334444"]},
            "clipboard_clear_seconds": {"v": 20, "c": [1_795_000_000_000u64, 0, "1111222233334444"]},
            "auto_lock_minutes": {"v": 5, "c": [1_795_000_000_000u64, 0, "1111222233334444"]},
            "owner_name": {"v": "Li Wei", "c": [1_795_000_000_000u64, 0, "1111222233334444"]},
            "company": {"v": "Example Trading", "c": [1_795_000_000_000u64, 0, "1111222233334444"]}
        },
        "entries": {},
        "clock": [1_795_000_000_009u64, 0, "1111222233334444"],
        "password_changed": [1_795_000_000_000u64, 0, "1111222233334444"]
    }))
    .unwrap();
    // Version 4's activity log: an unlock, then a copy of the CRM password.
    let mut unlock = Event::at(EventKind::Unlock, 1_795_000_000_006, laptop).detail("password");
    unlock.id = EventId(0x0102_0304_0506_0708);
    let mut copy = Event::at(EventKind::Copy, 1_795_000_000_007, laptop).detail("password");
    copy.id = EventId(0x1112_1314_1516_1718);
    copy.entry = Some(crm_id);
    copy.title = "纷享销客 CRM".into();
    vault.activity.add(unlock);
    vault.activity.add(copy);
    vault.entries = entries;
    let _: VaultId = vault.id;
    vault
}

const ROTATED_PASSWORD: &str = "new password 新密码";
const ROTATED_SALT: [u8; 32] = *b"CRM Vault vector salt, rotated.!";
const ROTATED_KEY: [u8; 32] = [0x43; 32];
const ROTATED_WRAP_NONCE: [u8; 12] = [4; 12];
const ROTATED_PAYLOAD_NONCE: [u8; 12] = [5; 12];
const NOTICE_NONCE: [u8; 12] = [6; 12];

fn key_change(vault: &Vault) -> format::KeyChange {
    format::KeyChange {
        vault: vault.id,
        by: "LAPTOP-1".into(),
        device: DeviceId(0x1111_2222_3333_4444),
        at_ms: 1_795_000_000_010,
    }
}

/// `basic.crmvault` after its master password was changed: new key and slot, and a notice of the
/// change sealed with the old key.
fn rotated_file(vault: &Vault) -> Vec<u8> {
    let key = SecretKey::from_bytes(ROTATED_KEY);
    let password = SecretString::from(ROTATED_PASSWORD);
    let slot = format::wrap_key_with(&password, KDF, &key, ROTATED_SALT.to_vec(), ROTATED_WRAP_NONCE).unwrap();
    let retired = SecretKey::from_bytes(VAULT_KEY);
    let notice = format::KeyChangeNotice::seal_with_nonce(&retired, &key_change(vault), NOTICE_NONCE);
    format::write_with_notices(vault, &key, &slot, &[notice], ROTATED_PAYLOAD_NONCE)
}

fn basic_file(vault: &Vault) -> Vec<u8> {
    let key = SecretKey::from_bytes(VAULT_KEY);
    let slot = format::wrap_key_with(&SecretString::from(PASSWORD), KDF, &key, SALT.to_vec(), WRAP_NONCE).unwrap();
    format::write_with_nonce(vault, &key, &slot, PAYLOAD_NONCE)
}

#[test]
fn the_valid_vector_opens_to_its_payload() {
    let m = manifest();
    let bytes = std::fs::read(dir().join(&m.valid)).unwrap();
    let opened = format::read(&bytes, &SecretString::from(m.password.as_str())).unwrap();
    let payload: Vault = serde_json::from_slice(&std::fs::read(dir().join(&m.payload)).unwrap()).unwrap();
    assert_eq!(opened.vault, payload);
    assert_eq!(hex::encode(opened.key.expose()), m.vault_key_hex);
    let crm = opened.vault.sorted_entries()[0];
    assert_eq!(crm.password.value.expose(), "S3cret-密码-🔑");
    assert_eq!(opened.vault.sorted_entries().len(), 1, "the deleted entry is not listed");
}

#[test]
fn a_version_1_file_still_opens_and_lacks_only_the_newer_members() {
    let bytes = std::fs::read(dir().join("basic-v1.crmvault")).unwrap();
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 1);
    let opened = format::read(&bytes, &SecretString::from(PASSWORD)).unwrap();
    let mut expected = basic_vault();
    for entry in expected.entries.values_mut() {
        entry.rules = Stamped::default();
        entry.expires = Stamped::default();
    }
    expected.settings.owner_name = Stamped::default();
    expected.settings.company = Stamped::default();
    expected.password_changed = Hlc::default();
    expected.activity = Default::default();
    assert_eq!(opened.vault, expected);
    // Its next save writes the current version under the same key slot, with no password.
    let rewritten = format::write(&opened.vault, &opened.key, &opened.slot);
    assert_eq!(u16::from_le_bytes([rewritten[8], rewritten[9]]), format::VERSION);
    assert_eq!(format::read(&rewritten, &SecretString::from(PASSWORD)).unwrap().vault, expected);
}

#[test]
fn the_rotated_vector_opens_with_the_new_password_and_tells_the_old_key_what_happened() {
    let m = manifest();
    let bytes = std::fs::read(dir().join(&m.rotated.file)).unwrap();
    let payload: Vault = serde_json::from_slice(&std::fs::read(dir().join(&m.payload)).unwrap()).unwrap();
    let opened = format::read(&bytes, &SecretString::from(m.rotated.password.as_str())).unwrap();
    assert_eq!(opened.vault, payload);
    assert_eq!(hex::encode(opened.key.expose()), m.rotated.vault_key_hex);
    assert!(matches!(format::read(&bytes, &SecretString::from(PASSWORD)), Err(ReadError::WrongPassword)));
    let old_key = SecretKey::from_bytes(VAULT_KEY);
    match format::read_with_key(&bytes, &old_key) {
        Err(ReadError::KeyChanged(change)) => {
            assert_eq!(change, key_change(&payload));
            assert_eq!(serde_json::to_string(&change).unwrap(), m.rotated.notice_plaintext);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rotated_file(&payload), bytes, "the writer reproduces it byte for byte");
}

#[test]
fn every_older_version_still_opens() {
    let m = manifest();
    let payload: Vault = serde_json::from_slice(&std::fs::read(dir().join(&m.payload)).unwrap()).unwrap();
    for file in &m.older {
        let bytes = std::fs::read(dir().join(file)).unwrap();
        let opened = format::read(&bytes, &SecretString::from(PASSWORD)).unwrap();
        assert_eq!(opened.vault.id, payload.id, "{file}");
        assert_eq!(opened.vault.entries.len(), payload.entries.len(), "{file}");
        assert!(opened.notices.is_empty(), "{file}");
    }
}

#[test]
fn the_writer_reproduces_the_valid_vector_byte_for_byte() {
    let m = manifest();
    let payload: Vault = serde_json::from_slice(&std::fs::read(dir().join(&m.payload)).unwrap()).unwrap();
    assert_eq!(basic_file(&payload), std::fs::read(dir().join(&m.valid)).unwrap());
    let kek = vault::crypto::derive_kek(&SecretString::from(PASSWORD), &SALT, KDF).unwrap();
    assert_eq!(hex::encode(kek.expose()), m.kek_hex);
}

#[test]
fn every_invalid_vector_fails_as_documented() {
    let m = manifest();
    assert!(m.invalid.len() >= 10);
    for case in &m.invalid {
        let bytes = std::fs::read(dir().join(&case.file)).unwrap();
        let err = format::read(&bytes, &SecretString::from(case.password.as_str())).expect_err(&case.file);
        assert_eq!(kind(&err), case.error, "{}: {err}", case.file);
    }
}

/// The plaintext of a version 5 file made with the vectors' key, decompressed: its compact JSON.
fn compact_json(file: &[u8]) -> Vec<u8> {
    let parsed = format::parse(file).unwrap();
    let plaintext =
        vault::crypto::open(&SecretKey::from_bytes(VAULT_KEY), &parsed.payload_nonce, parsed.header, parsed.payload)
            .unwrap();
    zstd::stream::decode_all(&plaintext[..]).unwrap()
}

#[test]
fn the_valid_vectors_payload_is_the_documented_compact_json() {
    let m = manifest();
    let file = std::fs::read(dir().join(&m.valid)).unwrap();
    assert_eq!(u16::from_le_bytes([file[8], file[9]]), format::VERSION);
    let expected = std::fs::read(dir().join(&m.compact_payload)).unwrap();
    assert_eq!(compact_json(&file), expected);
    // What an outside reader sees: one table of devices, entries by column, clocks by index.
    let json: serde_json::Value = serde_json::from_slice(&expected).unwrap();
    // The second device is the zero clock's, of members never written.
    assert_eq!(json["clock_devices"], serde_json::json!(["1111222233334444", "0000000000000000"]));
    assert_eq!(json["entries"]["title"], serde_json::json!(["纷享销客 CRM", "Old mail"]));
    assert_eq!(json["entries"]["clocks"][0]["password"], serde_json::json!([1_795_000_000_005u64, 0]));
}

#[test]
fn the_version_4_file_opens_to_the_same_vault_and_is_written_as_version_5() {
    let m = manifest();
    let payload: Vault = serde_json::from_slice(&std::fs::read(dir().join(&m.payload)).unwrap()).unwrap();
    let bytes = std::fs::read(dir().join("basic-v4.crmvault")).unwrap();
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 4);
    let opened = format::read(&bytes, &SecretString::from(PASSWORD)).unwrap();
    assert_eq!(opened.vault, payload);
    // Its next save writes version 5 with the same key slot, so no password is needed.
    let rewritten = format::write(&opened.vault, &opened.key, &opened.slot);
    assert_eq!(u16::from_le_bytes([rewritten[8], rewritten[9]]), 5);
    assert!(rewritten.len() < bytes.len(), "{} bytes, version 4 had {}", rewritten.len(), bytes.len());
    assert_eq!(format::read(&rewritten, &SecretString::from(PASSWORD)).unwrap().vault, payload);
}

/// Rewrites the header checksum after an edit, so the edit itself is what the reader judges.
fn reseal_header(bytes: &mut [u8]) {
    let header_len = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
    let digest = sha2::Sha256::digest(&bytes[..header_len - 32]);
    bytes[header_len - 32..header_len].copy_from_slice(&digest);
}

#[test]
#[ignore = "rewrites tests/vectors; run only when the format changes"]
fn write_vectors() {
    if std::env::var_os("CRM_VAULT_WRITE_VECTORS").is_none() {
        return;
    }
    let vault = basic_vault();
    let good = basic_file(&vault);
    let d = dir();
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("basic.crmvault"), &good).unwrap();
    std::fs::write(d.join("basic.payload.json"), serde_json::to_string_pretty(&vault).unwrap() + "\n").unwrap();
    std::fs::write(d.join("basic.compact.json"), compact_json(&good)).unwrap();

    let salt_at = 23; // after the fixed prefix
    let header_len = u16::from_le_bytes([good[10], good[11]]) as usize;
    let edit = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let mut invalid = Vec::new();
    let mut add = |file: &str, bytes: Vec<u8>, password: &str, error: &str, why: &str| {
        std::fs::write(d.join(file), bytes).unwrap();
        invalid.push(Invalid { file: file.into(), password: password.into(), error: error.into(), why: why.into() });
    };
    add(
        "wrong-password.crmvault",
        good.clone(),
        "correct horse battery staple",
        "wrong-password",
        "the valid file with another password",
    );
    add(
        "not-a-vault.crmvault",
        b"name,url,username,password\n".to_vec(),
        PASSWORD,
        "not-a-vault",
        "a CSV file, not a vault",
    );
    add("bad-magic.crmvault", edit(&|b| b[0] ^= 0x20), PASSWORD, "not-a-vault", "first magic byte changed");
    add("version-6.crmvault", edit(&|b| b[8] = 6), PASSWORD, "unsupported-version", "format version 6");
    add(
        "header-byte-flipped.crmvault",
        edit(&|b| b[salt_at + 3] ^= 1),
        PASSWORD,
        "damaged",
        "one salt bit flipped: header checksum fails",
    );
    add(
        "checksum-flipped.crmvault",
        edit(&|b| b[header_len - 1] ^= 1),
        PASSWORD,
        "damaged",
        "last checksum byte flipped",
    );
    add(
        "header-length-changed.crmvault",
        edit(&|b| b[10] ^= 1),
        PASSWORD,
        "damaged",
        "header length disagrees with the salt length",
    );
    add("truncated-header.crmvault", good[..40].to_vec(), PASSWORD, "damaged", "cut inside the header");
    add(
        "truncated-payload.crmvault",
        good[..good.len() - 1].to_vec(),
        PASSWORD,
        "damaged",
        "last byte of the tag missing",
    );
    add(
        "payload-byte-flipped.crmvault",
        edit(&|b| b[header_len + 5] ^= 1),
        PASSWORD,
        "damaged",
        "payload bit flipped: GCM tag fails",
    );
    add(
        "tag-byte-flipped.crmvault",
        edit(&|b| *b.last_mut().unwrap() ^= 0x80),
        PASSWORD,
        "damaged",
        "GCM tag bit flipped",
    );
    add(
        "unknown-kdf.crmvault",
        edit(&|b| {
            b[12] = 2;
            reseal_header(b)
        }),
        PASSWORD,
        "unsupported-kdf",
        "KDF id 2, checksum valid",
    );
    add(
        "kdf-memory-too-high.crmvault",
        edit(&|b| {
            b[13..17].copy_from_slice(&(4097u32 * 1024).to_le_bytes());
            reseal_header(b)
        }),
        PASSWORD,
        "kdf-out-of-range",
        "4097 MiB: refused before any allocation",
    );
    add(
        "kdf-memory-too-low.crmvault",
        edit(&|b| {
            b[13..17].copy_from_slice(&(8u32 * 1024).to_le_bytes());
            reseal_header(b)
        }),
        PASSWORD,
        "kdf-out-of-range",
        "8 MiB: below the floor",
    );
    add(
        "kdf-iterations-too-low.crmvault",
        edit(&|b| {
            b[17..21].copy_from_slice(&1u32.to_le_bytes());
            reseal_header(b)
        }),
        PASSWORD,
        "kdf-out-of-range",
        "1 iteration",
    );
    add(
        "kdf-lanes-too-many.crmvault",
        edit(&|b| {
            b[21] = 17;
            reseal_header(b)
        }),
        PASSWORD,
        "kdf-out-of-range",
        "17 lanes",
    );
    add(
        "payload-nonce-changed.crmvault",
        edit(&|b| {
            b[header_len - 33] ^= 1;
            reseal_header(b)
        }),
        PASSWORD,
        "damaged",
        "payload nonce changed, checksum recomputed: the key unwraps but the payload fails",
    );
    let wrapped_key_at = salt_at + SALT.len() + 12;
    let key_id_at = wrapped_key_at + 48;
    add(
        "key-id-changed.crmvault",
        edit(&|b| {
            b[key_id_at] ^= 1;
            reseal_header(b)
        }),
        PASSWORD,
        "damaged",
        "key id changed, checksum recomputed: the key unwraps but the payload (whose associated data is the header) fails",
    );
    add(
        "notice-count-too-high.crmvault",
        edit(&|b| {
            b[key_id_at + 16] = 9;
            reseal_header(b)
        }),
        PASSWORD,
        "damaged",
        "9 key-change notices announced (at most 8), none there",
    );
    add(
        "wrapped-key-changed.crmvault",
        edit(&|b| {
            b[wrapped_key_at + 5] ^= 1;
            reseal_header(b)
        }),
        PASSWORD,
        "wrong-password",
        "wrapped key changed with the checksum recomputed: indistinguishable from a wrong password (deliberate tampering only)",
    );

    // Payloads that encrypt and decompress correctly but are not what a writer makes: each one
    // sealed under a new nonce, as a writer would.
    let compact = compact_json(&good);
    let reseal = |plaintext: &[u8], nonce: [u8; 12]| {
        let key = SecretKey::from_bytes(VAULT_KEY);
        let mut bytes = good[..header_len].to_vec();
        bytes[header_len - 44..header_len - 32].copy_from_slice(&nonce);
        reseal_header(&mut bytes);
        let sealed = vault::crypto::seal(&key, &nonce, &bytes, plaintext);
        bytes.extend_from_slice(&sealed);
        bytes
    };
    let compressed = |json: &serde_json::Value| zstd::bulk::compress(&serde_json::to_vec(json).unwrap(), 3).unwrap();
    // A member this version does not know: refused, since saving it again would silently drop it.
    let mut future: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    future["shared_folders"] = serde_json::json!([]);
    add(
        "unknown-member.crmvault",
        reseal(&compressed(&future), [3; 12]),
        PASSWORD,
        "damaged",
        "valid encryption of a compressed payload with an extra top-level member",
    );
    add(
        "payload-not-compressed.crmvault",
        reseal(&compact, [7; 12]),
        PASSWORD,
        "damaged",
        "valid encryption of the compact JSON itself, not compressed",
    );
    let mut short: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    short["entries"]["title"].as_array_mut().unwrap().pop();
    add(
        "column-too-short.crmvault",
        reseal(&compressed(&short), [8; 12]),
        PASSWORD,
        "damaged",
        "the title column has one item fewer than there are entries",
    );
    let mut unknown_device: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    unknown_device["clock_devices"] = serde_json::json!([]);
    add(
        "clock-device-missing.crmvault",
        reseal(&compressed(&unknown_device), [9; 12]),
        PASSWORD,
        "damaged",
        "clocks name device 0, but the device table is empty",
    );
    let mut stray_clock: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    stray_clock["entries"]["clocks"][0]["tag:never-set"] = serde_json::json!([1_795_000_000_000u64, 0]);
    add(
        "clock-for-missing-tag.crmvault",
        reseal(&compressed(&stray_clock), [10; 12]),
        PASSWORD,
        "damaged",
        "an entry's clocks name a tag the entry does not have",
    );

    let kek = vault::crypto::derive_kek(&SecretString::from(PASSWORD), &SALT, KDF).unwrap();
    let manifest = Manifest {
        password: PASSWORD.into(),
        kdf: KdfJson { memory_kib: KDF.memory_kib, iterations: KDF.iterations, parallelism: KDF.parallelism },
        salt_hex: hex::encode(SALT),
        kek_hex: hex::encode(kek.expose()),
        vault_key_hex: hex::encode(VAULT_KEY),
        wrap_nonce_hex: hex::encode(WRAP_NONCE),
        payload_nonce_hex: hex::encode(PAYLOAD_NONCE),
        valid: "basic.crmvault".into(),
        payload: "basic.payload.json".into(),
        compact_payload: "basic.compact.json".into(),
        invalid,
        rotated: Rotated {
            file: "rotated.crmvault".into(),
            password: ROTATED_PASSWORD.into(),
            salt_hex: hex::encode(ROTATED_SALT),
            vault_key_hex: hex::encode(ROTATED_KEY),
            wrap_nonce_hex: hex::encode(ROTATED_WRAP_NONCE),
            payload_nonce_hex: hex::encode(ROTATED_PAYLOAD_NONCE),
            notice_nonce_hex: hex::encode(NOTICE_NONCE),
            notice_plaintext: serde_json::to_string(&key_change(&vault)).unwrap(),
        },
        older: vec![
            "basic-v1.crmvault".into(),
            "basic-v2.crmvault".into(),
            "basic-v3.crmvault".into(),
            "basic-v4.crmvault".into(),
        ],
    };
    std::fs::write(d.join("rotated.crmvault"), rotated_file(&vault)).unwrap();
    std::fs::write(d.join("vectors.json"), serde_json::to_string_pretty(&manifest).unwrap() + "\n").unwrap();
}

/// Version 4 wrote each entry's id twice; a forged file where they differ is refused, since the
/// vault would change at its next save (version 5 writes the id once). Found by fuzzing.
#[test]
fn a_version_4_entry_filed_under_another_id_is_damage() {
    let file = std::fs::read(dir().join("basic-v4.crmvault")).unwrap();
    let parsed = format::parse(&file).unwrap();
    let key = SecretKey::from_bytes(VAULT_KEY);
    let plaintext = vault::crypto::open(&key, &parsed.payload_nonce, parsed.header, parsed.payload).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
    let (filed_under, entry) = json["entries"].as_object_mut().unwrap().iter_mut().next().unwrap();
    assert_eq!(entry["id"], serde_json::json!(filed_under));
    entry["id"] = serde_json::json!("00000000-0000-4000-8000-0000000000ff");
    let header = parsed.header.to_vec();
    let mut forged = header.clone();
    forged.extend_from_slice(&vault::crypto::seal(
        &key,
        &parsed.payload_nonce,
        &header,
        &serde_json::to_vec(&json).unwrap(),
    ));
    assert!(matches!(format::read(&forged, &SecretString::from(PASSWORD)), Err(ReadError::Damaged(_))));
    // The same payload untouched opens: the refusal is the mismatch's.
    assert!(format::read(&file, &SecretString::from(PASSWORD)).is_ok());
}
