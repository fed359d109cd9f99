//! Every rule a front end checks input against, in one place: the desktop app, the command line
//! and the page (through [`view`]) all ask here, so `crm-vault init` refuses what the setup
//! screen refuses. Where the core already keeps a range (settings, generator, quick unlock), this
//! module names the core's constant instead of repeating the number.

use std::fmt;
use std::ops::RangeInclusive;

use vault::generate;
use vault::model::Settings as VaultSettings;
use vault::quick_unlock;

use crate::view::{NumberRange, Policy};

/// The zxcvbn score a master password must reach: 3 is "safely unguessable" (about 10^8
/// guesses), the least for a password that guards every other one and cannot be reset.
pub const MIN_MASTER_SCORE: u8 = 3;

/// Auto-lock minutes (0: never), as the core obeys them.
pub const AUTO_LOCK_MINUTES: RangeInclusive<u32> = VaultSettings::AUTO_LOCK_MINUTES;
/// Seconds before a copied value leaves the clipboard, as the core obeys them.
pub const CLIPBOARD_CLEAR_SECONDS: RangeInclusive<u32> = VaultSettings::CLIPBOARD_CLEAR_SECONDS;
/// Days after which a password is due for a change, when rotation is on.
pub const ROTATION_DAYS: RangeInclusive<u32> = VaultSettings::ROTATION_DAYS;
/// How long quick unlock may be turned on for, in hours: at least one, at most seven days.
pub const QUICK_UNLOCK_HOURS: RangeInclusive<u32> = 1..=quick_unlock::MAX_HOURS;
/// "Remember on this device" on the unlock screen turns quick unlock on for this long.
pub const REMEMBER_HOURS: u32 = 24;
/// Auto-type's pause after each key, in milliseconds (KeePassXC's default is 25).
pub const AUTOTYPE_KEY_DELAY_MS: RangeInclusive<u32> = 0..=500;
pub const DEFAULT_AUTOTYPE_KEY_DELAY_MS: u32 = 20;
/// Auto-type's global shortcut until the user picks another, as in KeePassXC.
pub const DEFAULT_AUTOTYPE_SHORTCUT: &str = "Ctrl+Alt+A";
/// How long the activity log keeps events, in days and in events, as the core obeys them.
pub const ACTIVITY_KEEP_DAYS: RangeInclusive<u32> = VaultSettings::ACTIVITY_KEEP_DAYS;
pub const ACTIVITY_KEEP_EVENTS: RangeInclusive<u32> = VaultSettings::ACTIVITY_KEEP_EVENTS;
/// The most events one listing sends to the page (the newest that match).
pub const ACTIVITY_LIST_LIMIT: usize = 500;
/// Events the entry view shows under "recent activity".
pub const ENTRY_ACTIVITY_LIMIT: usize = 5;

/// Input a rule refuses, worded for the user (English; the page words them itself by the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    EmptyMasterPassword,
    /// zxcvbn scored the master password below [`MIN_MASTER_SCORE`].
    WeakMasterPassword,
    NoTitle,
    /// The entry's address is not one a browser should be sent to (`file:`, `javascript:`, ...).
    NotAWebAddress,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::EmptyMasterPassword => "the master password cannot be empty",
            // The app's own words (`setup.errorWeak`), so both front ends say the same.
            Refusal::WeakMasterPassword => {
                "This password is too easy to guess. Use a longer one, for example four or five unrelated words."
            }
            Refusal::NoTitle => "an entry needs a title",
            Refusal::NotAWebAddress => "the entry has no web address to open",
        })
    }
}

impl std::error::Error for Refusal {}

/// Whether `password` may become a master password. `user_inputs` are words an attacker would
/// try first (the vault's path or name): a password made of them scores lower.
pub fn check_master_password(password: &str, user_inputs: &[&str]) -> Result<(), Refusal> {
    if password.is_empty() {
        return Err(Refusal::EmptyMasterPassword);
    }
    if vault::strength::strength(password, user_inputs).score < MIN_MASTER_SCORE {
        return Err(Refusal::WeakMasterPassword);
    }
    Ok(())
}

/// An entry is found by its title in every list, so a blank one is refused.
pub fn check_title(title: &str) -> Result<(), Refusal> {
    if title.trim().is_empty() { Err(Refusal::NoTitle) } else { Ok(()) }
}

/// The address to open for an entry's URL: only `http:` and `https:` (never `file:` or
/// `javascript:`); a bare host name ("crm.example.com") is opened over https.
pub fn web_address(url: &str) -> Result<String, Refusal> {
    let url = url.trim();
    let lower = url.to_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(url.to_owned())
    } else if !url.is_empty() && !url.contains(':') {
        Ok(format!("https://{url}"))
    } else {
        Err(Refusal::NotAWebAddress)
    }
}

/// The rules above as the page takes them, so it shows the same limits Rust enforces.
pub fn view() -> Policy {
    let range = |r: &RangeInclusive<u32>, default: u32| NumberRange { min: *r.start(), max: *r.end(), default };
    let usize_range = |r: &RangeInclusive<usize>, default: usize| NumberRange {
        min: *r.start() as u32,
        max: *r.end() as u32,
        default: default as u32,
    };
    Policy {
        min_master_score: MIN_MASTER_SCORE,
        auto_lock_minutes: range(&AUTO_LOCK_MINUTES, VaultSettings::DEFAULT_AUTO_LOCK_MINUTES),
        clipboard_clear_seconds: range(&CLIPBOARD_CLEAR_SECONDS, VaultSettings::DEFAULT_CLIPBOARD_CLEAR_SECONDS),
        rotation_days: range(&ROTATION_DAYS, VaultSettings::DEFAULT_ROTATION_DAYS.unwrap_or(*ROTATION_DAYS.end())),
        quick_unlock_hours: range(&QUICK_UNLOCK_HOURS, REMEMBER_HOURS),
        generator_length: usize_range(&generate::LENGTH_RANGE, generate::DEFAULT_LENGTH),
        generator_words: usize_range(&generate::WORDS_RANGE, generate::DEFAULT_WORDS),
        separator_max_chars: generate::MAX_SEPARATOR_CHARS as u32,
        autotype_key_delay_ms: range(&AUTOTYPE_KEY_DELAY_MS, DEFAULT_AUTOTYPE_KEY_DELAY_MS),
        activity_keep_days: range(&ACTIVITY_KEEP_DAYS, VaultSettings::DEFAULT_ACTIVITY_KEEP_DAYS),
        activity_keep_events: range(&ACTIVITY_KEEP_EVENTS, VaultSettings::DEFAULT_ACTIVITY_KEEP_EVENTS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_master_password_must_be_strong_not_just_present() {
        assert_eq!(check_master_password("", &[]), Err(Refusal::EmptyMasterPassword));
        assert_eq!(check_master_password("a", &[]), Err(Refusal::WeakMasterPassword));
        assert_eq!(check_master_password("password1", &[]), Err(Refusal::WeakMasterPassword));
        assert_eq!(check_master_password("vR7#qLw9!zTn2$Kp", &[]), Ok(()));
        assert_eq!(check_master_password("orbit kettle marble juniper", &[]), Ok(()));
    }

    #[test]
    fn the_vaults_own_name_does_not_make_a_master_password() {
        let path = "/home/li/Dropbox/acmetradingvault2026.crmvault";
        assert!(vault::strength::strength("acmetradingvault2026", &[]).score >= MIN_MASTER_SCORE);
        assert_eq!(check_master_password("acmetradingvault2026", &[path]), Err(Refusal::WeakMasterPassword));
    }

    #[test]
    fn titles_must_not_be_blank() {
        assert_eq!(check_title(" \t"), Err(Refusal::NoTitle));
        assert_eq!(check_title("CRM"), Ok(()));
    }

    #[test]
    fn only_web_addresses_are_opened() {
        assert_eq!(web_address(" https://crm.example.com/login ").unwrap(), "https://crm.example.com/login");
        assert_eq!(web_address("HTTP://intranet").unwrap(), "HTTP://intranet");
        assert_eq!(web_address("crm.example.com").unwrap(), "https://crm.example.com");
        for refused in ["", "file:///etc/passwd", "javascript:alert(1)", "ftp://files.example.com"] {
            assert_eq!(web_address(refused), Err(Refusal::NotAWebAddress), "{refused}");
        }
    }

    #[test]
    fn the_page_gets_the_cores_ranges_and_defaults() {
        let policy = view();
        assert_eq!(
            (policy.generator_length.min, policy.generator_length.max, policy.generator_length.default),
            (8, 128, 20)
        );
        assert_eq!(
            (policy.generator_words.min, policy.generator_words.max, policy.generator_words.default),
            (3, 20, 5)
        );
        assert_eq!((policy.auto_lock_minutes.min, policy.auto_lock_minutes.max), (0, 24 * 60));
        assert_eq!((policy.clipboard_clear_seconds.min, policy.clipboard_clear_seconds.max), (5, 600));
        assert_eq!((policy.rotation_days.min, policy.rotation_days.max, policy.rotation_days.default), (1, 3650, 90));
        assert_eq!((policy.quick_unlock_hours.min, policy.quick_unlock_hours.max), (1, 168));
        for range in [
            policy.auto_lock_minutes,
            policy.clipboard_clear_seconds,
            policy.rotation_days,
            policy.quick_unlock_hours,
            policy.generator_length,
            policy.generator_words,
        ] {
            assert!((range.min..=range.max).contains(&range.default), "{range:?}");
        }
    }
}
