//! The generator under the company policy: a recipe is raised to the policy (longer, with the
//! required kinds) before a password is made, so the generator never makes one the policy
//! refuses.

use rand::CryptoRng;

use super::{CompanyPolicy, Kind};
use crate::generate::{
    CharacterRecipe, GenerateError, Generated, LENGTH_RANGE, PasswordRules, Recipe, SYMBOLS, WORDS_RANGE, generate_with,
};

/// `recipe` raised to `policy`: at least its length, with every kind it requires. A passphrase
/// gets capitals, a digit and a symbol separator as required; its length is seen to when it is
/// made ([`generate_within`]).
pub fn tighten_recipe(policy: &CompanyPolicy, recipe: &Recipe) -> Recipe {
    let kinds = policy.required_kinds();
    match recipe {
        Recipe::Characters(recipe) => {
            let mut recipe = recipe.clone();
            let min = policy.passwords.min_length.map_or(0, usize::from);
            recipe.length = recipe.length.max(min).min(*LENGTH_RANGE.end());
            recipe.lower |= kinds.contains(&Kind::Lower);
            recipe.upper |= kinds.contains(&Kind::Upper);
            recipe.digits |= kinds.contains(&Kind::Digits);
            let has_symbol = |set: &str| set.chars().any(|c| Kind::Symbols.has(c));
            if kinds.contains(&Kind::Symbols) && !recipe.symbols.as_deref().is_some_and(has_symbol) {
                recipe.symbols = Some(SYMBOLS.to_owned());
            }
            Recipe::Characters(recipe)
        }
        Recipe::Passphrase(recipe) => {
            let mut recipe = recipe.clone();
            recipe.capitalise |= kinds.contains(&Kind::Upper);
            recipe.add_digit |= kinds.contains(&Kind::Digits);
            if kinds.contains(&Kind::Symbols) && !recipe.separator.chars().any(|c| Kind::Symbols.has(c)) {
                recipe.separator = "-".into();
            }
            Recipe::Passphrase(recipe)
        }
    }
}

/// A system's rules raised to the policy as far as the system allows: the policy's length up
/// to the system's longest, and its kinds where the system accepts them. Where the two
/// contradict (a system that takes no symbols), the system wins, since a password it refuses is
/// of no use, and the report's `policy` finding shows the gap.
pub fn tighten_rules(policy: &CompanyPolicy, rules: &PasswordRules) -> PasswordRules {
    let mut rules = rules.clone();
    if let Some(min) = policy.passwords.min_length {
        rules.min_length = rules.min_length.max(min).min(rules.max_length);
    }
    let kinds = policy.required_kinds();
    rules.required.lower |= kinds.contains(&Kind::Lower);
    rules.required.upper |= kinds.contains(&Kind::Upper);
    rules.required.digits |= kinds.contains(&Kind::Digits);
    rules.required.symbols |= kinds.contains(&Kind::Symbols) && !rules.symbols.is_empty();
    rules
}

/// [`generate_within`] from the operating system's random source.
pub fn generate_under(policy: Option<&CompanyPolicy>, recipe: &Recipe) -> Result<Generated, GenerateError> {
    generate_within(policy, recipe, &mut rand::rng())
}

/// A password made by `recipe` raised to `policy` (if any), which the policy accepts.
pub fn generate_within(
    policy: Option<&CompanyPolicy>,
    recipe: &Recipe,
    rng: &mut impl CryptoRng,
) -> Result<Generated, GenerateError> {
    let Some(policy) = policy else { return generate_with(recipe, rng) };
    let mut recipe = tighten_recipe(policy, recipe);
    // A raised character recipe always passes. A passphrase's length depends on its words: one
    // too short is drawn again (uniform over those long enough), and after many short draws one
    // word is added.
    loop {
        for _ in 0..64 {
            let made = generate_with(&recipe, rng)?;
            if policy.check(made.password.expose()).is_none() {
                return Ok(made);
            }
        }
        match &mut recipe {
            Recipe::Passphrase(p) if p.words < *WORDS_RANGE.end() => p.words += 1,
            // Cannot happen for a raised recipe; fall back to characters rather than loop.
            _ => {
                recipe = tighten_recipe(policy, &Recipe::Characters(CharacterRecipe::default()));
            }
        }
    }
}
