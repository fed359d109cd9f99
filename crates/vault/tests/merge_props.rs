//! Properties of the merge: replicas of one vault edited offline on laptops with skewed clocks,
//! merged pairwise in random order, converge; every latest write wins; every value a write
//! superseded is in the entry's history; a deleted entry stays deleted unless edited after its
//! deletion; a star (favourite) is last writer wins and is not an edit; an entry deleted for
//! ever stays a tombstone with no values whatever other copies hold. And the merge is
//! commutative, associative and idempotent.

use proptest::prelude::*;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use vault::model::{ExpiryDate, HISTORY_LIMIT, merge};
use vault::{Author, Clock, CustomField, DeviceId, Entry, EntryEdit, EntryId, Hlc, NewEntry, SecretText, Vault};

/// A laptop's clock, set by the test: laptops disagree about the time.
struct TestClock(Cell<u64>);

impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.get()
    }
}

#[derive(Debug, Clone)]
enum Field {
    Title,
    Username,
    Password,
    Notes,
    Urls,
    Totp,
    Tags,
    SetCustom,
    RemoveCustom,
    Expires,
    AlsoFillOn,
    AutotypeSequence,
    AutotypeWindows,
}

#[derive(Debug, Clone)]
enum Op {
    Add {
        replica: usize,
    },
    Edit {
        replica: usize,
        entry: usize,
        field: Field,
        value: u8,
    },
    Delete {
        replica: usize,
        entry: usize,
    },
    Restore {
        replica: usize,
        entry: usize,
    },
    /// Stars or un-stars the entry.
    Favourite {
        replica: usize,
        entry: usize,
        on: bool,
    },
    /// Moves the entry to the trash if it is not there, then deletes it for ever.
    Purge {
        replica: usize,
        entry: usize,
    },
    Merge {
        from: usize,
        into: usize,
    },
    /// The laptop's clock moves, forwards or (set back by the user, NTP) backwards.
    Time {
        replica: usize,
        delta_ms: i64,
    },
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        Just(Field::Title),
        Just(Field::Username),
        Just(Field::Password),
        Just(Field::Notes),
        Just(Field::Urls),
        Just(Field::Totp),
        Just(Field::Tags),
        Just(Field::SetCustom),
        Just(Field::RemoveCustom),
        Just(Field::Expires),
        Just(Field::AlsoFillOn),
        Just(Field::AutotypeSequence),
        Just(Field::AutotypeWindows),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let r = 0usize..4;
    prop_oneof![
        1 => r.clone().prop_map(|replica| Op::Add { replica }),
        8 => (r.clone(), 0usize..8, field(), any::<u8>())
            .prop_map(|(replica, entry, field, value)| Op::Edit { replica, entry, field, value }),
        2 => (r.clone(), 0usize..8).prop_map(|(replica, entry)| Op::Delete { replica, entry }),
        1 => (r.clone(), 0usize..8).prop_map(|(replica, entry)| Op::Restore { replica, entry }),
        2 => (r.clone(), 0usize..8, any::<bool>()).prop_map(|(replica, entry, on)| Op::Favourite { replica, entry, on }),
        1 => (r.clone(), 0usize..8).prop_map(|(replica, entry)| Op::Purge { replica, entry }),
        3 => (r.clone(), r.clone()).prop_map(|(from, into)| Op::Merge { from, into }),
        3 => (r, -3_000i64..3_000).prop_map(|(replica, delta_ms)| Op::Time { replica, delta_ms }),
    ]
}

/// A few values only, so that two laptops often write the same value at different times.
fn edit_for(field: &Field, value: u8) -> EntryEdit {
    let v = value % 4;
    let name = ["pin", "email"][(value / 4 % 2) as usize].to_owned();
    let mut edit = EntryEdit::default();
    match field {
        Field::Title => edit.title = Some(format!("title {v}")),
        Field::Username => edit.username = Some(format!("user{v}")),
        Field::Password => edit.password = Some(SecretText::new(format!("pw-{v}"))),
        Field::Notes => edit.notes = Some(format!("note {v}")),
        Field::Urls => edit.urls = Some((0..v).map(|i| format!("https://crm{i}.example")).collect()),
        Field::Totp => edit.totp = Some(SecretText::new(format!("otpauth://totp/x?secret=JBSWY3DPEHPK3PX{v}"))),
        Field::Tags => {
            edit.tags = Some(
                ["crm", "mail", "客户"]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| value >> i & 1 == 1)
                    .map(|(_, t)| t.to_string())
                    .collect(),
            )
        }
        Field::SetCustom => {
            edit.fields = vec![(name, Some(CustomField { value: SecretText::new(format!("v{v}")), hidden: v == 3 }))]
        }
        Field::RemoveCustom => edit.fields = vec![(name, None)],
        Field::Expires => edit.expires = Some((v > 0).then(|| format!("2027-01-0{v}").parse::<ExpiryDate>().unwrap())),
        Field::AlsoFillOn => edit.also_fill_on = Some((0..v).map(|i| format!("https://sso{i}.example")).collect()),
        Field::AutotypeSequence => edit.autotype_sequence = Some((v > 0).then(|| format!("{{PASSWORD}}{{TAB {v}}}"))),
        Field::AutotypeWindows => edit.autotype_windows = Some((0..v).map(|i| format!("*CRM {i}*")).collect()),
    }
    edit
}

/// Every write ever made, as seen on the laptop that made it: the test's record of truth.
#[derive(Default, Debug)]
struct Oracle {
    /// Fields with history: every (clock, value) each field of each entry ever had.
    kept: BTreeMap<(EntryId, String), BTreeSet<(Hlc, String)>>,
    /// Fields without history (tags, rules, expiry): every (clock, value).
    latest_only: BTreeMap<(EntryId, String), BTreeSet<(Hlc, String)>>,
    deletions: BTreeMap<EntryId, BTreeSet<(Hlc, bool)>>,
    /// Stars: apart from `latest_only`, since a star is not an edit.
    favourites: BTreeMap<EntryId, BTreeSet<(Hlc, bool)>>,
    /// Entries deleted for ever on some laptop.
    purged: BTreeSet<EntryId>,
}

fn text(value: &str) -> String {
    value.to_owned()
}

impl Oracle {
    /// Records the stamps of `entry` as one laptop holds it (a set: seeing one twice is harmless).
    fn observe(&mut self, entry: &Entry) {
        let id = entry.id;
        let mut kept = |field: &str, clock: Hlc, value: String| {
            self.kept.entry((id, field.to_owned())).or_default().insert((clock, value));
        };
        kept("title", entry.title.clock, text(&entry.title.value));
        kept("username", entry.username.clock, text(&entry.username.value));
        kept("password", entry.password.clock, text(entry.password.value.expose()));
        kept("notes", entry.notes.clock, text(&entry.notes.value));
        kept("urls", entry.urls.clock, entry.urls.value.join("\n"));
        kept("totp", entry.totp.clock, text(entry.totp.value.expose()));
        for (name, field) in &entry.fields {
            let value = field.value.as_ref().map(|f| f.value.expose().to_owned()).unwrap_or_default();
            kept(&format!("field:{name}"), field.clock, value);
        }
        let mut latest = |key: String, clock: Hlc, value: String| {
            self.latest_only.entry((id, key)).or_default().insert((clock, value));
        };
        for (name, on) in &entry.tags {
            latest(format!("tag:{name}"), on.clock, on.value.to_string());
        }
        latest("rules".into(), entry.rules.clock, format!("{:?}", entry.rules.value));
        latest("expires".into(), entry.expires.clock, format!("{:?}", entry.expires.value));
        latest("also_fill_on".into(), entry.also_fill_on.clock, format!("{:?}", entry.also_fill_on.value));
        latest(
            "autotype_sequence".into(),
            entry.autotype_sequence.clock,
            format!("{:?}", entry.autotype_sequence.value),
        );
        latest("autotype_windows".into(), entry.autotype_windows.clock, format!("{:?}", entry.autotype_windows.value));
        // Hidden flags travel with the value; kept apart so a flag-only change is checked too.
        for (name, field) in &entry.fields {
            latest(format!("hidden:{name}"), field.clock, format!("{:?}", field.value.as_ref().map(|f| f.hidden)));
        }
        self.deletions.entry(id).or_default().insert((entry.deleted.clock, entry.deleted.value));
        self.favourites.entry(id).or_default().insert((entry.favourite.clock, entry.favourite.value));
    }

    /// Checks the converged vault against every write made.
    fn check(&self, vault: &Vault) -> Result<(), TestCaseError> {
        for id in &self.purged {
            let tombstone = &vault.entries[id];
            prop_assert!(tombstone.is_purged() && vault.entry(*id).is_none(), "deleted for ever stays so");
            let empty = tombstone.title.value.is_empty()
                && tombstone.password.value.is_empty()
                && tombstone.notes.value.is_empty()
                && tombstone.username.value.is_empty()
                && tombstone.totp.value.is_empty()
                && tombstone.urls.value.is_empty()
                && tombstone.tags.is_empty()
                && tombstone.fields.is_empty()
                && tombstone.history.is_empty();
            prop_assert!(empty, "a tombstone holds no value: {:?}", tombstone);
        }
        let live = |id: &EntryId| !self.purged.contains(id);
        for ((id, field), stamps) in self.kept.iter().filter(|((id, _), _)| live(id)) {
            let entry = vault.entry(*id).ok_or_else(|| TestCaseError::fail(format!("entry {id} lost")))?;
            let (clock, value) = current(entry, field).ok_or_else(|| TestCaseError::fail(format!("{field} lost")))?;
            let (latest_clock, latest_value) = stamps.iter().max_by_key(|(c, _)| *c).unwrap();
            prop_assert_eq!((clock, &value), (*latest_clock, latest_value), "latest write of {} wins", field);
            prop_assert!(entry.history.len() < HISTORY_LIMIT, "tests stay below the history cap");
            for (clock, value) in stamps.iter().filter(|(c, _)| c != latest_clock) {
                let kept =
                    entry.history.iter().any(|h| h.field == *field && h.clock == *clock && h.value.expose() == value);
                prop_assert!(kept, "superseded {} {:?} is in the history", field, clock);
            }
        }
        for ((id, key), stamps) in self.latest_only.iter().filter(|((id, _), _)| live(id)) {
            let entry = vault.entry(*id).unwrap();
            let (latest_clock, latest_value) = stamps.iter().max_by_key(|(c, _)| *c).unwrap();
            let now = current_setting(entry, key).unwrap();
            prop_assert_eq!(&now, &(*latest_clock, latest_value.clone()), "latest write of {} wins", key);
        }
        for (id, stars) in self.favourites.iter().filter(|(id, _)| live(id)) {
            let (_, latest) = *stars.iter().max_by_key(|(c, _)| *c).unwrap();
            prop_assert_eq!(vault.entry(*id).unwrap().favourite.value, latest, "latest star wins");
        }
        for (id, deletions) in self.deletions.iter().filter(|(id, _)| live(id)) {
            let entry = vault.entry(*id).unwrap();
            let (deleted_at, deleted) = *deletions.iter().max_by_key(|(c, _)| *c).unwrap();
            let last_edit = self.last_content_write(*id).max(entry.created);
            let expected = deleted && deleted_at >= last_edit;
            prop_assert_eq!(entry.is_deleted(), expected, "in the trash iff deleted after its last edit");
        }
        Ok(())
    }

    fn last_content_write(&self, id: EntryId) -> Hlc {
        let kept = self.kept.iter().filter(|((e, _), _)| *e == id).flat_map(|(_, s)| s.iter().map(|(c, _)| *c));
        let latest =
            self.latest_only.iter().filter(|((e, _), _)| *e == id).flat_map(|(_, s)| s.iter().map(|(c, _)| *c));
        kept.chain(latest).max().unwrap_or_default()
    }
}

fn current(entry: &Entry, field: &str) -> Option<(Hlc, String)> {
    Some(match field {
        "title" => (entry.title.clock, text(&entry.title.value)),
        "username" => (entry.username.clock, text(&entry.username.value)),
        "password" => (entry.password.clock, text(entry.password.value.expose())),
        "notes" => (entry.notes.clock, text(&entry.notes.value)),
        "urls" => (entry.urls.clock, entry.urls.value.join("\n")),
        "totp" => (entry.totp.clock, text(entry.totp.value.expose())),
        other => {
            let field = entry.fields.get(other.strip_prefix("field:")?)?;
            (field.clock, field.value.as_ref().map(|f| f.value.expose().to_owned()).unwrap_or_default())
        }
    })
}

fn current_setting(entry: &Entry, key: &str) -> Option<(Hlc, String)> {
    Some(match key {
        "rules" => (entry.rules.clock, format!("{:?}", entry.rules.value)),
        "expires" => (entry.expires.clock, format!("{:?}", entry.expires.value)),
        "also_fill_on" => (entry.also_fill_on.clock, format!("{:?}", entry.also_fill_on.value)),
        "autotype_sequence" => (entry.autotype_sequence.clock, format!("{:?}", entry.autotype_sequence.value)),
        "autotype_windows" => (entry.autotype_windows.clock, format!("{:?}", entry.autotype_windows.value)),
        other => match other.split_once(':')? {
            ("tag", name) => entry.tags.get(name).map(|t| (t.clock, t.value.to_string()))?,
            ("hidden", name) => {
                let field = entry.fields.get(name)?;
                (field.clock, format!("{:?}", field.value.as_ref().map(|f| f.hidden)))
            }
            _ => return None,
        },
    })
}

struct World {
    replicas: Vec<Vault>,
    clocks: Vec<TestClock>,
    ids: Vec<EntryId>,
    oracle: Oracle,
}

const T0: u64 = 1_795_000_000_000;

impl World {
    /// `n` laptops with copies of one vault, their clocks `skews` ms off.
    fn new(n: usize, skews: &[i64]) -> World {
        let clock = TestClock(Cell::new(T0));
        let author = Author { device: DeviceId(100), clock: &clock };
        let mut base = Vault::new("Sales", author, "LAPTOP-0");
        let mut ids = Vec::new();
        for title in ["CRM", "Mail"] {
            let new = NewEntry { title: title.into(), password: "first".into(), ..Default::default() };
            ids.push(base.add_entry(new, author));
        }
        let mut oracle = Oracle::default();
        base.entries.values().for_each(|e| oracle.observe(e));
        let clocks = (0..n).map(|i| TestClock(Cell::new(T0.saturating_add_signed(skews[i])))).collect();
        World { replicas: vec![base; n], clocks, ids, oracle }
    }

    /// Laptop `replica` writes under `name`, as the app does at each save.
    fn name(&mut self, replica: usize, name: &str) {
        let author = Author { device: DeviceId(replica as u64 + 1), clock: &self.clocks[replica] };
        self.replicas[replica].note_device(author, name);
    }

    fn apply(&mut self, op: &Op) {
        let n = self.replicas.len();
        let id_at = |ids: &[EntryId], i: usize| ids[i % ids.len()];
        match *op {
            Op::Add { replica } => {
                let r = replica % n;
                let author = Author { device: DeviceId(r as u64 + 1), clock: &self.clocks[r] };
                let new = NewEntry { title: format!("new on {r}"), password: "fresh".into(), ..Default::default() };
                let id = self.replicas[r].add_entry(new, author);
                self.ids.push(id);
                self.oracle.observe(self.replicas[r].entry(id).unwrap());
            }
            Op::Edit { replica, entry, ref field, value } => {
                let (r, id) = (replica % n, id_at(&self.ids, entry));
                let author = Author { device: DeviceId(r as u64 + 1), clock: &self.clocks[r] };
                if self.replicas[r].edit_entry(id, edit_for(field, value), author).is_ok() {
                    self.oracle.observe(self.replicas[r].entry(id).unwrap());
                }
            }
            Op::Delete { replica, entry } | Op::Restore { replica, entry } => {
                let (r, id) = (replica % n, id_at(&self.ids, entry));
                let author = Author { device: DeviceId(r as u64 + 1), clock: &self.clocks[r] };
                let vault = &mut self.replicas[r];
                let done = match op {
                    Op::Delete { .. } => vault.delete_entry(id, author),
                    _ => vault.restore_entry(id, author),
                };
                if done.is_ok() {
                    self.oracle.observe(self.replicas[r].entry(id).unwrap());
                }
            }
            Op::Favourite { replica, entry, on } => {
                let (r, id) = (replica % n, id_at(&self.ids, entry));
                let author = Author { device: DeviceId(r as u64 + 1), clock: &self.clocks[r] };
                if self.replicas[r].set_favourite(id, on, author).is_ok() {
                    self.oracle.observe(self.replicas[r].entry(id).unwrap());
                }
            }
            Op::Purge { replica, entry } => {
                let (r, id) = (replica % n, id_at(&self.ids, entry));
                let author = Author { device: DeviceId(r as u64 + 1), clock: &self.clocks[r] };
                let vault = &mut self.replicas[r];
                if vault.entry(id).is_some_and(|e| !e.is_deleted()) {
                    vault.delete_entry(id, author).unwrap();
                }
                if vault.purge_entry(id, author).is_ok() {
                    self.oracle.purged.insert(id);
                }
            }
            Op::Merge { from, into } => {
                let other = self.replicas[from % n].clone();
                self.replicas[into % n].merge(&other).unwrap();
            }
            Op::Time { replica, delta_ms } => {
                let clock = &self.clocks[replica % n].0;
                clock.set(clock.get().saturating_add_signed(delta_ms));
            }
        }
    }
}

fn world(n: usize, skews: &[i64], ops: &[Op]) -> World {
    let mut world = World::new(n, skews);
    for op in ops {
        world.apply(op);
    }
    world
}

/// Through the file format and back, with a known key (no key derivation).
fn round_trip(vault: &Vault) -> Vault {
    let key = vault::crypto::SecretKey::random();
    let kdf = vault::KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    let password = secrecy::SecretString::from("x");
    let slot = vault::format::wrap_key_with(&password, kdf, &key, vec![7; 16], [0; 12]).unwrap();
    let bytes = vault::format::write(vault, &key, &slot);
    vault::format::parse(&bytes).unwrap().decrypt(&key).unwrap()
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 96, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn replicas_converge_and_nothing_written_is_lost(
        n in 3usize..=4,
        skews in proptest::collection::vec(-60_000i64..60_000, 4),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let world = world(n, &skews, &ops);
        // A full round: everything into one, then that back into every copy.
        let mut all = world.replicas[0].clone();
        for replica in &world.replicas[1..] {
            all.merge(replica).unwrap();
        }
        let mut converged = world.replicas.clone();
        for replica in &mut converged {
            replica.merge(&all).unwrap();
        }
        for replica in &converged {
            prop_assert_eq!(replica, &converged[0]);
        }
        // Every copy, with clocks of several laptops, tags turned off, removed fields, trash and
        // history, comes back from the file exactly as it went in.
        for replica in world.replicas.iter().chain([&converged[0]]) {
            prop_assert_eq!(&round_trip(replica), replica);
        }
        prop_assert_eq!(converged[0].entries.len(), world.ids.len());
        world.oracle.check(&converged[0])?;
        // The vault's clock stays ahead of everything in it: the next write wins over all of it.
        let latest = converged[0].entries.values().map(|e| e.modified()).max().unwrap();
        prop_assert!(converged[0].clock >= latest);
    }

    #[test]
    fn merge_is_commutative_associative_and_idempotent(
        skews in proptest::collection::vec(-60_000i64..60_000, 4),
        ops in proptest::collection::vec(op(), 1..50),
    ) {
        let world = world(3, &skews, &ops);
        let [a, b, c] = [&world.replicas[0], &world.replicas[1], &world.replicas[2]];
        let ab = merge(a, b).unwrap();
        prop_assert_eq!(&ab, &merge(b, a).unwrap(), "commutative");
        prop_assert_eq!(merge(&ab, c).unwrap(), merge(a, &merge(b, c).unwrap()).unwrap(), "associative");
        prop_assert_eq!(&merge(a, a).unwrap(), a, "idempotent");
        prop_assert_eq!(&merge(&ab, b).unwrap(), &ab, "merging again changes nothing");
    }
}

/// With more superseded values than the history keeps, the merge still does not depend on order
/// (the newest [`HISTORY_LIMIT`] are kept, whichever way they were put together).
#[test]
fn merge_laws_hold_at_the_history_cap() {
    let mut world = World::new(3, &[0, 5, -7]);
    let mut value = 0u8;
    for round in 0..70 {
        for replica in 0..3 {
            let field = [Field::Notes, Field::Password, Field::Title][(round + replica) % 3].clone();
            value = value.wrapping_add(1);
            world.apply(&Op::Edit { replica, entry: 0, field, value });
            world.apply(&Op::Time { replica, delta_ms: 1 + replica as i64 });
        }
        if round % 10 == 0 {
            world.apply(&Op::Merge { from: round % 3, into: (round + 1) % 3 });
        }
    }
    let [a, b, c] = [&world.replicas[0], &world.replicas[1], &world.replicas[2]];
    let ab = merge(a, b).unwrap();
    assert_eq!(ab, merge(b, a).unwrap());
    let abc = merge(&ab, c).unwrap();
    assert_eq!(abc, merge(a, &merge(b, c).unwrap()).unwrap());
    assert_eq!(abc, merge(&merge(a, c).unwrap(), b).unwrap());
    assert_eq!(abc.entry(world.ids[0]).unwrap().history.len(), HISTORY_LIMIT);
}

#[test]
fn different_vaults_are_refused() {
    let clock = TestClock(Cell::new(T0));
    let author = Author { device: DeviceId(1), clock: &clock };
    let mut ours = Vault::new("Sales", author, "LAPTOP-1");
    let theirs = Vault::new("Sales", author, "LAPTOP-1");
    let before = ours.clone();
    let err = ours.merge(&theirs).unwrap_err();
    assert!(err.to_string().contains("two different vaults"), "{err}");
    assert_eq!(ours, before);
}

#[test]
fn an_edit_after_a_deletion_elsewhere_brings_the_entry_back_and_the_report_names_the_laptop() {
    let mut world = World::new(2, &[0, 0]);
    let crm = world.ids[0];
    world.apply(&Op::Time { replica: 0, delta_ms: 1_000 });
    world.apply(&Op::Delete { replica: 0, entry: 0 });
    world.apply(&Op::Time { replica: 1, delta_ms: 2_000 });
    world.apply(&Op::Edit { replica: 1, entry: 0, field: Field::Notes, value: 1 });
    world.name(1, "LAPTOP-2");
    let mut first = world.replicas[0].clone();
    assert!(first.entry(crm).unwrap().is_deleted());
    let report = first.merge(&world.replicas[1]).unwrap();
    assert!(!first.entry(crm).unwrap().is_deleted(), "edited after the deletion: back");
    assert_eq!(report.restored.len(), 1, "{report:?}");
    assert_eq!(report.lines(), ["1 entry taken out of the trash from LAPTOP-2"]);

    // Deleted after the edit instead: it stays deleted.
    let mut world = World::new(2, &[0, 0]);
    world.apply(&Op::Time { replica: 1, delta_ms: 1_000 });
    world.apply(&Op::Edit { replica: 1, entry: 0, field: Field::Notes, value: 1 });
    world.apply(&Op::Time { replica: 0, delta_ms: 2_000 });
    world.apply(&Op::Delete { replica: 0, entry: 0 });
    let merged = merge(&world.replicas[0], &world.replicas[1]).unwrap();
    assert!(merged.entry(world.ids[0]).unwrap().is_deleted());
}

#[test]
fn the_losing_value_is_kept_in_history_and_the_report_holds_no_secret() {
    let mut world = World::new(2, &[0, 0]);
    let crm = world.ids[0];
    world.apply(&Op::Time { replica: 0, delta_ms: 10 });
    world.apply(&Op::Edit { replica: 0, entry: 0, field: Field::Password, value: 1 });
    world.apply(&Op::Time { replica: 1, delta_ms: 20 });
    world.apply(&Op::Edit { replica: 1, entry: 0, field: Field::Password, value: 2 });
    world.name(1, "LAPTOP-2");
    let mut first = world.replicas[0].clone();
    let report = first.merge(&world.replicas[1]).unwrap();
    let entry = first.entry(crm).unwrap();
    assert_eq!(entry.password.value.expose(), "pw-2");
    let old: Vec<&str> = entry.history.iter().filter(|h| h.field == "password").map(|h| h.value.expose()).collect();
    assert_eq!(old, ["first", "pw-1"]);
    assert_eq!(report.lines(), ["1 entry updated from LAPTOP-2"]);
    let shown = format!("{report:?} {report}");
    assert!(!shown.contains("pw-"), "{shown}");
}

#[test]
fn a_star_is_last_writer_wins_and_not_an_edit() {
    let mut world = World::new(2, &[0, 0]);
    let crm = world.ids[0];
    world.apply(&Op::Time { replica: 0, delta_ms: 1_000 });
    world.apply(&Op::Delete { replica: 0, entry: 0 });
    world.apply(&Op::Time { replica: 1, delta_ms: 2_000 });
    world.apply(&Op::Favourite { replica: 1, entry: 0, on: true });
    let merged = merge(&world.replicas[0], &world.replicas[1]).unwrap();
    let entry = merged.entry(crm).unwrap();
    assert!(entry.favourite.value, "the star made elsewhere arrives");
    assert!(entry.is_deleted(), "starring after the deletion does not take it out of the trash");
    // The first laptop, having seen the star, takes it off later.
    world.apply(&Op::Merge { from: 1, into: 0 });
    world.apply(&Op::Time { replica: 0, delta_ms: 5_000 });
    world.apply(&Op::Favourite { replica: 0, entry: 0, on: false });
    let merged = merge(&world.replicas[1], &world.replicas[0]).unwrap();
    assert!(!merged.entry(crm).unwrap().favourite.value, "the later un-star wins");
}

#[test]
fn deleted_for_ever_does_not_come_back_from_a_copy_edited_later() {
    let mut world = World::new(2, &[0, 0]);
    let crm = world.ids[0];
    world.apply(&Op::Time { replica: 0, delta_ms: 1_000 });
    world.apply(&Op::Purge { replica: 0, entry: 0 });
    // The other laptop, not knowing, edits the password and stars it much later.
    world.apply(&Op::Time { replica: 1, delta_ms: 60_000 });
    world.apply(&Op::Edit { replica: 1, entry: 0, field: Field::Password, value: 3 });
    world.apply(&Op::Favourite { replica: 1, entry: 0, on: true });
    for merged in
        [merge(&world.replicas[0], &world.replicas[1]).unwrap(), merge(&world.replicas[1], &world.replicas[0]).unwrap()]
    {
        assert!(merged.entry(crm).is_none());
        assert!(merged.trashed_entries().is_empty());
        let tombstone = &merged.entries[&crm];
        assert!(tombstone.is_purged() && tombstone.history.is_empty());
        let read = round_trip(&merged);
        let read = &read.entries[&crm];
        assert_eq!(read, tombstone, "the tombstone is what the file holds");
        assert!(read.password.value.is_empty() && read.title.value.is_empty() && read.fields.is_empty());
    }
}
