//! The app's command line: `crm-vault-app [--vault PATH] [--login ENTRY]`. A second start hands
//! its arguments to the running instance (single instance), which does what they ask.

use std::path::{Path, PathBuf};

use clap::Parser;
use tauri::{AppHandle, Emitter, Manager};

use crate::commands::{Shared, session};

/// What WebKit's WebDriver adds when it starts a browser to drive (the end-to-end tests): not an
/// option of ours, and no mistake.
const AUTOMATION: &str = "--automation";

/// CRM Vault: the password vault for sales staff.
#[derive(Debug, Parser)]
#[command(
    name = "crm-vault-app",
    version,
    about = "CRM Vault: one master password for the CRM and every system a salesperson logs into.",
    after_help = "If CRM Vault is already running, the running app opens the vault and signs in.\n\
                  If the vault is locked, it asks for the master password (or quick unlock PIN) first.\n\
                  An entry's \"Add to desktop\" writes a launcher that runs this command."
)]
pub struct Launch {
    /// Open this vault file (instead of the one opened last).
    #[arg(long, value_name = "PATH")]
    vault: Option<PathBuf>,
    /// Sign in with this entry in a login window: its id, its exact title, or a search that
    /// matches only it.
    #[arg(long, value_name = "ENTRY")]
    login: Option<String>,
}

impl Launch {
    /// This process's arguments; exits with clap's message on `--help`, `--version` or a mistake.
    pub fn from_command_line() -> Launch {
        Launch::parse_from(std::env::args_os().filter(|arg| arg != AUTOMATION))
    }

    /// The arguments of a second start, read relative to the folder it was started in.
    pub fn from_forwarded(args: &[String], cwd: &str) -> Result<Launch, String> {
        let args = args.iter().filter(|arg| *arg != AUTOMATION);
        let mut launch = Launch::try_parse_from(args).map_err(|e| e.to_string())?;
        if let Some(vault) = &launch.vault
            && vault.is_relative()
        {
            launch.vault = Some(Path::new(cwd).join(vault));
        }
        Ok(launch)
    }

    /// Opens the vault (locking the one open, if another) and signs in with the entry, now if the
    /// vault is unlocked, else right after the unlock.
    pub fn carry_out(self, app: &AppHandle) {
        if let Some(vault) = &self.vault {
            let vault = std::fs::canonicalize(vault).unwrap_or_else(|_| vault.clone());
            let state = app.state::<Shared>();
            let current = session(&state).state().vault_path.map(PathBuf::from);
            let current = current.map(|c| std::fs::canonicalize(&c).unwrap_or(c));
            if current.as_deref() != Some(vault.as_path()) {
                let opened = session(&state).open_vault(&vault).map(|_| ());
                if let Err(error) = opened {
                    let _ = app.emit_to("main", "login-failed", error);
                    return;
                }
                crate::commands::announce_lock(app, "other-vault");
            }
        }
        if let Some(entry) = self.login {
            let unlocked = session(&app.state::<Shared>()).check_unlocked().is_ok();
            if unlocked {
                crate::login::report_failure(app, crate::login::start(app, &entry).map(|_| ()));
            } else {
                session(&app.state::<Shared>()).sign_in_after_unlock(entry);
                crate::window::show_main(app);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_start_names_its_vault_relative_to_its_own_folder() {
        let args = ["crm-vault-app", "--vault", "sync/vault.crmvault", "--login", "纷享销客"].map(String::from);
        let launch = Launch::from_forwarded(&args, "/home/li").unwrap();
        assert_eq!(launch.vault.as_deref(), Some(Path::new("/home/li/sync/vault.crmvault")));
        assert_eq!(launch.login.as_deref(), Some("纷享销客"));
        assert!(Launch::from_forwarded(&["crm-vault-app".into(), "--bogus".into()], "/").is_err());
        let bare = Launch::from_forwarded(&["crm-vault-app".into()], "/").unwrap();
        assert!(bare.vault.is_none() && bare.login.is_none());
    }

    #[test]
    fn help_names_both_options() {
        let help = <Launch as clap::CommandFactory>::command().render_long_help().to_string();
        assert!(help.contains("--vault <PATH>") && help.contains("--login <ENTRY>"), "{help}");
        assert!(help.contains("already running"), "{help}");
    }
}
