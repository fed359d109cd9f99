//! Time-based one-time passwords (RFC 6238), otpauth:// URIs and QR codes.
//!
//! An entry keeps its TOTP as an otpauth:// URI in a [`SecretText`](crate::SecretText). To show a
//! code, parse it with [`Totp::parse`] and ask for [`Totp::code_at`]; near the end of a period the app
//! also shows [`Totp::next_code`], so a user typing slowly is not left with an expired code.
//!
//! - [`uri`]: reading and writing otpauth:// links, with the quirks real sites and apps produce.
//! - [`qr`]: reading a QR code from a screenshot or the clipboard, and the module matrix to draw one.
//! - `code`: the codes themselves (HOTP, TOTP, Steam Guard), computed by the `totp-rs` crate.
//!
//! Only the arithmetic comes from totp-rs; what we accept stays ours and is decided first. Its
//! `TOTP::new` and `TOTP::from_url` refuse the 80-bit keys many sites still hand out and Steam's
//! 5 characters, and even its unchecked link reader is stricter or different where real links
//! are loose: it refuses lower-case, padded, spaced or hyphenated secrets, `SHA-256`, empty
//! values, `otpauth://TOTP/`, a label issuer that differs from the query's, `steam://` links and
//! bare keys, and it silently ignores upper-case keys (`Period=60`) and `encoder=steam`, giving
//! wrong codes.
//! So [`uri::parse`] and [`Totp::new`] check and normalise the setup, and codes are made from the
//! result with totp-rs's unchecked constructor. Links are written by [`uri`] as well: totp-rs's
//! `get_url` leaves out default settings and writes the label differently, which is not the
//! canonical link entries store.
//!
//! Everything here is pure: no clock, no files. The caller passes the time and the bytes.

mod code;
pub mod qr;
pub mod uri;

use std::fmt;
use zeroize::Zeroizing;

pub use code::{Code, hotp};
pub use qr::{
    ImportError, QrError, QrMatrix, decode_qr_image, decode_qr_rgba, import_from_image, import_from_rgba, qr_modules,
};

/// The hash behind the HMAC. SHA1 is what nearly every site uses; the others are rare but legal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name as otpauth:// links write it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// How codes are made from the HMAC.
///
/// Steam Guard is its own kind rather than a set of settings: its algorithm, length and period are
/// fixed by Valve, and only its alphabet differs, so there is nothing for a user to get wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// RFC 6238: decimal digits.
    Standard { algorithm: Algorithm, digits: u8, period: u32 },
    /// Steam Guard: five characters from [`STEAM_ALPHABET`], HMAC-SHA1, 30 seconds.
    Steam,
}

impl Kind {
    /// What a site means when it says nothing: SHA1, 6 digits, 30 seconds.
    pub const DEFAULT: Kind = Kind::Standard { algorithm: Algorithm::Sha1, digits: 6, period: 30 };
}

/// Steam Guard's code alphabet: digits and consonants that cannot be mistaken for one another.
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Codes are 6 to 8 digits: fewer is too easy to guess, and RFC 4226's truncation gives 31 bits,
/// so more than 9 would not be uniformly random (and no authenticator app shows them).
pub const DIGITS: std::ops::RangeInclusive<u8> = 6..=8;

/// The longest period accepted: a day. Longer is a typo, and a code that lives for days is not
/// a one-time password any more.
pub const MAX_PERIOD: u32 = 86_400;

/// A TOTP generator: the shared secret and how to turn it into codes.
///
/// The secret is wiped from memory when this is dropped and never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Totp {
    secret: Zeroizing<Vec<u8>>,
    kind: Kind,
    issuer: Option<String>,
    account: Option<String>,
}

/// Why a TOTP setup cannot be used. Messages never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error(
        "not an otpauth:// link: expected a link starting with otpauth://totp/ (from the site's QR code) \
         or the setup key the site shows as text"
    )]
    NotOtpauth,
    #[error(
        "this is a counter-based (HOTP) link; CRM Vault shows time-based codes: ask the site for an \
         authenticator-app (TOTP) setup instead"
    )]
    Hotp,
    #[error("unknown kind of one-time password link: only otpauth://totp/ links are supported")]
    UnknownType,
    #[error("the link has no secret; copy the whole link again, or enter the key the site shows as text")]
    MissingSecret,
    #[error("the secret is not valid base32 (it may only contain letters A–Z and digits 2–7)")]
    InvalidBase32,
    #[error("the secret has a wrong number of characters for base32: one may be missing or extra; copy it again")]
    Base32Length,
    #[error("the key is too short to be a TOTP secret (sites give at least 16 characters); copy all of it")]
    SecretTooShort,
    #[error("the algorithm \"{0}\" is not supported; use SHA1, SHA256 or SHA512")]
    UnsupportedAlgorithm(String),
    #[error("the encoder \"{0}\" is not supported; the only one known is steam")]
    UnsupportedEncoder(String),
    #[error("digits must be 6 to 8")]
    Digits,
    #[error("the period must be 1 to 86400 seconds (a day)")]
    Period,
    #[error("the link has a malformed %-escape or is not UTF-8 text; copy it again")]
    BadEscape,
}

impl Totp {
    /// A generator for `secret` (the raw bytes, already decoded from base32).
    pub fn new(secret: impl Into<Zeroizing<Vec<u8>>>, kind: Kind) -> Result<Totp, TotpError> {
        let secret = secret.into();
        if secret.is_empty() {
            return Err(TotpError::MissingSecret);
        }
        if let Kind::Standard { digits, period, .. } = kind {
            if !DIGITS.contains(&digits) {
                return Err(TotpError::Digits);
            }
            if period == 0 || period > MAX_PERIOD {
                return Err(TotpError::Period);
            }
        }
        Ok(Totp { secret, kind, issuer: None, account: None })
    }

    /// Reads an otpauth:// link, a `steam://` link or a bare base32 key. See [`uri::parse`].
    pub fn parse(text: &str) -> Result<Totp, TotpError> {
        uri::parse(text)
    }

    /// The canonical otpauth:// link for this generator; [`Totp::parse`] reads it back unchanged.
    pub fn to_uri(&self) -> crate::SecretText {
        uri::write(self)
    }

    /// Sets who issued the secret (the site or company), shown above the code. Blank means none;
    /// surrounding spaces are dropped, as links cannot keep them.
    pub fn with_issuer(mut self, issuer: Option<String>) -> Totp {
        self.issuer = issuer.and_then(trimmed);
        self
    }

    /// Sets the account the secret belongs to (usually a user name or email), trimmed likewise.
    pub fn with_account(mut self, account: Option<String>) -> Totp {
        self.account = account.and_then(trimmed);
        self
    }

    /// The shared secret. Use only to make codes or write the link.
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn algorithm(&self) -> Algorithm {
        match self.kind {
            Kind::Standard { algorithm, .. } => algorithm,
            Kind::Steam => Algorithm::Sha1,
        }
    }

    /// How many characters a code has: 6 to 8 digits, or 5 for Steam.
    pub fn digits(&self) -> u8 {
        match self.kind {
            Kind::Standard { digits, .. } => digits,
            Kind::Steam => 5,
        }
    }

    /// Seconds each code is valid for.
    pub fn period(&self) -> u32 {
        match self.kind {
            Kind::Standard { period, .. } => period,
            Kind::Steam => 30,
        }
    }

    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The code valid at `unix_seconds`, with the period it belongs to.
    pub fn code_at(&self, unix_seconds: u64) -> Code {
        let period = u64::from(self.period());
        let counter = unix_seconds / period;
        self.code_for_counter(counter)
    }

    /// The code of the period after the one holding `unix_seconds`: what to show, greyed, when the
    /// current code is about to expire.
    pub fn next_code(&self, unix_seconds: u64) -> Code {
        let period = u64::from(self.period());
        self.code_for_counter(unix_seconds / period + 1)
    }

    fn code_for_counter(&self, counter: u64) -> Code {
        let period = u64::from(self.period());
        let text = match self.kind {
            Kind::Standard { algorithm, digits, .. } => hotp(&self.secret, algorithm, counter, digits),
            Kind::Steam => code::steam(&self.secret, counter),
        };
        let start = counter.saturating_mul(period);
        Code { text, period_start: start, period_end: start.saturating_add(period) }
    }
}

fn trimmed(text: String) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_owned())
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("secret", &"(redacted)")
            .field("kind", &self.kind)
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Totp {
        Totp::new(b"12345678901234567890".to_vec(), Kind::DEFAULT).unwrap()
    }

    #[test]
    fn debug_hides_the_secret() {
        let totp = sample().with_issuer(Some("ACME".into()));
        let shown = format!("{totp:?}");
        assert!(!shown.contains("12345678901234567890"), "{shown}");
        assert!(!shown.contains("49, 50, 51"), "{shown}");
        assert!(shown.contains("ACME"), "{shown}");
    }

    #[test]
    fn new_refuses_bad_settings() {
        let with = |digits, period| Kind::Standard { algorithm: Algorithm::Sha1, digits, period };
        assert_eq!(Totp::new(vec![], Kind::DEFAULT), Err(TotpError::MissingSecret));
        assert_eq!(Totp::new(vec![1], with(5, 30)), Err(TotpError::Digits));
        assert_eq!(Totp::new(vec![1], with(9, 30)), Err(TotpError::Digits));
        assert_eq!(Totp::new(vec![1], with(6, 0)), Err(TotpError::Period));
        assert_eq!(Totp::new(vec![1], with(6, MAX_PERIOD + 1)), Err(TotpError::Period));
        assert!(Totp::new(vec![1], with(8, MAX_PERIOD)).is_ok());
        assert!(Totp::new(vec![1], Kind::Steam).is_ok());
    }

    #[test]
    fn periods_and_next_code() {
        let totp = sample();
        let code = totp.code_at(59);
        assert_eq!((code.period_start, code.period_end), (30, 60));
        assert_eq!(code.seconds_left(59), 1);
        let next = totp.next_code(59);
        assert_eq!((next.period_start, next.period_end), (60, 90));
        assert_eq!(next, totp.code_at(60));
        assert_eq!(totp.code_at(0).period_start, 0);
        // The far future must not overflow.
        let last = totp.code_at(u64::MAX);
        assert_eq!(last.period_end, u64::MAX);
        assert_eq!(last.seconds_left(u64::MAX), 0);
    }

    #[test]
    fn blank_labels_are_none() {
        let totp = sample().with_issuer(Some("  ".into())).with_account(Some(String::new()));
        assert_eq!((totp.issuer(), totp.account()), (None, None));
        let totp = sample().with_issuer(Some(" ACME ".into())).with_account(Some("bob\n".into()));
        assert_eq!((totp.issuer(), totp.account()), (Some("ACME"), Some("bob")));
    }
}
