//! The entries in version 5's payload, written by column: one list per member, the n-th item of
//! every list belonging to the n-th entry (in id order). Titles next to titles and notes next to
//! notes compress far better than entry after entry (at 10,000 entries, ~20% smaller), and a
//! member no entry uses is one missing list instead of a key in every entry.
//!
//! Each stamped member is written as its bare value, its clock being the entry's `base` clock
//! unless the entry's `clocks` item names it. Tags and custom fields are stamped one by one, named
//! `tag:<name>` and `field:<name>` in `clocks`. `favourite` is the exception: its clock is never
//! the base, it is in `clocks` once it was written and reads as never written (the zero clock)
//! when it is not, so a copy from before favourites cannot out-date a star made elsewhere.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::{Clock, Devices, Table, each};
use crate::clock::Hlc;
use crate::generate::PasswordRules;
use crate::handover::HandedOver;
use crate::model::{CustomField, Entry, EntryId, ExpiryDate, HistoryItem, Stamped};
use crate::secret::SecretText;

pub(super) struct EntriesOut<'a> {
    pub entries: &'a BTreeMap<EntryId, Entry>,
    pub table: &'a Table,
}

fn is_empty<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A stamped member's name in `clocks`: one of the twelve, or `tag:<name>`, `field:<name>`.
/// Written without building the string, since the writer names members of every entry.
#[derive(Clone, Copy)]
enum Member<'a> {
    Plain(&'static str),
    Tag(&'a str),
    Field(&'a str),
}

impl Serialize for Member<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Member::Plain(name) => serializer.serialize_str(name),
            Member::Tag(name) => serializer.collect_str(&format_args!("tag:{name}")),
            Member::Field(name) => serializer.collect_str(&format_args!("field:{name}")),
        }
    }
}

/// Every stamped member's clock, with the name `clocks` gives it.
fn member_clocks(e: &Entry) -> impl Iterator<Item = (Member<'_>, Hlc)> {
    let members = [
        ("title", e.title.clock),
        ("username", e.username.clock),
        ("password", e.password.clock),
        ("urls", e.urls.clock),
        ("notes", e.notes.clock),
        ("totp", e.totp.clock),
        ("rules", e.rules.clock),
        ("expires", e.expires.clock),
        ("also_fill_on", e.also_fill_on.clock),
        ("autotype_sequence", e.autotype_sequence.clock),
        ("autotype_windows", e.autotype_windows.clock),
        ("deleted", e.deleted.clock),
    ];
    let tags = e.tags.iter().map(|(name, on)| (Member::Tag(name), on.clock));
    let fields = e.fields.iter().map(|(name, f)| (Member::Field(name), f.clock));
    members.into_iter().map(|(name, clock)| (Member::Plain(name), clock)).chain(tags).chain(fields)
}

/// An entry's `clocks` item: the members whose clock is not its base clock, and `favourite`
/// once it was written.
struct ClocksOut<'a> {
    entry: &'a Entry,
    base: Hlc,
    table: &'a Table,
}

impl ClocksOut<'_> {
    fn others(&self) -> impl Iterator<Item = (Member<'_>, Hlc)> {
        let favourite = self.entry.favourite.clock;
        let favourite = (favourite != Hlc::default()).then_some((Member::Plain("favourite"), favourite));
        member_clocks(self.entry).filter(|(_, clock)| *clock != self.base).chain(favourite)
    }
}

impl Serialize for ClocksOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.others().map(|(name, clock)| (name, self.table.clock(clock))))
    }
}

/// The clock an entry's members carry unless `clocks` says otherwise: the one most of them
/// carry (the earliest of equals), since members are mostly written together (made, imported,
/// or edited as a whole) and a later change to one field then stands out alone.
fn base(e: &Entry) -> Hlc {
    let mut clocks: Vec<Hlc> = member_clocks(e).map(|(_, clock)| clock).collect();
    clocks.sort_unstable();
    let mut best = (0, e.created);
    let mut run = 0;
    for (i, clock) in clocks.iter().enumerate() {
        run = if i > 0 && clocks[i - 1] == *clock { run + 1 } else { 1 };
        if run > best.0 {
            best = (run, *clock);
        }
    }
    best.1
}

impl Serialize for EntriesOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Walked once per column: a list is quicker to walk than the map, and at 100,000 entries
        // the map's nodes are scattered far beyond the caches.
        let entries: Vec<&Entry> = self.entries.values().collect();
        let table = self.table;
        let mut map = serializer.serialize_map(None)?;
        // A column of bare values, left out when every entry's is empty.
        macro_rules! column {
            ($name:literal, |$e:ident| $value:expr) => {
                if entries.iter().copied().any(|$e| !is_empty($value)) {
                    map.serialize_entry($name, &each(entries.iter().copied().map(|$e| $value)))?;
                }
            };
        }
        let bases: Vec<Hlc> = entries.iter().copied().map(base).collect();
        map.serialize_entry("id", &each(entries.iter().map(|e| &e.id)))?;
        map.serialize_entry("created", &each(entries.iter().copied().map(|e| table.clock(e.created))))?;
        if entries.iter().copied().zip(&bases).any(|(e, base)| *base != e.created) {
            let written =
                entries.iter().copied().zip(&bases).map(|(e, base)| (*base != e.created).then(|| table.clock(*base)));
            map.serialize_entry("base", &each(written))?;
        }
        column!("title", |e| &e.title.value);
        column!("username", |e| &e.username.value);
        column!("password", |e| &e.password.value);
        column!("urls", |e| &e.urls.value);
        column!("notes", |e| &e.notes.value);
        column!("totp", |e| &e.totp.value);
        column!("rules", |e| &e.rules.value);
        column!("expires", |e| &e.expires.value);
        column!("also_fill_on", |e| &e.also_fill_on.value);
        column!("autotype_sequence", |e| &e.autotype_sequence.value);
        column!("autotype_windows", |e| &e.autotype_windows.value);
        column!("favourite", |e| &e.favourite.value);
        column!("deleted", |e| &e.deleted.value);
        if entries.iter().any(|e| e.purged.is_some()) {
            map.serialize_entry("purged", &each(entries.iter().map(|e| e.purged.map(|c| table.clock(c)))))?;
        }
        if entries.iter().copied().any(|e| !e.tags.is_empty()) {
            map.serialize_entry("tags", &each(entries.iter().copied().map(|e| Named(&e.tags, value_of))))?;
        }
        if entries.iter().copied().any(|e| !e.fields.is_empty()) {
            map.serialize_entry("fields", &each(entries.iter().copied().map(|e| Named(&e.fields, value_of))))?;
        }
        if entries.iter().copied().any(|e| !e.history.is_empty()) {
            let history = entries
                .iter()
                .copied()
                .map(|e| each(e.history.iter().map(|h| (&h.field, &h.value, table.clock(h.clock)))));
            map.serialize_entry("history", &each(history))?;
        }
        column!("handed_over", |e| &e.handed_over);
        let clocks = || entries.iter().zip(&bases).map(|(e, base)| ClocksOut { entry: e, base: *base, table });
        if clocks().any(|c| c.others().next().is_some()) {
            map.serialize_entry("clocks", &each(clocks()))?;
        }
        map.end()
    }
}

/// A map of stamped values written as a map of bare values.
struct Named<'a, V, F>(&'a BTreeMap<String, V>, F);

fn value_of<T>(stamped: &Stamped<T>) -> &T {
    &stamped.value
}

impl<V, F: Fn(&V) -> &R, R: Serialize> Serialize for Named<'_, V, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, v)| (name, (self.1)(v))))
    }
}

/// The columns as read. A missing column is every entry's empty value; a present one has one
/// item per entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EntriesIn {
    id: Vec<EntryId>,
    created: Vec<Clock>,
    #[serde(default)]
    base: Vec<Option<Clock>>,
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    username: Vec<String>,
    #[serde(default)]
    password: Vec<SecretText>,
    #[serde(default)]
    urls: Vec<Vec<String>>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    totp: Vec<SecretText>,
    #[serde(default)]
    rules: Vec<Option<PasswordRules>>,
    #[serde(default)]
    expires: Vec<Option<ExpiryDate>>,
    #[serde(default)]
    also_fill_on: Vec<Vec<String>>,
    #[serde(default)]
    autotype_sequence: Vec<Option<String>>,
    #[serde(default)]
    autotype_windows: Vec<Vec<String>>,
    #[serde(default)]
    favourite: Vec<bool>,
    #[serde(default)]
    deleted: Vec<bool>,
    #[serde(default)]
    purged: Vec<Option<Clock>>,
    #[serde(default)]
    tags: Vec<BTreeMap<String, bool>>,
    #[serde(default)]
    fields: Vec<BTreeMap<String, Option<CustomField>>>,
    #[serde(default)]
    history: Vec<Vec<(String, SecretText, Clock)>>,
    #[serde(default)]
    handed_over: Vec<Option<HandedOver>>,
    #[serde(default)]
    clocks: Vec<BTreeMap<String, Clock>>,
}

/// One item per entry: the column as read, or every entry's empty value if it was left out.
/// `None` if its length is not the number of entries.
fn column<T: Default>(items: Vec<T>, n: usize) -> Option<std::vec::IntoIter<T>> {
    match items.len() {
        0 => Some((0..n).map(|_| T::default()).collect::<Vec<_>>().into_iter()),
        len if len == n => Some(items.into_iter()),
        _ => None,
    }
}

impl EntriesIn {
    /// The model's entries, or `None` if a column is the wrong length, an id comes twice, or a
    /// clock names a device not in the table or a member its entry does not have.
    pub(super) fn into_entries(self, d: &Devices) -> Option<BTreeMap<EntryId, Entry>> {
        let n = self.id.len();
        // `created` is required: no clock can stand in for when an entry was made.
        if self.created.len() != n {
            return None;
        }
        let mut created = self.created.into_iter();
        let mut base = column(self.base, n)?;
        let mut title = column(self.title, n)?;
        let mut username = column(self.username, n)?;
        let mut password = column(self.password, n)?;
        let mut urls = column(self.urls, n)?;
        let mut notes = column(self.notes, n)?;
        let mut totp = column(self.totp, n)?;
        let mut rules = column(self.rules, n)?;
        let mut expires = column(self.expires, n)?;
        let mut also_fill_on = column(self.also_fill_on, n)?;
        let mut autotype_sequence = column(self.autotype_sequence, n)?;
        let mut autotype_windows = column(self.autotype_windows, n)?;
        let mut favourite = column(self.favourite, n)?;
        let mut deleted = column(self.deleted, n)?;
        let mut purged = column(self.purged, n)?;
        let mut tags = column(self.tags, n)?;
        let mut fields = column(self.fields, n)?;
        let mut history = column(self.history, n)?;
        let mut handed_over = column(self.handed_over, n)?;
        let mut clocks = column(self.clocks, n)?;
        let mut out = BTreeMap::new();
        for id in self.id {
            let next = "every column has one item per entry";
            let created = d.hlc(created.next().expect(next))?;
            let base = match base.next().expect(next) {
                Some(clock) => d.hlc(clock)?,
                None => created,
            };
            let mut own = clocks.next().expect(next);
            let favourite_clock = match own.remove("favourite") {
                Some(clock) => d.hlc(clock)?,
                None => Hlc::default(),
            };
            let mut clock_of = |name: &str| match own.remove(name) {
                Some(clock) => d.hlc(clock),
                None => Some(base),
            };
            macro_rules! stamp {
                ($name:literal, $column:ident) => {
                    Stamped::new($column.next().expect(next), clock_of($name)?)
                };
            }
            let mut entry_tags = BTreeMap::new();
            for (name, on) in tags.next().expect(next) {
                let clock = clock_of(&format!("tag:{name}"))?;
                entry_tags.insert(name, Stamped::new(on, clock));
            }
            let mut entry_fields = BTreeMap::new();
            for (name, field) in fields.next().expect(next) {
                let clock = clock_of(&format!("field:{name}"))?;
                entry_fields.insert(name, Stamped::new(field, clock));
            }
            let entry = Entry {
                id,
                created,
                title: stamp!("title", title),
                username: stamp!("username", username),
                password: stamp!("password", password),
                urls: stamp!("urls", urls),
                notes: stamp!("notes", notes),
                totp: stamp!("totp", totp),
                rules: stamp!("rules", rules),
                expires: stamp!("expires", expires),
                also_fill_on: stamp!("also_fill_on", also_fill_on),
                autotype_sequence: stamp!("autotype_sequence", autotype_sequence),
                autotype_windows: stamp!("autotype_windows", autotype_windows),
                favourite: Stamped::new(favourite.next().expect(next), favourite_clock),
                deleted: stamp!("deleted", deleted),
                purged: match purged.next().expect(next) {
                    Some(clock) => Some(d.hlc(clock)?),
                    None => None,
                },
                tags: entry_tags,
                fields: entry_fields,
                history: history
                    .next()
                    .expect(next)
                    .into_iter()
                    .map(|(field, value, clock)| Some(HistoryItem { field, value, clock: d.hlc(clock)? }))
                    .collect::<Option<_>>()?,
                handed_over: handed_over.next().expect(next),
            };
            // A clock for a member the entry does not have: not what a writer makes.
            if !own.is_empty() || out.insert(id, entry).is_some() {
                return None;
            }
        }
        Some(out)
    }
}
