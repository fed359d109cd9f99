//! Any bytes as a 1Password 1PUX file (`import::onepassword::read_1pux_limited` with a 1 MiB
//! limit), two ways: as the zip itself (first byte even), and as `export.data` inside a zip made
//! here (first byte odd), so the JSON reader is reached on every run. What reads is imported
//! into a vault twice: the second time must add nothing.

#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use vault::import::{self, Contents, ImportError, Options, onepassword};
use vault::{Author, DeviceId, Vault};
use vault_fuzz::FixedClock;

const LIMIT: u64 = 1 << 20;

fn zip_with_export_data(data: &[u8]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("export.data", options).unwrap();
    writer.write_all(data).unwrap();
    writer.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let options = Options { keep_notes: mode & 2 != 0 };
    let file = if mode & 1 == 0 { rest.to_vec() } else { zip_with_export_data(rest) };
    let read = match onepassword::read_1pux_limited(&file, options, LIMIT) {
        Ok(read) => read,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            if let ImportError::TooLarge { limit_mb } = err {
                assert_eq!(limit_mb, LIMIT >> 20);
            }
            return;
        }
    };
    for skipped in &read.skipped {
        assert!(!skipped.reason.to_string().is_empty());
    }
    let Contents::Entries(entries) = &read.contents else { panic!("a 1PUX file holds entries") };
    let count = entries.len();

    let clock = FixedClock::default();
    let author = Author { device: DeviceId(0x1ab), clock: &clock };
    let mut vault = Vault::new("import", author, "fuzz");
    let first = import::apply(&mut vault, read, author).expect("entries are added, not merged");
    assert!(first.added + first.already_present <= count);
    let again = onepassword::read_1pux_limited(&file, options, LIMIT).expect("read once, reads again");
    let second = import::apply(&mut vault, again, author).unwrap();
    assert_eq!(second.added, 0, "importing the same file twice added entries");
});
