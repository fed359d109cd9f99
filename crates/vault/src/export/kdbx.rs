//! KeePass KDBX 4 export (placeholder until the writer lands).

use super::ExportError;
use crate::KdfParams;
use crate::model::Vault;
use crate::secret::SecretText;

pub fn write(vault: &Vault, password: &SecretText, kdf: KdfParams) -> Result<Vec<u8>, ExportError> {
    let _ = (vault, password, kdf);
    Err(ExportError::Kdbx { detail: "not written yet".into() })
}
