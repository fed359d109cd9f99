//! Auto-type into GTK dialogs (zenity) on an X server with no window manager.

mod common;

use std::sync::atomic::AtomicBool;
use std::thread;

use autotype::{AutoTypeError, TypingSpeed};
use common::{Program, keyboard_mapping, keystrokes, typist, window_named};
use vault::SecretText;
use vault::autofill::sequence::Keystroke;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, KeyButMask, PropMode};
use x11rb::wrapper::ConnectionExt as _;

const USERNAME: &str = "销售员 alice";
const PASSWORD: &str = "Pä55!~\"{}";

fn not_cancelled() -> AtomicBool {
    AtomicBool::new(false)
}

/// A zenity dialog with one text entry, and its window once shown.
fn entry_dialog(title: &str) -> (Program, u32) {
    let dialog = Program::start("zenity", &["--entry", &format!("--title={title}"), "--text=Type here"]);
    let window = window_named(title);
    (dialog, window)
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn fills_a_login_form_with_the_default_sequence() {
    let typist = typist();
    let form = Program::start(
        "zenity",
        &["--forms", "--title=Sign in to the CRM", "--add-entry=User", "--add-password=Password"],
    );
    let window = window_named("Sign in to the CRM");
    typist.activate(window).unwrap();

    let active = typist.active_window().unwrap().expect("the form has the focus");
    assert_eq!(active.id, window);
    assert_eq!(active.title, "Sign in to the CRM");
    assert_eq!(active.pid, Some(form.0.id()));

    let keys = keystrokes("{USERNAME}{TAB}{PASSWORD}{ENTER}", USERNAME, PASSWORD);
    typist.type_keystrokes(window, &keys, TypingSpeed::default(), &not_cancelled()).unwrap();
    // zenity's form does not take Enter in a field as OK, as a login page does (nor Alt+O,
    // xdotool shows the same): Tab to Cancel, Tab to OK, Enter.
    let ok = keystrokes("{TAB}{TAB}{ENTER}", "", "");
    typist.type_keystrokes(window, &ok, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(form.output(), format!("{USERNAME}|{PASSWORD}\n"));
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn clearfield_empties_what_the_field_held() {
    let typist = typist();
    let (dialog, window) = entry_dialog("Clear the field");
    typist.activate(window).unwrap();
    let speed = TypingSpeed::default();
    typist.type_keystrokes(window, &keystrokes("stale text", "", ""), speed, &not_cancelled()).unwrap();
    let keys = keystrokes("{CLEARFIELD}{USERNAME}{ENTER}", "fresh", "");
    typist.type_keystrokes(window, &keys, speed, &not_cancelled()).unwrap();
    assert_eq!(dialog.output(), "fresh\n");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn keys_with_modifiers_act_as_shortcuts() {
    let typist = typist();
    let (dialog, window) = entry_dialog("Shortcuts");
    typist.activate(window).unwrap();
    // Shift+Left twice selects "cd", which X replaces; Shift+End from the start selects all,
    // Ctrl+C copies it and Ctrl+V pastes it at the end.
    let keys = keystrokes("abcd+{LEFT}+{LEFT}X{HOME}+{END}^c{END}^v{ENTER}", "", "");
    typist.type_keystrokes(window, &keys, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(dialog.output(), "abXabX\n");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn characters_the_layout_lacks_are_typed_and_the_keyboard_is_given_back() {
    let typist = typist();
    let before = keyboard_mapping();
    let (dialog, window) = entry_dialog("Characters");
    typist.activate(window).unwrap();
    // Not on a US keyboard: é ñ € and the Chinese, and the emoji outside the BMP; more kinds
    // than spare keys are lent at once, so keys are lent again while typing.
    let text = "é ñ € 销售员 😀 ĳ Ωμέγα 你好世界 naïve";
    let keys = keystrokes("{PASSWORD}{ENTER}", "", text);
    typist.type_keystrokes(window, &keys, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(dialog.output(), format!("{text}\n"));
    assert_eq!(keyboard_mapping(), before, "the keyboard mapping is as it was");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn caps_lock_does_not_change_what_is_typed_and_is_on_again_after() {
    let typist = typist();
    let (conn, screen) = x11rb::connect(None).unwrap();
    let root = conn.setup().roots[screen].root;
    let caps_on = || conn.query_pointer(root).unwrap().reply().unwrap().mask.contains(KeyButMask::LOCK);
    let (dialog, window) = entry_dialog("Caps Lock");
    typist.activate(window).unwrap();
    assert!(std::process::Command::new("xdotool").args(["key", "Caps_Lock"]).status().unwrap().success());
    assert!(caps_on());

    let keys = keystrokes("{PASSWORD}{ENTER}", "", "aB1é");
    typist.type_keystrokes(window, &keys, TypingSpeed::default(), &not_cancelled()).unwrap();
    let caps_after = caps_on();
    assert!(std::process::Command::new("xdotool").args(["key", "Caps_Lock"]).status().unwrap().success());
    assert_eq!(dialog.output(), "aB1é\n");
    assert!(caps_after, "Caps Lock is on again, as the user had it");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn stops_when_the_focus_moves_and_types_nothing_into_the_other_window() {
    let typist = typist();
    let before = keyboard_mapping();
    let (first, first_window) = entry_dialog("First window");
    let (second, second_window) = entry_dialog("Second window");
    typist.activate(first_window).unwrap();

    // Latin text first, then Chinese, whose first character lends a spare key: once the
    // mapping changes, the typing is under way and "alice " is in the first window.
    let text = format!("alice {}", "销售员".repeat(200));
    let unchanged = before.clone();
    let mover = thread::spawn(move || {
        common::eventually("typing started", || keyboard_mapping() != unchanged);
        let mover = common::typist();
        mover.activate(second_window).unwrap();
    });
    let keys = [Keystroke::Text(SecretText::new(text.as_str()))];
    let typed = typist.type_keystrokes(first_window, &keys, TypingSpeed::new(20), &not_cancelled());
    mover.join().unwrap();
    assert!(matches!(typed, Err(AutoTypeError::FocusMoved)), "{typed:?}");
    assert_eq!(keyboard_mapping(), before, "the keyboard mapping is as it was");

    let enter = keystrokes("{ENTER}", "", "");
    typist.type_keystrokes(second_window, &enter, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(second.output(), "\n", "the second window received nothing but the Enter pressed for the test");
    typist.activate(first_window).unwrap();
    typist.type_keystrokes(first_window, &enter, TypingSpeed::default(), &not_cancelled()).unwrap();
    let received = first.output();
    let received = received.strip_suffix('\n').unwrap();
    assert!(received.starts_with("alice ") && text.starts_with(received), "{received}");
    assert!(received.len() < text.len());
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn a_cancelled_typing_stops() {
    let typist = typist();
    let (dialog, window) = entry_dialog("Cancelled");
    typist.activate(window).unwrap();
    let cancel = AtomicBool::new(true);
    let typed =
        typist.type_keystrokes(window, &keystrokes("{PASSWORD}", "", "secret"), TypingSpeed::default(), &cancel);
    assert!(matches!(typed, Err(AutoTypeError::Cancelled)), "{typed:?}");
    let enter = keystrokes("{ENTER}", "", "");
    typist.type_keystrokes(window, &enter, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(dialog.output(), "\n");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn nothing_is_typed_when_the_window_does_not_have_the_focus() {
    let typist = typist();
    let (_chosen, chosen_window) = entry_dialog("Chosen window");
    let (other, other_window) = entry_dialog("Other window");
    typist.activate(other_window).unwrap();
    let keys = keystrokes("{PASSWORD}", "", "hunter2");
    let typed = typist.type_keystrokes(chosen_window, &keys, TypingSpeed::default(), &not_cancelled());
    let error = typed.unwrap_err();
    assert!(matches!(error, AutoTypeError::FocusMoved), "{error:?}");
    let enter = keystrokes("{ENTER}", "", "");
    typist.type_keystrokes(other_window, &enter, TypingSpeed::default(), &not_cancelled()).unwrap();
    assert_eq!(other.output(), "\n");
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn the_window_managers_active_window_comes_before_the_focus() {
    let typist = typist();
    let (_active, active_window) = entry_dialog("Active in the window manager");
    let (_focused, focused_window) = entry_dialog("Holding the focus");
    typist.activate(focused_window).unwrap();
    assert_eq!(typist.active_window().unwrap().map(|w| w.id), Some(focused_window));

    // Acting as a window manager would: it names the active window on the root window.
    let (conn, screen) = x11rb::connect(None).unwrap();
    let root = conn.setup().roots[screen].root;
    let property = conn.intern_atom(false, b"_NET_ACTIVE_WINDOW").unwrap().reply().unwrap().atom;
    conn.change_property32(PropMode::REPLACE, root, property, AtomEnum::WINDOW, &[active_window]).unwrap();
    conn.sync().unwrap();
    let active = typist.active_window();
    conn.delete_property(root, property).unwrap();
    conn.sync().unwrap();

    let active = active.unwrap().expect("an active window");
    assert_eq!(active.id, active_window);
    assert_eq!(active.title, "Active in the window manager");
    assert_eq!(typist.active_window().unwrap().map(|w| w.id), Some(focused_window));
}
