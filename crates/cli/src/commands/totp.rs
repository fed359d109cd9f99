//! `crm-vault totp`: the current TOTP code of an entry, or of a link given directly.
//!
//! Standard output is the bare code and a line end, so scripts can use `$(crm-vault totp ...)`;
//! how long it stays valid goes to standard error.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Unlock;
use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::EntryId;
use vault::activity::EventKind;
use vault::find;
use vault::totp::Totp;

/// Prints the code valid at `at` (Unix seconds; now if not given) for `entry` of `vault`, or for
/// `uri`. A `uri` of `-` is read from standard input (or asked for on a terminal), which keeps the
/// secret out of the process list and shell history.
pub fn totp(vault: Option<&Path>, entry: Option<&str>, uri: Option<&str>, at: Option<u64>) -> Result<()> {
    // Kept until the code is printed, then the unlock and the reveal are recorded.
    let mut unlock = None;
    let totp = match (vault, entry, uri) {
        (Some(vault), Some(entry), None) => {
            let (totp, opened) = from_entry(vault, entry)?;
            unlock = Some(opened);
            totp
        }
        (None, None, Some(uri)) => from_link(uri)?,
        _ => {
            return Err(CliError::usage("give either a vault and an entry, or --uri -").hint(
                "`crm-vault totp VAULT ENTRY`, or `crm-vault totp --uri -` and the otpauth:// link on standard input",
            ));
        }
    };
    let now = match at {
        Some(at) => at,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| CliError::new(Code::Other, "the system clock is set before 1970; set the date and time"))?
            .as_secs(),
    };
    let code = totp.code_at(now);
    if let Some((unlock, id)) = unlock.as_mut() {
        unlock.record(EventKind::Reveal, Some(*id), "totp");
    }
    super::print(&format!("{}\n", code.text))?;
    if at.is_none() {
        let left = code.seconds_left(now);
        eprintln!("Valid for {left} more second{}.", if left == 1 { "" } else { "s" });
    }
    match unlock {
        Some((unlock, _)) => unlock.finish(Ok(())),
        None => Ok(()),
    }
}

/// The entry's TOTP setup, and the unlock that read it (with the entry's id, for the reveal).
fn from_entry(path: &Path, reference: &str) -> Result<(Totp, (Unlock, EntryId))> {
    let password = Secrets::from_stdin().master_password()?;
    let unlock = super::open(path, &password)?;
    let entry = find::resolve(&unlock.vault, reference)?;
    let title = &entry.title.value;
    if entry.totp.value.expose().trim().is_empty() {
        return Err(CliError::new(Code::NotFound, format!("\"{title}\" has no TOTP secret")).hint(format!(
            "Add one with `crm-vault edit VAULT \"{title}\" --totp -`, which asks for the link in the site's QR \
             code or the key it shows as text (or reads it from line 2 of standard input)."
        )));
    }
    let totp = Totp::parse(entry.totp.value.expose()).map_err(|err| {
        CliError::new(Code::Other, format!("the TOTP secret stored in \"{title}\" cannot be used: {err}")).hint(
            format!("Set it again with `crm-vault edit VAULT \"{title}\" --totp -`, which asks for the link or key."),
        )
    })?;
    let id = entry.id;
    Ok((totp, (unlock, id)))
}

fn from_link(uri: &str) -> Result<Totp> {
    if uri == "-" {
        // No vault here, so the link is the first line.
        let text = Secrets::from_stdin().totp_link("--uri")?;
        return Totp::parse(&text).map_err(CliError::usage);
    }
    super::warn_secret_argument("--uri");
    Totp::parse(uri).map_err(CliError::usage)
}
