//! TOTP in the app: the codes the detail shows, the QR code to move a setup to a phone, and
//! setups read in the editor (pasted, or from a QR code in a file or on the clipboard), which
//! stay here until the entry is saved.

use std::time::{SystemTime, UNIX_EPOCH};
use vault::SecretText;
use vault::totp::{self, Kind, Totp};

use super::Session;
use crate::error::{self, ErrorCode, Result, error};
use crate::view::*;

/// In its last seconds a code is shown with the next one, so a slow typist is not left with an
/// expired code.
pub const NEXT_CODE_SECONDS: u64 = 7;

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn kind(totp: &Totp) -> TotpKind {
    match totp.kind() {
        Kind::Steam => TotpKind::Steam,
        _ => TotpKind::Standard,
    }
}

/// The image file the user chose, read with the core's size limit: a larger file is refused
/// without reading the rest of it.
pub fn read_image(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let limit = totp::qr::MAX_IMAGE_BYTES as u64;
    let file = std::fs::File::open(path).map_err(|e| error(ErrorCode::Io, format!("could not open the image: {e}")))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(ErrorCode::Io, format!("could not read the image: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(error::from_qr(totp::QrError::FileTooLarge));
    }
    Ok(bytes)
}

/// The TOTP setup in the QR code of a PNG or JPEG picture. Decoding a large screenshot takes a
/// moment, so callers run this off the main thread and without holding the session.
pub fn totp_from_image(bytes: &[u8]) -> Result<Totp> {
    totp::import_from_image(bytes).map_err(error::from_import)
}

/// The TOTP setup in the QR code of a picture read from the clipboard (the front end reads it);
/// like [`totp_from_image`], for a worker thread.
pub fn totp_from_picture(picture: &crate::clipboard::Picture) -> Result<Totp> {
    totp::import_from_rgba(picture.width, picture.height, &picture.rgba).map_err(error::from_import)
}

/// The code of `totp` at `now` (Unix seconds), and the next one near the end of the period.
fn code_view(totp: &Totp, now: u64) -> TotpCode {
    let code = totp.code_at(now);
    let next = (code.seconds_left(now) <= NEXT_CODE_SECONDS).then(|| SecretText::new(totp.next_code(now).text));
    TotpCode {
        code: SecretText::new(code.text.as_str()),
        period_start: code.period_start,
        period_end: code.period_end,
        period: totp.period(),
        next,
        kind: kind(totp),
        issuer: totp.issuer().map(str::to_owned),
        account: totp.account().map(str::to_owned),
    }
}

impl Session {
    fn entry_totp(&self, id: &str) -> Result<Totp> {
        let entry = self.entry(id)?;
        if entry.totp.value.is_empty() {
            return Err(error(ErrorCode::NoTotp, "the entry has no TOTP setup"));
        }
        Totp::parse(entry.totp.value.expose()).map_err(error::from_totp)
    }

    /// The entry's code at `now` (Unix seconds), and the next one near the end of the period.
    pub fn totp_code(&self, id: &str, now: u64) -> Result<TotpCode> {
        Ok(code_view(&self.entry_totp(id)?, now))
    }

    /// The code at `now` of the setup the editor holds under `token`, before it is saved: sites
    /// ask for the current code to finish turning two-step sign-in on.
    pub fn pending_totp_code(&self, token: u32, now: u64) -> Result<TotpCode> {
        self.unlocked()?;
        match &self.pending_totp {
            Some((held, totp)) if *held == token => Ok(code_view(totp, now)),
            _ => Err(error(ErrorCode::TotpExpired, "the TOTP setup is no longer held; read it again")),
        }
    }

    /// The QR code of the entry's setup, for an authenticator app on a phone.
    pub fn totp_qr(&self, id: &str) -> Result<QrView> {
        let link = self.entry_totp(id)?.to_uri();
        let matrix = totp::qr_modules(link.expose()).map_err(error::from_qr)?;
        Ok(QrView { size: matrix.size as u32, dark: matrix.dark.to_vec() })
    }

    /// Keeps a setup read for the editor until the entry is saved; a newer one replaces it.
    /// Refused if the vault was locked meanwhile (a picture is decoded without the session).
    pub fn hold_totp(&mut self, totp: Totp) -> Result<TotpPreview> {
        self.unlocked()?;
        self.last_totp_token = self.last_totp_token.wrapping_add(1);
        let preview = TotpPreview {
            token: self.last_totp_token,
            kind: kind(&totp),
            issuer: totp.issuer().map(str::to_owned),
            account: totp.account().map(str::to_owned),
            digits: totp.digits(),
            period: totp.period(),
        };
        self.pending_totp = Some((self.last_totp_token, totp));
        Ok(preview)
    }

    /// A pasted otpauth:// or steam:// link, or a bare base32 key.
    pub fn parse_totp(&mut self, text: &str) -> Result<TotpPreview> {
        self.unlocked()?;
        let totp = Totp::parse(text).map_err(error::from_totp)?;
        self.hold_totp(totp)
    }

    /// The QR code in a PNG or JPEG picture, decoded while holding the session (for tests; the
    /// command decodes first, then holds).
    #[cfg(test)]
    pub fn import_totp_image(&mut self, bytes: &[u8]) -> Result<TotpPreview> {
        self.unlocked()?;
        let totp = totp_from_image(bytes)?;
        self.hold_totp(totp)
    }

    /// The held setup named `token`, as the link to store; a setup without names gets the
    /// entry's, so an authenticator app it is moved to later can tell it apart.
    pub(super) fn take_pending_totp(&mut self, token: u32, title: &str, username: &str) -> Result<SecretText> {
        match self.pending_totp.take() {
            Some((held, totp)) if held == token => {
                let totp = match totp.issuer() {
                    Some(_) => totp,
                    None => totp.with_issuer(Some(title.to_owned())),
                };
                let totp = match totp.account() {
                    Some(_) => totp,
                    None => totp.with_account(Some(username.to_owned())),
                };
                Ok(totp.to_uri())
            }
            other => {
                self.pending_totp = other;
                Err(error(ErrorCode::TotpExpired, "the TOTP setup is no longer held; read it again"))
            }
        }
    }
}
