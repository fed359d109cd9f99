//! Passwords made of who someone is: their username, their name, their company.
//!
//! A password is personal when, ignoring case, it contains one of these words:
//! - the username, and for an email address the part before the `@`;
//! - the owner's name and the company's name, whole, without their spaces, and each part of them.
//!
//! Words shorter than 3 characters are ignored, as too many passwords contain them by chance;
//! except that 2 Chinese (Japanese, Korean) characters are a whole name ("李伟"), so for words
//! made only of those, 2 is enough. Chinese names without spaces cannot be split into parts
//! without a dictionary, so "纷享销客" is checked whole.

use zeroize::Zeroizing;

use super::detail::PersonalPart;

/// The words to look for, lower-cased, longest first so a finding names the most telling one.
#[derive(Debug, Clone, Default)]
pub(super) struct PersonalWords {
    words: Vec<(PersonalPart, String)>,
}

impl PersonalWords {
    /// The words of the vault's owner and company, shared by every entry.
    pub(super) fn of_owner(owner_name: &str, company: &str) -> Self {
        let mut words = PersonalWords::default();
        words.add_name(PersonalPart::OwnerName, owner_name);
        words.add_name(PersonalPart::Company, company);
        words
    }

    /// These words and an entry's username.
    pub(super) fn with_username(&self, username: &str) -> Self {
        let mut words = self.clone();
        let username = username.trim();
        words.add(PersonalPart::Username, username);
        if let Some((local, _domain)) = username.split_once('@') {
            words.add(PersonalPart::Username, local);
        }
        words
    }

    /// The longest word `password` contains, if any.
    pub(super) fn found_in(&self, password: &str) -> Option<(PersonalPart, &str)> {
        let password = Zeroizing::new(password.to_lowercase());
        self.words.iter().find(|(_, word)| password.contains(word.as_str())).map(|(part, word)| (*part, word.as_str()))
    }

    fn add_name(&mut self, part: PersonalPart, name: &str) {
        let name = name.trim();
        self.add(part, name);
        self.add(part, &name.chars().filter(|c| c.is_alphanumeric()).collect::<String>());
        for piece in name.split(|c: char| !c.is_alphanumeric()) {
            self.add(part, piece);
        }
    }

    fn add(&mut self, part: PersonalPart, word: &str) {
        let word = word.to_lowercase();
        if long_enough(&word) && !self.words.iter().any(|(_, w)| *w == word) {
            self.words.push((part, word));
            // Stable: of two words as long, the one added first (the username) is named.
            self.words.sort_by_key(|(_, w)| std::cmp::Reverse(w.chars().count()));
        }
    }
}

fn long_enough(word: &str) -> bool {
    let count = word.chars().count();
    count >= 3 || (count == 2 && word.chars().all(is_ideograph_or_syllable))
}

/// CJK ideographs and Hangul syllables: each one is a syllable of a name.
fn is_ideograph_or_syllable(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'     // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{20000}'..='\u{3134F}' // CJK Extensions B to G
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(owner: &str, company: &str, username: &str) -> PersonalWords {
        PersonalWords::of_owner(owner, company).with_username(username)
    }

    #[test]
    fn usernames_and_the_part_before_the_at_are_found_ignoring_case() {
        let w = words("", "", "li.wei@example.com");
        assert_eq!(w.found_in("Li.Wei2026!"), Some((PersonalPart::Username, "li.wei")));
        assert_eq!(w.found_in("xx-LI.WEI@EXAMPLE.COM"), Some((PersonalPart::Username, "li.wei@example.com")));
        assert_eq!(w.found_in("Wei-Li-2026"), None, "pieces of a username are not words of their own");
        assert_eq!(words("", "", "zhang").found_in("ZHANG-2026"), Some((PersonalPart::Username, "zhang")));
    }

    #[test]
    fn name_parts_count_from_three_characters() {
        let w = words("Li Weiliang", "Acme Trading Co", "");
        assert_eq!(w.found_in("weiliang#88"), Some((PersonalPart::OwnerName, "weiliang")));
        assert_eq!(w.found_in("LiWeiliang"), Some((PersonalPart::OwnerName, "liweiliang")));
        assert_eq!(w.found_in("ilikepie-li"), None, "\"Li\" alone is too short to mean anything");
        assert_eq!(w.found_in("Trading2026!"), Some((PersonalPart::Company, "trading")));
        assert_eq!(w.found_in("ACME-ACME"), Some((PersonalPart::Company, "acme")));
        assert_eq!(w.found_in("Cobalt-River-Stone"), None, "\"Co\" is too short");
    }

    #[test]
    fn chinese_names_are_matched_on_their_characters() {
        let w = words("李伟", "纷享销客", "");
        assert_eq!(w.found_in("纷享销客2026"), Some((PersonalPart::Company, "纷享销客")));
        assert_eq!(w.found_in("我是李伟!"), Some((PersonalPart::OwnerName, "李伟")));
        assert_eq!(w.found_in("纷享2026"), None, "only the whole company name is known");
        assert_eq!(words("李", "", "").found_in("李2026"), None, "one character is too little");
    }

    #[test]
    fn empty_settings_find_nothing() {
        assert_eq!(words("", "", "").found_in("anything"), None);
        assert_eq!(words("  ", " - ", "").found_in(" - "), None);
    }
}
