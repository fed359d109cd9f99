//! Import and export in the app. An import is read first (off the session: a KeePass file's key
//! derivation takes seconds) and held behind a token while the page shows what it would do; only
//! "Import" touches the vault. An export is written where the user chose, readable by its owner
//! only, and recorded in the activity log.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use vault::SecretText;
use vault::activity::EventKind;
use vault::export;
use vault::import::{self, Contents, FileKey, Format, ImportError, Options, Place, Read, SkipReason};
use zeroize::Zeroizing;

use super::Session;
use crate::error::{ErrorCode, Result, error, locked};
use crate::view::{ExportDone, ImportDone, ImportMatch, ImportPreview, PlaceView, SkipReasonView, SkippedView};

/// The source's word for a secure note: those skipped are what "keep notes" would bring.
const SECURE_NOTE: &str = "secure note";

/// A file read for import and its token; a new preview replaces it, locking forgets it.
#[derive(Debug, Default)]
pub(super) struct HeldImport {
    last_token: u32,
    held: Option<(u32, Read)>,
}

impl HeldImport {
    pub(super) fn forget(&mut self) {
        self.held = None;
    }
}

/// What the file chooser gave, read with the import's size limit: a larger file is refused
/// before it is read.
fn read_limited(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let too_large = || from_import_error(path, ImportError::TooLarge { limit_mb: import::MAX_IMPORT_BYTES >> 20 });
    let cannot = |e: std::io::Error| {
        error(
            ErrorCode::Io,
            format!("could not read {}: {e}; check that the file is there and readable", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    if file.metadata().map_err(cannot)?.len() > import::MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(import::MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > import::MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads `path` for import without the session: `format` as the user named it ("kdbx", "csv",
/// ...) or `None` to tell it from the content; `progress(done, total)` in bytes as it goes.
pub fn read_import(
    path: &Path,
    format: Option<&str>,
    password: Option<&SecretText>,
    key_file: Option<&Path>,
    keep_notes: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Read> {
    let format = format
        .map(str::parse::<Format>)
        .transpose()
        .map_err(|e| error(ErrorCode::ImportUnsupported, format!("cannot import {}: {e}", path.display())))?;
    let bytes = read_limited(path)?;
    let key_file = key_file.map(read_limited).transpose()?;
    let password = password.filter(|p| !p.expose().is_empty());
    let key = FileKey { password, key_file: key_file.as_deref().map(Vec::as_slice) };
    import::read(&bytes, format, key, Options { keep_notes }, progress).map_err(|e| from_import_error(path, e))
}

/// `report` called at most once per percent (and at the end): the page is told often enough for
/// a smooth bar without a flood of events from a large file.
pub fn throttled(mut report: impl FnMut(u64, u64)) -> impl FnMut(u64, u64) {
    let mut last = None;
    move |done, total| {
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        if last != Some(percent) {
            last = Some(percent);
            report(done, total);
        }
    }
}

/// An import error as the page receives it: a code, and an English message naming the file and
/// what to do. Nothing was changed when this is returned.
fn from_import_error(file: &Path, err: ImportError) -> crate::view::IpcError {
    let file = file.display();
    let unchanged = "your vault was not changed";
    let (code, message) = match &err {
        ImportError::NeedsPassword => {
            (ErrorCode::ImportNeedsPassword, format!("{file} is protected by a password: type it, then try again"))
        }
        ImportError::WrongPassword => (
            ErrorCode::ImportWrongPassword,
            format!("the password (or key file) does not open {file}: check it and try again; {unchanged}"),
        ),
        ImportError::TooLarge { .. } => (
            ErrorCode::ImportTooLarge,
            format!("cannot import {file}: {err}; check that you chose the right file; {unchanged}"),
        ),
        ImportError::WrongShape { .. } => (
            ErrorCode::ImportWrongShape,
            format!("cannot import {file}: {err}; export the passwords again from the other program; {unchanged}"),
        ),
        ImportError::Unsupported { .. } => (
            ErrorCode::ImportUnsupported,
            format!("cannot import {file}: {err}; export again in another format; {unchanged}"),
        ),
        ImportError::Csv(csv) => (ErrorCode::ImportCsv, format!("cannot import {file}: {csv}")),
        _ => (
            ErrorCode::ImportDamaged,
            format!("cannot import {file}: {err}; export the passwords again from the other program; {unchanged}"),
        ),
    };
    error(code, message)
}

fn place_view(place: &Place) -> PlaceView {
    match place {
        Place::Line(line) => PlaceView::Line { line: u32::try_from(*line).unwrap_or(u32::MAX) },
        Place::Item(title) => PlaceView::Item { title: title.clone() },
    }
}

fn reason_view(reason: &SkipReason) -> SkipReasonView {
    match reason {
        SkipReason::NotALogin { kind } => SkipReasonView::NotALogin { what: kind.clone() },
        SkipReason::Attachment { name } => SkipReasonView::Attachment { name: name.clone() },
        SkipReason::Empty => SkipReasonView::Empty,
        SkipReason::BadTotp => SkipReasonView::BadTotp,
        SkipReason::Unreadable { detail } => SkipReasonView::Unreadable { detail: detail.clone() },
        other => SkipReasonView::Other { detail: other.to_string() },
    }
}

fn is_secure_note(reason: &SkipReason) -> bool {
    matches!(reason, SkipReason::NotALogin { kind } if kind.eq_ignore_ascii_case(SECURE_NOTE))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An export's format, by the name the page and the command line give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportFormat {
    Kdbx,
    Csv,
    Json,
}

impl ExportFormat {
    fn parse(name: &str) -> Result<ExportFormat> {
        match name {
            "kdbx" => Ok(ExportFormat::Kdbx),
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            other => Err(error(ErrorCode::Invalid, format!("\"{other}\" is not an export format: kdbx, csv or json"))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            ExportFormat::Kdbx => "kdbx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// As the activity log names it.
    fn label(self) -> &'static str {
        match self {
            ExportFormat::Kdbx => "KDBX",
            ExportFormat::Csv => "CSV",
            ExportFormat::Json => "JSON",
        }
    }
}

/// Writes a file the user asked for (an export, the accounts list) at `path`: in full or not at
/// all (a temp file beside it, then renamed over), and readable by its owner only from the start.
pub(super) fn write_user_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    vault::store::write_file_atomic(path, bytes)
}

/// Whether `a` and `b` name the same file (both must exist to be the same).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl Session {
    /// Reads `path` for import and holds it; see [`read_import`]. The app reads without the
    /// session and then calls [`Session::hold_import`]; this does both, for tests and front ends
    /// that do not mind holding the session meanwhile.
    pub fn preview_import(
        &mut self,
        path: &Path,
        format: Option<&str>,
        password: Option<&SecretText>,
        key_file: Option<&Path>,
        keep_notes: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ImportPreview> {
        self.unlocked()?;
        let read = read_import(path, format, password, key_file, keep_notes, progress)?;
        self.hold_import(read, keep_notes)
    }

    /// Holds a file read for import (a newer one replaces it) and says what importing it would
    /// do. Refused if the vault was locked meanwhile.
    pub fn hold_import(&mut self, read: Read, keep_notes: bool) -> Result<ImportPreview> {
        let plan = import::plan(&self.unlocked()?.vault, &read);
        let held = &mut self.import;
        held.last_token = held.last_token.wrapping_add(1);
        let preview = ImportPreview {
            token: held.last_token,
            source: read.source.to_string(),
            arriving: count(plan.arriving),
            already: plan
                .already
                .iter()
                .map(|m| ImportMatch { title: m.title.clone(), in_trash: m.in_trash })
                .collect(),
            skipped: read
                .skipped
                .iter()
                .map(|s| SkippedView { place: place_view(&s.place), reason: reason_view(&s.reason) })
                .collect(),
            secure_notes: count(read.skipped.iter().filter(|s| is_secure_note(&s.reason)).count()),
            keep_notes,
        };
        held.held = Some((held.last_token, read));
        Ok(preview)
    }

    /// Imports the file held under `token`: new entries are added, entries already in the vault
    /// are left as they are. A token is good once; a lock or a newer preview ends it.
    pub fn apply_import(&mut self, token: u32) -> Result<ImportDone> {
        self.unlocked()?;
        let read = match self.import.held.take() {
            Some((held, read)) if held == token => read,
            other => {
                self.import.held = other;
                return Err(error(
                    ErrorCode::ImportExpired,
                    "the file read for import is no longer held; choose it again",
                ));
            }
        };
        let source = read.source.to_string();
        // Our own export is merged whole: entries already there may still take newer values.
        let merges = matches!(read.contents, Contents::Vault(_));
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        let summary = import::apply(&mut open.vault, read, author)
            .map_err(|e| error(ErrorCode::ImportWrongShape, format!("cannot import this {source}: {e}")))?;
        if summary.added > 0 || merges {
            self.note(EventKind::Import, None, format!("{source}, {} entries", summary.added));
            self.save()?;
        }
        Ok(ImportDone { source, added: count(summary.added), already_present: count(summary.already_present) })
    }

    /// Exports the vault's entries to `path` as `format` ("kdbx", "csv" or "json"). The encrypted
    /// ones need `password` and use the vault's own key-derivation settings; CSV holds every
    /// password in plain text and is written only with `plain_text_ok`.
    pub fn export(
        &mut self,
        path: &Path,
        format: &str,
        password: Option<&SecretText>,
        plain_text_ok: bool,
    ) -> Result<ExportDone> {
        let format = ExportFormat::parse(format)?;
        let open = self.unlocked()?;
        let password = password.filter(|p| !p.expose().is_empty());
        if format == ExportFormat::Csv && !plain_text_ok {
            return Err(error(
                ErrorCode::ExportNeedsConfirmation,
                "a CSV export holds every password in plain text: confirm that first, or choose KDBX or JSON, which are encrypted",
            ));
        }
        if format != ExportFormat::Csv && password.is_none() {
            return Err(error(ErrorCode::ExportNeedsPassword, "an encrypted export needs a password: type one"));
        }
        if same_file(path, open.file.path()) {
            return Err(error(
                ErrorCode::ExportFailed,
                format!("{} is your vault itself: choose another file name for the export", path.display()),
            ));
        }
        let failed = |e: &dyn std::fmt::Display| {
            error(ErrorCode::ExportFailed, format!("could not export to {}: {e}; nothing was written", path.display()))
        };
        let kdf = open.file.kdf();
        let bytes = match (format, password) {
            (ExportFormat::Csv, _) => export::csv::write(&open.vault),
            (ExportFormat::Kdbx, Some(password)) => {
                Zeroizing::new(export::kdbx::write(&open.vault, password, kdf).map_err(|e| failed(&e))?)
            }
            (ExportFormat::Json, Some(password)) => {
                Zeroizing::new(export::json::write(&open.vault, password, kdf).map_err(|e| failed(&e))?)
            }
            _ => unreachable!("an encrypted export without a password was refused above"),
        };
        let entries = open.vault.live_entries().count();
        write_user_file(path, &bytes).map_err(|e| failed(&e))?;
        self.record_alone(EventKind::Export, None, format!("{}, {entries} entries", format.label()));
        Ok(ExportDone { path: path.display().to_string(), format: format.name().to_owned(), entries: count(entries) })
    }
}

/// The folder and file name an export suggests in the save dialog.
pub fn export_file_name(format: &str) -> PathBuf {
    let extension = match format {
        "kdbx" => "kdbx",
        "csv" => "csv",
        _ => "json",
    };
    PathBuf::from(format!("crm-vault-export.{extension}"))
}

#[cfg(test)]
mod tests;
