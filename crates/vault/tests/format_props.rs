//! Properties of the file format: any vault round-trips exactly, whatever its text; any damage
//! to a file is refused cleanly, never a panic and never a partial vault.

use proptest::prelude::*;
use secrecy::SecretString;
use std::cell::Cell;
use vault::crypto::{KdfParams, SecretKey};
use vault::format::{self, ReadError};
use vault::{Author, Clock, CustomField, DeviceId, EntryEdit, NewEntry, SecretText, Vault};

const CHEAP: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };

struct Ticks(Cell<u64>);
impl Clock for Ticks {
    fn now_ms(&self) -> u64 {
        self.0.set(self.0.get() + 1);
        self.0.get()
    }
}

/// Any text, weighted towards what users type: Chinese, emoji, quotes, newlines, NUL.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{0,24}", "[a-zA-Z0-9 客户密码销售纷享🔑😀\"',\\n\\t\\\\\u{0}]{0,24}", Just(String::new()),]
}

fn new_entry() -> impl Strategy<Value = NewEntry> {
    (
        (text(), text(), text(), prop::collection::vec(text(), 0..3), text(), text()),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec((text(), text(), any::<bool>()), 0..3),
    )
        .prop_map(|((title, username, password, urls, notes, totp), tags, fields)| NewEntry {
            title,
            username,
            password: SecretText::new(password),
            urls,
            notes,
            totp: SecretText::new(totp),
            tags,
            fields: fields
                .into_iter()
                .map(|(n, v, hidden)| (n, CustomField { value: SecretText::new(v), hidden }))
                .collect(),
            ..Default::default()
        })
}

fn vault_of(entries: Vec<NewEntry>, edits: Vec<(usize, String)>) -> Vault {
    let clock = Ticks(Cell::new(1_795_000_000_000));
    let author = Author { device: DeviceId(9), clock: &clock };
    let mut vault = Vault::new("测试 vault 🔐", author, "LAPTOP-1");
    let ids: Vec<_> = entries.into_iter().map(|e| vault.add_entry(e, author)).collect();
    for (i, password) in edits {
        if let Some(&id) = ids.get(i % ids.len().max(1)) {
            let edit = EntryEdit { password: Some(password.into()), ..Default::default() };
            vault.edit_entry(id, edit, author).unwrap();
        }
    }
    if let Some(&id) = ids.first() {
        vault.delete_entry(id, author).unwrap();
    }
    // A star, an un-star (written, false) and an entry deleted for ever: the members since
    // favourites and the tombstone.
    if let [_, starred, unstarred, ..] = ids[..] {
        vault.set_favourite(starred, true, author).unwrap();
        vault.set_favourite(unstarred, true, author).unwrap();
        vault.set_favourite(unstarred, false, author).unwrap();
    }
    if let Some(&id) = ids.get(4) {
        vault.delete_entry(id, author).unwrap();
        vault.purge_entry(id, author).unwrap();
    }
    vault
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Without the KDF (a known vault key), so many vaults can be tried.
    #[test]
    fn any_vault_round_trips_exactly(entries in prop::collection::vec(new_entry(), 0..6), edits in prop::collection::vec((any::<usize>(), text()), 0..4)) {
        let vault = vault_of(entries, edits);
        let key = SecretKey::random();
        let slot = format::wrap_key_with(&SecretString::from("x"), CHEAP, &key, vec![7; 16], [0; 12]).unwrap();
        let bytes = format::write(&vault, &key, &slot);
        let back = format::parse(&bytes).unwrap().decrypt(&key).unwrap();
        prop_assert_eq!(back, vault);
    }
}

#[test]
fn a_vault_round_trips_through_the_password() {
    let entries =
        vec![NewEntry { title: "纷享销客 😀".into(), password: "密码🔑".into(), ..Default::default() }];
    let vault = vault_of(entries.clone(), vec![]);
    let password = SecretString::from("主密码 master 🔐");
    let key = SecretKey::random();
    let slot = format::wrap_key(&password, CHEAP, &key).unwrap();
    let bytes = format::write(&vault, &key, &slot);
    assert_eq!(format::read(&bytes, &password).unwrap().vault, vault);
    assert!(matches!(format::read(&bytes, &SecretString::from("主密码 master")), Err(ReadError::WrongPassword)));
}

#[test]
fn two_saves_of_one_vault_never_share_a_payload_nonce() {
    let vault = vault_of(vec![], vec![]);
    let key = SecretKey::random();
    let slot = format::wrap_key(&SecretString::from("x"), CHEAP, &key).unwrap();
    let a = format::write(&vault, &key, &slot);
    let b = format::write(&vault, &key, &slot);
    assert_ne!(a, b);
}

/// Every single-byte change anywhere in a file is refused, with the right kind of error.
#[test]
fn every_single_byte_change_is_refused() {
    let entries =
        vec![NewEntry { title: "CRM".into(), username: "李伟".into(), password: "pw".into(), ..Default::default() }];
    let vault = vault_of(entries, vec![]);
    let password = SecretString::from("pw");
    let key = SecretKey::random();
    let slot = format::wrap_key(&password, CHEAP, &key).unwrap();
    let good = format::write(&vault, &key, &slot);
    let header_len = format::parse(&good).unwrap().header.len();
    for pos in 0..good.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[pos] ^= flip;
            // A changed header never reaches the KDF (the checksum catches it first), so the
            // full read is cheap there; past the header the key is the same, so decrypt with it.
            let result = if pos < header_len {
                format::read(&bad, &password).map(|o| o.vault)
            } else {
                format::parse(&bad).and_then(|p| p.decrypt(&key))
            };
            let err = result.expect_err(&format!("byte {pos} ^ {flip:#x} was accepted"));
            let expected_kind = match pos {
                0..8 => matches!(err, ReadError::NotAVault),
                // Version 3 with one bit flipped may read as version 1 or 2, whose header is
                // shorter: damage.
                8..10 => matches!(err, ReadError::UnsupportedVersion(_) | ReadError::Damaged(_)),
                _ => matches!(err, ReadError::Damaged(_)),
            };
            assert!(expected_kind, "byte {pos} ^ {flip:#x}: {err:?}");
        }
    }
}

#[test]
fn every_truncation_is_refused() {
    let vault = vault_of(vec![NewEntry { title: "x".into(), ..Default::default() }], vec![]);
    let key = SecretKey::random();
    let slot = format::wrap_key(&SecretString::from("x"), CHEAP, &key).unwrap();
    let good = format::write(&vault, &key, &slot);
    for len in 0..good.len() {
        let result = format::parse(&good[..len]).and_then(|p| p.decrypt(&key));
        assert!(result.is_err(), "a file cut to {len} bytes was accepted");
    }
}
