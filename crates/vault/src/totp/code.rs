//! Making codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard, all computed by `totp-rs`.
//!
//! totp-rs works in times: `TOTP::generate(time)` signs the counter `time / step`. We keep the
//! counter ourselves instead: `Totp::code_at` divides by the period and `Totp::next_code` adds one,
//! so a code and the period it is shown for come from the same counter, and a time near
//! `u64::MAX` cannot overflow as `(counter + 1) * period` could. totp-rs is therefore given a step
//! of 1 and the counter as its "time": `counter / 1` is the counter, which makes `generate` plain
//! HOTP of that counter. RFC 4226's counter vectors go through the same call.

use std::fmt;
use totp_rs::TOTP;

use super::Algorithm;

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
/// `digits` above 9 would need more than the 31 bits truncation gives (and would overflow the
/// `10^digits` totp-rs divides by), so they are treated as 9; callers keep it to 6–8.
pub fn hotp(secret: &[u8], algorithm: Algorithm, counter: u64, digits: u8) -> String {
    let algorithm = match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    };
    generate(secret, algorithm, digits.min(9), counter)
}

/// The Steam Guard code for `counter`: the same 31 bits as HOTP-SHA1, written as five characters
/// of Steam's alphabet ([`STEAM_ALPHABET`](super::STEAM_ALPHABET)), least significant first, as
/// the Steam app and KeePassXC do.
pub(super) fn steam(secret: &[u8], counter: u64) -> String {
    generate(secret, totp_rs::Algorithm::Steam, 5, counter)
}

fn generate(secret: &[u8], algorithm: totp_rs::Algorithm, digits: u8, counter: u64) -> String {
    // `new_unchecked`, because `TOTP::new` refuses secrets under 128 bits and codes of other than
    // 6 to 8 digits, while the 80-bit keys many sites hand out (Google's own example among them)
    // and Steam's 5 characters must keep working. What is accepted is decided before this, by
    // `Totp::new` and `uri::parse`. The skew (1, the RFC's recommendation) is only used by
    // totp-rs's `check`, never here; issuer and account play no part in a code.
    //
    // The copy of the secret made here belongs to `TOTP`, which the `zeroize` feature wipes when
    // it is dropped at the end of this function. The HMAC output totp-rs makes inside `generate`
    // is not wiped; it gives away no more than the code made from it, which is not wiped either.
    let totp = TOTP::new_unchecked(algorithm, usize::from(digits), 1, 1, secret.to_vec(), None, String::new());
    totp.generate(counter)
}

#[cfg(test)]
mod tests {
    use super::super::STEAM_ALPHABET;
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

    /// The step-1 counter call gives what totp-rs's own time-based use gives (step = period,
    /// time = Unix seconds), for every algorithm and a few periods.
    #[test]
    fn counter_as_time_is_totp_rs_own_totp() {
        let secret = b"12345678901234567890123456789012".to_vec();
        for (ours, theirs) in [
            (Algorithm::Sha1, totp_rs::Algorithm::SHA1),
            (Algorithm::Sha256, totp_rs::Algorithm::SHA256),
            (Algorithm::Sha512, totp_rs::Algorithm::SHA512),
        ] {
            for period in [1, 30, 60, 86_400] {
                let totp = TOTP::new_unchecked(theirs, 8, 1, period, secret.clone(), None, String::new());
                for at in [0, 59, 1_111_111_109, 2_000_000_000, 20_000_000_000] {
                    assert_eq!(hotp(&secret, ours, at / period, 8), totp.generate(at), "{ours:?} {period} {at}");
                }
            }
        }
    }

    #[test]
    fn code_debug_is_redacted() {
        let code = Code { text: "123456".into(), period_start: 30, period_end: 60 };
        assert!(!format!("{code:?}").contains("123456"));
    }
}
