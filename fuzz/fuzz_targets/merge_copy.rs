//! Any bytes as the decrypted payload of a copy found in the sync folder, merged into a vault
//! the way the store does: a copy whose clocks run more than a day ahead is not merged by
//! itself, and one merged on purpose has its clocks pulled back first. Whatever the copy holds,
//! nothing panics, and the vault never ends up with a clock more than a day ahead of now, so
//! the next write on this laptop is still dated now.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::format;
use vault::model::MAX_CLOCK_AHEAD_MS;
use vault::{Author, Clock, DeviceId, NewEntry, Vault};
use vault_fuzz::{FixedClock, seal_payload, vault_key};

fuzz_target!(|data: &[u8]| {
    let Ok(copy) = format::read_with_key(&seal_payload(data), &vault_key()) else { return };
    let theirs = copy.vault;
    let clock = FixedClock::default();
    let now = clock.now_ms();
    let author = Author { device: DeviceId(7), clock: &clock };
    let mut ours = Vault::new("ours", author, "LAPTOP-A");
    ours.add_entry(NewEntry { title: "CRM".into(), ..Default::default() }, author);
    ours.id = theirs.id;

    // Merged by itself only when its clocks are within a day of ours.
    let mut synced = ours.clone();
    if theirs.clock_ahead(now).is_none() {
        synced.merge(&theirs).expect("copies of one vault merge");
        assert!(synced.clock_ahead(now).is_none(), "a merge brought a clock more than a day ahead");
    }
    // Merged on purpose: clocks pulled back to now.
    let mut chosen = theirs.clone();
    chosen.pull_back_clocks(now);
    assert!(chosen.clock_ahead(now).is_none());
    let mut merged = ours.clone();
    merged.merge(&chosen).expect("copies of one vault merge");
    assert!(merged.clock_ahead(now).is_none(), "a pulled-back copy left a clock ahead");

    // The next write here is dated within a day of now, whatever came in.
    for vault in [&mut synced, &mut merged] {
        let id = vault.add_entry(NewEntry { title: "next".into(), ..Default::default() }, author);
        let written = vault.entry(id).expect("just added").created;
        assert!(written.wall_ms <= now.saturating_add(MAX_CLOCK_AHEAD_MS) + 10, "next write dated {written:?}");
    }
});
