//! import and export: other password managers' files in, the vault's entries out.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::path::Path;
use zeroize::Zeroizing;

use super::display;
use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::SecretText;
use vault::activity::EventKind;
use vault::export;
use vault::import::{self, FileKey, Format, ImportError, Options, csv::CsvError};

/// How many titles of entries already in the vault are named before "and N more".
const MATCHES_NAMED: usize = 10;

pub fn import(path: &Path, file: &Path, format: Option<&str>, key_file: Option<&Path>, keep_notes: bool) -> Result<()> {
    let format = format.map(str::parse::<Format>).transpose().map_err(CliError::usage)?;
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let bytes = read_file(file)?;
    let key_file = key_file.map(read_file).transpose()?;
    let format = match format {
        Some(format) => format,
        None => import::detect(&bytes).map_err(|err| import_error(file, err))?,
    };
    let mut unlock = super::open_for_edit(path, &master)?;
    let prompt = format!("Password of {}", display(file));
    // A KeePass file always has a password or a key file; the others say whether they need one.
    let mut password = match (format, &key_file) {
        (Format::Kdbx, None) => Some(required(secrets.file_password(&prompt)?, file)?),
        (Format::Kdbx, Some(_)) => secrets.file_password(&format!("{prompt} (empty for the key file alone)"))?,
        _ => None,
    };
    let bar =
        if std::io::stderr().is_terminal() { ProgressBar::new(bytes.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes}").expect("valid template"));
    let options = Options { keep_notes };
    let read = loop {
        let key = FileKey { password: password.as_ref(), key_file: key_file.as_deref().map(|k| k.as_slice()) };
        match import::read(&bytes, Some(format), key, options, &mut |done, _| bar.set_position(done)) {
            Err(ImportError::NeedsPassword) if password.is_none() => {
                password = Some(required(secrets.file_password(&prompt)?, file)?);
            }
            read => break read,
        }
    };
    bar.finish_and_clear();
    let read = read.map_err(|err| import_error(file, err))?;
    let source = read.source.clone();
    let skipped = read.skipped.clone();
    let plan = import::plan(&unlock.vault, &read);
    let summary = import::apply(&mut unlock.vault, read, unlock.me.author())
        .map_err(|err| CliError::new(Code::Other, format!("cannot import {}: {err}", display(file))))?;
    if summary.added > 0 {
        unlock.record(EventKind::Import, None, format!("{source}, {} entries", summary.added));
        unlock.save()?;
    }
    let unlocked = unlock.finish(Ok(()));
    unlocked.and_then(|()| super::print(&report(&source, &summary, &plan, &skipped)))
}

/// What the import did, in words: added, already there (named), skipped (with where and why).
fn report(
    source: &import::Source,
    summary: &import::Summary,
    plan: &import::Plan,
    skipped: &[import::Skipped],
) -> String {
    let entries = |n: usize| if n == 1 { "1 entry".to_owned() } else { format!("{n} entries") };
    let mut text = format!("Imported {} from a {source} export.", entries(summary.added));
    if !plan.already.is_empty() {
        let mut names: Vec<String> = plan
            .already
            .iter()
            .take(MATCHES_NAMED)
            .map(|m| if m.in_trash { format!("{} (in the trash)", m.title) } else { m.title.clone() })
            .collect();
        if plan.already.len() > MATCHES_NAMED {
            names.push(format!("and {} more", plan.already.len() - MATCHES_NAMED));
        }
        let were = if plan.already.len() == 1 { "was" } else { "were" };
        text.push_str(&format!(
            " {} {were} already in the vault and kept as they are: {}.",
            entries(plan.already.len()),
            names.join(", ")
        ));
    }
    if !skipped.is_empty() {
        let what = match skipped.iter().all(|s| matches!(s.place, import::Place::Line(_))) {
            true if skipped.len() == 1 => "row",
            true => "rows",
            false if skipped.len() == 1 => "item",
            false => "items",
        };
        text.push_str(&format!("\nSkipped {} {what}:", skipped.len()));
        for item in skipped {
            text.push_str(&format!("\n  {}: {}", item.place, item.reason));
        }
    }
    text + "\n"
}

fn required(password: Option<SecretText>, file: &Path) -> Result<SecretText> {
    password.ok_or_else(|| import_error(file, ImportError::NeedsPassword))
}

/// The whole file, refused before reading when it is larger than any export.
fn read_file(file: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let cannot = |err: std::io::Error| CliError::new(Code::Other, format!("could not read {}: {err}", display(file)));
    let opened = std::fs::File::open(file).map_err(cannot)?;
    let mut bytes = Zeroizing::new(Vec::new());
    opened.take(import::MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > import::MAX_IMPORT_BYTES {
        return Err(import_error(file, ImportError::TooLarge { limit_mb: import::MAX_IMPORT_BYTES >> 20 }));
    }
    Ok(bytes)
}

fn import_error(file: &Path, err: ImportError) -> CliError {
    let unchanged = "the vault was not changed";
    let (code, hint) = match &err {
        ImportError::NeedsPassword => (
            Code::ImportPassword,
            format!(
                "Give the file's password as line 2 of standard input, or run on a terminal to be asked; {unchanged}."
            ),
        ),
        ImportError::WrongPassword => (
            Code::ImportPassword,
            format!("Check the file's password (and --key-file for a KeePass key file) and try again; {unchanged}."),
        ),
        ImportError::Csv(CsvError::UnknownColumns { .. }) => {
            (Code::ImportFile, "The first line must name the columns, e.g. name,url,username,password,note.".to_owned())
        }
        ImportError::Unsupported { .. } => (Code::ImportFile, format!("Export again in another format; {unchanged}.")),
        _ => (Code::ImportFile, format!("Export the passwords again from the other program and retry; {unchanged}.")),
    };
    CliError::new(code, format!("cannot import {}: {err}", display(file))).hint(hint)
}

pub fn export(path: &Path, format: &str, out: &Path, plain_text_ok: bool) -> Result<()> {
    if format == "csv" && !plain_text_ok {
        return Err(CliError::usage(
            "a CSV export holds every password in plain text, readable by anyone who gets the file",
        )
        .hint("Add --plain-text-ok to confirm, or export with --format kdbx or json, which are encrypted."));
    }
    if out.exists() {
        return Err(CliError::new(Code::Other, format!("{} exists already", display(out)))
            .hint("Choose another file name; an export never replaces a file."));
    }
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let mut unlock = super::open(path, &master)?;
    let kdf = unlock.file.kdf();
    let entries = unlock.vault.live_entries().count();
    let (bytes, label) = match format {
        "csv" => (export::csv::write(&unlock.vault), "CSV (plain text)"),
        encrypted => {
            let password =
                secrets.new_secret_line("export password")?.filter(|p| !p.expose().is_empty()).ok_or_else(|| {
                    CliError::usage("no password for the export: an encrypted export needs one")
                        .hint("Give it as line 2 of standard input, or run on a terminal to be asked.")
                })?;
            let made = if encrypted == "kdbx" {
                export::kdbx::write(&unlock.vault, &password, kdf).map(|b| (b, "KeePass KDBX 4"))
            } else {
                export::json::write(&unlock.vault, &password, kdf).map(|b| (b, "CRM Vault JSON (encrypted)"))
            };
            let (bytes, label) = made.map_err(|err| CliError::new(Code::Other, format!("could not export: {err}")))?;
            (Zeroizing::new(bytes), label)
        }
    };
    let written = vault::store::write_file_atomic(out, &bytes)
        .map_err(|err| CliError::new(Code::Other, format!("could not write {}: {err}", display(out))));
    if written.is_ok() {
        unlock.record(EventKind::Export, None, format!("{label}, {entries} entries"));
    }
    unlock.finish(written)?;
    if format == "csv" {
        eprintln!("This file holds your passwords in plain text: delete it once it has been imported where it goes.");
    }
    super::print(&format!("Exported {entries} entries to {} ({label}).\n", display(out)))
}
