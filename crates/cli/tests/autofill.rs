//! An entry's login window and auto-type settings on the command line: `add` and `edit` take
//! them, `show` prints them, mistakes are refused before the vault is touched.

mod common;

use common::{Sandbox, master};
use serde_json::json;

#[test]
fn sites_sequence_and_window_patterns_are_kept_shown_and_cleared() {
    let sb = Sandbox::with_vault();
    let id = sb.add(
        "CRM",
        &[
            "--url",
            "https://crm.example.com/login",
            "--also-fill-on",
            "SSO.example.com/auth",
            "--also-fill-on",
            "http://127.0.0.1:8081",
            "--autotype",
            "{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}",
            "--autotype-window",
            "*纷享销客*",
        ],
        "pw",
    );
    let shown = sb.on_vault("show", &[&id], &master()).success();
    assert!(shown.stdout.contains("Also fill on: https://sso.example.com http://127.0.0.1:8081\n"), "{shown}");
    assert!(shown.stdout.contains("Auto-type: {USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}\n"), "{shown}");
    assert!(shown.stdout.contains("Auto-type windows: *纷享销客*\n"), "{shown}");
    let json = sb.show_json(&id, false);
    assert_eq!(json["also_fill_on"], json!(["https://sso.example.com", "http://127.0.0.1:8081"]));
    assert_eq!(json["autotype_windows"], json!(["*纷享销客*"]));

    // Given again, a list is replaced; options not given leave the rest alone.
    sb.on_vault("edit", &[&id, "--autotype-window", "Login - *", "--autotype-window", "//^登录//"], &master())
        .success();
    let json = sb.show_json(&id, false);
    assert_eq!(json["autotype_windows"], json!(["Login - *", "//^登录//"]));
    assert_eq!(json["autotype_sequence"], "{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}");

    sb.on_vault("edit", &[&id, "--no-also-fill-on", "--default-autotype", "--no-autotype-windows"], &master())
        .success();
    let json = sb.show_json(&id, false);
    assert_eq!((&json["also_fill_on"], &json["autotype_windows"]), (&json!([]), &json!([])));
    assert!(json["autotype_sequence"].is_null());
    let shown = sb.on_vault("show", &[&id], &master()).success();
    assert!(!shown.stdout.contains("Auto-type") && !shown.stdout.contains("Also fill on"), "{shown}");
}

#[test]
fn a_malformed_sequence_is_refused_with_its_position_and_nothing_changes() {
    let sb = Sandbox::with_vault();
    let id = sb.add("CRM", &[], "pw");
    let before = sb.vault_bytes();
    let run = sb.on_vault("edit", &[&id, "--autotype", "{USERNAME}{TAB}{PASSWROD}{ENTER}"], &master()).failure(2);
    assert!(run.stderr.contains("--autotype: unknown placeholder {PASSWROD} at character 16"), "{run}");
    sb.on_vault("add", &["--title", "ERP", "--autotype", "{USERNAME}{TAB"], &master())
        .failure(2)
        .stderr_has("at character 11");
    sb.on_vault("add", &["--title", "ERP", "--also-fill-on", "ftp://files.example.com"], &master())
        .failure(2)
        .stderr_has("\"ftp://files.example.com\" is not a web site's address");
    sb.on_vault("edit", &[&id, "--autotype-window", "//(unclosed//"], &master())
        .failure(2)
        .stderr_has("not a valid regular expression");
    assert_eq!(sb.vault_bytes(), before, "nothing was saved");
    assert_eq!(sb.titles(), ["CRM"]);
}

#[test]
fn the_clearing_options_cannot_be_given_with_a_new_value() {
    let sb = Sandbox::with_vault();
    let id = sb.add("CRM", &[], "pw");
    sb.on_vault("edit", &[&id, "--default-autotype", "--autotype", "{PASSWORD}"], &master()).failure(2);
    sb.on_vault("edit", &[&id, "--no-also-fill-on", "--also-fill-on", "sso.example.com"], &master()).failure(2);
}
