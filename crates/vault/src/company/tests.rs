use std::path::Path;

use super::*;
use crate::generate::{CharacterRecipe, Classes, PassphraseRecipe, PasswordRules, Recipe};

const FULL: &str = r#"
[passwords]
min_length = 14
require = ["lower", "upper", "digits", "symbols"]
rotation_days = 60

[timers]
max_auto_lock_minutes = 10
max_clipboard_clear_seconds = 30

[quick_unlock]
allowed = true
max_hours = 8

[accounts]
totp_required_tags = ["crm"]
company_tag = "company"
"#;

fn full() -> CompanyPolicy {
    parse(FULL, Path::new("policy.toml")).unwrap()
}

fn malformed(text: &str) -> (usize, usize, String) {
    match parse(text, Path::new("p.toml")) {
        Err(PolicyError::Malformed { line, column, message, .. }) => (line, column, message),
        other => panic!("expected a malformed file, got {other:?}"),
    }
}

#[test]
fn every_key_is_read() {
    let policy = full();
    assert_eq!(policy.passwords.min_length, Some(14));
    assert_eq!(policy.required_kinds(), Kind::ALL.to_vec());
    assert_eq!(policy.passwords.rotation_days, Some(60));
    assert_eq!(policy.timers.max_auto_lock_minutes, Some(10));
    assert_eq!(policy.timers.max_clipboard_clear_seconds, Some(30));
    assert_eq!(policy.quick_unlock, QuickUnlockPolicy { allowed: true, max_hours: Some(8) });
    assert_eq!(policy.accounts.totp_required_tags, vec!["crm".to_owned()]);
    assert_eq!(policy.accounts.company_tag.as_deref(), Some("company"));
}

#[test]
fn an_empty_file_enforces_nothing() {
    let policy = parse("", Path::new("p.toml")).unwrap();
    assert_eq!(policy, CompanyPolicy::default());
    assert_eq!(policy.check("a"), None);
    assert_eq!(policy.auto_lock_minutes(0), 0);
    assert_eq!(policy.quick_unlock_hours(168), Some(168));
}

#[test]
fn unknown_keys_wrong_types_and_values_out_of_range_name_their_line() {
    let (line, _, message) = malformed("[passwords]\nmin_length = 12\nminimum = 3\n");
    assert_eq!(line, 3, "{message}");
    assert!(message.contains("minimum"), "{message}");
    let (line, column, _) = malformed("[timers]\n\nmax_auto_lock_minutes = \"ten\"\n");
    assert_eq!((line, column), (3, 25));
    let (line, _, message) = malformed("[passwords]\nrequire = [\"lower\", \"emoji\"]\n");
    assert_eq!(line, 2, "{message}");
    let (line, _, message) = malformed("[quick_unlock]\nallowed = true\nmax_hours = 1000\n");
    assert_eq!(line, 3);
    assert!(message.contains("from 1 to 168"), "{message}");
    let (line, _, _) = malformed("[timers]\nmax_auto_lock_minutes = 0\n");
    assert_eq!(line, 2, "0 is \"never lock\", which a maximum cannot be");
    let (line, _, _) = malformed("[lock]\nminutes = 3\n");
    assert_eq!(line, 1);
    let (line, _, _) = malformed("[passwords\nmin_length = 3\n");
    assert_eq!(line, 1);
}

#[test]
fn a_missing_file_is_no_policy_and_a_malformed_one_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let location = PolicyLocation { path: dir.path().join("policy.toml"), source: PolicySource::Environment };
    assert!(matches!(load(&location), Loaded::None { .. }));
    // The first lines are fine; the last is not: nothing at all is enforced.
    std::fs::write(&location.path, "[passwords]\nmin_length = 16\n[timers]\nmax_auto_lock_minutes = -1\n").unwrap();
    let loaded = load(&location);
    assert_eq!(loaded.policy(), None);
    let error = loaded.error().unwrap().to_string();
    assert!(error.contains("malformed at line 4"), "{error}");
    std::fs::write(&location.path, FULL).unwrap();
    assert_eq!(load(&location).policy(), Some(&full()));
}

#[test]
fn passwords_are_checked_for_length_and_kinds_without_repeating_them() {
    let policy = full();
    assert_eq!(policy.check("Abcdefgh1!xyzw"), None);
    let broken = policy.check("abcdefgh").unwrap();
    assert_eq!(broken.too_short, Some(14));
    assert_eq!(broken.missing, vec![Kind::Upper, Kind::Digits, Kind::Symbols]);
    // Any visible character that is not a letter or digit is a symbol.
    assert_eq!(policy.check("Abcdefgh1¤xyzw"), None);
    assert_eq!(policy.check("Abcdefgh1 xyzw").unwrap().missing, vec![Kind::Symbols]);
}

#[test]
fn the_generator_never_makes_a_password_the_policy_refuses() {
    let policy = full();
    let weak = Recipe::Characters(CharacterRecipe {
        length: 8,
        lower: true,
        upper: false,
        digits: false,
        symbols: None,
        exclude_similar: true,
    });
    let plain =
        Recipe::Passphrase(PassphraseRecipe { words: 3, separator: " ".into(), capitalise: false, add_digit: false });
    let mut rng = rand::rng();
    for recipe in [weak, plain] {
        for _ in 0..500 {
            let made = generate_within(Some(&policy), &recipe, &mut rng).unwrap();
            assert_eq!(policy.check(made.password.expose()), None, "{:?}", recipe);
        }
    }
}

#[test]
fn a_longer_or_richer_recipe_is_kept() {
    let policy = full();
    let long = Recipe::Characters(CharacterRecipe::with_length(40));
    assert_eq!(tighten_recipe(&policy, &long), long);
}

#[test]
fn a_systems_rules_are_raised_as_far_as_the_system_allows() {
    let policy = full();
    let rules = PasswordRules { min_length: 8, max_length: 16, symbols: "!".into(), required: Classes::default() };
    let raised = tighten_rules(&policy, &rules);
    assert_eq!(raised.min_length, 14);
    assert_eq!(raised.required, Classes { lower: true, upper: true, digits: true, symbols: true });
    for _ in 0..200 {
        let made = crate::generate::password(&raised.recipe().unwrap()).unwrap();
        assert_eq!(policy.check(made.expose()), None);
        assert_eq!(rules.check(made.expose()), vec![]);
    }
    // A system that takes no symbols and at most 10 characters: the system wins.
    let narrow = PasswordRules { min_length: 6, max_length: 10, symbols: String::new(), required: Classes::default() };
    let raised = tighten_rules(&policy, &narrow);
    assert_eq!((raised.min_length, raised.required.symbols), (10, false));
    assert!(raised.validate().is_ok());
}

#[test]
fn timers_are_capped_and_never_is_refused() {
    let policy = full();
    assert_eq!(policy.auto_lock_minutes(5), 5);
    assert_eq!(policy.auto_lock_minutes(60), 10);
    assert_eq!(policy.auto_lock_minutes(0), 10, "never locking is longer than any maximum");
    assert!(policy.allows_auto_lock(10) && !policy.allows_auto_lock(0) && !policy.allows_auto_lock(11));
    assert_eq!(policy.clipboard_clear_seconds(20), 20);
    assert_eq!(policy.clipboard_clear_seconds(600), 30);
}

#[test]
fn quick_unlock_is_capped_or_refused() {
    assert_eq!(full().quick_unlock_hours(168), Some(8));
    let refused = parse("[quick_unlock]\nallowed = false\n", Path::new("p.toml")).unwrap();
    assert_eq!(refused.quick_unlock_hours(168), None);
}
