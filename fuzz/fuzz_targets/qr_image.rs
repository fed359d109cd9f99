//! Any bytes as an image file chosen for "import TOTP from a QR code": decoding must end in a
//! value or an error, within the image size limits, never a panic or an exhausted memory.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::totp;

fuzz_target!(|data: &[u8]| {
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
});
