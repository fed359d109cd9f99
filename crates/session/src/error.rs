//! Core errors as the page receives them: a stable code the UI translates, and an English
//! message as a fallback.

use vault::format::ReadError;
use vault::quick_unlock::{EnableError, KeyStoreError, PeriodError, PinFormatError, QuickUnlockError};
use vault::store::{OpenError, SaveError};
use vault::totp::{ImportError, QrError, TotpError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::view::IpcError;

/// Declares [`ErrorCode`] and [`ErrorCode::ALL`] from one list, so the list cannot miss a code.
macro_rules! error_codes {
    ($($code:ident,)*) => {
        /// Every way a use case can fail, as the page, the command line and scripts see it. On the
        /// wire each is its kebab-case name ("wrong-password"); the UI's message tables are typed
        /// by this enum (exported to TypeScript), so a code without a translation fails the UI's
        /// type check. New codes may be added: front ends keep a fallback for one they do not know.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "kebab-case")]
        #[ts(export)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($code,)*
        }

        impl ErrorCode {
            /// Every code, for front ends that map each one (exit codes, hints) and their tests.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$code,)*];
        }
    };
}

error_codes! {
    WrongPassword,
    Unsupported,
    NotAVault,
    PasswordChangedElsewhere,
    Damaged,
    NoVault,
    TooLarge,
    Io,
    OtherVaultOnDisk,
    UnreadableOnDisk,
    DifferentVaults,
    Busy,
    DiskFull,
    ReadOnly,
    Exists,
    KdfRange,
    LinkRefused,
    FileMissing,
    Locked,
    NotFound,
    Invalid,
    InvalidDate,
    AlsoFillOnInvalid,
    AutotypeSequence,
    AutotypeWindow,
    NoKeyring,
    WrongPin,
    InvalidPin,
    QuickUnlockTooMany,
    QuickUnlockExpired,
    QuickUnlockRebooted,
    QuickUnlockEnded,
    QuickUnlockUnavailable,
    QuickUnlockKeySlot,
    QuickUnlockStale,
    QuickUnlockPeriod,
    GenerateLength,
    GenerateNoCharacters,
    GenerateTooShort,
    GenerateNotASymbol,
    GenerateWordCount,
    GenerateSeparator,
    RulesMinAboveMax,
    RulesMaxLength,
    RulesSymbolsRequired,
    RulesNotASymbol,
    TotpNotOtpauth,
    TotpHotp,
    TotpUnknownType,
    TotpMissingSecret,
    TotpInvalidBase32,
    TotpBase32Length,
    TotpSecretTooShort,
    TotpAlgorithm,
    TotpEncoder,
    TotpDigits,
    TotpPeriod,
    TotpBadEscape,
    TotpExpired,
    NoTotp,
    QrNotAnImage,
    QrDamaged,
    QrTooLarge,
    QrBadPixels,
    QrNone,
    QrUnreadable,
    QrTooLong,
    Clipboard,
    ClipboardNoImage,
    CopyNeedsPassword,
    CopyWrongPassword,
    CopyNotMergeable,
    HibpEmpty,
    HibpNtlm,
    HibpMalformed,
    HibpNotSorted,
    HibpUnreadable,
    AmbiguousEntry,
    NoLoginAddress,
    NoBrowser,
    AutotypeNeedsX11,
    AutotypeFailed,
    AutotypeNoWindow,
    AutotypeFocusMoved,
    AutotypeShortcut,
    HandoverNotAFile,
    HandoverUnsupported,
    HandoverDamaged,
    HandoverTampered,
    HandoverWrongPassphrase,
    HandoverExpired,
    HandoverDuration,
    HandoverNoEntries,
    HandoverHandedOn,
    HandoverWeakPassphrase,
    HandoverNoTagged,
    HandedOverReadOnly,
    PolicyForbids,
    PolicyMalformed,
    DamagedNoBackup,
    ImportNeedsPassword,
    ImportWrongPassword,
    ImportDamaged,
    ImportTooLarge,
    ImportWrongShape,
    ImportUnsupported,
    ImportCsv,
    ImportExpired,
    ExportNeedsPassword,
    ExportNeedsConfirmation,
    ExportFailed,
}

impl ErrorCode {
    /// The code's wire name ("wrong-password"), as the page and `--json` output receive it.
    pub fn as_str(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => unreachable!("a unit variant serialises as its name"),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

pub type Result<T> = std::result::Result<T, IpcError>;

pub fn error(code: ErrorCode, message: impl std::fmt::Display) -> IpcError {
    IpcError { code, message: message.to_string(), position: None }
}

pub fn locked() -> IpcError {
    error(ErrorCode::Locked, "the vault is locked")
}

pub fn not_found() -> IpcError {
    error(ErrorCode::NotFound, "no such entry")
}

pub fn from_read(err: ReadError) -> IpcError {
    let code = match err {
        ReadError::WrongPassword => ErrorCode::WrongPassword,
        ReadError::UnsupportedVersion(_) | ReadError::UnsupportedKdf(_) => ErrorCode::Unsupported,
        ReadError::NotAVault => ErrorCode::NotAVault,
        ReadError::KeyChanged(_) => ErrorCode::PasswordChangedElsewhere,
        _ => ErrorCode::Damaged,
    };
    error(code, err)
}

pub fn from_open(err: OpenError) -> IpcError {
    match err {
        OpenError::Read(read) => from_read(read),
        OpenError::Save(save) => from_save(save),
        OpenError::NotFound(_) => error(ErrorCode::NoVault, err),
        OpenError::TooLarge(_) => error(ErrorCode::TooLarge, err),
        other => error(ErrorCode::Io, other),
    }
}

pub fn from_save(err: SaveError) -> IpcError {
    let code = match err {
        SaveError::OtherVaultOnDisk(_) => ErrorCode::OtherVaultOnDisk,
        SaveError::PasswordChangedElsewhere { .. } => ErrorCode::PasswordChangedElsewhere,
        SaveError::UnreadableOnDisk { .. } => ErrorCode::UnreadableOnDisk,
        SaveError::Merge(_) => ErrorCode::DifferentVaults,
        SaveError::Busy => ErrorCode::Busy,
        SaveError::DiskFull => ErrorCode::DiskFull,
        SaveError::ReadOnly => ErrorCode::ReadOnly,
        SaveError::AlreadyExists(_) => ErrorCode::Exists,
        SaveError::Kdf(_) => ErrorCode::KdfRange,
        SaveError::TooLarge(_) => ErrorCode::TooLarge,
        SaveError::LinkRefused(_) => ErrorCode::LinkRefused,
        _ => ErrorCode::Io,
    };
    error(code, err)
}

pub fn from_keyring(err: KeyStoreError) -> IpcError {
    error(ErrorCode::NoKeyring, err)
}

pub fn from_quick_unlock(err: QuickUnlockError) -> IpcError {
    let code = match err {
        QuickUnlockError::WrongPin { attempts_left: 1.. } => ErrorCode::WrongPin,
        QuickUnlockError::WrongPin { .. } | QuickUnlockError::TooManyFailures => ErrorCode::QuickUnlockTooMany,
        QuickUnlockError::Expired => ErrorCode::QuickUnlockExpired,
        QuickUnlockError::Rebooted => ErrorCode::QuickUnlockRebooted,
        QuickUnlockError::Ended | QuickUnlockError::PeriodOutOfRange => ErrorCode::QuickUnlockEnded,
        QuickUnlockError::KeyStore(_) => ErrorCode::NoKeyring,
        _ => ErrorCode::QuickUnlockUnavailable,
    };
    error(code, err)
}

pub fn from_enable_quick_unlock(err: EnableError) -> IpcError {
    match err {
        EnableError::KeyStore(err) => from_keyring(err),
        other => error(ErrorCode::QuickUnlockUnavailable, other),
    }
}

pub fn from_pin(err: PinFormatError) -> IpcError {
    error(ErrorCode::InvalidPin, err)
}

pub fn from_period(err: PeriodError) -> IpcError {
    error(ErrorCode::QuickUnlockPeriod, err)
}

pub fn from_generate(err: vault::generate::GenerateError) -> IpcError {
    use vault::generate::GenerateError as E;
    let code = match err {
        E::Length { .. } => ErrorCode::GenerateLength,
        E::NoCharacters => ErrorCode::GenerateNoCharacters,
        E::TooShortForClasses { .. } => ErrorCode::GenerateTooShort,
        E::NotASymbol(_) => ErrorCode::GenerateNotASymbol,
        E::WordCount { .. } => ErrorCode::GenerateWordCount,
        E::Separator => ErrorCode::GenerateSeparator,
        _ => ErrorCode::Invalid,
    };
    error(code, err)
}

pub fn from_rules(err: &vault::generate::RulesError) -> IpcError {
    use vault::generate::RulesError as E;
    let code = match err {
        E::MinAboveMax { .. } => ErrorCode::RulesMinAboveMax,
        E::MaxLength { .. } => ErrorCode::RulesMaxLength,
        E::SymbolsRequiredButNone => ErrorCode::RulesSymbolsRequired,
        E::NotASymbol(_) => ErrorCode::RulesNotASymbol,
        _ => ErrorCode::Invalid,
    };
    error(code, err)
}

/// An "also fill on" site that names no web site.
pub fn from_site(err: vault::autofill::settings::SiteError) -> IpcError {
    error(ErrorCode::AlsoFillOnInvalid, err)
}

/// A malformed auto-type sequence, with the character the mistake is at.
pub fn from_sequence(err: vault::autofill::sequence::SequenceError) -> IpcError {
    let position = u32::try_from(err.position()).ok();
    IpcError { position, ..error(ErrorCode::AutotypeSequence, format!("the auto-type sequence: {err}")) }
}

pub fn from_window_pattern(err: vault::autofill::window::PatternError) -> IpcError {
    error(ErrorCode::AutotypeWindow, err)
}

/// A TOTP setup that cannot be used; the message never holds the secret.
pub fn from_totp(err: TotpError) -> IpcError {
    let code = match err {
        TotpError::NotOtpauth => ErrorCode::TotpNotOtpauth,
        TotpError::Hotp => ErrorCode::TotpHotp,
        TotpError::UnknownType => ErrorCode::TotpUnknownType,
        TotpError::MissingSecret => ErrorCode::TotpMissingSecret,
        TotpError::InvalidBase32 => ErrorCode::TotpInvalidBase32,
        TotpError::Base32Length => ErrorCode::TotpBase32Length,
        TotpError::SecretTooShort => ErrorCode::TotpSecretTooShort,
        TotpError::UnsupportedAlgorithm(_) => ErrorCode::TotpAlgorithm,
        TotpError::UnsupportedEncoder(_) => ErrorCode::TotpEncoder,
        TotpError::Digits => ErrorCode::TotpDigits,
        TotpError::Period => ErrorCode::TotpPeriod,
        TotpError::BadEscape => ErrorCode::TotpBadEscape,
    };
    error(code, err)
}

pub fn from_qr(err: QrError) -> IpcError {
    let code = match err {
        QrError::NotAnImage => ErrorCode::QrNotAnImage,
        QrError::DamagedImage => ErrorCode::QrDamaged,
        QrError::TooLarge | QrError::FileTooLarge => ErrorCode::QrTooLarge,
        QrError::PictureNotReadable => ErrorCode::QrDamaged,
        QrError::BadPixelData => ErrorCode::QrBadPixels,
        QrError::NoQrCode => ErrorCode::QrNone,
        QrError::Unreadable => ErrorCode::QrUnreadable,
        QrError::TooLong => ErrorCode::QrTooLong,
    };
    error(code, err)
}

/// "Open website" failed: the opener found no program that would start a browser (`xdg-open` and
/// its fallbacks are missing, or each exited with an error because no browser is set up). Whatever
/// the launcher said, the cause the user can act on is the browser, not a file.
pub fn from_open_url(err: impl std::fmt::Display) -> IpcError {
    error(ErrorCode::NoBrowser, format_args!("no web browser could be started: {err}"))
}

pub fn from_import(err: ImportError) -> IpcError {
    match err {
        ImportError::Qr(qr) => from_qr(qr),
        ImportError::Link(link) => from_totp(link),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_crosses_as_its_kebab_case_name_and_back() {
        let mut names = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
            assert_eq!(serde_json::from_value::<ErrorCode>(name.clone().into()).unwrap(), code);
            assert!(names.insert(name.clone()), "{name} twice");
        }
        assert_eq!(ErrorCode::NotAVault.to_string(), "not-a-vault");
        assert_eq!(serde_json::to_value(error(ErrorCode::Locked, "x")).unwrap()["code"], "locked");
    }

    #[test]
    fn a_browser_that_cannot_be_started_is_said_so_not_a_file_error() {
        // What the opener reports when xdg-open finds no browser, and when no launcher exists.
        let exited =
            std::io::Error::other("Launcher \"xdg-open\" \"https://crm.example.com\" failed with exit status: 3");
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        for err in [exited.to_string(), missing.to_string()] {
            let ipc = from_open_url(&err);
            assert_eq!(ipc.code, ErrorCode::NoBrowser);
            assert_ne!(ipc.code, ErrorCode::Io);
            assert_eq!(ipc.code.as_str(), "no-browser");
            assert!(ipc.message.starts_with("no web browser could be started: "), "{}", ipc.message);
            assert!(ipc.message.ends_with(&err), "the launcher's own words are kept: {}", ipc.message);
        }
    }
}
