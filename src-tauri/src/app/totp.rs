//! TOTP in the app: the codes the detail shows, the QR code to move a setup to a phone, and
//! setups read in the editor (pasted, or from a QR code in a file or on the clipboard), which
//! stay here until the entry is saved.

use std::time::{SystemTime, UNIX_EPOCH};
use vault::SecretText;
use vault::totp::{self, Kind, Totp};

use super::App;
use crate::error::{self, Result, error};
use crate::ipc::*;

/// In its last seconds a code is shown with the next one, so a slow typist is not left with an
/// expired code.
pub const NEXT_CODE_SECONDS: u64 = 7;

/// The largest image file read for a QR code: a screenshot is a few MB.
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn kind(totp: &Totp) -> TotpKind {
    match totp.kind() {
        Kind::Steam => TotpKind::Steam,
        _ => TotpKind::Standard,
    }
}

/// The image file the user chose, read with a size limit.
pub fn read_image(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| error("io", format!("could not open the image: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error("io", format!("could not read the image: {e}")))?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(error("qr-too-large", "the image file is too large: crop it to the QR code"));
    }
    Ok(bytes)
}

impl App {
    fn entry_totp(&self, id: &str) -> Result<Totp> {
        let entry = self.entry(id)?;
        if entry.totp.value.is_empty() {
            return Err(error("no-totp", "the entry has no TOTP setup"));
        }
        Totp::parse(entry.totp.value.expose()).map_err(error::from_totp)
    }

    /// The entry's code at `now` (Unix seconds), and the next one near the end of the period.
    pub fn totp_code(&self, id: &str, now: u64) -> Result<TotpCode> {
        let totp = self.entry_totp(id)?;
        let code = totp.code_at(now);
        let next = (code.seconds_left(now) <= NEXT_CODE_SECONDS).then(|| totp.next_code(now).text);
        Ok(TotpCode {
            code: code.text.clone(),
            period_start: code.period_start,
            period_end: code.period_end,
            period: totp.period(),
            next,
            kind: kind(&totp),
            issuer: totp.issuer().map(str::to_owned),
            account: totp.account().map(str::to_owned),
        })
    }

    /// The QR code of the entry's setup, for an authenticator app on a phone.
    pub fn totp_qr(&self, id: &str) -> Result<QrView> {
        let link = self.entry_totp(id)?.to_uri();
        let matrix = totp::qr_modules(link.expose()).map_err(error::from_qr)?;
        Ok(QrView { size: matrix.size as u32, dark: matrix.dark.to_vec() })
    }

    /// Keeps a setup read for the editor until the entry is saved; a newer one replaces it.
    fn hold_totp(&mut self, totp: Totp) -> TotpPreview {
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
        preview
    }

    /// A pasted otpauth:// or steam:// link, or a bare base32 key.
    pub fn parse_totp(&mut self, text: &str) -> Result<TotpPreview> {
        self.unlocked()?;
        let totp = Totp::parse(text).map_err(error::from_totp)?;
        Ok(self.hold_totp(totp))
    }

    /// The QR code in a PNG or JPEG picture.
    pub fn import_totp_image(&mut self, bytes: &[u8]) -> Result<TotpPreview> {
        self.unlocked()?;
        let totp = totp::import_from_image(bytes).map_err(error::from_import)?;
        Ok(self.hold_totp(totp))
    }

    /// The QR code in the picture on the clipboard.
    pub fn import_totp_clipboard(&mut self) -> Result<TotpPreview> {
        self.unlocked()?;
        let (width, height, rgba) =
            self.clipboard.image().map_err(|code| error(code, "no picture on the clipboard"))?;
        let totp = totp::import_from_rgba(width, height, &rgba).map_err(error::from_import)?;
        Ok(self.hold_totp(totp))
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
                Err(error("totp-expired", "the TOTP setup is no longer held; read it again"))
            }
        }
    }
}
