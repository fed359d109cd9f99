//! Any bytes as a Bitwarden JSON export (`import::bitwarden::read`), two ways: as the file
//! itself (first byte even), and as the protected data of a password-protected export made
//! with the fuzz password (first byte odd), so the reader behind the MAC check is reached.
//! What reads is imported into a vault twice: the second time must add nothing.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::import::{self, Contents, FileKey, ImportError, Options, bitwarden};
use vault::{Author, DeviceId, SecretText, Vault};
use vault_fuzz::FixedClock;

/// The file password of every export [`protected_export`] makes.
const PASSWORD: &str = "fuzz export password";
const SALT: &str = "ZnV6eiBzYWx0IGZpeGVk";
/// The fewest iterations the reader accepts: a couple of milliseconds a run.
const ITERATIONS: u32 = 5000;

/// The stretched key, derived once: the reader derives it again on every run, as it must.
fn key() -> &'static ([u8; 32], [u8; 32]) {
    static KEY: std::sync::OnceLock<([u8; 32], [u8; 32])> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let mut material = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(PASSWORD.as_bytes(), SALT.as_bytes(), ITERATIONS, &mut material);
        let hkdf = hkdf::Hkdf::<sha2::Sha256>::from_prk(&material).unwrap();
        let (mut enc, mut mac) = ([0u8; 32], [0u8; 32]);
        hkdf.expand(b"enc", &mut enc).unwrap();
        hkdf.expand(b"mac", &mut mac).unwrap();
        (enc, mac)
    })
}

/// An EncString of `plain` under the fuzz key: AES-256-CBC, then HMAC-SHA256 over iv || ct.
fn seal(plain: &[u8], iv: [u8; 16]) -> String {
    use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
    use hmac::{KeyInit, Mac};
    let (enc, mac_key) = key();
    let mut buf = vec![0u8; (plain.len() / 16 + 1) * 16];
    buf[..plain.len()].copy_from_slice(plain);
    let ct = cbc::Encryptor::<aes::Aes256>::new(enc.into(), &iv.into())
        .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
        .unwrap()
        .to_vec();
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(mac_key).unwrap();
    mac.update(&iv);
    mac.update(&ct);
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    format!("2.{}|{}|{}", b64(&iv), b64(&ct), b64(&mac.finalize().into_bytes()))
}

/// A password-protected export whose protected data is `plain`.
fn protected_export(plain: &[u8]) -> Vec<u8> {
    format!(
        r#"{{"encrypted": true, "passwordProtected": true, "salt": "{SALT}", "kdfType": 0,
            "kdfIterations": {ITERATIONS}, "kdfMemory": null, "kdfParallelism": null,
            "encKeyValidation_DO_NOT_EDIT": "{}", "data": "{}"}}"#,
        seal(b"fuzz validation", [7; 16]),
        seal(plain, [9; 16])
    )
    .into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let options = Options { keep_notes: mode & 2 != 0 };
    let password = SecretText::new(PASSWORD);
    let key = FileKey { password: Some(&password), key_file: None };
    let result = if mode & 1 == 0 {
        bitwarden::read(rest, FileKey::default(), options)
    } else {
        let file = protected_export(rest);
        let result = bitwarden::read(&file, key, options);
        // The envelope is authentic: whatever is wrong is inside.
        assert!(!matches!(result, Err(ImportError::WrongPassword | ImportError::NeedsPassword)), "{result:?}");
        result
    };
    let read = match result {
        Ok(read) => read,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            return;
        }
    };
    let _ = read.source.to_string();
    for skipped in &read.skipped {
        assert!(!skipped.reason.to_string().is_empty());
        let _ = skipped.place.to_string();
    }
    let Contents::Entries(entries) = &read.contents else { panic!("a Bitwarden export holds entries") };
    let count = entries.len();

    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0xb17), clock: &clock };
    let mut vault = Vault::new("import", author, "fuzz");
    let plan = import::plan(&vault, &read);
    let first = import::apply(&mut vault, read, author).expect("entries are added, not merged");
    assert_eq!(first.added, plan.arriving);
    assert!(first.added + first.already_present <= count);
    let again = if mode & 1 == 0 {
        bitwarden::read(rest, FileKey::default(), options)
    } else {
        bitwarden::read(&protected_export(rest), key, options)
    };
    let second = import::apply(&mut vault, again.expect("read once, reads again"), author).unwrap();
    assert_eq!(second.added, 0, "importing the same export twice added entries");
});
