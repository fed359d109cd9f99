//! Every command's options and messages: init, add, edit, rm, show, passwd, and usage errors.

mod common;

use common::{CHEAP_KDF, MASTER, NEW_MASTER, Sandbox, is_id, master, master_and};
use serde_json::json;

// ---------------------------------------------------------------- init

#[test]
fn init_makes_an_empty_vault_that_opens_with_its_password() {
    let sb = Sandbox::new();
    let run = sb.init_at(&sb.vault, MASTER).success();
    assert!(run.stderr.contains("Created the vault"), "{run}");
    assert!(run.stdout.is_empty(), "init prints nothing on stdout\n{run}");
    assert!(sb.vault.is_file());
    assert_eq!(sb.on_vault("ls", &[], &master()).success().stdout, "");
    assert_eq!(sb.on_vault("ls", &["--json"], &master()).success().json(), json!([]));
}

#[test]
fn init_refuses_to_overwrite_an_existing_file() {
    let sb = Sandbox::with_vault();
    sb.add("Salesforce", &[], "pw1");
    let before = sb.vault_bytes();
    sb.init_at(&sb.vault, "another password").failure(1).stderr_has("already exists");
    assert_eq!(sb.vault_bytes(), before, "the existing vault must not be touched");
    assert_eq!(sb.titles(), ["Salesforce"], "the old master password still opens it");

    // Nor any other file that happens to be there.
    let notes = sb.path("notes.txt");
    std::fs::write(&notes, "my shopping list").unwrap();
    sb.init_at(&notes, MASTER).failure(1).stderr_has("already exists");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my shopping list");
}

/// `CHEAP_KDF` with one setting replaced (giving a flag twice would be a different usage error).
fn kdf_with(flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = CHEAP_KDF.iter().map(|s| s.to_string()).collect();
    let at = args.iter().position(|a| a == flag).expect("known flag");
    args[at + 1] = value.to_owned();
    args
}

#[test]
fn init_refuses_kdf_settings_out_of_range_and_names_the_accepted_range() {
    let sb = Sandbox::new();
    let cases = [
        ("--kdf-memory-mib", "18", "19 to 4096 MiB"),
        ("--kdf-memory-mib", "4097", "19 to 4096 MiB"),
        ("--kdf-iterations", "1", "2 to 100"),
        ("--kdf-iterations", "101", "2 to 100"),
        ("--kdf-parallelism", "0", "1 to 16"),
        ("--kdf-parallelism", "17", "1 to 16"),
    ];
    for (flag, value, range) in cases {
        let mut args = vec!["init".to_owned(), sb.vault_str().to_owned()];
        args.extend(kdf_with(flag, value));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        sb.run(&args, &master()).failure(2).stderr_has(range);
        assert!(!sb.vault.exists(), "{flag} {value}: no vault may be created");
    }
}

#[test]
fn init_refuses_an_empty_or_missing_master_password() {
    let sb = Sandbox::new();
    let mut args = vec!["init", sb.vault_str()];
    args.extend_from_slice(&CHEAP_KDF);
    sb.run(&args, "\n").failure(2).stderr_has("cannot be empty");
    assert!(!sb.vault.exists());
    sb.run(&args, "").failure(2);
    assert!(!sb.vault.exists());
}

/// The app's words when its setup screen refuses a weak master password (`setup.errorWeak`).
const WEAK: &str = "This password is too easy to guess. Use a longer one, for example four or five unrelated words.";

#[test]
fn init_refuses_a_weak_master_password_as_the_app_does() {
    let sb = Sandbox::new();
    for weak in ["a", "password1", "12345678"] {
        sb.init_at(&sb.vault, weak).failure(2).stderr_has(WEAK);
        assert!(!sb.vault.exists(), "{weak:?}: no vault may be created");
    }
    // The vault's own name is among the first words an attacker tries.
    let named = sb.dir.path().join("acmetradingvault2026.crmvault");
    sb.init_at(&named, "acmetradingvault2026").failure(2).stderr_has(WEAK);
    assert!(!named.exists());
    sb.init_at(&sb.vault, NEW_MASTER).success();
}

#[test]
fn passwd_refuses_a_weak_new_password_and_the_old_one_still_opens() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let before = sb.vault_bytes();
    sb.on_vault("passwd", &[], &master_and("a")).failure(2).stderr_has(WEAK);
    assert_eq!(sb.vault_bytes(), before, "nothing was written");
    let listing = sb.on_vault("ls", &[], &master()).success().stdout;
    assert!(listing.contains("Mail"), "{listing}");
    sb.on_vault("ls", &[], "a\n").failure(3);
}

#[test]
fn a_master_password_ending_in_crlf_works_like_lf() {
    // Scripts on Windows write CRLF line ends.
    let sb = Sandbox::with_vault();
    sb.on_vault("add", &["--title", "Mail"], &format!("{MASTER}\r\nmail-pw\r\n")).success();
    assert_eq!(sb.field("Mail", "password"), "mail-pw");
}

// ---------------------------------------------------------------- add

#[test]
fn add_prints_the_id_and_keeps_every_option() {
    let sb = Sandbox::with_vault();
    let totp = "otpauth://totp/Salesforce:li?secret=JBSWY3DPEHPK3PXP&issuer=Salesforce";
    let id = sb.add(
        "Salesforce",
        &[
            "--username",
            "li.wei@example.com",
            "--url",
            "https://login.salesforce.com",
            "--url",
            "https://test.salesforce.com",
            "--notes",
            "Main CRM",
            "--tag",
            "crm",
            "--tag",
            "daily",
            "--field",
            "employee id=E1234",
            "--field",
            "recovery email=li@example.org",
            "--totp",
            totp,
        ],
        "  S3cret pass with spaces  ",
    );
    let shown = sb.show_json(&id, true);
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["title"], "Salesforce");
    assert_eq!(shown["username"], "li.wei@example.com");
    assert_eq!(shown["url"], "https://login.salesforce.com", "the first --url is the entry's URL");
    assert_eq!(shown["urls"], json!(["https://login.salesforce.com", "https://test.salesforce.com"]));
    assert_eq!(shown["notes"], "Main CRM");
    assert_eq!(shown["tags"], json!(["crm", "daily"]));
    assert_eq!(shown["password"], "  S3cret pass with spaces  ", "spaces around a password are part of it");
    // Stored in canonical form, every parameter spelled out.
    assert_eq!(shown["totp"], format!("{totp}&algorithm=SHA1&digits=6&period=30"));
    assert_eq!(shown["history"], 0);
    let fields = shown["fields"].as_array().unwrap();
    assert!(fields.contains(&json!({"name": "employee id", "value": "E1234", "hidden": false})), "{shown}");
    assert!(fields.contains(&json!({"name": "recovery email", "value": "li@example.org", "hidden": false})), "{shown}");
    assert_eq!(fields.len(), 2);
}

#[test]
fn add_generate_makes_a_password_of_the_asked_length() {
    let sb = Sandbox::with_vault();
    for length in ["8", "32", "128"] {
        let title = format!("Generated {length}");
        let run = sb.on_vault("add", &["--title", &title, "--generate", "--length", length], &master()).success();
        assert!(is_id(run.stdout.trim()), "{run}");
        let password = sb.field(&title, "password");
        assert_eq!(password.chars().count(), length.parse::<usize>().unwrap(), "{password:?}");
        assert!(!run.all_output().contains(&password), "add --generate must not print the password");
    }
    // Without --length: the documented default of 20; two generated passwords differ.
    sb.on_vault("add", &["--title", "Default A", "--generate"], &master()).success();
    sb.on_vault("add", &["--title", "Default B", "--generate"], &master()).success();
    let (a, b) = (sb.field("Default A", "password"), sb.field("Default B", "password"));
    assert_eq!(a.chars().count(), 20);
    assert_ne!(a, b);
}

#[test]
fn add_generate_refuses_a_length_out_of_range() {
    let sb = Sandbox::with_vault();
    for length in ["7", "129", "0"] {
        sb.on_vault("add", &["--title", "Bad", "--generate", "--length", length], &master())
            .failure(2)
            .stderr_has("8 to 128");
    }
    // --length only makes sense with --generate.
    sb.on_vault("add", &["--title", "Bad", "--length", "12"], &master_and("pw")).failure(2);
    assert!(sb.ls_json().is_empty());
}

#[test]
fn add_usage_errors_exit_2_and_change_nothing() {
    let sb = Sandbox::with_vault();
    let before = sb.vault_bytes();
    sb.on_vault("add", &[], &master_and("pw")).failure(2).stderr_has("--title");
    sb.on_vault("add", &["--title", "X", "--bogus"], &master_and("pw")).failure(2).stderr_has("--bogus");
    sb.on_vault("add", &["--title", "X", "--field", "no-equals-sign"], &master_and("pw"))
        .failure(2)
        .stderr_has("NAME=VALUE");
    sb.on_vault("add", &["--title", "X", "--field", "=value"], &master_and("pw")).failure(2).stderr_has("NAME=VALUE");
    sb.on_vault("add", &["--title", "X"], "").failure(2).stderr_has("no master password");
    assert_eq!(sb.vault_bytes(), before);
}

#[test]
fn a_field_value_may_itself_contain_an_equals_sign() {
    let sb = Sandbox::with_vault();
    sb.add("Portal", &["--field", "token=a=b=c"], "pw");
    assert_eq!(sb.field("Portal", "token"), "a=b=c");
}

// ---------------------------------------------------------------- edit

#[test]
fn edit_changes_each_field_it_is_given_and_nothing_else() {
    let sb = Sandbox::with_vault();
    let id = sb.add(
        "ERP",
        &[
            "--username",
            "li",
            "--url",
            "https://erp.example.com",
            "--notes",
            "old notes",
            "--tag",
            "erp",
            "--tag",
            "daily",
            "--field",
            "employee id=E1",
            "--field",
            "PIN=1234",
        ],
        "erp-pw",
    );
    let run = sb
        .on_vault(
            "edit",
            &[
                "ERP",
                "--title",
                "ERP (SAP)",
                "--username",
                "li.wei",
                "--url",
                "https://sap.example.com",
                "--url",
                "https://sap2.example.com",
                "--notes",
                "new notes",
                "--tag",
                "客户",
                "--remove-tag",
                "daily",
                "--field",
                "employee id=E2",
                "--field",
                "cost centre=CC-9",
                "--remove-field",
                "PIN",
            ],
            &master(),
        )
        .success();
    assert!(run.stderr.contains("Updated"), "{run}");
    let shown = sb.show_json(&id, true);
    assert_eq!(shown["title"], "ERP (SAP)");
    assert_eq!(shown["username"], "li.wei");
    assert_eq!(shown["urls"], json!(["https://sap.example.com", "https://sap2.example.com"]));
    assert_eq!(shown["notes"], "new notes");
    assert_eq!(shown["tags"], json!(["erp", "客户"]));
    assert_eq!(
        shown["fields"],
        json!([{"name": "cost centre", "value": "CC-9", "hidden": false}, {"name": "employee id", "value": "E2", "hidden": false}])
    );
    assert_eq!(shown["password"], "erp-pw", "the password was not asked to change");
    // The new title names it.
    assert_eq!(sb.field("erp (sap)", "username"), "li.wei");
}

#[test]
fn edit_password_stdin_sets_line_two_and_keeps_the_old_one_in_history() {
    let sb = Sandbox::with_vault();
    let id = sb.add("Mail", &["--username", "li"], "old-password");
    assert_eq!(sb.show_json(&id, false)["history"], 0);
    sb.on_vault("edit", &["Mail", "--password-stdin"], &master_and("new-password")).success();
    assert_eq!(sb.field("Mail", "password"), "new-password");
    let shown = sb.show_json(&id, false);
    assert_eq!(shown["history"], 1, "{shown}");
    assert_eq!(shown["username"], "li");
    assert_eq!(shown["earlier_values"][0]["field"], "password");
    assert!(shown["earlier_values"][0]["value"].is_null(), "masked without --show-secrets: {shown}");
    assert_eq!(sb.show_json(&id, true)["earlier_values"][0]["value"], "old-password");
}

#[test]
fn edit_password_stdin_without_line_two_is_a_usage_error() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "old-password");
    let before = sb.vault_bytes();
    sb.on_vault("edit", &["Mail", "--password-stdin"], &master()).failure(2).stderr_has("line 2");
    assert_eq!(sb.vault_bytes(), before);
    assert_eq!(sb.field("Mail", "password"), "old-password");
}

#[test]
fn edit_generate_replaces_the_password() {
    let sb = Sandbox::with_vault();
    let id = sb.add("Mail", &[], "old-password");
    let run = sb.on_vault("edit", &["Mail", "--generate", "--length", "40"], &master()).success();
    let password = sb.field("Mail", "password");
    assert_eq!(password.chars().count(), 40);
    assert!(!run.all_output().contains(&password), "edit --generate must not print the password");
    assert_eq!(sb.show_json(&id, false)["history"], 1);
    sb.on_vault("edit", &["Mail", "--generate", "--password-stdin"], &master_and("x")).failure(2);
    sb.on_vault("edit", &["Mail", "--generate", "--length", "200"], &master()).failure(2).stderr_has("8 to 128");
    assert_eq!(sb.field("Mail", "password"), password);
}

#[test]
fn edit_without_a_change_saves_nothing_but_the_unlock() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &["--username", "li"], "pw");
    let before = sb.show_json("Mail", false);
    let backups = sb.backup_lines().len();
    sb.on_vault("edit", &["Mail", "--username", "li"], &master()).success().stderr_has("nothing to save");
    // The unlock goes into the activity log, in a save that keeps no backup: the entry is as it was.
    assert_eq!(sb.show_json("Mail", false), before);
    assert_eq!(sb.backup_lines().len(), backups);
}

#[test]
fn edit_of_an_unknown_entry_exits_5() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "pw");
    let before = sb.vault_bytes();
    sb.on_vault("edit", &["Nothing like it", "--notes", "x"], &master()).failure(5).stderr_has("no entry matches");
    assert_eq!(sb.vault_bytes(), before);
}

// ---------------------------------------------------------------- rm

#[test]
fn rm_removes_the_entry_from_listings() {
    let sb = Sandbox::with_vault();
    let mail = sb.add("Mail", &[], "pw");
    let crm = sb.add("CRM", &[], "pw");
    let erp = sb.add("ERP", &[], "pw");
    sb.on_vault("rm", &["mail"], &master()).success().stderr_has("Deleted");
    sb.on_vault("rm", &[&erp], &master()).success();
    assert_eq!(sb.ids(), [crm]);
    sb.on_vault("show", &[&mail, "--json"], &master()).failure(5);
    assert_eq!(sb.on_vault("search", &["Mail"], &master()).success().stdout, "");
    sb.on_vault("rm", &["Mail"], &master()).failure(5).stderr_has("no entry matches");
}

#[test]
fn rm_of_an_unknown_or_ambiguous_entry_exits_5_and_deletes_nothing() {
    let sb = Sandbox::with_vault();
    let a = sb.add("Salesforce", &[], "pw");
    let b = sb.add("Salesforce Sandbox", &[], "pw");
    let before = sb.vault_bytes();
    sb.on_vault("rm", &["Zoho"], &master()).failure(5).stderr_has("no entry matches \"Zoho\"");
    let run = sb.on_vault("rm", &["sales"], &master()).failure(5);
    assert!(run.stderr.contains(&a) && run.stderr.contains(&b), "the candidates are listed\n{run}");
    assert_eq!(sb.vault_bytes(), before);
    assert_eq!(sb.ls_json().len(), 2);
}

// ---------------------------------------------------------------- show

#[test]
fn show_field_prints_that_value_alone() {
    let sb = Sandbox::with_vault();
    let totp = "otpauth://totp/Mail?secret=JBSWY3DPEHPK3PXP";
    sb.add(
        "Mail",
        &[
            "--username",
            "li",
            "--url",
            "https://mail.example.com",
            "--url",
            "https://webmail.example.com",
            "--notes",
            "shared",
            "--field",
            "Employee ID=E7",
            "--totp",
            totp,
        ],
        "mail-pw",
    );
    for (field, value) in [
        ("title", "Mail"),
        ("username", "li"),
        ("password", "mail-pw"),
        ("url", "https://mail.example.com"),
        ("notes", "shared"),
        ("totp", &format!("{totp}&algorithm=SHA1&digits=6&period=30")),
        ("Employee ID", "E7"),
        ("employee id", "E7"),
    ] {
        let run = sb.on_vault("show", &["Mail", "--field", field], &master()).success();
        assert_eq!(run.stdout, format!("{value}\n"), "--field {field}\n{run}");
    }
    sb.on_vault("show", &["Mail", "--field", "shoe size"], &master()).failure(5).stderr_has("Employee ID");
    sb.on_vault("show", &["Mail", "--field", "password", "--json"], &master()).failure(2);
}

#[test]
fn show_masks_secrets_unless_asked() {
    let sb = Sandbox::with_vault();
    let secret = "Very-Secret-Password-42";
    let totp_secret = "JBSWY3DPEHPK3PXP";
    sb.add("CRM", &["--username", "li", "--totp", &format!("otpauth://totp/CRM?secret={totp_secret}")], secret);

    let text = sb.on_vault("show", &["CRM"], &master()).success();
    assert!(text.stdout.contains("Password: ********"), "{text}");
    assert!(text.stdout.contains("Username: li"), "{text}");
    assert!(!text.all_output().contains(secret) && !text.all_output().contains(totp_secret), "{text}");

    let json = sb.on_vault("show", &["CRM", "--json"], &master()).success();
    let value = json.json();
    assert!(value.get("password").is_none() && value.get("totp").is_none(), "{json}");
    assert!(!json.all_output().contains(secret) && !json.all_output().contains(totp_secret), "{json}");

    let revealed = sb.on_vault("show", &["CRM", "-s"], &master()).success();
    assert!(revealed.stdout.contains(&format!("Password: {secret}")), "{revealed}");
    assert!(revealed.stdout.contains(totp_secret), "{revealed}");
    let revealed = sb.on_vault("show", &["CRM", "--json", "--show-secrets"], &master()).success().json();
    assert_eq!(revealed["password"], secret);
}

#[test]
fn show_of_an_unknown_entry_exits_5() {
    let sb = Sandbox::with_vault();
    sb.on_vault("show", &["Mail"], &master()).failure(5).stderr_has("no entry matches \"Mail\"");
}

// ---------------------------------------------------------------- passwd

#[test]
fn passwd_changes_the_master_password_and_keeps_the_entries() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &["--username", "li", "--tag", "daily"], "mail-pw");
    sb.add("CRM", &["--field", "employee id=E1"], "crm-pw");
    let listing = sb.on_vault("ls", &["--json"], &master()).success().stdout;
    let new = "n3w master 新密码 🗝";

    sb.on_vault("passwd", &[], &master_and(new)).success().stderr_has("Changed the master password");
    sb.on_vault("ls", &[], &master()).failure(3).stderr_has("master password is wrong");
    let with_new = format!("{new}\n");
    assert_eq!(sb.on_vault("ls", &["--json"], &with_new).success().stdout, listing, "entries are intact");
    assert_eq!(sb.on_vault("show", &["Mail", "--field", "password"], &with_new).success().stdout, "mail-pw\n");
    assert_eq!(sb.on_vault("show", &["CRM", "--field", "employee id"], &with_new).success().stdout, "E1\n");
    // And writing still works under the new password.
    sb.on_vault("add", &["--title", "ERP"], &format!("{new}\nerp-pw\n")).success();
}

#[test]
fn passwd_refuses_a_wrong_old_or_an_empty_new_password() {
    let sb = Sandbox::with_vault();
    sb.add("Mail", &[], "mail-pw");
    let before = sb.vault_bytes();
    sb.on_vault("passwd", &[], "wrong\nnew password\n").failure(3);
    sb.on_vault("passwd", &[], &master_and("")).failure(2).stderr_has("cannot be empty");
    sb.on_vault("passwd", &[], &master()).failure(2);
    sb.on_vault("passwd", &["--kdf-memory-mib", "5"], &master_and("new password"))
        .failure(2)
        .stderr_has("19 to 4096 MiB");
    assert_eq!(sb.vault_bytes(), before);
    assert_eq!(sb.field("Mail", "password"), "mail-pw");
}

// ---------------------------------------------------------------- usage

#[test]
fn usage_errors_exit_2() {
    let sb = Sandbox::with_vault();
    sb.run(&["frobnicate", sb.vault_str()], &master()).failure(2);
    sb.on_vault("ls", &["--bogus"], &master()).failure(2).stderr_has("--bogus");
    sb.run(&["show"], &master()).failure(2);
    sb.on_vault("ls", &[], "").failure(2).stderr_has("no master password");
    sb.on_vault("show", &["x"], "").failure(2).stderr_has("line 1");
    let help = sb.run(&["--help"], "").success();
    assert!(help.stdout.contains("Exit codes"), "{help}");
}

#[test]
fn a_missing_vault_file_is_exit_1_with_a_hint() {
    let sb = Sandbox::new();
    sb.on_vault("ls", &[], &master()).failure(1).stderr_has("no vault file").stderr_has("crm-vault init");
}

// ---------------------------------------------------------------- paths and permissions

#[test]
fn relative_paths_work_from_the_vault_folder() {
    // IT scripts often `cd` into the folder first; the sandbox's commands run in its folder.
    let sb = Sandbox::new();
    let mut args = vec!["init", "team.crmvault"];
    args.extend_from_slice(&CHEAP_KDF);
    sb.run(&args, &master()).success();
    sb.run(&["add", "team.crmvault", "--title", "Mail"], &master_and("pw1")).success();
    sb.run(&["add", "team.crmvault", "--title", "CRM"], &master_and("pw2")).success();
    let listed = sb.run(&["backups", "team.crmvault"], "").success();
    let newest = listed.stdout.lines().next().and_then(|l| l.split_once('\t')).map(|(_, p)| p.to_owned());
    let newest = newest.unwrap_or_else(|| panic!("a backup is listed\n{listed}"));
    assert!(sb.dir.path().join(&newest).is_file(), "{newest}");
    sb.run(&["restore", "team.crmvault", &newest], &master()).success();
    assert_eq!(sb.run(&["ls", "team.crmvault"], &master()).success().stdout.lines().count(), 1);
}

#[test]
fn init_makes_missing_folders() {
    let sb = Sandbox::new();
    let deep = sb.path("OneDrive/Vaults/销售/work.crmvault");
    sb.init_at(&deep, MASTER).success();
    sb.run(&["add", deep.to_str().unwrap(), "--title", "Mail"], &master_and("pw")).success();
}

#[test]
fn the_vault_file_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::with_vault();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&sb.vault), 0o600, "after init");
    sb.add("Mail", &[], "pw");
    sb.on_vault("passwd", &[], &master_and("second master")).success();
    assert_eq!(mode(&sb.vault), 0o600, "after add and passwd");
    for entry in std::fs::read_dir(sb.backups_dir()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

// ---------------------------------------------------------------- custom fields (bugs)

/// A Bitwarden import with one hidden custom field, PIN=1234.
fn vault_with_hidden_pin() -> Sandbox {
    let sb = Sandbox::with_vault();
    let csv = sb.path("bw.csv");
    std::fs::write(
        &csv,
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Work,,login,ERP,,PIN: 1234,0,https://erp.example.com,li,bw-pw,\n",
    )
    .unwrap();
    sb.on_vault("import", &[csv.to_str().unwrap()], &master()).success();
    assert_eq!(sb.show_json("ERP", false)["fields"], json!([{"name": "PIN", "value": null, "hidden": true}]));
    sb
}

#[test]

fn editing_a_hidden_field_keeps_it_hidden() {
    let sb = vault_with_hidden_pin();
    sb.on_vault("edit", &["ERP", "--field", "PIN=5678"], &master()).success();
    assert_eq!(sb.field("ERP", "PIN"), "5678");
    let masked = sb.show_json("ERP", false);
    assert_eq!(masked["fields"], json!([{"name": "PIN", "value": null, "hidden": true}]), "{masked}");
    let text = sb.on_vault("show", &["ERP"], &master()).success();
    assert!(!text.stdout.contains("5678"), "show without -s printed the hidden field\n{text}");
}

#[test]

fn custom_field_names_are_matched_the_same_way_by_show_and_edit() {
    let sb = vault_with_hidden_pin();
    // `show --field pin` finds "PIN"; then `edit --field pin=...` should change what it shows.
    assert_eq!(sb.field("ERP", "pin"), "1234");
    sb.on_vault("edit", &["ERP", "--field", "pin=9999"], &master()).success();
    assert_eq!(
        sb.field("ERP", "pin"),
        "9999",
        "edit --field pin=9999 then show --field pin still prints the old value"
    );
    // And `--remove-field Pin` must not report success while the field stays.
    let run = sb.on_vault("edit", &["ERP", "--remove-field", "Pin"], &master());
    let still_there = sb.on_vault("show", &["ERP", "--field", "PIN"], &master()).code == 0;
    assert!(run.code != 0 || !still_there, "--remove-field Pin exited 0 but the field PIN is still there\n{run}");
}
