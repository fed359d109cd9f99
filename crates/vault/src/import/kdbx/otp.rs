//! One-time password setups as KeePass programs keep them, turned into the otpauth:// link an
//! entry stores:
//!
//! - KeePassXC: an `otp` attribute holding the link itself;
//! - KeePass 2.47 and later: `TimeOtp-Secret` (or `-Hex`, `-Base32`, `-Base64`), with
//!   `TimeOtp-Period`, `TimeOtp-Length` and `TimeOtp-Algorithm` when not the defaults;
//! - KeePassXC before 2.6 (and the KeeOtp plugin's layout it copied): `TOTP Seed` with
//!   `TOTP Settings` "period;digits", the digits "S" for Steam.

use std::collections::HashMap;

use data_encoding::{BASE32_NOPAD, BASE64, HEXLOWER_PERMISSIVE};
use keepass::db::Value;
use zeroize::Zeroizing;

use crate::SecretText;
use crate::totp::{Algorithm, Kind, Totp};

pub(super) const OTP: &str = "otp";
const TIME_OTP_PREFIX: &str = "TimeOtp-";
const LEGACY_SEED: &str = "TOTP Seed";
const LEGACY_SETTINGS: &str = "TOTP Settings";

/// Whether an attribute is part of a one-time password setup (and so not a custom field).
pub(super) fn is_otp_field(name: &str) -> bool {
    name == OTP || name.starts_with(TIME_OTP_PREFIX) || name == LEGACY_SEED || name == LEGACY_SETTINGS
}

/// What an entry's attributes hold.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    Nothing,
    Link(SecretText),
    /// There is a setup, but it cannot be read: the entry comes without it.
    Unreadable,
}

pub(super) fn from_fields(fields: &HashMap<String, Value<String>>) -> Found {
    let get = |name: &str| fields.get(name).map(|v| v.get().trim()).filter(|v| !v.is_empty());
    let result = if let Some(link) = get(OTP) {
        Totp::parse(link).ok()
    } else if let Some(totp) = time_otp(&get) {
        totp
    } else if let Some(seed) = get(LEGACY_SEED) {
        legacy(seed, get(LEGACY_SETTINGS))
    } else {
        return Found::Nothing;
    };
    match result {
        Some(totp) => Found::Link(totp.to_uri()),
        None => Found::Unreadable,
    }
}

/// KeePass's own fields: `None` when there are none, `Some(None)` when they cannot be read.
fn time_otp<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<Option<Totp>> {
    type Decode = fn(&str) -> Option<Zeroizing<Vec<u8>>>;
    let layouts: [(&str, Decode); 4] = [
        ("TimeOtp-Secret", |text| Some(Zeroizing::new(text.as_bytes().to_vec()))),
        ("TimeOtp-Secret-Hex", |text| HEXLOWER_PERMISSIVE.decode(compact(text).as_bytes()).ok().map(Zeroizing::new)),
        ("TimeOtp-Secret-Base32", decode_base32),
        ("TimeOtp-Secret-Base64", |text| {
            let text: String = text.split_whitespace().collect();
            BASE64.decode(text.as_bytes()).ok().map(Zeroizing::new)
        }),
    ];
    let (text, decode) = layouts.iter().find_map(|(name, decode)| Some((get(name)?, decode)))?;
    let secret = decode(text).unwrap_or_default();
    let period = match get("TimeOtp-Period") {
        Some(text) => text.parse().ok(),
        None => Some(30),
    };
    let digits = match get("TimeOtp-Length") {
        Some(text) => text.parse().ok(),
        None => Some(6),
    };
    let algorithm = match get("TimeOtp-Algorithm").map(|a| a.to_ascii_uppercase().replace('-', "")) {
        None => Some(Algorithm::Sha1),
        Some(name) if name.ends_with("SHA1") => Some(Algorithm::Sha1),
        Some(name) if name.ends_with("SHA256") => Some(Algorithm::Sha256),
        Some(name) if name.ends_with("SHA512") => Some(Algorithm::Sha512),
        Some(_) => None,
    };
    let totp = match (period, digits, algorithm) {
        (Some(period), Some(digits), Some(algorithm)) if !secret.is_empty() => {
            Totp::new(secret, Kind::Standard { algorithm, digits, period }).ok()
        }
        _ => None,
    };
    Some(totp)
}

/// `TOTP Seed` (a base32 key, or a whole link) with `TOTP Settings` ("30;6", "30;8", "30;S").
fn legacy(seed: &str, settings: Option<&str>) -> Option<Totp> {
    if seed.contains("://") {
        return Totp::parse(seed).ok();
    }
    let secret = decode_base32(seed)?;
    let (period, digits) = match settings {
        Some(settings) => {
            let mut parts = settings.split(';').map(str::trim);
            (parts.next().unwrap_or("30").to_owned(), parts.next().unwrap_or("6").to_owned())
        }
        None => ("30".to_owned(), "6".to_owned()),
    };
    let kind = if digits.eq_ignore_ascii_case("S") {
        Kind::Steam
    } else {
        Kind::Standard { algorithm: Algorithm::Sha1, digits: digits.parse().ok()?, period: period.parse().ok()? }
    };
    Totp::new(secret, kind).ok()
}

/// Spaces, hyphens and padding are how keys are shown to be typed, not part of them.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '=').collect()
}

fn decode_base32(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let key = Zeroizing::new(compact(text).to_ascii_uppercase());
    BASE32_NOPAD.decode(key.as_bytes()).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, Value<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), Value::protected(v.to_string()))).collect()
    }

    fn link(pairs: &[(&str, &str)]) -> Totp {
        match from_fields(&fields(pairs)) {
            Found::Link(link) => Totp::parse(link.expose()).unwrap(),
            other => panic!("no link: {other:?}"),
        }
    }

    // RFC 6238's SHA1 test key, "12345678901234567890".
    const KEY_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn every_layout_gives_the_same_codes() {
        let expected = Totp::new(b"12345678901234567890".to_vec(), Kind::DEFAULT).unwrap().code_at(59).text;
        let layouts: [&[(&str, &str)]; 6] = [
            &[("otp", "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")],
            &[("TimeOtp-Secret", "12345678901234567890")],
            &[("TimeOtp-Secret-Hex", "3132333435363738393031323334353637383930")],
            &[("TimeOtp-Secret-Base32", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq")],
            &[("TimeOtp-Secret-Base64", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=")],
            &[("TOTP Seed", KEY_BASE32), ("TOTP Settings", "30;6")],
        ];
        for layout in layouts {
            assert_eq!(link(layout).code_at(59).text, expected, "{:?}", layout[0].0);
        }
        assert_eq!(expected, "287082");
    }

    #[test]
    fn keepass_settings_are_kept() {
        let totp = link(&[
            ("TimeOtp-Secret-Base32", KEY_BASE32),
            ("TimeOtp-Period", "60"),
            ("TimeOtp-Length", "8"),
            ("TimeOtp-Algorithm", "HMAC-SHA-256"),
        ]);
        assert_eq!(totp.kind(), Kind::Standard { algorithm: Algorithm::Sha256, digits: 8, period: 60 });
        assert_eq!(link(&[("TOTP Seed", KEY_BASE32), ("TOTP Settings", "30;S")]).kind(), Kind::Steam);
    }

    #[test]
    fn unreadable_setups_are_told_apart_from_none() {
        assert_eq!(from_fields(&fields(&[("Title", "x")])), Found::Nothing);
        assert_eq!(from_fields(&fields(&[("otp", "otpauth://hotp/x?secret=AAAA")])), Found::Unreadable);
        assert_eq!(from_fields(&fields(&[("TimeOtp-Secret-Base32", "not base32!")])), Found::Unreadable);
        assert_eq!(from_fields(&fields(&[("TimeOtp-Secret", "k"), ("TimeOtp-Length", "12")])), Found::Unreadable);
        assert_eq!(from_fields(&fields(&[("TOTP Seed", KEY_BASE32), ("TOTP Settings", "x;y")])), Found::Unreadable);
    }
}
