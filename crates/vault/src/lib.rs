//! CRM Vault core: the vault, its file and every rule about the data, with no UI and no Tauri.
//! The use cases the front ends call (and the rules about their input) are the session layer's
//! (`crates/session`).
//!
//! Modules:
//! - [`activity`]: the activity log inside the vault, and failed unlocks waiting on this laptop.
//! - [`model`]: the vault, its entries and settings (with their ranges), and merging two copies.
//! - [`company`]: the company password policy IT places on the computer, and the accounts list
//!   for IT.
//! - [`clock`]: the hybrid logical clocks every field carries, so copies merge field by field.
//! - [`device`]: this laptop's id and name, which sign every write.
//! - [`crypto`]: key derivation, key wrapping, authenticated encryption.
//! - [`secret`]: secret text, wiped on drop and never shown by `Debug`.
//! - [`format`]: the bytes of a `.crmvault` file (spec in `docs/FORMAT.md`).
//! - [`store`]: files on disk: atomic saves, backups, the save lock, merging a copy saved meanwhile.
//! - [`local`]: what this device remembers outside the vault (which vault, failed attempts,
//!   quick unlock).
//! - [`quick_unlock`]: unlocking with a PIN for a while, the vault key sealed by the keyring.
//! - [`find`]: looking entries up by title, user name, URL and tag (and Han text by pinyin).
//! - [`order`]: the orders a listing can take: by name (pinyin for Han, numbers as numbers),
//!   recently used, recently changed.
//! - [`generate`]: making passwords and passphrases, and an entry's password rules.
//! - [`handover`]: lending entries to a colleague for a while in a `.crmhandover` file.
//! - [`strength`]: how hard a password is to guess (zxcvbn).
//! - [`health`]: the security report (weak, reused, old, breached passwords).
//! - [`import`]: reading other password managers' CSV exports.
//! - [`totp`]: one-time codes, otpauth:// links and QR codes.
//! - [`autofill`]: which login pages may be filled (origins), auto-type sequences, and which
//!   entries fit the focused window.

pub mod activity;
pub mod autofill;
pub mod clock;
pub mod company;
pub mod crypto;
pub mod device;
pub mod export;
pub mod find;
pub mod format;
pub mod generate;
pub mod handover;
pub mod health;
pub mod import;
pub mod local;
pub mod model;
pub mod order;
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
