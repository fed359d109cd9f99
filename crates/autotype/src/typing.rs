//! Typing keystrokes through XTest, one key at a time, each only while the focus is still on
//! the window the user chose.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use vault::autofill::sequence::{Keystroke, Modifiers};
use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{ConnectionExt as _, KEY_PRESS_EVENT, KEY_RELEASE_EVENT, KeyButMask};
use x11rb::protocol::xtest::ConnectionExt as _;

use crate::keymap::{KeyPress, KeyboardMap, ModifierKeys};
use crate::keysym::{self, Keysym};
use crate::remap::Remapper;
use crate::{AutoTypeError, X11Typist};

/// How long the user has to let go of the keys of the shortcut that started auto-type: typing
/// while Ctrl is still held would turn letters into commands.
const RELEASE_WAIT: Duration = Duration::from_secs(2);
/// The longest sleep between two looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(10);

/// The pause after each key, so slow programs see every key (KeePassXC waits 25 ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypingSpeed {
    pub key_delay_ms: u32,
}

impl TypingSpeed {
    pub const fn new(key_delay_ms: u32) -> TypingSpeed {
        TypingSpeed { key_delay_ms }
    }
}

impl Default for TypingSpeed {
    fn default() -> TypingSpeed {
        TypingSpeed::new(20)
    }
}

impl X11Typist {
    /// Types `keystrokes` into the window `target` (from [`X11Typist::active_window`]), which
    /// must have the keyboard focus. Before every key, checks the focus is still on `target`
    /// (or a window inside it) and stops with [`AutoTypeError::FocusMoved`] if not, having typed
    /// nothing more; the check and the key are one step no other program's request can come
    /// between. Stops with [`AutoTypeError::Cancelled`] soon after `cancel` is set.
    ///
    /// Waits up to two seconds for modifier keys the user still holds to be let go, and turns
    /// Caps Lock off while typing. Characters the keyboard layout lacks are typed on a spare
    /// keycode lent to them; the keyboard mapping is as before when this returns, whether it
    /// typed everything or not.
    pub fn type_keystrokes(
        &self,
        target: u32,
        keystrokes: &[Keystroke],
        speed: TypingSpeed,
        cancel: &AtomicBool,
    ) -> Result<(), AutoTypeError> {
        self.drop_events()?;
        let mut typing = Typing::start(self, target, speed, cancel)?;
        let typed = keystrokes.iter().try_for_each(|keystroke| typing.keystroke(keystroke));
        let restored = typing.finish();
        self.drop_events()?;
        typed.and(restored)
    }
}

/// One run of typing: the keyboard as it was at the start, and what must be put back.
struct Typing<'a> {
    typist: &'a X11Typist,
    target: u32,
    cancel: &'a AtomicBool,
    map: KeyboardMap,
    modifiers: ModifierKeys,
    remapper: Remapper,
    /// The Caps Lock key, when it was on and turned off for the typing.
    caps_lock: Option<u8>,
    key_delay: Duration,
    finished: bool,
}

impl<'a> Typing<'a> {
    fn start(
        typist: &'a X11Typist,
        target: u32,
        speed: TypingSpeed,
        cancel: &'a AtomicBool,
    ) -> Result<Typing<'a>, AutoTypeError> {
        let map = KeyboardMap::fetch(&typist.conn)?;
        let mut typing = Typing {
            typist,
            target,
            cancel,
            modifiers: ModifierKeys::find(&map),
            remapper: Remapper::new(&map),
            map,
            caps_lock: None,
            key_delay: Duration::from_millis(speed.key_delay_ms.into()),
            finished: false,
        };
        typing.wait_for_keys_released()?;
        let state = typist.conn.query_pointer(typist.root)?.reply()?.mask;
        if state.contains(KeyButMask::LOCK)
            && let Some(caps) = typing.map.find_keysym(keysym::CAPS_LOCK)
        {
            typing.tap(caps.keycode)?;
            typing.caps_lock = Some(caps.keycode);
        }
        Ok(typing)
    }

    fn keystroke(&mut self, keystroke: &Keystroke) -> Result<(), AutoTypeError> {
        match keystroke {
            Keystroke::Text(text) => text.expose().chars().try_for_each(|ch| self.char(ch, Modifiers::NONE)),
            Keystroke::Char { ch, modifiers } => self.char(*ch, *modifiers),
            Keystroke::Key { key, modifiers } => {
                self.key(keysym::key_keysym(*key).ok_or(AutoTypeError::UnknownKey)?, *modifiers)
            }
            Keystroke::Delay(ms) => self.pause(Duration::from_millis((*ms).into())),
            Keystroke::KeyDelay(ms) => {
                self.key_delay = Duration::from_millis((*ms).into());
                Ok(())
            }
            // As KeePassXC does on X11: select from the start to the end of the field, then
            // delete. Unlike Ctrl+A, this also empties multi-line fields and is not a command
            // of its own in terminals and editors that read Ctrl+A otherwise.
            Keystroke::ClearField => {
                let ctrl = Modifiers { ctrl: true, ..Modifiers::NONE };
                self.key(keysym::HOME, ctrl)?;
                self.key(keysym::END, Modifiers { shift: true, ..ctrl })?;
                self.key(keysym::BACKSPACE, Modifiers::NONE)
            }
        }
    }

    fn char(&mut self, ch: char, modifiers: Modifiers) -> Result<(), AutoTypeError> {
        let keysym = keysym::char_keysym(ch).ok_or(AutoTypeError::ControlCharacter)?;
        let found = self.map.find_char(ch).or_else(|| self.map.find_keysym(keysym));
        self.press(found, keysym, modifiers)
    }

    fn key(&mut self, keysym: Keysym, modifiers: Modifiers) -> Result<(), AutoTypeError> {
        let found = self.map.find_keysym(keysym);
        self.press(found, keysym, modifiers)
    }

    /// Presses and releases a key typing `keysym` (the one `found`, else a spare one lent to
    /// it) with the modifiers held, if the focus is still on the target; then waits the delay
    /// between keys.
    fn press(&mut self, found: Option<KeyPress>, keysym: Keysym, modifiers: Modifiers) -> Result<(), AutoTypeError> {
        self.check_cancel()?;
        let press = match found {
            Some(press) => press,
            None => KeyPress { keycode: self.remapper.keycode_for(&self.typist.conn, keysym)?, shift: false },
        };
        let wanted = [
            (press.shift || modifiers.shift, self.modifiers.shift, "Shift"),
            (modifiers.ctrl, self.modifiers.ctrl, "Ctrl"),
            (modifiers.alt, self.modifiers.alt, "Alt"),
            (modifiers.super_key, self.modifiers.super_key, "Super"),
        ];
        let mut held = Vec::with_capacity(wanted.len());
        for (needed, keycode, name) in wanted {
            if needed {
                held.push(keycode.ok_or(AutoTypeError::NoModifierKey(name))?);
            }
        }

        let conn = &self.typist.conn;
        // While the server is grabbed, no other program's request (a window manager moving the
        // focus, a window popping up) is carried out between the focus check and the key.
        conn.grab_server()?;
        let sent = (|| {
            if !self.typist.focus_is_on(self.target)? {
                return Err(AutoTypeError::FocusMoved);
            }
            for &modifier in &held {
                self.fake(KEY_PRESS_EVENT, modifier)?;
            }
            self.fake(KEY_PRESS_EVENT, press.keycode)?;
            self.fake(KEY_RELEASE_EVENT, press.keycode)?;
            for &modifier in held.iter().rev() {
                self.fake(KEY_RELEASE_EVENT, modifier)?;
            }
            Ok(())
        })();
        let ungrabbed = conn.ungrab_server().map_err(AutoTypeError::from).and_then(|_| Ok(conn.flush()?));
        sent.and(ungrabbed)?;
        self.pause(self.key_delay)
    }

    /// Presses and releases a key wherever the focus is (Caps Lock only).
    fn tap(&self, keycode: u8) -> Result<(), AutoTypeError> {
        self.fake(KEY_PRESS_EVENT, keycode)?;
        self.fake(KEY_RELEASE_EVENT, keycode)?;
        self.typist.conn.flush()?;
        Ok(())
    }

    fn fake(&self, event: u8, keycode: u8) -> Result<(), AutoTypeError> {
        self.typist.conn.xtest_fake_input(event, keycode, x11rb::CURRENT_TIME, x11rb::NONE, 0, 0, 0)?;
        Ok(())
    }

    /// Waits until no key is down: the shortcut's modifiers would change what is typed, and its
    /// letter, still down when the same key is pressed for the text, would swallow that press
    /// (Ctrl+Alt+A, then a user name starting with "a").
    fn wait_for_keys_released(&self) -> Result<(), AutoTypeError> {
        let conn = &self.typist.conn;
        let start = Instant::now();
        loop {
            let keys = conn.query_keymap()?.reply()?.keys;
            if keys.iter().all(|&byte| byte == 0) {
                return Ok(());
            }
            if start.elapsed() > RELEASE_WAIT {
                return Err(AutoTypeError::ModifiersHeld);
            }
            self.pause(CANCEL_POLL)?;
        }
    }

    fn pause(&self, duration: Duration) -> Result<(), AutoTypeError> {
        let end = Instant::now() + duration;
        loop {
            self.check_cancel()?;
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            sleep(left.min(CANCEL_POLL));
        }
    }

    fn check_cancel(&self) -> Result<(), AutoTypeError> {
        if self.cancel.load(Ordering::Relaxed) { Err(AutoTypeError::Cancelled) } else { Ok(()) }
    }

    /// Gives lent keycodes back and turns Caps Lock on again if it was. Runs once.
    fn finish(&mut self) -> Result<(), AutoTypeError> {
        if std::mem::replace(&mut self.finished, true) {
            return Ok(());
        }
        let restored = self.remapper.restore(&self.typist.conn);
        let caps = match self.caps_lock.take() {
            Some(keycode) => self.tap(keycode),
            None => Ok(()),
        };
        // A round trip: once typing returns, the server has carried out every key, so whoever
        // looks next (the app, a test on a connection of its own) sees the keyboard as it is.
        let synced = self.typist.conn.get_input_focus().map_err(AutoTypeError::from).and_then(|c| Ok(c.reply()?));
        restored.and(caps).and(synced.map(drop))
    }
}

impl Drop for Typing<'_> {
    /// Puts the keyboard back even when typing stopped half-way through an error.
    fn drop(&mut self) {
        let _ = self.finish();
    }
}
