//! The editor's "Login window and auto-type" section as the session sees it: a draft's sites,
//! sequence and window patterns are checked before anything is saved, stored in their normal
//! form, and shown in the entry's detail.

use secrecy::SecretString;
use serde_json::{Value, json};
use session::Session;
use session::error::ErrorCode;
use session::view::{EntryDraft, IpcError};
use vault::{KdfParams, Vault, VaultFile};

fn unlocked(dir: &std::path::Path) -> Session {
    let path = dir.join("v.crmvault");
    let mut app = Session::new(dir.join("config"), dir.join("data"), Err("no keyring in tests".into()));
    let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    let author = vault::Author { device: vault::DeviceId::random(), clock: &vault::SystemClock };
    VaultFile::create(&path, &SecretString::from("pw"), cheap, &Vault::new("v", author, "laptop")).unwrap();
    app.open_vault(&path).unwrap();
    app.unlock("pw", None).unwrap();
    app
}

/// A draft as the page sends it, with `extra` members on top.
fn draft(extra: Value) -> EntryDraft {
    let mut draft = json!({
        "title": "CRM", "username": "li.wei", "password": "pw-1", "urls": ["https://crm.example.com/login"],
        "notes": "", "tags": [], "fields": [], "rules": null, "expires": null, "totp": { "action": "keep" },
    });
    for (key, value) in extra.as_object().unwrap() {
        draft[key] = value.clone();
    }
    serde_json::from_value(draft).unwrap()
}

fn refused(app: &mut Session, extra: Value) -> IpcError {
    app.save_entry(None, draft(extra)).unwrap_err()
}

#[test]
fn the_detail_shows_the_settings_as_stored_and_an_edit_can_clear_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked(dir.path());
    let id = app
        .save_entry(
            None,
            draft(json!({
                "alsoFillOn": ["SSO.example.com/auth", " ", "https://sso.example.com"],
                "autotypeSequence": "{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}",
                "autotypeWindows": ["  *纷享销客*", ""],
            })),
        )
        .unwrap();
    let detail = app.entry_detail(&id).unwrap();
    assert_eq!(detail.also_fill_on, ["https://sso.example.com"]);
    assert_eq!(detail.autotype_sequence.as_deref(), Some("{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}"));
    assert_eq!(detail.autotype_windows, ["*纷享销客*"]);
    let page = serde_json::to_value(&detail).unwrap();
    assert_eq!(page["alsoFillOn"], json!(["https://sso.example.com"]));

    // The editor sends back what it shows; emptied inputs clear the settings.
    app.save_entry(Some(&id), draft(json!({ "alsoFillOn": [], "autotypeSequence": "  ", "autotypeWindows": [] })))
        .unwrap();
    let detail = app.entry_detail(&id).unwrap();
    assert!(detail.also_fill_on.is_empty() && detail.autotype_windows.is_empty());
    assert_eq!(detail.autotype_sequence, None);
}

#[test]
fn a_draft_from_an_older_page_without_the_settings_still_saves() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked(dir.path());
    let id = app.save_entry(None, draft(json!({}))).unwrap();
    let detail = app.entry_detail(&id).unwrap();
    assert!(detail.also_fill_on.is_empty() && detail.autotype_sequence.is_none());
}

#[test]
fn mistakes_are_refused_with_their_own_codes_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked(dir.path());

    let error = refused(&mut app, json!({ "autotypeSequence": "{USERNAME}{TAB}{PASSWROD}{ENTER}" }));
    assert_eq!((error.code, error.position), (ErrorCode::AutotypeSequence, Some(16)));
    assert!(error.message.contains("{PASSWROD}"), "{}", error.message);
    let sent = serde_json::to_value(&error).unwrap();
    assert_eq!((sent["code"].as_str(), sent["position"].as_u64()), (Some("autotype-sequence"), Some(16)));

    let error = refused(&mut app, json!({ "autotypeSequence": "密码：{PASSWORD" }));
    assert_eq!(error.position, Some(4), "counted in characters, not bytes");

    let error = refused(&mut app, json!({ "alsoFillOn": ["https://sso.example.com", "ftp://files.example.com"] }));
    assert_eq!(error.code, ErrorCode::AlsoFillOnInvalid);
    assert!(error.message.contains("ftp://files.example.com"));
    assert_eq!(serde_json::to_value(&error).unwrap().get("position"), None, "only sequence errors have one");

    let error = refused(&mut app, json!({ "autotypeWindows": ["//([unclosed//"] }));
    assert_eq!(error.code, ErrorCode::AutotypeWindow);

    assert!(app.list_entries(None).unwrap().is_empty());
}
