//! Helpers for the tests that type into real windows on an X server of their own
//! (scripts/test-autotype runs them under Xvfb, with no window manager).

#![allow(dead_code)]

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use autotype::X11Typist;
use vault::SecretText;
use vault::autofill::sequence::{self, EntryValues, Keystroke};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::ConnectionExt;

/// Long enough for a slow program to start on a busy machine; only a failing test waits this long.
const PATIENCE: Duration = Duration::from_secs(30);

/// A typist on the test display. Refuses to run anywhere else: these tests press keys, and on
/// the user's own display they would go to the user's windows.
pub fn typist() -> X11Typist {
    assert_eq!(
        std::env::var("CRM_VAULT_AUTOTYPE_XVFB").as_deref(),
        Ok("1"),
        "these tests type into windows: run them through scripts/test-autotype, on a display of their own"
    );
    X11Typist::connect().expect("the test display")
}

/// A sequence resolved for an entry with this user name and password.
pub fn keystrokes(sequence: &str, username: &str, password: &str) -> Vec<Keystroke> {
    let values =
        EntryValues { username: username.to_owned(), password: SecretText::new(password), ..EntryValues::default() };
    sequence::resolve(&sequence::parse(sequence).expect("a valid sequence"), &values).expect("the entry has the values")
}

/// A program started for a test, stopped when the test ends however it ends.
pub struct Program(pub Child);

impl Program {
    pub fn start(program: &str, args: &[&str]) -> Program {
        let child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        Program(child)
    }

    /// Waits for the program to end and gives what it printed.
    pub fn output(mut self) -> String {
        let start = Instant::now();
        while self.0.try_wait().expect("the program's state").is_none() {
            assert!(start.elapsed() < PATIENCE, "the program did not end");
            sleep(Duration::from_millis(50));
        }
        let mut out = String::new();
        self.0.stdout.take().expect("piped").read_to_string(&mut out).expect("its output");
        out
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The visible window with exactly this title, once it is there.
pub fn window_named(title: &str) -> u32 {
    let pattern = format!("^{}$", title.replace(' ', "\\s"));
    let start = Instant::now();
    loop {
        let found = Command::new("xdotool").args(["search", "--onlyvisible", "--name", &pattern]).output();
        let found = found.expect("xdotool runs");
        let ids = String::from_utf8_lossy(&found.stdout).to_string();
        if let Some(id) = ids.lines().next().and_then(|line| line.trim().parse().ok()) {
            return id;
        }
        assert!(start.elapsed() < PATIENCE, "no window named {title:?} appeared");
        sleep(Duration::from_millis(100));
    }
}

/// Waits until `check` holds, or fails the test.
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < PATIENCE, "{what}");
        sleep(Duration::from_millis(50));
    }
}

/// The server's whole keyboard mapping, read on a connection of the test's own.
pub fn keyboard_mapping() -> (u8, Vec<u32>) {
    let (conn, _) = x11rb::connect(None).expect("the test display");
    let setup = conn.setup();
    let (min, max) = (setup.min_keycode, setup.max_keycode);
    let reply = conn.get_keyboard_mapping(min, max - min + 1).unwrap().reply().unwrap();
    (reply.keysyms_per_keycode, reply.keysyms)
}
