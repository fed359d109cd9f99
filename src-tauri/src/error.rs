//! Core errors as the page receives them: a stable code the UI translates, and an English
//! message as a fallback.

use vault::format::ReadError;
use vault::quick_unlock::{KeyStoreError, QuickUnlockError};
use vault::store::{OpenError, SaveError};

use crate::ipc::IpcError;

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
        _ => "damaged",
    };
    error(code, err)
}

pub fn from_open(err: OpenError) -> IpcError {
    match err {
        OpenError::Read(read) => from_read(read),
        OpenError::Save(save) => from_save(save),
        OpenError::NotFound(_) => error("no-vault", err),
        other => error("io", other),
    }
}

pub fn from_save(err: SaveError) -> IpcError {
    let code = match err {
        SaveError::OtherVaultOnDisk(_) | SaveError::CopyWithOtherKey(_) => "other-vault-on-disk",
        SaveError::UnreadableOnDisk { .. } => "unreadable-on-disk",
        SaveError::Merge(_) => "different-vaults",
        SaveError::Busy => "busy",
        SaveError::DiskFull => "disk-full",
        SaveError::ReadOnly => "read-only",
        SaveError::AlreadyExists(_) => "exists",
        SaveError::Kdf(_) => "kdf-range",
        _ => "io",
    };
    error(code, err)
}

pub fn from_keyring(err: KeyStoreError) -> IpcError {
    error("no-keyring", err)
}

pub fn from_quick_unlock(err: QuickUnlockError) -> IpcError {
    error("quick-unlock-unavailable", err)
}
