//! Random passwords: uniform over the chosen characters, at least one from each chosen class.

use rand::{CryptoRng, RngExt};
use thiserror::Error;

use crate::secret::SecretText;

pub const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
pub const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const DIGITS: &str = "0123456789";
pub const SYMBOLS: &str = "!#$%&*+-=?@^_~.,:;";
pub const LENGTH_RANGE: std::ops::RangeInclusive<usize> = 8..=128;
pub const DEFAULT_LENGTH: usize = 20;

/// What a generated password is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordRules {
    pub length: usize,
    /// Character classes; the password has at least one character of each.
    pub classes: Vec<String>,
}

impl Default for PasswordRules {
    fn default() -> Self {
        PasswordRules::with_length(DEFAULT_LENGTH)
    }
}

impl PasswordRules {
    /// Lower and upper case letters, digits and symbols.
    pub fn with_length(length: usize) -> Self {
        PasswordRules { length, classes: [LOWER, UPPER, DIGITS, SYMBOLS].map(String::from).to_vec() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum GenerateError {
    #[error("a password length must be from {} to {}, not {got}", LENGTH_RANGE.start(), LENGTH_RANGE.end())]
    Length { got: usize },
    #[error("choose at least one kind of character")]
    NoCharacters,
    #[error("a password of {length} characters cannot hold one of each of {classes} kinds of character")]
    TooShortForClasses { length: usize, classes: usize },
}

/// A password following `rules`, from the operating system's random source.
pub fn password(rules: &PasswordRules) -> Result<SecretText, GenerateError> {
    password_with(rules, &mut rand::rng())
}

/// [`password`] with a given random source, for tests.
pub fn password_with(rules: &PasswordRules, rng: &mut impl CryptoRng) -> Result<SecretText, GenerateError> {
    if !LENGTH_RANGE.contains(&rules.length) {
        return Err(GenerateError::Length { got: rules.length });
    }
    let classes: Vec<Vec<char>> =
        rules.classes.iter().map(|c| c.chars().collect::<Vec<_>>()).filter(|c| !c.is_empty()).collect();
    if classes.is_empty() {
        return Err(GenerateError::NoCharacters);
    }
    if classes.len() > rules.length {
        return Err(GenerateError::TooShortForClasses { length: rules.length, classes: classes.len() });
    }
    let all: Vec<char> = classes.iter().flatten().copied().collect();
    // Rejection sampling keeps every password that has all classes equally likely, unlike
    // forcing one character per class into fixed places.
    loop {
        let mut chars: Vec<char> = (0..rules.length).map(|_| all[rng.random_range(0..all.len())]).collect();
        if classes.iter().all(|class| chars.iter().any(|c| class.contains(c))) {
            let text: String = chars.iter().collect();
            chars.fill('\0');
            return Ok(SecretText::new(text));
        }
        chars.fill('\0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_have_the_length_and_every_class() {
        for length in [8, 20, 128] {
            for _ in 0..200 {
                let pw = password(&PasswordRules::with_length(length)).unwrap();
                let text = pw.expose();
                assert_eq!(text.chars().count(), length);
                for class in [LOWER, UPPER, DIGITS, SYMBOLS] {
                    assert!(text.chars().any(|c| class.contains(c)), "{class} missing");
                }
            }
        }
    }

    #[test]
    fn bad_rules_are_refused() {
        assert_eq!(password(&PasswordRules::with_length(7)), Err(GenerateError::Length { got: 7 }));
        assert_eq!(password(&PasswordRules::with_length(129)), Err(GenerateError::Length { got: 129 }));
        let none = PasswordRules { length: 10, classes: vec![] };
        assert_eq!(password(&none), Err(GenerateError::NoCharacters));
    }

    #[test]
    fn characters_are_spread_evenly() {
        // 26 letters over 26,000 draws: each should appear about 1,000 times. The bounds are
        // about six standard deviations wide, so a fair generator fails this once in ~10^8 runs.
        let rules = PasswordRules { length: 100, classes: vec![LOWER.into()] };
        let mut counts = [0u32; 26];
        for _ in 0..260 {
            for c in password(&rules).unwrap().expose().chars() {
                counts[(c as u8 - b'a') as usize] += 1;
            }
        }
        for count in counts {
            assert!((810..=1190).contains(&count), "{counts:?}");
        }
    }
}
