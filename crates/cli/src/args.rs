//! The command line's shape. Secrets are never arguments: see `secrets.rs`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "crm-vault",
    version,
    about = "CRM Vault: one encrypted vault for every system you log into",
    after_help = "Secrets are never arguments. On a terminal they are asked for without echo. \
When standard input is not a terminal, they are read from it one per line, in this order:\n\
  1. the master password (the current one for passwd; none for totp --uri -);\n\
  2. the second password, if the command takes one: the entry's password for add (unless \
--generate; an empty line for none) and for edit --password-stdin, the new master password for \
passwd, the other file's password for merge;\n\
  3. the TOTP link or key, for --totp - (and totp --uri -);\n\
  4. the value of each --field-stdin NAME, in the order the options are given.\n\
A line that is not needed is not read. handover and handover-company take the hand-over's \
passphrase as line 2 (asked twice on a terminal), receive the file's passphrase as line 2. import takes the file's password (if it has one) as line \
2, export --format kdbx|json the export's password as line 2 (asked twice on a terminal).\n\nExit \
codes: 0 done, 1 other error, 2 usage, 3 wrong master password, 4 damaged/tampered/unsupported vault \
file, 5 entry not found or ambiguous, 6 wrong hand-over passphrase, 7 damaged, tampered, unsupported or \
not a hand-over file, 8 hand-over expired, 10 the company policy file is malformed, 11 wrong password or key file for the \
file to import, 12 the file to import is damaged, cut short, too large or not a password export."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty vault file.
    Init {
        vault: PathBuf,
        /// Argon2id memory in MiB (19 to 4096).
        #[arg(long, default_value_t = 64)]
        kdf_memory_mib: u32,
        /// Argon2id passes (2 to 100).
        #[arg(long, default_value_t = 3)]
        kdf_iterations: u32,
        /// Argon2id lanes (1 to 16).
        #[arg(long, default_value_t = 4)]
        kdf_parallelism: u32,
        /// The vault's name, shown in the app.
        #[arg(long)]
        name: Option<String>,
    },
    /// Add an entry; prints its id. Its password is line 2 of standard input (or asked for).
    Add {
        vault: PathBuf,
        #[arg(long)]
        title: String,
        #[command(flatten)]
        fields: EntryFields,
        #[command(flatten)]
        generate: GenerateArgs,
    },
    /// Change an entry.
    Edit {
        vault: PathBuf,
        entry: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        fields: EntryFields,
        /// Remove a tag.
        #[arg(long = "remove-tag", value_name = "TAG")]
        remove_tags: Vec<String>,
        /// Remove a custom field.
        #[arg(long = "remove-field", value_name = "NAME")]
        remove_fields: Vec<String>,
        /// Forget the system's password rules.
        #[arg(long, conflicts_with_all = ["min_length", "max_length", "allowed_symbols", "require"])]
        no_rules: bool,
        /// Clear the expiry date.
        #[arg(long, conflicts_with = "expires")]
        no_expiry: bool,
        /// Forget the sites added with --also-fill-on.
        #[arg(long, conflicts_with = "also_fill_on")]
        no_also_fill_on: bool,
        /// Go back to the default auto-type sequence, {USERNAME}{TAB}{PASSWORD}{ENTER}.
        #[arg(long, conflicts_with = "autotype")]
        default_autotype: bool,
        /// Forget the auto-type window patterns.
        #[arg(long, conflicts_with = "autotype_windows")]
        no_autotype_windows: bool,
        /// Set a new password from line 2 of standard input (or asked for).
        #[arg(long, conflicts_with = "generate")]
        password_stdin: bool,
        #[command(flatten)]
        generate: GenerateArgs,
    },
    /// Delete an entry.
    Rm {
        vault: PathBuf,
        entry: String,
    },
    /// Take a deleted entry back out of the trash: its id, or its exact title.
    Undelete {
        vault: PathBuf,
        entry: String,
    },
    /// List entries, ordered by name (Chinese titles by pinyin, numbers as numbers).
    Ls {
        vault: PathBuf,
        #[arg(long)]
        json: bool,
        /// Only the entries starred as favourites.
        #[arg(long)]
        favourites: bool,
    },
    /// Star an entry as a favourite.
    Fav {
        vault: PathBuf,
        entry: String,
    },
    /// Take the star off an entry.
    Unfav {
        vault: PathBuf,
        entry: String,
    },
    /// List entries whose title, username, URL, tags or notes contain every word of QUERY.
    Search {
        vault: PathBuf,
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Show an entry. Secrets are masked unless asked for with --field or --show-secrets.
    Show {
        vault: PathBuf,
        entry: String,
        /// Print only this field's value: title, username, password, url, notes, totp, or a custom field's name.
        #[arg(long, conflicts_with = "json")]
        field: Option<String>,
        #[arg(long)]
        json: bool,
        /// Include the password, TOTP URI and hidden fields.
        #[arg(long, short = 's')]
        show_secrets: bool,
    },
    /// Change the master password (line 1 old, line 2 new). Other laptops need the new one too.
    Passwd {
        vault: PathBuf,
        /// New Argon2id memory in MiB; the current settings are kept if not given.
        #[arg(long)]
        kdf_memory_mib: Option<u32>,
        #[arg(long)]
        kdf_iterations: Option<u32>,
        #[arg(long)]
        kdf_parallelism: Option<u32>,
    },
    /// Import another password manager's export: KeePass/KeePassXC (.kdbx), Bitwarden JSON,
    /// 1Password (.1pux or CSV), LastPass CSV, Chrome/Edge, Firefox or any CSV with a header, or a
    /// CRM Vault export. The format is told from the content. A file that needs a password takes
    /// it from line 2 (or asks).
    Import {
        vault: PathBuf,
        file: PathBuf,
        /// Read the file as this format instead of telling it from the content: csv, kdbx,
        /// bitwarden-json, 1pux or crm-vault.
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// A KeePass key file (with or without a password).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
        /// Bring secure notes (Bitwarden, 1Password) in as entries holding only notes.
        #[arg(long)]
        keep_notes: bool,
    },
    /// Export the vault's entries: kdbx (KeePass 4, opens in KeePassXC; its password on line
    /// 2), json (CRM Vault's own encrypted export, everything kept; its password on line 2) or
    /// csv (Bitwarden's columns, plain text: needs --plain-text-ok).
    Export {
        vault: PathBuf,
        #[arg(long, value_name = "FORMAT", value_parser = ["kdbx", "json", "csv"])]
        format: String,
        /// The file to write (it must not exist yet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Confirms that a CSV export holds every password in plain text.
        #[arg(long)]
        plain_text_ok: bool,
    },
    /// List the backups kept of a vault, newest first.
    Backups {
        vault: PathBuf,
    },
    /// Put a backup back in place of the vault (the current file is kept as a backup first).
    Restore {
        vault: PathBuf,
        backup: PathBuf,
    },
    /// Generate passwords, one per line; their entropy goes to standard error.
    Generate(GenerateCommand),
    /// Print an entry's current TOTP code, or a link's with --uri. Only the code goes to standard
    /// output; the seconds it stays valid go to standard error.
    Totp {
        /// The vault file (not with --uri).
        #[arg(required_unless_present = "uri", conflicts_with = "uri")]
        vault: Option<PathBuf>,
        /// The entry: its id, its title, or words of its title.
        #[arg(required_unless_present = "uri", conflicts_with = "uri")]
        entry: Option<String>,
        /// A TOTP setup instead of an entry: `-` reads the otpauth:// link or base32 key from
        /// standard input (or asks for it), out of the process list and shell history.
        #[arg(long, value_name = "-")]
        uri: Option<String>,
        /// The code for this moment (Unix seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
    },
    /// Merge another copy of the vault into it, field by field; the other file is not changed.
    /// Line 2, asked for only if the other file does not open with this vault's key, is the
    /// other file's master password.
    Merge {
        vault: PathBuf,
        other: PathBuf,
    },
    /// Merge the conflicted copies that sync services (Dropbox, OneDrive, Nextcloud, Syncthing)
    /// left beside the vault, then move them into the vault's backups folder.
    Sync {
        vault: PathBuf,
    },
    /// Report weak, common, reused, incremental, personal, old, expired, expiring, handed-over (given to a
    /// colleague whose hand-over has ended, not changed since) and (with --hibp) breached
    /// passwords. Exits 0 whether or not there are findings.
    Health {
        vault: PathBuf,
        #[arg(long)]
        json: bool,
        /// Have I Been Pwned's Pwned Passwords SHA-1 file, ordered by hash; searched on this
        /// computer, nothing is sent.
        #[arg(long, value_name = "FILE")]
        hibp: Option<PathBuf>,
    },
    /// Show or change the settings that travel with the vault: the rotation period, and the owner's
    /// name and company (passwords made of them are reported as personal).
    Settings {
        vault: PathBuf,
        /// Days after which a password is due for a change (1 to 3650).
        #[arg(long, value_name = "DAYS", value_parser = rotation_days)]
        rotation_days: Option<u32>,
        /// Never report passwords as due for a change.
        #[arg(long, conflicts_with = "rotation_days")]
        no_rotation: bool,
        #[arg(long, value_name = "NAME")]
        owner_name: Option<String>,
        #[arg(long, value_name = "NAME")]
        company: Option<String>,
        /// Days ahead of an entry's expiry date that `health` reports it as expiring (0 to 365; 0: never).
        #[arg(long, value_name = "DAYS", value_parser = expiry_warning_days)]
        expiry_warning_days: Option<u32>,
    },
    /// Show the company policy in force (CRM_VAULT_POLICY or /etc/crm-vault/policy.toml) and
    /// where it came from. A malformed policy file exits 10. Asks for no master password.
    Policy {
        vault: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The accounts list for IT: every entry's system, user name, URLs, whether TOTP is set up,
    /// when its password last changed, and tags. Never a secret.
    Inventory {
        vault: PathBuf,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
    /// Show the vault's activity log, newest first: unlocks and failed attempts, reveals, changes
    /// to entries, imports, merges, master password and settings changes. Never a secret value.
    /// Hand entries over to a colleague for a while, in a .crmhandover file sealed with a
    /// passphrase (line 2) you give them another way. They receive it with `receive`; the
    /// entries leave their vault at the expiry, and `health` then asks you to change the passwords.
    Handover {
        vault: PathBuf,
        /// The entries: ids, titles, or words of titles.
        #[arg(required = true)]
        entries: Vec<String>,
        /// The file to write (it must not exist yet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// How long the colleague keeps them: hours or days from 1h to 30d, such as 8h or 3d.
        #[arg(long, value_name = "DURATION")]
        expires: String,
        /// Whom it is for, as the vault will remember it.
        #[arg(long, value_name = "NAME", default_value = "")]
        to: String,
    },
    /// Hand the company accounts (every entry with TAG) over to IT, without expiry, in a
    /// .crmhandover file sealed with a passphrase (line 2).
    HandoverCompany {
        vault: PathBuf,
        #[arg(long, value_name = "TAG")]
        tag: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "NAME", default_value = "IT")]
        to: String,
    },
    /// Receive a .crmhandover file into the vault (its passphrase is line 2). All of its entries
    /// arrive, marked as handed over and read-only, or none do.
    Receive {
        vault: PathBuf,
        file: PathBuf,
    },
    /// List the hand-overs this vault made: to whom, until when, which entries.
    Handovers {
        vault: PathBuf,
        #[arg(long)]
        json: bool,
    },
    Log(LogArgs),
}

#[derive(Debug, Args)]
pub struct LogArgs {
    pub vault: PathBuf,
    /// A list of objects: time (UTC), kind, device, device_id, entry (title), entry_id, detail.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Comma-separated values with a header row (the same columns as --json).
    #[arg(long)]
    pub csv: bool,
    /// Only events from then on: a day (2026-11-30, from midnight here), an RFC 3339 time
    /// (2026-11-30T08:00:00Z), or a span back from now (7d, 24h, 30m).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only events about this entry: its id, its title, or words of its title (an entry deleted
    /// for good by the title it had).
    #[arg(long, value_name = "ENTRY")]
    pub entry: Option<String>,
    /// Only events of this kind (unlock, unlock-failed, reveal, entry-edited...); may be given
    /// more than once.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only events on the laptop of this name (or device id).
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateCommand {
    /// Characters per password (8 to 128).
    #[arg(long, default_value_t = vault::generate::DEFAULT_LENGTH, conflicts_with = "passphrase")]
    pub length: usize,
    #[arg(long, conflicts_with = "passphrase")]
    pub no_lower: bool,
    #[arg(long, conflicts_with = "passphrase")]
    pub no_upper: bool,
    #[arg(long, conflicts_with = "passphrase")]
    pub no_digits: bool,
    #[arg(long, conflicts_with_all = ["passphrase", "symbols"])]
    pub no_symbols: bool,
    /// The symbols to use instead of the default set (some systems refuse some symbols).
    #[arg(long, value_name = "SET", conflicts_with = "passphrase")]
    pub symbols: Option<String>,
    /// Leave out characters that look alike: I l 1 | O 0 o ` ' "
    #[arg(long, conflicts_with = "passphrase")]
    pub exclude_similar: bool,
    /// Words from the EFF large wordlist instead of random characters.
    #[arg(long)]
    pub passphrase: bool,
    /// Words per passphrase (3 to 20).
    #[arg(long, requires = "passphrase", default_value_t = vault::generate::DEFAULT_WORDS)]
    pub words: usize,
    /// Between words (at most 3 characters, no letters or digits).
    #[arg(long, requires = "passphrase", default_value = "-", allow_hyphen_values = true)]
    pub separator: String,
    /// Capitalise each word.
    #[arg(long, requires = "passphrase")]
    pub capitalise: bool,
    /// Add a digit after one of the words.
    #[arg(long, requires = "passphrase")]
    pub add_digit: bool,
    /// How many to print (1 to 1000).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
}

/// Fields shared by `add` and `edit`.
#[derive(Debug, Args)]
pub struct EntryFields {
    #[arg(long)]
    pub username: Option<String>,
    /// May be given more than once; the first is the one "open URL" uses.
    #[arg(long = "url", value_name = "URL")]
    pub urls: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A custom field that is not secret, NAME=VALUE (employee id, region...): arguments can be
    /// seen by other users of the computer and stay in shell history, so use --field-stdin for
    /// anything secret.
    // Parsed in the command, not by clap: clap's error for a bad value would quote the value.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    pub custom: Vec<String>,
    /// A custom field whose value is read from standard input (or asked for without echo).
    /// May be given more than once; the values follow in the same order.
    #[arg(long = "field-stdin", value_name = "NAME")]
    pub fields_from_stdin: Vec<String>,
    /// Make the fields read with --field-stdin hidden: masked by `show` and in the app until
    /// revealed. Without it, `add` makes them visible and `edit` keeps a field's current setting.
    #[arg(long, requires = "fields_from_stdin")]
    pub hidden: bool,
    /// The entry's TOTP setup: `-` reads the otpauth:// link (or the key the site shows as text)
    /// from standard input, or asks for it on a terminal. An empty value removes it.
    #[arg(long, value_name = "-")]
    pub totp: Option<String>,
    /// The day the account or its password expires, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<vault::model::ExpiryDate>,
    /// Another site the login window may fill with this entry, such as a single sign-on page
    /// (https://sso.example.com). May be given more than once; replaces the entry's list.
    #[arg(long = "also-fill-on", value_name = "ORIGIN")]
    pub also_fill_on: Vec<String>,
    /// The entry's own auto-type sequence, in KeePassXC's syntax: {USERNAME}{TAB}{PASSWORD}{ENTER}
    /// is the default; {TOTP}, {DELAY 500}, {S:field name} and key names such as {TAB 2} also work.
    #[arg(long, value_name = "SEQUENCE", allow_hyphen_values = true)]
    pub autotype: Option<String>,
    /// A window title that auto-types this entry: * matches any text (*CRM - Firefox), //regex//
    /// a regular expression. May be given more than once; replaces the entry's list.
    #[arg(long = "autotype-window", value_name = "PATTERN")]
    pub autotype_windows: Vec<String>,
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// What the system accepts in a password; remembered on the entry and used by `--generate`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The system's shortest allowed password.
    #[arg(long, value_name = "N")]
    pub min_length: Option<u16>,
    /// The system's longest allowed password.
    #[arg(long, value_name = "N")]
    pub max_length: Option<u16>,
    /// The only symbols the system accepts ("" for none).
    #[arg(long, value_name = "SET")]
    pub allowed_symbols: Option<String>,
    /// Kinds of character the system requires: lower, upper, digits, symbols (comma-separated).
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_enum)]
    pub require: Option<Vec<CharacterKind>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CharacterKind {
    Lower,
    Upper,
    Digits,
    Symbols,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Generate the password instead of reading it.
    #[arg(long)]
    pub generate: bool,
    /// Length of the generated password (8 to 128; default 20, or what the entry's rules allow).
    #[arg(long, requires = "generate")]
    pub length: Option<usize>,
}

/// `--field NAME=VALUE` as a name and a value. The error never holds the text: a user who typed
/// `--field pin:4711` must not find the PIN in an error message, a log or a support ticket.
pub fn parse_field(text: &str) -> Result<(String, String), FieldFormatError> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_owned(), value.to_owned())),
        _ => Err(FieldFormatError),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("--field takes NAME=VALUE: a name, an equals sign, then the value (the value given is not repeated here)")]
pub struct FieldFormatError;

/// A rotation period in days, within the range the core allows.
fn rotation_days(text: &str) -> Result<u32, String> {
    let range = vault::model::Settings::ROTATION_DAYS;
    match text.trim().parse::<u32>() {
        Ok(days) if range.contains(&days) => Ok(days),
        _ => Err(format!("expected a number of days from {} to {}", range.start(), range.end())),
    }
}

fn expiry_warning_days(text: &str) -> Result<u32, String> {
    let range = vault::model::Settings::EXPIRY_WARNING_DAYS;
    match text.trim().parse::<u32>() {
        Ok(days) if range.contains(&days) => Ok(days),
        _ => Err(format!("expected a number of days from {} to {}", range.start(), range.end())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_field_is_refused_without_repeating_it() {
        assert_eq!(parse_field("Employee ID=4711"), Ok(("Employee ID".into(), "4711".into())));
        assert_eq!(parse_field("note=a=b"), Ok(("note".into(), "a=b".into())));
        for bad in ["pin:4711-secret", "=4711-secret", "  =4711-secret"] {
            let message = parse_field(bad).unwrap_err().to_string();
            assert!(!message.contains("4711"), "{message}");
        }
    }
}
