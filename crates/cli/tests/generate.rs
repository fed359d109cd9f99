//! `generate`, and the password rules an entry remembers for `--generate`.

mod common;

use common::{Sandbox, master};

#[test]
fn generate_prints_one_password_per_line_with_the_chosen_characters() {
    let sb = Sandbox::new();
    let run = sb.run(&["generate", "--length", "32", "--symbols", "_-", "--count", "50"], "").success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 50, "{run}");
    for line in &lines {
        assert_eq!(line.chars().count(), 32);
        assert!(line.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'), "{line}");
    }
    let mut unique = lines.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 50, "no repeats");
    assert!(run.stderr.contains("bits of entropy"), "{run}");
}

#[test]
fn generate_switches_kinds_off_and_leaves_out_look_alikes() {
    let sb = Sandbox::new();
    let args = ["generate", "--no-upper", "--no-symbols", "--exclude-similar", "--length", "64", "--count", "20"];
    let run = sb.run(&args, "").success();
    for line in run.stdout.lines() {
        assert!(line.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{line}");
        assert!(!line.contains(['l', '1', '0', 'o']), "{line}");
    }
}

#[test]
fn generate_makes_passphrases_from_the_wordlist() {
    let sb = Sandbox::new();
    let args = ["generate", "--passphrase", "--words", "4", "--separator", ".", "--capitalise", "--add-digit"];
    let run = sb.run(&args, "").success();
    let phrase = run.stdout.trim_end();
    let words: Vec<&str> = phrase.split('.').collect();
    assert_eq!(words.len(), 4, "{run}");
    assert!(words.iter().all(|w| w.chars().next().unwrap().is_ascii_uppercase()), "{run}");
    assert_eq!(phrase.chars().filter(char::is_ascii_digit).count(), 1, "{run}");
    assert!(run.stderr.contains("57 bits"), "4 words (51.7 bits) + a digit in one of 4 places (5.3): {run}");
}

#[test]
fn generate_refuses_bad_options_with_what_is_allowed() {
    let sb = Sandbox::new();
    sb.run(&["generate", "--length", "7"], "").failure(2).stderr_has("from 8 to 128");
    sb.run(&["generate", "--symbols", "!a"], "").failure(2).stderr_has("\"a\" is not a symbol");
    sb.run(&["generate", "--passphrase", "--words", "2"], "").failure(2).stderr_has("from 3 to 20 words");
    let none = ["generate", "--no-lower", "--no-upper", "--no-digits", "--no-symbols"];
    sb.run(&none, "").failure(2).stderr_has("at least one kind");
    sb.run(&["generate", "--words", "5"], "").failure(2);
    sb.run(&["generate", "--count", "0"], "").failure(2);
}

#[test]
fn an_entrys_rules_shape_every_generated_password_for_it() {
    let sb = Sandbox::with_vault();
    let rules = ["--max-length", "12", "--allowed-symbols", "#", "--require", "upper,digits,symbols", "--generate"];
    let id = sb.add("Old ERP", &rules, "");
    for _ in 0..5 {
        let pw = sb.on_vault("show", &[&id, "--field", "password"], &master()).success().stdout;
        let pw = pw.trim_end();
        assert_eq!(pw.chars().count(), 12, "{pw}");
        assert!(pw.chars().all(|c| c.is_ascii_alphanumeric() || c == '#'), "{pw}");
        assert!(pw.contains('#') && pw.chars().any(|c| c.is_ascii_uppercase()), "{pw}");
        sb.on_vault("edit", &[&id, "--generate"], &master()).success();
    }
    let shown = sb.on_vault("show", &[&id], &master()).success();
    assert!(
        shown.stdout.contains("Password rules: 8 to 12 characters; symbols #; needs upper, digits, symbols"),
        "{shown}"
    );
    let json = sb.on_vault("show", &[&id, "--json"], &master()).success().json();
    assert_eq!(json["rules"]["max_length"], 12);

    sb.on_vault("edit", &[&id, "--generate", "--length", "20"], &master()).failure(2).stderr_has("8 to 12 characters");
    sb.on_vault("edit", &[&id, "--min-length", "14"], &master()).failure(2).stderr_has("longer than the longest");
    sb.on_vault("edit", &[&id, "--no-rules"], &master()).success();
    let json = sb.on_vault("show", &[&id, "--json"], &master()).success().json();
    assert!(json["rules"].is_null());
}

#[test]
fn an_expiry_date_is_kept_shown_and_cleared() {
    let sb = Sandbox::with_vault();
    let id = sb.add("Partner portal", &["--expires", "2027-03-31"], "pw");
    let shown = sb.on_vault("show", &[&id], &master()).success();
    assert!(shown.stdout.contains("Expires: 2027-03-31"), "{shown}");
    sb.on_vault("edit", &[&id, "--expires", "31/03/2027"], &master()).failure(2).stderr_has("DATE");
    sb.on_vault("edit", &[&id, "--no-expiry"], &master()).success();
    assert!(sb.on_vault("show", &[&id, "--json"], &master()).success().json()["expires"].is_null());
}
