//! `crm-vault totp`: the bare code on standard output for an entry or a link, clear errors, and
//! the secret never printed.
//!
//! Every test here needs the `totp` subcommand wired in args.rs and commands/mod.rs
//! (`crm-vault totp VAULT ENTRY [--at UNIX_SECONDS]`, `crm-vault totp --uri URI [--at ...]`);
//! entries get their TOTP from `add --totp URI`.

mod common;

use common::{Sandbox, master, master_and};

/// RFC 6238's SHA1 seed "12345678901234567890" in base32.
const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// KeePassXC's Steam test secret (codes from the Steam app, see crates/vault/tests/totp.rs).
const STEAM_SECRET: &str = "63BEDWCQZKTQWPESARIERL5DTTQFCJTK";

fn rfc_link(digits: u8) -> String {
    format!("otpauth://totp/ACME%20Co:li.wei@example.com?secret={RFC_SECRET}&issuer=ACME%20Co&digits={digits}")
}

/// A vault with a TOTP entry (RFC 6238, 8 digits), a Steam one, a bare-key one and one without.
fn vault_with_totp() -> Sandbox {
    let sb = Sandbox::with_vault();
    sb.add("ACME CRM", &["--username", "li.wei", "--totp", &rfc_link(8)], "pw-acme");
    let steam = format!("otpauth://totp/Steam:gamer?secret={STEAM_SECRET}&issuer=Steam&encoder=steam");
    sb.add("Steam", &["--totp", &steam], "pw-steam");
    sb.add("Mail", &["--totp", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq"], "pw-mail");
    sb.add("Intranet", &["--username", "li.wei"], "pw-intranet");
    sb
}

#[track_caller]
fn assert_secret_not_printed(run: &common::Run) {
    let all = run.all_output();
    for secret in [RFC_SECRET, STEAM_SECRET, "gezd gnbv", "pw-acme"] {
        assert!(!all.contains(secret), "the output shows a secret ({secret})\n{run}");
    }
}

#[test]
fn prints_the_bare_code_of_an_entry() {
    let sb = vault_with_totp();
    // RFC 6238 Appendix B, SHA1.
    for (at, code) in [("59", "94287082"), ("1111111109", "07081804"), ("20000000000", "65353130")] {
        let run = sb.on_vault("totp", &["ACME CRM", "--at", at], &master()).success();
        assert_eq!(run.stdout, format!("{code}\n"), "{run}");
        assert_secret_not_printed(&run);
    }
    // By a word of the title, and by id.
    assert_eq!(sb.on_vault("totp", &["acme", "--at", "59"], &master()).success().stdout, "94287082\n");
    let id = sb.ids()[0].clone();
    assert_eq!(sb.on_vault("totp", &[&id, "--at", "59"], &master()).success().stdout, "94287082\n");
}

#[test]
fn steam_and_bare_keys() {
    let sb = vault_with_totp();
    let run = sb.on_vault("totp", &["Steam", "--at", "1511200518"], &master()).success();
    assert_eq!(run.stdout, "FR8RV\n");
    assert_secret_not_printed(&run);
    // A bare key is a 6-digit SHA1 TOTP: the last six digits of RFC 6238's 8.
    assert_eq!(sb.on_vault("totp", &["Mail", "--at", "59"], &master()).success().stdout, "287082\n");
}

#[test]
fn now_by_default_with_the_time_left_on_stderr() {
    let sb = vault_with_totp();
    let run = sb.on_vault("totp", &["ACME CRM"], &master()).success();
    let code = run.stdout.strip_suffix('\n').unwrap_or_else(|| panic!("one line\n{run}"));
    assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "{run}");
    assert!(run.stderr.contains("more second"), "{run}");
    assert_secret_not_printed(&run);
}

#[test]
fn an_entry_without_totp_says_how_to_add_one() {
    let sb = vault_with_totp();
    sb.on_vault("totp", &["Intranet"], &master()).failure(5).stderr_has("has no TOTP secret").stderr_has("--totp");
}

#[test]
fn a_broken_stored_link_is_explained_without_the_secret() {
    let sb = Sandbox::with_vault();
    let hotp = format!("otpauth://hotp/ACME:li?secret={RFC_SECRET}&counter=1");
    // `add` refuses the link at once...
    let refused = sb.on_vault("add", &["--title", "Old token", "--totp", &hotp], &master_and("pw"));
    assert_secret_not_printed(&refused.failure(2).stderr_has("counter-based"));
    // ...but an import keeps what the other manager had, and `totp` explains it later.
    let csv = sb.path("export.csv");
    std::fs::write(&csv, format!("title,username,password,totp\nOld token,li,pw,{hotp}\n")).unwrap();
    sb.on_vault("import", &[csv.to_str().unwrap()], &master()).success();
    let run = sb.on_vault("totp", &["Old token"], &master()).failure(1).stderr_has("counter-based");
    assert_secret_not_printed(&run);
}

#[test]
fn vault_errors_keep_their_exit_codes() {
    let sb = vault_with_totp();
    sb.on_vault("totp", &["ACME CRM"], "wrong password\n").failure(3);
    sb.on_vault("totp", &["Nothing like it"], &master()).failure(5);
}

#[test]
fn a_link_given_directly() {
    let sb = Sandbox::new();
    let link = rfc_link(8);
    let run = sb.run(&["totp", "--uri", &link, "--at", "1234567890"], "").success();
    assert_eq!(run.stdout, "89005924\n");
    // `-` reads the link from standard input, keeping it out of the process list.
    let run = sb.run(&["totp", "--uri", "-", "--at", "1234567890"], &format!("{}\n", rfc_link(6))).success();
    assert_eq!(run.stdout, "005924\n");
    assert_secret_not_printed(&run);
    let run = sb.run(&["totp", "--uri", STEAM_SECRET, "--at", "59"], "").success();
    assert_eq!(run.stdout.len(), 7, "a bare key gives 6 digits\n{run}");
}

#[test]
fn a_bad_link_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.run(&["totp", "--uri", "https://example.com/2fa"], "").failure(2).stderr_has("not an otpauth:// link");
    let run = sb
        .run(&["totp", "--uri", &format!("otpauth://totp/x?secret={RFC_SECRET}&digits=12")], "")
        .failure(2)
        .stderr_has("digits must be 6 to 8");
    assert_secret_not_printed(&run);
    sb.run(&["totp", "--uri", "otpauth://totp/x?secret=NOT-BASE32-0189"], "").failure(2).stderr_has("base32");
    sb.run(&["totp", "--uri", "-"], "\n").failure(2);
}

#[test]
fn either_an_entry_or_a_link() {
    let sb = vault_with_totp();
    sb.run(&["totp"], "").failure(2);
    sb.run(&["totp", sb.vault_str()], &master()).failure(2);
    sb.run(&["totp", sb.vault_str(), "ACME CRM", "--uri", &rfc_link(6)], &master_and("x")).failure(2);
    sb.run(&["totp", "--uri", &rfc_link(6), "--at", "soon"], "").failure(2);
}
