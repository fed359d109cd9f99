//! The ranges of the settings that travel with the vault, kept here once for every front end.
//!
//! A synced file can hold any number: an older laptop's, a hand-edited file, a copy planted in
//! the sync folder. So the values are checked where they are used, through the accessors below,
//! and not only where the user types them: a value out of range is clamped to the nearest one
//! allowed, never obeyed.

use std::ops::RangeInclusive;

use super::{Settings, Stamped};

impl Settings {
    /// Minutes without activity before the vault locks; 0 turns auto-lock off. At most a day.
    pub const AUTO_LOCK_MINUTES: RangeInclusive<u32> = 0..=24 * 60;
    /// Seconds before a copied value is cleared from the clipboard: long enough to paste it,
    /// short enough that it does not linger.
    pub const CLIPBOARD_CLEAR_SECONDS: RangeInclusive<u32> = 5..=600;
    /// Days after which a password is due for a change, when rotation is on (ten years at most).
    pub const ROTATION_DAYS: RangeInclusive<u32> = 1..=3650;

    pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 5;
    pub const DEFAULT_CLIPBOARD_CLEAR_SECONDS: u32 = 20;
    pub const DEFAULT_ROTATION_DAYS: Option<u32> = Some(90);
    /// Days ahead of an expiry date that it is warned of; 0 turns the warning off (a year at most).
    pub const EXPIRY_WARNING_DAYS: RangeInclusive<u32> = 0..=365;
    pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 14;

    /// The auto-lock time to obey, in minutes (0: never).
    pub fn auto_lock_minutes(&self) -> u32 {
        clamp(self.auto_lock_minutes.value, &Self::AUTO_LOCK_MINUTES)
    }

    /// How long a copied value stays on the clipboard, in seconds.
    pub fn clipboard_clear_seconds(&self) -> u32 {
        clamp(self.clipboard_clear_seconds.value, &Self::CLIPBOARD_CLEAR_SECONDS)
    }

    /// How many days ahead of an entry's expiry date to warn of it (0: never).
    pub fn expiry_warning_days(&self) -> u32 {
        clamp(self.expiry_warning_days.value, &Self::EXPIRY_WARNING_DAYS)
    }

    /// A file from before the setting existed warns as the default does; its clock is the
    /// oldest, so any laptop's choice wins the merge.
    pub(super) fn default_expiry_warning_days() -> Stamped<u32> {
        Stamped::new(Self::DEFAULT_EXPIRY_WARNING_DAYS, crate::clock::Hlc::default())
    }

    /// Never written (as read from a file without it): left out again, so such a file stays
    /// as it was and opens in versions that do not know the member.
    pub(super) fn expiry_warning_days_unwritten(days: &Stamped<u32>) -> bool {
        *days == Self::default_expiry_warning_days()
    }

    /// The rotation period to report against, in days (`None`: rotation is off).
    pub fn rotation_days(&self) -> Option<u32> {
        self.rotation_days.value.map(|days| clamp(days, &Self::ROTATION_DAYS))
    }
}

/// `value`, or the end of `range` nearest to it.
pub(super) fn clamp(value: u32, range: &RangeInclusive<u32>) -> u32 {
    value.clamp(*range.start(), *range.end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{DeviceId, Hlc};

    fn settings(auto_lock: u32, clipboard: u32, rotation: Option<u32>) -> Settings {
        let clock = Hlc { wall_ms: 1, counter: 0, device: DeviceId(1) };
        let mut settings = Settings::new(clock);
        settings.auto_lock_minutes = Stamped::new(auto_lock, clock);
        settings.clipboard_clear_seconds = Stamped::new(clipboard, clock);
        settings.rotation_days = Stamped::new(rotation, clock);
        settings
    }

    #[test]
    fn values_in_range_are_obeyed_as_they_are() {
        let s = settings(0, 5, Some(3650));
        assert_eq!((s.auto_lock_minutes(), s.clipboard_clear_seconds(), s.rotation_days()), (0, 5, Some(3650)));
        let s = settings(1440, 600, None);
        assert_eq!((s.auto_lock_minutes(), s.clipboard_clear_seconds(), s.rotation_days()), (1440, 600, None));
    }

    #[test]
    fn values_out_of_range_are_clamped() {
        let s = settings(u32::MAX, 0, Some(0));
        assert_eq!((s.auto_lock_minutes(), s.clipboard_clear_seconds(), s.rotation_days()), (1440, 5, Some(1)));
        let s = settings(1441, u32::MAX, Some(u32::MAX));
        assert_eq!((s.auto_lock_minutes(), s.clipboard_clear_seconds(), s.rotation_days()), (1440, 600, Some(3650)));
    }

    #[test]
    fn the_defaults_are_in_range() {
        assert!(Settings::AUTO_LOCK_MINUTES.contains(&Settings::DEFAULT_AUTO_LOCK_MINUTES));
        assert!(Settings::CLIPBOARD_CLEAR_SECONDS.contains(&Settings::DEFAULT_CLIPBOARD_CLEAR_SECONDS));
        assert!(Settings::DEFAULT_ROTATION_DAYS.is_none_or(|days| Settings::ROTATION_DAYS.contains(&days)));
        assert!(Settings::EXPIRY_WARNING_DAYS.contains(&Settings::DEFAULT_EXPIRY_WARNING_DAYS));
    }

    #[test]
    fn the_expiry_warning_is_clamped_and_a_file_without_it_warns_two_weeks_ahead() {
        let mut s = settings(5, 20, None);
        s.expiry_warning_days.value = 10_000;
        assert_eq!(s.expiry_warning_days(), 365);
        let mut json = serde_json::to_value(&s).unwrap();
        json.as_object_mut().unwrap().remove("expiry_warning_days");
        let older: Settings = serde_json::from_value(json).unwrap();
        assert_eq!(older.expiry_warning_days(), 14);
        assert_eq!(older.expiry_warning_days.clock, Hlc::default());
    }
}
