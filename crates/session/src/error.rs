//! Core errors as the page receives them: a stable code the UI translates, and an English
//! message as a fallback.

use vault::format::ReadError;
use vault::quick_unlock::{EnableError, KeyStoreError, PeriodError, PinFormatError, QuickUnlockError};
use vault::store::{OpenError, SaveError};
use vault::totp::{ImportError, QrError, TotpError};

use crate::view::IpcError;

pub type Result<T> = std::result::Result<T, IpcError>;

pub fn error(code: &str, message: impl std::fmt::Display) -> IpcError {
    IpcError { code: code.to_owned(), message: message.to_string() }
}

pub fn locked() -> IpcError {
    error("locked", "the vault is locked")
}

pub fn not_found() -> IpcError {
    error("not-found", "no such entry")
}

pub fn from_read(err: ReadError) -> IpcError {
    let code = match err {
        ReadError::WrongPassword => "wrong-password",
        ReadError::UnsupportedVersion(_) | ReadError::UnsupportedKdf(_) => "unsupported",
        ReadError::NotAVault => "not-a-vault",
        ReadError::KeyChanged(_) => "password-changed-elsewhere",
        _ => "damaged",
    };
    error(code, err)
}

pub fn from_open(err: OpenError) -> IpcError {
    match err {
        OpenError::Read(read) => from_read(read),
        OpenError::Save(save) => from_save(save),
        OpenError::NotFound(_) => error("no-vault", err),
        OpenError::TooLarge(_) => error("too-large", err),
        other => error("io", other),
    }
}

pub fn from_save(err: SaveError) -> IpcError {
    let code = match err {
        SaveError::OtherVaultOnDisk(_) => "other-vault-on-disk",
        SaveError::PasswordChangedElsewhere { .. } => "password-changed-elsewhere",
        SaveError::UnreadableOnDisk { .. } => "unreadable-on-disk",
        SaveError::Merge(_) => "different-vaults",
        SaveError::Busy => "busy",
        SaveError::DiskFull => "disk-full",
        SaveError::ReadOnly => "read-only",
        SaveError::AlreadyExists(_) => "exists",
        SaveError::Kdf(_) => "kdf-range",
        SaveError::TooLarge(_) => "too-large",
        SaveError::LinkRefused(_) => "link-refused",
        _ => "io",
    };
    error(code, err)
}

pub fn from_keyring(err: KeyStoreError) -> IpcError {
    error("no-keyring", err)
}

pub fn from_quick_unlock(err: QuickUnlockError) -> IpcError {
    let code = match err {
        QuickUnlockError::WrongPin { attempts_left: 1.. } => "wrong-pin",
        QuickUnlockError::WrongPin { .. } | QuickUnlockError::TooManyFailures => "quick-unlock-too-many",
        QuickUnlockError::Expired => "quick-unlock-expired",
        QuickUnlockError::Rebooted => "quick-unlock-rebooted",
        QuickUnlockError::Ended | QuickUnlockError::PeriodOutOfRange => "quick-unlock-ended",
        QuickUnlockError::KeyStore(_) => "no-keyring",
        _ => "quick-unlock-unavailable",
    };
    error(code, err)
}

pub fn from_enable_quick_unlock(err: EnableError) -> IpcError {
    match err {
        EnableError::KeyStore(err) => from_keyring(err),
        other => error("quick-unlock-unavailable", other),
    }
}

pub fn from_pin(err: PinFormatError) -> IpcError {
    error("invalid-pin", err)
}

pub fn from_period(err: PeriodError) -> IpcError {
    error("quick-unlock-period", err)
}

pub fn from_generate(err: vault::generate::GenerateError) -> IpcError {
    use vault::generate::GenerateError as E;
    let code = match err {
        E::Length { .. } => "generate-length",
        E::NoCharacters => "generate-no-characters",
        E::TooShortForClasses { .. } => "generate-too-short",
        E::NotASymbol(_) => "generate-not-a-symbol",
        E::WordCount { .. } => "generate-word-count",
        E::Separator => "generate-separator",
        _ => "invalid",
    };
    error(code, err)
}

pub fn from_rules(err: &vault::generate::RulesError) -> IpcError {
    use vault::generate::RulesError as E;
    let code = match err {
        E::MinAboveMax { .. } => "rules-min-above-max",
        E::MaxLength { .. } => "rules-max-length",
        E::SymbolsRequiredButNone => "rules-symbols-required",
        E::NotASymbol(_) => "rules-not-a-symbol",
        _ => "invalid",
    };
    error(code, err)
}

/// A TOTP setup that cannot be used; the message never holds the secret.
pub fn from_totp(err: TotpError) -> IpcError {
    let code = match err {
        TotpError::NotOtpauth => "totp-not-otpauth",
        TotpError::Hotp => "totp-hotp",
        TotpError::UnknownType => "totp-unknown-type",
        TotpError::MissingSecret => "totp-missing-secret",
        TotpError::InvalidBase32 => "totp-invalid-base32",
        TotpError::Base32Length => "totp-base32-length",
        TotpError::SecretTooShort => "totp-secret-too-short",
        TotpError::UnsupportedAlgorithm(_) => "totp-algorithm",
        TotpError::UnsupportedEncoder(_) => "totp-encoder",
        TotpError::Digits => "totp-digits",
        TotpError::Period => "totp-period",
        TotpError::BadEscape => "totp-bad-escape",
    };
    error(code, err)
}

pub fn from_qr(err: QrError) -> IpcError {
    let code = match err {
        QrError::NotAnImage => "qr-not-an-image",
        QrError::DamagedImage => "qr-damaged",
        QrError::TooLarge | QrError::FileTooLarge => "qr-too-large",
        QrError::PictureNotReadable => "qr-damaged",
        QrError::BadPixelData => "qr-bad-pixels",
        QrError::NoQrCode => "qr-none",
        QrError::Unreadable => "qr-unreadable",
        QrError::TooLong => "qr-too-long",
    };
    error(code, err)
}

pub fn from_import(err: ImportError) -> IpcError {
    match err {
        ImportError::Qr(qr) => from_qr(qr),
        ImportError::Link(link) => from_totp(link),
    }
}
