//! The clipboard, set from Rust so a password never passes through the page. Copies are cleared
//! after a timeout, on lock and on quit, but only if the clipboard still holds what we put there:
//! something the user copied since is left alone.
//!
//! The rules (which copy is ours, which timer may clear it) live here; the system clipboard
//! itself comes in through [`ClipboardBackend`], so tests use a fake one and this crate does not
//! depend on a clipboard library. The desktop app supplies the real one.

use crate::error::ErrorCode;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The system clipboard, as the session uses it.
pub trait ClipboardBackend: Send {
    /// Puts `text` on the clipboard, with the password-manager hints that keep it out of
    /// clipboard history where the system has them.
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    /// The text on the clipboard now; `None` if it holds none or cannot be read.
    fn text(&mut self) -> Option<Zeroizing<String>>;
    /// Empties the clipboard; returns whether it did.
    fn clear(&mut self) -> bool;
}

pub struct Clipboard {
    backend: Option<Box<dyn ClipboardBackend>>,
    ours: Option<[u8; 32]>,
    /// Bumped at every copy, so an older clear timer does not clear a newer copy early.
    generation: u64,
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard")
            .field("available", &self.backend.is_some())
            .field("holds_ours", &self.ours.is_some())
            .finish()
    }
}

impl Default for Clipboard {
    fn default() -> Clipboard {
        Clipboard::unavailable()
    }
}

impl Clipboard {
    pub fn new(backend: Box<dyn ClipboardBackend>) -> Clipboard {
        Clipboard { backend: Some(backend), ours: None, generation: 0 }
    }

    /// No clipboard (a front end without one): copying is refused, clearing does nothing.
    pub fn unavailable() -> Clipboard {
        Clipboard { backend: None, ours: None, generation: 0 }
    }

    /// Puts `text` on the clipboard; returns the copy's generation for [`Self::clear_if`].
    pub fn copy(&mut self, text: &str) -> Result<u64, String> {
        let backend = self.backend.as_mut().ok_or("there is no clipboard here")?;
        backend.set_text(text)?;
        self.ours = Some(digest(text));
        self.generation += 1;
        Ok(self.generation)
    }

    /// Clears the clipboard if `generation` is still the latest copy and the clipboard still
    /// holds it. Returns whether it cleared.
    pub fn clear_if(&mut self, generation: u64) -> bool {
        generation == self.generation && self.clear_if_ours()
    }

    /// Clears the clipboard if it still holds our latest copy (on lock and quit).
    pub fn clear_if_ours(&mut self) -> bool {
        let (Some(ours), Some(backend)) = (self.ours.take(), self.backend.as_mut()) else { return false };
        let still_ours = backend.text().is_some_and(|now| digest(&now) == ours);
        still_ours && backend.clear()
    }
}

/// What is remembered of our copy: its hash, never the text.
fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A picture read from the clipboard, as RGBA pixels (a screenshot of a QR code).
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture").field("width", &self.width).field("height", &self.height).finish_non_exhaustive()
    }
}

/// Why no picture could be read from the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureError {
    /// The clipboard holds no picture.
    NoImage,
    /// It holds one that cannot be decoded (or whose decoding failed outright).
    Damaged,
    /// The clipboard could not be reached.
    Unavailable,
}

impl From<PictureError> for crate::view::IpcError {
    fn from(err: PictureError) -> crate::view::IpcError {
        match err {
            PictureError::NoImage => crate::error::error(ErrorCode::ClipboardNoImage, "no picture on the clipboard"),
            PictureError::Damaged => {
                crate::error::error(ErrorCode::QrDamaged, "the picture on the clipboard could not be read")
            }
            PictureError::Unavailable => crate::error::error(ErrorCode::Clipboard, "the clipboard could not be read"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The system clipboard's stand-in: what is on it, shared with the test.
    #[derive(Clone, Default)]
    pub struct FakeClipboard(pub Arc<Mutex<Option<String>>>);

    impl ClipboardBackend for FakeClipboard {
        fn set_text(&mut self, text: &str) -> Result<(), String> {
            *self.0.lock().unwrap() = Some(text.to_owned());
            Ok(())
        }
        fn text(&mut self) -> Option<Zeroizing<String>> {
            self.0.lock().unwrap().clone().map(Zeroizing::new)
        }
        fn clear(&mut self) -> bool {
            self.0.lock().unwrap().take();
            true
        }
    }

    impl FakeClipboard {
        pub fn holds(&self) -> Option<String> {
            self.0.lock().unwrap().clone()
        }
        /// The user copies something else.
        pub fn user_copies(&self, text: &str) {
            *self.0.lock().unwrap() = Some(text.to_owned());
        }
    }

    #[test]
    fn only_our_latest_copy_is_cleared() {
        let system = FakeClipboard::default();
        let mut clipboard = Clipboard::new(Box::new(system.clone()));
        let first = clipboard.copy("s3cret").unwrap();
        let second = clipboard.copy("0th3r").unwrap();
        assert!(!clipboard.clear_if(first), "an older timer does not clear a newer copy");
        assert_eq!(system.holds().as_deref(), Some("0th3r"));
        assert!(clipboard.clear_if(second));
        assert_eq!(system.holds(), None);

        let third = clipboard.copy("s3cret").unwrap();
        system.user_copies("meeting at 10");
        assert!(!clipboard.clear_if(third), "what the user copied since is left alone");
        assert!(!clipboard.clear_if_ours());
        assert_eq!(system.holds().as_deref(), Some("meeting at 10"));
    }

    #[test]
    fn without_a_clipboard_copying_is_refused() {
        let mut clipboard = Clipboard::unavailable();
        assert!(clipboard.copy("s3cret").is_err());
        assert!(!clipboard.clear_if_ours());
    }
}
