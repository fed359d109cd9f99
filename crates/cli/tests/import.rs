//! `crm-vault import`: the CSV exports of Chrome/Edge, Firefox, Bitwarden and a generic CSV;
//! counts, skipped rows and why; bad files refused with the vault unchanged; no duplicates.

mod common;

use common::{Sandbox, master};
use serde_json::json;
use std::path::{Path, PathBuf};

fn write(sb: &Sandbox, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = sb.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import(sb: &Sandbox, file: &Path) -> common::Run {
    sb.on_vault("import", &[file.to_str().unwrap()], &master())
}

const CHROME: &str = "name,url,username,password,note\n\
Salesforce,https://login.salesforce.com/,li@example.com,\"p,w\"\"1\",first\n\
Broken row,only-three\n\
,,,,\n\
Mail,https://mail.example.com/,li,mail-pw,\n";

#[test]
fn chrome_export_says_what_came_in_and_what_was_skipped_and_why() {
    let sb = Sandbox::with_vault();
    let run = import(&sb, &write(&sb, "chrome.csv", CHROME)).success();
    assert!(run.stdout.contains("Imported 2 entries from a Chrome/Edge CSV export"), "{run}");
    assert!(run.stdout.contains("Skipped 2 rows"), "{run}");
    assert!(run.stdout.contains("line 3: has 2 columns where the header has 5"), "{run}");
    assert!(run.stdout.contains("line 4: has no title, URL, username or password"), "{run}");
    assert!(!run.all_output().contains("mail-pw"), "the import report never shows a password\n{run}");

    assert_eq!(sb.titles(), ["Mail", "Salesforce"]);
    let sf = sb.show_json("Salesforce", true);
    assert_eq!(sf["username"], "li@example.com");
    assert_eq!(sf["password"], "p,w\"1", "quoted commas and doubled quotes are unescaped");
    assert_eq!(sf["url"], "https://login.salesforce.com/");
    assert_eq!(sf["notes"], "first");
}

#[test]
fn firefox_export_takes_the_title_from_the_host() {
    let sb = Sandbox::with_vault();
    let csv = "\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\"\n\
\"https://crm.example.com:8443/login\",\"li\",\"ff-pw\",,\"https://crm.example.com\",\"{a1}\",\"1700000000000\",\"1700000000000\",\"1700000000000\"\n\
\"https://mail.example.com\",\"li.wei\",\"ff-pw2\",,\"https://mail.example.com\",\"{a2}\",\"1700000000000\",\"1700000000000\",\"1700000000000\"\n";
    let run = import(&sb, &write(&sb, "firefox.csv", csv)).success();
    assert!(run.stdout.contains("Imported 2 entries from a Firefox CSV export"), "{run}");
    assert!(!run.stdout.contains("Skipped"), "{run}");
    assert_eq!(sb.titles(), ["crm.example.com", "mail.example.com"]);
    assert_eq!(sb.field("crm.example.com", "password"), "ff-pw");
    assert_eq!(sb.field("crm.example.com", "url"), "https://crm.example.com:8443/login");
}

#[test]
fn bitwarden_export_keeps_folders_totp_and_hidden_fields_and_skips_non_logins() {
    let sb = Sandbox::with_vault();
    let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
Work,,login,ERP,erp notes,\"employee id: E1\nPIN: 1234\",0,https://erp.example.com,li,bw-pw,otpauth://totp/ERP?secret=JBSWY3DPEHPK3PXP\n\
,,note,My note,just text,,0,,,,\n\
,1,card,Visa,,,0,,,,\n\
Personal,,login,Bank,,,0,https://bank.example.com,li.wei,bank-pw,\n";
    let run = import(&sb, &write(&sb, "bitwarden.csv", csv)).success();
    assert!(run.stdout.contains("Imported 2 entries from a Bitwarden CSV export"), "{run}");
    assert!(run.stdout.contains("Skipped 2 rows"), "{run}");
    assert!(run.stdout.contains("line 4: is a note, not a login"), "{run}");
    assert!(run.stdout.contains("line 5: is a card, not a login"), "{run}");

    let erp = sb.show_json("ERP", true);
    assert_eq!(erp["tags"], json!(["Work"]), "the folder becomes a tag");
    assert_eq!(erp["totp"], "otpauth://totp/ERP?secret=JBSWY3DPEHPK3PXP");
    assert_eq!(erp["password"], "bw-pw");
    assert_eq!(erp["notes"], "erp notes");
    assert_eq!(
        erp["fields"],
        json!([{"name": "PIN", "value": "1234", "hidden": true}, {"name": "employee id", "value": "E1", "hidden": true}])
    );
    // Hidden fields stay hidden unless asked for.
    let masked = sb.show_json("ERP", false);
    assert_eq!(
        masked["fields"],
        json!([{"name": "PIN", "value": null, "hidden": true}, {"name": "employee id", "value": null, "hidden": true}])
    );
    let text = sb.on_vault("show", &["ERP"], &master()).success();
    assert!(text.stdout.contains("PIN: ********") && !text.stdout.contains("1234"), "{text}");
    assert_eq!(sb.field("ERP", "PIN"), "1234", "--field asks for it explicitly");
}

#[test]
fn generic_csv_is_recognised_by_its_header_in_any_order_with_a_bom_and_chinese() {
    let sb = Sandbox::with_vault();
    let csv = "\u{feff}密码,用户名,标题,网址,备注\r\n秘密123,李伟,纷享销客,https://www.fxiaoke.com,客户系统\r\nhunter2,wang,Zoho,https://zoho.com,\r\n";
    let run = import(&sb, &write(&sb, "generic.csv", csv)).success();
    assert!(run.stdout.contains("Imported 2 entries from a generic CSV export"), "{run}");
    let entry = sb.show_json("纷享销客", true);
    assert_eq!(entry["username"], "李伟");
    assert_eq!(entry["password"], "秘密123");
    assert_eq!(entry["url"], "https://www.fxiaoke.com");
    assert_eq!(entry["notes"], "客户系统");
    assert_eq!(sb.field("Zoho", "password"), "hunter2", "CRLF line ends are not part of values");
}

#[test]
fn importing_the_same_file_twice_does_not_duplicate() {
    let sb = Sandbox::with_vault();
    let file = write(&sb, "chrome.csv", CHROME);
    import(&sb, &file).success();
    let listing = sb.on_vault("ls", &["--json"], &master()).success().stdout;
    let backups = sb.backup_lines().len();
    let again = import(&sb, &file).success();
    assert!(again.stdout.contains("Imported 0 entries"), "{again}");
    assert!(again.stdout.contains("2 entries were already in the vault"), "{again}");
    assert_eq!(sb.on_vault("ls", &["--json"], &master()).success().stdout, listing);
    // Only the unlock is recorded, in a save that pushes out no backup.
    assert_eq!(sb.backup_lines().len(), backups, "nothing new, no backup taken");
}

#[test]
fn files_that_are_not_a_password_csv_are_refused_and_the_vault_is_unchanged() {
    let sb = Sandbox::with_vault();
    sb.add("Existing", &[], "pw");
    let bytes = sb.vault_bytes();
    let backups = sb.backup_lines().len();
    let cases: [(&str, &[u8], &str); 4] = [
        ("export.json", b"{\"accounts\": [], \"version\": 3}\n", "not a Bitwarden or CRM Vault export"),
        ("empty.csv", b"", "the file is empty"),
        ("columns.csv", b"a,b,c\n1,2,3\n", "does not name a password or username column"),
        (
            "binary.csv",
            &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0xff, 0xfe],
            "binary file of a kind no password manager exports",
        ),
    ];
    for (name, content, reason) in cases {
        let file = write(&sb, name, content);
        let run = import(&sb, &file).failure(12);
        assert!(run.stderr.contains(&format!("cannot import {}", file.display())), "{run}");
        assert!(run.stderr.contains(reason), "{run}");
        assert_eq!(sb.vault_bytes(), bytes, "{name}: the vault must be unchanged");
    }
    import(&sb, &sb.path("no-such-file.csv")).failure(1).stderr_has("could not read");
    assert_eq!(sb.backup_lines().len(), backups, "no save happened");
    assert_eq!(sb.titles(), ["Existing"]);
}

/// An export saved without its header row starts with an entry, password included. The refusal
/// names the number of columns and repeats nothing of that row.
#[test]
fn a_file_without_a_header_row_is_refused_without_printing_its_first_row() {
    let sb = Sandbox::with_vault();
    let bytes = sb.vault_bytes();
    let csv = "CRM,https://crm.example.com,li.wei,Kx9-first-row-pw\nMail,https://mail.example.com,li.wei,Other-9\n";
    let run = import(&sb, &write(&sb, "no-header.csv", csv)).failure(12);
    assert!(run.stderr.contains("4 columns"), "{run}");
    for part in ["Kx9-first-row-pw", "li.wei", "crm.example.com"] {
        assert!(!run.all_output().contains(part), "the error repeats the first row ({part})\n{run}");
    }
    assert_eq!(sb.vault_bytes(), bytes);
}

#[test]
fn a_wrong_master_password_imports_nothing() {
    let sb = Sandbox::with_vault();
    let bytes = sb.vault_bytes();
    sb.on_vault("import", &[write(&sb, "chrome.csv", CHROME).to_str().unwrap()], "wrong\n").failure(3);
    assert_eq!(sb.vault_bytes(), bytes);
}

/// An unbalanced quote makes the CSV reader swallow every later line into one field. The rows
/// after it are then neither imported nor reported: "says which were skipped and why" fails
/// silently for all of them.
#[test]

fn an_unbalanced_quote_does_not_silently_drop_the_rows_after_it() {
    let sb = Sandbox::with_vault();
    let csv = "name,url,username,password,note\n\
A,https://a.example.com,ua,pa,\n\
\"B,https://b.example.com,ub,pb,\n\
C,https://c.example.com,uc,pc,\n\
D,https://d.example.com,ud,pd,\n";
    let before = sb.vault_bytes();
    let run = import(&sb, &write(&sb, "quote.csv", csv));
    if run.code == 0 {
        // Accepted: then every data line must be accounted for, imported or reported.
        let titles = sb.titles();
        for (line, title) in [(4, "C"), (5, "D")] {
            assert!(
                titles.contains(&title.to_owned()) || run.stdout.contains(&format!("line {line}:")),
                "row {title} (line {line}) was neither imported nor reported as skipped\n{run}\nvault has: {titles:?}"
            );
        }
    } else {
        // Refused as malformed: then clearly, and with the vault untouched.
        let run = run.failure(12);
        assert!(run.stderr.contains("quote") || run.stderr.contains("not valid CSV"), "{run}");
        assert_eq!(sb.vault_bytes(), before);
    }
}
