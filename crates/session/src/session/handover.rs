//! Hand-overs (`vault::handover`): making a `.crmhandover` file of some entries for a colleague,
//! receiving one, listing what was given, and the company hand-over to IT (entries with a tag,
//! no expiry). The free functions are the steps the command line calls on its own vault; the
//! `Session` methods are the app's.

use std::io::Read;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use vault::activity::{Event, EventKind};
use vault::generate::{PassphraseRecipe, Recipe};
use vault::handover::{self, HandOverError, ReceiveError, Received};
use vault::model::EditError;
use vault::{Author, Clock, Entry, EntryId, KdfParams, SystemClock, Vault};

use super::Session;
use crate::error::{ErrorCode, Result, error, locked, not_found};
use crate::view::{EntryRefView, GivenHandover, HandedOverView, HandoverMade, HandoverReceived};

const HOUR_MS: u64 = 60 * 60 * 1000;

/// A passphrase to suggest for a hand-over: five words from the EFF list (about 64 bits), easy
/// to read out over the phone.
pub fn suggest_passphrase() -> Result<String> {
    let recipe = Recipe::Passphrase(PassphraseRecipe { words: 5, ..PassphraseRecipe::default() });
    let made = vault::generate::generate(&recipe).map_err(crate::error::from_generate)?;
    Ok(made.password.expose().to_owned())
}

/// "8h", "3d" (also "36 h", "2 days") as milliseconds, within an hour and 30 days.
pub fn parse_duration(text: &str) -> Result<u64> {
    let text = text.trim().to_lowercase();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit_ms = match unit.trim() {
        "h" | "hour" | "hours" => Some(HOUR_MS),
        "d" | "day" | "days" => Some(24 * HOUR_MS),
        _ => None,
    };
    let ms = number.parse::<u64>().ok().zip(unit_ms).and_then(|(n, unit)| n.checked_mul(unit));
    match ms {
        Some(ms) if handover::EXPIRY_RANGE_MS.contains(&ms) => Ok(ms),
        _ => Err(error(
            ErrorCode::HandoverDuration,
            format!("\"{text}\" is not a hand-over duration: give hours or days from 1h to 30d, such as 8h or 3d"),
        )),
    }
}

/// The live entries carrying `tag` (ignoring case), for the company hand-over.
pub fn company_entries(vault: &Vault, tag: &str) -> Result<Vec<EntryId>> {
    let wanted = tag.trim().to_lowercase();
    let ids: Vec<EntryId> = vault
        .sorted_entries()
        .into_iter()
        .filter(|e| e.handed_over.is_none() && e.tags().any(|t| t.to_lowercase() == wanted))
        .map(|e| e.id)
        .collect();
    if ids.is_empty() {
        return Err(error(ErrorCode::HandoverNoTagged, format!("no entry has the tag \"{}\"", tag.trim())));
    }
    Ok(ids)
}

/// What a hand-over is to be: which entries, for whom, for how long (`None`: a company
/// hand-over, without expiry), sealed with which passphrase.
#[derive(Debug)]
pub struct HandoverRequest<'a> {
    pub entries: &'a [EntryId],
    pub to: &'a str,
    pub lasts_ms: Option<u64>,
    pub passphrase: &'a SecretString,
}

/// The bytes of a hand-over file, and the record the vault keeps once the file is written
/// ([`Vault::remember_given`]). The giver's name is the vault owner's, or this laptop's if none
/// is set. Argon2id runs with `kdf`, the vault's own settings.
pub fn make_handover_file(
    vault: &Vault,
    request: &HandoverRequest<'_>,
    kdf: KdfParams,
    author: Author<'_>,
    device_name: &str,
) -> Result<(Vec<u8>, handover::Given)> {
    crate::policy::check_master_password(request.passphrase.expose_secret(), &[request.to]).map_err(|_| {
        error(
            ErrorCode::HandoverWeakPassphrase,
            "this passphrase is too easy to guess: use the suggested one, or four or five unrelated words",
        )
    })?;
    let owner = vault.settings.owner_name.value.trim();
    let giver = if owner.is_empty() { device_name } else { owner };
    let (file, given) =
        vault.prepare_handover(request.entries, giver, request.to, request.lasts_ms, author).map_err(from_hand_over)?;
    let bytes = handover::file::write(&file, request.passphrase, kdf).map_err(|e| error(ErrorCode::KdfRange, e))?;
    Ok((bytes, given))
}

/// Reads a hand-over file, at most one byte past the largest one accepted.
pub fn read_handover_file(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)
        .map_err(|e| error(ErrorCode::FileMissing, format!("could not open {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(handover::file::MAX_FILE_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(ErrorCode::Io, format!("could not read {}: {e}", path.display())))?;
    Ok(bytes)
}

/// Opens hand-over file bytes with `passphrase` and receives them into `vault`, as of `now_ms`.
pub fn receive_bytes(
    vault: &mut Vault,
    bytes: &[u8],
    passphrase: &SecretString,
    now_ms: u64,
    author: Author<'_>,
) -> Result<Received> {
    let file = handover::file::read(bytes, passphrase, now_ms).map_err(from_read)?;
    vault.receive(&file, now_ms, author).map_err(from_receive)
}

/// Writes a made hand-over file; refuses to replace a file unless `replace` (the app's save
/// dialog has asked already; the command line never replaces).
pub fn write_handover_file(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    if !replace && path.exists() {
        return Err(error(ErrorCode::Exists, format!("{} exists already; choose another name", path.display())));
    }
    vault::store::write_file_atomic(path, bytes)
        .map_err(|e| error(ErrorCode::Io, format!("could not write {}: {e}", path.display())))
}

/// The activity log's detail of a hand-over made: to whom, how many entries, until when.
pub fn handover_made_detail(given: &handover::Given) -> String {
    let to = if given.to.trim().is_empty() { "(no name)" } else { given.to.trim() };
    let until = given.expires_ms.map_or_else(|| "no expiry".to_owned(), vault::clock::rfc3339);
    format!("to {to}, {} entries, until {until}", given.entries.len())
}

/// The activity log's detail of a hand-over received: from whom, how many entries, until when.
pub fn handover_received_detail(received: &Received) -> String {
    let until = received.expires_ms.map_or_else(|| "no expiry".to_owned(), vault::clock::rfc3339);
    format!("from {}, {} entries, until {until}", received.giver, received.added)
}

/// Records each received entry whose hand-over expired and left the vault (`dropped`, from
/// [`Vault::drop_expired_handovers`]): by title, since the entry is gone.
pub fn record_expired(vault: &mut Vault, dropped: Vec<(String, String)>, author: Author<'_>) {
    for (title, giver) in dropped {
        let mut event = Event::new(EventKind::HandoverExpired, author).detail(format!("from {giver}"));
        event.title = title;
        vault.record(event);
    }
}

pub fn mark_view(entry: &Entry) -> Option<HandedOverView> {
    entry.handed_over.as_ref().map(|mark| HandedOverView { giver: mark.giver.clone(), expires: mark.expires_ms })
}

pub fn received_view(received: &Received) -> HandoverReceived {
    HandoverReceived {
        added: received.added as u32,
        already_received: received.already_received,
        giver: received.giver.clone(),
        expires: received.expires_ms,
    }
}

/// Hand-overs `vault` made, newest first, naming the entries still in it.
pub fn given_view(vault: &Vault) -> Vec<GivenHandover> {
    vault
        .given_handovers()
        .into_iter()
        .map(|given| {
            let mut entries: Vec<EntryRefView> = given
                .entries
                .iter()
                .filter_map(|id| vault.entry(*id))
                .map(|e| EntryRefView { id: e.id.to_string(), title: e.title.value.clone() })
                .collect();
            entries.sort_by_key(|e| e.title.to_lowercase());
            GivenHandover {
                id: given.id.to_string(),
                to: given.to.clone(),
                made: given.made.wall_ms,
                expires: given.expires_ms,
                entries,
            }
        })
        .collect()
}

impl Session {
    /// Makes a hand-over file of `ids` at `path` for `to`, lasting `lasts_ms` (an hour to 30
    /// days; `None`: a company hand-over), and remembers it in the vault.
    pub fn make_handover(
        &mut self,
        ids: &[String],
        to: &str,
        lasts_ms: Option<u64>,
        passphrase: &str,
        path: &Path,
    ) -> Result<HandoverMade> {
        let ids: Vec<EntryId> = ids.iter().map(|id| id.parse().map_err(|_| not_found())).collect::<Result<_>>()?;
        let author = self.author();
        let open = self.unlocked()?;
        let passphrase = SecretString::from(passphrase);
        let request = HandoverRequest { entries: &ids, to, lasts_ms, passphrase: &passphrase };
        let (bytes, given) = make_handover_file(&open.vault, &request, open.file.kdf(), author, &self.device.name)?;
        write_handover_file(path, &bytes, true)?;
        let answer = HandoverMade {
            path: path.display().to_string(),
            entries: given.entries.len() as u32,
            expires: given.expires_ms,
        };
        let detail = handover_made_detail(&given);
        self.open.as_mut().ok_or_else(locked)?.vault.remember_given(given);
        self.note(EventKind::HandoverMade, None, detail);
        self.save()?;
        Ok(answer)
    }

    /// The company hand-over: every entry tagged `tag` (the policy names it), for IT, without
    /// expiry.
    pub fn make_company_handover(
        &mut self,
        tag: &str,
        to: &str,
        passphrase: &str,
        path: &Path,
    ) -> Result<HandoverMade> {
        let ids = company_entries(&self.unlocked()?.vault, tag)?;
        let ids: Vec<String> = ids.iter().map(EntryId::to_string).collect();
        self.make_handover(&ids, to, None, passphrase, path)
    }

    /// Receives the hand-over file at `path`: all its entries or none.
    pub fn receive_handover(&mut self, path: &Path, passphrase: &str) -> Result<HandoverReceived> {
        let bytes = read_handover_file(path)?;
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        // All or nothing: the core adds every entry or none.
        let passphrase = SecretString::from(passphrase);
        let received = receive_bytes(&mut open.vault, &bytes, &passphrase, SystemClock.now_ms(), author)?;
        if received.added > 0 {
            self.note(EventKind::HandoverReceived, None, handover_received_detail(&received));
            self.save()?;
        }
        Ok(received_view(&received))
    }

    pub fn given_handovers(&self) -> Result<Vec<GivenHandover>> {
        Ok(given_view(&self.unlocked()?.vault))
    }

    /// A passphrase to suggest in the hand-over dialog.
    pub fn suggest_handover_passphrase(&self) -> Result<String> {
        suggest_passphrase()
    }

    /// Drops received hand-overs whose time is over and saves if any went, so their values leave
    /// the file now. Returns (title, giver) of each entry dropped.
    pub(super) fn drop_expired_handovers(&mut self) -> Result<Vec<(String, String)>> {
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        let dropped = open.vault.drop_expired_handovers(SystemClock.now_ms());
        if !dropped.is_empty() {
            record_expired(&mut open.vault, dropped.clone(), author);
            self.save()?;
        }
        Ok(dropped)
    }
}

fn from_hand_over(err: HandOverError) -> crate::view::IpcError {
    let code = match err {
        HandOverError::NoEntries | HandOverError::TooManyEntries => ErrorCode::HandoverNoEntries,
        HandOverError::NoSuchEntry(_) => ErrorCode::NotFound,
        HandOverError::HandedOverEntry(_) => ErrorCode::HandoverHandedOn,
        HandOverError::ExpiryOutOfRange => ErrorCode::HandoverDuration,
        _ => ErrorCode::Invalid,
    };
    error(code, err)
}

pub fn from_read(err: handover::ReadError) -> crate::view::IpcError {
    use handover::ReadError as E;
    let code = match err {
        E::NotAHandover => ErrorCode::HandoverNotAFile,
        E::UnsupportedVersion(_) => ErrorCode::HandoverUnsupported,
        E::WrongPassphrase => ErrorCode::HandoverWrongPassphrase,
        E::Tampered => ErrorCode::HandoverTampered,
        E::Expired { .. } => ErrorCode::HandoverExpired,
        _ => ErrorCode::HandoverDamaged,
    };
    error(code, err)
}

fn from_receive(err: ReceiveError) -> crate::view::IpcError {
    error(ErrorCode::HandoverExpired, err)
}

/// An edit refused by the core: no such entry, or one that was handed over.
pub fn from_edit(err: EditError) -> crate::view::IpcError {
    match err {
        EditError::HandedOver { .. } => error(ErrorCode::HandedOverReadOnly, err),
        _ => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{draft, unlocked_app};
    use super::*;

    const PASSPHRASE: &str = "amber kettle violin harbor quietly";

    /// The giver's app with a CRM entry (tagged `crm`) and a mail entry, and the colleague's app.
    fn two(giver_dir: &Path, colleague_dir: &Path) -> (Session, Session, String) {
        let mut giver = unlocked_app(giver_dir);
        let crm = giver.save_entry(None, draft("CRM", Some("Harbor-Lantern-Orbit-77"))).unwrap();
        let mut mail = draft("Mail", Some("Quietly^Tundra^Pike^19"));
        mail.tags = vec![];
        giver.save_entry(None, mail).unwrap();
        (giver, unlocked_app(colleague_dir), crm)
    }

    #[test]
    fn a_hand_over_arrives_marked_read_only_and_the_giver_lists_it() {
        let (a, b, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut giver, mut colleague, crm) = two(a.path(), b.path());
        let file = out.path().join("crm.crmhandover");
        let made =
            giver.make_handover(std::slice::from_ref(&crm), "Wang Fang", Some(8 * HOUR_MS), PASSPHRASE, &file).unwrap();
        assert_eq!(made.entries, 1);

        let received = colleague.receive_handover(&file, PASSPHRASE).unwrap();
        assert_eq!((received.added, received.already_received), (1, false));
        assert_eq!(received.expires, made.expires);
        let listed = colleague.list_entries(None).unwrap();
        assert_eq!(listed.len(), 1);
        let mark = listed[0].handed_over.as_ref().unwrap();
        assert_eq!(mark.expires, made.expires);
        assert_eq!(colleague.secret(&listed[0].id, "password").unwrap().expose(), "Harbor-Lantern-Orbit-77");
        assert!(colleague.entry_detail(&listed[0].id).unwrap().handed_over.is_some());

        let refused = colleague.save_entry(Some(&listed[0].id), draft("CRM", Some("mine"))).unwrap_err();
        assert_eq!(refused.code, ErrorCode::HandedOverReadOnly);
        assert_eq!(colleague.restore_history(&listed[0].id, 0).unwrap_err().code, ErrorCode::HandedOverReadOnly);

        // Receiving again adds nothing; the colleague's vault on disk has the entry once.
        let again = colleague.receive_handover(&file, PASSPHRASE).unwrap();
        assert_eq!((again.added, again.already_received), (0, true));
        assert_eq!(colleague.list_entries(None).unwrap().len(), 1);

        let given = giver.given_handovers().unwrap();
        assert_eq!(given.len(), 1);
        assert_eq!((given[0].to.as_str(), given[0].entries[0].title.as_str()), ("Wang Fang", "CRM"));
        // The giver's record survives locking and unlocking (it was saved).
        giver.lock();
        giver.unlock("pw", None).unwrap();
        assert_eq!(giver.given_handovers().unwrap().len(), 1);
    }

    #[test]
    fn each_failure_to_receive_has_its_own_code_and_adds_nothing() {
        let (a, b, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut giver, mut colleague, crm) = two(a.path(), b.path());
        let file = out.path().join("crm.crmhandover");
        giver.make_handover(&[crm], "", Some(HOUR_MS), PASSPHRASE, &file).unwrap();
        let code = |colleague: &mut Session, path: &Path, passphrase: &str| {
            colleague.receive_handover(path, passphrase).unwrap_err().code
        };
        assert_eq!(code(&mut colleague, &file, "amber kettle violin harbor"), ErrorCode::HandoverWrongPassphrase);

        let bytes = std::fs::read(&file).unwrap();
        let bad = out.path().join("bad.crmhandover");
        let mut tampered = bytes.clone();
        *tampered.last_mut().unwrap() ^= 0x20;
        std::fs::write(&bad, &tampered).unwrap();
        assert_eq!(code(&mut colleague, &bad, PASSPHRASE), ErrorCode::HandoverTampered);
        let mut damaged = bytes.clone();
        damaged[40] ^= 0x20;
        std::fs::write(&bad, &damaged).unwrap();
        assert_eq!(code(&mut colleague, &bad, PASSPHRASE), ErrorCode::HandoverDamaged);
        std::fs::write(&bad, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(code(&mut colleague, &bad, PASSPHRASE), ErrorCode::HandoverDamaged);
        std::fs::write(&bad, b"name,password\nCRM,x\n").unwrap();
        assert_eq!(code(&mut colleague, &bad, PASSPHRASE), ErrorCode::HandoverNotAFile);
        let mut newer = bytes.clone();
        newer[11] = 2;
        std::fs::write(&bad, &newer).unwrap();
        assert_eq!(code(&mut colleague, &bad, PASSPHRASE), ErrorCode::HandoverUnsupported);
        assert!(colleague.list_entries(None).unwrap().is_empty());
    }

    #[test]
    fn making_a_hand_over_refuses_weak_passphrases_received_entries_and_bad_durations() {
        let (a, b, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut giver, mut colleague, crm) = two(a.path(), b.path());
        let file = out.path().join("x.crmhandover");
        let weak = giver.make_handover(std::slice::from_ref(&crm), "", Some(HOUR_MS), "password1", &file).unwrap_err();
        assert_eq!(weak.code, ErrorCode::HandoverWeakPassphrase);
        assert!(!file.exists());
        let long = giver.make_handover(std::slice::from_ref(&crm), "", Some(31 * 24 * HOUR_MS), PASSPHRASE, &file);
        assert_eq!(long.unwrap_err().code, ErrorCode::HandoverDuration);
        assert_eq!(
            giver.make_handover(&[], "", Some(HOUR_MS), PASSPHRASE, &file).unwrap_err().code,
            ErrorCode::HandoverNoEntries
        );
        assert!(giver.given_handovers().unwrap().is_empty());

        giver.make_handover(&[crm], "", Some(HOUR_MS), PASSPHRASE, &file).unwrap();
        colleague.receive_handover(&file, PASSPHRASE).unwrap();
        let received = colleague.list_entries(None).unwrap()[0].id.clone();
        let on = colleague.make_handover(&[received], "", Some(HOUR_MS), PASSPHRASE, &out.path().join("y"));
        assert_eq!(on.unwrap_err().code, ErrorCode::HandoverHandedOn);
        assert!(suggest_passphrase().unwrap().split('-').count() == 5);
    }

    #[test]
    fn the_company_hand_over_takes_the_tagged_entries_without_expiry() {
        let (a, b, out) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (mut giver, mut colleague, _) = two(a.path(), b.path());
        let file = out.path().join("it.crmhandover");
        let missing = giver.make_company_handover("company", "IT", PASSPHRASE, &file).unwrap_err();
        assert_eq!(missing.code, ErrorCode::HandoverNoTagged);
        let made = giver.make_company_handover("CRM", "IT", PASSPHRASE, &file).unwrap();
        assert_eq!((made.entries, made.expires), (1, None));
        let received = colleague.receive_handover(&file, PASSPHRASE).unwrap();
        assert_eq!((received.added, received.expires), (1, None));
        // No expiry: the giver's report asks for the password to be changed at once.
        let report = giver.security_report(SystemClock.now_ms(), super::super::today()).unwrap();
        let kinds: Vec<_> = report.findings.iter().map(|f| (f.title.as_str(), f.kind)).collect();
        assert!(kinds.contains(&("CRM", vault::health::FindingKind::HandedOver)), "{kinds:?}");
    }

    #[test]
    fn durations_are_hours_or_days_from_one_hour_to_thirty_days() {
        assert_eq!(parse_duration("8h").unwrap(), 8 * HOUR_MS);
        assert_eq!(parse_duration("3d").unwrap(), 72 * HOUR_MS);
        assert_eq!(parse_duration(" 2 days ").unwrap(), 48 * HOUR_MS);
        assert_eq!(parse_duration("30d").unwrap(), 720 * HOUR_MS);
        assert_eq!(parse_duration("1h").unwrap(), HOUR_MS);
        for bad in ["0h", "31d", "721h", "8", "h", "3w", "-1d", "1.5d", "", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad).unwrap_err().code, ErrorCode::HandoverDuration, "{bad}");
        }
    }
}
