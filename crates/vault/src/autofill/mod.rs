//! Autofill: putting an entry's user name, password and one-time code where the user signs in,
//! and the rules that decide where that may happen. Two ways in: the CRM's login page shown in a
//! window of the app's own (filled only on the entry's own origin), and auto-type into another
//! program's window, as KeePassXC does. This module holds the rules only; showing pages and
//! typing keys belong to the desktop app.
//!
//! - [`origin`]: which page may be filled: its origin (scheme, host, port) must be one of the
//!   entry's sites, in the top-level document, over https (plain http only after a warning).
//! - [`sequence`]: auto-type sequences (`{USERNAME}{TAB}{PASSWORD}{ENTER}`): parsing, checking,
//!   and putting an entry's values in.
//! - [`window`]: which entries fit the focused window, by title, window pattern or URL host.
//! - [`settings`]: an entry's own "also fill on" sites, sequence and window patterns: checked
//!   before they are stored, and read back for the two above.

pub mod origin;
pub mod sequence;
pub mod settings;
pub mod window;
