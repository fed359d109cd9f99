//! Errors as the user reads them: what happened, what to do, and the exit code scripts test.

use std::fmt::Display;
use vault::find::FindError;
use vault::format::ReadError;
use vault::store::{OpenError, SaveError};

/// Exit codes, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Other = 1,
    Usage = 2,
    WrongPassword = 3,
    BadFile = 4,
    NotFound = 5,
}

#[derive(Debug)]
pub struct CliError {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(code: Code, message: impl Display) -> Self {
        CliError { code, message: message.to_string(), hint: None }
    }

    pub fn hint(mut self, hint: impl Display) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    pub fn usage(message: impl Display) -> Self {
        CliError::new(Code::Usage, message)
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

const RESTORE_HINT: &str = "Your backups are untouched: `crm-vault backups VAULT` lists them and \
`crm-vault restore VAULT BACKUP` puts one back. A copy from your other laptop or your sync \
service's version history also works.";

const TOO_LARGE_HINT: &str = "Nothing was read or changed. Check that the path names a vault file; if the sync \
service put this file there, move it away. `crm-vault backups VAULT` lists the earlier versions of the vault.";

impl From<ReadError> for CliError {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::WrongPassword => CliError::new(Code::WrongPassword, "the master password is wrong")
                .hint("Check Caps Lock and that the keyboard is not in Chinese input mode, then try again."),
            ReadError::UnsupportedVersion(_) | ReadError::UnsupportedKdf(_) => CliError::new(Code::BadFile, err)
                .hint("It was probably made by a newer CRM Vault: update CRM Vault and try again."),
            ReadError::NotAVault => {
                CliError::new(Code::BadFile, err).hint("Check the path: it should name a .crmvault file.")
            }
            _ => CliError::new(Code::BadFile, err).hint(RESTORE_HINT),
        }
    }
}

impl From<OpenError> for CliError {
    fn from(err: OpenError) -> Self {
        match err {
            OpenError::Read(read) => read.into(),
            OpenError::Save(save) => save.into(),
            OpenError::NotFound(_) => {
                CliError::new(Code::Other, err).hint("Check the path, or create a vault with `crm-vault init VAULT`.")
            }
            OpenError::TooLarge(_) => CliError::new(Code::BadFile, err).hint(TOO_LARGE_HINT),
            other => CliError::new(Code::Other, other),
        }
    }
}

impl From<SaveError> for CliError {
    fn from(err: SaveError) -> Self {
        let hint = match &err {
            SaveError::PasswordChangedElsewhere { .. } => {
                "Nothing was saved and the vault file was left as it is. Run the command again with the new master password."
            }
            SaveError::OtherVaultOnDisk(_) => {
                "Nothing was saved and that file was left as it is. Check what your sync folder put there (move it away if it is not yours), then try again."
            }
            SaveError::UnreadableOnDisk { .. } => {
                "Nothing was saved and the file on disk was left as it is. Wait for your sync service to finish, then try again; `crm-vault backups VAULT` lists the earlier versions."
            }
            SaveError::Merge(_) => {
                "Nothing was merged; the vault file is unchanged. Check that the other file is a copy of this vault."
            }
            SaveError::Busy => "Nothing was saved. Wait for the other program to finish, then try again.",
            SaveError::DiskFull => {
                "Nothing was saved and the vault file is unchanged. Free some space, then try again."
            }
            SaveError::ReadOnly => {
                "Nothing was saved and the vault file is unchanged. Check the folder's permissions, or that the drive is not read-only."
            }
            SaveError::AlreadyExists(_) => "Choose another file name, or open the existing vault.",
            SaveError::TooLarge(_) => TOO_LARGE_HINT,
            SaveError::LinkRefused(_) => {
                "Nothing was saved and the vault file is unchanged. Someone or something put the link there: remove it (CRM Vault makes a real file or folder in its place), then try again."
            }
            _ => "Nothing was saved; the vault file is unchanged.",
        };
        let code = match err {
            SaveError::Kdf(_) => Code::Usage,
            SaveError::UnreadableOnDisk { .. } | SaveError::TooLarge(_) => Code::BadFile,
            _ => Code::Other,
        };
        CliError::new(code, err).hint(hint)
    }
}

impl From<FindError> for CliError {
    fn from(err: FindError) -> Self {
        match &err {
            FindError::Ambiguous { candidates, .. } => {
                let list: Vec<String> =
                    candidates.iter().map(|(id, title, user)| format!("  {id}  {title}  {user}")).collect();
                CliError::new(Code::NotFound, &err)
                    .hint(format!("Name one of them by its id or exact title:\n{}", list.join("\n")))
            }
            _ => CliError::new(Code::NotFound, &err).hint("`crm-vault ls VAULT` lists the entries."),
        }
    }
}
