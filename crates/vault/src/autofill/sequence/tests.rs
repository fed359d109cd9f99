use super::*;
use proptest::prelude::*;

fn text(s: &str) -> Action {
    Action::Text(s.to_owned())
}

fn key(key: Key) -> Action {
    Action::Key { key, modifiers: Modifiers::NONE }
}

const SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::NONE };
const CTRL: Modifiers = Modifiers { ctrl: true, ..Modifiers::NONE };
const ALT: Modifiers = Modifiers { alt: true, ..Modifiers::NONE };
const SUPER: Modifiers = Modifiers { super_key: true, ..Modifiers::NONE };

fn error(sequence: &str) -> SequenceError {
    parse(sequence).expect_err(sequence)
}

#[test]
fn the_default_sequence_types_user_name_tab_password_enter() {
    assert_eq!(
        parse(DEFAULT_SEQUENCE).unwrap(),
        [Action::Field(Field::Username), key(Key::Tab), Action::Field(Field::Password), key(Key::Enter)]
    );
}

#[test]
fn every_field_placeholder_in_any_case() {
    let fields = [
        ("USERNAME", Field::Username),
        ("password", Field::Password),
        ("Totp", Field::Totp),
        ("url", Field::Url),
        ("TiTlE", Field::Title),
        ("NOTES", Field::Notes),
    ];
    for (name, field) in fields {
        assert_eq!(parse(&format!("{{{name}}}")).unwrap(), [Action::Field(field)], "{name}");
    }
}

#[test]
fn custom_fields_keep_their_name_with_spaces_and_case() {
    assert_eq!(parse("{S:Security answer}").unwrap(), [Action::CustomField("Security answer".into())]);
    assert_eq!(parse("{s:PIN 2}").unwrap(), [Action::CustomField("PIN 2".into())]);
    assert_eq!(parse("{S:工号}").unwrap(), [Action::CustomField("工号".into())]);
}

#[test]
fn every_key_name_and_its_other_names() {
    let keys = [
        ("TAB", Key::Tab),
        ("ENTER", Key::Enter),
        ("SPACE", Key::Space),
        ("UP", Key::Up),
        ("DOWN", Key::Down),
        ("LEFT", Key::Left),
        ("RIGHT", Key::Right),
        ("HOME", Key::Home),
        ("END", Key::End),
        ("PGUP", Key::PageUp),
        ("PGDN", Key::PageDown),
        ("PGDOWN", Key::PageDown),
        ("INSERT", Key::Insert),
        ("INS", Key::Insert),
        ("DELETE", Key::Delete),
        ("DEL", Key::Delete),
        ("BACKSPACE", Key::Backspace),
        ("BS", Key::Backspace),
        ("BKSP", Key::Backspace),
        ("ESC", Key::Escape),
        ("F1", Key::F(1)),
        ("F9", Key::F(9)),
        ("F16", Key::F(16)),
        ("WIN", Key::Win),
        ("LWIN", Key::LeftWin),
        ("RWIN", Key::RightWin),
        ("APPS", Key::Apps),
        ("CAPSLOCK", Key::CapsLock),
        ("NUMLOCK", Key::NumLock),
        ("SCROLLLOCK", Key::ScrollLock),
        ("PRTSC", Key::PrintScreen),
        ("BREAK", Key::Break),
        ("HELP", Key::Help),
        ("ADD", Key::Add),
        ("SUBTRACT", Key::Subtract),
        ("MULTIPLY", Key::Multiply),
        ("DIVIDE", Key::Divide),
        ("NUMPAD0", Key::Numpad(0)),
        ("NUMPAD9", Key::Numpad(9)),
    ];
    for (name, k) in keys {
        assert_eq!(parse(&format!("{{{name}}}")).unwrap(), [key(k)], "{name}");
        assert_eq!(parse(&format!("{{{}}}", name.to_lowercase())).unwrap(), [key(k)], "{name}");
    }
}

#[test]
fn function_keys_stop_at_f16() {
    for name in ["{F0}", "{F17}", "{F01}", "{NUMPAD10}", "{F}"] {
        assert!(matches!(error(name), SequenceError::UnknownPlaceholder { position: 1, .. }), "{name}");
    }
}

#[test]
fn repeat_counts_write_the_key_out() {
    assert_eq!(parse("{TAB 3}").unwrap(), [key(Key::Tab), key(Key::Tab), key(Key::Tab)]);
    assert_eq!(parse("{left   2}").unwrap(), [key(Key::Left), key(Key::Left)]);
    assert_eq!(parse("{TAB 0}x").unwrap(), [text("x")]);
    assert_eq!(parse("{+ 3}").unwrap(), [text("+++")]);
    assert_eq!(parse("^{TAB 2}").unwrap(), vec![Action::Key { key: Key::Tab, modifiers: CTRL }; 2]);
    assert_eq!(parse(&format!("{{BS {MAX_REPEAT}}}")).unwrap().len(), MAX_REPEAT as usize);
}

#[test]
fn delays_wait_once_or_between_keystrokes() {
    assert_eq!(
        parse("{DELAY=50}{USERNAME}{DELAY 500}{ENTER}").unwrap(),
        [Action::KeyDelay(50), Action::Field(Field::Username), Action::Delay(500), key(Key::Enter)]
    );
    assert_eq!(parse("{delay 10000}{Delay=500}").unwrap(), [Action::Delay(10_000), Action::KeyDelay(500)]);
}

#[test]
fn clearfield_empties_the_field() {
    assert_eq!(parse("{CLEARFIELD}{PASSWORD}").unwrap(), [Action::ClearField, Action::Field(Field::Password)]);
}

#[test]
fn escaped_specials_are_typed_as_themselves() {
    assert_eq!(parse("{+}{^}{%}{~}{(}{)}{{}{}}{[}{]}{#}").unwrap(), [text("+^%~(){}[]#")]);
    assert_eq!(parse("{LEFTBRACE}{rightbrace}{LeftParen}{RIGHTPAREN}").unwrap(), [text("{}()")]);
    assert_eq!(parse("a{}}b{{}c").unwrap(), [text("a}b{c")]);
}

#[test]
fn modifiers_hold_for_the_next_key_or_character_only() {
    assert_eq!(parse("^a").unwrap(), [Action::Char { ch: 'a', modifiers: CTRL }]);
    assert_eq!(parse("+{TAB}").unwrap(), [Action::Key { key: Key::Tab, modifiers: SHIFT }]);
    assert_eq!(parse("%{F4}").unwrap(), [Action::Key { key: Key::F(4), modifiers: ALT }]);
    assert_eq!(parse("#r").unwrap(), [Action::Char { ch: 'r', modifiers: SUPER }]);
    let all = Modifiers { shift: true, ctrl: true, alt: true, super_key: true };
    assert_eq!(parse("#%^+{DEL}").unwrap(), [Action::Key { key: Key::Delete, modifiers: all }]);
    assert_eq!(
        parse("^ab").unwrap(),
        [Action::Char { ch: 'a', modifiers: CTRL }, text("b")],
        "only the next character is held"
    );
    assert_eq!(parse("^^v").unwrap(), [Action::Char { ch: 'v', modifiers: CTRL }]);
    assert_eq!(parse("^{+}").unwrap(), [Action::Char { ch: '+', modifiers: CTRL }]);
    assert_eq!(parse("%中").unwrap(), [Action::Char { ch: '中', modifiers: ALT }]);
}

#[test]
fn literal_text_of_any_script_is_kept_whole() {
    assert_eq!(parse("你好，世界 {TAB}密码").unwrap(), [text("你好，世界 "), key(Key::Tab), text("密码")]);
    assert_eq!(parse("émoji 🔑 ~()[]").unwrap(), [text("émoji 🔑 ~()[]")]);
    assert_eq!(parse("").unwrap(), []);
}

#[test]
fn keepassxc_documented_examples() {
    // From KeePassXC's user guide and its own tests.
    assert_eq!(
        parse("{USERNAME}{TAB}{TAB}{PASSWORD}{ENTER}").unwrap(),
        [Action::Field(Field::Username), key(Key::Tab), key(Key::Tab), Action::Field(Field::Password), key(Key::Enter)]
    );
    assert_eq!(
        parse("{USERNAME}{ENTER}{DELAY 1500}{PASSWORD}{ENTER}").unwrap(),
        [
            Action::Field(Field::Username),
            key(Key::Enter),
            Action::Delay(1500),
            Action::Field(Field::Password),
            key(Key::Enter)
        ]
    );
    assert_eq!(parse("{USERNAME}{TAB}{PASSWORD}{TAB}{TOTP}{ENTER}").unwrap()[4], Action::Field(Field::Totp));
    assert_eq!(
        parse("Hello {USERNAME}{ENTER}").unwrap(),
        [text("Hello "), Action::Field(Field::Username), key(Key::Enter)]
    );
    assert_eq!(
        parse("{S:Attr1}{TAB}{DELAY=100}{PASSWORD}").unwrap(),
        [Action::CustomField("Attr1".into()), key(Key::Tab), Action::KeyDelay(100), Action::Field(Field::Password)]
    );
}

#[test]
fn unknown_placeholders_name_themselves_and_their_place() {
    let err = error("{USERNAME}{PASWORD}");
    assert_eq!(err, SequenceError::UnknownPlaceholder { placeholder: "{PASWORD}".into(), position: 11 });
    assert_eq!(err.to_string(), "unknown placeholder {PASWORD} at character 11");
    // Positions count characters, not bytes.
    assert_eq!(error("登录{X}"), SequenceError::UnknownPlaceholder { placeholder: "{X}".into(), position: 3 });
    assert_eq!(error("a{}b"), SequenceError::UnknownPlaceholder { placeholder: "{}".into(), position: 2 });
    assert_eq!(parse("{} 2}").unwrap(), [text("}}")]);
    assert!(matches!(error("{ TAB}"), SequenceError::UnknownPlaceholder { position: 1, .. }));
    assert!(matches!(error("{a}"), SequenceError::UnknownPlaceholder { position: 1, .. }));
}

#[test]
fn unclosed_and_stray_braces() {
    assert_eq!(error("ab{TAB"), SequenceError::UnclosedBrace { position: 3 });
    assert_eq!(error("{USER{NAME}"), SequenceError::UnclosedBrace { position: 1 });
    assert_eq!(error("x{"), SequenceError::UnclosedBrace { position: 2 });
    assert_eq!(error("{{"), SequenceError::UnclosedBrace { position: 1 });
    assert_eq!(error("a}b"), SequenceError::UnexpectedBrace { position: 2 });
    assert_eq!(error("a}b").to_string(), "the } at character 2 closes nothing (type a } as {}})");
    assert_eq!(error("ab{TAB").to_string(), "the { at character 3 is not closed by a }");
}

#[test]
fn bad_counts() {
    for (sequence, position) in [
        ("{TAB x}", 1),
        ("a{TAB -1}", 2),
        ("{TAB 3 4}", 1),
        ("{DELAY}", 1),
        ("{DELAY x}", 1),
        ("{DELAY=}", 1),
        ("{DELAY=5s}", 1),
        ("{ENTER 1.5}", 1),
    ] {
        let err = error(sequence);
        assert!(matches!(err, SequenceError::BadCount { position: p, .. } if p == position), "{sequence}: {err}");
    }
    assert_eq!(error("{TAB x}").to_string(), "{TAB x} at character 1: the count must be a whole number");
}

#[test]
fn counts_and_delays_have_limits() {
    assert_eq!(error("{TAB 101}"), SequenceError::TooManyRepeats { placeholder: "{TAB 101}".into(), position: 1 });
    assert_eq!(error("{TAB 101}").to_string(), "{TAB 101} at character 1 repeats too often: at most 100 times");
    assert!(matches!(error("{TAB 99999999999999999999999}"), SequenceError::TooManyRepeats { .. }));
    assert_eq!(
        error("ab{DELAY 10001}"),
        SequenceError::DelayTooLong { placeholder: "{DELAY 10001}".into(), position: 3, max_ms: MAX_DELAY_MS }
    );
    assert_eq!(
        error("{DELAY=501}"),
        SequenceError::DelayTooLong { placeholder: "{DELAY=501}".into(), position: 1, max_ms: MAX_KEY_DELAY_MS }
    );
    assert_eq!(error("{DELAY=501}").to_string(), "{DELAY=501} at character 1 waits too long: at most 500 ms");
}

#[test]
fn fields_and_commands_do_not_repeat() {
    assert_eq!(error("x{USERNAME 2}"), SequenceError::CannotRepeat { placeholder: "{USERNAME 2}".into(), position: 2 });
    assert!(matches!(error("{CLEARFIELD 2}"), SequenceError::CannotRepeat { position: 1, .. }));
}

#[test]
fn an_empty_custom_field_name_is_an_error() {
    assert_eq!(error("{TAB}{S:}"), SequenceError::EmptyCustomField { position: 6 });
    assert_eq!(error("{TAB}{S:}").to_string(), "{S:} at character 6 names no custom field");
}

#[test]
fn a_modifier_needs_a_key_or_character_after_it() {
    assert_eq!(error("abc+"), SequenceError::ModifierWithoutKey { position: 4 });
    assert_eq!(error("a^%"), SequenceError::ModifierWithoutKey { position: 2 });
    assert_eq!(error("^{PASSWORD}"), SequenceError::ModifierWithoutKey { position: 1 });
    assert_eq!(error("x+{DELAY 5}"), SequenceError::ModifierWithoutKey { position: 2 });
    assert_eq!(
        error("abc+").to_string(),
        "the modifier at character 4 (+ ^ % #) is not followed by a key or a character"
    );
}

#[test]
fn to_sequence_writes_canonical_names_and_escapes_specials() {
    let actions = parse("{pgdown}{bs}^{+}a+b{s:Name}{delay 5}{delay=6}{clearfield}{url}{~}").unwrap();
    assert_eq!(to_sequence(&actions), "{PGDN}{BACKSPACE}^{+}a+b{S:Name}{DELAY 5}{DELAY=6}{CLEARFIELD}{URL}{~}");
    assert_eq!(to_sequence(&parse(DEFAULT_SEQUENCE).unwrap()), DEFAULT_SEQUENCE);
}

fn values() -> EntryValues {
    EntryValues {
        title: "Mail".into(),
        username: "li.wei".into(),
        password: SecretText::new("p@ss 密码"),
        url: "https://mail.example.com".into(),
        notes: "line one\r\nline two\tend".into(),
        totp_code: Some(SecretText::new("123456")),
        fields: [("PIN".to_owned(), SecretText::new("0000"))].into(),
    }
}

fn typed(keystrokes: &[Keystroke]) -> String {
    keystrokes
        .iter()
        .map(|k| match k {
            Keystroke::Text(text) => text.expose().to_owned(),
            Keystroke::Key { key, modifiers } => format!("<{modifiers}{key}>"),
            Keystroke::Char { ch, modifiers } => format!("<{modifiers}{ch}>"),
            Keystroke::Delay(ms) => format!("<wait {ms}>"),
            Keystroke::KeyDelay(ms) => format!("<every {ms}>"),
            Keystroke::ClearField => "<clear>".to_owned(),
        })
        .collect()
}

#[test]
fn resolve_puts_the_entry_values_in() {
    let actions =
        parse("{CLEARFIELD}{USERNAME}{TAB}{PASSWORD}{TAB}{TOTP}{S:PIN}{s:pin}{URL} {TITLE}^v{DELAY 5}{DELAY=7}")
            .unwrap();
    let keystrokes = resolve(&actions, &values()).unwrap();
    assert_eq!(
        typed(&keystrokes),
        "<clear>li.wei<TAB>p@ss 密码<TAB>12345600000000https://mail.example.com Mail<^v><wait 5><every 7>"
    );
}

#[test]
fn resolve_types_line_breaks_and_tabs_in_values_as_keys() {
    let keystrokes = resolve(&parse("{NOTES}").unwrap(), &values()).unwrap();
    assert_eq!(typed(&keystrokes), "line one<ENTER>line two<TAB>end");
    let lone_returns = EntryValues { notes: "a\rb\n\nc".into(), ..values() };
    assert_eq!(typed(&resolve(&parse("{NOTES}").unwrap(), &lone_returns).unwrap()), "a<ENTER>b<ENTER><ENTER>c");
}

#[test]
fn resolve_fails_before_typing_when_a_value_is_missing() {
    let actions = parse("{USERNAME}{TAB}{S:Answer}").unwrap();
    let err = resolve(&actions, &values()).unwrap_err();
    assert_eq!(err, ResolveError::MissingCustomField("Answer".into()));
    assert_eq!(err.to_string(), "the entry has no custom field named \"Answer\"");
    let no_totp = EntryValues { totp_code: None, ..values() };
    assert_eq!(resolve(&parse("{TOTP}").unwrap(), &no_totp).unwrap_err(), ResolveError::NoTotp);
}

#[test]
fn debug_never_shows_the_secrets() {
    let shown = format!("{:?} {:?}", values(), resolve(&parse("{PASSWORD}{S:PIN}{TOTP}").unwrap(), &values()).unwrap());
    for secret in ["p@ss", "密码", "0000", "123456", "li.wei", "line one"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("PIN"), "{shown}");
}

#[test]
fn entry_values_come_from_the_entry() {
    let clock = crate::SystemClock;
    let author = crate::Author { device: crate::DeviceId(1), clock: &clock };
    let mut vault = crate::Vault::new("v", author, "laptop");
    let id = vault.add_entry(
        crate::NewEntry {
            title: "Bank".into(),
            username: "li".into(),
            password: "pw".into(),
            urls: vec!["https://bank.example".into(), "https://other.example".into()],
            notes: "n".into(),
            fields: vec![("PIN".into(), crate::CustomField { value: SecretText::new("1234"), hidden: true })],
            ..Default::default()
        },
        author,
    );
    let entry = vault.entry(id).unwrap();
    let values = EntryValues::from_entry(entry, None);
    let keystrokes = resolve(&parse("{TITLE}|{USERNAME}|{PASSWORD}|{URL}|{NOTES}|{S:PIN}").unwrap(), &values).unwrap();
    assert_eq!(typed(&keystrokes), "Bank|li|pw|https://bank.example|n|1234");
}

fn modifiers() -> impl Strategy<Value = Modifiers> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(shift, ctrl, alt, super_key)| Modifiers {
        shift,
        ctrl,
        alt,
        super_key,
    })
}

fn keys() -> impl Strategy<Value = Key> {
    let named = [
        Key::Tab,
        Key::Enter,
        Key::Space,
        Key::Up,
        Key::Down,
        Key::Left,
        Key::Right,
        Key::Home,
        Key::End,
        Key::PageUp,
        Key::PageDown,
        Key::Insert,
        Key::Delete,
        Key::Backspace,
        Key::Escape,
        Key::Win,
        Key::LeftWin,
        Key::RightWin,
        Key::Apps,
        Key::CapsLock,
        Key::NumLock,
        Key::ScrollLock,
        Key::PrintScreen,
        Key::Break,
        Key::Help,
        Key::Add,
        Key::Subtract,
        Key::Multiply,
        Key::Divide,
    ];
    prop_oneof![prop::sample::select(named.to_vec()), (1u8..=16).prop_map(Key::F), (0u8..=9).prop_map(Key::Numpad)]
}

fn actions() -> impl Strategy<Value = Action> {
    let fields = [Field::Username, Field::Password, Field::Totp, Field::Url, Field::Title, Field::Notes];
    prop_oneof![
        // Any text, the characters that mean something in a sequence made likely.
        "([{}+^%#~()\\[\\] a-z中文]|\\PC){0,6}".prop_map(Action::Text),
        (any::<char>(), modifiers().prop_filter("some held", |m| !m.is_empty()))
            .prop_map(|(ch, modifiers)| Action::Char { ch, modifiers }),
        (keys(), modifiers()).prop_map(|(key, modifiers)| Action::Key { key, modifiers }),
        prop::sample::select(fields.to_vec()).prop_map(Action::Field),
        "[^{}]{1,12}".prop_map(Action::CustomField),
        (0..=MAX_DELAY_MS).prop_map(Action::Delay),
        (0..=MAX_KEY_DELAY_MS).prop_map(Action::KeyDelay),
        Just(Action::ClearField),
    ]
}

/// What `parse` gives for these actions: adjacent texts joined, empty ones left out.
fn canonical(actions: Vec<Action>) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for action in actions {
        match (action, out.last_mut()) {
            (Action::Text(text), _) if text.is_empty() => {}
            (Action::Text(text), Some(Action::Text(last))) => last.push_str(&text),
            (action, _) => out.push(action),
        }
    }
    out
}

proptest! {
    #[test]
    fn parse_never_panics_and_errors_point_inside_the_sequence(sequence in "([{}+^%#~ ]|[A-Za-z0-9=:]|\\PC){0,40}") {
        if let Err(err) = parse(&sequence) {
            let position = err.position();
            prop_assert!(position >= 1 && position <= sequence.chars().count(), "{} in {:?}", err, sequence);
        }
    }

    #[test]
    fn what_parses_writes_back_to_the_same_actions(sequence in "([{}+^%#~ ]|TAB|DELAY|USERNAME|S:|[0-9=]|\\PC){0,40}") {
        if let Ok(actions) = parse(&sequence) {
            prop_assert_eq!(parse(&to_sequence(&actions)).unwrap(), actions);
        }
    }

    #[test]
    fn printed_actions_parse_to_the_same_actions(actions in prop::collection::vec(actions(), 0..12)) {
        let sequence = to_sequence(&actions);
        prop_assert_eq!(parse(&sequence).unwrap(), canonical(actions), "{}", sequence);
    }
}
