//! The bytes of a `.crmvault` file. `docs/FORMAT.md` is the specification; this is its reader
//! and writer. Reading checks, in order: magic, version, header length and checksum (damage),
//! key-derivation limits, the key wrap (wrong password), the payload tag (damage or tampering),
//! the payload's JSON. Nothing is returned until every check has passed.

mod payload;

pub use payload::MAX_PLAINTEXT_BYTES;

use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

use serde::{Deserialize, Serialize};

use crate::clock::DeviceId;
use crate::crypto::{self, KEY_LEN, KdfParams, KdfParamsError, NONCE_LEN, SALT_LEN, SecretKey, TAG_LEN, VaultKey};
use crate::model::{Vault, VaultId};
use crate::secret::MasterPassword;

pub const MAGIC: &[u8; 8] = b"CRMVAULT";
/// The version this writer writes. Version 2 added optional payload members (entry rules and
/// expiry, the owner's name and company, the password-change clock); its header is version 1's.
/// Version 3 adds the vault key's id and the key-change notices to the header: a master password
/// change now makes a new vault key, and laptops holding the old one need to be told.
/// Version 4 adds payload members whose absence an older reader must not mistake for damage: the
/// activity log and its settings, and the entries' autofill settings (also-fill-on sites,
/// auto-type sequence and windows). Its header is version 3's.
/// Version 5 writes the payload compact and compressed (see [`payload`]); header and model are
/// version 4's. Files of every earlier version open, and are written as version 5 at their next
/// save.
pub const VERSION: u16 = 5;
/// The first version whose payload is compact JSON compressed with zstd.
const COMPACT_VERSION: u16 = 5;
/// The first version whose header has a key id and key-change notices.
const KEY_ID_VERSION: u16 = 3;
/// The versions this reader reads.
pub const READABLE_VERSIONS: std::ops::RangeInclusive<u16> = 1..=VERSION;
/// The version field inside the key wrap's associated data. The key slot's layout has not changed
/// since version 1, so its binding has not either: a file is upgraded by its next save, without
/// the master password.
const SLOT_VERSION: u16 = 1;
pub use crate::crypto::KDF_ARGON2ID;
pub const MIN_SALT_LEN: usize = 16;
pub const MAX_SALT_LEN: usize = 64;
const CHECKSUM_LEN: usize = 32;
const WRAPPED_LEN: usize = KEY_LEN + TAG_LEN;
pub const KEY_ID_LEN: usize = 16;
/// Key-change notices a header carries at most: the newest are kept. A laptop that missed more
/// master password changes than this is told only that the file no longer opens with its key.
pub const MAX_NOTICES: usize = 8;
/// Bounds of one sealed notice: a tag and a little JSON (the device name is cut to fit).
const NOTICE_SEALED_RANGE: std::ops::RangeInclusive<usize> = (TAG_LEN + 2)..=1024;
/// The longest device name a notice carries, in characters.
const NOTICE_NAME_CHARS: usize = 100;
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

impl KeySlot {
    /// Identifies this key slot (and so the master password it was made for) without the
    /// password: SHA-256 of its settings, salt, nonce and wrapped key. Lets quick unlock, which
    /// holds only the vault key, tell the slot it was set up under from one planted since.
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(slot_aad(self.kdf, &self.salt));
        hash.update(self.wrap_nonce);
        hash.update(self.wrapped_key);
        hash.finalize().into()
    }
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
    /// The file is under a newer vault key, and carries word of the change for holders of the
    /// key used here: the master password was changed on another laptop.
    #[error("{0}")]
    KeyChanged(KeyChange),
}

/// Identifies a vault key without revealing it: the first 16 bytes of
/// SHA-256("CRM Vault key id" || key). In the clear in the header, so a reader can tell "made
/// under this key", "under a key this vault retired" and "something else" before decrypting.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; KEY_ID_LEN]);

impl KeyId {
    pub fn of(key: &VaultKey) -> KeyId {
        let mut hash = Sha256::new();
        hash.update(b"CRM Vault key id");
        hash.update(key.expose());
        let digest = hash.finalize();
        KeyId(digest[..KEY_ID_LEN].try_into().expect("a SHA-256 digest is longer than a key id"))
    }
}

impl std::fmt::Debug for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyId({})", hex(&self.0))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a key-change notice says, once opened with the retired key: which vault, who changed
/// the master password, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyChange {
    pub vault: VaultId,
    /// The name of the laptop where the master password was changed.
    pub by: String,
    pub device: DeviceId,
    /// When, in milliseconds since the epoch (that laptop's clock).
    pub at_ms: u64,
}

impl std::fmt::Display for KeyChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the master password was changed on {} at {}", self.by, crate::clock::rfc3339(self.at_ms))
    }
}

/// Word of one master password change, sealed with the vault key it retired, so that laptops
/// still holding that key learn what happened (and nobody else does). It holds nothing about
/// the new key. Kept in the header of every later save, newest first, up to [`MAX_NOTICES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChangeNotice {
    pub retired: KeyId,
    nonce: [u8; NONCE_LEN],
    sealed: Vec<u8>,
}

impl KeyChangeNotice {
    /// Seals `change` with the key being retired.
    pub fn seal(retired_key: &VaultKey, change: &KeyChange) -> KeyChangeNotice {
        Self::seal_with_nonce(retired_key, change, crypto::random_array())
    }

    /// [`Self::seal`] with a given nonce, for test vectors. Never reuse a nonce with one key.
    pub fn seal_with_nonce(retired_key: &VaultKey, change: &KeyChange, nonce: [u8; NONCE_LEN]) -> KeyChangeNotice {
        let mut change = change.clone();
        change.by = change.by.chars().take(NOTICE_NAME_CHARS).collect();
        let retired = KeyId::of(retired_key);
        let plain = serde_json::to_vec(&change).expect("a key change always serialises");
        let sealed = crypto::seal(retired_key, &nonce, &notice_aad(retired), &plain);
        KeyChangeNotice { retired, nonce, sealed }
    }

    /// What the notice says, if `key` is the key it was sealed with.
    pub fn open(&self, key: &VaultKey) -> Option<KeyChange> {
        if KeyId::of(key) != self.retired {
            return None;
        }
        let plain = crypto::open(key, &self.nonce, &notice_aad(self.retired), &self.sealed).ok()?;
        serde_json::from_slice(&plain).ok()
    }

    fn encoded_len(&self) -> usize {
        KEY_ID_LEN + NONCE_LEN + 2 + self.sealed.len()
    }
}

fn notice_aad(retired: KeyId) -> Vec<u8> {
    let mut aad = MAGIC.to_vec();
    aad.extend_from_slice(b" key change notice ");
    aad.extend_from_slice(&retired.0);
    aad
}

/// A parsed header and the encrypted payload, not yet decrypted.
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The format version: it says how the payload is encoded.
    pub version: u16,
    pub slot: KeySlot,
    /// The vault key's id; files before version 3 have none.
    pub key_id: Option<KeyId>,
    pub notices: Vec<KeyChangeNotice>,
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
    /// Word of earlier master password changes, carried into every later save.
    pub notices: Vec<KeyChangeNotice>,
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

/// The header length of a version 1 or 2 file.
fn legacy_header_len(salt_len: usize) -> usize {
    FIXED_PREFIX_LEN + salt_len + NONCE_LEN + WRAPPED_LEN + NONCE_LEN + CHECKSUM_LEN
}

/// The header length of a version 3 file: key id, notice count and notices added.
fn header_len(salt_len: usize, notices: &[KeyChangeNotice]) -> usize {
    legacy_header_len(salt_len) + KEY_ID_LEN + 1 + notices.iter().map(KeyChangeNotice::encoded_len).sum::<usize>()
}

fn header_prefix(version: u16, kdf: KdfParams, salt: &[u8], header_len: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIXED_PREFIX_LEN + salt.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    kdf.write_header_block(salt, &mut out);
    out
}

/// Encrypts `vault` into the bytes of a file, with a fresh random payload nonce.
pub fn write(vault: &Vault, key: &VaultKey, slot: &KeySlot) -> Vec<u8> {
    write_with_notices(vault, key, slot, &[], crypto::random_array())
}

/// [`write`] with a given payload nonce, for test vectors. Never reuse a nonce with one key.
pub fn write_with_nonce(vault: &Vault, key: &VaultKey, slot: &KeySlot, payload_nonce: [u8; NONCE_LEN]) -> Vec<u8> {
    write_with_notices(vault, key, slot, &[], payload_nonce)
}

/// [`write`] carrying key-change notices (the newest [`MAX_NOTICES`]) in the header.
pub fn write_with_notices(
    vault: &Vault,
    key: &VaultKey,
    slot: &KeySlot,
    notices: &[KeyChangeNotice],
    payload_nonce: [u8; NONCE_LEN],
) -> Vec<u8> {
    let notices = &notices[..notices.len().min(MAX_NOTICES)];
    let header = encode_header(slot, KeyId::of(key), notices, &payload_nonce);
    let plaintext = payload::encode(vault);
    let sealed = crypto::seal(key, &payload_nonce, &header, &plaintext);
    let mut file = header;
    file.extend_from_slice(&sealed);
    file
}

fn encode_header(
    slot: &KeySlot,
    key_id: KeyId,
    notices: &[KeyChangeNotice],
    payload_nonce: &[u8; NONCE_LEN],
) -> Vec<u8> {
    let len = header_len(slot.salt.len(), notices);
    let mut header = header_prefix(VERSION, slot.kdf, &slot.salt, len as u16);
    header.extend_from_slice(&slot.wrap_nonce);
    header.extend_from_slice(&slot.wrapped_key);
    header.extend_from_slice(&key_id.0);
    header.push(notices.len() as u8);
    for notice in notices {
        header.extend_from_slice(&notice.retired.0);
        header.extend_from_slice(&notice.nonce);
        header.extend_from_slice(&(notice.sealed.len() as u16).to_le_bytes());
        header.extend_from_slice(&notice.sealed);
    }
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
    let inconsistent = ReadError::Damaged("the header's lengths are inconsistent");
    if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt_len) {
        return Err(inconsistent);
    }
    // Nothing below is trusted before the checksum, but the lengths must be walked to find it;
    // every step is bounded by the declared length.
    let fields_end = if version >= KEY_ID_VERSION {
        notices_end(bytes, salt_len, declared_len)?
    } else {
        legacy_header_len(salt_len) - NONCE_LEN - CHECKSUM_LEN
    };
    if declared_len != fields_end + NONCE_LEN + CHECKSUM_LEN {
        return Err(inconsistent);
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
    let (key_id, notices) = if version >= KEY_ID_VERSION { read_key_lineage(&mut r)? } else { (None, Vec::new()) };
    let payload_nonce = r.take()?;
    Ok(Parsed {
        version,
        slot: KeySlot { kdf, salt, wrap_nonce, wrapped_key },
        key_id,
        notices,
        payload_nonce,
        header: &bytes[..declared_len],
        payload: &bytes[declared_len..],
    })
}

/// Where the notices of a version 3 header end, walking their lengths within `declared_len`.
fn notices_end(bytes: &[u8], salt_len: usize, declared_len: usize) -> Result<usize, ReadError> {
    let inconsistent = ReadError::Damaged("the header's lengths are inconsistent");
    let bounded = &bytes[..declared_len.min(bytes.len())];
    let count_at = FIXED_PREFIX_LEN + salt_len + NONCE_LEN + WRAPPED_LEN + KEY_ID_LEN;
    let mut r = Reader { bytes: bounded, pos: count_at };
    // The reader's own error is "the file is cut short".
    let count = r.byte()? as usize;
    if count > MAX_NOTICES {
        return Err(inconsistent);
    }
    for _ in 0..count {
        r.slice(KEY_ID_LEN + NONCE_LEN)?;
        let len = u16::from_le_bytes(r.take()?) as usize;
        if !NOTICE_SEALED_RANGE.contains(&len) {
            return Err(inconsistent);
        }
        r.slice(len)?;
    }
    Ok(r.pos)
}

fn read_key_lineage(r: &mut Reader<'_>) -> Result<(Option<KeyId>, Vec<KeyChangeNotice>), ReadError> {
    let key_id = KeyId(r.take()?);
    let count = r.byte()? as usize;
    let mut notices = Vec::with_capacity(count.min(MAX_NOTICES));
    for _ in 0..count {
        let retired = KeyId(r.take()?);
        let nonce = r.take()?;
        let len = u16::from_le_bytes(r.take()?) as usize;
        notices.push(KeyChangeNotice { retired, nonce, sealed: r.slice(len)?.to_vec() });
    }
    Ok((Some(key_id), notices))
}

impl Parsed<'_> {
    /// Decrypts the payload with the vault key.
    pub fn decrypt(&self, key: &VaultKey) -> Result<Vault, ReadError> {
        let plaintext = self
            .open_payload(key)
            .map_err(|_| ReadError::Damaged("the contents fail their integrity check (damaged or tampered with)"))?;
        decode(self.version, &plaintext)
    }

    fn open_payload(&self, key: &VaultKey) -> Result<Zeroizing<Vec<u8>>, crypto::AuthFailed> {
        crypto::open(key, &self.payload_nonce, self.header, self.payload)
    }
}

/// The vault in a decrypted payload: compact and compressed since version 5, the model's own
/// JSON before.
fn decode(version: u16, plaintext: &[u8]) -> Result<Vault, ReadError> {
    if version >= COMPACT_VERSION {
        return payload::decode(plaintext);
    }
    serde_json::from_slice::<Vault>(plaintext)
        .ok()
        .filter(Vault::keyed_by_id)
        .ok_or(ReadError::Damaged("the decrypted contents are not a valid vault"))
}

/// Opens a file with the master password.
pub fn read(bytes: &[u8], password: &MasterPassword) -> Result<Opened, ReadError> {
    let parsed = parse(bytes)?;
    let key = unwrap_key(password, &parsed.slot)?;
    let vault = parsed.decrypt(&key)?;
    Ok(Opened { vault, key, slot: parsed.slot, notices: parsed.notices })
}

/// Opens a file with a vault key already known (a copy of the same vault written by another
/// laptop), without the KDF. A different key is reported as [`ReadError::WrongKey`].
pub fn read_with_key(bytes: &[u8], key: &VaultKey) -> Result<Opened, ReadError> {
    let parsed = parse(bytes)?;
    if let Some(id) = parsed.key_id
        && id != KeyId::of(key)
    {
        // A newer key: the file may carry word of the change for holders of this one.
        let change = parsed.notices.iter().find_map(|notice| notice.open(key));
        return Err(change.map_or(ReadError::WrongKey, ReadError::KeyChanged));
    }
    // The payload tag alone cannot tell "other key" from "damaged"; a file whose header is intact
    // but whose payload does not open with our key is most likely another vault. Contents that
    // do open but are not a vault are damage, as with the password.
    let plaintext = parsed.open_payload(key).map_err(|_| ReadError::WrongKey)?;
    let vault = decode(parsed.version, &plaintext)?;
    Ok(Opened { vault, key: key.clone(), slot: parsed.slot, notices: parsed.notices })
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
