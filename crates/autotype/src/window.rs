//! Which window has the focus, its title and process, and giving a window the focus.

use std::thread::sleep;
use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::errors::ReplyError;
use x11rb::protocol::ErrorKind;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConfigureWindowAux, ConnectionExt as _, EventMask, InputFocus, MapState, StackMode,
};

use crate::{AutoTypeError, X11Typist};

/// The focus "None" and "PointerRoot" of GetInputFocus: no window of its own.
const FOCUS_NONE: u32 = 0;
const FOCUS_POINTER_ROOT: u32 = 1;

/// How long a window manager is given to act on a request to activate a window.
const WM_WAIT: Duration = Duration::from_millis(500);
/// How long a window is given to take the focus once set.
const FOCUS_WAIT: Duration = Duration::from_millis(1000);

/// A top-level window that may be typed into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetWindow {
    /// The X11 window id, for [`X11Typist::activate`] and [`X11Typist::type_keystrokes`].
    pub id: u32,
    /// `_NET_WM_NAME`, else `WM_NAME`; empty if it has neither.
    pub title: String,
    /// The process that says it owns the window (`_NET_WM_PID`), if it says.
    pub pid: Option<u32>,
}

impl X11Typist {
    /// The window the user works in: the window manager's active window (`_NET_ACTIVE_WINDOW`),
    /// else the top-level window holding the keyboard focus. `None` when no window has it.
    pub fn active_window(&self) -> Result<Option<TargetWindow>, AutoTypeError> {
        let id = match self.property_u32(self.root, self.atoms._NET_ACTIVE_WINDOW, AtomEnum::WINDOW.into())? {
            Some(id) if id != FOCUS_NONE => id,
            _ => match self.focus()? {
                Some(focus) => self.top_level(focus)?,
                None => return Ok(None),
            },
        };
        match self.describe(id) {
            Ok(window) => Ok(Some(window)),
            // Closed while we asked.
            Err(ReplyError::X11Error(error)) if error.error_kind == ErrorKind::Window => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Brings `window` forward and gives it the keyboard focus: asks the window manager
    /// (`_NET_ACTIVE_WINDOW`), and where none acts on it (none running, or one ignoring
    /// requests) raises the window and sets the focus itself. Returns once the window has the
    /// focus, or [`AutoTypeError::NotActivated`] after about a second and a half.
    pub fn activate(&self, window: u32) -> Result<(), AutoTypeError> {
        let conn = &self.conn;
        if self.window_manager_running()? {
            // Source 2: a pager, i.e. the user asked for it, which window managers honour
            // without the focus-stealing checks they apply to applications.
            let message = ClientMessageEvent::new(32, window, self.atoms._NET_ACTIVE_WINDOW, [2, 0, 0, 0, 0]);
            let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
            conn.send_event(false, self.root, mask, message)?;
            conn.flush()?;
            if self.wait_for_focus(window, WM_WAIT)? {
                return Ok(());
            }
        }
        let attributes = conn.get_window_attributes(window)?.reply()?;
        if attributes.map_state != MapState::VIEWABLE {
            return Err(AutoTypeError::NotActivated);
        }
        conn.configure_window(window, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE))?;
        conn.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)?.check()?;
        if self.wait_for_focus(window, FOCUS_WAIT)? { Ok(()) } else { Err(AutoTypeError::NotActivated) }
    }

    /// Whether the keyboard focus is on `target`, on a window inside it, or on the frame a
    /// window manager put around it: where a key pressed now would go to `target`.
    pub(crate) fn focus_is_on(&self, target: u32) -> Result<bool, AutoTypeError> {
        let Some(focus) = self.focus()? else { return Ok(false) };
        let inside = |inner: u32, outer: u32| -> Result<bool, AutoTypeError> {
            let mut window = inner;
            loop {
                if window == outer {
                    return Ok(true);
                }
                match self.conn.query_tree(window)?.reply() {
                    Ok(tree) if tree.parent != x11rb::NONE && window != tree.root => window = tree.parent,
                    Ok(_) => return Ok(false),
                    // A window closed since: the focus is not on it.
                    Err(ReplyError::X11Error(error)) if error.error_kind == ErrorKind::Window => return Ok(false),
                    Err(error) => return Err(error.into()),
                }
            }
        };
        Ok(inside(focus, target)? || inside(target, focus)?)
    }

    fn wait_for_focus(&self, window: u32, wait: Duration) -> Result<bool, AutoTypeError> {
        let start = Instant::now();
        loop {
            if self.focus_is_on(window)? {
                return Ok(true);
            }
            if start.elapsed() > wait {
                return Ok(false);
            }
            sleep(Duration::from_millis(10));
        }
    }

    /// The window holding the keyboard focus, if one does.
    fn focus(&self) -> Result<Option<u32>, AutoTypeError> {
        let focus = self.conn.get_input_focus()?.reply()?.focus;
        Ok((focus != FOCUS_NONE && focus != FOCUS_POINTER_ROOT && focus != self.root).then_some(focus))
    }

    /// The top-level window holding `window`: the first one up the tree the window manager
    /// manages (it has `WM_STATE`), else the child of the root.
    fn top_level(&self, window: u32) -> Result<u32, AutoTypeError> {
        let mut window = window;
        loop {
            if self.property_exists(window, self.atoms.WM_STATE)? {
                return Ok(window);
            }
            let tree = self.conn.query_tree(window)?.reply()?;
            if tree.parent == tree.root || tree.parent == x11rb::NONE {
                return Ok(window);
            }
            window = tree.parent;
        }
    }

    fn window_manager_running(&self) -> Result<bool, AutoTypeError> {
        let check = self.property_u32(self.root, self.atoms._NET_SUPPORTING_WM_CHECK, AtomEnum::WINDOW.into())?;
        Ok(check.is_some_and(|window| window != x11rb::NONE))
    }

    /// The window `id` as [`X11Typist::active_window`] describes it (its title and owner), for a
    /// window picked earlier; an error if it has closed since.
    pub fn window(&self, id: u32) -> Result<TargetWindow, AutoTypeError> {
        Ok(self.describe(id)?)
    }

    fn describe(&self, id: u32) -> Result<TargetWindow, ReplyError> {
        let get = |property: u32, type_: u32| {
            self.conn.get_property(false, id, property, type_, 0, 4096).map_err(ReplyError::from)?.reply()
        };
        let utf8 = self.atoms.UTF8_STRING;
        let net_name = get(self.atoms._NET_WM_NAME, utf8)?;
        let title = if net_name.type_ == utf8 && !net_name.value.is_empty() {
            String::from_utf8_lossy(&net_name.value).into_owned()
        } else {
            let name = get(AtomEnum::WM_NAME.into(), AtomEnum::ANY.into())?;
            if name.type_ == u32::from(AtomEnum::STRING) {
                // STRING is Latin-1, whose bytes are the code points.
                name.value.iter().map(|&b| char::from(b)).collect()
            } else {
                String::from_utf8_lossy(&name.value).into_owned()
            }
        };
        let pid = get(self.atoms._NET_WM_PID, AtomEnum::CARDINAL.into())?.value32().and_then(|mut v| v.next());
        Ok(TargetWindow { id, title, pid })
    }

    fn property_u32(&self, window: u32, property: u32, type_: u32) -> Result<Option<u32>, AutoTypeError> {
        let reply = self.conn.get_property(false, window, property, type_, 0, 1)?.reply()?;
        Ok(reply.value32().and_then(|mut values| values.next()))
    }

    fn property_exists(&self, window: u32, property: u32) -> Result<bool, AutoTypeError> {
        let reply = self.conn.get_property(false, window, property, AtomEnum::ANY, 0, 0)?.reply()?;
        Ok(reply.type_ != x11rb::NONE)
    }
}
