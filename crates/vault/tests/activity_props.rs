//! Properties of the activity log's merge: laptops record events apart and merge in any order,
//! any number of times; every copy ends with every event exactly once (or, over the bound, the
//! same newest ones), and merging is commutative, associative and idempotent.

use proptest::prelude::*;
use std::collections::BTreeSet;
use vault::activity::{Event, EventKind, Log};
use vault::model::merge;
use vault::{Author, Clock, DeviceId, Vault};

struct AtClock(u64);
impl Clock for AtClock {
    fn now_ms(&self) -> u64 {
        self.0
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// A laptop records an event at a time of its own (laptops disagree about the time).
    Record {
        laptop: usize,
        at: u32,
        kind: usize,
    },
    Merge {
        from: usize,
        into: usize,
    },
}

fn op(laptops: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..laptops, 0u32..10_000, 0..EventKind::ALL.len()).prop_map(|(laptop, at, kind)| Op::Record { laptop, at, kind }),
        1 => (0..laptops, 0..laptops).prop_map(|(from, into)| Op::Merge { from, into }),
    ]
}

fn replicas(n: usize) -> Vec<Vault> {
    let clock = AtClock(1_800_000_000_000);
    let first = Vault::new("Work", Author { device: DeviceId(1), clock: &clock }, "LAPTOP-1");
    vec![first; n]
}

/// Runs `ops`, then merges every replica into every other; returns the replicas and the ids of
/// every event recorded.
fn run(ops: &[Op], n: usize) -> (Vec<Vault>, BTreeSet<(u64, String)>) {
    let mut vaults = replicas(n);
    let mut recorded = BTreeSet::new();
    for op in ops {
        match *op {
            Op::Record { laptop, at, kind } => {
                let at_ms = 1_800_000_000_000 + u64::from(at);
                let event = Event::at(EventKind::ALL[kind], at_ms, DeviceId(laptop as u64 + 1));
                recorded.insert((at_ms, event.id.to_string()));
                vaults[laptop].record(event);
            }
            Op::Merge { from, into } => {
                let other = vaults[from].clone();
                vaults[into].merge(&other).unwrap();
            }
        }
    }
    for _ in 0..2 {
        for i in 0..n {
            for j in 0..n {
                let other = vaults[j].clone();
                vaults[i].merge(&other).unwrap();
            }
        }
    }
    (vaults, recorded)
}

fn ids(log: &Log) -> BTreeSet<(u64, String)> {
    log.iter().map(|e| (e.at_ms, e.id.to_string())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_laptop_ends_with_every_event_once(ops in prop::collection::vec(op(3), 0..80)) {
        let (vaults, recorded) = run(&ops, 3);
        for vault in &vaults {
            prop_assert_eq!(&vault.activity, &vaults[0].activity);
            prop_assert_eq!(vault.activity.len(), recorded.len(), "no duplicates, none lost");
            prop_assert_eq!(ids(&vault.activity), recorded.clone());
        }
    }

    #[test]
    fn merging_logs_is_commutative_associative_and_idempotent(
        a in prop::collection::vec(op(1), 0..30),
        b in prop::collection::vec(op(1), 0..30),
        c in prop::collection::vec(op(1), 0..30),
        keep in 1usize..40,
    ) {
        let log = |ops: &[Op], device: u64| {
            let mut log = Log::default();
            for op in ops {
                if let Op::Record { at, kind, .. } = *op {
                    log.add(Event::at(EventKind::ALL[kind], u64::from(at), DeviceId(device)));
                }
            }
            log
        };
        let (a, b, c) = (log(&a, 1), log(&b, 2), log(&c, 3));
        let m = |x: &Log, y: &Log| Log::merged(x, y, keep);
        prop_assert_eq!(m(&a, &b), m(&b, &a));
        prop_assert_eq!(m(&m(&a, &b), &c), m(&a, &m(&b, &c)));
        prop_assert_eq!(m(&m(&a, &b), &b), m(&a, &b));
        // Over the bound, the newest are the ones kept.
        let all: Vec<u64> = a.iter().chain(b.iter()).chain(c.iter()).map(|e| e.at_ms).collect();
        let merged = m(&m(&a, &b), &c);
        prop_assert_eq!(merged.len(), all.len().min(keep));
        let oldest_kept = merged.iter().next().map_or(0, |e| e.at_ms);
        prop_assert!(all.iter().filter(|t| **t > oldest_kept).count() < keep.max(1) + 1);
    }
}

#[test]
fn a_whole_vault_merge_carries_the_log_and_respects_the_merged_bound() {
    let clock = AtClock(1_800_000_000_000);
    let me = Author { device: DeviceId(1), clock: &clock };
    let mut a = replicas(1).remove(0);
    let mut b = a.clone();
    for at in 0..150 {
        a.record(Event::at(EventKind::Copy, 1_800_000_000_000 + at, DeviceId(1)));
        b.record(Event::at(EventKind::Reveal, 1_800_000_000_000 + at, DeviceId(2)));
    }
    assert_eq!(merge(&a, &b).unwrap().activity.len(), 300);
    // One laptop lowered the bound: the merge keeps the newest 100 of both.
    a.set_activity_retention(365, 100, me);
    let merged = merge(&a, &b).unwrap();
    assert_eq!(merged.activity.len(), 100);
    assert_eq!(merged, merge(&b, &a).unwrap());
    assert!(merged.activity.iter().all(|e| e.at_ms >= 1_800_000_000_000 + 100));
}
