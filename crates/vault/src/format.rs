//! The bytes of a `.crmvault` file. `docs/FORMAT.md` is the specification; this is its reader
//! and writer. Reading checks, in order: magic, version, header length and checksum (damage),
//! key-derivation limits, the key wrap (wrong password), the payload tag (damage or tampering),
//! the payload's JSON. Nothing is returned until every check has passed.

use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::crypto::{self, KEY_LEN, KdfParams, KdfParamsError, NONCE_LEN, SALT_LEN, SecretKey, TAG_LEN, VaultKey};
use crate::model::Vault;
use crate::secret::MasterPassword;

pub const MAGIC: &[u8; 8] = b"CRMVAULT";
/// The version this writer writes. Version 2 added optional payload members (entry rules and
/// expiry, the owner's name and company, the password-change clock); its header is version 1's.
pub const VERSION: u16 = 2;
/// The versions this reader reads.
pub const READABLE_VERSIONS: std::ops::RangeInclusive<u16> = 1..=VERSION;
/// The version field inside the key wrap's associated data. The key slot's layout has not changed
/// since version 1, so its binding has not either: a file is upgraded by its next save, without
/// the master password.
const SLOT_VERSION: u16 = 1;
/// Argon2id, version 0x13.
pub const KDF_ARGON2ID: u8 = 1;
pub const MIN_SALT_LEN: usize = 16;
pub const MAX_SALT_LEN: usize = 64;
const CHECKSUM_LEN: usize = 32;
const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;
/// magic, version, header length, KDF id, memory, iterations, parallelism, salt length.
const FIXED_PREFIX_LEN: usize = 8 + 2 + 2 + 1 + 4 + 4 + 1 + 1;

/// What unlocks a vault key: the key-derivation settings and the vault key wrapped by the
/// key-encryption key. Not secret; stored in the header. A password change replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlot {
    pub kdf: KdfParams,
    pub salt: Vec<u8>,
    pub wrap_nonce: [u8; NONCE_LEN],
    pub wrapped_key: [u8; WRAPPED_LEN],
}

/// Why a file could not be read as a vault.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("this is not a CRM Vault file")]
    NotAVault,
    #[error("this vault file uses format version {0}, which this version of CRM Vault cannot read")]
    UnsupportedVersion(u16),
    #[error("this vault file uses an unknown key-derivation method ({0})")]
    UnsupportedKdf(u8),
    #[error("the vault file's settings are refused: {0}")]
    KdfOutOfRange(#[from] KdfParamsError),
    #[error("the vault file is damaged: {0}")]
    Damaged(&'static str),
    #[error("the master password is wrong")]
    WrongPassword,
    #[error("the vault file was not made with this vault key")]
    WrongKey,
}

/// A parsed header and the encrypted payload, not yet decrypted.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub slot: KeySlot,
    pub payload_nonce: [u8; NONCE_LEN],
    /// The whole header, the payload's associated data.
    pub header: &'a [u8],
    pub payload: &'a [u8],
}

/// An opened vault file: its contents, its key, and how that key is unlocked.
#[derive(Debug)]
pub struct Opened {
    pub vault: Vault,
    pub key: VaultKey,
    pub slot: KeySlot,
}

/// Builds the key slot for `key` under `password`.
pub fn wrap_key(password: &MasterPassword, kdf: KdfParams, key: &VaultKey) -> Result<KeySlot, KdfParamsError> {
    wrap_key_with(password, kdf, key, crypto::random_array::<SALT_LEN>().to_vec(), crypto::random_array())
}

/// [`wrap_key`] with a given salt and nonce, for test vectors.
pub fn wrap_key_with(
    password: &MasterPassword,
    kdf: KdfParams,
    key: &VaultKey,
    salt: Vec<u8>,
    wrap_nonce: [u8; NONCE_LEN],
) -> Result<KeySlot, KdfParamsError> {
    let kek = crypto::derive_kek(password, &salt, kdf)?;
    let aad = slot_aad(kdf, &salt);
    let sealed = crypto::seal(&kek, &wrap_nonce, &aad, key.expose());
    let wrapped_key = sealed.try_into().expect("a wrapped 32-byte key is 48 bytes");
    Ok(KeySlot { kdf, salt, wrap_nonce, wrapped_key })
}

/// Unwraps the vault key. A failure means the password is wrong: the header checksum has
/// already ruled out accidental damage to the slot.
pub fn unwrap_key(password: &MasterPassword, slot: &KeySlot) -> Result<VaultKey, ReadError> {
    let kek = crypto::derive_kek(password, &slot.salt, slot.kdf)?;
    let aad = slot_aad(slot.kdf, &slot.salt);
    let key = crypto::open(&kek, &slot.wrap_nonce, &aad, &slot.wrapped_key).map_err(|_| ReadError::WrongPassword)?;
    let bytes: [u8; KEY_LEN] =
        key.as_slice().try_into().map_err(|_| ReadError::Damaged("the vault key has the wrong length"))?;
    Ok(SecretKey::from_bytes(bytes))
}

/// The key-wrap's associated data: magic, version, KDF settings and salt, so none of them can be
/// swapped without the unwrap failing.
fn slot_aad(kdf: KdfParams, salt: &[u8]) -> Vec<u8> {
    // The header-length field is written as 0 here: it depends on the header, not the key.
    header_prefix(SLOT_VERSION, kdf, salt, 0)
}

fn header_len(salt_len: usize) -> usize {
    FIXED_PREFIX_LEN + salt_len + NONCE_LEN + WRAPPED_LEN + NONCE_LEN + CHECKSUM_LEN
}

fn header_prefix(version: u16, kdf: KdfParams, salt: &[u8], header_len: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIXED_PREFIX_LEN + salt.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.push(KDF_ARGON2ID);
    out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
    out.extend_from_slice(&kdf.iterations.to_le_bytes());
    out.push(kdf.parallelism as u8);
    out.push(salt.len() as u8);
    out.extend_from_slice(salt);
    out
}

/// Encrypts `vault` into the bytes of a file, with a fresh random payload nonce.
pub fn write(vault: &Vault, key: &VaultKey, slot: &KeySlot) -> Vec<u8> {
    write_with_nonce(vault, key, slot, crypto::random_array())
}

/// [`write`] with a given payload nonce, for test vectors. Never reuse a nonce with one key.
pub fn write_with_nonce(vault: &Vault, key: &VaultKey, slot: &KeySlot, payload_nonce: [u8; NONCE_LEN]) -> Vec<u8> {
    let header = encode_header(slot, &payload_nonce);
    let plaintext = Zeroizing::new(serde_json::to_vec(vault).expect("a vault always serialises"));
    let sealed = crypto::seal(key, &payload_nonce, &header, &plaintext);
    let mut file = header;
    file.extend_from_slice(&sealed);
    file
}

fn encode_header(slot: &KeySlot, payload_nonce: &[u8; NONCE_LEN]) -> Vec<u8> {
    let len = header_len(slot.salt.len());
    let mut header = header_prefix(VERSION, slot.kdf, &slot.salt, len as u16);
    header.extend_from_slice(&slot.wrap_nonce);
    header.extend_from_slice(&slot.wrapped_key);
    header.extend_from_slice(payload_nonce);
    let checksum = Sha256::digest(&header);
    header.extend_from_slice(&checksum);
    debug_assert_eq!(header.len(), len);
    header
}

/// Splits a file into header fields and payload, refusing anything malformed. Runs no KDF.
pub fn parse(bytes: &[u8]) -> Result<Parsed<'_>, ReadError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ReadError::NotAVault);
    }
    let mut r = Reader { bytes, pos: MAGIC.len() };
    let version = u16::from_le_bytes(r.take()?);
    if !READABLE_VERSIONS.contains(&version) {
        return Err(ReadError::UnsupportedVersion(version));
    }
    let declared_len = u16::from_le_bytes(r.take()?) as usize;
    let kdf_id = r.byte()?;
    let memory_kib = u32::from_le_bytes(r.take()?);
    let iterations = u32::from_le_bytes(r.take()?);
    let parallelism = r.byte()? as u32;
    let salt_len = r.byte()? as usize;
    if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt_len) || declared_len != header_len(salt_len) {
        return Err(ReadError::Damaged("the header's lengths are inconsistent"));
    }
    if bytes.len() < declared_len + TAG_LEN {
        return Err(ReadError::Damaged("the file is cut short"));
    }
    let checked = declared_len - CHECKSUM_LEN;
    if Sha256::digest(&bytes[..checked]).as_slice() != &bytes[checked..declared_len] {
        return Err(ReadError::Damaged("the header checksum does not match"));
    }
    if kdf_id != KDF_ARGON2ID {
        return Err(ReadError::UnsupportedKdf(kdf_id));
    }
    let kdf = KdfParams { memory_kib, iterations, parallelism };
    kdf.check()?;
    let salt = r.slice(salt_len)?.to_vec();
    let wrap_nonce = r.take()?;
    let wrapped_key = r.take()?;
    let payload_nonce = r.take()?;
    Ok(Parsed {
        slot: KeySlot { kdf, salt, wrap_nonce, wrapped_key },
        payload_nonce,
        header: &bytes[..declared_len],
        payload: &bytes[declared_len..],
    })
}

impl Parsed<'_> {
    /// Decrypts the payload with the vault key.
    pub fn decrypt(&self, key: &VaultKey) -> Result<Vault, ReadError> {
        let plaintext = self
            .open_payload(key)
            .map_err(|_| ReadError::Damaged("the contents fail their integrity check (damaged or tampered with)"))?;
        decode(&plaintext)
    }

    fn open_payload(&self, key: &VaultKey) -> Result<Zeroizing<Vec<u8>>, crypto::AuthFailed> {
        crypto::open(key, &self.payload_nonce, self.header, self.payload)
    }
}

fn decode(plaintext: &[u8]) -> Result<Vault, ReadError> {
    serde_json::from_slice(plaintext).map_err(|_| ReadError::Damaged("the decrypted contents are not a valid vault"))
}

/// Opens a file with the master password.
pub fn read(bytes: &[u8], password: &MasterPassword) -> Result<Opened, ReadError> {
    let parsed = parse(bytes)?;
    let key = unwrap_key(password, &parsed.slot)?;
    let vault = parsed.decrypt(&key)?;
    Ok(Opened { vault, key, slot: parsed.slot })
}

/// Opens a file with a vault key already known (a copy of the same vault written by another
/// laptop), without the KDF. A different key is reported as [`ReadError::WrongKey`].
pub fn read_with_key(bytes: &[u8], key: &VaultKey) -> Result<Opened, ReadError> {
    let parsed = parse(bytes)?;
    // The payload tag alone cannot tell "other key" from "damaged"; a file whose header is intact
    // but whose payload does not open with our key is most likely another vault. Contents that
    // do open but are not a vault are damage, as with the password.
    let plaintext = parsed.open_payload(key).map_err(|_| ReadError::WrongKey)?;
    let vault = decode(&plaintext)?;
    Ok(Opened { vault, key: key.clone(), slot: parsed.slot })
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn slice(&mut self, len: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(len).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(ReadError::Damaged("the file is cut short"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        Ok(self.slice(N)?.try_into().expect("slice has N bytes"))
    }

    fn byte(&mut self) -> Result<u8, ReadError> {
        Ok(self.take::<1>()?[0])
    }
}
