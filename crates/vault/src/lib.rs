//! CRM Vault core: every rule of the product lives here, with no UI and no Tauri.
//!
//! - [`model`]: the vault, its entries, and the clocks that let two copies merge later.
//! - [`crypto`]: key derivation, key wrapping, authenticated encryption, secret types.
//! - [`format`]: the bytes of a `.crmvault` file (spec in `docs/FORMAT.md`).
//! - [`store`]: files on disk: atomic saves, backups, the save lock.
//! - [`find`], [`generate`], [`import`]: looking entries up, making passwords, reading other managers' CSV.

pub mod clock;
pub mod crypto;
pub mod device;
pub mod find;
pub mod format;
pub mod generate;
pub mod health;
pub mod import;
pub mod local;
pub mod model;
pub mod quick_unlock;
pub mod secret;
pub mod store;
pub mod strength;
pub mod totp;

pub use clock::{Clock, DeviceId, Hlc, SystemClock};
pub use crypto::KdfParams;
pub use model::{Author, CustomField, Entry, EntryEdit, EntryId, NewEntry, Vault};
pub use secret::{MasterPassword, SecretText};
pub use store::VaultFile;
