//! Taking a vault out to other programs (KeePass's KDBX, Bitwarden's CSV) and to our own
//! encrypted JSON, so that no one is locked in.

pub mod csv;
pub mod json;
pub mod kdbx;

use thiserror::Error;

/// Why an export could not be made. Nothing is written when this is returned.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("the export's password is empty; an encrypted export needs one")]
    NoPassword,
    #[error("could not write the KeePass file: {detail}")]
    Kdbx { detail: String },
    #[error("could not encrypt the export")]
    Encrypt,
}
