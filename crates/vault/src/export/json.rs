//! Our own encrypted JSON export: a whole vault, clocks and history included, readable back by
//! `import` (see docs/FORMAT.md, "Export file").

/// The `format` member that names the file.
pub const FORMAT_NAME: &str = "crm-vault-export";

/// Placeholder until the writer lands.
pub fn write(
    vault: &crate::model::Vault,
    password: &crate::secret::SecretText,
    kdf: crate::KdfParams,
) -> Result<Vec<u8>, super::ExportError> {
    let _ = (vault, password, kdf);
    Err(super::ExportError::Encrypt)
}
