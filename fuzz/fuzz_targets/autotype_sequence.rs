//! Any text as an auto-type sequence typed into an entry: `autofill::sequence::parse`. What
//! parses must write back to a sequence that parses to the same actions and resolve against an
//! entry without panicking; what does not must say where, inside the sequence.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vault::SecretText;
use vault::autofill::sequence::{self, EntryValues};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match sequence::parse(text) {
        Ok(actions) => {
            let written = sequence::to_sequence(&actions);
            let again = sequence::parse(&written).expect("a written sequence parses");
            assert_eq!(again, actions, "the sequence does not round-trip: {written}");
            let values = EntryValues {
                password: SecretText::new("pw\nline\ttab"),
                totp_code: Some(SecretText::new("123456")),
                fields: [("Security answer".to_owned(), SecretText::new("blue"))].into(),
                ..EntryValues::default()
            };
            let _ = sequence::resolve(&actions, &values);
        }
        Err(err) => {
            let position = err.position();
            assert!((1..=text.chars().count()).contains(&position), "{err} outside {text:?}");
            assert!(err.to_string().contains(&position.to_string()));
        }
    }
});
