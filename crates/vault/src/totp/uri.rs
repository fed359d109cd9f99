//! otpauth:// links (Google Authenticator's "Key Uri Format") as real sites and apps write them.
//!
//! The format is loosely specified and loosely followed, so the reader is forgiving wherever the
//! meaning is still clear, and strict where a guess could give wrong codes:
//!
//! - the issuer may be in the query, in the label prefix `Issuer:account`, in both, or absent;
//! - label and query are %-encoded, a `+` in the query means a space (form encoding);
//! - query keys in any case and order; unknown keys (`image=`, `color=`) are ignored;
//! - the secret in any case, with or without `=` padding, with spaces or hyphens for readability;
//! - `algorithm=sha256` or `SHA-256`; empty values mean the default;
//! - Steam Guard as KeePassXC writes it (`encoder=steam`), as Aegis does (`otpauth://steam/`), as
//!   `steam://SECRET`, and as Steam Desktop Authenticator does (`issuer=Steam`, no `digits`);
//! - a bare base32 key: what a site shows under "can't scan the code?".
//!
//! Counter-based `otpauth://hotp/` links are refused: the product shows time-based codes, and a
//! counter kept in a synced vault would go wrong as soon as two laptops both used it.

use data_encoding::{BASE32_NOPAD, DecodeKind, Encoding};
use std::sync::LazyLock;
use zeroize::Zeroizing;

use super::{Algorithm, Kind, Totp, TotpError};
use crate::SecretText;

/// A bare key shorter than this (80 bits) is more likely a stray word than a secret.
const MIN_BARE_KEY_CHARS: usize = 16;

/// Reads an otpauth:// link, a `steam://` link, or a bare base32 key (as a standard SHA1, 6 digit,
/// 30 second TOTP).
pub fn parse(text: &str) -> Result<Totp, TotpError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TotpError::MissingSecret);
    }
    match text.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("otpauth") => parse_otpauth(rest),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("steam") => {
            let secret = decode_component(rest.trim_end_matches('/'), false)?;
            Ok(Totp::new(decode_base32(&secret)?, Kind::Steam)?.with_issuer(Some("Steam".to_owned())))
        }
        Some(_) => Err(TotpError::NotOtpauth),
        // `mailto:`, `otpauth:totp/...` and other text with a colon: a link, but not one we read.
        None if text.contains(':') => Err(TotpError::NotOtpauth),
        None => {
            let secret = normalize_base32(text)?;
            if secret.len() < MIN_BARE_KEY_CHARS {
                return Err(TotpError::SecretTooShort);
            }
            Totp::new(decode_normalized(&secret)?, Kind::DEFAULT)
        }
    }
}

/// The parameters of an otpauth:// query we read; the first of a repeated key wins.
#[derive(Default)]
struct Query {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    encoder: Option<String>,
}

fn parse_otpauth(rest: &str) -> Result<Totp, TotpError> {
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind, label) = path.split_once('/').unwrap_or((path, ""));
    let steam_type = match kind.to_ascii_lowercase().as_str() {
        "totp" => false,
        "steam" => true,
        "hotp" => return Err(TotpError::Hotp),
        _ => return Err(TotpError::UnknownType),
    };

    let mut q = Query::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode_component(key, true)?.to_ascii_lowercase();
        let value = decode_component(value, true)?;
        let slot = match key.as_str() {
            "secret" => {
                q.secret.get_or_insert(value);
                continue;
            }
            "issuer" => &mut q.issuer,
            "algorithm" => &mut q.algorithm,
            "digits" => &mut q.digits,
            "period" => &mut q.period,
            "encoder" => &mut q.encoder,
            _ => continue,
        };
        let value = value.trim();
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_owned());
        }
    }

    let secret = q.secret.filter(|s| !s.trim().is_empty()).ok_or(TotpError::MissingSecret)?;
    let secret = decode_base32(&secret)?;
    let (issuer, account) = split_label(&decode_component(label, false)?, q.issuer.as_deref());

    let kind = match q.encoder.as_deref() {
        Some(encoder) if encoder.eq_ignore_ascii_case("steam") => Kind::Steam,
        Some(other) => return Err(TotpError::UnsupportedEncoder(shorten(other))),
        // Steam Desktop Authenticator writes plain TOTP links for Steam; Steam never uses digits.
        None if steam_type || (issuer.as_deref().is_some_and(is_steam) && q.digits.is_none()) => Kind::Steam,
        None => Kind::Standard {
            algorithm: q.algorithm.as_deref().map_or(Ok(Algorithm::Sha1), parse_algorithm)?,
            digits: q.digits.as_deref().map_or(Ok(6), |d| d.parse().map_err(|_| TotpError::Digits))?,
            period: q.period.as_deref().map_or(Ok(30), |p| p.parse().map_err(|_| TotpError::Period))?,
        },
    };
    Ok(Totp::new(secret, kind)?.with_issuer(issuer).with_account(account))
}

/// Splits a decoded label into issuer and account. The query's issuer wins over the label's
/// prefix (Google's format says so); when it is given, it is also stripped as a whole from the
/// label, so an issuer that itself holds a colon is not cut in two.
fn split_label(label: &str, query_issuer: Option<&str>) -> (Option<String>, Option<String>) {
    let label = label.trim();
    let (prefix, account) = match query_issuer {
        Some(issuer) if label == issuer => (None, ""),
        Some(issuer) if label.strip_prefix(issuer).is_some_and(|r| r.starts_with(':')) => {
            (None, &label[issuer.len() + 1..])
        }
        _ => match label.split_once(':') {
            Some((prefix, account)) => (Some(prefix.trim()), account),
            None => (None, label),
        },
    };
    let issuer = query_issuer.or(prefix).filter(|s| !s.is_empty()).map(str::to_owned);
    let account = Some(account.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
    (issuer, account)
}

fn is_steam(issuer: &str) -> bool {
    issuer.eq_ignore_ascii_case("steam")
}

fn parse_algorithm(name: &str) -> Result<Algorithm, TotpError> {
    let plain: String = name.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_uppercase();
    match plain.strip_prefix("HMAC").unwrap_or(&plain) {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(TotpError::UnsupportedAlgorithm(shorten(name))),
    }
}

/// Keeps a value quoted in an error message short and on one line.
fn shorten(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(24).collect()
}

/// The canonical link: `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=...&digits=...&period=...`,
/// the secret upper-case base32 without padding; Steam adds `encoder=steam` as KeePassXC does.
pub(super) fn write(totp: &Totp) -> SecretText {
    let label = match (totp.issuer(), totp.account()) {
        (Some(issuer), Some(account)) => format!("{}:{}", encode(issuer), encode(account)),
        (Some(issuer), None) => encode(issuer),
        // A leading colon says "no issuer", so an account holding a colon reads back whole.
        (None, Some(account)) if account.contains(':') => format!(":{}", encode(account)),
        (None, Some(account)) => encode(account),
        (None, None) => String::new(),
    };
    let issuer = totp.issuer().map(encode);
    let secret_len = BASE32_NOPAD.encode_len(totp.secret().len());
    // Sized up front so that no partial copy of the secret is left behind by a reallocation.
    let capacity = 128 + label.len() + secret_len + issuer.as_ref().map_or(0, String::len);
    let mut link = Zeroizing::new(String::with_capacity(capacity));
    link.push_str("otpauth://totp/");
    link.push_str(&label);
    link.push_str("?secret=");
    BASE32_NOPAD.encode_append(totp.secret(), &mut link);
    if let Some(issuer) = issuer {
        link.push_str("&issuer=");
        link.push_str(&issuer);
    }
    link.push_str(&format!("&algorithm={}&digits={}&period={}", totp.algorithm().name(), totp.digits(), totp.period()));
    if totp.kind() == Kind::Steam {
        link.push_str("&encoder=steam");
    }
    SecretText::new(link.as_str())
}

/// %-encodes all but RFC 3986's unreserved characters and `@` (common in account names and
/// legal in both path and query).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes %-escapes; in a query, `+` is a space. A broken escape is an error rather than a guess.
fn decode_component(text: &str, plus_is_space: bool) -> Result<Zeroizing<String>, TotpError> {
    let bytes = text.as_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(TotpError::BadEscape)?;
                let hex = std::str::from_utf8(hex).map_err(|_| TotpError::BadEscape)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| TotpError::BadEscape)?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    let text = std::str::from_utf8(&out).map_err(|_| TotpError::BadEscape)?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Upper-cases and drops what people and sites add for readability (spaces, hyphens) and the
/// `=` padding, then checks the alphabet.
fn normalize_base32(text: &str) -> Result<Zeroizing<String>, TotpError> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        match c.to_ascii_uppercase() {
            c @ ('A'..='Z' | '2'..='7') => out.push(c),
            '=' => {}
            _ => return Err(TotpError::InvalidBase32),
        }
    }
    // Padding belongs at the end only.
    let unpadded = text.trim_end().trim_end_matches('=');
    if unpadded.contains('=') {
        return Err(TotpError::InvalidBase32);
    }
    Ok(out)
}

fn decode_base32(text: &str) -> Result<Zeroizing<Vec<u8>>, TotpError> {
    let normalized = normalize_base32(text)?;
    if normalized.is_empty() {
        return Err(TotpError::MissingSecret);
    }
    decode_normalized(&normalized)
}

/// Sites do not always zero the unused low bits of the last character, and authenticator apps
/// accept that, so we do too.
static BASE32_LENIENT: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = BASE32_NOPAD.specification();
    spec.check_trailing_bits = false;
    spec.encoding().expect("a valid base32 specification")
});

fn decode_normalized(normalized: &str) -> Result<Zeroizing<Vec<u8>>, TotpError> {
    BASE32_LENIENT.decode(normalized.as_bytes()).map(Zeroizing::new).map_err(|err| match err.kind {
        DecodeKind::Length | DecodeKind::Trailing | DecodeKind::Padding => TotpError::Base32Length,
        DecodeKind::Symbol => TotpError::InvalidBase32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(decode_component("a%20b+c", true).unwrap().as_str(), "a b c");
        assert_eq!(decode_component("a%20b+c", false).unwrap().as_str(), "a b+c");
        assert_eq!(decode_component("%E4%B8%AD", false).unwrap().as_str(), "中");
        assert_eq!(decode_component("50%", false), Err(TotpError::BadEscape));
        assert_eq!(decode_component("%zz", false), Err(TotpError::BadEscape));
        assert_eq!(decode_component("%FF", false), Err(TotpError::BadEscape));
    }

    #[test]
    fn encoding_round_trips() {
        for text in ["ACME Co", "a:b", "中文 & 50% + more", "john+tag@example.com", "?#/="] {
            assert_eq!(decode_component(&encode(text), true).unwrap().as_str(), text);
        }
    }

    #[test]
    fn base32_normalization() {
        assert_eq!(normalize_base32("jbsw y3dp-ehpk 3pxp").unwrap().as_str(), "JBSWY3DPEHPK3PXP");
        assert_eq!(normalize_base32("HXDMVJECJJWSRBY=").unwrap().as_str(), "HXDMVJECJJWSRBY");
        assert_eq!(normalize_base32("AB=CD"), Err(TotpError::InvalidBase32));
        assert_eq!(normalize_base32("AB1C"), Err(TotpError::InvalidBase32));
        assert_eq!(decode_normalized("ABC"), Err(TotpError::Base32Length));
        // Non-zero trailing bits are accepted: "B" ends in bits that "A" would leave zero.
        assert_eq!(decode_normalized("AB").unwrap(), decode_normalized("AA").unwrap());
    }

    #[test]
    fn labels() {
        let split = |label: &str, issuer: Option<&str>| split_label(label, issuer);
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(split("ACME:john", None), (some("ACME"), some("john")));
        assert_eq!(split("ACME: john", Some("ACME")), (some("ACME"), some("john")));
        assert_eq!(split("Old:john", Some("New")), (some("New"), some("john")));
        assert_eq!(split("john", Some("ACME")), (some("ACME"), some("john")));
        assert_eq!(split("ACME", Some("ACME")), (some("ACME"), None));
        assert_eq!(split("A:B:john", Some("A:B")), (some("A:B"), some("john")));
        assert_eq!(split(":a:b", None), (None, some("a:b")));
        assert_eq!(split("", None), (None, None));
    }
}
