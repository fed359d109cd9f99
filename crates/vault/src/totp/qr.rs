//! QR codes: reading one from a screenshot or a clipboard image, and the module matrix to draw one.
//!
//! Reading is meant for what users actually have: a screenshot of a site's 2FA setup page, with the
//! code somewhere in it, scaled by the display, sometimes saved as JPEG, sometimes dark-themed.
//! The decoded text holds the secret, so it comes back as a [`SecretText`].
//!
//! Drawing gives the matrix, not an image: the app draws it as SVG rectangles itself (its content
//! security policy forbids inline image data), and the CLI could print it as text.

use image::imageops::{self, FilterType};
use image::{DynamicImage, GrayImage, ImageError, ImageReader, Limits, Luma};
use std::fmt;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use zeroize::Zeroizing;

use super::{Totp, TotpError};
use crate::SecretText;

/// The largest image side we decode. A 8K screenshot fits; a hostile file claiming 100000×100000
/// pixels gets an error before anything is allocated.
pub const MAX_SIDE: u32 = 8192;

/// What the image decoder may allocate: an 8192×8192 RGBA picture, not more.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The largest image file read for a QR code. A screenshot is a few MB; a larger file is refused
/// before any of it is decoded.
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// Why no QR text came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("this is not an image CRM Vault can read: use a PNG or JPEG picture or screenshot")]
    NotAnImage,
    #[error("the image could not be read: it may be damaged or cut short; take the screenshot again")]
    DamagedImage,
    #[error("the image is too large (at most 8192×8192 pixels): crop it to the QR code")]
    TooLarge,
    #[error("the image file is too large (at most 32 MB): crop it to the QR code")]
    FileTooLarge,
    /// The image decoder failed on the file in a way it should not (it panicked): the file is
    /// malformed, whether by accident or made so on purpose.
    #[error(
        "this picture could not be read: it is malformed; take the screenshot again, or save it \
         as PNG or JPEG with another program"
    )]
    PictureNotReadable,
    #[error("the image data does not match its size: copy the picture again")]
    BadPixelData,
    #[error(
        "no QR code found in the image: make sure the whole code is visible, or enter the key the \
         site shows as text"
    )]
    NoQrCode,
    #[error("a QR code was found but could not be read: try a sharper or larger picture of it")]
    Unreadable,
    #[error("the text is too long to fit in a QR code")]
    TooLong,
}

/// Why a picture could not be turned into a TOTP generator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Qr(#[from] QrError),
    #[error("the QR code is not a TOTP setup code: {0}")]
    Link(#[from] TotpError),
}

/// The text of the QR code in a PNG or JPEG image. If the image holds several codes, an
/// otpauth:// one is preferred.
///
/// The bytes are untrusted (any file the user picks, any picture on the clipboard): the size
/// limits are checked from the file size and the image header before a pixel is decoded, and a
/// panic inside the decoders becomes [`QrError::PictureNotReadable`].
pub fn decode_qr_image(bytes: &[u8]) -> Result<SecretText, QrError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(QrError::FileTooLarge);
    }
    contained(|| find_text(&luma_of(load(bytes)?)))
}

/// The text of the QR code in an image given as RGBA pixels, row by row (how the app reads
/// clipboard images). Transparent pixels count as white, as they look on screen.
pub fn decode_qr_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<SecretText, QrError> {
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(QrError::TooLarge);
    }
    let expected = (width as usize).checked_mul(height as usize).and_then(|n| n.checked_mul(4));
    if expected != Some(rgba.len()) {
        return Err(QrError::BadPixelData);
    }
    let luma: Vec<u8> = rgba.chunks_exact(4).map(|p| over_white(rgb_luma(p[0], p[1], p[2]), p[3])).collect();
    let gray = GrayImage::from_raw(width, height, luma).ok_or(QrError::BadPixelData)?;
    contained(|| find_text(&gray))
}

/// Runs a decoder over untrusted bytes so that a panic in it is an error, not the end of the
/// app. Image and QR decoders are large and have panicked on crafted files (the png crate 0.18.1
/// on a bad palette, found by fuzzing `qr_image`); whatever such a bug is, the user gets
/// "this picture could not be read" and the vault stays open. The closure owns or only reads
/// everything it touches and nothing of it is used after a panic, so no half-changed state can be
/// observed (which is what `AssertUnwindSafe` asserts). With `panic = "abort"` this could not
/// work: no profile of the workspace sets it.
///
/// The panic's message still goes to standard error through the process's panic hook: the hook
/// is global, and replacing it from a library would hide other threads' panics too.
fn contained<T>(decode: impl FnOnce() -> Result<T, QrError>) -> Result<T, QrError> {
    catch_unwind(AssertUnwindSafe(decode)).unwrap_or(Err(QrError::PictureNotReadable))
}

/// Reads the QR code in a PNG or JPEG image as a TOTP setup.
pub fn import_from_image(bytes: &[u8]) -> Result<Totp, ImportError> {
    Ok(Totp::parse(decode_qr_image(bytes)?.expose())?)
}

/// Reads the QR code in an RGBA image (from the clipboard) as a TOTP setup.
pub fn import_from_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Totp, ImportError> {
    Ok(Totp::parse(decode_qr_rgba(width, height, rgba)?.expose())?)
}

fn load(bytes: &[u8]) -> Result<DynamicImage, QrError> {
    // The header first: a file that claims a huge picture is refused before the decoder sets up
    // anything for its pixels.
    let (width, height) = reader(bytes)?.into_dimensions().map_err(decode_error)?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(QrError::TooLarge);
    }
    reader(bytes)?.decode().map_err(decode_error)
}

/// A reader over `bytes` in the format their first bytes show (PNG or JPEG), with the size
/// limits set: the decoders check them as soon as they have read the header (a PNG's header
/// alone does not give its size without them: the reader looks for the pixel data first), and
/// again for what they allocate while decoding.
fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, QrError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| QrError::NotAnImage)?;
    if reader.format().is_none() {
        return Err(QrError::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    Ok(reader)
}

fn decode_error(err: ImageError) -> QrError {
    match err {
        ImageError::Limits(_) => QrError::TooLarge,
        ImageError::Unsupported(_) => QrError::NotAnImage,
        _ => QrError::DamagedImage,
    }
}

fn luma_of(image: DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.into_luma8();
    }
    let with_alpha = image.into_luma_alpha8();
    let (width, height) = with_alpha.dimensions();
    let luma = with_alpha.pixels().map(|p| over_white(p.0[0], p.0[1])).collect();
    GrayImage::from_raw(width, height, luma).expect("one byte per pixel")
}

/// Rec. 601 luma, in integers.
fn rgb_luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// A pixel of luma `l` and opacity `a`, as it shows on a white background.
fn over_white(l: u8, a: u8) -> u8 {
    let (l, a) = (u32::from(l), u32::from(a));
    ((l * a + 255 * (255 - a)) / 255) as u8
}

/// What one attempt at reading found.
enum Found {
    Text(SecretText),
    /// Something shaped like a QR code, but it did not decode.
    Unreadable,
    Nothing,
}

/// Tries the image as it is, then a few variants: screenshots usually read at once, and each
/// fallback costs a full scan, so the cheap and likely ones come first.
fn find_text(gray: &GrayImage) -> Result<SecretText, QrError> {
    let (width, height) = gray.dimensions();
    if width == 0 || height == 0 {
        return Err(QrError::NoQrCode);
    }
    let longest = width.max(height);
    let mut unreadable = false;
    let mut attempt = |found: Found| match found {
        Found::Text(text) => Some(text),
        Found::Unreadable => {
            unreadable = true;
            None
        }
        Found::Nothing => None,
    };
    let result = attempt(scan(gray.clone()))
        // Dark-themed pages show light modules on a dark background.
        .or_else(|| attempt(scan(inverted(gray))))
        // Blurred or low-contrast codes (JPEG, anti-aliased scaling) read better after a global
        // threshold than after the scanner's local one.
        .or_else(|| attempt(scan(thresholded(gray))))
        // Large noisy screenshots: halving smooths JPEG artefacts while modules stay several pixels.
        .or_else(|| (longest > 1200).then(|| attempt(scan(halved(gray)))).flatten())
        // Small pictures whose modules are one or two pixels wide.
        .or_else(|| (longest < 600).then(|| attempt(scan(enlarged(gray)))).flatten());
    match result {
        Some(text) => Ok(text),
        None if unreadable => Err(QrError::Unreadable),
        None => Err(QrError::NoQrCode),
    }
}

fn scan(gray: GrayImage) -> Found {
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        return Found::Nothing;
    }
    let mut texts = Vec::new();
    for grid in &grids {
        let mut bytes = Zeroizing::new(Vec::new());
        if grid.decode_to(&mut *bytes).is_ok()
            && let Ok(text) = std::str::from_utf8(&bytes)
        {
            texts.push(SecretText::new(text));
        }
    }
    if texts.is_empty() {
        return Found::Unreadable;
    }
    let best = texts.iter().position(|t| is_otp_link(t.expose())).unwrap_or(0);
    Found::Text(texts.swap_remove(best))
}

fn is_otp_link(text: &str) -> bool {
    let starts =
        |prefix: &str| text.as_bytes().get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix.as_bytes()));
    starts("otpauth://") || starts("steam://")
}

fn inverted(gray: &GrayImage) -> GrayImage {
    let mut out = gray.clone();
    imageops::invert(&mut out);
    out
}

/// Black and white split at the mean brightness; a QR code's modules are about half dark, so the
/// mean of a code (or of a page around it) falls between its two colours.
fn thresholded(gray: &GrayImage) -> GrayImage {
    let sum: u64 = gray.pixels().map(|p| u64::from(p.0[0])).sum();
    let mean = (sum / (u64::from(gray.width()) * u64::from(gray.height()))) as u8;
    GrayImage::from_fn(gray.width(), gray.height(), |x, y| {
        Luma([if gray.get_pixel(x, y).0[0] < mean { 0 } else { 255 }])
    })
}

fn halved(gray: &GrayImage) -> GrayImage {
    imageops::resize(gray, gray.width().div_ceil(2), gray.height().div_ceil(2), FilterType::Triangle)
}

fn enlarged(gray: &GrayImage) -> GrayImage {
    imageops::resize(gray, gray.width() * 3, gray.height() * 3, FilterType::Nearest)
}

/// A QR code's modules, row by row, without the quiet zone: whoever draws it must leave a light
/// border of 4 modules around it, or scanners may not find it.
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub size: usize,
    /// `size * size` modules, row by row; `true` is dark.
    pub dark: Zeroizing<Vec<bool>>,
}

impl QrMatrix {
    /// Is the module in column `x`, row `y` dark? Outside the matrix is the light quiet zone.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }
}

/// The modules encode the secret as surely as the text does.
impl fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrMatrix").field("size", &self.size).field("dark", &"(redacted)").finish()
    }
}

/// The QR code for `text`, with medium error correction (the level authenticator setup pages use).
pub fn qr_modules(text: &str) -> Result<QrMatrix, QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| QrError::TooLong)?;
    let size = code.width();
    let dark = Zeroizing::new(code.into_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect());
    Ok(QrMatrix { size, dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws a matrix at `scale` pixels per module with a 4-module quiet zone.
    fn render(matrix: &QrMatrix, scale: u32) -> GrayImage {
        let side = (matrix.size as u32 + 8) * scale;
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = ((x / scale) as usize, (y / scale) as usize);
            let dark = mx >= 4 && my >= 4 && matrix.is_dark(mx - 4, my - 4);
            Luma([if dark { 0 } else { 255 }])
        })
    }

    #[test]
    fn reads_back_its_own_codes_and_their_inverse() {
        let matrix = qr_modules("otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP").unwrap();
        let image = render(&matrix, 4);
        assert_eq!(find_text(&image).unwrap().expose(), "otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(find_text(&inverted(&image)).unwrap().expose(), "otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn transparent_pixels_are_white() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(0, 255), 0);
        assert_eq!(over_white(100, 255), 100);
        assert_eq!(rgb_luma(255, 255, 255), 255);
    }

    #[test]
    fn rgba_size_must_match() {
        assert_eq!(decode_qr_rgba(2, 2, &[0; 15]), Err(QrError::BadPixelData));
        assert_eq!(decode_qr_rgba(MAX_SIDE + 1, 1, &[]), Err(QrError::TooLarge));
        assert_eq!(decode_qr_rgba(u32::MAX / 2, 8, &[]), Err(QrError::TooLarge));
        assert_eq!(decode_qr_rgba(0, 0, &[]), Err(QrError::NoQrCode));
        assert_eq!(decode_qr_rgba(4, 4, &[255; 64]), Err(QrError::NoQrCode));
    }

    #[test]
    fn matrix_debug_is_redacted_and_too_long_text_is_an_error() {
        let matrix = qr_modules("hello").unwrap();
        assert_eq!(format!("{matrix:?}"), "QrMatrix { size: 21, dark: \"(redacted)\" }");
        assert!(!matrix.is_dark(21, 0));
        assert_eq!(qr_modules(&"x".repeat(5000)), Err(QrError::TooLong));
    }
}
