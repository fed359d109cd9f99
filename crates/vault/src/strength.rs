//! How hard a password is to guess, by zxcvbn, with feedback as codes the UI translates.

use serde::Serialize;

/// zxcvbn's verdict. `score` is 0 (guessed at once) to 4 (very hard); the feedback strings are
/// stable kebab-case codes (`this-is-a-top10-password`), so each UI language words them itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strength {
    pub score: u8,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

/// Rates `password`. `user_inputs` are words an attacker would try first for this person or
/// entry (their name, the username, the system's title and host): passwords made of them score low.
pub fn strength(password: &str, user_inputs: &[&str]) -> Strength {
    rate(password, user_inputs).0
}

/// [`strength`], and zxcvbn's whole analysis for checks that look at how it explained the
/// password (the security report's common-password check), so zxcvbn runs once.
pub fn rate(password: &str, user_inputs: &[&str]) -> (Strength, zxcvbn::Entropy) {
    let inputs: Vec<String> = user_inputs.iter().flat_map(|s| words(s)).collect();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let rated = zxcvbn::zxcvbn(password, &inputs);
    let feedback = rated.feedback();
    let strength = Strength {
        score: u8::from(rated.score()),
        warning: feedback.and_then(|f| f.warning()).map(|w| code(&format!("{w:?}"))),
        suggestions: feedback
            .map(|f| f.suggestions().iter().map(|s| code(&format!("{s:?}"))).collect())
            .unwrap_or_default(),
    };
    (strength, rated)
}

/// Splits "li.wei@example.com" into the pieces someone would reuse: "li", "wei", "example".
fn words(input: &str) -> Vec<String> {
    let mut out = vec![input.to_lowercase()];
    out.extend(input.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase));
    out
}

/// `ThisIsATop10Password` -> `this-is-a-top10-password`.
fn code(variant: &str) -> String {
    let mut out = String::new();
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_score_low_and_say_why() {
        let weak = strength("password1", &[]);
        assert!(weak.score <= 1, "{weak:?}");
        assert!(weak.warning.is_some());
        assert!(weak.warning.unwrap().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    }

    #[test]
    fn long_random_passwords_score_high() {
        assert_eq!(strength("vR7#qLw9!zTn2$Kp", &[]).score, 4);
    }

    #[test]
    fn personal_words_lower_the_score() {
        let plain = strength("Weiliang2026", &[]);
        let personal = strength("Weiliang2026", &["wei.liang@example.com", "Weiliang"]);
        assert!(personal.score < plain.score || personal.score <= 1, "{plain:?} vs {personal:?}");
    }

    #[test]
    fn codes_are_kebab_case() {
        assert_eq!(code("ThisIsATop10Password"), "this-is-a-top10-password");
    }
}
