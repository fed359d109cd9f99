//! Hand-overs: `handover` and `handover-company` make a `.crmhandover` file, `receive` takes one
//! in, `handovers` lists what this vault gave. The rules are the session layer's.

use std::path::Path;

use secrecy::SecretString;
use session::session::{self as use_case, HandoverRequest};
use vault::activity::EventKind;
use vault::clock::rfc3339;
use vault::{Clock, EntryId, SystemClock, Vault, find};

use super::{Me, display};
use crate::error::{CliError, Result};
use crate::secrets::Secrets;

/// Received hand-overs whose time is over leave the vault as soon as it is opened; the next save
/// writes that (a read-only command only hides them).
pub fn drop_expired(vault: &mut Vault, me: &Me) {
    let dropped = vault.drop_expired_handovers(SystemClock.now_ms());
    for (title, giver) in &dropped {
        eprintln!("The hand-over of \"{title}\" from {giver} has expired; it was removed from this vault.");
    }
    use_case::record_expired(vault, dropped, me.author());
}

pub fn handover(path: &Path, entries: &[String], out: &Path, expires: Option<&str>, to: &str) -> Result<()> {
    let lasts_ms = expires.map(use_case::parse_duration).transpose()?;
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let unlock = super::open_for_edit(path, &master)?;
    let mut ids: Vec<EntryId> = Vec::new();
    for reference in entries {
        ids.push(find::resolve(&unlock.vault, reference)?.id);
    }
    make(&mut secrets, unlock, &ids, out, lasts_ms, to)
}

pub fn company(path: &Path, tag: &str, out: &Path, to: &str) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let unlock = super::open_for_edit(path, &master)?;
    let ids = use_case::company_entries(&unlock.vault, tag)?;
    make(&mut secrets, unlock, &ids, out, None, to)
}

fn make(
    secrets: &mut Secrets,
    mut unlock: super::Unlock,
    ids: &[EntryId],
    out: &Path,
    lasts_ms: Option<u64>,
    to: &str,
) -> Result<()> {
    let passphrase = secrets.new_secret_line("hand-over passphrase")?.ok_or_else(|| {
        CliError::usage("no hand-over passphrase: standard input has no line 2").hint(
            "Give the passphrase as line 2 of standard input; `crm-vault generate --passphrase` makes a good one.",
        )
    })?;
    let passphrase = SecretString::from(passphrase.expose());
    let request = HandoverRequest { entries: ids, to, lasts_ms, passphrase: &passphrase };
    let (bytes, given) = use_case::make_handover_file(
        &unlock.vault,
        &request,
        unlock.file.kdf(),
        unlock.me.author(),
        &unlock.me.identity.name,
    )?;
    use_case::write_handover_file(out, &bytes, false)?;
    let count = given.entries.len();
    let until = given.expires_ms.map_or_else(|| "without expiry".to_owned(), |ms| format!("until {}", rfc3339(ms)));
    let detail = use_case::handover_made_detail(&given);
    unlock.vault.remember_given(given);
    unlock.record(EventKind::HandoverMade, None, detail);
    unlock.save()?;
    let whom = if to.trim().is_empty() { String::new() } else { format!(" for {}", to.trim()) };
    let entries = if count == 1 { "1 entry".to_owned() } else { format!("{count} entries") };
    eprintln!("Give the passphrase another way than the file (in person or by phone).");
    super::print(&format!("Handed over {entries}{whom} {until} in {}.\n", display(out)))
}

pub fn receive(path: &Path, handover_file: &Path) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let bytes = use_case::read_handover_file(handover_file)?;
    let passphrase = secrets.other_password("Hand-over passphrase")?.ok_or_else(|| {
        CliError::usage("no hand-over passphrase: standard input has no line 2")
            .hint("Give the passphrase the colleague told you as line 2 of standard input.")
    })?;
    let author = unlock.me.author();
    let received = use_case::receive_bytes(&mut unlock.vault, &bytes, &passphrase, SystemClock.now_ms(), author)?;
    let until = received.expires_ms.map_or_else(|| "without expiry".to_owned(), |ms| format!("until {}", rfc3339(ms)));
    if received.already_received {
        let text = format!(
            "Already received: the hand-over from {} ({until}) is in this vault; nothing was added.\n",
            received.giver
        );
        return unlock.finish(super::print(&text));
    }
    unlock.record(EventKind::HandoverReceived, None, use_case::handover_received_detail(&received));
    unlock.save()?;
    let entries = if received.added == 1 { "1 entry".to_owned() } else { format!("{} entries", received.added) };
    super::print(&format!("Received {entries} from {} {until}. They cannot be edited here.\n", received.giver))
}

pub fn list(path: &Path, json: bool) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let unlock = super::open(path, &master)?;
    let given = use_case::given_view(&unlock.vault);
    unlock.finish(print_given(&given, json))
}

fn print_given(given: &[session::view::GivenHandover], json: bool) -> Result<()> {
    if json {
        let text = serde_json::to_string_pretty(&given).expect("hand-overs always serialise");
        return super::print(&format!("{text}\n"));
    }
    if given.is_empty() {
        return super::print("This vault has handed nothing over.\n");
    }
    let mut text = String::new();
    for g in given {
        let until = g.expires.map_or_else(|| "no expiry".to_owned(), rfc3339);
        let to = if g.to.is_empty() { "(no name)" } else { &g.to };
        let titles: Vec<&str> = g.entries.iter().map(|e| e.title.as_str()).collect();
        text.push_str(&format!("{}  to {to}  until {until}  {}\n", rfc3339(g.made), titles.join(", ")));
    }
    super::print(&text)
}
