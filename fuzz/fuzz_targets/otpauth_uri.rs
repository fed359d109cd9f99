//! Any text as a TOTP link typed or pasted by the user: `Totp::parse`. What parses must write
//! back to a link that parses to the same thing, compute codes without panicking, and never
//! put the secret in an error message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::totp::Totp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Totp::parse(text) {
        Ok(totp) => {
            let uri = totp.to_uri();
            let again = Totp::parse(uri.expose()).expect("a written link parses");
            assert_eq!(again, totp, "the link does not round-trip: {}", uri.expose());
            for at in [0, 59, 1_111_111_109, u64::MAX / 2, u64::MAX] {
                let code = totp.code_at(at);
                assert!(code.period_start <= at && at <= code.period_end, "{at} outside its period");
                let _ = totp.next_code(at);
            }
            let _ = vault::totp::qr_modules(uri.expose());
        }
        Err(err) => {
            let message = err.to_string();
            assert!(!message.is_empty());
        }
    }
});
