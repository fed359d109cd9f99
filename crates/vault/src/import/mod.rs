//! Bringing entries in from other password managers. Kept apart from `format`: these readers
//! deal with other programs' files, never with ours (our own export is read by
//! [`crate::export::json`], and arrives here as a whole vault).
//!
//! Every reader turns a file into a [`Read`]: the entries that will arrive, with their times and
//! earlier values where the source has them, and what was left out and why. Nothing touches the
//! vault until [`apply`], so the app can show a preview first.

mod add;
pub mod csv;
mod detect;
// Bitwarden JSON and 1Password 1PUX, and what those item-based readers share.
pub mod bitwarden;
mod item;
pub mod kdbx;
pub mod onepassword;

pub use add::{Match, Plan, Summary, apply, plan};
pub use detect::{Format, detect};

use thiserror::Error;

use crate::model::{EntryId, NewEntry, Vault};
use crate::secret::SecretText;

/// One entry as a source had it.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The source's own identity of the entry, when it has one (a KDBX UUID, a Bitwarden or
    /// 1Password item id; see [`derived_id`]): importing the same file again, or on another
    /// laptop, then makes the same entry instead of a second one.
    pub id: Option<EntryId>,
    pub entry: NewEntry,
    /// When the source says the entry was created and last changed (ms since the Unix epoch).
    pub created_ms: Option<u64>,
    pub modified_ms: Option<u64>,
    /// Earlier values, oldest first.
    pub history: Vec<Earlier>,
}

/// A value an entry had before, and when it was set.
#[derive(Debug, Clone)]
pub struct Earlier {
    /// "title", "username", "password", "urls" (one per line), "notes", "totp", or
    /// "field:<name>" for a custom field: the names [`crate::model::HistoryItem`] uses.
    pub field: String,
    pub value: SecretText,
    pub at_ms: u64,
}

/// What a reader made of a file.
#[derive(Debug)]
pub struct Read {
    pub source: Source,
    pub contents: Contents,
    /// Items left out (and parts of items, such as attachments), with the reason.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug)]
pub enum Contents {
    Entries(Vec<Imported>),
    /// Our own export: a whole vault, clocks and history included, taken in by merging.
    Vault(Box<Vault>),
}

/// Which program wrote the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    Csv(csv::Source),
    /// KeePass 2, KeePassXC, KeeWeb, Strongbox...: "3.1" or "4.0".
    Kdbx {
        version: String,
    },
    BitwardenJson {
        encrypted: bool,
    },
    OnePassword1pux,
    /// A CRM Vault export (`crm-vault export --format json`).
    CrmVault,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Csv(source) => write!(f, "{source} CSV"),
            Source::Kdbx { version } => write!(f, "KeePass (KDBX {version})"),
            Source::BitwardenJson { encrypted: false } => f.write_str("Bitwarden JSON"),
            Source::BitwardenJson { encrypted: true } => f.write_str("Bitwarden JSON (password-protected)"),
            Source::OnePassword1pux => f.write_str("1Password (1PUX)"),
            Source::CrmVault => f.write_str("CRM Vault (encrypted JSON)"),
        }
    }
}

/// An item (or part of one) that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub place: Place,
    pub reason: SkipReason,
}

/// Where in the source a skipped item was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// 1-based line number in a CSV file.
    Line(u64),
    /// An item by its title (with its group or folder path in front where it has one:
    /// "Sales/国内CRM/纷享销客").
    Item(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::Item(title) => write!(f, "\"{title}\""),
        }
    }
}

/// Why something was left out. Never holds a secret: it is shown and printed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// A card, an identity, a secure note (unless kept), an SSH key...: the source's word for it.
    NotALogin { kind: String },
    /// The entry was imported; this file attached to it was not.
    Attachment { name: String },
    /// No title, URL, user name or password.
    Empty,
    /// The entry was imported without its TOTP setup, which could not be read.
    BadTotp,
    /// A CSV row that cannot be read as one entry; the detail is in English.
    Unreadable { detail: String },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::NotALogin { kind } => write!(f, "is a {kind}, not a login"),
            SkipReason::Attachment { name } => write!(f, "has an attachment \"{name}\", which was not imported"),
            SkipReason::Empty => f.write_str("has no title, URL, username or password"),
            SkipReason::BadTotp => f.write_str("was imported without its one-time code setup, which could not be read"),
            SkipReason::Unreadable { detail } => f.write_str(detail),
        }
    }
}

/// How to open a file that is locked.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileKey<'a> {
    pub password: Option<&'a SecretText>,
    /// A KeePass key file's contents.
    pub key_file: Option<&'a [u8]>,
}

/// Choices the user makes in the preview.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Secure notes (Bitwarden, 1Password) become entries with only notes, instead of being
    /// skipped.
    pub keep_notes: bool,
}

/// Why a file could not be imported. The vault is never touched when this is returned.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("the file is protected by a password; give it to open the file")]
    NeedsPassword,
    #[error("the password (or key file) does not open this file")]
    WrongPassword,
    #[error("the file is damaged or cut short ({detail})")]
    Damaged { detail: String },
    /// A zip bomb, or simply more than an import can hold.
    #[error("the file unpacks to more than {limit_mb} MB, more than any password export holds")]
    TooLarge { limit_mb: u64 },
    /// JSON (or a zip) of another shape than the format it claims to be.
    #[error("this is not a {expected} export ({detail})")]
    WrongShape { expected: &'static str, detail: String },
    #[error("this {what} is not supported")]
    Unsupported { what: String },
    #[error(transparent)]
    Csv(#[from] csv::CsvError),
}

/// The largest file (or unpacked member of a zip) an import reads: a vault of 100,000 entries
/// with long notes is well under it.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// Reads `bytes` as `format`, or as the format its content shows.
pub fn read(
    bytes: &[u8],
    format: Option<Format>,
    key: FileKey<'_>,
    options: Options,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Read, ImportError> {
    let format = match format {
        Some(format) => format,
        None => detect(bytes)?,
    };
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { limit_mb: MAX_IMPORT_BYTES >> 20 });
    }
    let total = bytes.len() as u64;
    match format {
        Format::Csv => {
            let read = csv::read(bytes, |done| progress(done, total))?;
            let entries = read.entries.into_iter().map(|entry| Imported { entry, ..Imported::default() }).collect();
            Ok(Read { source: Source::Csv(read.source), contents: Contents::Entries(entries), skipped: read.skipped })
        }
        Format::CrmVault => {
            let vault = crate::export::json::read(bytes, key.password)?;
            Ok(Read { source: Source::CrmVault, contents: Contents::Vault(Box::new(vault)), skipped: vec![] })
        }
        Format::Kdbx => kdbx::read(bytes, key, progress),
        Format::BitwardenJson => bitwarden::read(bytes, key, options),
        Format::OnePassword1pux => onepassword::read_1pux(bytes, options),
    }
}

/// A stable entry id for an item that a source names with an id of its own (`source` is
/// "bitwarden", "1password", ...), so importing it again finds the same entry.
pub fn derived_id(source: &str, id: &str) -> EntryId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"crm-vault import\0")
        .chain_update(source)
        .chain_update(b"\0")
        .chain_update(id)
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    EntryId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}
