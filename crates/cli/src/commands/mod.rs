//! One function per command: read secrets, call the library, print.

mod company;
mod edit;
mod files;
mod generate;
mod handover;
mod health;
mod log;
mod read;
mod settings;
mod sync;
mod totp;
mod transfer;

use std::path::{Path, PathBuf};

use crate::args::{Cli, Command};
use crate::error::{CliError, Code, Result};
use session::activity::{self as activity, Unlocked};
use vault::activity::{Event, EventKind};
use vault::device::DeviceIdentity;
use vault::format::ReadError;
use vault::model::MergeReport;
use vault::store::OpenError;
use vault::{Author, Clock, DeviceId, EntryId, MasterPassword, SystemClock, Vault, VaultFile};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Init { vault, kdf_memory_mib, kdf_iterations, kdf_parallelism, name } => {
            files::init(&vault, kdf_memory_mib, kdf_iterations, kdf_parallelism, name)
        }
        Command::Add { vault, title, fields, generate } => edit::add(&vault, title, fields, generate),
        Command::Edit {
            vault,
            entry,
            title,
            fields,
            remove_tags,
            remove_fields,
            no_rules,
            no_expiry,
            no_also_fill_on,
            default_autotype,
            no_autotype_windows,
            password_stdin,
            generate,
        } => edit::edit(
            &vault,
            &entry,
            edit::EditArgs {
                title,
                fields,
                remove_tags,
                remove_fields,
                no_rules,
                no_expiry,
                no_also_fill_on,
                default_autotype,
                no_autotype_windows,
                password_stdin,
                generate,
            },
        ),
        Command::Rm { vault, entry } => edit::remove(&vault, &entry),
        Command::Undelete { vault, entry } => edit::undelete(&vault, &entry),
        Command::Ls { vault, json, favourites } => read::list(&vault, None, json, favourites),
        Command::Search { vault, query, json } => read::list(&vault, Some(&query), json, false),
        Command::Fav { vault, entry } => edit::favourite(&vault, &entry, true),
        Command::Unfav { vault, entry } => edit::favourite(&vault, &entry, false),
        Command::Show { vault, entry, field, json, show_secrets } => {
            read::show(&vault, &entry, field.as_deref(), json, show_secrets)
        }
        Command::Passwd { vault, kdf_memory_mib, kdf_iterations, kdf_parallelism } => {
            files::passwd(&vault, kdf_memory_mib, kdf_iterations, kdf_parallelism)
        }
        Command::Import { vault, file, format, key_file, keep_notes } => {
            transfer::import(&vault, &file, format.as_deref(), key_file.as_deref(), keep_notes)
        }
        Command::Export { vault, format, out, plain_text_ok } => transfer::export(&vault, &format, &out, plain_text_ok),
        Command::Backups { vault } => files::backups(&vault),
        Command::Restore { vault, backup } => files::restore(&vault, &backup),
        Command::Generate(args) => generate::generate(&args),
        Command::Settings { vault, rotation_days, no_rotation, owner_name, company, expiry_warning_days } => {
            let rotation = if no_rotation { Some(None) } else { rotation_days.map(Some) };
            settings::settings(&vault, rotation, owner_name, company, expiry_warning_days)
        }
        Command::Totp { vault, entry, uri, at } => totp::totp(vault.as_deref(), entry.as_deref(), uri.as_deref(), at),
        Command::Merge { vault, other } => sync::merge(&vault, &other),
        Command::Sync { vault } => sync::sync(&vault),
        Command::Health { vault, json, hibp } => health::health(&vault, json, hibp.as_deref()),
        Command::Log(args) => log::log(&args),
        Command::Handover { vault, entries, out, expires, to } => {
            handover::handover(&vault, &entries, &out, Some(&expires), &to)
        }
        Command::HandoverCompany { vault, tag, out, to } => handover::company(&vault, &tag, &out, &to),
        Command::Receive { vault, file } => handover::receive(&vault, &file),
        Command::Handovers { vault, json } => handover::list(&vault, json),
        Command::Policy { vault, json } => company::policy(&vault, json),
        Command::Inventory { vault, json, csv } => company::inventory(&vault, json, csv),
    }
}

/// This laptop, as it signs its writes. `CRM_VAULT_CONFIG_DIR` overrides the config folder (for
/// portable installs and tests).
pub struct Me {
    pub identity: DeviceIdentity,
    /// Where failed unlocks wait for the next successful one; `None` without a home folder.
    pub config_dir: Option<PathBuf>,
}

impl Me {
    pub fn load() -> Me {
        let config_dir: Option<PathBuf> = std::env::var_os("CRM_VAULT_CONFIG_DIR")
            .map(Into::into)
            .or_else(|| dirs::config_dir().map(|d| d.join("crm-vault")));
        let identity =
            config_dir.as_deref().and_then(|d| DeviceIdentity::load_or_create(d).ok()).unwrap_or_else(|| {
                // Without a writable config folder, this run still needs a unique id for its clocks.
                DeviceIdentity { id: DeviceId::random(), name: vault::device::host_name() }
            });
        Me { identity, config_dir }
    }

    pub fn author(&self) -> Author<'static> {
        session::write::author(&self.identity)
    }

    /// Saves the vault as this laptop (the session layer's save flow, as the app saves) and
    /// tells what came in from another laptop's save meanwhile.
    pub fn save(&self, file: &mut VaultFile, vault: &mut Vault) -> Result<()> {
        took_in(session::write::save(&self.identity, file, vault)?);
        Ok(())
    }
}

/// Prints to standard output; a closed pipe (`| head`) is not an error worth a message.
pub fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::new(Code::Other, format!("could not print: {err}")))
        }
        _ => Ok(()),
    }
}

/// Opens the vault to read it with the master password: an unlock, recorded in the vault by
/// [`Unlock::finish`] or [`Unlock::save`].
pub fn open(path: &Path, password: &MasterPassword) -> Result<Unlock> {
    Unlock::open(path, password, false)
}

/// Opens the vault to change it (under the save lock), as [`open`] does.
pub fn open_for_edit(path: &Path, password: &MasterPassword) -> Result<Unlock> {
    Unlock::open(path, password, true)
}

/// A vault this run unlocked with the master password. The unlock (and what the command adds
/// with [`Unlock::record`]) goes into the vault's activity log with the command's own save
/// ([`Unlock::save`]); a command that saves nothing else saves it in [`Unlock::finish`], without
/// a backup, and only warns if that fails: a read-only vault still lists. A command that fails
/// records nothing, so a failed command leaves the vault file as it was.
pub struct Unlock {
    pub file: VaultFile,
    pub vault: Vault,
    pub me: Me,
    unlocked: Unlocked,
    /// Whether a save was attempted: a failed change must not be followed by a second save.
    saved: bool,
}

impl Unlock {
    fn open(path: &Path, password: &MasterPassword, edit: bool) -> Result<Unlock> {
        let me = Me::load();
        let opened = if edit { VaultFile::open_for_edit(path, password) } else { VaultFile::open(path, password) };
        let (mut file, mut vault) = match opened {
            Err(err @ OpenError::Read(ReadError::WrongPassword)) => {
                if let Some(dir) = &me.config_dir {
                    activity::failed_unlock(dir, path, activity::WRONG_PASSWORD, SystemClock.now_ms());
                }
                return Err(err.into());
            }
            opened => opened?,
        };
        tell_set_aside(&mut file);
        handover::drop_expired(&mut vault, &me);
        let now = SystemClock.now_ms();
        let unlocked = match &me.config_dir {
            Some(dir) => {
                activity::record_unlock(dir, path, &mut vault, &me.identity, activity::BY_COMMAND_LINE, now, None)
            }
            None => {
                vault.record(Event::at(EventKind::Unlock, now, me.identity.id).detail(activity::BY_COMMAND_LINE));
                Unlocked::default()
            }
        };
        for notice in &unlocked.notices {
            eprintln!("Note: {}.", activity::describe(notice, &vault));
        }
        Ok(Unlock { file, vault, me, unlocked, saved: false })
    }

    /// Records `kind` about `entry` (if any), with `detail`: never a secret value.
    pub fn record(&mut self, kind: EventKind, entry: Option<EntryId>, detail: impl Into<String>) {
        let author = self.me.author();
        match entry {
            Some(id) => self.vault.record_for(kind, id, detail, author),
            None => self.vault.record(Event::new(kind, author).detail(detail)),
        }
    }

    /// Saves the change, with the activity recorded, as this laptop (a backup is kept).
    pub fn save(&mut self) -> Result<()> {
        self.saved = true;
        self.me.save(&mut self.file, &mut self.vault)?;
        self.saved_activity();
        Ok(())
    }

    /// Notes that the command saved the vault another way (a merge, a master password change):
    /// `ok` says whether it worked.
    pub fn saved_by_command(&mut self, ok: bool) {
        self.saved = true;
        if ok {
            self.saved_activity();
        }
    }

    /// Ends a command that did its job: the activity not saved yet is saved now, on its own
    /// (without a backup). Passes `result` through, and saves nothing if it is an error.
    pub fn finish(mut self, result: Result<()>) -> Result<()> {
        if result.is_err() || self.saved {
            return result;
        }
        self.saved = true;
        match session::write::save_activity(&self.me.identity, &mut self.file, &mut self.vault) {
            Ok(report) => {
                took_in(report);
                self.saved_activity();
            }
            Err(err) => {
                let err = CliError::from(err);
                eprintln!("Warning: this use of the vault could not be recorded in its activity log: {}.", err.message);
            }
        }
        result
    }

    /// The failed attempts now in the vault are no longer kept on this laptop.
    fn saved_activity(&self) {
        if let Some(dir) = &self.me.config_dir {
            activity::forget_moved(dir, self.file.path(), &self.unlocked);
        }
    }
}

/// Files found in the vault's place that were not to be trusted and were moved aside.
pub fn tell_set_aside(file: &mut VaultFile) {
    for aside in file.take_set_aside() {
        eprintln!(
            "Warning: the file in the vault's place was not merged: {}. It was moved to {} and the vault kept; \
merge it on purpose with `crm-vault merge` only if you trust it.",
            aside.why,
            display(&aside.moved_to)
        );
    }
}

/// Tells the user what a save took in from another laptop's save made since the vault was read.
/// On standard error: standard output may be a script's data (an entry id).
pub fn took_in(report: MergeReport) {
    if !report.is_empty() {
        eprintln!("Merged changes saved meanwhile by another laptop:");
        for line in report.lines() {
            eprintln!("  {line}");
        }
    }
}

/// Said when a secret came as an argument (still accepted, for scripts written that way): other
/// users of the computer can see arguments while the command runs, and the shell keeps them.
pub fn warn_secret_argument(option: &str) {
    eprintln!(
        "Note: the TOTP secret was given as an argument, where other users of this computer can see it and your \
         shell history keeps it. Next time give `{option} -` and the link on standard input."
    );
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
