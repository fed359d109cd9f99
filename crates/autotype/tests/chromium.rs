//! Auto-type into a page in Chromium (a real browser window, not headless) on an X server with
//! no window manager: the page copies its field into its title, which the window's title shows.

mod common;

use std::sync::atomic::AtomicBool;

use autotype::TypingSpeed;
use common::{Program, eventually, keystrokes, typist, window_named};

const PAGE: &str = "<title>Auto-type target</title>\
    <input autofocus oninput=\"document.title = 'Typed: ' + this.value\">";

/// `text` as a data: URL, every byte but letters and digits percent-encoded.
fn data_url(text: &str) -> String {
    let mut url = String::from("data:text/html;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[test]
#[ignore = "types into windows on an X server: run scripts/test-autotype"]
fn types_into_a_page_in_chromium() {
    let typist = typist();
    let profile = tempfile::tempdir().unwrap();
    let _browser = Program::start(
        "chromium",
        &[
            "--no-sandbox",
            &format!("--user-data-dir={}", profile.path().display()),
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--password-store=basic",
            &format!("--app={}", data_url(PAGE)),
        ],
    );
    let window = window_named("Auto-type target");
    typist.activate(window).unwrap();

    let text = "销售员 alice Pä55!~\"{}";
    let keys = keystrokes("{USERNAME}", text, "");
    typist.type_keystrokes(window, &keys, TypingSpeed::default(), &AtomicBool::new(false)).unwrap();
    let expected = format!("Typed: {text}");
    eventually("the page's title shows what was typed", || {
        typist.active_window().unwrap().is_some_and(|active| active.id == window && active.title == expected)
    });
}
