//! Which format a file is in, told from its content: a user's file names and extensions are not
//! to be trusted (a `.csv` saved by a spreadsheet, a `.json` renamed by a mail gateway).

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::ImportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    Csv,
    Kdbx,
    BitwardenJson,
    /// 1Password's own export: a zip holding `export.data`.
    OnePassword1pux,
    /// Our own export (`crm-vault export --format json`).
    CrmVault,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "kdbx" | "keepass" | "keepassxc" => Ok(Format::Kdbx),
            "bitwarden" | "bitwarden-json" => Ok(Format::BitwardenJson),
            "1pux" | "1password" => Ok(Format::OnePassword1pux),
            "crm-vault" | "json" => Ok(Format::CrmVault),
            other => Err(format!("unknown format \"{other}\": use csv, kdbx, bitwarden-json, 1pux or crm-vault")),
        }
    }
}

const KDBX_SIGNATURE: [u8; 4] = [0x03, 0xd9, 0xa2, 0x9a];
const KDBX2_SIGNATURE: [u8; 4] = [0x67, 0xfb, 0x4b, 0xb5];
const KDB1_SIGNATURE: [u8; 4] = [0x65, 0xfb, 0x4b, 0xb5];
const ZIP_SIGNATURE: [u8; 4] = *b"PK\x03\x04";

/// The top-level members that tell JSON exports apart.
#[derive(Deserialize)]
struct Probe {
    format: Option<String>,
    encrypted: Option<bool>,
    items: Option<IgnoredAny>,
    folders: Option<IgnoredAny>,
    accounts: Option<IgnoredAny>,
}

/// The format of `bytes`.
pub fn detect(bytes: &[u8]) -> Result<Format, ImportError> {
    if bytes.len() >= 8 && bytes[..4] == KDBX_SIGNATURE {
        return match bytes[4..8].try_into().expect("four bytes") {
            KDBX2_SIGNATURE => Ok(Format::Kdbx),
            KDB1_SIGNATURE => Err(ImportError::Unsupported {
                what: "KeePass 1 file (.kdb); open it in KeePassXC and save it as .kdbx first".into(),
            }),
            _ => Err(ImportError::Unsupported { what: "KeePass file version".into() }),
        };
    }
    if bytes.starts_with(&ZIP_SIGNATURE) {
        return Ok(Format::OnePassword1pux);
    }
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if text.trim_ascii_start().starts_with(b"{") {
        let probe: Probe = serde_json::from_slice(text).map_err(|err| ImportError::WrongShape {
            expected: "JSON password",
            detail: format!("it is not readable JSON: {err}"),
        })?;
        if probe.format.as_deref() == Some(crate::export::json::FORMAT_NAME) {
            return Ok(Format::CrmVault);
        }
        if probe.encrypted.is_some() || probe.items.is_some() || probe.folders.is_some() {
            return Ok(Format::BitwardenJson);
        }
        let _ = probe.accounts;
        return Err(ImportError::WrongShape {
            expected: "Bitwarden or CRM Vault",
            detail: "the JSON has none of the members those exports have (\"items\", \"encrypted\", \"format\")".into(),
        });
    }
    // Text with NUL bytes is no CSV: a binary file given by mistake gets a plain answer instead
    // of its bytes read as column names.
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(ImportError::WrongShape {
            expected: "password",
            detail: "it is a binary file of a kind no password manager exports".into(),
        });
    }
    Ok(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(detect(b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5\x01\x00").unwrap(), Format::Kdbx);
        assert!(matches!(detect(b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5"), Err(ImportError::Unsupported { .. })));
        assert_eq!(detect(b"PK\x03\x04rest").unwrap(), Format::OnePassword1pux);
        assert_eq!(detect(br#"{"encrypted": false, "folders": [], "items": []}"#).unwrap(), Format::BitwardenJson);
        assert_eq!(detect(br#"  {"format": "crm-vault-export", "version": 1}"#).unwrap(), Format::CrmVault);
        assert_eq!(detect(b"name,url,username,password\n").unwrap(), Format::Csv);
        assert!(matches!(detect(br#"{"hello": 1}"#), Err(ImportError::WrongShape { .. })));
        assert!(matches!(detect(b"{not json"), Err(ImportError::WrongShape { .. })));
        assert!(matches!(detect(b"\x7fELF\x02\x01\x01\x00\x00"), Err(ImportError::WrongShape { .. })));
    }
}
