use super::*;
use crate::clock::Clock;
use crate::model::NewEntry;
use std::cell::Cell;

struct FixedClock(Cell<u64>);
impl Clock for FixedClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

const LAPTOP: DeviceId = DeviceId(1);
const OTHER: DeviceId = DeviceId(2);
const DAY: u64 = DAY_MS;

fn event(kind: EventKind, at_ms: u64, device: DeviceId) -> Event {
    Event::at(kind, at_ms, device)
}

fn log_of(events: &[Event]) -> Log {
    let mut log = Log::default();
    events.iter().cloned().for_each(|e| log.add(e));
    log
}

#[test]
fn kinds_have_one_name_each_that_parses_back() {
    for kind in EventKind::ALL {
        assert_eq!(kind.name().parse::<EventKind>().unwrap(), kind);
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.name()));
    }
    assert_eq!("UNLOCK_FAILED".parse::<EventKind>().unwrap(), EventKind::UnlockFailed);
    assert!("login".parse::<EventKind>().is_err());
}

#[test]
fn recording_names_the_entry_and_the_log_survives_the_file() {
    let clock = FixedClock(Cell::new(10 * DAY));
    let author = Author { device: LAPTOP, clock: &clock };
    let mut vault = Vault::new("Work", author, "LAPTOP-1");
    let id = vault.add_entry(NewEntry { title: "Salesforce".into(), ..Default::default() }, author);
    vault.record_for(EventKind::Copy, id, "password", author);
    let event = vault.activity.iter().next().unwrap().clone();
    assert_eq!(
        (event.kind, event.entry, event.title.as_str(), event.detail.as_str()),
        (EventKind::Copy, Some(id), "Salesforce", "password")
    );
    // A later rename shows the new title; an entry gone for good keeps the one it had.
    vault.entries.get_mut(&id).unwrap().title.value = "Salesforce EU".into();
    assert_eq!(vault.event_title(&event), "Salesforce EU");
    vault.entries.remove(&id);
    assert_eq!(vault.event_title(&event), "Salesforce");

    let json = serde_json::to_string(&vault).unwrap();
    let back: Vault = serde_json::from_str(&json).unwrap();
    assert_eq!(back.activity, vault.activity);
}

#[test]
fn a_vault_without_a_log_reads_with_default_settings_and_writes_none() {
    let clock = FixedClock(Cell::new(DAY));
    let vault = Vault::new("Work", Author { device: LAPTOP, clock: &clock }, "LAPTOP-1");
    let json = serde_json::to_value(&vault).unwrap();
    assert!(json.get("activity").is_none(), "an empty log is not spelled out");
    assert!(json["settings"].get("activity_keep_days").is_none(), "nor are default settings");
    let read: Vault = serde_json::from_value(json).unwrap();
    assert_eq!(read.settings.activity_keep_days(), 365);
    assert_eq!(read.settings.activity_keep_events(), 20_000);
}

#[test]
fn pruning_drops_the_oldest_by_age_then_by_count() {
    let now = 1000 * DAY;
    let events: Vec<Event> = (0..10).map(|i| event(EventKind::Copy, now - i * 50 * DAY, LAPTOP)).collect();
    let mut log = log_of(&events);
    log.prune(now, 365, 1000);
    // 0, 50, ..., 350 days old are kept; 400 and 450 are not.
    assert_eq!(log.len(), 8);
    log.prune(now, 365, 3);
    let left: Vec<u64> = log.iter().map(|e| (now - e.at_ms) / DAY).collect();
    assert_eq!(left, [100, 50, 0]);
}

#[test]
fn merging_takes_the_union_once_and_keeps_the_newest() {
    let shared = event(EventKind::Unlock, 5, LAPTOP);
    let a = log_of(&[shared.clone(), event(EventKind::Copy, 7, LAPTOP)]);
    let b = log_of(&[shared.clone(), event(EventKind::Reveal, 6, OTHER), event(EventKind::Unlock, 1, OTHER)]);
    let merged = Log::merged(&a, &b, 100);
    assert_eq!(merged.len(), 4);
    assert_eq!(merged, Log::merged(&b, &a, 100));
    assert_eq!(Log::merged(&merged, &a, 100), merged);
    let cut = Log::merged(&a, &b, 2);
    assert_eq!(cut.iter().map(|e| e.at_ms).collect::<Vec<_>>(), [6, 7]);
    // Two events forged with one time and id: the same one is kept whichever side it came from.
    let mut forged = shared.clone();
    forged.detail = "forged".into();
    let x = log_of(std::slice::from_ref(&shared));
    let y = log_of(&[forged]);
    assert_eq!(Log::merged(&x, &y, 10), Log::merged(&y, &x, 10));
    assert_eq!(Log::merged(&x, &y, 10).len(), 1);
}

#[test]
fn queries_filter_by_entry_kind_device_and_time_newest_first() {
    let entry = EntryId::random();
    let mut copy = event(EventKind::Copy, 30, LAPTOP);
    copy.entry = Some(entry);
    let events = [event(EventKind::Unlock, 10, LAPTOP), event(EventKind::UnlockFailed, 20, OTHER), copy];
    let log = log_of(&events);
    let at = |f: Filter| log.query(&f).map(|e| e.at_ms).collect::<Vec<_>>();
    assert_eq!(at(Filter::default()), [30, 20, 10]);
    assert_eq!(at(Filter { entry: Some(entry), ..Default::default() }), [30]);
    assert_eq!(at(Filter { kinds: vec![EventKind::Unlock, EventKind::UnlockFailed], ..Default::default() }), [20, 10]);
    assert_eq!(at(Filter { device: Some(OTHER), ..Default::default() }), [20]);
    assert_eq!(at(Filter { since_ms: Some(20), until_ms: Some(30), ..Default::default() }), [20]);
}

#[test]
fn notices_name_failed_attempts_elsewhere_and_new_devices_since_the_last_unlock() {
    let now = 100 * DAY;
    let stranger = DeviceId(3);
    let log = log_of(&[
        event(EventKind::Unlock, now - 20 * DAY, OTHER),
        event(EventKind::Unlock, now - 10 * DAY, LAPTOP),
        // Before our last unlock, and brought in by LAPTOP-2's unlock before it too: seen.
        event(EventKind::UnlockFailed, now - 11 * DAY, OTHER),
        event(EventKind::Unlock, now - 11 * DAY + 10, OTHER),
        event(EventKind::UnlockFailed, now - 2 * DAY, OTHER),
        event(EventKind::UnlockFailed, now - 2 * DAY + 5, OTHER),
        event(EventKind::UnlockFailed, now - DAY, OTHER),
        event(EventKind::Unlock, now - DAY + 10, OTHER),
        event(EventKind::Unlock, now - 3 * DAY, stranger),
        // Our own typo a moment ago is not worth a warning; one from last night is.
        event(EventKind::UnlockFailed, now - 1000, LAPTOP),
        event(EventKind::UnlockFailed, now - DAY / 2, LAPTOP),
    ]);
    let got = notices(&log, LAPTOP, now);
    assert_eq!(
        got,
        [
            Notice::NewDevice { device: stranger, at_ms: now - 3 * DAY },
            Notice::FailedAttempts { device: OTHER, count: 3, last_ms: now - DAY },
            Notice::FailedAttempts { device: LAPTOP, count: 1, last_ms: now - DAY / 2 },
        ]
    );
    // Once this unlock is recorded, the next one has nothing to say.
    let mut after = log.clone();
    after.add(event(EventKind::Unlock, now, LAPTOP));
    assert!(notices(&after, LAPTOP, now + 60_000).is_empty());
}

#[test]
fn failed_attempts_that_arrive_late_are_still_news() {
    // Someone tries on LAPTOP-2 on Monday; we unlock here on Tuesday; LAPTOP-2's owner unlocks
    // on Wednesday, which brings Monday's attempts into the vault: our next unlock tells us.
    let monday = 100 * DAY;
    let log = log_of(&[
        event(EventKind::Unlock, monday - DAY, OTHER),
        event(EventKind::UnlockFailed, monday, OTHER),
        event(EventKind::Unlock, monday + DAY, LAPTOP),
        event(EventKind::Unlock, monday + 2 * DAY, OTHER),
    ]);
    assert_eq!(
        notices(&log, LAPTOP, monday + 3 * DAY),
        [Notice::FailedAttempts { device: OTHER, count: 1, last_ms: monday }]
    );
}

#[test]
fn a_first_unlock_shows_the_last_weeks_failed_attempts_but_no_new_devices() {
    let now = 100 * DAY;
    let log = log_of(&[
        event(EventKind::UnlockFailed, now - 9 * DAY, OTHER),
        event(EventKind::Unlock, now - 8 * DAY, OTHER),
        event(EventKind::UnlockFailed, now - 6 * DAY, OTHER),
        event(EventKind::Unlock, now - DAY, OTHER),
    ]);
    assert_eq!(
        notices(&log, LAPTOP, now),
        [Notice::FailedAttempts { device: OTHER, count: 1, last_ms: now - 6 * DAY }]
    );
}

#[test]
fn failed_unlocks_wait_on_the_laptop_per_vault_until_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.crmvault"), dir.path().join("b.crmvault"));
    PendingFailures::add(dir.path(), &a, 10, "password").unwrap();
    PendingFailures::add(dir.path(), &b, 11, "password").unwrap();
    PendingFailures::add(dir.path(), &a, 12, "pin").unwrap();
    let on_a: Vec<(u64, String)> = PendingFailures::of(dir.path(), &a).into_iter().map(|f| (f.at_ms, f.how)).collect();
    assert_eq!(on_a, [(10, "password".to_owned()), (12, "pin".to_owned())]);
    PendingFailures::forget(dir.path(), &a, 10).unwrap();
    assert_eq!(PendingFailures::of(dir.path(), &a).len(), 1);
    assert_eq!(PendingFailures::of(dir.path(), &b).len(), 1);
    std::fs::write(dir.path().join("failed-unlocks.json"), b"{damaged").unwrap();
    assert!(PendingFailures::of(dir.path(), &a).is_empty());
    PendingFailures::add(dir.path(), &a, 13, "password").unwrap();
    assert_eq!(PendingFailures::of(dir.path(), &a).len(), 1);
}

#[test]
fn the_pending_file_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v.crmvault");
    let mut many = PendingFailures::default();
    for at_ms in 0..MAX_PENDING as u64 {
        many.attempts.push(FailedUnlock { vault: pending_path(&vault), at_ms, how: "password".into() });
    }
    many.save(dir.path()).unwrap();
    PendingFailures::add(dir.path(), &vault, 5000, "password").unwrap();
    let kept = PendingFailures::of(dir.path(), &vault);
    assert_eq!(kept.len(), MAX_PENDING);
    assert_eq!((kept[0].at_ms, kept.last().unwrap().at_ms), (1, 5000));
}

fn pending_path(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap()
}

#[test]
fn retention_settings_are_clamped_and_cut_the_log_at_once() {
    let clock = FixedClock(Cell::new(DAY));
    let author = Author { device: LAPTOP, clock: &clock };
    let mut vault = Vault::new("Work", author, "LAPTOP-1");
    for i in 0..150 {
        vault.record(event(EventKind::Copy, DAY + i, LAPTOP));
    }
    assert!(vault.set_activity_retention(0, 1, author));
    assert_eq!(vault.settings.activity_keep_days(), 1);
    assert_eq!(vault.activity.len(), 100);
    assert!(!vault.set_activity_retention(1, 100, author));
}

#[test]
fn typos_typed_on_the_unlock_screen_just_before_the_unlock_are_not_news_but_earlier_ones_are() {
    let now = 100 * DAY;
    let minute = 60_000;
    let log = log_of(&[
        event(EventKind::Unlock, now - 3 * DAY, LAPTOP),
        // This laptop, an earlier run of the app, seconds before: told.
        event(EventKind::UnlockFailed, now - 30_000, LAPTOP),
        // This screen, at 2 a.m., then a long pause: told.
        event(EventKind::UnlockFailed, now - DAY / 2, LAPTOP),
        // This screen: a run of tries under 2 minutes apart, the first 5 minutes ago: the user's own.
        event(EventKind::UnlockFailed, now - 5 * minute, LAPTOP),
        event(EventKind::UnlockFailed, now - 4 * minute, LAPTOP),
        event(EventKind::UnlockFailed, now - 2 * minute, LAPTOP),
        event(EventKind::UnlockFailed, now - 20_000, LAPTOP),
        // Another laptop, a moment ago: told.
        event(EventKind::UnlockFailed, now - 10_000, OTHER),
    ]);
    let typed_here = [now - DAY / 2, now - 5 * minute, now - 4 * minute, now - 2 * minute, now - 20_000];
    assert_eq!(
        notices_typed_here(&log, LAPTOP, now, &typed_here),
        [
            Notice::FailedAttempts { device: LAPTOP, count: 2, last_ms: now - 30_000 },
            Notice::FailedAttempts { device: OTHER, count: 1, last_ms: now - 10_000 },
        ]
    );
    // Nothing typed on this screen: every failed attempt is told, even seconds old.
    let all = notices_typed_here(&log, LAPTOP, now, &[]);
    assert!(all.contains(&Notice::FailedAttempts { device: LAPTOP, count: 6, last_ms: now - 20_000 }), "{all:?}");
}
