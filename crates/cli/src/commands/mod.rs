//! One function per command: read secrets, call the library, print.

mod edit;
mod files;
mod generate;
mod health;
mod read;
mod settings;
mod sync;
mod totp;

use std::path::Path;

use crate::args::{Cli, Command};
use crate::error::{CliError, Code, Result};
use vault::device::DeviceIdentity;
use vault::model::MergeReport;
use vault::{Author, DeviceId, MasterPassword, Vault, VaultFile};

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
        Command::Ls { vault, json } => read::list(&vault, None, json),
        Command::Search { vault, query, json } => read::list(&vault, Some(&query), json),
        Command::Show { vault, entry, field, json, show_secrets } => {
            read::show(&vault, &entry, field.as_deref(), json, show_secrets)
        }
        Command::Passwd { vault, kdf_memory_mib, kdf_iterations, kdf_parallelism } => {
            files::passwd(&vault, kdf_memory_mib, kdf_iterations, kdf_parallelism)
        }
        Command::Import { vault, file } => files::import(&vault, &file),
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
    }
}

/// This laptop, as it signs its writes. `CRM_VAULT_CONFIG_DIR` overrides the config folder (for
/// portable installs and tests).
pub struct Me {
    pub identity: DeviceIdentity,
}

impl Me {
    pub fn load() -> Me {
        let dir = std::env::var_os("CRM_VAULT_CONFIG_DIR")
            .map(Into::into)
            .or_else(|| dirs::config_dir().map(|d| d.join("crm-vault")));
        let identity = dir.and_then(|d| DeviceIdentity::load_or_create(&d).ok()).unwrap_or_else(|| {
            // Without a writable config folder, this run still needs a unique id for its clocks.
            DeviceIdentity { id: DeviceId::random(), name: vault::device::host_name() }
        });
        Me { identity }
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

/// Tells the user what a save took in from another laptop's save made since the vault was read.
/// On standard error: standard output may be a script's data (an entry id).
/// Opens the vault to read it, telling about any file moved out of its place on the way.
pub fn open(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault)> {
    let (mut file, vault) = VaultFile::open(path, password)?;
    tell_set_aside(&mut file);
    Ok((file, vault))
}

/// Opens the vault to change it (under the save lock), telling as [`open`] does.
pub fn open_for_edit(path: &Path, password: &MasterPassword) -> Result<(VaultFile, Vault)> {
    let (mut file, vault) = VaultFile::open_for_edit(path, password)?;
    tell_set_aside(&mut file);
    Ok((file, vault))
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
