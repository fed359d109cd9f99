//! Auto-type on X11: types an entry's keystrokes into another program's window, as KeePassXC
//! does, and tells which window has the focus so the app can pick the entry for it.
//!
//! The core (`vault::autofill::sequence`) turns an auto-type sequence and an entry into
//! [`Keystroke`](vault::autofill::sequence::Keystroke)s; this crate presses them through the
//! XTEST extension, checking before every key that the focus has not moved to another window.
//!
//! ```no_run
//! # use std::sync::atomic::AtomicBool;
//! # fn main() -> Result<(), autotype::AutoTypeError> {
//! # let keystrokes = Vec::new();
//! let typist = autotype::X11Typist::connect()?;
//! if let Some(window) = typist.active_window()? {
//!     let cancel = AtomicBool::new(false);
//!     typist.type_keystrokes(window.id, &keystrokes, autotype::TypingSpeed::default(), &cancel)?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Wayland has no way for one program to type into another's window; there
//! [`X11Typist::connect`] fails with [`AutoTypeError::WaylandOnly`].

mod error;
mod keymap;
mod keysym;
mod remap;
mod typing;
mod typist;
mod window;

pub use error::AutoTypeError;
pub use typing::TypingSpeed;
pub use typist::X11Typist;
pub use window::TargetWindow;
