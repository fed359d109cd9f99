//! What the fuzz targets and the seed generator share: the fixed password and vault key the
//! seed vault is made with, and helpers that turn fuzz input into files that get past the
//! checksum and the payload tag, so the fuzzer can reach the checks behind them.

use secrecy::SecretString;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

use vault::KdfParams;
use vault::crypto::{self, NONCE_LEN, VaultKey};
use vault::format::{self, KeySlot};

/// The master password of the seed vault.
pub const PASSWORD: &str = "fuzz-seed-password";
/// The vault key of the seed vault, and of every file [`seal_payload`] makes.
pub const VAULT_KEY: [u8; 32] = *b"crm-vault fuzz seed key 32 bytes";
/// The cheapest settings the format accepts: the only ones a target runs the KDF with.
pub const CHEAP_KDF: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
pub const SALT: [u8; 32] = *b"fuzz seed salt, fixed, 32 bytes.";
pub const WRAP_NONCE: [u8; NONCE_LEN] = *b"wrap nonce 1";
pub const PAYLOAD_NONCE: [u8; NONCE_LEN] = *b"payload no 1";

pub fn password() -> SecretString {
    SecretString::from(PASSWORD)
}

pub fn vault_key() -> VaultKey {
    VaultKey::from_bytes(VAULT_KEY)
}

/// The header every [`seal_payload`] file starts with: cheap KDF settings, the fixed salt and
/// nonces, and a key slot that does not open (it is never unwrapped: the targets use the key).
fn fixed_header() -> &'static [u8] {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    HEADER.get_or_init(|| {
        let slot = KeySlot { kdf: CHEAP_KDF, salt: SALT.to_vec(), wrap_nonce: WRAP_NONCE, wrapped_key: [0x5a; 48] };
        // Encrypt any vault and keep only the header; the payload is replaced.
        let clock = FixedClock::default();
        let author = vault::Author { device: vault::DeviceId(1), clock: &clock };
        let file = format::write_with_nonce(&vault::Vault::new("x", author, "x"), &vault_key(), &slot, PAYLOAD_NONCE);
        let parsed = format::parse(&file).expect("a freshly written file parses");
        parsed.header.to_vec()
    })
}

/// A complete, authentic file (under [`VAULT_KEY`]) whose decrypted payload is `plaintext`.
pub fn seal_payload(plaintext: &[u8]) -> Vec<u8> {
    seal_payload_as(format::VERSION, plaintext)
}

/// [`seal_payload`] in a file of format `version` (whose header is the current one's, as every
/// version since 3 has): reaches the payload reader of that version.
pub fn seal_payload_as(version: u16, plaintext: &[u8]) -> Vec<u8> {
    let mut header = fixed_header().to_vec();
    header[8..10].copy_from_slice(&version.to_le_bytes());
    let header = fix_checksum(&header).unwrap_or(header);
    let mut file = header.clone();
    file.extend_from_slice(&crypto::seal(&vault_key(), &PAYLOAD_NONCE, &header, plaintext));
    file
}

/// The decrypted payload of a file under [`VAULT_KEY`] (for making seeds).
pub fn open_payload(file: &[u8]) -> Option<Vec<u8>> {
    let parsed = format::parse(file).ok()?;
    let plain = crypto::open(&vault_key(), &parsed.payload_nonce, parsed.header, parsed.payload).ok()?;
    Some(plain.to_vec())
}

/// `data` with the header checksum recomputed, when its length fields make a header of the
/// right size; otherwise `None`. Lets mutated header fields reach the checks after the checksum.
pub fn fix_checksum(data: &[u8]) -> Option<Vec<u8>> {
    // The header length field says where the checksum ends (it grew in format version 3).
    let header_len = u16::from_le_bytes([*data.get(10)?, *data.get(11)?]) as usize;
    if header_len < 32 || data.len() < header_len {
        return None;
    }
    let mut fixed = data.to_vec();
    let checked = header_len - 32;
    let digest = Sha256::digest(&fixed[..checked]);
    fixed[checked..header_len].copy_from_slice(&digest);
    (fixed != data).then_some(fixed)
}

/// A clock that starts at a fixed time and moves on 1 ms per reading: deterministic seeds, and
/// edits in the targets that do not depend on when they ran.
#[derive(Debug)]
pub struct FixedClock(std::cell::Cell<u64>);

impl Default for FixedClock {
    fn default() -> Self {
        // 2026-01-01T00:00:00Z
        FixedClock(std::cell::Cell::new(1_767_225_600_000))
    }
}

impl vault::Clock for FixedClock {
    fn now_ms(&self) -> u64 {
        let now = self.0.get();
        self.0.set(now + 1);
        now
    }
}
