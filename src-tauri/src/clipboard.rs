//! The system clipboard through arboard: the session's [`ClipboardBackend`] (its rules decide
//! what to clear and when) and the picture read for a QR code.

use session::clipboard::{ClipboardBackend, Picture, PictureError};
use zeroize::Zeroizing;

/// The clipboard handle, opened at the first copy. On X11 our copy lives only as long as the
/// handle, so it is kept for the whole run.
#[derive(Default)]
pub struct SystemClipboard(Option<arboard::Clipboard>);

impl std::fmt::Debug for SystemClipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemClipboard").field("open", &self.0.is_some()).finish()
    }
}

impl ClipboardBackend for SystemClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        if self.0.is_none() {
            self.0 = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let clipboard = self.0.as_mut().expect("just set");
        let set = clipboard.set();
        // Password-manager hints that keep the copy out of clipboard history (KDE/GNOME,
        // Windows, macOS).
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
        set.text(text.to_owned()).map_err(|e| e.to_string())
    }

    fn text(&mut self) -> Option<Zeroizing<String>> {
        self.0.as_mut()?.get_text().ok().map(Zeroizing::new)
    }

    fn clear(&mut self) -> bool {
        self.0.as_mut().is_some_and(|clipboard| clipboard.clear().is_ok())
    }
}

/// The picture on the clipboard as RGBA pixels (a screenshot of a QR code).
///
/// arboard decodes the clipboard's PNG itself, with the `image` crate's default limits (at most
/// 512 MiB allocated) and without letting us read the header first; the core's own limits apply
/// to the pixels it returns. What the clipboard holds is untrusted, and a crafted picture has
/// made the PNG decoder panic (see `vault::totp::qr`), so the call is contained: a panic becomes
/// [`PictureError::Damaged`] and the app stays up. It opens its own handle on the clipboard, so
/// it needs neither the session nor its lock and can run on a worker thread.
pub fn picture() -> Result<Picture, PictureError> {
    let read = std::panic::catch_unwind(|| {
        let mut clipboard = arboard::Clipboard::new().map_err(|_| PictureError::Unavailable)?;
        match clipboard.get_image() {
            Ok(image) => Ok(Picture {
                width: image.width as u32,
                height: image.height as u32,
                rgba: Zeroizing::new(image.bytes.into_owned()),
            }),
            Err(arboard::Error::ContentNotAvailable) => Err(PictureError::NoImage),
            Err(arboard::Error::ConversionFailure) => Err(PictureError::Damaged),
            Err(_) => Err(PictureError::Unavailable),
        }
    });
    read.unwrap_or(Err(PictureError::Damaged))
}
