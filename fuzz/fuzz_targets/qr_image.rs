//! Any bytes as an image file chosen for "import TOTP from a QR code": decoding must end in a
//! value or an error, within the image size limits, never a panic that gets out of the library
//! or an exhausted memory.
//!
//! The library contains panics of the image and QR decoders on purpose (a crafted picture is
//! "this picture could not be read", not a crash of the app), so a panic inside them is not a
//! finding here. libfuzzer-sys's own panic hook aborts on every panic, even a caught one; this
//! target replaces it with one that only remembers where the last panic was, and aborts itself
//! when a panic reaches it, printing that place.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use vault::totp::{self, QrError};

thread_local! {
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

fn exercise(data: &[u8]) {
    match totp::import_from_image(data) {
        Ok(found) => {
            let _ = found.code_at(0);
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
    // The same bytes as clipboard pixels of a few shapes.
    for width in [1u32, 7, 64] {
        let height = (data.len() / 4) as u32 / width;
        let _ = totp::decode_qr_rgba(width, height, data);
    }
    // Oversized input is refused before decoding, whatever it holds.
    if data.len() > totp::qr::MAX_IMAGE_BYTES {
        assert_eq!(totp::decode_qr_image(data), Err(QrError::FileTooLarge));
    }
}

fuzz_target!(
    init: {
        panic::set_hook(Box::new(|info| LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string())));
    },
    |data: &[u8]| {
        if panic::catch_unwind(AssertUnwindSafe(|| exercise(data))).is_err() {
            LAST_PANIC.with(|last| eprintln!("a panic got out of the QR import: {}", last.borrow()));
            std::process::abort();
        }
    }
);
