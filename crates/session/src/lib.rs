//! CRM Vault's session layer: the use cases every front end calls (create, open, unlock, lock,
//! list and search, reveal, save, delete and restore, settings, master password change, the
//! security report, TOTP, the sync tick), with every validation and range in one place. The
//! desktop app (`src-tauri`) and the command line (`crates/cli`) are glue around it; nothing
//! here depends on Tauri.
//!
//! Modules:
//! - [`activity`]: keeping the activity log the same way in every front end (failed unlocks,
//!   notices on unlock).
//! - [`session`]: the [`Session`] (which vault this device opens, whether it is unlocked) and its
//!   use cases, split by subject below it.
//! - [`view`]: what the front ends are given: view types, exported to TypeScript with ts-rs.
//! - [`error`]: every core and session error as one [`error::ErrorCode`] and an English message.
//! - [`policy`]: every validation and range (master-password strength, titles, which addresses
//!   open, settings, quick unlock and generator limits), once for every front end.
//! - [`field`]: which part of an entry a reveal, copy or `show` names.
//! - [`write`]: the one save flow (note this device, save) every front end writes a vault with.
//! - [`desktop`]: this device's desktop-only settings (language, theme, lock on minimise,
//!   generator choice).
//! - [`shared`]: the session shared with the timers, and the slow use cases run without holding it.
//! - [`clipboard`]: the rules for the clipboard a copy goes to (cleared after a while and on
//!   lock); the system clipboard comes in through a trait.
//! - [`tools`]: key-derivation cost measurement and password strength for the settings screens.

pub mod activity;
pub mod clipboard;
pub mod desktop;
pub mod error;
pub mod field;
pub mod launcher;
pub mod login;
pub mod policy;
pub mod session;
pub mod shared;
pub mod tools;
pub mod view;

#[cfg(test)]
mod testing;
pub mod write;

pub use session::Session;
