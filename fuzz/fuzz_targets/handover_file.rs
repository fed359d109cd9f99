//! Hand-over files as a colleague receives them. The first byte chooses how the rest is used:
//! even, as a whole `.crmhandover` file (header checks, lengths, checksum: never a panic, never
//! a key derivation, since a file that passes them is then only decrypted with a fixed key); odd,
//! as the decrypted payload behind a valid header sealed with that key, so every run reaches the
//! JSON reader and its range checks, and a payload that reads is received into a vault: all its
//! entries or none, marked as handed over, gone at its expiry.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use vault::crypto::{self, SecretKey};
use vault::handover::file;
use vault::{Author, DeviceId, Vault};
use vault_fuzz::FixedClock;

const FILE_KEY: [u8; 32] = [0x42; 32];
const SALT: [u8; 32] = [0x5a; 32];

/// A header as docs/FORMAT.md describes it (Argon2id 19 MiB / 2 / 1), for a payload of `len` bytes.
fn header(len: usize) -> Vec<u8> {
    let mut h = b"CRMHANDOVER".to_vec();
    h.extend_from_slice(&1u16.to_le_bytes());
    h.push(1);
    h.extend_from_slice(&(19u32 * 1024).to_le_bytes());
    h.extend_from_slice(&2u32.to_le_bytes());
    h.push(1);
    h.push(SALT.len() as u8);
    h.extend_from_slice(&SALT);
    h.extend_from_slice(&[1; 12]);
    h.extend_from_slice(&[0; 48]);
    h.extend_from_slice(&[2; 12]);
    h.extend_from_slice(&((len + 16) as u32).to_le_bytes());
    let checksum = Sha256::digest(&h);
    h.extend_from_slice(&checksum);
    h
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let key = SecretKey::from_bytes(FILE_KEY);
    if mode % 2 == 0 {
        if let Ok(parsed) = file::parse(rest) {
            let _ = parsed.decrypt(&key);
        }
        return;
    }
    let mut bytes = header(rest.len());
    let sealed = crypto::seal(&key, &[2; 12], &bytes, rest);
    bytes.extend_from_slice(&sealed);
    let parsed = file::parse(&bytes).expect("a header made by the format's own rules parses");
    let Ok(handover) = parsed.decrypt(&key) else { return };
    assert!(!handover.entries.is_empty(), "an empty hand-over was accepted");
    let clock = FixedClock::default();
    let author = Author { device: DeviceId(7), clock: &clock };
    let mut vault = Vault::new("Colleague", author, "LAPTOP-2");
    let now = handover.made_ms;
    match vault.receive(&handover, now, author) {
        Ok(received) => {
            let marked = vault.entries.values().filter(|e| e.handed_over.is_some()).count();
            assert_eq!(marked, received.added, "all of the entries arrived, marked, or none");
            assert_eq!(vault.receive(&handover, now, author).expect("a second receive is a no-op").added, 0);
            if let Some(expires) = handover.expires_ms {
                vault.drop_expired_handovers(expires);
                assert!(vault.entries.values().all(|e| e.handed_over.is_none()), "expired entries stayed");
            }
        }
        Err(_) => assert!(vault.entries.is_empty(), "a refused hand-over left entries behind"),
    }
});
