//! `crm-vault export` and importing exports back: KeePass KDBX and our encrypted JSON keep
//! everything, CSV only on confirmation and readable by its owner alone; file passwords on line 2,
//! wrong ones refused with the vault unchanged; every export in the activity log.

mod common;

use common::{Sandbox, master, master_and};
use std::path::Path;

/// A vault with two entries: one with a history (its password changed), tags, a custom field,
/// TOTP and Chinese text.
fn filled() -> Sandbox {
    let sb = Sandbox::with_vault();
    let totp = "otpauth://totp/CRM:li?secret=JBSWY3DPEHPK3PXP&issuer=CRM";
    sb.on_vault(
        "add",
        &[
            "--title",
            "纷享销客 CRM",
            "--username",
            "li.wei",
            "--url",
            "https://crm.example.cn",
            "--tag",
            "Sales/国内CRM",
            "--field",
            "工号=A-1023",
            "--totp",
            "-",
            "--notes",
            "客户 😀",
        ],
        &format!("{}\nfirst-Pw-1\n{totp}\n", common::MASTER),
    )
    .success();
    sb.on_vault("edit", &["纷享销客", "--password-stdin"], &master_and("second-Pw-2")).success();
    sb.add("Mail", &["--username", "li@example.com", "--url", "https://mail.example.com"], "mail-Pw-3");
    sb
}

fn export(sb: &Sandbox, format: &str, out: &Path, extra: &[&str], stdin: &str) -> common::Run {
    let mut args = vec!["--format", format, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    sb.on_vault("export", &args, stdin)
}

/// A second vault in the same sandbox, empty, to import into.
fn other_vault(sb: &Sandbox) -> String {
    let path = sb.path("other.crmvault");
    sb.init_at(&path, common::MASTER).success();
    path.to_str().unwrap().to_owned()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_csv_export_needs_the_confirmation_and_is_readable_by_its_owner_only() {
    let sb = filled();
    let out = sb.path("plain.csv");
    export(&sb, "csv", &out, &[], &master()).failure(2).stderr_has("--plain-text-ok");
    assert!(!out.exists(), "nothing is written without the confirmation");
    export(&sb, "csv", &out, &["--plain-text-ok"], &master()).success().stdout_has("Exported 2 entries");
    assert_eq!(mode(&out), 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with(
            "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp"
        ),
        "{text}"
    );
    assert!(text.contains("纷享销客 CRM") && text.contains("second-Pw-2") && text.contains("mail-Pw-3"), "{text}");
    // An export never replaces a file.
    export(&sb, "csv", &out, &["--plain-text-ok"], &master()).failure(1).stderr_has("exists already");
    let log = sb.on_vault("log", &["--kind", "export", "--json"], &master()).success().json();
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert!(log[0]["detail"].as_str().unwrap().contains("CSV"), "{log}");
}

#[test]
fn an_encrypted_json_export_comes_back_whole_and_a_second_import_adds_nothing() {
    let sb = filled();
    let out = sb.path("vault-export.json");
    export(&sb, "json", &out, &[], &master_and("export-pass-9")).success();
    assert_eq!(mode(&out), 0o600);
    assert!(!std::fs::read_to_string(&out).unwrap().contains("second-Pw-2"), "the export is encrypted");
    let other = other_vault(&sb);
    let file = out.to_str().unwrap();
    // The wrong password: exit 11, nothing changed.
    let before = std::fs::read(&other).unwrap();
    let run = sb.run(&["import", &other, file], &master_and("not-it")).failure(11);
    assert!(run.stderr.contains("does not open this file") && run.stderr.contains("not changed"), "{run}");
    assert_eq!(std::fs::read(&other).unwrap(), before);
    sb.run(&["import", &other, file], &master_and("export-pass-9")).success().stdout_has("Imported 2 entries");
    let shown = sb.run(&["show", &other, "纷享销客", "--json", "--show-secrets"], &master()).success().json();
    assert_eq!(shown["password"], "second-Pw-2", "{shown}");
    assert_eq!(shown["username"], "li.wei");
    let history = sb.run(&["show", &other, "纷享销客", "--json", "--show-secrets"], &master()).success().stdout;
    assert!(history.contains("first-Pw-1"), "the earlier password came along: {history}");
    let again = sb.run(&["import", &other, file], &master_and("export-pass-9")).success();
    assert!(again.stdout.contains("Imported 0 entries") && again.stdout.contains("already in the vault"), "{again}");
    assert_eq!(sb.run(&["ls", &other, "--json"], &master()).success().json().as_array().unwrap().len(), 2);
}

#[test]
fn a_kdbx_export_imports_back_with_its_password_and_refuses_without_it() {
    let sb = filled();
    let out = sb.path("export.kdbx");
    export(&sb, "kdbx", &out, &[], &master()).failure(2).stderr_has("no password for the export");
    assert!(!out.exists());
    export(&sb, "kdbx", &out, &[], &master_and("kdbx-pass-7")).success().stdout_has("KeePass");
    assert_eq!(mode(&out), 0o600);
    let other = other_vault(&sb);
    let file = out.to_str().unwrap();
    sb.run(&["import", &other, file], &master()).failure(11).stderr_has("protected by a password");
    sb.run(&["import", &other, file], &master_and("wrong")).failure(11);
    let run = sb.run(&["import", &other, file], &master_and("kdbx-pass-7")).success();
    assert!(run.stdout.contains("Imported 2 entries") && run.stdout.contains("KDBX 4"), "{run}");
    let shown = sb.run(&["show", &other, "纷享销客", "--json", "--show-secrets"], &master()).success().json();
    assert_eq!(shown["password"], "second-Pw-2", "{shown}");
    assert_eq!(shown["notes"], "客户 😀");
    let text = shown.to_string();
    assert!(text.contains("A-1023") && text.contains("JBSWY3DPEHPK3PXP"), "{text}");
    // Importing the export into the vault it came from finds every entry there already.
    let back = sb.on_vault("import", &[file], &master_and("kdbx-pass-7")).success();
    assert!(back.stdout.contains("Imported 0 entries") && back.stdout.contains("2 entries were already"), "{back}");
}

#[test]
fn a_damaged_kdbx_is_refused_with_exit_12_and_the_vault_unchanged() {
    let sb = filled();
    let out = sb.path("export.kdbx");
    export(&sb, "kdbx", &out, &[], &master_and("kdbx-pass-7")).success();
    let mut bytes = std::fs::read(&out).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&out, &bytes).unwrap();
    let before = sb.vault_bytes();
    let run = sb.on_vault("import", &[out.to_str().unwrap()], &master_and("kdbx-pass-7"));
    let run = run.no_panic();
    assert!(
        run.code == 12 || run.code == 11,
        "a cut file is damaged (or, for some readers, unreadable with that password)\n{run}"
    );
    assert_eq!(sb.vault_bytes(), before);
}
