//! The security report on a vault with one entry per kind of problem, the editor's quick check,
//! and searches of Pwned Passwords files made here (sorted, unsorted, garbage, empty).

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use vault::health::hibp::{self, HibpError, HibpFile};
use vault::health::{self, Detail, EntryContext, FindingKind, Issue, PersonalPart, ReportOptions};
use vault::model::{ExpiryDate, HistoryItem};
use vault::{Author, Clock, CustomField, DeviceId, EntryEdit, EntryId, NewEntry, SecretText, Vault};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// 2026-01-01T00:00:00Z.
const JAN_1: u64 = 1_767_225_600_000;
/// 200 days later: 2026-07-20.
const NOW: u64 = JAN_1 + 200 * DAY_MS;

const REUSED: &str = "Lantern-Quietly-Orbit-58";
const MAIL_2025: &str = "Cobalt!Harbor#2025";
const MAIL_2026: &str = "Cobalt!Harbor#2026";
const PERSONAL: &str = "纷享销客-Orbit-Lantern-93";
const BREACHED: &str = "Velvet^Tundra^Pike^41";

/// A wall clock the test sets.
struct TestClock(Cell<u64>);
impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

struct Fixture {
    vault: Vault,
    ids: BTreeMap<&'static str, EntryId>,
    strong: SecretText,
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 20).unwrap()
}

fn options(hibp: Option<&mut HibpFile>) -> ReportOptions<'_> {
    ReportOptions { now_ms: NOW, today: today(), hibp, policy: None }
}

/// One entry per finding kind, a strong fresh one, and entries the report must skip.
fn fixture() -> Fixture {
    let clock = TestClock(Cell::new(JAN_1));
    let author = Author { device: DeviceId(7), clock: &clock };
    let mut vault = Vault::new("Work", author, "laptop");
    vault.set_profile(Some(90), "Li Weiliang", "纷享销客", author);
    let mut ids = BTreeMap::new();
    let mut add = |vault: &mut Vault, title: &'static str, password: &str, username: &str| {
        let new = NewEntry {
            title: title.into(),
            username: username.into(),
            password: password.into(),
            ..Default::default()
        };
        ids.insert(title, vault.add_entry(new, author));
    };

    // Set 200 days ago, with a 90-day rotation.
    add(&mut vault, "Old VPN", "Copper-Mosaic-Kettle-17", "li.wei");
    add(&mut vault, "Mail", MAIL_2025, "li.wei@example.com");

    clock.0.set(NOW - DAY_MS);
    let strong = vault::generate::password(&Default::default()).unwrap();
    add(&mut vault, "Strong", strong.expose(), "li.wei");
    add(&mut vault, "Weak", "sunflower88", "li.wei");
    add(&mut vault, "Common", "iloveyou", "li.wei");
    add(&mut vault, "CRM", REUSED, "li.wei");
    add(&mut vault, "ERP", REUSED, "E1234");
    add(&mut vault, "Portal", PERSONAL, "partner-7");
    add(&mut vault, "Breached", BREACHED, "li.wei");
    add(&mut vault, "Partner portal", "Marble/Fjord/Otter/62", "li.wei");
    // Skipped: in the trash (with a reused and a common password), and without a password.
    add(&mut vault, "Old CRM", REUSED, "li.wei");
    add(&mut vault, "Trashed", "password", "li.wei");
    add(&mut vault, "Wi-Fi note", "", "");
    for title in ["Old CRM", "Trashed"] {
        vault.delete_entry(ids[title], author).unwrap();
    }

    let mail = EntryEdit { password: Some(MAIL_2026.into()), ..Default::default() };
    vault.edit_entry(ids["Mail"], mail, author).unwrap();
    let expires = EntryEdit { expires: Some(Some("2026-06-01".parse().unwrap())), ..Default::default() };
    vault.edit_entry(ids["Partner portal"], expires, author).unwrap();
    // Hidden fields are not checked, however weak.
    let pin = CustomField { value: "1234".into(), hidden: true };
    vault
        .edit_entry(ids["Strong"], EntryEdit { fields: vec![("PIN".into(), Some(pin))], ..Default::default() }, author)
        .unwrap();
    Fixture { vault, ids, strong }
}

/// For each kind, the titles of the entries with a finding of that kind.
fn titles_by_kind(report: &health::Report) -> BTreeMap<FindingKind, BTreeSet<String>> {
    let mut by_kind: BTreeMap<FindingKind, BTreeSet<String>> = BTreeMap::new();
    for finding in &report.findings {
        by_kind.entry(finding.kind).or_default().insert(finding.title.clone());
    }
    by_kind
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| t.to_string()).collect()
}

#[test]
fn every_kind_is_found_on_exactly_its_entries() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pwned.txt");
    write_pwned_file(&path, &[(BREACHED, 7)], 2_000, "\r\n");
    let mut file = HibpFile::open(&path).unwrap();
    let report = health::report(&fx.vault, options(Some(&mut file))).unwrap();

    let expected: BTreeMap<FindingKind, BTreeSet<String>> = [
        (FindingKind::Breached, set(&["Breached"])),
        (FindingKind::Common, set(&["Common"])),
        (FindingKind::Weak, set(&["Common", "Weak"])),
        (FindingKind::Reused, set(&["CRM", "ERP"])),
        (FindingKind::Incremental, set(&["Mail"])),
        (FindingKind::Personal, set(&["Portal"])),
        (FindingKind::Expired, set(&["Partner portal"])),
        (FindingKind::Old, set(&["Old VPN"])),
    ]
    .into();
    assert_eq!(titles_by_kind(&report), expected, "{:#?}", report.findings);
    assert!(report.findings.iter().all(|f| f.entry != fx.ids["Strong"]), "a strong, unique, fresh password is fine");
    assert_eq!(report.entries_checked, 10, "trashed entries and the one without a password are skipped");
    assert_eq!(report.due_for_rotation, 2);
    assert_eq!(health::due_for_rotation(&fx.vault, NOW, today()), 2, "the cheap count agrees with the report");
    assert!(report.breaches_checked);
    assert_eq!(report.count(FindingKind::Weak), 2);
    assert_eq!(report.counts.len(), FindingKind::ALL.len());

    let detail = |title: &str, kind| {
        report.findings.iter().find(|f| f.title == title && f.kind == kind).map(|f| f.detail.clone()).unwrap()
    };
    assert_eq!(detail("Breached", FindingKind::Breached), Detail::Breached { seen: 7 });
    let Detail::Reused { others } = detail("CRM", FindingKind::Reused) else { panic!() };
    assert_eq!(others.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(), ["ERP"], "not the trashed Old CRM");
    assert!(matches!(
        detail("Mail", FindingKind::Incremental),
        Detail::Incremental { identical: false, previous_set_ms: JAN_1 }
    ));
    assert_eq!(
        detail("Portal", FindingKind::Personal),
        Detail::Personal { part: PersonalPart::Company, word: "纷享销客".into() }
    );
    assert_eq!(detail("Old VPN", FindingKind::Old), Detail::Old { days: 200, rotation_days: 90, changed_ms: JAN_1 });
    let june_1: ExpiryDate = "2026-06-01".parse().unwrap();
    assert_eq!(detail("Partner portal", FindingKind::Expired), Detail::Expired { date: june_1, days_ago: 49 });
    assert_eq!(detail("CRM", FindingKind::Reused).to_string(), "same password as ERP");
}

#[test]
fn findings_are_ordered_and_never_show_a_password() {
    let fx = fixture();
    let report = health::report(&fx.vault, options(None)).unwrap();
    assert!(!report.breaches_checked);
    assert_eq!(report.count(FindingKind::Breached), 0);
    let order: Vec<(String, FindingKind)> = report.findings.iter().map(|f| (f.title.to_lowercase(), f.kind)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "by title, then kind");

    let shown = format!(
        "{}\n{:?}\n{}",
        serde_json::to_string(&report).unwrap(),
        report,
        report.findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
    for secret in [REUSED, MAIL_2025, MAIL_2026, PERSONAL, BREACHED, "sunflower88", "iloveyou", fx.strong.expose()] {
        assert!(!shown.contains(secret), "{secret} shown in\n{shown}");
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["counts"]["incremental"], 1);
    let personal = json["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "personal").unwrap();
    assert_eq!(personal["detail"]["part"], "company");
}

#[test]
fn rotation_off_means_nothing_is_old() {
    let mut fx = fixture();
    let clock = TestClock(Cell::new(NOW));
    fx.vault.set_profile(None, "Li Weiliang", "纷享销客", Author { device: DeviceId(7), clock: &clock });
    let report = health::report(&fx.vault, options(None)).unwrap();
    assert_eq!(report.count(FindingKind::Old), 0);
    assert_eq!(report.due_for_rotation, 1, "the expired entry is still due");
    assert_eq!(health::due_for_rotation(&fx.vault, NOW, today()), 1);
}

#[test]
fn going_back_to_an_old_password_is_incremental_but_a_copy_of_the_current_one_is_not() {
    let mut fx = fixture();
    let clock = TestClock(Cell::new(NOW));
    let author = Author { device: DeviceId(7), clock: &clock };
    let id = fx.ids["Partner portal"];
    let back = fx.vault.entry(id).unwrap().password.value.clone();
    // A copy of the current value in the history, as a merge may leave it, is not going back.
    let copy =
        HistoryItem { field: "password".into(), value: back.clone(), clock: fx.vault.entry(id).unwrap().created };
    fx.vault.entries.get_mut(&id).unwrap().history.push(copy);
    let kinds = |vault: &Vault| -> Vec<FindingKind> {
        let report = health::report(vault, options(None)).unwrap();
        report.findings.iter().filter(|f| f.entry == id).map(|f| f.kind).collect()
    };
    assert_eq!(kinds(&fx.vault), [FindingKind::Expired]);

    let away = EntryEdit { password: Some("Quartz~Meadow~Falcon~88".into()), ..Default::default() };
    fx.vault.edit_entry(id, away, author).unwrap();
    let again = EntryEdit { password: Some(back), ..Default::default() };
    fx.vault.edit_entry(id, again, author).unwrap();
    assert_eq!(kinds(&fx.vault), [FindingKind::Incremental, FindingKind::Expired]);
}

#[test]
fn the_editor_check_flags_what_the_user_is_typing() {
    let fx = fixture();
    let none = EntryContext::default();
    let kinds = |issues: &[Issue]| issues.iter().map(|i| i.kind).collect::<Vec<_>>();
    let check = |entry: Option<&str>, password: &str| {
        let id = entry.map(|title| fx.ids[title]);
        let context = id.and_then(|id| fx.vault.entry(id)).map(EntryContext::of).unwrap_or(none);
        health::check_password(&fx.vault, id, password, &context)
    };

    assert!(check(None, "").is_empty());
    assert!(check(None, fx.strong.expose()).iter().any(|i| i.kind == FindingKind::Reused), "Strong has it");
    assert!(check(Some("Strong"), fx.strong.expose()).is_empty(), "its own password is not reuse");
    assert_eq!(kinds(&check(None, "password")), [FindingKind::Common, FindingKind::Weak]);

    let reused = check(None, REUSED);
    let Some(Detail::Reused { others }) = reused.first().map(|i| &i.detail) else { panic!("{reused:?}") };
    assert_eq!(others.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(), ["CRM", "ERP"]);
    let reused = check(Some("CRM"), REUSED);
    let Some(Detail::Reused { others }) = reused.first().map(|i| &i.detail) else { panic!("{reused:?}") };
    assert_eq!(others.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(), ["ERP"]);

    let bumped = check(Some("Mail"), "Cobalt!Harbor#2027");
    assert!(matches!(bumped[..], [Issue { detail: Detail::Incremental { identical: false, .. }, .. }]), "{bumped:?}");
    let back = check(Some("Mail"), MAIL_2025);
    assert!(matches!(back[..], [Issue { detail: Detail::Incremental { identical: true, .. }, .. }]), "{back:?}");
    assert!(check(None, "Cobalt!Harbor#2027").is_empty(), "a new entry has no earlier passwords");

    assert_eq!(kinds(&check(None, "Weiliang#Orbit#Lantern")), [FindingKind::Personal]);
    let mine = EntryContext { username: "zhang.min@example.com", ..none };
    let issues = health::check_password(&fx.vault, None, "Zhang.Min-Orbit-Lantern-93", &mine);
    assert!(matches!(&issues[..], [Issue { detail: Detail::Personal { part: PersonalPart::Username, .. }, .. }]));
}

// --- Pwned Passwords files ---

/// A small xorshift generator: the same "random" hashes on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn sha1(&mut self) -> [u8; 20] {
        let mut out = [0; 20];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_be_bytes()[..chunk.len()]);
        }
        out
    }
}

/// Lines `HASH:COUNT` for `known` passwords and `random` other hashes, sorted by hash.
fn pwned_lines(known: &[(&str, u64)], random: usize) -> Vec<(String, u64)> {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut lines: Vec<(String, u64)> =
        known.iter().map(|(pw, n)| (String::from_utf8(hibp::hex(&hibp::sha1(pw)).to_vec()).unwrap(), *n)).collect();
    lines.extend((0..random).map(|_| (hex::encode_upper(rng.sha1()), 1 + rng.next() % 100_000)));
    lines.sort();
    lines
}

fn text_of(lines: &[(String, u64)], line_end: &str) -> String {
    lines.iter().map(|(hash, count)| format!("{hash}:{count}{line_end}")).collect()
}

fn write_pwned_file(path: &Path, known: &[(&str, u64)], random: usize, line_end: &str) {
    std::fs::write(path, text_of(&pwned_lines(known, random), line_end)).unwrap();
}

fn open_text(text: String) -> Result<HibpFile, HibpError> {
    HibpFile::from_reader(std::io::Cursor::new(text.into_bytes()))
}

fn hash_of(hex_text: &str) -> [u8; 20] {
    hex::decode(hex_text).unwrap().try_into().unwrap()
}

#[test]
fn a_sorted_file_is_searched_without_loading_it() {
    let known = [("password", 52_256_179), ("iloveyou", 1_765_328), (BREACHED, 3)];
    let lines = pwned_lines(&known, 20_000);
    for line_end in ["\r\n", "\n"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pwnedpasswords.txt");
        std::fs::write(&path, text_of(&lines, line_end)).unwrap();
        let mut file = HibpFile::open(&path).unwrap();
        for (password, count) in known {
            assert_eq!(file.seen_password(password).unwrap(), Some(count), "{password}");
        }
        let (first, last) = (&lines[0], &lines[lines.len() - 1]);
        assert_eq!(file.seen(&hash_of(&first.0)).unwrap(), Some(first.1), "first line");
        assert_eq!(file.seen(&hash_of(&last.0)).unwrap(), Some(last.1), "last line");
        for (hash, count) in lines.iter().step_by(97) {
            assert_eq!(file.seen(&hash_of(hash)).unwrap(), Some(*count), "{hash}");
        }
        assert_eq!(file.seen_password("Kx7#pQ2mLw9z-not-breached").unwrap(), None);
        assert_eq!(file.seen(&[0; 20]).unwrap(), None, "before the first line");
        assert_eq!(file.seen(&[0xff; 20]).unwrap(), None, "after the last line");
    }
}

#[test]
fn a_file_without_a_final_line_end_or_with_blank_lines_after_works() {
    let lines = pwned_lines(&[("password", 9)], 3_000);
    for text in [text_of(&lines, "\n").trim_end().to_owned(), text_of(&lines, "\r\n") + "\r\n\r\n"] {
        let mut file = open_text(text).unwrap();
        assert_eq!(file.seen_password("password").unwrap(), Some(9));
        assert_eq!(file.seen(&hash_of(&lines[lines.len() - 1].0)).unwrap(), Some(lines[lines.len() - 1].1));
        assert_eq!(file.seen(&[0xff; 20]).unwrap(), None);
    }
}

#[test]
fn a_file_ordered_by_prevalence_is_refused() {
    let mut lines = pwned_lines(&[("password", 52_256_179), (BREACHED, 3)], 20_000);
    lines.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    let result = open_text(text_of(&lines, "\r\n")).and_then(|mut file| {
        for (hash, _) in lines.iter().step_by(1_000) {
            file.seen(&hash_of(hash))?;
        }
        Ok(())
    });
    let err = result.expect_err("the search must notice the order");
    assert!(matches!(err, HibpError::NotSorted { .. }), "{err:?}");
    assert!(err.to_string().contains("not the SHA-1 file ordered by hash"), "{err}");
}

#[test]
fn garbage_empty_and_ntlm_files_are_refused_by_name() {
    assert!(matches!(open_text(String::new()), Err(HibpError::Empty)));
    let garbage = "<!DOCTYPE html><html><body>Not found</body></html>\n".repeat(200);
    let err = open_text(garbage).unwrap_err();
    assert!(matches!(err, HibpError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("haveibeenpwned.com/Passwords"), "{err}");
    let binary: String = (0..5_000u32).map(|i| char::from_u32(i % 0x2FF + 1).unwrap()).collect();
    assert!(matches!(open_text(binary), Err(HibpError::Malformed { .. })));
    let ntlm = "8846F7EAEE8FB117AD06BDD830B7586C:52256179\r\n";
    assert!(matches!(open_text(ntlm.into()), Err(HibpError::Ntlm)));
    let missing = Path::new("/nonexistent/pwnedpasswords.txt");
    assert!(matches!(HibpFile::open(missing), Err(HibpError::Io(_))));
}

#[test]
fn a_damaged_line_in_the_middle_is_reported_when_reached() {
    let lines = pwned_lines(&[], 3_000);
    let mut text = text_of(&lines, "\r\n");
    // Every line is 40 + 1 + up to 6 digits + CRLF; damage the middle of the file.
    let middle = text.len() / 2;
    let start = text[..middle].rfind('\n').unwrap() + 1;
    text.replace_range(start..start + 5, "zzzzz");
    let mut file = open_text(text).unwrap();
    let results: Vec<_> = lines.iter().map(|(hash, _)| file.seen(&hash_of(hash))).collect();
    assert!(results.iter().any(|r| matches!(r, Err(HibpError::Malformed { .. }))));
    assert!(results.iter().all(|r| !matches!(r, Ok(None))), "no line is silently missed");
}
