//! Our own encrypted JSON export: a whole vault, clocks and history included, readable back by
//! `import` (see docs/FORMAT.md, "Export file").

/// The `format` member that names the file.
pub const FORMAT_NAME: &str = "crm-vault-export";
