//! Making new passwords: random characters or passphrases, from the operating system's random
//! source, with their entropy; and the rules a system sets for its passwords.

mod characters;
mod passphrase;
mod rules;

pub use characters::{CharacterRecipe, DEFAULT_LENGTH, DIGITS, LENGTH_RANGE, LOOK_ALIKES, LOWER, SYMBOLS, UPPER};
pub use passphrase::{DEFAULT_WORDS, MAX_SEPARATOR_CHARS, PassphraseRecipe, WORDS_RANGE, wordlist};
pub use rules::{Classes, PasswordRules, RuleBreak, RulesError};

use rand::CryptoRng;
use thiserror::Error;

use crate::secret::SecretText;

/// What kind of password to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipe {
    Characters(CharacterRecipe),
    Passphrase(PassphraseRecipe),
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe::Characters(CharacterRecipe::default())
    }
}

impl Recipe {
    pub fn entropy_bits(&self) -> Result<f64, GenerateError> {
        match self {
            Recipe::Characters(recipe) => recipe.entropy_bits(),
            Recipe::Passphrase(recipe) => recipe.entropy_bits(),
        }
    }
}

/// A new password and how hard it is to guess for someone who knows the recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub password: SecretText,
    pub entropy_bits: f64,
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
    #[error("\"{0}\" is not a symbol: the symbol set may not hold letters, digits or spaces")]
    NotASymbol(char),
    #[error("a passphrase has from {} to {} words, not {got}", WORDS_RANGE.start(), WORDS_RANGE.end())]
    WordCount { got: usize },
    #[error("a separator is at most {MAX_SEPARATOR_CHARS} characters, none of them letters or digits")]
    Separator,
}

/// A password made by `recipe`, from the operating system's random source.
pub fn generate(recipe: &Recipe) -> Result<Generated, GenerateError> {
    generate_with(recipe, &mut rand::rng())
}

/// [`generate`] with a given random source, for tests.
pub fn generate_with(recipe: &Recipe, rng: &mut impl CryptoRng) -> Result<Generated, GenerateError> {
    let entropy_bits = recipe.entropy_bits()?;
    let password = match recipe {
        Recipe::Characters(recipe) => recipe.generate(rng)?,
        Recipe::Passphrase(recipe) => recipe.generate(rng)?,
    };
    Ok(Generated { password, entropy_bits })
}

/// A password of random characters following `recipe`.
pub fn password(recipe: &CharacterRecipe) -> Result<SecretText, GenerateError> {
    generate(&Recipe::Characters(recipe.clone())).map(|g| g.password)
}
