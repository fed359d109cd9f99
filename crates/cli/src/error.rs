//! Errors as the user reads them: what happened, what to do, and the exit code scripts test.
//! Core errors go through the session layer's [`ErrorCode`], the same codes the desktop app shows.

use std::fmt::Display;
use vault::find::FindError;
use vault::format::ReadError;
use vault::store::{OpenError, SaveError};

use session::error::ErrorCode;
use session::view::IpcError;

/// Exit codes, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Other = 1,
    Usage = 2,
    WrongPassword = 3,
    BadFile = 4,
    NotFound = 5,
    WrongPassphrase = 6,
    BadHandover = 7,
    HandoverExpired = 8,
    /// The company policy file is malformed or unreadable.
    Policy = 10,
    /// Wrong password or key file for the file to import.
    ImportPassword = 11,
    /// The file to import is damaged, cut short, too large or not a password export.
    ImportFile = 12,
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

/// The exit code for a session error: the same [`ErrorCode`] the desktop app translates, so the
/// command line and the app agree on what went wrong. Codes added later exit with `Other`.
pub fn exit_code(code: ErrorCode) -> Code {
    use ErrorCode as E;
    match code {
        E::WrongPassword => Code::WrongPassword,
        E::Unsupported | E::NotAVault | E::Damaged | E::UnreadableOnDisk | E::TooLarge | E::DamagedNoBackup => {
            Code::BadFile
        }
        E::NotFound | E::HandoverNoTagged => Code::NotFound,
        E::HandoverWrongPassphrase => Code::WrongPassphrase,
        E::HandoverNotAFile | E::HandoverUnsupported | E::HandoverDamaged | E::HandoverTampered => Code::BadHandover,
        E::HandoverExpired => Code::HandoverExpired,
        E::HandoverDuration | E::HandoverWeakPassphrase | E::HandoverNoEntries => Code::Usage,
        E::KdfRange
        | E::Invalid
        | E::InvalidDate
        | E::AlsoFillOnInvalid
        | E::AutotypeSequence
        | E::AutotypeWindow
        | E::InvalidPin
        | E::QuickUnlockPeriod
        | E::GenerateLength
        | E::GenerateNoCharacters
        | E::GenerateTooShort
        | E::GenerateNotASymbol
        | E::GenerateWordCount
        | E::GenerateSeparator
        | E::RulesMinAboveMax
        | E::RulesMaxLength
        | E::RulesSymbolsRequired
        | E::RulesNotASymbol
        | E::PolicyForbids => Code::Usage,
        E::PolicyMalformed => Code::Policy,
        _ => Code::Other,
    }
}

/// What to do about a session error, where the command line has more to say than the message.
pub fn hint(code: ErrorCode) -> Option<&'static str> {
    use ErrorCode as E;
    let hint = match code {
        E::WrongPassword => "Check Caps Lock and that the keyboard is not in Chinese input mode, then try again.",
        E::Unsupported => "It was probably made by a newer CRM Vault: update CRM Vault and try again.",
        E::NotAVault => "Check the path: it should name a .crmvault file.",
        E::Damaged => RESTORE_HINT,
        E::NoVault => "Check the path, or create a vault with `crm-vault init VAULT`.",
        E::TooLarge => TOO_LARGE_HINT,
        E::PasswordChangedElsewhere => {
            "Nothing was saved and the vault file was left as it is. Run the command again with the new master password."
        }
        E::OtherVaultOnDisk => {
            "Nothing was saved and that file was left as it is. Check what your sync folder put there (move it away if it is not yours), then try again."
        }
        E::UnreadableOnDisk => {
            "Nothing was saved and the file on disk was left as it is. Wait for your sync service to finish, then try again; `crm-vault backups VAULT` lists the earlier versions."
        }
        E::DifferentVaults => {
            "Nothing was merged; the vault file is unchanged. Check that the other file is a copy of this vault."
        }
        E::Busy => "Nothing was saved. Wait for the other program to finish, then try again.",
        E::DiskFull => "Nothing was saved and the vault file is unchanged. Free some space, then try again.",
        E::ReadOnly => {
            "Nothing was saved and the vault file is unchanged. Check the folder's permissions, or that the drive is not read-only."
        }
        E::Exists => "Choose another file name, or open the existing vault.",
        E::HandoverWrongPassphrase => {
            "Nothing was received. Check the passphrase with the colleague who gave it (it is case-sensitive), then try again."
        }
        E::HandoverDamaged | E::HandoverTampered => {
            "Nothing was received. The file changed on its way: ask the giver to make a new hand-over and send it again."
        }
        E::HandoverNotAFile => "Check the path: it should name a .crmhandover file.",
        E::HandoverUnsupported => "It was made by a newer CRM Vault: update CRM Vault and try again.",
        E::HandoverExpired => "Nothing was received. Ask the giver for a new hand-over if you still need the accounts.",
        E::HandedOverReadOnly => {
            "Entries handed over to you stay as the giver made them; ask the giver to change them."
        }
        E::LinkRefused => {
            "Nothing was saved and the vault file is unchanged. Someone or something put the link there: remove it (CRM Vault makes a real file or folder in its place), then try again."
        }
        _ => return None,
    };
    Some(hint)
}

/// A session error as the user reads it: its message (the wrong master password in plain words),
/// the exit code and hint its code maps to.
impl From<IpcError> for CliError {
    fn from(err: IpcError) -> Self {
        let message = match err.code {
            ErrorCode::WrongPassword => "the master password is wrong".to_owned(),
            _ => err.message,
        };
        let error = CliError::new(exit_code(err.code), message);
        match hint(err.code) {
            Some(hint) => error.hint(hint),
            None => error,
        }
    }
}

impl From<ReadError> for CliError {
    fn from(err: ReadError) -> Self {
        session::error::from_read(err).into()
    }
}

impl From<OpenError> for CliError {
    fn from(err: OpenError) -> Self {
        session::error::from_open(err).into()
    }
}

impl From<SaveError> for CliError {
    fn from(err: SaveError) -> Self {
        let error = CliError::from(session::error::from_save(err));
        // A failed save always leaves the file as it was; say so when the code has nothing more.
        if error.hint.is_none() { error.hint("Nothing was saved; the vault file is unchanged.") } else { error }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code has an exit code scripts can rely on; the failures that name a file the user
    /// must look at (damaged, too large, not a vault) keep theirs, and so does a wrong password.
    #[test]
    fn every_session_error_code_maps_to_an_exit_code_and_the_stable_ones_keep_theirs() {
        for &code in ErrorCode::ALL {
            let err = CliError::from(session::error::error(code, "x"));
            assert_eq!(err.code, exit_code(code), "{code}");
            assert_eq!(err.hint.as_deref(), hint(code), "{code}");
        }
        assert_eq!(exit_code(ErrorCode::WrongPassword), Code::WrongPassword);
        for code in [ErrorCode::Damaged, ErrorCode::NotAVault, ErrorCode::Unsupported, ErrorCode::TooLarge] {
            assert_eq!(exit_code(code), Code::BadFile, "{code}");
        }
        assert_eq!(exit_code(ErrorCode::NotFound), Code::NotFound);
        assert_eq!(exit_code(ErrorCode::KdfRange), Code::Usage);
        assert_eq!(exit_code(ErrorCode::DiskFull), Code::Other);
    }

    #[test]
    fn a_wrong_password_reads_the_same_as_before_and_a_failed_save_says_nothing_was_saved() {
        let err = CliError::from(ReadError::WrongPassword);
        assert_eq!((err.code, err.message.as_str()), (Code::WrongPassword, "the master password is wrong"));
        assert!(err.hint.unwrap().contains("Caps Lock"));
        let err = CliError::from(SaveError::Busy);
        assert!(err.hint.unwrap().starts_with("Nothing was saved"));
    }
}
