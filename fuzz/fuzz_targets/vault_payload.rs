//! Any bytes as the decrypted payload of an authentic vault file: the input is encrypted under
//! the fixed vault key behind a valid header, so every run gets past the checksum and the
//! payload tag to the payload reader. Input that looks like JSON goes to both JSON readers: as
//! is in a version 4 file, and compressed in a version 5 file (the compact, column-wise JSON);
//! anything else goes to version 5's decompression as it is. A payload that reads as a vault is then used the way the app
//! uses one (listing, search, edits, saving) and must survive a save and re-open unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::format::{self, ReadError};
use vault::{Author, DeviceId, EntryEdit, NewEntry, SecretText, Vault, clock, find, order};
use vault_fuzz::{FixedClock, PAYLOAD_NONCE, seal_payload, seal_payload_as, vault_key};

fn round_trip(vault: &Vault, slot: &format::KeySlot) {
    let key = vault_key();
    let file = format::write_with_nonce(vault, &key, slot, PAYLOAD_NONCE);
    let back = format::read_with_key(&file, &key).expect("a file just written reads back");
    assert_eq!(&back.vault, vault, "a save and re-open changed the vault");
}

fn use_vault(mut vault: Vault, slot: &format::KeySlot) {
    round_trip(&vault, slot);

    let sorted = vault.sorted_entries();
    assert_eq!(sorted.len(), vault.live_entries().count());
    for entry in &sorted {
        let _ = clock::rfc3339(entry.modified().wall_ms);
        let _ = (entry.tags().count(), entry.custom_fields().count(), entry.url(), entry.password_changed());
    }
    for device in vault.devices.values() {
        let _ = clock::rfc3339(device.last_write_ms);
    }
    let _ = find::search(&vault, "");
    let _ = find::search(&vault, "a 客");
    let _ = find::search(&vault, "kehu fxxk");
    for sort in [order::EntrySort::RecentlyUsed, order::EntrySort::RecentlyChanged] {
        assert_eq!(vault.entries_by(sort).len(), vault.live_entries().count());
    }
    let ids: Vec<_> = vault.entries.keys().copied().take(4).collect();
    let titles: Vec<String> = sorted.iter().take(4).map(|e| e.title.value.clone()).collect();
    drop(sorted);
    for title in &titles {
        let _ = find::resolve(&vault, title);
    }
    for id in &ids {
        let _ = find::resolve(&vault, &id.to_string());
    }

    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0xf022), clock: &clock };
    for (n, id) in ids.iter().enumerate() {
        let edit = EntryEdit {
            title: Some(format!("edited {n}")),
            password: Some(SecretText::new("new password")),
            urls: Some(vec!["https://crm.example.com".into()]),
            tags: Some(vec!["客户".into()]),
            fields: vec![
                ("PIN".into(), None),
                ("employee id".into(), Some(vault::CustomField { value: "E1".into(), hidden: false })),
            ],
            ..Default::default()
        };
        if let Err(err) = vault.edit_entry(*id, edit, author) {
            // Entries received in a hand-over are refused, and stay exactly as they were; so
            // are entries deleted for ever, which stay tombstones.
            match err {
                vault::model::EditError::HandedOver { .. } => assert!(vault.entry(*id).unwrap().handed_over.is_some()),
                _ => assert!(vault.entries[id].is_purged(), "{err:?}"),
            }
            continue;
        }
        let entry = vault.entry(*id).unwrap();
        assert_eq!(entry.title.value, format!("edited {n}"));
        assert!(!entry.is_deleted(), "an edit brings an entry back from the trash");
        assert!(
            entry.history.len() <= vault::model::HISTORY_LIMIT,
            "an edit left {} history items",
            entry.history.len()
        );
    }
    if let Some(id) = ids.iter().find(|id| !vault.entries[*id].is_purged()) {
        vault.delete_entry(*id, author).expect("the entry exists");
        assert!(vault.entry(*id).unwrap().is_deleted());
        vault.set_favourite(*id, true, author).expect("the entry exists");
        assert!(vault.entry(*id).unwrap().is_deleted(), "a star is not an edit");
        vault.purge_entry(*id, author).expect("the entry is in the trash");
        assert!(vault.entry(*id).is_none() && vault.entries[id].history.is_empty());
    }
    vault.add_entry(NewEntry { title: "new".into(), ..Default::default() }, author);
    vault.note_device(author, "fuzz");
    round_trip(&vault, slot);
}

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        check(&seal_payload_as(4, data));
        check(&seal_payload(&zstd::bulk::compress(data, 1).expect("compressing into memory")));
    } else {
        check(&seal_payload(data));
    }
});

fn check(file: &[u8]) {
    let key = vault_key();
    let parsed = format::parse(file).expect("the fixed header parses");
    let decrypted = parsed.decrypt(&key);
    match format::read_with_key(file, &key) {
        Ok(opened) => {
            assert_eq!(decrypted.as_ref().ok(), Some(&opened.vault));
            use_vault(opened.vault, &parsed.slot);
        }
        // The file is authentic (right key, intact tag), so contents that are not a vault are
        // damage, never "another key".
        Err(ReadError::Damaged(_)) => assert!(matches!(decrypted, Err(ReadError::Damaged(_)))),
        Err(err) => panic!("unexpected error for an authentic file: {err:?}"),
    }
}
