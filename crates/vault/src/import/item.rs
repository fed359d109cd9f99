//! Small pieces the item-based readers (Bitwarden JSON, 1Password 1PUX) share: those sources
//! hold one JSON object per item, unlike CSV rows.

use crate::model::CustomField;
use crate::secret::SecretText;
use crate::totp::Totp;

/// Adds a custom field, renaming it "name (2)", "name (3)"... when the item already has one of
/// that name: an entry holds fields by name, and a second one would silently replace the first.
pub(super) fn push_field(fields: &mut Vec<(String, CustomField)>, name: &str, value: &str, hidden: bool) {
    let base = match name.trim() {
        "" => "Field",
        name => name,
    };
    let mut candidate = base.to_owned();
    let mut n = 1;
    while fields.iter().any(|(existing, _)| *existing == candidate) {
        n += 1;
        candidate = format!("{base} ({n})");
    }
    fields.push((candidate, CustomField { value: SecretText::new(value), hidden }));
}

/// An item's one-time-code setup as the otpauth:// link entries hold, from a link or a bare
/// base32 key (which gets the entry's title and user name as issuer and account, so an
/// authenticator shows where it belongs). `None` when it cannot be read: the entry is then
/// imported without it, and the preview says so.
pub(super) fn totp_uri(text: &str, title: &str, username: &str) -> Option<SecretText> {
    let totp = Totp::parse(text).ok()?;
    let totp = if text.contains("://") {
        totp
    } else {
        let named = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        totp.with_issuer(named(title)).with_account(named(username))
    };
    Some(totp.to_uri())
}

/// Milliseconds since the Unix epoch of an RFC 3339 time ("2024-01-30T14:09:33.753Z"), or
/// `None` for a missing, unreadable or pre-1970 time: the import then uses "now".
pub(super) fn rfc3339_ms(text: Option<&str>) -> Option<u64> {
    let time = chrono::DateTime::parse_from_rfc3339(text?.trim()).ok()?;
    u64::try_from(time.timestamp_millis()).ok()
}

/// Milliseconds of a time in whole seconds since the epoch, as 1Password writes them.
pub(super) fn seconds_ms(seconds: Option<i64>) -> Option<u64> {
    u64::try_from(seconds?).ok().filter(|s| *s > 0)?.checked_mul(1000)
}

/// What is wrong with JSON that did not read as the export, by place only: serde's own message
/// can quote the value it did not expect, which may be a password.
pub(super) fn json_problem(err: &serde_json::Error) -> String {
    let at = format!("line {}, column {}", err.line(), err.column());
    match err.classify() {
        serde_json::error::Category::Eof => format!("it is cut short ({at})"),
        serde_json::error::Category::Data => format!("a member holds another kind of value than expected ({at})"),
        _ => format!("it is not valid JSON ({at})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_the_same_name_are_all_kept() {
        let mut fields = Vec::new();
        push_field(&mut fields, "PIN", "1", true);
        push_field(&mut fields, "PIN", "2", false);
        push_field(&mut fields, " ", "3", false);
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["PIN", "PIN (2)", "Field"]);
    }

    #[test]
    fn a_bare_key_becomes_a_link_naming_the_entry() {
        let uri = totp_uri("JBSW Y3DP EHPK 3PXP", "纷享销客", "li@example.com").unwrap();
        let totp = Totp::parse(uri.expose()).unwrap();
        assert_eq!((totp.issuer(), totp.account()), (Some("纷享销客"), Some("li@example.com")));
        assert!(totp_uri("not a key", "t", "u").is_none());
    }

    #[test]
    fn times() {
        assert_eq!(rfc3339_ms(Some("2024-01-30T14:09:33.753Z")), Some(1_706_623_773_753));
        assert_eq!(rfc3339_ms(Some("yesterday")), None);
        assert_eq!(rfc3339_ms(Some("1960-01-01T00:00:00Z")), None);
        assert_eq!(seconds_ms(Some(1_585_333_569)), Some(1_585_333_569_000));
        assert_eq!(seconds_ms(Some(-5)), None);
    }
}
