//! The company password policy: a TOML file IT places on the computer (see [`load`]), which
//! sets floors and ceilings the vault's own settings cannot go past. It is read by every front
//! end and applied here, where each rule belongs: the generator ([`generate`]), the security
//! report (`health`, findings `policy` and `no-2fa`), rotation and the timers (below).
//!
//! Not to be confused with the session layer's `policy` module, which holds the app's own value
//! ranges. The README documents the file with a complete example; a test loads that example.

mod generate;
pub mod inventory;
mod load;

pub use generate::{generate_under, generate_within, tighten_recipe, tighten_rules};
pub use load::{Loaded, PolicyError, PolicyLocation, PolicySource, SYSTEM_PATH, VARIABLE, load, parse};

use serde::{Deserialize, Deserializer, Serialize};

use crate::generate::{DIGITS, LENGTH_RANGE, LOWER, UPPER};
use crate::model::{Entry, Settings};

/// The whole policy file. Every section and every key may be left out: what is left out is not
/// enforced.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyPolicy {
    #[serde(default)]
    pub passwords: PasswordPolicy,
    #[serde(default)]
    pub timers: TimerPolicy,
    #[serde(default)]
    pub quick_unlock: QuickUnlockPolicy,
    #[serde(default)]
    pub accounts: AccountPolicy,
}

/// `[passwords]`: what every password must be, and how often it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// The shortest password allowed, in characters.
    #[serde(default, deserialize_with = "min_length")]
    pub min_length: Option<u16>,
    /// The kinds of character every password must have.
    #[serde(default)]
    pub require: Vec<Kind>,
    /// Days after which a password is due for a change; replaces the vault's own setting.
    #[serde(default, deserialize_with = "rotation_days")]
    pub rotation_days: Option<u32>,
}

/// `[timers]`: the longest the vault may stay open unattended and a copy stay on the clipboard.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimerPolicy {
    #[serde(default, deserialize_with = "auto_lock_minutes")]
    pub max_auto_lock_minutes: Option<u32>,
    #[serde(default, deserialize_with = "clipboard_seconds")]
    pub max_clipboard_clear_seconds: Option<u32>,
}

/// `[quick_unlock]`: whether a PIN may unlock the vault, and for how long at most.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuickUnlockPolicy {
    #[serde(default = "yes")]
    pub allowed: bool,
    #[serde(default, deserialize_with = "quick_unlock_hours")]
    pub max_hours: Option<u32>,
}

impl Default for QuickUnlockPolicy {
    fn default() -> Self {
        QuickUnlockPolicy { allowed: true, max_hours: None }
    }
}

/// `[accounts]`: which entries are the company's, and which must have a one-time code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountPolicy {
    /// Entries with any of these tags must have TOTP set up (`no-2fa` otherwise).
    #[serde(default)]
    pub totp_required_tags: Vec<String>,
    /// The tag of the company's accounts (handed to IT when someone leaves).
    #[serde(default)]
    pub company_tag: Option<String>,
}

/// A kind of character a password must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Lower,
    Upper,
    Digits,
    Symbols,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Lower, Kind::Upper, Kind::Digits, Kind::Symbols];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lower => "lower",
            Kind::Upper => "upper",
            Kind::Digits => "digits",
            Kind::Symbols => "symbols",
        }
    }

    /// Whether `c` is of this kind. Letters and digits are the ASCII ones the generator uses;
    /// any other visible character counts as a symbol, so a system's own symbols count too.
    pub fn has(self, c: char) -> bool {
        match self {
            Kind::Lower => LOWER.contains(c),
            Kind::Upper => UPPER.contains(c),
            Kind::Digits => DIGITS.contains(c),
            Kind::Symbols => !c.is_ascii_alphanumeric() && !c.is_whitespace() && !c.is_control(),
        }
    }
}

/// How a password falls short of the policy. Never holds the password or a piece of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyBreak {
    /// The policy's minimum length, when the password is shorter.
    pub too_short: Option<u16>,
    /// The required kinds the password lacks, in [`Kind::ALL`] order.
    pub missing: Vec<Kind>,
}

impl CompanyPolicy {
    /// The policy's required kinds, without duplicates, in [`Kind::ALL`] order.
    pub fn required_kinds(&self) -> Vec<Kind> {
        Kind::ALL.into_iter().filter(|k| self.passwords.require.contains(k)).collect()
    }

    /// Whether the policy says anything about passwords themselves (length or kinds).
    pub fn rules_passwords(&self) -> bool {
        self.passwords.min_length.is_some() || !self.passwords.require.is_empty()
    }

    /// How `password` breaks the policy; `None` if it meets it.
    pub fn check(&self, password: &str) -> Option<PolicyBreak> {
        let length = password.chars().count();
        let too_short = self.passwords.min_length.filter(|&min| length < usize::from(min));
        let missing: Vec<Kind> =
            self.required_kinds().into_iter().filter(|kind| !password.chars().any(|c| kind.has(c))).collect();
        (too_short.is_some() || !missing.is_empty()).then_some(PolicyBreak { too_short, missing })
    }

    /// The rotation period in force: the policy's if it sets one, else the vault's.
    pub fn rotation_days(&self, settings: &Settings) -> Option<u32> {
        self.passwords.rotation_days.or_else(|| settings.rotation_days())
    }

    /// The auto-lock time in force, in minutes: the vault's, but never longer than the policy's
    /// maximum, and never "never" (0) when there is one.
    pub fn auto_lock_minutes(&self, vault_minutes: u32) -> u32 {
        match self.timers.max_auto_lock_minutes {
            Some(max) if vault_minutes == 0 || vault_minutes > max => max,
            _ => vault_minutes,
        }
    }

    /// Whether `minutes` is an auto-lock time the policy allows.
    pub fn allows_auto_lock(&self, minutes: u32) -> bool {
        self.auto_lock_minutes(minutes) == minutes
    }

    /// How long a copy stays on the clipboard, in seconds: never longer than the policy allows.
    pub fn clipboard_clear_seconds(&self, vault_seconds: u32) -> u32 {
        self.timers.max_clipboard_clear_seconds.map_or(vault_seconds, |max| vault_seconds.min(max))
    }

    /// The longest quick unlock the policy allows, in hours: `None` if it allows none, else the
    /// policy's maximum or `app_max`, whichever is shorter.
    pub fn quick_unlock_hours(&self, app_max: u32) -> Option<u32> {
        self.quick_unlock.allowed.then(|| self.quick_unlock.max_hours.map_or(app_max, |max| max.min(app_max)))
    }

    /// Whether `entry` carries a tag whose entries must have TOTP, and has none set up.
    pub fn lacks_required_totp(&self, entry: &Entry) -> Option<String> {
        if !entry.totp.value.expose().is_empty() {
            return None;
        }
        let required = &self.accounts.totp_required_tags;
        entry.tags().find(|tag| required.iter().any(|r| r.eq_ignore_ascii_case(tag))).map(str::to_owned)
    }

    /// Whether `entry` is one of the company's accounts (has the company tag).
    pub fn is_company_account(&self, entry: &Entry) -> bool {
        let Some(tag) = &self.accounts.company_tag else { return false };
        entry.tags().any(|t| t.eq_ignore_ascii_case(tag))
    }
}

fn yes() -> bool {
    true
}

/// An optional whole number in `range`, checked while the file is read so that a value out of
/// range is reported at its line, like a wrong type.
fn in_range<'de, D, T>(deserializer: D, range: std::ops::RangeInclusive<u64>, what: &str) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    let value = u64::deserialize(deserializer)?;
    if !range.contains(&value) {
        return Err(serde::de::Error::custom(format!(
            "{what} must be from {} to {}, not {value}",
            range.start(),
            range.end()
        )));
    }
    T::try_from(value).map(Some).map_err(|_| serde::de::Error::custom(format!("{what} is too large")))
}

fn min_length<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    in_range(d, 1..=*LENGTH_RANGE.end() as u64, "min_length")
}

fn rotation_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let range = Settings::ROTATION_DAYS;
    in_range(d, u64::from(*range.start())..=u64::from(*range.end()), "rotation_days")
}

fn auto_lock_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    // 0 means "never lock" in the vault's settings; as a maximum it would mean nothing.
    in_range(d, 1..=u64::from(*Settings::AUTO_LOCK_MINUTES.end()), "max_auto_lock_minutes")
}

fn clipboard_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let range = Settings::CLIPBOARD_CLEAR_SECONDS;
    in_range(d, u64::from(*range.start())..=u64::from(*range.end()), "max_clipboard_clear_seconds")
}

fn quick_unlock_hours<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    in_range(d, 1..=u64::from(crate::quick_unlock::MAX_HOURS), "max_hours")
}

#[cfg(test)]
mod tests;
