//! Reading secrets: from the terminal without echo, or from standard input one per line.

use secrecy::SecretString;
use std::io::{BufRead, IsTerminal};
use zeroize::Zeroizing;

use crate::error::{CliError, Code, Result};
use vault::{MasterPassword, SecretText};

/// Where secrets come from for this run. The order of the lines is part of the command line's
/// interface (see `after_help` in `args.rs`): the master password, the second password if the
/// command takes one, the TOTP link for `--totp -`, then each `--field-stdin` value.
pub struct Secrets {
    terminal: bool,
    /// Lines of standard input read so far, to say which one is missing.
    lines_read: usize,
}

impl Secrets {
    pub fn from_stdin() -> Self {
        Secrets { terminal: std::io::stdin().is_terminal(), lines_read: 0 }
    }

    /// A TOTP link or key for `--totp -` or `--uri -` (asked for once on a terminal: it is checked
    /// when parsed, so a typo is caught anyway).
    pub fn totp_link(&mut self, option: &str) -> Result<Zeroizing<String>> {
        let next = self.lines_read + 1;
        match self.line("TOTP link or key: ")? {
            Some(text) if !text.trim().is_empty() => Ok(text),
            _ => Err(CliError::usage(format!(
                "{option} - was given but line {next} of standard input, which should hold the TOTP link, is missing or empty"
            ))
            .hint("Give the otpauth:// link or the key as text on that line; `crm-vault help` lists the order of the lines.")),
        }
    }

    /// The value of `--field-stdin NAME`: asked for twice on a terminal (it is typed blind), else
    /// the next line, which may be empty.
    pub fn field_value(&mut self, name: &str) -> Result<SecretText> {
        if self.terminal {
            let first = self.line(&format!("Value of the field \"{name}\": "))?.unwrap_or_default();
            let again = self.line(&format!("Value of the field \"{name}\" again: "))?.unwrap_or_default();
            if *first != *again {
                return Err(CliError::usage(format!(
                    "the two values you typed for the field \"{name}\" are different; nothing was changed"
                )));
            }
            return Ok(SecretText::new(first.as_str()));
        }
        let next = self.lines_read + 1;
        let text = self.line("")?.ok_or_else(|| {
            CliError::usage(format!(
                "--field-stdin {name} was given but standard input has no line {next} with its value"
            ))
            .hint("`crm-vault help` lists the order of the lines on standard input.")
        })?;
        Ok(SecretText::new(text.as_str()))
    }

    /// The vault's master password (line 1).
    pub fn master_password(&mut self) -> Result<MasterPassword> {
        let text = self.line("Master password: ")?.ok_or_else(|| {
            CliError::usage("no master password: standard input was empty")
                .hint("Give the master password as line 1 of standard input, or run on a terminal to be asked.")
        })?;
        Ok(SecretString::from(text.as_str()))
    }

    /// Another vault file's master password (line 2; asked for once on a terminal). `None` when
    /// standard input has no line 2.
    pub fn other_password(&mut self, prompt: &str) -> Result<Option<MasterPassword>> {
        Ok(self.line(&format!("{prompt}: "))?.map(|text| SecretString::from(text.as_str())))
    }

    /// The password of a file to import (line 2; asked for once on a terminal). `None` when
    /// standard input has no line 2, or the line is empty (a KeePass file opened by its key file
    /// alone).
    pub fn file_password(&mut self, prompt: &str) -> Result<Option<SecretText>> {
        let text = self.line(&format!("{prompt}: "))?;
        Ok(text.filter(|t| !t.is_empty()).map(|t| SecretText::new(t.as_str())))
    }

    /// A new master password: asked twice on a terminal; must not be empty.
    /// A new master password, refused as the app refuses it ([`session::policy`]): empty, or too
    /// easy to guess. `user_inputs` are words an attacker would try first (the vault's path).
    pub fn new_master_password(&mut self, what: &str, user_inputs: &[&str]) -> Result<MasterPassword> {
        let text = self.new_secret(what)?;
        session::policy::check_master_password(text.expose(), user_inputs).map_err(CliError::usage)?;
        Ok(SecretString::from(text.expose()))
    }

    /// A second secret (line 2), asked twice on a terminal. `None` when standard input has no line 2.
    pub fn new_secret_line(&mut self, what: &str) -> Result<Option<SecretText>> {
        if self.terminal {
            return self.new_secret(what).map(Some);
        }
        Ok(self.line("")?.map(|text| SecretText::new(text.as_str())))
    }

    fn new_secret(&mut self, what: &str) -> Result<SecretText> {
        if !self.terminal {
            let text = self.line("")?.ok_or_else(|| CliError::usage(format!("no {what} on standard input")))?;
            return Ok(SecretText::new(text.as_str()));
        }
        let first = self.line(&format!("{what}: "))?.unwrap_or_default();
        let again = self.line(&format!("{what} again: "))?.unwrap_or_default();
        if *first != *again {
            return Err(CliError::usage(format!("the two {what}s you typed are different; nothing was changed")));
        }
        Ok(SecretText::new(first.as_str()))
    }

    /// One line: typed without echo on a terminal, else the next line of standard input.
    fn line(&mut self, prompt: &str) -> Result<Option<Zeroizing<String>>> {
        if self.terminal {
            let typed = rpassword::prompt_password(prompt)
                .map_err(|err| CliError::new(Code::Other, format!("could not read from the terminal: {err}")))?;
            return Ok(Some(Zeroizing::new(typed)));
        }
        let mut text = Zeroizing::new(String::new());
        let read = std::io::stdin()
            .lock()
            .read_line(&mut text)
            .map_err(|err| CliError::new(Code::Other, format!("could not read standard input: {err}")))?;
        if read == 0 {
            return Ok(None);
        }
        self.lines_read += 1;
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        text.truncate(trimmed);
        Ok(Some(text))
    }
}
