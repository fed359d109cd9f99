//! What one system accepts in a password, remembered on its entry, so that regenerating the
//! password for that system always makes one it takes.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{CharacterRecipe, DEFAULT_LENGTH, DIGITS, LENGTH_RANGE, LOWER, UPPER};

/// Kinds of character, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classes {
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
}

/// A system's password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordRules {
    pub min_length: u16,
    pub max_length: u16,
    /// The symbols the system accepts; empty if it takes none.
    pub symbols: String,
    /// The kinds of character every password must have.
    pub required: Classes,
}

/// Rules that contradict themselves or that no generated password could meet.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RulesError {
    #[error("the shortest length ({min}) is longer than the longest ({max})")]
    MinAboveMax { min: u16, max: u16 },
    #[error("the longest length must be from {} to {}, not {got}", LENGTH_RANGE.start(), LENGTH_RANGE.end())]
    MaxLength { got: u16 },
    #[error("symbols are required but none are allowed: list the symbols the system accepts")]
    SymbolsRequiredButNone,
    #[error("\"{0}\" is not a symbol: letters, digits and spaces cannot be listed as symbols")]
    NotASymbol(char),
}

/// One way a password breaks a system's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RuleBreak {
    TooShort {
        min: u16,
    },
    TooLong {
        max: u16,
    },
    MissingLower,
    MissingUpper,
    MissingDigit,
    MissingSymbol,
    /// A character the system does not accept.
    NotAllowed {
        character: char,
    },
}

impl PasswordRules {
    pub fn validate(&self) -> Result<(), RulesError> {
        if !LENGTH_RANGE.contains(&usize::from(self.max_length)) {
            return Err(RulesError::MaxLength { got: self.max_length });
        }
        if self.min_length > self.max_length {
            return Err(RulesError::MinAboveMax { min: self.min_length, max: self.max_length });
        }
        if let Some(bad) = self.symbols.chars().find(|c| c.is_alphanumeric() || c.is_whitespace() || c.is_control()) {
            return Err(RulesError::NotASymbol(bad));
        }
        if self.required.symbols && self.symbols.is_empty() {
            return Err(RulesError::SymbolsRequiredButNone);
        }
        Ok(())
    }

    /// The recipe a new password for this system is made with: as long as the system allows up
    /// to the default length, every kind of character it accepts.
    pub fn recipe(&self) -> Result<CharacterRecipe, RulesError> {
        self.validate()?;
        let shortest = usize::from(self.min_length).max(*LENGTH_RANGE.start());
        let length = DEFAULT_LENGTH.clamp(shortest, usize::from(self.max_length));
        let symbols = (!self.symbols.is_empty()).then(|| self.symbols.clone());
        Ok(CharacterRecipe { length, lower: true, upper: true, digits: true, symbols, exclude_similar: false })
    }

    /// How `password` breaks these rules; empty if the system would accept it.
    pub fn check(&self, password: &str) -> Vec<RuleBreak> {
        let mut breaks = Vec::new();
        let length = password.chars().count();
        if length < usize::from(self.min_length) {
            breaks.push(RuleBreak::TooShort { min: self.min_length });
        }
        if length > usize::from(self.max_length) {
            breaks.push(RuleBreak::TooLong { max: self.max_length });
        }
        let has = |set: &str| password.chars().any(|c| set.contains(c));
        let required = [
            (self.required.lower, has(LOWER), RuleBreak::MissingLower),
            (self.required.upper, has(UPPER), RuleBreak::MissingUpper),
            (self.required.digits, has(DIGITS), RuleBreak::MissingDigit),
            (self.required.symbols, has(&self.symbols), RuleBreak::MissingSymbol),
        ];
        breaks.extend(required.into_iter().filter(|(wanted, present, _)| *wanted && !present).map(|(_, _, b)| b));
        let accepted = |c: char| c.is_ascii_alphanumeric() || self.symbols.contains(c);
        let mut seen = Vec::new();
        for character in password.chars().filter(|c| !accepted(*c)) {
            if !seen.contains(&character) {
                seen.push(character);
                breaks.push(RuleBreak::NotAllowed { character });
            }
        }
        breaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crm_rules() -> PasswordRules {
        PasswordRules {
            min_length: 8,
            max_length: 16,
            symbols: "!@#".into(),
            required: Classes { lower: true, upper: true, digits: true, symbols: true },
        }
    }

    #[test]
    fn generated_passwords_always_meet_the_rules() {
        let rules = crm_rules();
        let recipe = rules.recipe().unwrap();
        assert_eq!(recipe.length, 16);
        for _ in 0..500 {
            let pw = super::super::generate(&super::super::Recipe::Characters(recipe.clone())).unwrap();
            assert_eq!(rules.check(pw.password.expose()), vec![], "{:?}", pw.password.expose());
        }
    }

    #[test]
    fn each_break_is_reported() {
        let rules = crm_rules();
        assert_eq!(
            rules.check("abc$"),
            vec![
                RuleBreak::TooShort { min: 8 },
                RuleBreak::MissingUpper,
                RuleBreak::MissingDigit,
                RuleBreak::MissingSymbol,
                RuleBreak::NotAllowed { character: '$' }
            ]
        );
        assert_eq!(rules.check("Abcdefgh1!Abcdefgh"), vec![RuleBreak::TooLong { max: 16 }]);
        assert_eq!(rules.check("Abcdefg1!"), vec![]);
    }

    #[test]
    fn contradictory_rules_are_refused() {
        let mut rules = crm_rules();
        rules.min_length = 20;
        assert_eq!(rules.validate(), Err(RulesError::MinAboveMax { min: 20, max: 16 }));
        let mut rules = crm_rules();
        rules.symbols.clear();
        assert_eq!(rules.validate(), Err(RulesError::SymbolsRequiredButNone));
        let mut rules = crm_rules();
        rules.max_length = 6;
        assert_eq!(rules.validate(), Err(RulesError::MaxLength { got: 6 }));
    }

    #[test]
    fn a_system_without_symbols_gets_none() {
        let rules = PasswordRules { symbols: String::new(), required: Classes::default(), ..crm_rules() };
        let recipe = rules.recipe().unwrap();
        assert_eq!(recipe.symbols, None);
    }
}
