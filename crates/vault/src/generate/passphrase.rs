//! Passphrases: words drawn uniformly from the EFF large wordlist (7,776 words, 12.9 bits each).

use rand::{CryptoRng, RngExt};
use std::sync::OnceLock;

use super::GenerateError;
use crate::secret::SecretText;

/// The EFF's large wordlist for passphrases (CC BY 3.0 US, Electronic Frontier Foundation,
/// https://www.eff.org/dice), with its dice numbers: "11111\tabacus".
const EFF_LARGE_WORDLIST: &str = include_str!("eff_large_wordlist.txt");
pub const WORDS_RANGE: std::ops::RangeInclusive<usize> = 3..=20;
pub const DEFAULT_WORDS: usize = 5;
/// Separators are short so the passphrase stays typeable; longer ones add nothing secret.
pub const MAX_SEPARATOR_CHARS: usize = 3;

/// The wordlist's words, in order.
pub fn wordlist() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        EFF_LARGE_WORDLIST.lines().filter_map(|line| line.split_once('\t').map(|(_, word)| word.trim())).collect()
    })
}

/// How to make a passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassphraseRecipe {
    pub words: usize,
    pub separator: String,
    /// Upper-case the first letter of each word (many systems insist on an upper-case letter).
    pub capitalise: bool,
    /// Put a random digit after one random word (many systems insist on a digit).
    pub add_digit: bool,
}

impl Default for PassphraseRecipe {
    fn default() -> Self {
        PassphraseRecipe { words: DEFAULT_WORDS, separator: "-".into(), capitalise: false, add_digit: false }
    }
}

impl PassphraseRecipe {
    fn check(&self) -> Result<(), GenerateError> {
        if !WORDS_RANGE.contains(&self.words) {
            return Err(GenerateError::WordCount { got: self.words });
        }
        // A letter in the separator would let two passphrases read the same; a digit would
        // blur the added digit.
        if self.separator.chars().count() > MAX_SEPARATOR_CHARS
            || self.separator.chars().any(|c| c.is_alphanumeric() || c.is_control())
        {
            return Err(GenerateError::Separator);
        }
        Ok(())
    }

    /// Bits of entropy: the words, and which word got which digit. Capitals are not secret.
    pub fn entropy_bits(&self) -> Result<f64, GenerateError> {
        self.check()?;
        let words = self.words as f64 * (wordlist().len() as f64).log2();
        let digit = if self.add_digit { (10.0 * self.words as f64).log2() } else { 0.0 };
        Ok(words + digit)
    }

    pub(super) fn generate(&self, rng: &mut impl CryptoRng) -> Result<SecretText, GenerateError> {
        self.check()?;
        let list = wordlist();
        let digit_at = self.add_digit.then(|| (rng.random_range(0..self.words), rng.random_range(0..10u8)));
        let mut out = String::new();
        for i in 0..self.words {
            if i > 0 {
                out.push_str(&self.separator);
            }
            let word = list[rng.random_range(0..list.len())];
            let mut chars = word.chars();
            if self.capitalise
                && let Some(first) = chars.next()
            {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            } else {
                out.push_str(word);
            }
            if let Some((at, digit)) = digit_at
                && at == i
            {
                out.push(char::from(b'0' + digit));
            }
        }
        Ok(SecretText::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wordlist_is_the_eff_large_list() {
        let list = wordlist();
        assert_eq!(list.len(), 7776);
        assert_eq!((list[0], list[7775]), ("abacus", "zoom"));
        let mut sorted = list.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 7776, "words are unique");
        assert!(list.iter().all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    }

    #[test]
    fn five_words_carry_about_64_bits() {
        let bits = PassphraseRecipe::default().entropy_bits().unwrap();
        assert!((bits - 5.0 * 7776f64.log2()).abs() < 1e-9);
    }
}
