//! Hybrid logical clocks: every field of the vault carries one, so that two copies of a vault
//! edited on different laptops can later be merged field by field, newest write winning.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where wall-clock time comes from. Tests pass a fixed clock.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }
}

/// RFC 3339 in UTC, to the second ("2026-11-22T10:10:10Z"): what scripts parse most easily.
pub fn rfc3339(ms: u64) -> String {
    let time = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A random identity per laptop (per installation), written into every clock it produces.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DeviceId(pub u64);

impl DeviceId {
    pub fn random() -> Self {
        Self(crate::crypto::random_u64())
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({self})")
    }
}

/// A string that is not 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a device id is 16 hex digits")]
pub struct BadDeviceId;

impl std::str::FromStr for DeviceId {
    type Err = BadDeviceId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // from_str_radix alone would accept short strings and a leading sign.
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BadDeviceId);
        }
        u64::from_str_radix(s, 16).map(DeviceId).map_err(|_| BadDeviceId)
    }
}

impl Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeviceId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A hybrid logical clock reading: wall time, a counter for events within one millisecond (or
/// when the wall clock went backwards), and the device that made it. Ordered in that order, so
/// two readings from different devices are never equal.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(from = "(u64, u32, DeviceId)", into = "(u64, u32, DeviceId)")]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub device: DeviceId,
}

impl Hlc {
    /// The next reading after `last` on `device`: never earlier than `last`, even when the
    /// laptop's clock was set back, and never a panic, whatever clock a synced file brought.
    pub fn tick(last: Hlc, now_ms: u64, device: DeviceId) -> Hlc {
        if now_ms > last.wall_ms {
            return Hlc { wall_ms: now_ms, counter: 0, device };
        }
        if let Some(counter) = last.counter.checked_add(1) {
            return Hlc { wall_ms: last.wall_ms, counter, device };
        }
        // The counter is used up within this millisecond: the reading moves to the next one, as
        // the wall clock itself would. A saturated counter would repeat readings, so a write
        // could tie with or lose to the one before it.
        if let Some(wall_ms) = last.wall_ms.checked_add(1) {
            return Hlc { wall_ms, counter: 0, device };
        }
        // The last representable reading (only a forged file gets here): nothing is later, so
        // the clock stays where it is rather than going back.
        last.max(Hlc { wall_ms: u64::MAX, counter: u32::MAX, device })
    }
}

impl From<(u64, u32, DeviceId)> for Hlc {
    fn from((wall_ms, counter, device): (u64, u32, DeviceId)) -> Self {
        Hlc { wall_ms, counter, device }
    }
}

impl From<Hlc> for (u64, u32, DeviceId) {
    fn from(hlc: Hlc) -> Self {
        (hlc.wall_ms, hlc.counter, hlc.device)
    }
}

impl fmt::Debug for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hlc({}.{}@{})", self.wall_ms, self.counter, self.device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_moves_forward_even_when_the_wall_clock_goes_back() {
        let a = DeviceId(1);
        let first = Hlc::tick(Hlc::default(), 1_000, a);
        assert_eq!(first, Hlc { wall_ms: 1_000, counter: 0, device: a });
        let same_ms = Hlc::tick(first, 1_000, a);
        assert!(same_ms > first);
        let clock_set_back = Hlc::tick(same_ms, 10, a);
        assert!(clock_set_back > same_ms);
        assert_eq!(clock_set_back.wall_ms, 1_000);
    }

    #[test]
    fn a_used_up_counter_moves_the_wall_time_forward() {
        let (a, b) = (DeviceId(1), DeviceId(2));
        let full = Hlc { wall_ms: 1_000, counter: u32::MAX, device: b };
        let next = Hlc::tick(full, 5, a);
        assert_eq!(next, Hlc { wall_ms: 1_001, counter: 0, device: a });
        assert!(next > full);
    }

    #[test]
    fn the_last_reading_there_is_ticks_without_panic_and_never_goes_back() {
        let top = |device| Hlc { wall_ms: u64::MAX, counter: u32::MAX, device };
        for (last, device) in [(top(DeviceId(9)), DeviceId(1)), (top(DeviceId(1)), DeviceId(9))] {
            for now in [0, 1_795_000_000_000, u64::MAX] {
                assert!(Hlc::tick(last, now, device) >= last);
            }
        }
        let near = Hlc { wall_ms: u64::MAX, counter: u32::MAX - 1, device: DeviceId(5) };
        assert!(Hlc::tick(near, u64::MAX, DeviceId(1)) > near);
        let mut clock = Hlc { wall_ms: u64::MAX - 1, counter: u32::MAX - 2, device: DeviceId(3) };
        for _ in 0..10 {
            let next = Hlc::tick(clock, 0, DeviceId(3));
            assert!(next >= clock);
            clock = next;
        }
    }

    #[test]
    fn device_id_round_trips_and_rejects_garbage() {
        let id = DeviceId(0x00ab_cdef_0123_4567);
        assert_eq!(id.to_string().parse::<DeviceId>().unwrap(), id);
        assert!("abc".parse::<DeviceId>().is_err());
        assert!("+000000000000001".parse::<DeviceId>().is_err());
        assert!("000000000000000g".parse::<DeviceId>().is_err());
    }
}
