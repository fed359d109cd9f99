//! Autofill: putting an entry's user name, password and one-time code into a CRM's login page
//! shown in a window of the app's own, and the rules that decide whether that page may have them.
//!
//! - [`origin`]: which page may be filled: its origin (scheme, host, port) must be one of the
//!   entry's sites, in the top-level document, over https (plain http only after a warning).

pub mod origin;
