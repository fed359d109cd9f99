//! Any text as the company policy file IT places (`/etc/crm-vault/policy.toml`): it parses
//! whole or is refused with a line and column inside the text, never half-applied. A policy that
//! parses is used as the app uses it: generating passwords under it gives ones it accepts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use vault::company::{self, PolicyError};
use vault::generate::{CharacterRecipe, PassphraseRecipe, Recipe};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match company::parse(text, Path::new("/etc/crm-vault/policy.toml")) {
        Ok(policy) => {
            let _ = (policy.required_kinds(), policy.auto_lock_minutes(0), policy.clipboard_clear_seconds(600));
            let _ = policy.quick_unlock_hours(24);
            for recipe in [Recipe::Characters(CharacterRecipe::default()), Recipe::Passphrase(PassphraseRecipe::default())] {
                if let Ok(made) = company::generate_under(Some(&policy), &recipe) {
                    let password = made.password.expose();
                    assert!(policy.check(password).is_none(), "the generator made a password its policy refuses");
                }
            }
        }
        Err(PolicyError::Malformed { line, column, message, .. }) => {
            assert!(line >= 1 && column >= 1, "the position is counted from 1");
            assert!(line <= text.lines().count().max(1) + 1, "line {line} is past the end of the text");
            assert!(!message.is_empty());
        }
        Err(PolicyError::Unreadable { .. }) => panic!("text already read cannot be unreadable"),
        Err(other) => assert!(!other.to_string().is_empty()),
    }
});
