//! Why auto-type did not type, in words the app can show as they are. No message ever holds
//! what was being typed: an X error's value is left out, since it may be a keysym of the password.

use x11rb::errors::{ConnectError, ConnectionError, ReplyError};
use x11rb::protocol::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum AutoTypeError {
    #[error("auto-type needs an X11 display, and there is none (DISPLAY is not set)")]
    NoDisplay,
    #[error(
        "auto-type needs X11, and this is a Wayland session without it; open the login in the app's own window instead"
    )]
    WaylandOnly,
    #[error("cannot connect to the X display: {0}")]
    Connect(#[source] ConnectError),
    #[error("the X server does not offer the XTEST extension auto-type types through")]
    NoXTest,
    #[error("the connection to the X server failed: {0}")]
    Connection(#[from] ConnectionError),
    #[error("the X server refused a request ({0:?} error)")]
    Refused(ErrorKind),
    #[error("the window could not be given the keyboard focus")]
    NotActivated,
    #[error("the keyboard focus moved to another window, so auto-type stopped")]
    FocusMoved,
    #[error("auto-type was cancelled")]
    Cancelled,
    #[error("keys (such as the shortcut's Ctrl and Alt) are still held down; release them and try again")]
    ModifiersHeld,
    #[error("the keyboard has no {0} key")]
    NoModifierKey(&'static str),
    #[error("the keyboard has no free key to type a character its layout lacks")]
    NoSpareKey,
    #[error("the text holds a control character, which cannot be typed")]
    ControlCharacter,
    #[error("the sequence names a key this keyboard cannot have")]
    UnknownKey,
}

impl From<ReplyError> for AutoTypeError {
    fn from(error: ReplyError) -> Self {
        match error {
            ReplyError::ConnectionError(error) => AutoTypeError::Connection(error),
            // Only the kind: the error's value may be a keysym of what was being typed.
            ReplyError::X11Error(error) => AutoTypeError::Refused(error.error_kind),
        }
    }
}
