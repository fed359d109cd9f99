//! The `expiring` finding: an entry's expiry date within the vault's warning period, at both
//! ends of it, with a fixed "today"; and the warning period as a setting that travels.

use std::cell::Cell;

use vault::health::{self, Detail, FindingKind, ReportOptions};
use vault::{Author, Clock, DeviceId, NewEntry, Vault};

/// 2026-07-20T00:00:00Z.
const NOW: u64 = 1_784_505_600_000;

struct TestClock(Cell<u64>);
impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 20).unwrap()
}

/// One entry per expiry date, each with a strong password of its own.
fn vault_with(clock: &TestClock, dates: &[(&str, &str)]) -> Vault {
    let author = Author { device: DeviceId(7), clock };
    let mut vault = Vault::new("Work", author, "LAPTOP-1");
    for (i, (title, date)) in dates.iter().enumerate() {
        let new = NewEntry {
            title: (*title).into(),
            password: format!("Quartz-Meadow-Falcon-{i}7x").as_str().into(),
            expires: Some(date.parse().unwrap()),
            ..Default::default()
        };
        vault.add_entry(new, author);
    }
    vault
}

fn expiring_titles(vault: &Vault) -> Vec<String> {
    let options = ReportOptions { now_ms: NOW, today: today(), hibp: None, policy: None };
    let report = health::report(vault, options).unwrap();
    report.findings.iter().filter(|f| f.kind == FindingKind::Expiring).map(|f| f.title.clone()).collect()
}

#[test]
fn expiry_dates_from_today_to_the_warning_period_ahead_are_expiring() {
    let clock = TestClock(Cell::new(NOW));
    let vault = vault_with(
        &clock,
        &[
            ("Lapsed yesterday", "2026-07-19"),
            ("Tonight", "2026-07-20"),
            ("In two weeks", "2026-08-03"),
            ("In fifteen days", "2026-08-04"),
        ],
    );
    assert_eq!(vault.settings.expiry_warning_days(), 14, "the default");
    assert_eq!(expiring_titles(&vault), ["In two weeks", "Tonight"]);

    let options = ReportOptions { now_ms: NOW, today: today(), hibp: None, policy: None };
    let report = health::report(&vault, options).unwrap();
    let detail = |title: &str| report.findings.iter().find(|f| f.title == title && f.kind == FindingKind::Expiring);
    assert_eq!(
        detail("Tonight").unwrap().detail,
        Detail::Expiring { date: "2026-07-20".parse().unwrap(), days_left: 0 }
    );
    assert_eq!(
        detail("In two weeks").unwrap().to_string(),
        "In two weeks  expiring  expires on 2026-08-03 (in 14 days): change it before then"
    );
    // Lapsed is `expired`, never both.
    assert!(report.findings.iter().any(|f| f.title == "Lapsed yesterday" && f.kind == FindingKind::Expired));
    assert_eq!(report.count(FindingKind::Expiring), 2);
    assert_eq!(report.due_for_rotation, 1, "only the lapsed one is due already");

    // The notice after unlock: soonest first.
    let soon = health::expiring_soon(&vault, today());
    let soon: Vec<(&str, i64)> = soon.iter().map(|e| (e.entry.title.as_str(), e.days_left)).collect();
    assert_eq!(soon, [("Tonight", 0), ("In two weeks", 14)]);
}

#[test]
fn the_warning_period_is_a_setting_that_travels_and_zero_turns_it_off() {
    let clock = TestClock(Cell::new(NOW));
    let author = Author { device: DeviceId(7), clock: &clock };
    let mut laptop_1 = vault_with(&clock, &[("In fifteen days", "2026-08-04"), ("Tonight", "2026-07-20")]);
    let mut laptop_2 = laptop_1.clone();

    clock.0.set(NOW + 1000);
    let other = Author { device: DeviceId(8), clock: &clock };
    assert!(laptop_2.set_expiry_warning_days(30, other));
    assert!(!laptop_2.set_expiry_warning_days(30, other), "unchanged");
    laptop_1.merge(&laptop_2).unwrap();
    assert_eq!(laptop_1.settings.expiry_warning_days(), 30);
    assert_eq!(expiring_titles(&laptop_1), ["In fifteen days", "Tonight"]);

    clock.0.set(NOW + 2000);
    assert!(laptop_1.set_expiry_warning_days(0, author));
    assert!(expiring_titles(&laptop_1).is_empty());
    assert!(health::expiring_soon(&laptop_1, today()).is_empty());
    // Out of range is clamped, as for every setting that travels.
    laptop_1.set_expiry_warning_days(9999, author);
    assert_eq!(laptop_1.settings.expiry_warning_days(), 365);
}
