//! The connection to the X server auto-type types through.

use std::ffi::OsStr;
use std::fmt;

use x11rb::connection::{Connection as _, RequestConnection as _};
use x11rb::protocol::xtest::{self, ConnectionExt as _};
use x11rb::rust_connection::RustConnection;

use crate::AutoTypeError;

x11rb::atom_manager! {
    pub(crate) Atoms: AtomsCookie {
        _NET_ACTIVE_WINDOW,
        _NET_SUPPORTING_WM_CHECK,
        _NET_WM_NAME,
        _NET_WM_PID,
        UTF8_STRING,
        WM_STATE,
    }
}

/// Types keystrokes into other programs' windows on an X11 display, through the XTEST
/// extension, and tells which window has the focus. One per thread that types; the app can keep
/// one for as long as it runs.
pub struct X11Typist {
    pub(crate) conn: RustConnection,
    pub(crate) root: u32,
    pub(crate) atoms: Atoms,
}

impl fmt::Debug for X11Typist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("X11Typist").field("root", &self.root).finish_non_exhaustive()
    }
}

impl X11Typist {
    /// Connects to the display in `DISPLAY`. Fails with [`AutoTypeError::WaylandOnly`] in a
    /// Wayland session without X11,
    /// with [`AutoTypeError::NoDisplay`] when there is no display at all, and with
    /// [`AutoTypeError::NoXTest`] when the server cannot take fake key presses.
    pub fn connect() -> Result<X11Typist, AutoTypeError> {
        check_session(std::env::var_os("DISPLAY").as_deref(), std::env::var_os("WAYLAND_DISPLAY").as_deref())?;
        let (conn, screen) = x11rb::connect(None).map_err(AutoTypeError::Connect)?;
        if conn.extension_information(xtest::X11_EXTENSION_NAME)?.is_none() {
            return Err(AutoTypeError::NoXTest);
        }
        conn.xtest_get_version(2, 2)?.reply()?;
        let root = conn.setup().roots[screen].root;
        let atoms = Atoms::new(&conn)?.reply()?;
        Ok(X11Typist { conn, root, atoms })
    }

    /// Drops the events the server sent us (mapping changes, errors of unchecked requests):
    /// nothing reads them, and they would pile up in a typist kept for long.
    pub(crate) fn drop_events(&self) -> Result<(), AutoTypeError> {
        while self.conn.poll_for_event()?.is_some() {}
        Ok(())
    }
}

/// Whether the session can have auto-type: a display to connect to, else why not.
fn check_session(display: Option<&OsStr>, wayland: Option<&OsStr>) -> Result<(), AutoTypeError> {
    let set = |value: Option<&OsStr>| value.is_some_and(|v| !v.is_empty());
    match (set(display), set(wayland)) {
        (true, _) => Ok(()),
        (false, true) => Err(AutoTypeError::WaylandOnly),
        (false, false) => Err(AutoTypeError::NoDisplay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_is_needed_and_wayland_alone_is_named() {
        let some = |s: &'static str| Some(OsStr::new(s));
        assert!(check_session(some(":0"), None).is_ok());
        // Xwayland: both are set, and X11 clients work.
        assert!(check_session(some(":0"), some("wayland-0")).is_ok());
        assert!(matches!(check_session(None, some("wayland-0")), Err(AutoTypeError::WaylandOnly)));
        assert!(matches!(check_session(some(""), some("wayland-0")), Err(AutoTypeError::WaylandOnly)));
        assert!(matches!(check_session(None, None), Err(AutoTypeError::NoDisplay)));
        assert!(matches!(check_session(None, some("")), Err(AutoTypeError::NoDisplay)));
    }

    #[test]
    fn errors_say_what_to_do_in_plain_words() {
        assert!(AutoTypeError::WaylandOnly.to_string().contains("X11"));
        assert!(AutoTypeError::WaylandOnly.to_string().contains("window"));
        assert!(AutoTypeError::NoDisplay.to_string().contains("DISPLAY"));
    }
}
