//! Any bytes handed to the vault-file reader: `format::parse`, then decryption with the seed's
//! vault key, `format::read_with_key`, and `format::read` with the seed's password. None may
//! panic, and what they report must agree with each other.
//!
//! Each input is tried as is and, when its length fields allow, with the header checksum
//! recomputed, so mutated header fields also reach the checks that follow the checksum.
//!
//! `read` runs Argon2id, so it is only called for the cheapest settings and only when the file
//! decrypted with the seed key (that is, for the seed vault): a hostile header could otherwise
//! ask for up to 4 GiB per run, and running the KDF on every mutant would slow fuzzing to a crawl.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::format::{self, ReadError};
use vault_fuzz::{CHEAP_KDF, fix_checksum, password, vault_key};

fn check(data: &[u8]) {
    let parsed = match format::parse(data) {
        Ok(parsed) => parsed,
        Err(err) => {
            // Every refusal must be explainable; Display must not panic either.
            let _ = err.to_string();
            assert!(!matches!(err, ReadError::WrongPassword | ReadError::WrongKey), "parse reported {err:?}");
            return;
        }
    };
    assert_eq!(parsed.header.len() + parsed.payload.len(), data.len());
    assert_eq!(parsed.header, &data[..parsed.header.len()]);
    assert!(parsed.slot.kdf.check().is_ok(), "parse accepted settings that check refuses: {:?}", parsed.slot.kdf);

    let key = vault_key();
    let decrypted = parsed.decrypt(&key);
    let with_key = format::read_with_key(data, &key);
    match (&decrypted, &with_key) {
        (Ok(a), Ok(b)) => assert_eq!(a, &b.vault),
        (Err(_), Err(_)) => {}
        _ => panic!("decrypt and read_with_key disagree: {decrypted:?} vs {with_key:?}"),
    }

    if parsed.slot.kdf == CHEAP_KDF
        && let Ok(vault) = &decrypted
    {
        match format::read(data, &password()) {
            Ok(opened) => {
                assert_eq!(&opened.vault, vault);
                assert_eq!(opened.key.expose(), key.expose());
                assert_eq!(opened.slot, parsed.slot);
            }
            Err(ReadError::WrongPassword) => {}
            Err(err) => panic!("read failed on a file that decrypts: {err:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some(fixed) = fix_checksum(data) {
        check(&fixed);
    }
});
