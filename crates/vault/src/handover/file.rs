//! The bytes of a `.crmhandover` file (specified in `docs/FORMAT.md`, "Hand-over files").
//!
//! As a vault file: a header in the clear (Argon2id settings, salt, a random file key wrapped by
//! the key derived from the passphrase, the payload nonce and length, a SHA-256 checksum), then
//! the JSON payload sealed with AES-256-GCM under the file key, the whole header as associated
//! data. The checksum and the key wrap are what let the reader tell its failures apart: a header
//! that fails its checksum is damaged, a key that does not unwrap means the wrong passphrase, and
//! a payload that does not open with the right key was damaged or tampered with.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

use super::HandoverId;
use crate::crypto::{self, KEY_LEN, KdfParams, KdfParamsError, NONCE_LEN, SALT_LEN, SecretKey, TAG_LEN};
use crate::model::CustomField;
use crate::secret::{MasterPassword, SecretText};

pub const MAGIC: &[u8; 11] = b"CRMHANDOVER";
pub const VERSION: u16 = 1;
pub use crate::crypto::KDF_ARGON2ID;
pub const MIN_SALT_LEN: usize = 16;
pub const MAX_SALT_LEN: usize = 64;
/// The largest file read: a hand-over of a few hundred entries is a few hundred KiB.
pub const MAX_FILE_LEN: usize = 16 * 1024 * 1024;
/// The most entries one hand-over carries.
pub const MAX_ENTRIES: usize = 10_000;
/// The longest giver's name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;
const CHECKSUM_LEN: usize = 32;
/// magic, version, KDF id, memory, iterations, parallelism, salt length.
const PREFIX_LEN: usize = 11 + 2 + 1 + 4 + 4 + 1 + 1;

/// What a hand-over file holds once opened. Secrets are in [`SecretText`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverFile {
    pub id: HandoverId,
    pub giver: String,
    /// When it was made, milliseconds since the epoch (the giver's clock).
    pub made_ms: u64,
    /// `None`: a company hand-over, without an expiry.
    pub expires_ms: Option<u64>,
    pub entries: Vec<HandedEntry>,
}

/// One entry as handed over: its current values, without history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandedEntry {
    pub title: String,
    pub username: String,
    pub password: SecretText,
    pub urls: Vec<String>,
    pub notes: String,
    /// An otpauth:// link, or empty.
    pub totp: SecretText,
    pub fields: Vec<(String, CustomField)>,
    pub tags: Vec<String>,
}

/// Why a hand-over file could not be received. Checked in this order.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("this is not a CRM Vault hand-over file")]
    NotAHandover,
    #[error("the hand-over file is {len} bytes; the largest accepted is {max}")]
    TooLarge { len: usize, max: usize },
    #[error("this hand-over file uses format version {0}, which this version of CRM Vault cannot read")]
    UnsupportedVersion(u16),
    #[error("the hand-over file is damaged: {0}")]
    Damaged(&'static str),
    #[error("the hand-over file's settings are refused: {0}")]
    KdfOutOfRange(#[from] KdfParamsError),
    #[error("the passphrase of the hand-over file is wrong")]
    WrongPassphrase,
    #[error("the hand-over file fails its integrity check: it was damaged or tampered with")]
    Tampered,
    #[error("this hand-over expired at {}", crate::clock::rfc3339(*expires_ms))]
    Expired { expires_ms: u64 },
}

/// The fixed inputs of a write, random in [`write`], given by test vectors.
#[derive(Debug)]
pub struct Randomness {
    pub salt: Vec<u8>,
    pub wrap_nonce: [u8; NONCE_LEN],
    pub file_key: SecretKey,
    pub payload_nonce: [u8; NONCE_LEN],
}

impl Randomness {
    pub fn fresh() -> Self {
        Randomness {
            salt: crypto::random_array::<SALT_LEN>().to_vec(),
            wrap_nonce: crypto::random_array(),
            file_key: SecretKey::random(),
            payload_nonce: crypto::random_array(),
        }
    }
}

/// Seals `handover` for `passphrase`, with Argon2id at `kdf` (a vault's defaults in the app).
pub fn write(handover: &HandoverFile, passphrase: &MasterPassword, kdf: KdfParams) -> Result<Vec<u8>, KdfParamsError> {
    write_with(handover, passphrase, kdf, Randomness::fresh())
}

/// [`write`] with given randomness, for test vectors. Never reuse a nonce with one key.
pub fn write_with(
    handover: &HandoverFile,
    passphrase: &MasterPassword,
    kdf: KdfParams,
    random: Randomness,
) -> Result<Vec<u8>, KdfParamsError> {
    let kek = crypto::derive_kek(passphrase, &random.salt, kdf)?;
    let mut header = prefix(kdf, &random.salt);
    let wrapped = crypto::seal(&kek, &random.wrap_nonce, &header, random.file_key.expose());
    let plaintext = Zeroizing::new(serde_json::to_vec(handover).expect("a hand-over always serialises"));
    header.extend_from_slice(&random.wrap_nonce);
    header.extend_from_slice(&wrapped);
    header.extend_from_slice(&random.payload_nonce);
    let sealed_len = plaintext.len() + TAG_LEN;
    header.extend_from_slice(&(sealed_len as u32).to_le_bytes());
    let checksum = Sha256::digest(&header);
    header.extend_from_slice(&checksum);
    let sealed = crypto::seal(&random.file_key, &random.payload_nonce, &header, &plaintext);
    let mut file = header;
    file.extend_from_slice(&sealed);
    Ok(file)
}

/// Magic, version, KDF settings and salt: the key wrap's associated data, so none of them can be
/// changed without the unwrap failing.
fn prefix(kdf: KdfParams, salt: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PREFIX_LEN + salt.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    kdf.write_header_block(salt, &mut out);
    out
}

/// A hand-over file whose header passed every check, not yet unlocked.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub kdf: KdfParams,
    salt: &'a [u8],
    wrap_nonce: [u8; NONCE_LEN],
    wrapped: &'a [u8],
    payload_nonce: [u8; NONCE_LEN],
    header: &'a [u8],
    payload: &'a [u8],
}

/// Checks the header (runs no key derivation): magic, size, version, lengths, checksum, settings.
pub fn parse(bytes: &[u8]) -> Result<Parsed<'_>, ReadError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ReadError::NotAHandover);
    }
    if bytes.len() > MAX_FILE_LEN {
        return Err(ReadError::TooLarge { len: bytes.len(), max: MAX_FILE_LEN });
    }
    let cut = ReadError::Damaged("the file is cut short");
    let at = |pos: usize, len: usize| bytes.get(pos..pos + len).ok_or(ReadError::Damaged("the file is cut short"));
    let version = u16::from_le_bytes(at(11, 2)?.try_into().expect("2 bytes"));
    if version != VERSION {
        return Err(ReadError::UnsupportedVersion(version));
    }
    let salt_len = *at(PREFIX_LEN - 1, 1)?.first().expect("1 byte") as usize;
    if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt_len) {
        return Err(ReadError::Damaged("the header's lengths are inconsistent"));
    }
    let wrap_at = PREFIX_LEN + salt_len;
    let nonce_at = wrap_at + NONCE_LEN + WRAPPED_LEN;
    let len_at = nonce_at + NONCE_LEN;
    let sum_at = len_at + 4;
    let header_len = sum_at + CHECKSUM_LEN;
    if bytes.len() < header_len {
        return Err(cut);
    }
    let sealed_len = u32::from_le_bytes(bytes[len_at..sum_at].try_into().expect("4 bytes")) as usize;
    if Sha256::digest(&bytes[..sum_at]).as_slice() != &bytes[sum_at..header_len] {
        return Err(ReadError::Damaged("the header checksum does not match"));
    }
    if bytes.len() != header_len.saturating_add(sealed_len) || sealed_len < TAG_LEN {
        return Err(ReadError::Damaged("the file's length does not match its header (cut short or added to)"));
    }
    if bytes[13] != KDF_ARGON2ID {
        return Err(ReadError::Damaged("unknown key-derivation method"));
    }
    let le32 = |pos: usize| u32::from_le_bytes(bytes[pos..pos + 4].try_into().expect("4 bytes"));
    let kdf = KdfParams { memory_kib: le32(14), iterations: le32(18), parallelism: u32::from(bytes[22]) };
    kdf.check()?;
    Ok(Parsed {
        kdf,
        salt: &bytes[PREFIX_LEN..wrap_at],
        wrap_nonce: bytes[wrap_at..wrap_at + NONCE_LEN].try_into().expect("nonce length"),
        wrapped: &bytes[wrap_at + NONCE_LEN..nonce_at],
        payload_nonce: bytes[nonce_at..len_at].try_into().expect("nonce length"),
        header: &bytes[..header_len],
        payload: &bytes[header_len..],
    })
}

impl Parsed<'_> {
    /// The file key, if `passphrase` is the one the file was made for (runs Argon2id). The header
    /// checksum has ruled out accidental damage to the wrapped key, so a failure here is the
    /// passphrase.
    pub fn unlock(&self, passphrase: &MasterPassword) -> Result<SecretKey, ReadError> {
        let kek = crypto::derive_kek(passphrase, self.salt, self.kdf)?;
        let aad = &self.header[..PREFIX_LEN + self.salt.len()];
        let key = crypto::open(&kek, &self.wrap_nonce, aad, self.wrapped).map_err(|_| ReadError::WrongPassphrase)?;
        let bytes: [u8; KEY_LEN] = key.as_slice().try_into().map_err(|_| ReadError::Damaged("the file key"))?;
        Ok(SecretKey::from_bytes(bytes))
    }

    /// Opens the payload with the file key and checks what it says (not the expiry).
    pub fn decrypt(&self, key: &SecretKey) -> Result<HandoverFile, ReadError> {
        let plaintext =
            crypto::open(key, &self.payload_nonce, self.header, self.payload).map_err(|_| ReadError::Tampered)?;
        let handover: HandoverFile = serde_json::from_slice(&plaintext)
            .map_err(|_| ReadError::Damaged("the decrypted contents are not a hand-over"))?;
        let sane = !handover.entries.is_empty()
            && handover.entries.len() <= MAX_ENTRIES
            && handover.giver.chars().count() <= MAX_NAME_CHARS
            && handover.expires_ms.is_none_or(|expires| expires > handover.made_ms);
        if !sane {
            return Err(ReadError::Damaged("the hand-over's contents are out of range"));
        }
        Ok(handover)
    }
}

/// Opens a hand-over file with its passphrase, as of `now_ms`: every check in order, nothing
/// returned until all have passed.
pub fn read(bytes: &[u8], passphrase: &MasterPassword, now_ms: u64) -> Result<HandoverFile, ReadError> {
    let parsed = parse(bytes)?;
    let key = parsed.unlock(passphrase)?;
    let handover = parsed.decrypt(&key)?;
    match handover.expires_ms {
        Some(expires_ms) if expires_ms <= now_ms => Err(ReadError::Expired { expires_ms }),
        _ => Ok(handover),
    }
}

#[cfg(test)]
mod tests;
