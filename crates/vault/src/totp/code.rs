//! Making codes: HOTP (RFC 4226) and the Steam Guard variant of it. TOTP (RFC 6238) is HOTP with
//! the counter taken from the clock, which `Totp::code_at` does.

use hmac::{Hmac, KeyInit, Mac};
use std::fmt;
use zeroize::Zeroizing;

use super::{Algorithm, STEAM_ALPHABET};

/// One code and the period it is valid in, `period_start..period_end` in Unix seconds.
#[derive(Clone, PartialEq, Eq)]
pub struct Code {
    /// What the user types: digits, or five Steam characters.
    pub text: String,
    pub period_start: u64,
    pub period_end: u64,
}

impl Code {
    /// Seconds from `unix_seconds` until this code expires (0 once it has).
    pub fn seconds_left(&self, unix_seconds: u64) -> u64 {
        self.period_end.saturating_sub(unix_seconds)
    }
}

/// A code is a live credential for its period, so logs do not get it either.
impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("text", &"(redacted)")
            .field("period_start", &self.period_start)
            .field("period_end", &self.period_end)
            .finish()
    }
}

/// The HOTP code for `counter`, `digits` decimal digits long with leading zeros (RFC 4226 §5.3).
///
/// `digits` above 9 would need more than the 31 bits truncation gives; callers keep it to 6–8.
pub fn hotp(secret: &[u8], algorithm: Algorithm, counter: u64, digits: u8) -> String {
    let value = truncated(secret, algorithm, counter);
    let digits = u32::from(digits.min(9));
    format!("{:0width$}", value % 10u32.pow(digits), width = digits as usize)
}

/// The Steam Guard code for `counter`: the same 31 bits as HOTP-SHA1, written as five characters
/// of Steam's alphabet, least significant first (as the Steam app and KeePassXC do).
pub(super) fn steam(secret: &[u8], counter: u64) -> String {
    let mut value = truncated(secret, Algorithm::Sha1, counter);
    let mut text = String::with_capacity(5);
    for _ in 0..5 {
        text.push(char::from(STEAM_ALPHABET[(value % 26) as usize]));
        value /= 26;
    }
    text
}

/// HMAC of the big-endian counter, then RFC 4226's dynamic truncation to 31 bits.
fn truncated(secret: &[u8], algorithm: Algorithm, counter: u64) -> u32 {
    let message = counter.to_be_bytes();
    let digest = match algorithm {
        Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(secret, &message),
        Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(secret, &message),
        Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(secret, &message),
    };
    // The low 4 bits of the last byte pick where the 4 bytes are taken from; the top bit is
    // dropped so the result reads the same as signed or unsigned.
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bytes = [digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

fn mac<M: Mac + KeyInit>(secret: &[u8], message: &[u8]) -> Zeroizing<Vec<u8>> {
    // HMAC takes keys of any length (long ones are hashed first), so this cannot fail.
    let mut mac = <M as KeyInit>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(message);
    Zeroizing::new(mac.finalize().into_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_are_kept() {
        // RFC 6238 Appendix B, SHA1 at 1234567890 gives 89005924: six digits are "005924".
        let code = hotp(b"12345678901234567890", Algorithm::Sha1, 1_234_567_890 / 30, 6);
        assert_eq!(code, "005924");
    }

    #[test]
    fn steam_codes_use_only_the_steam_alphabet() {
        for counter in 0..200 {
            let code = steam(b"some secret", counter);
            assert_eq!(code.len(), 5);
            assert!(code.bytes().all(|b| STEAM_ALPHABET.contains(&b)), "{code}");
        }
    }

    #[test]
    fn code_debug_is_redacted() {
        let code = Code { text: "123456".into(), period_start: 30, period_end: 60 };
        assert!(!format!("{code:?}").contains("123456"));
    }
}
