//! Common passwords, by zxcvbn's own list of the 30,000 most used ones: no list of our own to
//! ship or keep up to date.
//!
//! A password is common when zxcvbn's best explanation of the whole of it is one word of that
//! list, ignoring case (`Password1`, `iloveyou`). With look-alike characters swapped in
//! (`P@ssw0rd`) or written backwards, only the top [`TOP_FOR_VARIANTS`] count: variants of rarer
//! words are not what "common" means. A word that zxcvbn explains better by another list (the
//! name `michael`) is not reported here; it is still reported as weak.

use zxcvbn::matching::patterns::{DictionaryPattern, MatchPattern};

use super::detail::Detail;

/// The rank up to which l33t or reversed variants of a listed password count as common.
pub const TOP_FOR_VARIANTS: usize = 10_000;

pub(super) fn common(password: &str) -> Option<Detail> {
    if password.is_empty() {
        return None;
    }
    common_in(password, &zxcvbn::zxcvbn(password, &[]))
}

/// [`common`] from an analysis zxcvbn already made with the entry's own words as extra
/// dictionary. If none of those words is in its best explanation, the explanation without them
/// is the same one, so zxcvbn need not run again (it is most of the report's time).
pub(super) fn common_given(password: &str, rated: &zxcvbn::Entropy) -> Option<Detail> {
    let used_inputs = rated.sequence().iter().any(
        |m| matches!(&m.pattern, MatchPattern::Dictionary(d) if format!("{:?}", d.dictionary_name) == "UserInputs"),
    );
    if used_inputs { common(password) } else { common_in(password, rated) }
}

fn common_in(password: &str, rated: &zxcvbn::Entropy) -> Option<Detail> {
    let [only] = rated.sequence() else { return None };
    let MatchPattern::Dictionary(DictionaryPattern { dictionary_name, rank, l33t, reversed, .. }) = &only.pattern
    else {
        return None;
    };
    let whole = only.i == 0 && only.j + 1 == password.chars().count();
    // zxcvbn 3.1 does not export the type of `dictionary_name`; its name is what can be checked.
    let listed = format!("{dictionary_name:?}") == "Passwords";
    let plain_or_top = !(*l33t || *reversed) || *rank <= TOP_FOR_VARIANTS;
    (whole && listed && plain_or_top).then_some(Detail::Common { rank: *rank, l33t: *l33t, reversed: *reversed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(password: &str) -> Option<usize> {
        match common(password) {
            Some(Detail::Common { rank, .. }) => Some(rank),
            _ => None,
        }
    }

    #[test]
    fn listed_passwords_are_common_in_any_case() {
        assert_eq!(rank("password"), Some(2));
        assert_eq!(rank("PASSWORD"), Some(2));
        assert!(rank("Password1").is_some());
        assert!(rank("iloveyou").is_some());
        assert!(rank("123456789").is_some());
    }

    #[test]
    fn variants_of_top_passwords_are_common() {
        assert_eq!(common("P@ssw0rd"), Some(Detail::Common { rank: 2, l33t: true, reversed: false }));
        assert_eq!(common("drowssap"), Some(Detail::Common { rank: 2, l33t: false, reversed: true }));
    }

    #[test]
    fn longer_or_random_passwords_are_not() {
        for password in ["", "Summer2025", "password-for-the-crm", "Kx7#pQ2mLw9z", "michael"] {
            assert_eq!(common(password), None, "{password}");
        }
    }
}
