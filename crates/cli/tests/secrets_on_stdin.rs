//! Secrets reach the CLI only through standard input (or the terminal), never as arguments:
//! arguments are readable by every user of the computer in the process list while the command
//! runs, and the shell keeps them in its history. These tests give TOTP links and custom field
//! values the way the help says, check they arrive, and check that no message, hint or help
//! text asks for a secret as an argument or repeats one back.

mod common;

use common::{MASTER, Sandbox, master};
use serde_json::json;

/// RFC 6238's SHA1 test secret.
const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PIN: &str = "pin-4711-geheim";
const RECOVERY: &str = "recovery-Zq8-秘密";

fn totp_link() -> String {
    format!("otpauth://totp/ACME:li.wei?secret={TOTP_SECRET}&issuer=ACME&digits=8")
}

/// Standard input: one line per secret, in the documented order.
fn lines(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[track_caller]
fn assert_no_secret_in_arguments(args: &[String]) {
    for secret in [TOTP_SECRET, PIN, RECOVERY] {
        assert!(!args.iter().any(|a| a.contains(secret)), "a secret was an argument: {args:?}");
    }
}

/// `add --totp - --field-stdin PIN --field-stdin "Recovery code" --hidden`: the master password,
/// the entry's password, the TOTP link, then the fields in the order of the options.
#[test]
fn add_reads_the_totp_link_and_hidden_fields_from_standard_input_in_order() {
    let sb = Sandbox::with_vault();
    let link = totp_link();
    let stdin = lines(&[MASTER, "entry-pw", &link, PIN, RECOVERY]);
    let args = [
        "--title",
        "ERP",
        "--totp",
        "-",
        "--field",
        "Employee ID=E-17",
        "--field-stdin",
        "PIN",
        "--field-stdin",
        "Recovery code",
        "--hidden",
    ];
    let run = sb.on_vault("add", &args, &stdin).success();
    assert_no_secret_in_arguments(&run.args);
    assert!(!run.all_output().contains(TOTP_SECRET), "{run}");

    assert_eq!(sb.field("ERP", "password"), "entry-pw");
    assert_eq!(sb.field("ERP", "PIN"), PIN);
    assert_eq!(sb.field("ERP", "Recovery code"), RECOVERY);
    // RFC 6238 Appendix B, SHA1, 8 digits.
    assert_eq!(sb.on_vault("totp", &["ERP", "--at", "59"], &master()).success().stdout, "94287082\n");
    let masked = sb.show_json("ERP", false);
    assert_eq!(
        masked["fields"],
        json!([
            {"name": "Employee ID", "value": "E-17", "hidden": false},
            {"name": "PIN", "value": null, "hidden": true},
            {"name": "Recovery code", "value": null, "hidden": true},
        ]),
        "{masked}"
    );
    let shown = sb.on_vault("show", &["ERP"], &master()).success();
    assert!(!shown.stdout.contains(PIN) && !shown.stdout.contains(RECOVERY), "{shown}");
}

/// `--generate` takes no entry password, so the TOTP link is line 2.
#[test]
fn a_generated_password_leaves_line_2_to_the_totp_link() {
    let sb = Sandbox::with_vault();
    sb.on_vault("add", &["--title", "CRM", "--generate", "--totp", "-"], &lines(&[MASTER, &totp_link()])).success();
    assert_eq!(sb.on_vault("totp", &["CRM", "--at", "59"], &master()).success().stdout, "94287082\n");
}

/// `edit`: line 2 is the new password only with --password-stdin; then the link, then fields.
#[test]
fn edit_reads_the_totp_link_and_fields_after_the_optional_password() {
    let sb = Sandbox::with_vault();
    sb.add("ERP", &["--field", "PIN=0000"], "old-pw");

    let run = sb.on_vault(
        "edit",
        &["ERP", "--password-stdin", "--totp", "-", "--field-stdin", "PIN", "--hidden"],
        &lines(&[MASTER, "new-pw", &totp_link(), PIN]),
    );
    assert_no_secret_in_arguments(&run.success().args);
    assert_eq!(sb.field("ERP", "password"), "new-pw");
    assert_eq!(sb.field("ERP", "PIN"), PIN);
    assert_eq!(sb.show_json("ERP", false)["fields"], json!([{"name": "PIN", "value": null, "hidden": true}]));
    assert_eq!(sb.on_vault("totp", &["ERP", "--at", "59"], &master()).success().stdout, "94287082\n");

    // Without --password-stdin the link is line 2; a field keeps its hidden flag without --hidden.
    let steam = "otpauth://totp/Steam:gamer?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&encoder=steam";
    sb.on_vault("edit", &["ERP", "--totp", "-", "--field-stdin", "PIN"], &lines(&[MASTER, steam, RECOVERY])).success();
    assert_eq!(sb.field("ERP", "password"), "new-pw");
    assert_eq!(sb.field("ERP", "PIN"), RECOVERY);
    assert_eq!(sb.show_json("ERP", false)["fields"][0]["hidden"], json!(true));
    assert_eq!(sb.on_vault("totp", &["ERP", "--at", "1511200518"], &master()).success().stdout, "FR8RV\n");
}

/// A missing line is a usage error that names the line, and nothing is saved.
#[test]
fn a_missing_line_is_named_and_nothing_is_saved() {
    let sb = Sandbox::with_vault();
    sb.add("ERP", &[], "pw");
    let before = sb.vault_bytes();
    sb.on_vault("edit", &["ERP", "--totp", "-"], &master()).failure(2).stderr_has("line 2");
    sb.on_vault("edit", &["ERP", "--totp", "-", "--field-stdin", "PIN"], &lines(&[MASTER, &totp_link()]))
        .failure(2)
        .stderr_has("--field-stdin PIN")
        .stderr_has("line 3");
    sb.on_vault("add", &["--title", "X", "--totp", "-"], &lines(&[MASTER, "pw"])).failure(2).stderr_has("line 3");
    sb.on_vault("add", &["--title", "X", "--hidden"], &lines(&[MASTER, "pw"])).failure(2).stderr_has("--field-stdin");
    sb.on_vault("add", &["--title", "X", "--field", "PIN=1", "--field-stdin", "pin"], &lines(&[MASTER, "pw", PIN]))
        .failure(2)
        .stderr_has("more than once");
    assert_eq!(sb.vault_bytes(), before);
}

/// A user who types `--field pin:4711` (a colon instead of `=`) must not find the value in the
/// error: neither our message nor clap's (clap quotes a value its parser refuses).
#[test]
fn a_malformed_field_is_refused_without_echoing_it() {
    let sb = Sandbox::with_vault();
    let before = sb.vault_bytes();
    for bad in [format!("pin:{PIN}"), format!("={PIN}")] {
        let run = sb.on_vault("add", &["--title", "X", "--field", &bad], &lines(&[MASTER, "pw"])).failure(2);
        assert!(run.stderr.contains("NAME=VALUE"), "{run}");
        assert!(!run.stderr.contains(PIN), "the error repeats the value\n{run}");
        let run = sb.on_vault("edit", &["X", "--field", &bad], &master()).failure(2);
        assert!(!run.stderr.contains(PIN), "the error repeats the value\n{run}");
    }
    assert_eq!(sb.vault_bytes(), before);
}

/// Every hint and help text that mentions a TOTP setup points to `-` and standard input; none
/// shows a link or key as an argument.
#[test]
fn no_hint_or_help_asks_for_a_secret_as_an_argument() {
    let sb = Sandbox::with_vault();
    sb.add("Intranet", &[], "pw");
    let mut outputs = vec![
        sb.on_vault("totp", &["Intranet"], &master()).failure(5).stderr_has("--totp -").all_output(),
        sb.run(&["totp"], "").failure(2).all_output(),
    ];
    for command in [&[][..], &["add"], &["edit"], &["totp"]] {
        let mut args = command.to_vec();
        args.push("--help");
        outputs.push(sb.run(&args, "").success().all_output());
    }
    assert!(outputs[2].contains("in this order"), "the main help documents the order of the lines\n{}", outputs[2]);
    for text in &outputs {
        for asks in ["--totp '", "--totp \"", "--totp otpauth", "--uri '", "--uri \"", "--uri otpauth", "=SECRET"] {
            assert!(!text.contains(asks), "{asks}\n{text}");
        }
    }
}

/// A link still given as an argument (old scripts) works, with a note saying why not to.
#[test]
fn a_link_given_as_an_argument_works_with_a_note() {
    let sb = Sandbox::with_vault();
    let link = totp_link();
    let run = sb.on_vault("add", &["--title", "Old script", "--totp", &link], &lines(&[MASTER, "pw"])).success();
    assert!(run.stderr.contains("--totp -") && run.stderr.contains("history"), "{run}");
    let run = sb.run(&["totp", "--uri", &link, "--at", "59"], "").success();
    assert_eq!(run.stdout, "94287082\n");
    assert!(run.stderr.contains("--uri -"), "{run}");
}
