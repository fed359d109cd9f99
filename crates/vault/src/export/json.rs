//! Our own encrypted JSON export: a whole vault, clocks and history included, readable back by
//! `import` (see docs/FORMAT.md, "Export file (encrypted JSON)").
//!
//! The file is a JSON envelope in the clear (what is needed to derive the key and open the
//! contents) around the vault's own payload JSON, the same bytes a `.crmvault` file encrypts,
//! sealed with AES-256-GCM under a key Argon2id derives from the export's password.

use std::borrow::Cow;

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::ExportError;
use crate::crypto::{self, KdfParams, NONCE_LEN, SALT_LEN, SecretKey, TAG_LEN};
use crate::format::{MAX_SALT_LEN, MIN_SALT_LEN};
use crate::import::ImportError;
use crate::model::Vault;
use crate::secret::{MasterPassword, SecretText};

/// The `format` member that names the file.
pub const FORMAT_NAME: &str = "crm-vault-export";
/// The version this writer writes, and the only one this reader reads.
pub const VERSION: u32 = 1;
pub const KDF_ALGORITHM: &str = "argon2id";
pub const CIPHER: &str = "aes-256-gcm";
/// Bytes of the key check (see [`key_check`]).
pub const KEY_CHECK_LEN: usize = 16;

/// What [`ImportError::WrongShape`] says the file should have been.
const EXPECTED: &str = "CRM Vault";

/// The file as written: members in this order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    format: Cow<'a, str>,
    version: u32,
    kdf: Kdf<'a>,
    cipher: Cow<'a, str>,
    nonce: Cow<'a, str>,
    key_check: Cow<'a, str>,
    /// Borrowed from the input where it can be: it is most of the file.
    #[serde(borrow)]
    ciphertext: Cow<'a, str>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kdf<'a> {
    algorithm: Cow<'a, str>,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: Cow<'a, str>,
}

/// The associated data: every member of the envelope but the ciphertext, as compact JSON in the
/// envelope's order. Bound so that none of them can be changed without the contents failing to
/// open: a version or format swapped to steer a reader to other rules, or KDF settings lowered
/// on a copy someone re-sealed, are caught by the tag rather than trusted.
#[derive(Serialize)]
struct Bound<'e> {
    format: &'e str,
    version: u32,
    kdf: &'e Kdf<'e>,
    cipher: &'e str,
    nonce: &'e str,
    key_check: &'e str,
}

impl Envelope<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let bound = Bound {
            format: &self.format,
            version: self.version,
            kdf: &self.kdf,
            cipher: &self.cipher,
            nonce: &self.nonce,
            key_check: &self.key_check,
        };
        serde_json::to_vec(&bound).expect("the envelope's members always serialise")
    }
}

/// The members that say which file this is, read before the rest so that another version (whose
/// other members may differ) is named as such rather than called damaged.
#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    version: Option<u64>,
}

/// The first bytes of SHA-256("CRM Vault export key check" || key): tells a wrong password from
/// damaged contents, which AES-GCM alone cannot. It says nothing a guesser could not learn from
/// the ciphertext's tag at the same Argon2id cost.
fn key_check(key: &SecretKey) -> [u8; KEY_CHECK_LEN] {
    let digest = Sha256::new().chain_update(b"CRM Vault export key check").chain_update(key.expose()).finalize();
    digest[..KEY_CHECK_LEN].try_into().expect("a SHA-256 digest is longer than the key check")
}

fn derive(password: &SecretText, salt: &[u8], kdf: KdfParams) -> Result<SecretKey, crypto::KdfParamsError> {
    let password = MasterPassword::from(password.expose().to_owned());
    crypto::derive_kek(&password, salt, kdf)
}

/// Encrypts the whole vault (the trash, clocks, history, devices, activity and hand-overs
/// included) under `password`, with a fresh salt and nonce.
pub fn write(vault: &Vault, password: &SecretText, kdf: KdfParams) -> Result<Vec<u8>, ExportError> {
    write_with(vault, password, kdf, crypto::random_array::<SALT_LEN>(), crypto::random_array())
}

/// [`write`] with a given salt and nonce, for test vectors. Never reuse a salt and nonce pair.
#[doc(hidden)]
pub fn write_with(
    vault: &Vault,
    password: &SecretText,
    kdf: KdfParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>, ExportError> {
    if password.is_empty() {
        return Err(ExportError::NoPassword);
    }
    let key = derive(password, &salt, kdf)?;
    let plaintext = Zeroizing::new(serde_json::to_vec(vault).expect("a vault always serialises"));
    let mut envelope = Envelope {
        format: FORMAT_NAME.into(),
        version: VERSION,
        kdf: Kdf {
            algorithm: KDF_ALGORITHM.into(),
            memory_kib: kdf.memory_kib,
            iterations: kdf.iterations,
            parallelism: kdf.parallelism,
            salt: BASE64.encode(&salt).into(),
        },
        cipher: CIPHER.into(),
        nonce: BASE64.encode(&nonce).into(),
        key_check: BASE64.encode(&key_check(&key)).into(),
        ciphertext: Cow::Borrowed(""),
    };
    let sealed = crypto::seal(&key, &nonce, &envelope.associated_data(), &plaintext);
    envelope.ciphertext = BASE64.encode(&sealed).into();
    let mut out = serde_json::to_vec_pretty(&envelope).expect("the envelope always serialises");
    out.push(b'\n');
    Ok(out)
}

/// Reads an export back into the vault it was made from. Checks, in this order: the JSON and its
/// `format`, the version, the members, the methods, the KDF settings against a vault's own limits
/// (before any memory is allocated), the password, then the contents' tag and their JSON.
pub fn read(bytes: &[u8], password: Option<&SecretText>) -> Result<Vault, ImportError> {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let head: Head = serde_json::from_slice(text).map_err(|err| json_error(text, &err))?;
    if head.format.as_deref() != Some(FORMAT_NAME) {
        return Err(ImportError::WrongShape {
            expected: EXPECTED,
            detail: format!("its \"format\" member is not \"{FORMAT_NAME}\""),
        });
    }
    match head.version {
        Some(version) if version == u64::from(VERSION) => {}
        Some(version) => {
            return Err(ImportError::Unsupported {
                what: format!("CRM Vault export version {version} (this CRM Vault reads version {VERSION})"),
            });
        }
        None => return Err(shape("it has no \"version\" member")),
    }
    let envelope: Envelope<'_> = serde_json::from_slice(text).map_err(|err| json_error(text, &err))?;
    if envelope.kdf.algorithm != KDF_ALGORITHM {
        return Err(ImportError::Unsupported {
            what: format!("key derivation (\"{}\")", clip(&envelope.kdf.algorithm)),
        });
    }
    if envelope.cipher != CIPHER {
        return Err(ImportError::Unsupported { what: format!("cipher (\"{}\")", clip(&envelope.cipher)) });
    }
    let kdf = KdfParams {
        memory_kib: envelope.kdf.memory_kib,
        iterations: envelope.kdf.iterations,
        parallelism: envelope.kdf.parallelism,
    };
    // The same limits a vault file is held to: a file made to cost more memory or time than a
    // vault may is refused before Argon2id runs.
    kdf.check().map_err(|err| damaged(format!("its key-derivation settings are refused: {err}")))?;
    let salt = decode("salt", &envelope.kdf.salt)?;
    if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt.len()) {
        return Err(damaged(format!("its salt has {} bytes, not {MIN_SALT_LEN} to {MAX_SALT_LEN}", salt.len())));
    }
    let nonce: [u8; NONCE_LEN] = decode("nonce", &envelope.nonce)?
        .try_into()
        .map_err(|_| damaged(format!("its nonce is not {NONCE_LEN} bytes")))?;
    let check: [u8; KEY_CHECK_LEN] = decode("key_check", &envelope.key_check)?
        .try_into()
        .map_err(|_| damaged(format!("its key check is not {KEY_CHECK_LEN} bytes")))?;
    let sealed = decode("ciphertext", &envelope.ciphertext)?;
    if sealed.len() < TAG_LEN {
        return Err(damaged("its ciphertext is cut short".into()));
    }
    let password = password.ok_or(ImportError::NeedsPassword)?;
    let key = derive(password, &salt, kdf)
        .map_err(|err| damaged(format!("its key-derivation settings are refused: {err}")))?;
    if key_check(&key) != check {
        return Err(ImportError::WrongPassword);
    }
    let plaintext = crypto::open(&key, &nonce, &envelope.associated_data(), &sealed)
        .map_err(|_| damaged("its contents fail their integrity check: damaged or altered".into()))?;
    // The vault's own reader; its error is not shown, since it may quote the decrypted contents.
    serde_json::from_slice::<Vault>(&plaintext)
        .ok()
        .filter(Vault::keyed_by_id)
        .ok_or_else(|| damaged("its decrypted contents are not a vault".into()))
}

fn damaged(detail: String) -> ImportError {
    ImportError::Damaged { detail }
}

fn shape(detail: &str) -> ImportError {
    ImportError::WrongShape { expected: EXPECTED, detail: detail.to_owned() }
}

/// A JSON error on the envelope (which holds no secret in the clear, so serde's words may be
/// shown): cut short and broken JSON are damage; JSON that is not an export is another shape.
fn json_error(text: &[u8], err: &serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => damaged("the file is cut short".into()),
        Category::Syntax | Category::Io if !text.trim_ascii_start().starts_with(b"{") => shape("it is not JSON"),
        Category::Syntax | Category::Io => damaged(format!("it is not valid JSON: {}", clip(&err.to_string()))),
        Category::Data => shape(&format!("its members are not an export's: {}", clip(&err.to_string()))),
    }
}

/// Text from the file, cut to a length a message can show: a hostile file may put megabytes in
/// any member serde quotes.
fn clip(text: &str) -> String {
    const SHOWN: usize = 160;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

fn decode(member: &str, text: &str) -> Result<Vec<u8>, ImportError> {
    BASE64.decode(text.as_bytes()).map_err(|_| damaged(format!("its \"{member}\" is not valid base64")))
}
