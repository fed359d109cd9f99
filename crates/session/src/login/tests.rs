use super::*;
use vault::{Author, DeviceId, NewEntry, SecretText, SystemClock, Vault};

const CRM: &str = "http://127.0.0.1:8080/login";

fn vault_with(urls: &[&str], password: &str) -> (Vault, EntryId) {
    let author = Author { device: DeviceId(1), clock: &SystemClock };
    let mut vault = Vault::new("t", author, "laptop");
    let id = vault.add_entry(
        NewEntry {
            title: "CRM".into(),
            username: "alice@example.com".into(),
            password: SecretText::new(password),
            urls: urls.iter().map(|u| u.to_string()).collect(),
            ..Default::default()
        },
        author,
    );
    (vault, id)
}

fn values(vault: &Vault, id: EntryId) -> Result<FillValues<'_>, LoginState> {
    Ok(FillValues { entry: vault.entry(id).unwrap(), totp_code: None })
}

/// The request JSON inside a fill script, read back.
fn request_of(tick: &Tick) -> serde_json::Value {
    let Tick::Fill(script) = tick else { panic!("expected a fill, got {tick:?}") };
    let start = script.rfind(")({").expect("the script calls the function with the request") + 2;
    serde_json::from_str(&script[start..script.len() - 1]).expect("the request is JSON")
}

fn report(state: &str) -> String {
    format!(r#"{{"state":"{state}","step":"password","filled":[],"skippedFrames":0,"needsTotp":false}}"#)
}

#[test]
fn the_entrys_site_gets_the_values_json_encoded_with_its_origins() {
    let tricky = r#"pa"ss')</script><script>alert(1)</script>\"#;
    let (vault, id) = vault_with(&["http://127.0.0.1:8080/login", "crm.example.com"], tricky);
    let mut login = Login::new(id, 0);
    let tick = login.tick(CRM, values(&vault, id), 100);
    let request = request_of(&tick);
    assert_eq!(request["password"], tricky, "the value arrives whole, as a string");
    assert_eq!(request["username"], "alice@example.com");
    // Every site of the entry, as the page writes its origin (an address without a scheme is https).
    assert_eq!(request["origins"], serde_json::json!(["http://127.0.0.1:8080", "https://crm.example.com"]));
    let Tick::Fill(script) = tick else { unreachable!() };
    assert!(script.starts_with("((function crmVaultFill"), "the page script, called");
    assert!(!script.contains("</script><script>alert(1)</script>\\\""), "quotes are escaped by JSON");
}

#[test]
fn a_redirect_to_another_port_gets_nothing_and_says_why() {
    let (vault, id) = vault_with(&["http://127.0.0.1:8080/"], "pw");
    let mut login = Login::new(id, 0);
    assert!(matches!(login.tick(CRM, values(&vault, id), 10), Tick::Fill(_)));
    let tick = login.tick("http://127.0.0.1:8081/login?next=%2F", values(&vault, id), 20);
    assert!(matches!(tick, Tick::Wait), "nothing is sent to the look-alike: {tick:?}");
    let LoginState::NotFilled(reason) = &login.state else { panic!("{:?}", login.state) };
    assert_eq!(
        reason.to_string(),
        "Not filled: this page is on http://127.0.0.1:8081, the entry's site is http://127.0.0.1:8080"
    );
    // Back on the genuine site, filling goes on.
    assert!(matches!(login.tick(CRM, values(&vault, id), 30), Tick::Fill(_)));
}

#[test]
fn plain_http_off_this_machine_asks_once_and_a_no_ends_the_login() {
    let (vault, id) = vault_with(&["http://crm.example.com/"], "pw");
    let page = "http://crm.example.com/login";
    let mut login = Login::new(id, 0);
    let Tick::AskPlainHttp(origin) = login.tick(page, values(&vault, id), 1) else { panic!("asks first") };
    assert!(matches!(login.tick(page, values(&vault, id), 2), Tick::Wait), "asked once, waiting for the answer");
    login.confirm_plain_http(origin, false);
    assert!(matches!(login.tick(page, values(&vault, id), 3), Tick::Done));
    assert!(matches!(login.state, LoginState::NotFilled(NotFilled::PlainHttpNeedsConfirmation { .. })));

    let mut login = Login::new(id, 0);
    let Tick::AskPlainHttp(origin) = login.tick(page, values(&vault, id), 1) else { panic!("asks first") };
    login.confirm_plain_http(origin, true);
    assert!(matches!(login.tick(page, values(&vault, id), 2), Tick::Fill(_)));
    // The confirmation names that origin only.
    let other = vault_with(&["http://crm.example.com/", "http://mail.example.com/"], "pw");
    let mut login2 = Login::new(other.1, 0);
    let Tick::AskPlainHttp(origin) = login2.tick(page, values(&other.0, other.1), 1) else { panic!() };
    login2.confirm_plain_http(origin, true);
    assert!(matches!(login2.tick("http://mail.example.com/", values(&other.0, other.1), 2), Tick::AskPlainHttp(_)));
}

#[test]
fn signed_in_once_the_form_stays_gone_after_a_submit() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    login.report(&report("filled"), 250);
    login.report(&report("submitted"), 500);
    login.report(&report("no-form"), 750);
    login.report(&report("no-form"), 2_000);
    assert_eq!(login.state, LoginState::Filling(Some(Step::Password)), "gone for 1.25 s only");
    login.report(&report("no-form"), 2_750);
    assert_eq!(login.state, LoginState::SignedIn);
    assert!(matches!(login.tick(CRM, values(&vault, id), 3_000), Tick::Done), "nothing more is filled");
}

#[test]
fn a_form_that_comes_back_resets_the_wait_and_a_second_refusal_stops() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    login.report(&report("submitted"), 100);
    login.report(&report("no-form"), 200);
    login.report(&report("filled"), 1_000);
    login.report(&report("no-form"), 1_500);
    login.report(&report("no-form"), 3_000);
    assert!(!login.state.is_final(), "the wait starts again when the form comes back");
    login.report(&report("stuck"), 3_200);
    assert_eq!(login.state, LoginState::Refused);
}

#[test]
fn locking_stops_filling_for_good() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    assert!(matches!(login.tick(CRM, values(&vault, id), 0), Tick::Fill(_)));
    assert!(matches!(login.tick(CRM, Err(LoginState::Locked), 250), Tick::Done));
    assert_eq!(login.state, LoginState::Locked);
    assert!(matches!(login.tick(CRM, values(&vault, id), 500), Tick::Done), "unlocking again does not resume it");
}

#[test]
fn a_page_without_a_form_and_a_page_wanting_a_code_end_the_login() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    login.report(&report("no-form"), 1_000);
    login.report(&report("no-form"), 19_000);
    assert!(!login.state.is_final());
    login.report(&report("no-form"), 20_500);
    assert_eq!(login.state, LoginState::NoLoginForm);

    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    login.report(r#"{"state":"waiting","step":"totp","filled":[],"skippedFrames":0,"needsTotp":true}"#, 10);
    assert_eq!(login.state, LoginState::NeedsTotp);
}

#[test]
fn answers_that_are_not_reports_are_ignored_and_time_runs_out() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    for junk in ["", "null", "42", r#"{"state":"owned"}"#, "{"] {
        login.report(junk, 10);
        assert_eq!(login.state, LoginState::Filling(None), "{junk}");
    }
    assert!(matches!(login.tick("about:blank", values(&vault, id), 20), Tick::Wait));
    assert!(matches!(login.tick(CRM, values(&vault, id), GIVE_UP_AFTER_MS + 1), Tick::Done));
    assert_eq!(login.state, LoginState::TimedOut);
}

#[test]
fn the_totp_code_of_the_moment_travels_with_each_tick() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    let code = Some(Zeroizing::new("123456".to_owned()));
    let tick = login.tick(CRM, Ok(FillValues { entry: vault.entry(id).unwrap(), totp_code: code }), 0);
    assert_eq!(request_of(&tick)["totp"], "123456");
    let tick = login.tick(CRM, values(&vault, id), 250);
    assert_eq!(request_of(&tick)["totp"], serde_json::Value::Null);
}

#[test]
fn a_page_that_submits_itself_once_filled_counts_as_signed_in() {
    // Six code boxes: the script fills them, the page submits on its own.
    let (vault, id) = vault_with(&[CRM], "pw");
    let mut login = Login::new(id, 0);
    login.tick(CRM, values(&vault, id), 0);
    login.report(&report("filled"), 250);
    login.report(&report("no-form"), 500);
    login.report(&report("no-form"), 2_600);
    assert_eq!(login.state, LoginState::SignedIn);
}

#[test]
fn each_login_names_its_own_attempt() {
    let (vault, id) = vault_with(&[CRM], "pw");
    let first = request_of(&Login::new(id, 1_000).tick(CRM, values(&vault, id), 1_000));
    let again = request_of(&Login::new(id, 9_000).tick(CRM, values(&vault, id), 9_000));
    assert_ne!(first["attempt"], again["attempt"], "a second Log in starts the page's progress afresh");
}
