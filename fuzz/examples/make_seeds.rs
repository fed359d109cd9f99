//! Writes the seed corpora under `fuzz/seeds/`: a small real vault (cheap KDF, the password and
//! vault key in `src/lib.rs`), its decrypted payload, and CSV exports in the shapes the importer
//! knows. Deterministic, so running it again changes nothing.
//!
//! cargo run --manifest-path fuzz/Cargo.toml --example make_seeds

use std::fs;
use std::path::Path;

use vault::format;
use vault::{Author, CustomField, DeviceId, EntryEdit, EntryId, NewEntry, SecretText, Vault};
use vault_fuzz::{CHEAP_KDF, FixedClock, PAYLOAD_NONCE, SALT, WRAP_NONCE, open_payload, password, vault_key};

fn seed_vault() -> Vault {
    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0x0123_4567_89ab_cdef), clock: &clock };
    let mut vault = Vault::new("工作 Work", author, "laptop-1");
    vault.id = vault::model::VaultId(uuid::Uuid::from_u128(0x5eed));
    let news = [
        NewEntry {
            title: "Salesforce".into(),
            username: "li.wei@example.com".into(),
            password: SecretText::new("p,w\"1 密码"),
            urls: vec!["https://login.salesforce.com".into()],
            notes: "first line\nsecond".into(),
            totp: SecretText::new("otpauth://totp/SF:li?secret=JBSWY3DPEHPK3PXP"),
            tags: vec!["crm".into(), "客户".into()],
            fields: vec![("employee id".into(), CustomField { value: "E1".into(), hidden: false })],
            // The login window may also fill the single sign-on page; auto-type has its own steps.
            also_fill_on: vec!["https://sso.example.com".into()],
            autotype_sequence: Some("{USERNAME}{TAB}{PASSWORD}{TAB}{TOTP}{ENTER}".into()),
            autotype_windows: vec!["*Salesforce*".into()],
            ..Default::default()
        },
        NewEntry {
            title: "纷享销客".into(),
            username: "李伟".into(),
            password: "秘密123".into(),
            ..Default::default()
        },
        NewEntry {
            title: "Mail".into(),
            username: "li.wei".into(),
            urls: vec!["https://mail.example.com".into()],
            ..Default::default()
        },
    ];
    let mut ids = Vec::new();
    for new in news {
        ids.push(vault.add_entry(new, author));
    }
    // Stable ids, so the seeds do not change from run to run.
    let mut entries = std::mem::take(&mut vault.entries);
    for (n, id) in ids.iter().enumerate() {
        let mut entry = entries.remove(id).unwrap();
        entry.id = EntryId(uuid::Uuid::from_u128(n as u128 + 1));
        vault.entries.insert(entry.id, entry);
    }
    let ids: Vec<EntryId> = vault.entries.keys().copied().collect();
    let edit = EntryEdit { password: Some("second password".into()), ..Default::default() };
    vault.edit_entry(ids[0], edit, author).unwrap();
    vault.delete_entry(ids[2], author).unwrap();
    vault
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = root.join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
    };

    let vault = seed_vault();
    let key = vault_key();
    let slot = format::wrap_key_with(&password(), CHEAP_KDF, &key, SALT.to_vec(), WRAP_NONCE).unwrap();
    let file = format::write_with_nonce(&vault, &key, &slot, PAYLOAD_NONCE);
    assert_eq!(format::read(&file, &password()).unwrap().vault, vault);
    write("vault_file", "seed.crmvault", &file);
    let empty = Vault::new("", Author { device: DeviceId(2), clock: &FixedClock::default() }, "");
    let mut empty = empty;
    empty.id = vault::model::VaultId(uuid::Uuid::from_u128(0));
    write("vault_file", "empty.crmvault", &format::write_with_nonce(&empty, &key, &slot, PAYLOAD_NONCE));
    // A 64-byte salt, the largest the format takes (the slot does not open: parse and decrypt only).
    let big_salt = format::KeySlot { salt: vec![7; 64], ..slot.clone() };
    write("vault_file", "salt64.crmvault", &format::write_with_nonce(&vault, &key, &big_salt, PAYLOAD_NONCE));

    let payload = open_payload(&file).unwrap();
    write("vault_payload", "seed.json", &payload);
    write(
        "vault_payload",
        "empty.json",
        &open_payload(&format::write_with_nonce(&empty, &key, &slot, PAYLOAD_NONCE)).unwrap(),
    );

    let csv: &[(&str, &str)] = &[
        (
            "chrome.csv",
            "name,url,username,password,note\nSalesforce,https://login.salesforce.com/,li@example.com,\"p,w\"\"1\",first\nMail,https://mail.example.com,li.wei,hunter2,\n",
        ),
        (
            "firefox.csv",
            "\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\"\n\"https://user@crm.example.com:8443/login\",\"li\",\"pw\",,\"https://crm.example.com\",\"{1}\",\"1\",\"1\",\"1\"\n",
        ),
        (
            "bitwarden.csv",
            "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\nWork/Sales,,login,ERP,,\"employee id: E1\nPIN: 1234\",0,https://erp.example.com,li,pw,otpauth://totp/x?secret=JBSWY3DP\n,,note,My note,text,,0,,,,\n",
        ),
        (
            "keepassxc.csv",
            "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\"Root/CRM\",\"HubSpot\",\"li\",\"x y z\",\"https://app.hubspot.com\",\"\",\"\",\"0\",\"2026-01-01T00:00:00Z\",\"2026-01-01T00:00:00Z\"\n",
        ),
        (
            "chinese_bom.csv",
            "\u{feff}密码,用户名,标题,网址,备注\n秘密123,李伟,纷享销客,https://www.fxiaoke.com,\"客户 “重要”\"\n",
        ),
        (
            "quotes_and_bad_rows.csv",
            "name,url,username,password,note\n\"A \"\"quoted\"\" name\",,u,\"multi\nline\",\nB,only-three,cols\n\n   \n,,,,\nC,,u2,p2,\"unterminated\n",
        ),
    ];
    for (name, text) in csv {
        write("csv_import", name, text.as_bytes());
    }
    let mut invalid = b"name,url,username,password,note\nA,,u,".to_vec();
    invalid.extend_from_slice(&[0xff, 0xfe]);
    invalid.extend_from_slice(b",\r\nB,,u,p,\r\n");
    write("csv_import", "crlf_invalid_utf8.csv", &invalid);
    println!("seeds written to {}", root.display());
}
