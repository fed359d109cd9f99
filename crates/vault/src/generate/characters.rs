//! Random passwords of characters: uniform over every password that has one of each chosen kind.

use rand::{CryptoRng, RngExt};

use super::GenerateError;
use crate::secret::SecretText;

pub const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
pub const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const DIGITS: &str = "0123456789";
pub const SYMBOLS: &str = "!#$%&*+-=?@^_~.,:;";
/// Characters people misread or mistype from a screen or a sticky note.
pub const LOOK_ALIKES: &str = "Il1|O0o`'\"";
pub const LENGTH_RANGE: std::ops::RangeInclusive<usize> = 8..=128;
pub const DEFAULT_LENGTH: usize = 20;

/// How to make a password of random characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharacterRecipe {
    pub length: usize,
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    /// The symbols to use, `None` for none. Some systems refuse some symbols.
    pub symbols: Option<String>,
    /// Leave out characters that look alike (`I`, `l`, `1`, `O`, `0`, ...).
    pub exclude_similar: bool,
}

impl Default for CharacterRecipe {
    fn default() -> Self {
        CharacterRecipe::with_length(DEFAULT_LENGTH)
    }
}

impl CharacterRecipe {
    /// Lower and upper case letters, digits and the default symbols.
    pub fn with_length(length: usize) -> Self {
        CharacterRecipe {
            length,
            lower: true,
            upper: true,
            digits: true,
            symbols: Some(SYMBOLS.to_owned()),
            exclude_similar: false,
        }
    }

    /// The chosen kinds of character, each without duplicates or (if asked) look-alikes. A
    /// password has at least one of each.
    pub fn classes(&self) -> Result<Vec<Vec<char>>, GenerateError> {
        if let Some(symbols) = &self.symbols
            && let Some(bad) = symbols.chars().find(|c| c.is_alphanumeric() || c.is_whitespace() || c.is_control())
        {
            return Err(GenerateError::NotASymbol(bad));
        }
        let chosen = [
            (self.lower, LOWER),
            (self.upper, UPPER),
            (self.digits, DIGITS),
            (self.symbols.is_some(), self.symbols.as_deref().unwrap_or("")),
        ];
        let mut classes: Vec<Vec<char>> = Vec::new();
        for (on, set) in chosen {
            if !on {
                continue;
            }
            let mut class: Vec<char> = Vec::new();
            for c in set.chars() {
                let unwanted = self.exclude_similar && LOOK_ALIKES.contains(c);
                if !unwanted && !class.contains(&c) {
                    class.push(c);
                }
            }
            if !class.is_empty() {
                classes.push(class);
            }
        }
        if classes.is_empty() {
            return Err(GenerateError::NoCharacters);
        }
        if !LENGTH_RANGE.contains(&self.length) {
            return Err(GenerateError::Length { got: self.length });
        }
        if classes.len() > self.length {
            return Err(GenerateError::TooShortForClasses { length: self.length, classes: classes.len() });
        }
        Ok(classes)
    }

    /// Bits of entropy: log2 of the number of passwords this recipe can make, all equally likely.
    pub fn entropy_bits(&self) -> Result<f64, GenerateError> {
        let classes = self.classes()?;
        let total: usize = classes.iter().map(Vec::len).sum();
        // Inclusion-exclusion over the kinds a password could lack, as fractions of total^length
        // so that nothing overflows: P(every kind present) = sum over subsets S of
        // (-1)^|S| * ((total - |S's characters|) / total)^length.
        let mut present = 0.0;
        for subset in 0u32..(1 << classes.len()) {
            let missing: usize =
                classes.iter().enumerate().filter(|(i, _)| subset & (1 << i) != 0).map(|(_, c)| c.len()).sum();
            let sign = if subset.count_ones() % 2 == 0 { 1.0 } else { -1.0 };
            present += sign * ((total - missing) as f64 / total as f64).powi(self.length as i32);
        }
        Ok(self.length as f64 * (total as f64).log2() + present.log2())
    }

    pub(super) fn generate(&self, rng: &mut impl CryptoRng) -> Result<SecretText, GenerateError> {
        let classes = self.classes()?;
        let all: Vec<char> = classes.iter().flatten().copied().collect();
        // Rejection sampling keeps every password that has all classes equally likely, unlike
        // forcing one character per class into fixed places.
        loop {
            let mut chars: Vec<char> = (0..self.length).map(|_| all[rng.random_range(0..all.len())]).collect();
            let complete = classes.iter().all(|class| chars.iter().any(|c| class.contains(c)));
            let text = complete.then(|| chars.iter().collect::<String>());
            chars.fill('\0');
            if let Some(text) = text {
                return Ok(SecretText::new(text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_one_class_is_length_times_log2_of_its_size() {
        let digits_only =
            CharacterRecipe { lower: false, upper: false, symbols: None, ..CharacterRecipe::with_length(10) };
        assert!((digits_only.entropy_bits().unwrap() - 10.0 * 10f64.log2()).abs() < 1e-9);
    }

    #[test]
    fn entropy_counts_only_passwords_with_every_class() {
        // Lower case and "!" at length 8: every string of the 27 characters except those with no
        // "!" (26^8) and the one with no letter ("!!!!!!!!").
        let recipe = CharacterRecipe {
            length: 8,
            lower: true,
            upper: false,
            digits: false,
            symbols: Some("!".into()),
            exclude_similar: false,
        };
        let expected = (27f64.powi(8) - 26f64.powi(8) - 1.0).log2();
        assert!((recipe.entropy_bits().unwrap() - expected).abs() < 1e-6);
    }

    #[test]
    fn default_recipe_has_about_126_bits() {
        let bits = CharacterRecipe::default().entropy_bits().unwrap();
        assert!((125.0..126.5).contains(&bits), "{bits}");
    }
}
