//! Hand-overs between two vaults, with a fixed clock: the round trip, the expiry on every laptop
//! (through the merge) and out of the saved file, receiving twice, refused edits, and the giver's
//! `handed-over` finding.

use std::cell::Cell;

use secrecy::SecretString;
use vault::crypto::{KEY_LEN, SecretKey};
use vault::format;
use vault::handover::{self, HandOverError, ReceiveError};
use vault::health::{self, Detail, FindingKind, ReportOptions};
use vault::model::EditError;
use vault::{Author, Clock, DeviceId, EntryEdit, EntryId, KdfParams, NewEntry, Vault};

const HOUR_MS: u64 = 60 * 60 * 1000;
const DAY_MS: u64 = 24 * HOUR_MS;
/// 2026-11-30T00:00:00Z.
const START: u64 = 1_796_000_000_000;
const CRM_PASSWORD: &str = "Harbor-Lantern-Orbit-77";
const ERP_PASSWORD: &str = "Quietly^Tundra^Pike^19";

struct TestClock(Cell<u64>);
impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

fn cheap() -> KdfParams {
    KdfParams::from_mib(19, 2, 1).unwrap()
}

fn pass(text: &str) -> SecretString {
    SecretString::from(text)
}

/// The giver's vault (laptop 1) with a CRM and an ERP entry, and the colleague's (laptop 2).
struct Two {
    clock: TestClock,
    giver: Vault,
    colleague: Vault,
    crm: EntryId,
    erp: EntryId,
}

impl Two {
    fn new() -> Two {
        let clock = TestClock(Cell::new(START));
        let me = Author { device: DeviceId(1), clock: &clock };
        let mut giver = Vault::new("Li's vault", me, "LAPTOP-1");
        let crm = giver.add_entry(
            NewEntry {
                title: "CRM".into(),
                username: "li.wei".into(),
                password: CRM_PASSWORD.into(),
                urls: vec!["https://crm.example.com".into()],
                tags: vec!["crm".into(), "company".into()],
                ..Default::default()
            },
            me,
        );
        let erp =
            giver.add_entry(NewEntry { title: "ERP".into(), password: ERP_PASSWORD.into(), ..Default::default() }, me);
        let colleague = Vault::new("Wang's vault", Author { device: DeviceId(2), clock: &clock }, "LAPTOP-2");
        Two { clock, giver, colleague, crm, erp }
    }

    fn giver_author(&self) -> Author<'_> {
        Author { device: DeviceId(1), clock: &self.clock }
    }

    fn colleague_author(&self) -> Author<'_> {
        Author { device: DeviceId(2), clock: &self.clock }
    }

    /// Hands the CRM entry over for `lasts` and returns the file.
    fn hand_over_crm(&mut self, lasts: Option<u64>) -> Vec<u8> {
        let (file, given) =
            self.giver.prepare_handover(&[self.crm], "Li Wei", "Wang Fang", lasts, self.giver_author()).unwrap();
        let bytes = handover::file::write(&file, &pass("amber-kettle-violin"), cheap()).unwrap();
        self.giver.remember_given(given);
        bytes
    }

    fn now(&self) -> u64 {
        self.clock.0.get()
    }

    fn receive(&mut self, bytes: &[u8]) -> Result<handover::Received, String> {
        let now = self.now();
        let file = handover::file::read(bytes, &pass("amber-kettle-violin"), now).map_err(|e| e.to_string())?;
        let author = Author { device: DeviceId(2), clock: &self.clock };
        self.colleague.receive(&file, now, author).map_err(|e| e.to_string())
    }

    fn report(&self, vault: &Vault) -> Vec<(String, FindingKind)> {
        let options = ReportOptions::at(self.now());
        let report = health::report(vault, options).unwrap();
        report.findings.into_iter().map(|f| (f.title, f.kind)).collect()
    }
}

/// The vault's file as saved, decrypted, as text: what is in the file on disk.
fn saved_payload(vault: &Vault) -> String {
    let key = SecretKey::from_bytes([9; KEY_LEN]);
    let slot = format::wrap_key(&pass("master"), cheap(), &key).unwrap();
    let bytes = format::write(vault, &key, &slot);
    let opened = format::read_with_key(&bytes, &key).unwrap();
    serde_json::to_string(&opened.vault).unwrap()
}

#[test]
fn entries_handed_over_arrive_marked_with_their_values_and_the_giver_remembers() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(3 * DAY_MS));
    let received = two.receive(&bytes).unwrap();
    assert_eq!((received.added, received.giver.as_str()), (1, "Li Wei"));
    assert_eq!(received.expires_ms, Some(START + 3 * DAY_MS));

    let entry = two.colleague.sorted_entries()[0];
    assert_eq!(entry.title.value, "CRM");
    assert_eq!(entry.password.value.expose(), CRM_PASSWORD);
    assert_eq!(entry.urls.value, ["https://crm.example.com"]);
    assert_eq!(entry.tags().collect::<Vec<_>>(), ["company", "crm"]);
    let mark = entry.handed_over.as_ref().unwrap();
    assert_eq!((mark.giver.as_str(), mark.expires_ms), ("Li Wei", Some(START + 3 * DAY_MS)));

    let given = two.giver.given_handovers();
    assert_eq!(given.len(), 1);
    assert_eq!((given[0].to.as_str(), given[0].entries.as_slice()), ("Wang Fang", [two.crm].as_slice()));
    // The ERP entry was not handed over: its password is nowhere in the colleague's vault.
    assert!(!saved_payload(&two.colleague).contains(ERP_PASSWORD));
}

#[test]
fn receiving_the_same_file_twice_or_on_two_laptops_adds_each_entry_once() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(DAY_MS));
    let laptop_copy = two.colleague.clone();
    two.receive(&bytes).unwrap();
    let again = two.receive(&bytes).unwrap();
    assert!(again.already_received && again.added == 0);
    assert_eq!(two.colleague.live_entries().count(), 1);

    // The colleague's other laptop receives it too; the two copies merge into one entry.
    let mut other = laptop_copy;
    let file = handover::file::read(&bytes, &pass("amber-kettle-violin"), two.now()).unwrap();
    other.receive(&file, two.now(), Author { device: DeviceId(3), clock: &two.clock }).unwrap();
    two.colleague.merge(&other).unwrap();
    assert_eq!(two.colleague.live_entries().count(), 1);
}

#[test]
fn at_the_expiry_entries_leave_every_laptop_and_the_saved_file() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(8 * HOUR_MS));
    two.receive(&bytes).unwrap();
    let other_laptop = two.colleague.clone();

    two.clock.0.set(START + 8 * HOUR_MS - 1);
    assert!(two.colleague.drop_expired_handovers(two.now()).is_empty());
    assert_eq!(two.colleague.live_entries().count(), 1);

    two.clock.0.set(START + 8 * HOUR_MS);
    let dropped = two.colleague.drop_expired_handovers(two.now());
    assert_eq!(dropped, [("CRM".to_owned(), "Li Wei".to_owned())]);
    assert_eq!(two.colleague.entries.len(), 0, "not in the trash either");
    assert!(two.colleague.trashed_entries().is_empty());

    // The other laptop still has it; merging either way drops it.
    assert_eq!(other_laptop.live_entries().count(), 1);
    let mut merged = other_laptop.clone();
    merged.merge(&two.colleague).unwrap();
    assert_eq!(merged.entries.len(), 0);
    two.colleague.merge(&other_laptop).unwrap();
    assert_eq!(two.colleague.entries.len(), 0);
    assert_eq!(merged, two.colleague);

    // Nothing of it is in the saved file: not the password, not the user name.
    let payload = saved_payload(&two.colleague);
    assert!(!payload.contains(CRM_PASSWORD) && !payload.contains("li.wei"), "{payload}");
    // And the same file cannot bring it back.
    two.clock.0.set(START + HOUR_MS);
    assert_eq!(two.receive(&bytes).unwrap_err(), ReceiveError::AlreadyGone.to_string());
}

#[test]
fn an_expired_file_is_refused_and_nothing_is_added() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(HOUR_MS));
    two.clock.0.set(START + HOUR_MS);
    let before = two.colleague.clone();
    let err = two.receive(&bytes).unwrap_err();
    assert!(err.contains("expired"), "{err}");
    assert_eq!(two.colleague, before);
    // The core refuses it even if the file's own check was skipped.
    let file = handover::file::parse(&bytes).unwrap();
    let key = file.unlock(&pass("amber-kettle-violin")).unwrap();
    let contents = file.decrypt(&key).unwrap();
    let now = two.now();
    let author = two.colleague_author();
    let mut colleague = before.clone();
    assert!(matches!(colleague.receive(&contents, now, author), Err(ReceiveError::Expired { .. })));
    assert_eq!(colleague, before);
}

#[test]
fn a_wrong_passphrase_adds_nothing() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(HOUR_MS));
    let outcome = handover::file::read(&bytes, &pass("amber-kettle-viola"), two.now());
    assert!(matches!(outcome, Err(handover::ReadError::WrongPassphrase)));
}

#[test]
fn received_entries_refuse_edits_and_cannot_be_handed_on() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(Some(DAY_MS));
    two.receive(&bytes).unwrap();
    let id = two.colleague.sorted_entries()[0].id;
    let author = Author { device: DeviceId(2), clock: &two.clock };
    let edit = EntryEdit { password: Some("mine now".into()), ..Default::default() };
    let refused = two.colleague.edit_entry(id, edit, author);
    assert!(matches!(refused, Err(EditError::HandedOver { ref giver, .. }) if giver == "Li Wei"));
    assert!(matches!(two.colleague.restore_history(id, 0, author), Err(EditError::HandedOver { .. })));
    assert_eq!(two.colleague.entry(id).unwrap().password.value.expose(), CRM_PASSWORD);
    let handed_on = two.colleague.prepare_handover(&[id], "Wang", "Zhao", Some(DAY_MS), author);
    assert!(matches!(handed_on, Err(HandOverError::HandedOverEntry(_))));
}

#[test]
fn a_hand_over_lasts_an_hour_to_30_days() {
    let two = Two::new();
    let author = two.giver_author();
    for lasts in [HOUR_MS - 1, 30 * DAY_MS + 1, 0] {
        let outcome = two.giver.prepare_handover(&[two.crm], "Li", "", Some(lasts), author);
        assert_eq!(outcome.unwrap_err(), HandOverError::ExpiryOutOfRange);
    }
    for lasts in [Some(HOUR_MS), Some(30 * DAY_MS), None] {
        assert!(two.giver.prepare_handover(&[two.crm], "Li", "", lasts, author).is_ok());
    }
    assert_eq!(two.giver.prepare_handover(&[], "Li", "", None, author).unwrap_err(), HandOverError::NoEntries);
    let unknown = EntryId::random();
    let outcome = two.giver.prepare_handover(&[unknown], "Li", "", None, author);
    assert_eq!(outcome.unwrap_err(), HandOverError::NoSuchEntry(unknown));
}

#[test]
fn the_giver_is_told_handed_over_after_the_expiry_until_the_password_changes() {
    let mut two = Two::new();
    two.hand_over_crm(Some(3 * DAY_MS));
    let crm_finding = |two: &Two| two.report(&two.giver).contains(&("CRM".to_owned(), FindingKind::HandedOver));

    two.clock.0.set(START + 3 * DAY_MS - 1);
    assert!(!crm_finding(&two), "not while the colleague may still use it");
    two.clock.0.set(START + 3 * DAY_MS);
    assert!(crm_finding(&two));
    let report = health::report(&two.giver, ReportOptions::at(two.now())).unwrap();
    let finding = report.findings.iter().find(|f| f.kind == FindingKind::HandedOver).unwrap();
    assert!(matches!(&finding.detail, Detail::HandedOver { to, .. } if to == "Wang Fang"));
    assert_eq!(finding.kind.as_str(), "handed-over");
    assert_eq!(serde_json::to_value(finding.kind).unwrap(), "handed-over");
    assert!(!two.report(&two.giver).iter().any(|(title, kind)| title == "ERP" && *kind == FindingKind::HandedOver));

    // A change of the user name is not enough; a new password is.
    let author = Author { device: DeviceId(1), clock: &two.clock };
    let crm = two.crm;
    two.giver.edit_entry(crm, EntryEdit { username: Some("li.w".into()), ..Default::default() }, author).unwrap();
    assert!(crm_finding(&two));
    let edit = EntryEdit { password: Some("Brand-New-Pass-2027".into()), ..Default::default() };
    two.giver.edit_entry(crm, edit, author).unwrap();
    assert!(!crm_finding(&two));
}

#[test]
fn a_company_hand_over_has_no_expiry_and_is_flagged_at_once() {
    let mut two = Two::new();
    let bytes = two.hand_over_crm(None);
    assert!(two.report(&two.giver).contains(&("CRM".to_owned(), FindingKind::HandedOver)));
    two.receive(&bytes).unwrap();
    two.clock.0.set(START + 365 * DAY_MS);
    assert!(two.colleague.drop_expired_handovers(two.now()).is_empty());
    assert_eq!(two.colleague.live_entries().count(), 1);
}

#[test]
fn the_ledger_travels_with_the_vault_and_merges() {
    let mut two = Two::new();
    let laptop_copy = two.giver.clone();
    two.hand_over_crm(Some(DAY_MS));
    // Saved and read back, the hand-over is still remembered.
    let key = SecretKey::from_bytes([3; KEY_LEN]);
    let slot = format::wrap_key(&pass("master"), cheap(), &key).unwrap();
    let back = format::read_with_key(&format::write(&two.giver, &key, &slot), &key).unwrap().vault;
    assert_eq!(back.handovers, two.giver.handovers);
    // The giver's other laptop learns of it through the merge.
    let mut other = laptop_copy;
    other.merge(&two.giver).unwrap();
    assert_eq!(other.given_handovers().len(), 1);
    // A vault that never handed anything over writes no ledger at all.
    assert!(!saved_payload(&Two::new().giver).contains("handovers"));
    let _ = two.erp;
}
