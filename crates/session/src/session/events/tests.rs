//! Each kind of event the app makes is in the log after the action that makes it, with no
//! secret in it; two laptops' logs merge whole.

use std::collections::BTreeSet;

use secrecy::SecretString;
use vault::VaultFile;

use super::super::Session;
use super::super::sync::tests::{PASSWORD, two_laptops};
use super::super::tests::{draft, unlocked_app};
use crate::view::{ActivityEvent, ActivityFilter, DraftField, Settings, TotpDraft, UnlockNoticeKind};

/// RFC 6238's secret in base32: a TOTP setup to look for in the log.
const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn events(app: &Session) -> Vec<ActivityEvent> {
    app.activity(&ActivityFilter::default()).unwrap().events
}

fn kinds_of(app: &Session, entry: Option<&str>) -> Vec<String> {
    let filter = ActivityFilter { entry_id: entry.map(Into::into), ..ActivityFilter::default() };
    // Oldest first reads like the story of the test.
    app.activity(&filter).unwrap().events.into_iter().rev().map(|e| e.kind).collect()
}

fn find<'a>(events: &'a [ActivityEvent], kind: &str) -> Vec<&'a ActivityEvent> {
    events.iter().filter(|e| e.kind == kind).collect()
}

/// An entry with every kind of secret: a password, a TOTP setup, a hidden field.
fn secret_entry(app: &mut Session) -> String {
    let preview = app.parse_totp(TOTP_SECRET).unwrap();
    let mut new = draft("Salesforce", Some("Tr0ub4dor&3-crm"));
    new.urls = vec!["https://crm.example.com/login".into()];
    new.fields = vec![DraftField { name: "Answer".into(), value: Some("blue-heron-42".into()), hidden: true }];
    new.totp = TotpDraft::Set { token: preview.token };
    app.save_entry(None, new).unwrap()
}

const SECRETS: [&str; 4] = ["Tr0ub4dor&3-crm", TOTP_SECRET, "blue-heron-42", "Winter-Rotation-2027!"];

#[test]
fn each_event_the_app_makes_is_in_the_log_after_the_action_and_no_secret_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    assert_eq!(kinds_of(&app, None), ["unlock"]);
    assert_eq!(events(&app)[0].detail, "password");
    assert!(events(&app)[0].this_device);

    let id = secret_entry(&mut app);
    app.reveal(&id, "password").unwrap();
    app.reveal(&id, "field:Answer").unwrap();
    let code = app.secret(&id, "totp").unwrap();
    app.record_copy(&id, "totp");
    app.record_autotype(&id, "Salesforce - Chromium", "typed", 0);

    // A login window: the password step filled (reported twice, as ticks do), recorded once.
    let open = app.start_login(&id, 1_000).unwrap();
    assert!(matches!(app.login_tick(open.window, "https://crm.example.com/login", 1_250), crate::login::Tick::Fill(_)));
    app.login_report(open.window, r#"{"state":"filled","step":"password"}"#, 1_300);
    app.login_report(open.window, r#"{"state":"submitted","step":"password"}"#, 1_600);
    app.close_login(open.window, 2_000);

    let mut edit = draft("Salesforce", Some("Winter-Rotation-2027!"));
    edit.urls = vec!["https://crm.example.com/login".into()];
    edit.fields = vec![DraftField { name: "Answer".into(), value: None, hidden: true }];
    edit.notes = "Ask IT for the SSO group".into();
    app.save_entry(Some(&id), edit).unwrap();
    app.delete_entry(&id).unwrap();
    app.restore_entry(&id).unwrap();

    assert_eq!(
        kinds_of(&app, Some(&id)),
        [
            "entry-created",
            "reveal",
            "reveal",
            "copy",
            "autotype",
            "autofill",
            "entry-edited",
            "entry-deleted",
            "entry-restored"
        ]
    );
    let all = events(&app);
    let details = |kind| find(&all, kind).iter().map(|e| e.detail.clone()).collect::<Vec<_>>();
    assert_eq!(details("reveal"), ["field:Answer", "password"], "newest first");
    assert_eq!(details("copy"), ["totp"]);
    assert_eq!(details("autofill"), ["https://crm.example.com"]);
    assert_eq!(details("autotype"), ["Salesforce - Chromium"]);
    assert_eq!(details("entry-edited"), ["notes,password"], "the names of what changed, never values");
    assert!(all.iter().filter(|e| e.entry_id.as_deref() == Some(&id)).all(|e| e.title == "Salesforce"));

    let mut settings: Settings = app.state().settings;
    settings.auto_lock_minutes = 7;
    settings.company = "Acme Trading".into();
    settings.activity_keep_days = 90;
    let state = app.update_settings(settings).unwrap();
    assert_eq!((state.settings.activity_keep_days, state.settings.activity_keep_events), (90, 20_000));
    assert_eq!(details_now(&app, "settings-changed"), ["auto-lock-minutes,company,activity-keep-days"]);

    app.change_master_password("pw", "orbit kettle marble juniper", None).unwrap();
    assert_eq!(find(&events(&app), "password-changed").len(), 1);

    // Everything the log holds, as saved in the file and as the page gets it: no secret.
    let (_, saved) =
        VaultFile::open(&dir.path().join("v.crmvault"), &SecretString::from("orbit kettle marble juniper")).unwrap();
    assert_eq!(saved.activity.len(), events(&app).len(), "every event was saved");
    let stored = serde_json::to_string(&saved.activity).unwrap();
    let shown = serde_json::to_string(&events(&app)).unwrap();
    for secret in SECRETS.iter().copied().chain([code.expose()]) {
        assert!(!stored.contains(secret), "{secret} in the saved log");
        assert!(!shown.contains(secret), "{secret} in the page's log");
    }
}

fn details_now(app: &Session, kind: &str) -> Vec<String> {
    find(&events(app), kind).iter().map(|e| e.detail.clone()).collect()
}

#[test]
fn wrong_master_passwords_and_pins_are_logged_at_the_next_unlock_and_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    app.set_quick_unlock(true, 8, Some("482916")).unwrap();
    app.lock();
    assert!(app.quick_unlock("111111").is_err());
    app.quick_unlock("482916").unwrap();
    assert_eq!(kinds_of(&app, None), ["unlock", "unlock-failed", "unlock"]);
    assert_eq!(details_now(&app, "unlock"), ["quick-unlock", "password"]);
    assert_eq!(details_now(&app, "unlock-failed"), ["pin"]);
    // Typos a moment before one's own unlock are no news.
    assert!(app.take_unlock_notices().is_empty());

    app.lock();
    assert!(app.unlock("not it", None).is_err());
    app.unlock("pw", None).unwrap();
    assert_eq!(details_now(&app, "unlock-failed"), ["password", "pin"]);
    assert_eq!(crate::activity::waiting_failures(&dir.path().join("config"), &dir.path().join("v.crmvault")), 0);
}

#[test]
fn another_laptops_failed_attempts_and_first_unlock_are_told_after_the_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut a, mut b) = two_laptops(dir.path());
    b.lock();
    a.lock();
    assert!(b.unlock("guess-1", None).is_err());
    assert!(b.unlock("guess-2", None).is_err());
    assert!(b.unlock("guess-3", None).is_err());
    b.unlock(PASSWORD, None).unwrap();
    assert!(b.take_unlock_notices().is_empty(), "its own typos, just now");
    a.unlock(PASSWORD, None).unwrap();
    let notices = a.take_unlock_notices();
    let failed: Vec<_> = notices.iter().filter(|n| n.kind == UnlockNoticeKind::FailedAttempts).collect();
    assert_eq!(failed.len(), 1, "{notices:?}");
    assert_eq!((&failed[0].device, failed[0].count), (&b.device.name, 3));
    assert!(a.take_unlock_notices().is_empty(), "told once");
    let _ = path;
}

#[test]
fn a_merge_from_another_laptop_is_logged_and_two_logs_merge_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a, mut b) = two_laptops(dir.path());
    let id = a.save_entry(None, draft("ERP", Some("pw-erp"))).unwrap();
    a.reveal(&id, "password").unwrap();
    b.sync_tick(1).expect("B takes in A's entry");
    let merges = details_now(&b, "merge");
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0], format!("from {}: 1 entry", a.device.name));
    b.record_copy(&id, "username");
    a.sync_tick(2);
    b.sync_tick(3);
    a.sync_tick(4);

    let ids = |app: &Session| events(app).into_iter().map(|e| e.id).collect::<Vec<_>>();
    let (in_a, in_b) = (ids(&a), ids(&b));
    assert_eq!(in_a.len(), in_a.iter().collect::<BTreeSet<_>>().len(), "no duplicates");
    assert_eq!(in_a.iter().collect::<BTreeSet<_>>(), in_b.iter().collect::<BTreeSet<_>>(), "nothing lost");
    // Two unlocks, the entry, A's reveal, B's merge and copy (A's own takes of B's activity are no merge).
    let kinds: Vec<String> = kinds_of(&a, None);
    assert_eq!(kinds.iter().filter(|k| *k == "unlock").count(), 2, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "copy").count(), 1, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "merge").count(), 1, "{kinds:?}");
    let copy = find(&events(&a), "copy")[0].clone();
    assert_eq!((&copy.device, &copy.device_id, copy.this_device), (&b.device.name, &b.device.id.to_string(), false));
}

#[test]
fn the_page_filters_by_entry_kind_device_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    let erp = app.save_entry(None, draft("ERP", Some("x"))).unwrap();
    let mail = app.save_entry(None, draft("Mail", Some("y"))).unwrap();
    app.record_copy(&erp, "password");
    app.record_copy(&mail, "username");
    let copies = ActivityFilter { kinds: vec!["copy".into()], ..ActivityFilter::default() };
    assert_eq!(app.activity(&copies).unwrap().events.len(), 2);
    let erp_copies = ActivityFilter { entry_id: Some(erp.clone()), ..copies.clone() };
    let listed = app.activity(&erp_copies).unwrap().events;
    assert_eq!((listed.len(), listed[0].title.as_str()), (1, "ERP"));
    let devices = app.activity_devices().unwrap();
    assert_eq!(devices.len(), 1);
    assert!(devices[0].this_device);
    let mine = ActivityFilter { device_id: Some(devices[0].id.clone()), ..ActivityFilter::default() };
    assert_eq!(app.activity(&mine).unwrap().events.len(), events(&app).len());
    let future = ActivityFilter { since_ms: Some(u64::MAX / 2), ..ActivityFilter::default() };
    assert!(app.activity(&future).unwrap().events.is_empty());
    let past = ActivityFilter { until_ms: Some(1), ..ActivityFilter::default() };
    assert!(app.activity(&past).unwrap().events.is_empty());
    let bad = ActivityFilter { kinds: vec!["coffee".into()], ..ActivityFilter::default() };
    assert_eq!(app.activity(&bad).unwrap_err().code, crate::error::ErrorCode::Invalid);
    assert_eq!(app.entry_activity(&erp).unwrap().len(), 2, "created, copied");
    for _ in 0..6 {
        app.reveal(&erp, "password").unwrap();
    }
    assert_eq!(app.entry_activity(&erp).unwrap().len(), 5, "the last five");
}

#[test]
fn a_typo_on_this_unlock_screen_is_not_told_but_one_from_before_the_screen_was_shown_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked_app(dir.path());
    app.lock();
    assert!(app.unlock("not it", None).is_err());
    app.unlock("pw", None).unwrap();
    assert!(app.take_unlock_notices().is_empty(), "the user's own typo, seconds ago, on this screen");

    // A wrong password, then the screen is shown anew (as after a restart): seconds old or
    // not, it was not typed on the screen that unlocks, so it is told.
    app.lock();
    assert!(app.unlock("not it either", None).is_err());
    app.lock();
    app.unlock("pw", None).unwrap();
    let notices = app.take_unlock_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!((notices[0].kind, notices[0].count), (UnlockNoticeKind::FailedAttempts, 1));
}
