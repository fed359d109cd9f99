//! The key and cipher of Bitwarden's password-protected export, as Bitwarden's clients make it:
//!
//! 1. 32 bytes from the file password (UTF-8) and the `salt` member's text (its UTF-8 bytes,
//!    not base64-decoded): PBKDF2-HMAC-SHA256 with `kdfIterations` (kdfType 0), or Argon2id
//!    with `kdfIterations` passes, `kdfMemory` MiB and `kdfParallelism` lanes over the SHA-256
//!    of the salt (kdfType 1);
//! 2. stretched by HKDF-Expand-SHA256 (that key used as the PRK, no extract step) with the info
//!    "enc" into the AES key and "mac" into the HMAC key, 32 bytes each;
//! 3. each value an EncString "2.<iv>|<ciphertext>|<mac>" (base64): AES-256-CBC with PKCS#7
//!    padding, then HMAC-SHA256 over iv || ciphertext.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use data_encoding::BASE64;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::import::ImportError;

type HmacSha256 = hmac::Hmac<Sha256>;

/// How the file says its key is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kdf {
    Pbkdf2 { iterations: u32 },
    Argon2id { iterations: u32, memory_mib: u32, parallelism: u32 },
}

/// Settings outside these are refused rather than obeyed: a hostile file must not make us spend
/// an hour or a gigabyte. They hold what Bitwarden lets a user choose.
const PBKDF2_ITERATIONS: std::ops::RangeInclusive<u32> = 5_000..=10_000_000;
const ARGON2_ITERATIONS: std::ops::RangeInclusive<u32> = 2..=10;
const ARGON2_MEMORY_MIB: std::ops::RangeInclusive<u32> = 16..=1024;
const ARGON2_PARALLELISM: std::ops::RangeInclusive<u32> = 1..=16;

impl Kdf {
    pub(super) fn from_file(
        kind: u32,
        iterations: u32,
        memory: Option<u32>,
        parallelism: Option<u32>,
    ) -> Result<Kdf, ImportError> {
        let unsupported = |what: &str| Err(ImportError::Unsupported { what: what.to_owned() });
        match kind {
            0 if PBKDF2_ITERATIONS.contains(&iterations) => Ok(Kdf::Pbkdf2 { iterations }),
            0 => unsupported("number of PBKDF2 iterations in this Bitwarden export"),
            1 => match (memory, parallelism) {
                (Some(memory_mib), Some(parallelism))
                    if ARGON2_ITERATIONS.contains(&iterations)
                        && ARGON2_MEMORY_MIB.contains(&memory_mib)
                        && ARGON2_PARALLELISM.contains(&parallelism) =>
                {
                    Ok(Kdf::Argon2id { iterations, memory_mib, parallelism })
                }
                _ => unsupported("Argon2id setting in this Bitwarden export"),
            },
            _ => unsupported("key derivation (kdfType) in this Bitwarden export"),
        }
    }
}

/// The stretched key: an AES-256 key and an HMAC-SHA256 key.
pub(super) struct Key {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// Step 1: the 32 bytes the password and salt give.
pub(super) fn derive(password: &[u8], salt: &[u8], kdf: Kdf) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    match kdf {
        Kdf::Pbkdf2 { iterations } => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, out.as_mut()),
        Kdf::Argon2id { iterations, memory_mib, parallelism } => {
            let salt = Sha256::digest(salt);
            let params = argon2::Params::new(memory_mib * 1024, iterations, parallelism, Some(32))
                .expect("settings checked by Kdf::from_file");
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(password, &salt, out.as_mut())
                .expect("settings checked by Kdf::from_file");
        }
    }
    out
}

/// Step 2: the encryption and MAC keys.
pub(super) fn stretch(material: &[u8; 32]) -> Key {
    let hkdf = hkdf::Hkdf::<Sha256>::from_prk(material).expect("32 bytes is SHA-256's length");
    let mut key = Key { enc: Zeroizing::new([0u8; 32]), mac: Zeroizing::new([0u8; 32]) };
    hkdf.expand(b"enc", key.enc.as_mut()).expect("32 bytes is a valid HKDF length");
    hkdf.expand(b"mac", key.mac.as_mut()).expect("32 bytes is a valid HKDF length");
    key
}

/// Why an EncString did not open.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum OpenError {
    /// Not of the form "2.iv|ct|mac" with base64 parts of the right sizes.
    Malformed,
    /// Another encryption type than 2 (AES-256-CBC with HMAC-SHA256).
    Type(String),
    /// The MAC does not match: another key, or altered bytes.
    Mac,
    /// The MAC matched but the padding is wrong: made wrongly.
    Padding,
}

/// Step 3: opens an EncString, checking its MAC (in constant time) before decrypting anything.
pub(super) fn open(enc_string: &str, key: &Key) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let (kind, rest) = enc_string.trim().split_once('.').ok_or(OpenError::Malformed)?;
    if kind != "2" {
        return Err(if kind.len() <= 2 && kind.bytes().all(|b| b.is_ascii_digit()) {
            OpenError::Type(kind.to_owned())
        } else {
            OpenError::Malformed
        });
    }
    let mut parts = rest.split('|');
    let (Some(iv), Some(ct), Some(mac), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(OpenError::Malformed);
    };
    let decode = |part: &str| BASE64.decode(part.as_bytes()).map_err(|_| OpenError::Malformed);
    let (iv, ct, mac) = (decode(iv)?, decode(ct)?, decode(mac)?);
    if iv.len() != 16 || mac.len() != 32 || ct.is_empty() || ct.len() % 16 != 0 {
        return Err(OpenError::Malformed);
    }
    let mut check = <HmacSha256 as KeyInit>::new_from_slice(key.mac.as_ref()).expect("HMAC takes any key length");
    check.update(&iv);
    check.update(&ct);
    check.verify_slice(&mac).map_err(|_| OpenError::Mac)?;

    let mut buf = Zeroizing::new(ct);
    let iv: [u8; 16] = iv.try_into().expect("length checked");
    let len = cbc::Decryptor::<aes::Aes256>::new((&*key.enc).into(), &iv.into())
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| OpenError::Padding)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known answers from Bitwarden's own SDK tests (bitwarden/sdk-internal,
    // crates/bitwarden-crypto/src/keys/kdf.rs and keys/utils.rs): password "67t9b5g67$%Dh89n",
    // salt "test_key".
    const PBKDF2_10000: [u8; 32] = [
        31, 79, 104, 226, 150, 71, 177, 90, 194, 80, 172, 209, 17, 129, 132, 81, 138, 167, 69, 167, 254, 149, 2, 27,
        39, 197, 64, 42, 22, 195, 86, 75,
    ];

    #[test]
    fn pbkdf2_matches_bitwardens_known_answer() {
        let key = derive(b"67t9b5g67$%Dh89n", b"test_key", Kdf::Pbkdf2 { iterations: 10_000 });
        assert_eq!(*key, PBKDF2_10000);
    }

    #[test]
    fn argon2id_hashes_the_salt_first_as_bitwarden_does() {
        let kdf = Kdf::Argon2id { iterations: 4, memory_mib: 32, parallelism: 2 };
        let key = derive(b"67t9b5g67$%Dh89n", b"test_key", kdf);
        assert_eq!(
            *key,
            [
                207, 240, 225, 177, 162, 19, 163, 76, 98, 106, 179, 175, 224, 9, 17, 240, 20, 147, 237, 47, 246, 150,
                141, 184, 62, 225, 131, 242, 51, 53, 225, 242
            ]
        );
    }

    #[test]
    fn stretching_matches_bitwardens_known_answer() {
        let key = stretch(&PBKDF2_10000);
        assert_eq!(
            *key.enc,
            [
                111, 31, 178, 45, 238, 152, 37, 114, 143, 215, 124, 83, 135, 173, 195, 23, 142, 134, 120, 249, 61, 132,
                163, 182, 113, 197, 189, 204, 188, 21, 237, 96
            ]
        );
        assert_eq!(
            *key.mac,
            [
                221, 127, 206, 234, 101, 27, 202, 38, 86, 52, 34, 28, 78, 28, 185, 16, 48, 61, 127, 166, 209, 247, 194,
                87, 232, 26, 48, 85, 193, 249, 179, 155
            ]
        );
    }

    #[test]
    fn kdf_settings_out_of_range_are_refused() {
        assert!(Kdf::from_file(0, 600_000, None, None).is_ok());
        assert!(Kdf::from_file(0, 1, None, None).is_err());
        assert!(Kdf::from_file(1, 3, Some(64), Some(4)).is_ok());
        assert!(Kdf::from_file(1, 3, Some(1_000_000), Some(4)).is_err());
        assert!(Kdf::from_file(1, 3, None, Some(4)).is_err());
        assert!(Kdf::from_file(7, 3, None, None).is_err());
    }

    #[test]
    fn malformed_enc_strings_are_told_apart_from_a_wrong_key() {
        let key = stretch(&PBKDF2_10000);
        assert_eq!(open("nonsense", &key), Err(OpenError::Malformed));
        assert_eq!(open("0.AAAA|BBBB", &key), Err(OpenError::Type("0".into())));
        // Bitwarden's SDK test EncString: well-formed, made with another key.
        let other = "2.pMS6/icTQABtulw52pq2lg==|XXbxKxDTh+mWiN1HjH2N1w==|Q6PkuT+KX/axrgN9ubD5Ajk2YNwxQkgs3WJM0S0wtG8=";
        assert_eq!(open(other, &key), Err(OpenError::Mac));
    }
}
