//! `ls` and `search` as scripts read them: the JSON shape, the order, stable bytes, no secrets;
//! how an entry is named (id, title, unique search, ambiguous); Chinese and emoji everywhere.

mod common;

use common::{Sandbox, master};
use serde_json::{Value, json};

const PASSWORD: &str = "Pa55-never-printed-7Q";
const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQ";
const HIDDEN_PIN: &str = "pin-8642-hidden";

/// A vault whose entries carry recognisable secrets.
fn vault_with_secrets() -> Sandbox {
    let sb = Sandbox::with_vault();
    let totp = format!("otpauth://totp/CRM?secret={TOTP_SECRET}");
    sb.add(
        "Salesforce",
        &[
            "--username",
            "li.wei@example.com",
            "--url",
            "https://login.salesforce.com",
            "--tag",
            "crm",
            "--notes",
            "main CRM",
            "--totp",
            &totp,
        ],
        PASSWORD,
    );
    sb.add(
        "Mail",
        &["--username", "li.wei", "--url", "https://mail.example.com", "--tag", "daily"],
        &format!("{PASSWORD}-mail"),
    );
    // A hidden custom field comes from an import (Bitwarden fields are imported hidden).
    let csv = sb.path("bw.csv");
    std::fs::write(
        &csv,
        format!("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\nWork,,login,ERP,,PIN: {HIDDEN_PIN},0,https://erp.example.com,li,{PASSWORD}-erp,\n"),
    )
    .unwrap();
    sb.on_vault("import", &[csv.to_str().unwrap()], &master()).success();
    sb
}

#[test]
fn ls_and_search_json_have_the_documented_keys_and_never_a_secret() {
    let sb = vault_with_secrets();
    for (command, rest) in
        [("ls", vec![]), ("ls", vec!["--json"]), ("search", vec!["li"]), ("search", vec!["li", "--json"])]
    {
        let run = sb.on_vault(command, &rest, &master()).success();
        for secret in [PASSWORD, TOTP_SECRET, HIDDEN_PIN] {
            assert!(!run.all_output().contains(secret), "{command} {rest:?} printed a secret\n{run}");
        }
        if rest.contains(&"--json") {
            let list = run.json();
            let list = list.as_array().expect("an array");
            assert_eq!(list.len(), 3, "{run}");
            for item in list {
                for key in ["id", "title", "username", "url", "notes", "tags", "modified"] {
                    assert!(item.get(key).is_some(), "{command} --json lacks {key:?}\n{run}");
                }
                assert!(item.get("password").is_none() && item.get("totp").is_none(), "{run}");
                assert!(item["tags"].is_array(), "{run}");
                assert!(
                    item["modified"].as_str().is_some_and(|t| t.len() >= 20 && t.contains('T')),
                    "modified is an RFC 3339 time\n{run}"
                );
            }
        }
    }
    let listing = sb.ls_json();
    let sf = listing.iter().find(|e| e["title"] == "Salesforce").unwrap();
    assert_eq!(sf["username"], "li.wei@example.com");
    assert_eq!(sf["url"], "https://login.salesforce.com");
    assert_eq!(sf["notes"], "main CRM");
    assert_eq!(sf["tags"], json!(["crm"]));
}

#[test]
fn ls_text_is_one_line_per_entry_with_id_title_username_url() {
    let sb = Sandbox::with_vault();
    let id = sb.add("Mail", &["--username", "li", "--url", "https://mail.example.com"], "pw");
    let odd = sb.add("Two\nlines\tand tab", &[], "pw");
    let run = sb.on_vault("ls", &[], &master()).success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "a title with a newline still takes one line\n{run}");
    assert_eq!(lines[0], format!("{id}\tMail\tli\thttps://mail.example.com"));
    assert!(lines[1].starts_with(&format!("{odd}\t")) && lines[1].split('\t').count() == 4, "{run}");
}

#[test]
fn listings_are_ordered_by_name_then_title_then_id() {
    let sb = Sandbox::with_vault();
    let mut made = Vec::new();
    for title in ["beta", "Same", "Alpha", "gamma", "Same", "alpha", "Same", "Ärger", "纷享销客"] {
        let id = sb.add(title, &["--tag", "order"], "pw");
        // Chinese by its pinyin: 纷享销客 (fen) between beta and gamma.
        let key = if title == "纷享销客" { "fenxiangxiaoke".to_owned() } else { title.to_lowercase() };
        made.push((key, title.to_owned(), id));
    }
    made.sort();
    let expected: Vec<String> = made.iter().map(|(_, _, id)| id.clone()).collect();
    assert_eq!(sb.ids(), expected, "ls --json");
    let text_ids: Vec<String> =
        sb.on_vault("ls", &[], &master()).success().stdout.lines().map(|l| l[..36].to_owned()).collect();
    assert_eq!(text_ids, expected, "ls");
    let found = sb.on_vault("search", &["order", "--json"], &master()).success().json();
    let found: Vec<&str> = found.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(found, expected, "search --json");
}

#[test]
fn two_runs_and_two_equal_vaults_print_identical_bytes() {
    let sb = vault_with_secrets();
    sb.add("纷享销客", &["--username", "李伟"], "pw");
    let copy = sb.path("copy.crmvault");
    std::fs::copy(&sb.vault, &copy).unwrap();
    for rest in [vec!["ls"], vec!["ls", "--json"], vec!["search", "li"], vec!["search", "li", "--json"]] {
        let (command, extra) = rest.split_first().unwrap();
        let first = sb.on_vault(command, extra, &master()).success();
        let second = sb.on_vault(command, extra, &master()).success();
        assert_eq!(first.stdout.as_bytes(), second.stdout.as_bytes(), "{rest:?}");
        let mut args = vec![*command, copy.to_str().unwrap()];
        args.extend_from_slice(extra);
        assert_eq!(sb.run(&args, &master()).success().stdout, first.stdout, "{rest:?} on a copy");
    }
}

#[test]
fn search_matches_every_word_in_title_username_url_tags_or_notes() {
    let sb = vault_with_secrets();
    let titles = |query: &str| -> Vec<String> {
        let run = sb.on_vault("search", &[query, "--json"], &master()).success();
        run.json().as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(titles("SALESFORCE"), ["Salesforce"], "title, any case");
    assert_eq!(titles("li.wei@"), ["Salesforce"], "username");
    assert_eq!(titles("mail.example"), ["Mail"], "url");
    assert_eq!(titles("daily"), ["Mail"], "tag");
    assert_eq!(titles("main crm"), ["Salesforce"], "notes, every word");
    assert_eq!(titles("li"), ["ERP", "Mail", "Salesforce"]);
    assert_eq!(titles("li daily"), ["Mail"]);
    assert!(titles("nothing-like-this").is_empty());
    assert!(titles(PASSWORD).is_empty(), "passwords are not searched");
    let none = sb.on_vault("search", &["nothing-like-this"], &master()).success();
    assert_eq!(none.stdout, "");
    assert_eq!(sb.on_vault("search", &["nothing-like-this", "--json"], &master()).success().json(), json!([]));
}

#[test]
fn an_entry_is_named_by_id_exact_title_or_a_unique_search() {
    let sb = Sandbox::with_vault();
    let sf = sb.add("Salesforce", &["--username", "li"], "pw");
    let sandbox = sb.add("Salesforce Sandbox", &["--username", "li.test"], "pw");
    sb.add("Mail", &[], "pw");
    assert_eq!(sb.show_json("salesforce", false)["id"], sf.as_str(), "an exact title wins over a search");
    assert_eq!(sb.show_json("SANDBOX", false)["id"], sandbox.as_str(), "a search matching one entry");
    assert_eq!(sb.show_json(&sandbox, false)["title"], "Salesforce Sandbox", "an id");

    let run = sb.on_vault("show", &["sales"], &master()).failure(5);
    assert!(run.stderr.contains("matches 2 entries"), "{run}");
    for expected in [&sf, &sandbox, &"Salesforce Sandbox".to_owned()] {
        assert!(run.stderr.contains(expected.as_str()), "the candidates are listed\n{run}");
    }
    assert!(!run.stderr.contains("Mail"), "{run}");
}

fn as_strs(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

#[test]
fn chinese_and_emoji_round_trip_in_every_field() {
    let sb = Sandbox::new();
    let master_pw = "主密码🔑 Ünïcödé";
    sb.init_at(&sb.vault, master_pw).success();
    let unlock = format!("{master_pw}\n");
    let title = "纷享销客 🚀 CRM";
    let username = "李伟😀";
    let password = "密码🔑-Пароль-🧧";
    let url = "https://例子.中国/登录?用户=李伟&emoji=🙂";
    let url2 = "https://备用.example.com/👋";
    let notes = "第一行 🎉\n第二行：客户名单\t制表符";
    let totp = "otpauth://totp/纷享销客:李伟?secret=JBSWY3DPEHPK3PXP&issuer=纷享销客";
    let (field_name, field_value) = ("员工编号🆔", "E-一二三-🔢");
    let field_arg = format!("{field_name}={field_value}");
    let args = [
        "--title",
        title,
        "--username",
        username,
        "--url",
        url,
        "--url",
        url2,
        "--notes",
        notes,
        "--tag",
        "客户",
        "--tag",
        "🔥热门",
        "--field",
        &field_arg,
        "--totp",
        totp,
    ];
    let mut full = vec!["add", sb.vault_str()];
    full.extend_from_slice(&args);
    let id = sb.run(&full, &format!("{master_pw}\n{password}\n")).success().stdout.trim().to_owned();

    let shown = sb.run(&["show", sb.vault_str(), &id, "--json", "-s"], &unlock).success().json();
    assert_eq!(shown["title"], title);
    assert_eq!(shown["username"], username);
    assert_eq!(shown["password"], password);
    assert_eq!(shown["url"], url);
    assert_eq!(as_strs(&shown["urls"]), [url, url2]);
    assert_eq!(shown["notes"], notes);
    // Stored in canonical form (percent-encoded label), meaning the same.
    let stored = vault::totp::Totp::parse(shown["totp"].as_str().unwrap()).unwrap();
    assert_eq!(stored, vault::totp::Totp::parse(totp).unwrap());
    assert_eq!((stored.issuer(), stored.account()), (Some("纷享销客"), Some("李伟")));
    let mut tags = as_strs(&shown["tags"]);
    tags.sort();
    let mut expected_tags = vec!["客户", "🔥热门"];
    expected_tags.sort();
    assert_eq!(tags, expected_tags);
    assert_eq!(shown["fields"], json!([{"name": field_name, "value": field_value, "hidden": false}]));

    // Each field alone, named by its Chinese title and by a Chinese search.
    for (field, value) in [
        ("title", title),
        ("username", username),
        ("password", password),
        ("url", url),
        ("totp", stored.to_uri().expose()),
        (field_name, field_value),
    ] {
        let run = sb.run(&["show", sb.vault_str(), title, "--field", field], &unlock).success();
        assert_eq!(run.stdout, format!("{value}\n"), "{field}");
    }
    let listed = sb.run(&["search", sb.vault_str(), "热门", "--json"], &unlock).success().json();
    assert_eq!(listed[0]["title"], title);
    assert_eq!(listed[0]["notes"], notes);
    let text = sb.run(&["ls", sb.vault_str()], &unlock).success();
    assert!(text.stdout.contains(title) && text.stdout.contains(username), "{text}");

    // Edits in Chinese and emoji too, and the master password works for writes after reads.
    let new_title = "销售易 📈";
    sb.run(
        &[
            "edit",
            sb.vault_str(),
            "纷享",
            "--title",
            new_title,
            "--notes",
            "新备注 ✅",
            "--remove-tag",
            "🔥热门",
            "--password-stdin",
        ],
        &format!("{master_pw}\n新密码🆕\n"),
    )
    .success();
    let shown = sb.run(&["show", sb.vault_str(), &id, "--json", "-s"], &unlock).success().json();
    assert_eq!(shown["title"], new_title);
    assert_eq!(shown["notes"], "新备注 ✅");
    assert_eq!(shown["password"], "新密码🆕");
    assert_eq!(as_strs(&shown["tags"]), ["客户"]);
    assert_eq!(shown["history"], 3, "old title, notes and password");
}
