//! Any bytes as a CSV export handed to `import`: `import::read` as CSV, then adding what it found
//! to a vault (twice: the second time must add nothing) and saving it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::format;
use vault::import::{self, Contents, FileKey, Format, Options};
use vault::{Author, DeviceId, Vault};
use vault_fuzz::{FixedClock, PAYLOAD_NONCE, vault_key};

fuzz_target!(|data: &[u8]| {
    let mut last_progress = 0u64;
    let result = import::read(data, Some(Format::Csv), FileKey::default(), Options::default(), &mut |bytes, _| {
        assert!(bytes <= data.len() as u64, "progress {bytes} is past the end ({})", data.len());
        assert!(bytes >= last_progress, "progress went back from {last_progress} to {bytes}");
        last_progress = bytes;
    });
    let import = match result {
        Ok(import) => import,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    let _ = import.source.to_string();
    for skipped in &import.skipped {
        assert!(!skipped.reason.to_string().is_empty());
    }

    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0xc5f), clock: &clock };
    let mut vault = Vault::new("import", author, "fuzz");
    let Contents::Entries(entries) = &import.contents else { panic!("a CSV file holds entries") };
    let count = entries.len();
    let again = import::Read { source: import.source.clone(), contents: Contents::Entries(entries.clone()), skipped: vec![] };
    let first = import::apply(&mut vault, import, author).expect("entries always go in");
    // Rows repeated within the file arrive once.
    assert!(first.added + first.already_present <= count);
    assert_eq!(vault.live_entries().count(), first.added);
    let second = import::apply(&mut vault, again, author).expect("entries always go in");
    assert_eq!(second.added, 0, "importing the same rows twice added entries");

    let slot = format::KeySlot {
        kdf: vault_fuzz::CHEAP_KDF,
        salt: vault_fuzz::SALT.to_vec(),
        wrap_nonce: vault_fuzz::WRAP_NONCE,
        wrapped_key: [0; 48],
    };
    let file = format::write_with_nonce(&vault, &vault_key(), &slot, PAYLOAD_NONCE);
    let back = format::read_with_key(&file, &vault_key()).expect("a file just written reads back");
    assert_eq!(back.vault, vault);
});
