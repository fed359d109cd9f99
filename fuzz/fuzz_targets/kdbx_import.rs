//! Any bytes as a KeePass file handed to `import` with a fixed password: refused with an error or
//! read, never a panic; what is read goes into a vault (twice: the second time adds nothing).
//! Key derivation is capped low so that the run tests the reader, not the machine's memory.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::SecretText;
use vault::import::kdbx::{self, Limits};
use vault::import::{self, Contents, FileKey};
use vault::{Author, DeviceId, Vault};
use vault_fuzz::FixedClock;

/// The password the seeds in fuzz/seeds/kdbx_import/ were written with.
const PASSWORD: &str = "fuzz-kdbx 密码";

const CHEAP: Limits =
    Limits { max_memory_bytes: 8 << 20, max_argon2_iterations: 4, max_aes_rounds: 10_000, max_parallelism: 2 };

fuzz_target!(|data: &[u8]| {
    let password = SecretText::new(PASSWORD);
    let key = FileKey { password: Some(&password), key_file: None };
    let read = match kdbx::read_with_limits(data, key, CHEAP, &mut |done, total| assert!(done <= total || total == 0)) {
        Ok(read) => read,
        Err(err) => {
            let message = err.to_string();
            assert!(!message.contains(PASSWORD), "the password is in an error: {message}");
            return;
        }
    };
    let _ = read.source.to_string();
    for skipped in &read.skipped {
        assert!(!skipped.reason.to_string().is_empty());
    }
    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0x6db), clock: &clock };
    let mut vault = Vault::new("import", author, "fuzz");
    let Contents::Entries(entries) = &read.contents else { panic!("a KeePass file holds entries") };
    let again =
        import::Read { source: read.source.clone(), contents: Contents::Entries(entries.clone()), skipped: vec![] };
    import::apply(&mut vault, read, author).expect("entries always go in");
    let second = import::apply(&mut vault, again, author).expect("entries always go in");
    assert_eq!(second.added, 0, "importing the same file twice added entries");
});
