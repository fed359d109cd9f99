//! Auto-type: typing an entry into another program's window, as KeePassXC does. This module
//! holds the rules only (what a sequence means, which entries fit a window); the typing itself
//! belongs to the desktop app.
//!
//! - [`sequence`]: auto-type sequences (`{USERNAME}{TAB}{PASSWORD}{ENTER}`): parsing, checking,
//!   and putting an entry's values in.
//! - [`window`]: which entries fit the focused window, by title, window pattern or URL host.

pub mod sequence;
pub mod window;
