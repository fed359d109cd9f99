//! `generate`: passwords or passphrases on standard output, one per line.

use crate::args::GenerateCommand;
use crate::error::{CliError, Result};
use vault::company;
use vault::generate::{CharacterRecipe, PassphraseRecipe, Recipe, SYMBOLS};

pub fn generate(args: &GenerateCommand) -> Result<()> {
    // Raised to the company policy, if there is one: never a password it refuses.
    let policy = super::company::in_force();
    let recipe = match &policy {
        Some(policy) => company::tighten_recipe(policy, &recipe(args)),
        None => recipe(args),
    };
    let bits = recipe.entropy_bits().map_err(CliError::usage)?;
    for _ in 0..args.count {
        let made = company::generate_under(policy.as_ref(), &recipe).map_err(CliError::usage)?;
        let mut line = zeroize::Zeroizing::new(made.password.expose().to_owned());
        line.push('\n');
        super::print(&line)?;
    }
    eprintln!("{bits:.0} bits of entropy each");
    Ok(())
}

fn recipe(args: &GenerateCommand) -> Recipe {
    if args.passphrase {
        return Recipe::Passphrase(PassphraseRecipe {
            words: args.words,
            separator: args.separator.clone(),
            capitalise: args.capitalise,
            add_digit: args.add_digit,
        });
    }
    let symbols = match (&args.symbols, args.no_symbols) {
        (_, true) => None,
        (Some(set), false) => Some(set.clone()),
        (None, false) => Some(SYMBOLS.to_owned()),
    };
    Recipe::Characters(CharacterRecipe {
        length: args.length,
        lower: !args.no_lower,
        upper: !args.no_upper,
        digits: !args.no_digits,
        symbols,
        exclude_similar: args.exclude_similar,
    })
}
