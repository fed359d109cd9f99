//! Passwords "changed" by bumping a counter: `Summer2025` then `Summer2026`. Whoever learnt the
//! old one guesses the new one in a few tries, so the change bought nothing.
//!
//! The definition: split each password into runs of ASCII digits and the text between them. The
//! new password is incremental on the old one when
//! - the text between the digit runs is the same, ignoring letter case, and
//! - each digit run is unchanged, or changed by a small step: its number moved by at most
//!   [`MAX_STEP`] (`9` -> `10`, `2019` -> `2025`, `01` -> `12`), or it kept its length and at most
//!   [`MAX_CHANGED_DIGITS`] of its digits changed (`4821` -> `4831`). A run that appears or
//!   disappears counts as moving from or to 0 (`Password` -> `Password1`).
//!
//! So a password that is exactly an earlier one, or differs only in letter case, is incremental
//! too: going back to an old password is the extreme case of changing nothing. Digits replaced
//! wholesale (`Acme#4821` -> `Acme#9374`) or different text are not.

use zeroize::Zeroizing;

/// The largest change of a number that still looks like a counter being bumped.
pub const MAX_STEP: u64 = 12;
/// The most digits of a run that may change for it to still look like the same number.
pub const MAX_CHANGED_DIGITS: usize = 2;

/// Is `new` `old` with a counter bumped (or `old` itself)? Empty passwords are never compared.
pub fn is_incremental(new: &str, old: &str) -> bool {
    if new.is_empty() || old.is_empty() {
        return false;
    }
    let (new, old) = (Zeroizing::new(new.to_lowercase()), Zeroizing::new(old.to_lowercase()));
    let (new, old) = (Shape::of(&new), Shape::of(&old));
    new.texts == old.texts && new.digits.iter().zip(&old.digits).all(|(a, b)| small_step(a, b))
}

/// A password as the text between its digit runs, and the digit run (possibly empty) in each
/// slot around that text: before the first text, between texts, after the last.
#[derive(Debug)]
struct Shape<'p> {
    texts: Vec<&'p str>,
    digits: Vec<&'p str>,
}

impl<'p> Shape<'p> {
    fn of(password: &'p str) -> Self {
        let mut shape = Shape { texts: Vec::new(), digits: vec![""] };
        let mut rest = password;
        while let Some(first) = rest.chars().next() {
            let digit = first.is_ascii_digit();
            let end = rest.find(|c: char| c.is_ascii_digit() != digit).unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            if digit {
                *shape.digits.last_mut().expect("never empty") = run;
            } else {
                shape.texts.push(run);
                shape.digits.push("");
            }
            rest = tail;
        }
        shape
    }
}

fn small_step(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let close_numbers = match (number(a), number(b)) {
        (Some(x), Some(y)) => x.abs_diff(y) <= MAX_STEP,
        _ => false,
    };
    let few_digits =
        a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() <= MAX_CHANGED_DIGITS;
    close_numbers || few_digits
}

/// The number a digit run spells; an absent run is 0. `None` for runs too long to be a counter.
fn number(run: &str) -> Option<u64> {
    if run.is_empty() { Some(0) } else { run.parse().ok() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_years_bumped_are_incremental() {
        for (old, new) in [
            ("Password1!", "Password2!"),
            ("Summer2025", "Summer2026"),
            ("Welcome01", "Welcome02"),
            ("Password9", "Password10"),
            ("Q1-report-2025", "Q2-report-2025"),
            ("Q4-report-2025", "Q1-report-2026"),
            ("Summer2019", "summer2025"),
            ("Acme#4821", "Acme#4831"),
            ("Password", "Password1"),
            ("123456", "123457"),
            ("2025!Spring", "2026!Spring"),
        ] {
            assert!(is_incremental(new, old), "{old} -> {new}");
        }
    }

    #[test]
    fn the_same_password_again_is_incremental() {
        assert!(is_incremental("Kx7#pQ2mLw9z", "Kx7#pQ2mLw9z"));
        assert!(is_incremental("PASSWORD1", "password1"), "only the case changed");
    }

    #[test]
    fn different_passwords_are_not() {
        for (old, new) in [
            ("Summer2025", "Winter2025"),
            ("Acme#4821", "Acme#9374"),
            ("Password", "Password2024"),
            ("Kx7#pQ2mLw9z", "Rt4$wQ8nLp3y"),
            ("abc123", "abc123x"),
            ("483920", "157366"),
            ("Password1!", "Password1?"),
            ("Welcome01", "Welcome0l"),
            ("a1b", "a1c"),
        ] {
            assert!(!is_incremental(new, old), "{old} -> {new}");
        }
    }

    #[test]
    fn empty_and_huge_digit_runs_are_handled() {
        assert!(!is_incremental("", ""));
        assert!(!is_incremental("1", ""));
        let long_a = "x".to_owned() + &"9".repeat(40);
        let long_b = "x".to_owned() + &"1".repeat(40);
        assert!(!is_incremental(&long_a, &long_b));
        let one_digit_changed = "x".to_owned() + &"9".repeat(39) + "8";
        assert!(is_incremental(&long_a, &one_digit_changed));
    }

    #[test]
    fn digits_other_than_ascii_are_text() {
        assert!(!is_incremental("密码１", "密码２"), "full-width digits are not counted as a counter");
        assert!(is_incremental("密码2026", "密码2025"));
    }
}
