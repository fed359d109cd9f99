//! Key derivation (Argon2id), key wrapping and payload encryption (AES-256-GCM).
//!
//! master password -> Argon2id(salt, params) -> key-encryption key (KEK)
//! KEK --AES-256-GCM--> wraps a random 256-bit vault key
//! vault key --AES-256-GCM--> encrypts the payload
//!
//! Changing the master password only re-wraps the vault key, so a laptop that still holds the
//! vault key can read a copy written after the password changed.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use secrecy::ExposeSecret;
use std::fmt;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::secret::MasterPassword;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;
pub const SALT_LEN: usize = 32;

/// Smallest and largest Argon2id settings we create or read. The floor keeps a vault from being
/// cheap to guess; the ceiling keeps a hostile file from making us allocate 100 GiB.
pub const MEMORY_MIB_RANGE: std::ops::RangeInclusive<u32> = 19..=4096;
pub const ITERATIONS_RANGE: std::ops::RangeInclusive<u32> = 2..=100;
pub const PARALLELISM_RANGE: std::ops::RangeInclusive<u32> = 1..=16;

/// Argon2id settings, stored in the file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
    fn default() -> Self {
        KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 4 }
    }
}

/// Why a set of key-derivation settings was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KdfParamsError {
    #[error(
        "key-derivation memory of {got_kib} KiB is outside the accepted {} to {} MiB",
        MEMORY_MIB_RANGE.start(),
        MEMORY_MIB_RANGE.end()
    )]
    Memory { got_kib: u32 },
    #[error(
        "key-derivation iterations of {got} are outside the accepted {} to {}",
        ITERATIONS_RANGE.start(),
        ITERATIONS_RANGE.end()
    )]
    Iterations { got: u32 },
    #[error(
        "key-derivation parallelism of {got} is outside the accepted {} to {}",
        PARALLELISM_RANGE.start(),
        PARALLELISM_RANGE.end()
    )]
    Parallelism { got: u32 },
}

/// The algorithm byte our file headers give Argon2id.
pub const KDF_ARGON2ID: u8 = 1;

impl KdfParams {
    /// Appends the key-derivation block our file headers share (vault and hand-over files, see
    /// docs/FORMAT.md): the algorithm byte, memory in KiB and passes (u32 little-endian), lanes
    /// (one byte), the salt's length (one byte) and the salt.
    pub fn write_header_block(&self, salt: &[u8], out: &mut Vec<u8>) {
        out.push(KDF_ARGON2ID);
        out.extend_from_slice(&self.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.iterations.to_le_bytes());
        out.push(self.parallelism as u8);
        out.push(salt.len() as u8);
        out.extend_from_slice(salt);
    }

    /// Settings given in MiB, as the CLI takes them.
    pub fn from_mib(memory_mib: u32, iterations: u32, parallelism: u32) -> Result<Self, KdfParamsError> {
        let params = KdfParams { memory_kib: memory_mib.saturating_mul(1024), iterations, parallelism };
        params.check()?;
        Ok(params)
    }

    pub fn check(&self) -> Result<(), KdfParamsError> {
        let min_kib = MEMORY_MIB_RANGE.start() * 1024;
        let max_kib = MEMORY_MIB_RANGE.end() * 1024;
        if !(min_kib..=max_kib).contains(&self.memory_kib) {
            return Err(KdfParamsError::Memory { got_kib: self.memory_kib });
        }
        if !ITERATIONS_RANGE.contains(&self.iterations) {
            return Err(KdfParamsError::Iterations { got: self.iterations });
        }
        if !PARALLELISM_RANGE.contains(&self.parallelism) {
            return Err(KdfParamsError::Parallelism { got: self.parallelism });
        }
        Ok(())
    }
}

/// A 256-bit key, wiped when dropped and never printed.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    pub fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(bytes.as_mut());
        SecretKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        SecretKey(Zeroizing::new(bytes))
    }

    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(*self.0))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(redacted)")
    }
}

/// The key-encryption key derived from the master password.
pub type Kek = SecretKey;
/// The random key the payload is encrypted with.
pub type VaultKey = SecretKey;

/// Argon2id of the master password. Parameters must have passed [`KdfParams::check`].
pub fn derive_kek(password: &MasterPassword, salt: &[u8], params: KdfParams) -> Result<Kek, KdfParamsError> {
    params.check()?;
    let argon_params = argon2::Params::new(params.memory_kib, params.iterations, params.parallelism, Some(KEY_LEN))
        .map_err(|_| KdfParamsError::Memory { got_kib: params.memory_kib })?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(password.expose_secret().as_bytes(), salt, out.as_mut())
        // The only failures left after `check` are salt-length ones, which the header rules out.
        .map_err(|_| KdfParamsError::Memory { got_kib: params.memory_kib })?;
    Ok(SecretKey(out))
}

/// AES-256-GCM could not verify the data: wrong key, or the bytes or their context changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("authentication failed")]
pub struct AuthFailed;

/// Encrypts `plaintext`, binding `aad`. Output is ciphertext followed by the 16-byte tag.
pub fn seal(key: &SecretKey, nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    key.cipher()
        .encrypt(&Nonce::from(*nonce), Payload { msg: plaintext, aad })
        // Only fails for messages over 64 GiB, which a vault never is.
        .expect("AES-GCM message within size limits")
}

/// Decrypts and verifies; the plaintext is wiped when dropped.
pub fn open(
    key: &SecretKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, AuthFailed> {
    key.cipher().decrypt(&Nonce::from(*nonce), Payload { msg: sealed, aad }).map(Zeroizing::new).map_err(|_| AuthFailed)
}

pub fn fill_random(buf: &mut [u8]) {
    // Without an OS random source nothing here is safe to do; stopping is the only honest answer.
    getrandom::fill(buf).expect("the operating system's random number generator is unavailable");
}

pub fn random_array<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    fill_random(&mut out);
    out
}

pub fn random_u64() -> u64 {
    u64::from_le_bytes(random_array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_outside_the_limits_are_refused() {
        assert!(KdfParams::default().check().is_ok());
        assert_eq!(KdfParams::from_mib(18, 3, 4), Err(KdfParamsError::Memory { got_kib: 18 * 1024 }));
        assert!(KdfParams::from_mib(19, 2, 1).is_ok());
        assert!(KdfParams::from_mib(4096, 100, 16).is_ok());
        assert!(matches!(KdfParams::from_mib(4097, 3, 4), Err(KdfParamsError::Memory { .. })));
        assert_eq!(KdfParams::from_mib(64, 1, 4), Err(KdfParamsError::Iterations { got: 1 }));
        assert_eq!(KdfParams::from_mib(64, 101, 4), Err(KdfParamsError::Iterations { got: 101 }));
        assert_eq!(KdfParams::from_mib(64, 3, 0), Err(KdfParamsError::Parallelism { got: 0 }));
        assert_eq!(KdfParams::from_mib(64, 3, 17), Err(KdfParamsError::Parallelism { got: 17 }));
        assert!(matches!(KdfParams::from_mib(u32::MAX, 3, 4), Err(KdfParamsError::Memory { .. })));
    }

    #[test]
    fn sealed_data_opens_only_with_the_same_key_nonce_and_context() {
        let key = SecretKey::random();
        let nonce = random_array();
        let sealed = seal(&key, &nonce, b"header", "客户 data".as_bytes());
        assert_eq!(open(&key, &nonce, b"header", &sealed).unwrap().as_slice(), "客户 data".as_bytes());
        assert_eq!(open(&SecretKey::random(), &nonce, b"header", &sealed), Err(AuthFailed));
        assert_eq!(open(&key, &random_array(), b"header", &sealed), Err(AuthFailed));
        assert_eq!(open(&key, &nonce, b"Header", &sealed), Err(AuthFailed));
    }

    #[test]
    fn key_debug_is_redacted() {
        assert_eq!(format!("{:?}", SecretKey::from_bytes([7; 32])), "SecretKey(redacted)");
    }
}
