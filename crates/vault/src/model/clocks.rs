//! Clocks from elsewhere are checked before they are merged: a copy whose clocks run far ahead
//! of this computer's would win every field for as long as its clocks stay ahead, and every
//! later write on every laptop would carry its wall time (a clock at `u64::MAX` pins values for
//! ever). Such a copy is left alone and reported; merged on purpose, its clocks are pulled back.

use std::fmt;

use super::Vault;
use crate::clock::{DeviceId, Hlc};

/// How far ahead of this computer's clock a copy's clocks may run before it is not merged:
/// generous for laptops whose clocks drift or sit in other time zones with a wrong setting.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 3_600_000;

/// A copy's clocks run further ahead of this computer's than [`MAX_CLOCK_AHEAD_MS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockAhead {
    /// The device whose write is furthest ahead.
    pub device: DeviceId,
    /// Its name, if the copy names it.
    pub device_name: Option<String>,
    pub ahead_ms: u64,
}

impl fmt::Display for ClockAhead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = self.device_name.clone().unwrap_or_else(|| format!("device {}", self.device));
        write!(f, "a write by {who} is dated {} ahead of this computer's clock", human_span(self.ahead_ms))
    }
}

/// "3 days", "26 hours", "290 years": enough to tell a wrong time zone from a forgery.
pub fn human_span(ms: u64) -> String {
    let hours = ms / 3_600_000;
    let days = hours / 24;
    match (days, hours) {
        (d, _) if d >= 3 * 365 => format!("{} years", d / 365),
        (d, _) if d >= 3 => format!("{d} days"),
        (_, h) => format!("{h} hours"),
    }
}

/// Calls `$visit` on every clock of the vault, through `$iter` (`iter` or `iter_mut`) and
/// `$ref` (`&` or `&mut`): one list of the vault's clocks for reading and for repairing.
macro_rules! each_clock {
    ($vault:expr, $visit:expr, $iter:ident, $values:ident, $($ref:tt)+) => {{
        let vault = $vault;
        #[allow(unused_mut)]
        let mut visit = $visit;
        visit($($ref)+ vault.clock);
        visit($($ref)+ vault.password_changed);
        visit($($ref)+ vault.name.clock);
        let s = $($ref)+ vault.settings;
        for clock in [
            $($ref)+ s.rotation_days.clock,
            $($ref)+ s.clipboard_clear_seconds.clock,
            $($ref)+ s.auto_lock_minutes.clock,
            $($ref)+ s.owner_name.clock,
            $($ref)+ s.company.clock,
            $($ref)+ s.expiry_warning_days.clock,
        ] {
            visit(clock);
        }
        for entry in vault.entries.$values() {
            for clock in [
                $($ref)+ entry.created,
                $($ref)+ entry.title.clock,
                $($ref)+ entry.username.clock,
                $($ref)+ entry.password.clock,
                $($ref)+ entry.urls.clock,
                $($ref)+ entry.notes.clock,
                $($ref)+ entry.totp.clock,
                $($ref)+ entry.rules.clock,
                $($ref)+ entry.expires.clock,
                $($ref)+ entry.also_fill_on.clock,
                $($ref)+ entry.autotype_sequence.clock,
                $($ref)+ entry.autotype_windows.clock,
                $($ref)+ entry.favourite.clock,
                $($ref)+ entry.deleted.clock,
            ] {
                visit(clock);
            }
            if let Some(clock) = $($ref)+ entry.purged {
                visit(clock);
            }
            entry.tags.$values().for_each(|tag| visit($($ref)+ tag.clock));
            entry.fields.$values().for_each(|field| visit($($ref)+ field.clock));
            entry.history.$iter().for_each(|item| visit($($ref)+ item.clock));
        }
    }};
}

impl Vault {
    /// The write dated furthest ahead of `now_ms`, if it is more than [`MAX_CLOCK_AHEAD_MS`]
    /// ahead. Every clock counts, not only the vault's own: a forged copy need not keep its
    /// summary honest. Device write times count too, since they are shown to the user.
    pub fn clock_ahead(&self, now_ms: u64) -> Option<ClockAhead> {
        let mut latest = Hlc::default();
        each_clock!(self, |clock: &Hlc| latest = latest.max(*clock), iter, values, &);
        let device_time = self.devices.iter().max_by_key(|(_, device)| device.last_write_ms);
        let (device, wall_ms) = match device_time {
            Some((id, device)) if device.last_write_ms > latest.wall_ms => (*id, device.last_write_ms),
            _ => (latest.device, latest.wall_ms),
        };
        let ahead_ms = wall_ms.saturating_sub(now_ms);
        (ahead_ms > MAX_CLOCK_AHEAD_MS).then(|| ClockAhead {
            device,
            device_name: self.devices.get(&device).map(|d| d.name.clone()),
            ahead_ms,
        })
    }

    /// Dates every write later than `now_ms` at `now_ms` instead (keeping its counter and device),
    /// for a copy the user chose to merge although its clocks ran ahead: its values still win
    /// over older ones, but no longer pin the vault's clocks in the future.
    pub fn pull_back_clocks(&mut self, now_ms: u64) {
        let pull = |clock: &mut Hlc| clock.wall_ms = clock.wall_ms.min(now_ms);
        each_clock!(&mut *self, pull, iter_mut, values_mut, &mut);
        for device in self.devices.values_mut() {
            device.last_write_ms = device.last_write_ms.min(now_ms);
        }
    }
}
