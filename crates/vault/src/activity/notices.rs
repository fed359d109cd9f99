//! What in the log needs the user's look when they unlock: someone tried master passwords, or a
//! laptop the vault had never seen opened it.

use std::collections::BTreeMap;

use super::{EventKind, Log};
use crate::clock::DeviceId;

/// Failed attempts on this laptop this close before a successful unlock are the user's own typos,
/// not worth a warning.
pub const OWN_TYPO_MS: u64 = 2 * 60 * 1000;
/// On a laptop's first unlock there is no "since last time": failed attempts of the last week are
/// shown then.
pub const FIRST_LOOK_MS: u64 = 7 * 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `count` wrong master passwords or PINs on `device`, the latest at `last_ms`.
    FailedAttempts { device: DeviceId, count: u32, last_ms: u64 },
    /// `device` unlocked the vault at `at_ms`, and had never done anything with it before.
    NewDevice { device: DeviceId, at_ms: u64 },
}

/// What happened since `device`'s previous unlock that its user should know, as of an unlock at
/// `now_ms` (call it before recording that unlock). Oldest first. Failed attempts on `device` in
/// the last [`OWN_TYPO_MS`] count as the user's own typos.
pub fn notices(log: &Log, device: DeviceId, now_ms: u64) -> Vec<Notice> {
    notices_but(log, device, now_ms, |at_ms| at_ms + OWN_TYPO_MS >= now_ms)
}

/// As [`notices`], for the app that knows which failed attempts were typed on the very unlock
/// screen that has just unlocked: `typed_here`, the times of the attempts it noted since it
/// showed that screen (since it started, or since the last lock).
///
/// The rule: a failed attempt on `device` is the user's own typo, not news, when it was typed on
/// this screen and is part of the run of tries that ended in this unlock, each try at most
/// [`OWN_TYPO_MS`] before the next one (or the unlock). Everything else is told: attempts on
/// other laptops, on this laptop in an earlier run of the app or before the last lock, and tries
/// on this screen before a longer pause (someone at the laptop while its user was away).
pub fn notices_typed_here(log: &Log, device: DeviceId, now_ms: u64, typed_here: &[u64]) -> Vec<Notice> {
    let mut times = typed_here.to_vec();
    times.sort_unstable_by(|a, b| b.cmp(a));
    let mut own = std::collections::BTreeSet::new();
    let mut next = now_ms;
    for at in times {
        if at + OWN_TYPO_MS < next {
            break;
        }
        own.insert(at);
        next = at;
    }
    notices_but(log, device, now_ms, |at_ms| own.contains(&at_ms))
}

/// The notices, leaving out the failed attempts on `device` that `own_typo` says (by time) are
/// the user's own.
fn notices_but(log: &Log, device: DeviceId, now_ms: u64, own_typo: impl Fn(u64) -> bool) -> Vec<Notice> {
    let previous = log.iter().rev().find(|e| e.kind == EventKind::Unlock && e.device == device).map(|e| e.at_ms);
    let since = previous.unwrap_or(now_ms.saturating_sub(FIRST_LOOK_MS));
    let mut failed: BTreeMap<DeviceId, (u32, u64)> = BTreeMap::new();
    // A failed attempt reaches the vault at the next successful unlock on its laptop (it waited
    // there), which may be long after it happened: news is what arrived since our last unlock.
    let arrived = |at_ms: u64, on: DeviceId| {
        log.iter()
            .find(|e| e.kind == EventKind::Unlock && e.device == on && e.at_ms >= at_ms)
            .map_or(now_ms, |e| e.at_ms)
    };
    let failures = log.iter().filter(|e| e.kind == EventKind::UnlockFailed);
    for event in failures.filter(|e| arrived(e.at_ms, e.device) > since) {
        if !(event.device == device && own_typo(event.at_ms)) {
            let (count, last) = failed.entry(event.device).or_default();
            *count += 1;
            *last = (*last).max(event.at_ms);
        }
    }
    let mut out: Vec<(u64, Notice)> = failed
        .into_iter()
        .map(|(device, (count, last_ms))| (last_ms, Notice::FailedAttempts { device, count, last_ms }))
        .collect();
    // Every device is new to a laptop's first look; only later unlocks can tell.
    if previous.is_some() {
        // Known: a laptop that had unlocked the vault before (failing to does not make one known).
        let unlocks = || log.iter().filter(|e| e.kind == EventKind::Unlock);
        let mut known: std::collections::BTreeSet<DeviceId> =
            unlocks().filter(|e| e.at_ms <= since).map(|e| e.device).collect();
        known.insert(device);
        for event in unlocks().filter(|e| e.at_ms > since) {
            if known.insert(event.device) {
                out.push((event.at_ms, Notice::NewDevice { device: event.device, at_ms: event.at_ms }));
            }
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, notice)| notice).collect()
}
