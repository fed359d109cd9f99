//! Version 5's payload: the vault as compact JSON, compressed with zstd before it is encrypted.
//! docs/FORMAT.md ("Payload") is the specification.
//!
//! What makes it compact, against version 4's JSON (which `serde_json` writes straight from the
//! model): a clock names its device by an index into one table of the vault's devices instead of
//! 16 hex digits; an entry's members carry no clock of their own when they were written with the
//! entry's base clock (most are: an entry is usually made, or imported, in one write); members
//! holding nothing are left out; and zstd takes the rest of the repetition (keys, hosts, notes).
//! At 10,000 entries that is ~40 times smaller than version 4 (docs/PERFORMANCE.md).
//!
//! Writing borrows from the vault (nothing is copied but the clocks); reading builds the model
//! directly. Every rule a reader must check is in `decode`'s conversions: an index out of the
//! table, a clock for a member the entry does not have, an entry or hand-over twice.

mod entry;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use super::ReadError;
use crate::activity::{Event, EventId, EventKind, Log};
use crate::clock::{DeviceId, Hlc};
use crate::handover::{Given, HandoverId, HandoverLedger};
use crate::model::{Device, EntryId, Settings, Stamped, Vault, VaultId};

/// The zstd level writers use. Written by column, the JSON compresses nearly as well at level 1
/// as at 3 (at 10,000 entries ~1% larger) in about half the time, and a save waits for it;
/// higher levels cost a save several times more for ~10%.
const LEVEL: i32 = 1;
/// The largest payload a reader decompresses. A file can only claim more if it was written with
/// the vault key (the payload is authenticated before it is decompressed), so this bounds
/// mistakes, not attacks: twice the largest file the store reads.
pub const MAX_PLAINTEXT_BYTES: u64 = 2 * crate::store::MAX_FILE_BYTES;

/// The payload of a version 5 file: compact JSON, compressed. Wiped when dropped, as the JSON is.
pub(super) fn encode(vault: &Vault) -> Zeroizing<Vec<u8>> {
    let table = Table::default();
    let json =
        Zeroizing::new(serde_json::to_vec(&VaultOut { vault, table: &table }).expect("a vault always serialises"));
    Zeroizing::new(zstd::bulk::compress(&json, LEVEL).expect("compressing into memory does not fail"))
}

/// The vault in a version 5 payload.
pub(super) fn decode(plaintext: &[u8]) -> Result<Vault, ReadError> {
    let json = decompress(plaintext)?;
    let wire: VaultIn = serde_json::from_slice(&json).map_err(|_| invalid())?;
    wire.into_vault().ok_or_else(invalid)
}

fn invalid() -> ReadError {
    ReadError::Damaged("the decrypted contents are not a valid vault")
}

/// Decompresses one zstd frame that states its size, refusing anything larger than
/// [`MAX_PLAINTEXT_BYTES`] before allocating for it.
fn decompress(frame: &[u8]) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let not_zstd = ReadError::Damaged("the decrypted contents are not a compressed vault");
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) => size,
        _ => return Err(not_zstd),
    };
    if size > MAX_PLAINTEXT_BYTES {
        return Err(ReadError::Damaged("the decrypted contents claim to be larger than any vault"));
    }
    // One frame and nothing after it: trailing bytes would be a second frame the writer never wrote.
    match zstd::zstd_safe::find_frame_compressed_size(frame) {
        Ok(len) if len == frame.len() => {}
        _ => return Err(not_zstd),
    }
    let json = zstd::bulk::decompress(frame, size as usize).map_err(|_| not_zstd)?;
    if json.len() as u64 != size {
        return Err(ReadError::Damaged("the decrypted contents are cut short"));
    }
    Ok(Zeroizing::new(json))
}

/// A clock as written: wall time, the device's index in `clock_devices`, and the counter
/// (written only when it is not 0): `[1795000000000, 0]`, `[1795000000000, 1, 3]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    wall_ms: u64,
    device: u32,
    counter: u32,
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = if self.counter == 0 { 2 } else { 3 };
        let mut tuple = serializer.serialize_tuple(len)?;
        tuple.serialize_element(&self.wall_ms)?;
        tuple.serialize_element(&self.device)?;
        if self.counter != 0 {
            tuple.serialize_element(&self.counter)?;
        }
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClockVisitor;
        impl<'de> Visitor<'de> for ClockVisitor {
            type Value = Clock;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("[wall ms, device index] or [wall ms, device index, counter]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Clock, A::Error> {
                let wall_ms = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let device = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let counter = seq.next_element()?.unwrap_or(0);
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(4, &self));
                }
                Ok(Clock { wall_ms, device, counter })
            }
        }
        deserializer.deserialize_seq(ClockVisitor)
    }
}

/// The devices clocks name, in the order a writer first met them. Interior mutability because
/// serde serialises through `&self`; the table is written last, once every clock has been met.
#[derive(Default)]
struct Table {
    devices: RefCell<Vec<DeviceId>>,
}

impl Table {
    fn clock(&self, hlc: Hlc) -> Clock {
        Clock { wall_ms: hlc.wall_ms, device: self.index(hlc.device), counter: hlc.counter }
    }

    /// The device's index, added to the table when first met.
    fn index(&self, device: DeviceId) -> u32 {
        let mut devices = self.devices.borrow_mut();
        // A vault's clocks come from a handful of laptops: a scan beats a map.
        let index = devices.iter().position(|d| *d == device).unwrap_or_else(|| {
            devices.push(device);
            devices.len() - 1
        });
        index as u32
    }
}

/// The table as read, turning indexes back into devices.
struct Devices(Vec<DeviceId>);

impl Devices {
    fn hlc(&self, clock: Clock) -> Option<Hlc> {
        let device = *self.0.get(clock.device as usize)?;
        Some(Hlc { wall_ms: clock.wall_ms, counter: clock.counter, device })
    }

    fn stamped<T>(&self, wire: StampedIn<T>) -> Option<Stamped<T>> {
        Some(Stamped::new(wire.v, self.hlc(wire.c)?))
    }
}

/// A stamped value outside entries (the vault's name, its settings): `{"v": value, "c": clock}`.
struct StampedOut<'a, T> {
    stamped: &'a Stamped<T>,
    table: &'a Table,
}

impl<T: Serialize> Serialize for StampedOut<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("v", &self.stamped.value)?;
        map.serialize_entry("c", &self.table.clock(self.stamped.clock))?;
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StampedIn<T> {
    v: T,
    c: Clock,
}

struct VaultOut<'a> {
    vault: &'a Vault,
    table: &'a Table,
}

impl Serialize for VaultOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (v, table) = (self.vault, self.table);
        let stamped = |stamped| StampedOut { stamped, table };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &v.id)?;
        map.serialize_entry("name", &stamped(&v.name))?;
        map.serialize_entry("devices", &v.devices)?;
        map.serialize_entry("clock", &table.clock(v.clock))?;
        map.serialize_entry("password_changed", &table.clock(v.password_changed))?;
        map.serialize_entry("settings", &SettingsOut { settings: &v.settings, table })?;
        map.serialize_entry("entries", &entry::EntriesOut { entries: &v.entries, table })?;
        if !v.activity.is_empty() {
            map.serialize_entry("activity", &each(v.activity.iter().map(|event| EventOut { event, table })))?;
        }
        if !v.handovers.given.is_empty() {
            map.serialize_entry(
                "handovers_given",
                &each(v.handovers.given.values().map(|g| GivenOut { given: g, table })),
            )?;
        }
        if !v.handovers.gone.is_empty() {
            map.serialize_entry("handovers_gone", &v.handovers.gone)?;
        }
        // Last: only now has every clock been met.
        map.serialize_entry("clock_devices", &*table.devices.borrow())?;
        map.end()
    }
}

/// Serialises an iterator as a list without collecting it (serde takes `&self`, hence the cell).
struct Each<I>(RefCell<Option<I>>);

fn each<I>(items: I) -> Each<I> {
    Each(RefCell::new(Some(items)))
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Each<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().expect("a list is serialised once");
        let mut seq = serializer.serialize_seq(None)?;
        for item in items {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

struct SettingsOut<'a> {
    settings: &'a Settings,
    table: &'a Table,
}

impl Serialize for SettingsOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (s, table) = (self.settings, self.table);
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("rotation_days", &StampedOut { stamped: &s.rotation_days, table })?;
        map.serialize_entry("clipboard_clear_seconds", &StampedOut { stamped: &s.clipboard_clear_seconds, table })?;
        map.serialize_entry("auto_lock_minutes", &StampedOut { stamped: &s.auto_lock_minutes, table })?;
        map.serialize_entry("owner_name", &StampedOut { stamped: &s.owner_name, table })?;
        map.serialize_entry("company", &StampedOut { stamped: &s.company, table })?;
        map.serialize_entry("activity_keep_days", &StampedOut { stamped: &s.activity_keep_days, table })?;
        map.serialize_entry("activity_keep_events", &StampedOut { stamped: &s.activity_keep_events, table })?;
        map.serialize_entry("expiry_warning_days", &StampedOut { stamped: &s.expiry_warning_days, table })?;
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsIn {
    rotation_days: StampedIn<Option<u32>>,
    clipboard_clear_seconds: StampedIn<u32>,
    auto_lock_minutes: StampedIn<u32>,
    owner_name: StampedIn<String>,
    company: StampedIn<String>,
    activity_keep_days: StampedIn<Option<u32>>,
    activity_keep_events: StampedIn<Option<u32>>,
    expiry_warning_days: StampedIn<u32>,
}

impl SettingsIn {
    fn into_settings(self, d: &Devices) -> Option<Settings> {
        Some(Settings {
            rotation_days: d.stamped(self.rotation_days)?,
            clipboard_clear_seconds: d.stamped(self.clipboard_clear_seconds)?,
            auto_lock_minutes: d.stamped(self.auto_lock_minutes)?,
            owner_name: d.stamped(self.owner_name)?,
            company: d.stamped(self.company)?,
            activity_keep_days: d.stamped(self.activity_keep_days)?,
            activity_keep_events: d.stamped(self.activity_keep_events)?,
            expiry_warning_days: d.stamped(self.expiry_warning_days)?,
        })
    }
}

/// An event: `[at_ms, id, device index, kind, entry id or null, title, detail]`.
struct EventOut<'a> {
    event: &'a Event,
    table: &'a Table,
}

impl Serialize for EventOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.event;
        (e.at_ms, e.id, self.table.index(e.device), e.kind, e.entry, &e.title, &e.detail).serialize(serializer)
    }
}

type EventIn = (u64, EventId, u32, EventKind, Option<EntryId>, String, String);

/// A hand-over this vault made, as version 4 writes it but with its clock in the table.
struct GivenOut<'a> {
    given: &'a Given,
    table: &'a Table,
}

impl Serialize for GivenOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let g = self.given;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("id", &g.id)?;
        map.serialize_entry("to", &g.to)?;
        map.serialize_entry("entries", &g.entries)?;
        map.serialize_entry("made", &self.table.clock(g.made))?;
        map.serialize_entry("expires_ms", &g.expires_ms)?;
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenIn {
    id: HandoverId,
    to: String,
    entries: Vec<EntryId>,
    made: Clock,
    expires_ms: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VaultIn {
    id: VaultId,
    name: StampedIn<String>,
    devices: BTreeMap<DeviceId, Device>,
    clock: Clock,
    password_changed: Clock,
    settings: SettingsIn,
    entries: entry::EntriesIn,
    #[serde(default)]
    activity: Vec<EventIn>,
    #[serde(default)]
    handovers_given: Vec<GivenIn>,
    #[serde(default)]
    handovers_gone: BTreeSet<HandoverId>,
    clock_devices: Vec<DeviceId>,
}

impl VaultIn {
    /// The model, or `None` if anything refers to what is not there or comes twice.
    fn into_vault(self) -> Option<Vault> {
        let d = Devices(self.clock_devices);
        let entries = self.entries.into_entries(&d)?;
        let mut activity = Log::default();
        for (at_ms, id, device, kind, entry, title, detail) in self.activity {
            let device = *d.0.get(device as usize)?;
            activity.add(Event { at_ms, id, device, kind, entry, title, detail });
        }
        let mut given = BTreeMap::new();
        for g in self.handovers_given {
            let made = d.hlc(g.made)?;
            let given_one = Given { id: g.id, to: g.to, entries: g.entries, made, expires_ms: g.expires_ms };
            if given.insert(g.id, given_one).is_some() {
                return None;
            }
        }
        Some(Vault {
            id: self.id,
            name: d.stamped(self.name)?,
            devices: self.devices,
            settings: self.settings.into_settings(&d)?,
            entries,
            clock: d.hlc(self.clock)?,
            password_changed: d.hlc(self.password_changed)?,
            activity,
            handovers: HandoverLedger { given, gone: self.handovers_gone },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zstd frame header claiming `size` bytes of content, then one empty last block.
    fn frame_claiming(size: u64) -> Vec<u8> {
        let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
        frame.extend_from_slice(&size.to_le_bytes());
        frame.extend_from_slice(&[0x01, 0x00, 0x00]);
        frame
    }

    #[test]
    fn a_frame_claiming_more_than_any_vault_is_refused_before_allocating() {
        let err = decode(&frame_claiming(1 << 40)).unwrap_err();
        assert!(err.to_string().contains("larger than any vault"), "{err}");
    }

    #[test]
    fn a_frame_that_is_not_what_it_claims_or_has_bytes_after_it_is_damage() {
        // Claims 100 bytes, holds none.
        assert!(matches!(decode(&frame_claiming(100)), Err(ReadError::Damaged(_))));
        let good = zstd::bulk::compress(b"{}", LEVEL).unwrap();
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(matches!(decode(&trailing), Err(ReadError::Damaged(_))));
        // Valid compression of something that is not a vault.
        assert!(matches!(decode(&good), Err(ReadError::Damaged("the decrypted contents are not a valid vault"))));
        // A frame written without its size (streaming): not what a writer makes.
        let mut sizeless = Vec::new();
        let mut encoder = zstd::stream::write::Encoder::new(&mut sizeless, LEVEL).unwrap();
        encoder.include_contentsize(false).unwrap();
        std::io::Write::write_all(&mut encoder, b"{}").unwrap();
        encoder.finish().unwrap();
        assert!(matches!(decode(&sizeless), Err(ReadError::Damaged(_))));
    }

    #[test]
    fn clocks_name_devices_by_index_and_leave_out_a_zero_counter() {
        let table = Table::default();
        let (a, b) = (DeviceId(0xa), DeviceId(0xb));
        let first = table.clock(Hlc { wall_ms: 5, counter: 0, device: b });
        let second = table.clock(Hlc { wall_ms: 6, counter: 2, device: a });
        assert_eq!(table.clock(Hlc { wall_ms: 7, counter: 0, device: b }).device, 0);
        assert_eq!(serde_json::to_string(&first).unwrap(), "[5,0]");
        assert_eq!(serde_json::to_string(&second).unwrap(), "[6,1,2]");
        assert_eq!(*table.devices.borrow(), vec![b, a]);
        for text in ["[5]", "[5,0,1,2]", "{}", "[-1,0]"] {
            assert!(serde_json::from_str::<Clock>(text).is_err(), "{text}");
        }
        assert_eq!(serde_json::from_str::<Clock>("[6,1,2]").unwrap(), second);
        let devices = Devices(vec![b]);
        assert_eq!(devices.hlc(first), Some(Hlc { wall_ms: 5, counter: 0, device: b }));
        assert_eq!(devices.hlc(second), None, "index 1 is not in a one-device table");
    }
}
