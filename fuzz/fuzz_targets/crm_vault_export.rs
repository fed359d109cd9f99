//! Any bytes as our own encrypted JSON export given to `import` (`export::json::read`): never a
//! panic. First without a password, which runs every check before the key derivation; then, for a
//! file that passes them with the cheapest key-derivation settings (the test vector's), with the
//! vector's password, which reaches the key check, the tag and the vault reader. Other settings
//! are not derived: each costs Argon2id, and a file may ask for up to 4 GiB, which a vault also
//! may. The decrypted payload's reader itself is the `vault_payload` target's.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::SecretText;
use vault::export::json;
use vault::import::ImportError;

/// The password of `tests/vectors/export-v1.json`, the seed.
const PASSWORD: &str = "correct horse battery staple 客户";

/// Whether the file asks for the cheapest settings a vault accepts (19 MiB, 2 passes, 1 lane).
fn cheap(data: &[u8]) -> bool {
    let Ok(value) =
        serde_json::from_slice::<serde_json::Value>(data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data))
    else {
        return false;
    };
    let kdf = &value["kdf"];
    kdf["memory_kib"] == 19 * 1024 && kdf["iterations"] == 2 && kdf["parallelism"] == 1
}

fuzz_target!(|data: &[u8]| {
    match json::read(data, None) {
        Err(ImportError::NeedsPassword) => {}
        Err(err) => {
            assert!(err.to_string().len() < 1024, "a message quotes too much of the file");
            return;
        }
        Ok(_) => panic!("an export opened without a password"),
    }
    if !cheap(data) {
        return;
    }
    match json::read(data, Some(&SecretText::new(PASSWORD))) {
        Ok(opened) => {
            // What arrives is a vault like any other: it serialises and reads back the same.
            let bytes = serde_json::to_vec(&opened).expect("a vault always serialises");
            assert_eq!(serde_json::from_slice::<vault::Vault>(&bytes).expect("a vault reads back"), opened);
        }
        Err(ImportError::NeedsPassword) => panic!("a password was given"),
        Err(err) => assert!(err.to_string().len() < 1024, "a message quotes too much of the file"),
    }
});
