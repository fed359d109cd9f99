//! Statistical checks of the generator. Bounds are about six standard deviations wide, so a fair
//! generator fails one of them roughly once in 10^8 runs, and a biased one fails every time.

use std::collections::HashMap;
use vault::generate::{
    self, CharacterRecipe, DIGITS, GenerateError, LOOK_ALIKES, LOWER, PassphraseRecipe, Recipe, SYMBOLS, UPPER,
    wordlist,
};

fn characters(recipe: &CharacterRecipe) -> String {
    generate::password(recipe).unwrap().expose().to_owned()
}

/// Asserts each of `counts` is within six standard deviations of `draws / counts.len()`.
fn assert_uniform(counts: &HashMap<char, u32>, symbols: usize, draws: u32) {
    assert_eq!(counts.len(), symbols, "every character appears: {counts:?}");
    let p = 1.0 / symbols as f64;
    let mean = draws as f64 * p;
    let sd = (draws as f64 * p * (1.0 - p)).sqrt();
    for (c, n) in counts {
        assert!((*n as f64 - mean).abs() < 6.0 * sd, "{c:?} drawn {n} times, expected about {mean:.0}");
    }
}

#[test]
fn every_password_has_its_length_and_every_chosen_class() {
    for length in [8, 20, 128] {
        for _ in 0..300 {
            let pw = characters(&CharacterRecipe::with_length(length));
            assert_eq!(pw.chars().count(), length);
            for class in [LOWER, UPPER, DIGITS, SYMBOLS] {
                assert!(pw.chars().any(|c| class.contains(c)), "{class} missing from {pw}");
            }
        }
    }
}

#[test]
fn characters_are_spread_evenly_over_the_whole_alphabet() {
    // Positions are not independent of the "one of each" rule for short passwords, but at length
    // 128 every password passes, so each draw is uniform over the 80 characters.
    let recipe = CharacterRecipe::with_length(128);
    let mut counts = HashMap::new();
    let passwords = 400;
    for _ in 0..passwords {
        for c in characters(&recipe).chars() {
            *counts.entry(c).or_insert(0u32) += 1;
        }
    }
    let alphabet = LOWER.len() + UPPER.len() + DIGITS.len() + SYMBOLS.len();
    assert_uniform(&counts, alphabet, passwords * 128);
}

#[test]
fn short_passwords_put_every_class_in_every_position() {
    // A generator that forced class k into position k would fail this: each position must see
    // every class.
    let recipe = CharacterRecipe::with_length(8);
    let mut seen = [[false; 4]; 8];
    for _ in 0..2000 {
        for (i, c) in characters(&recipe).chars().enumerate() {
            let class = [LOWER, UPPER, DIGITS, SYMBOLS].iter().position(|set| set.contains(c)).unwrap();
            seen[i][class] = true;
        }
    }
    assert!(seen.iter().all(|position| position.iter().all(|&s| s)), "{seen:?}");
}

#[test]
fn look_alikes_never_appear_when_excluded() {
    let recipe = CharacterRecipe { exclude_similar: true, ..CharacterRecipe::with_length(128) };
    for _ in 0..200 {
        let pw = characters(&recipe);
        assert!(!pw.chars().any(|c| LOOK_ALIKES.contains(c)), "{pw}");
    }
    assert!(recipe.entropy_bits().unwrap() < CharacterRecipe::with_length(128).entropy_bits().unwrap());
}

#[test]
fn a_custom_symbol_set_is_the_only_source_of_symbols() {
    let recipe = CharacterRecipe { symbols: Some("_-".into()), ..CharacterRecipe::with_length(40) };
    for _ in 0..200 {
        let pw = characters(&recipe);
        assert!(pw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'), "{pw}");
        assert!(pw.contains(['_', '-']));
    }
    let bad = CharacterRecipe { symbols: Some("!a".into()), ..CharacterRecipe::default() };
    assert_eq!(generate::password(&bad), Err(GenerateError::NotASymbol('a')));
}

#[test]
fn switched_off_classes_never_appear() {
    let recipe = CharacterRecipe { upper: false, symbols: None, ..CharacterRecipe::with_length(64) };
    for _ in 0..200 {
        assert!(characters(&recipe).chars().all(|c| LOWER.contains(c) || DIGITS.contains(c)));
    }
}

#[test]
fn bad_recipes_are_refused() {
    assert_eq!(generate::password(&CharacterRecipe::with_length(7)), Err(GenerateError::Length { got: 7 }));
    assert_eq!(generate::password(&CharacterRecipe::with_length(129)), Err(GenerateError::Length { got: 129 }));
    let none = CharacterRecipe { lower: false, upper: false, digits: false, symbols: None, ..Default::default() };
    assert_eq!(generate::password(&none), Err(GenerateError::NoCharacters));
    let words = PassphraseRecipe { words: 2, ..Default::default() };
    assert_eq!(generate::generate(&Recipe::Passphrase(words)).unwrap_err(), GenerateError::WordCount { got: 2 });
    let separator = PassphraseRecipe { separator: "x".into(), ..Default::default() };
    assert_eq!(generate::generate(&Recipe::Passphrase(separator)).unwrap_err(), GenerateError::Separator);
}

#[test]
fn passphrases_follow_their_recipe() {
    let recipe = PassphraseRecipe { words: 6, separator: ".".into(), capitalise: true, add_digit: true };
    let list = wordlist();
    for _ in 0..200 {
        let generated = generate::generate(&Recipe::Passphrase(recipe.clone())).unwrap();
        let text = generated.password.expose();
        let words: Vec<&str> = text.split('.').collect();
        assert_eq!(words.len(), 6, "{text}");
        assert_eq!(text.chars().filter(char::is_ascii_digit).count(), 1, "{text}");
        for word in words {
            assert!(word.chars().next().unwrap().is_uppercase(), "{text}");
            let plain = word.trim_end_matches(|c: char| c.is_ascii_digit()).to_lowercase();
            assert!(list.contains(&plain.as_str()), "{plain} is not on the list");
        }
        assert!((generated.entropy_bits - (6.0 * 7776f64.log2() + 60f64.log2())).abs() < 1e-9);
    }
}

#[test]
fn passphrase_words_are_spread_evenly_over_the_list() {
    // Bucket the 7,776 words into 16 groups by position on the list: each should get 1/16.
    let list = wordlist();
    let index: HashMap<&str, usize> = list.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    let recipe = PassphraseRecipe { words: 20, separator: " ".into(), ..Default::default() };
    let mut counts = HashMap::new();
    let draws = 16_000;
    for _ in 0..draws / 20 {
        let generated = generate::generate(&Recipe::Passphrase(recipe.clone())).unwrap();
        for word in generated.password.expose().split(' ') {
            let bucket = char::from(b'a' + (index[word] * 16 / list.len()) as u8);
            *counts.entry(bucket).or_insert(0u32) += 1;
        }
    }
    assert_uniform(&counts, 16, draws);
}
