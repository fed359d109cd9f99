//! The clipboard, set from Rust so a password never passes through the page. Copies carry the
//! password-manager hints that keep them out of clipboard history (KDE/GNOME, Windows, macOS),
//! and are cleared after a timeout, on lock and on quit, but only if the clipboard still holds
//! what we put there: something the user copied since is left alone.

use crate::error::ErrorCode;
use sha2::{Digest, Sha256};

#[derive(Default)]
pub struct Clipboard {
    /// On X11 our copy lives only as long as this object: it is kept for the whole run.
    inner: Option<arboard::Clipboard>,
    ours: Option<[u8; 32]>,
    /// Bumped at every copy, so an older clear timer does not clear a newer copy early.
    generation: u64,
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard").field("holds_ours", &self.ours.is_some()).finish()
    }
}

impl Clipboard {
    pub fn new() -> Clipboard {
        Clipboard::default()
    }

    /// Puts `text` on the clipboard; returns the copy's generation for [`Self::clear_if`].
    pub fn copy(&mut self, text: &str) -> Result<u64, String> {
        if self.inner.is_none() {
            self.inner = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let clipboard = self.inner.as_mut().expect("just set");
        let set = clipboard.set();
        #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
        let set = {
            #[cfg(target_os = "macos")]
            use arboard::SetExtApple;
            #[cfg(target_os = "linux")]
            use arboard::SetExtLinux;
            #[cfg(target_os = "windows")]
            use arboard::SetExtWindows;
            set.exclude_from_history()
        };
        set.text(text.to_owned()).map_err(|e| e.to_string())?;
        self.ours = Some(Sha256::digest(text.as_bytes()).into());
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
        let (Some(ours), Some(clipboard)) = (self.ours, self.inner.as_mut()) else { return false };
        let still_ours = clipboard.get_text().is_ok_and(|now| <[u8; 32]>::from(Sha256::digest(now.as_bytes())) == ours);
        self.ours = None;
        still_ours && clipboard.clear().is_ok()
    }
}

/// The picture on the clipboard as RGBA pixels (a screenshot of a QR code), or the error code to
/// show: "clipboard-no-image" when it holds none, "qr-damaged" when it cannot be decoded.
///
/// arboard decodes the clipboard's PNG itself, with the `image` crate's default limits (at most
/// 512 MiB allocated) and without letting us read the header first; the core's own limits apply
/// to the pixels it returns. What the clipboard holds is untrusted, and a crafted picture has
/// made the PNG decoder panic (see `vault::totp::qr`), so the call is contained: a panic becomes
/// "qr-damaged" and the app stays up. It opens its own handle on the clipboard, so it needs
/// neither the session nor its lock and can run on a worker thread.
pub fn picture() -> Result<(u32, u32, zeroize::Zeroizing<Vec<u8>>), ErrorCode> {
    let read = std::panic::catch_unwind(|| {
        let mut clipboard = arboard::Clipboard::new().map_err(|_| ErrorCode::Clipboard)?;
        match clipboard.get_image() {
            Ok(image) => {
                let (width, height) = (image.width as u32, image.height as u32);
                Ok((width, height, zeroize::Zeroizing::new(image.bytes.into_owned())))
            }
            Err(arboard::Error::ContentNotAvailable) => Err(ErrorCode::ClipboardNoImage),
            Err(arboard::Error::ConversionFailure) => Err(ErrorCode::QrDamaged),
            Err(_) => Err(ErrorCode::Clipboard),
        }
    });
    read.unwrap_or(Err(ErrorCode::QrDamaged))
}
