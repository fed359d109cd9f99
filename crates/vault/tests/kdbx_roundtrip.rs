//! Our vault -> KDBX 4 -> our vault loses nothing KDBX carries: titles, user names, passwords,
//! URLs, notes, tags, custom fields and whether they are hidden, TOTP and expiry, in Chinese
//! and emoji as sales teams write them.

use proptest::prelude::*;
use std::collections::BTreeMap;

use vault::import::{self, FileKey};
use vault::model::{CustomField, ExpiryDate, NewEntry};
use vault::totp::{Kind, Totp};
use vault::{Author, DeviceId, KdfParams, SecretText, SystemClock, Vault};

const LIGHT: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

/// Text as users type it: Chinese, emoji, Latin, spaces inside (not at the ends, which forms trim).
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9销售客户密码国内系统🚀✓😀 ._-]{0,12}".prop_map(|s| s.trim().to_owned())
}

/// Notes over several lines. Not only blanks: the `keepass` crate's XML reader drops a value that
/// is nothing but white space (a known limit: a note or password of only spaces arrives empty).
fn notes() -> impl Strategy<Value = String> {
    "[a-z销售\n ]{0,20}".prop_map(|s| if s.trim().is_empty() { String::new() } else { s })
}

fn entry() -> impl Strategy<Value = NewEntry> {
    let urls = prop::collection::vec("[a-z]{1,8}", 0..4)
        .prop_map(|hosts| hosts.into_iter().map(|h| format!("https://{h}.example.cn")).collect::<Vec<_>>());
    let fields = prop::collection::btree_map("[A-Za-z客户工号]{1,6}", (text(), any::<bool>()), 0..3);
    let tags = prop::collection::btree_set("[a-z重要销售]{1,5}", 0..3);
    (text(), text(), text(), urls, notes(), fields, tags, prop::option::of(0u32..3000), any::<bool>()).prop_map(
        |(title, username, password, urls, notes, fields, tags, expiry, totp)| {
            let mut urls = urls;
            urls.dedup();
            NewEntry {
                // Never an empty entry: those are not imported.
                title: format!("条目 {title}"),
                username,
                password: password.into(),
                urls,
                notes,
                totp: if totp {
                    let secret = format!("{title}-one-time-key").into_bytes();
                    Totp::new(secret, Kind::DEFAULT).unwrap().to_uri()
                } else {
                    SecretText::default()
                },
                tags: tags.into_iter().collect(),
                fields: fields
                    .into_iter()
                    .map(|(name, (value, hidden))| (name, CustomField { value: value.into(), hidden }))
                    .collect(),
                expires: expiry.map(|days| {
                    ExpiryDate(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(days.into()))
                }),
                ..NewEntry::default()
            }
        },
    )
}

/// What KDBX carries of an entry, comparable.
type Carried = (
    String,
    String,
    String,
    Vec<String>,
    String,
    String,
    Vec<String>,
    BTreeMap<String, (String, bool)>,
    Option<String>,
);

fn carried(vault: &Vault) -> Vec<Carried> {
    let mut all: Vec<Carried> = vault
        .live_entries()
        .map(|e| {
            (
                e.title.value.clone(),
                e.username.value.clone(),
                e.password.value.expose().to_owned(),
                e.urls.value.clone(),
                e.notes.value.clone(),
                e.totp.value.expose().to_owned(),
                e.tags().map(str::to_owned).collect(),
                e.custom_fields().map(|(n, f)| (n.to_owned(), (f.value.expose().to_owned(), f.hidden))).collect(),
                e.expires.value.map(|d| d.to_string()),
            )
        })
        .collect();
    all.sort();
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn a_vault_comes_back_from_kdbx_whole(entries in prop::collection::vec(entry(), 1..5)) {
        let clock = SystemClock;
        let author = Author { device: DeviceId(9), clock: &clock };
        let mut original = Vault::new("往返 🚀", author, "laptop");
        for entry in entries {
            original.add_entry(entry, author);
        }
        let password = SecretText::new("往返密码");
        let file = vault::export::kdbx::write(&original, &password, LIGHT).unwrap();
        let key = FileKey { password: Some(&password), key_file: None };
        let read = import::read(&file, None, key, Default::default(), &mut |_, _| {}).unwrap();
        prop_assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        let mut back = Vault::new("back", author, "laptop");
        import::apply(&mut back, read, author).unwrap();
        prop_assert_eq!(carried(&back), carried(&original));
        let ids = |v: &Vault| v.live_entries().map(|e| e.id).collect::<Vec<_>>();
        prop_assert_eq!(ids(&back), ids(&original));
    }
}
