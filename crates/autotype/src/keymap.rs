//! The keyboard as the X server maps it: which keycode, with or without Shift, types a keysym,
//! which keycodes are free to lend to a character the layout lacks, and where the modifiers are.

use x11rb::protocol::xproto::{ConnectionExt as _, GetKeyboardMappingReply};
use x11rb::rust_connection::RustConnection;

use crate::AutoTypeError;
use crate::keysym::{self, Keysym, NO_SYMBOL};

/// A key to press: its keycode, and whether Shift must be held for the keysym wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPress {
    pub keycode: u8,
    pub shift: bool,
}

/// A copy of the server's keyboard mapping (GetKeyboardMapping), read once per typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyboardMap {
    pub min_keycode: u8,
    pub keysyms_per_keycode: u8,
    pub keysyms: Vec<Keysym>,
}

impl KeyboardMap {
    pub fn fetch(conn: &RustConnection) -> Result<KeyboardMap, AutoTypeError> {
        let setup = x11rb::connection::Connection::setup(conn);
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let reply: GetKeyboardMappingReply = conn.get_keyboard_mapping(min, max - min + 1)?.reply()?;
        Ok(KeyboardMap { min_keycode: min, keysyms_per_keycode: reply.keysyms_per_keycode, keysyms: reply.keysyms })
    }

    /// The keysyms of one keycode, as listed.
    pub fn row(&self, keycode: u8) -> &[Keysym] {
        let per = usize::from(self.keysyms_per_keycode);
        let start = usize::from(keycode - self.min_keycode) * per;
        &self.keysyms[start..start + per]
    }

    fn keycodes(&self) -> impl DoubleEndedIterator<Item = u8> + '_ {
        let count = self.keysyms.len() / usize::from(self.keysyms_per_keycode.max(1));
        (0..count).map(|i| self.min_keycode + i as u8)
    }

    /// What a keycode types without and with Shift in the first group, by the core protocol's
    /// rules: a second place left empty repeats the first, or holds its upper case for a letter.
    /// Other groups and levels (AltGr) are left alone: their characters are typed by remapping.
    pub fn levels(&self, keycode: u8) -> (Keysym, Keysym) {
        let row = self.row(keycode);
        let first = row.first().copied().unwrap_or(NO_SYMBOL);
        let second = row.get(1).copied().unwrap_or(NO_SYMBOL);
        if second != NO_SYMBOL {
            return (first, second);
        }
        keysym::case_pair(first).unwrap_or((first, first))
    }

    /// The key typing a keysym, preferring one without Shift, as XKeysymToKeycode does.
    pub fn find_keysym(&self, wanted: Keysym) -> Option<KeyPress> {
        self.find(|keysym| keysym == wanted)
    }

    /// The key typing a character, under any of the character's keysyms (`€` is both
    /// `EuroSign` and `U+20AC`).
    pub fn find_char(&self, wanted: char) -> Option<KeyPress> {
        self.find(|keysym| keysym::keysym_char(keysym) == Some(wanted))
    }

    fn find(&self, matches: impl Fn(Keysym) -> bool) -> Option<KeyPress> {
        let unshifted = self.keycodes().find(|&k| matches(self.levels(k).0));
        let found = unshifted.map(|keycode| KeyPress { keycode, shift: false });
        found.or_else(|| {
            self.keycodes().find(|&k| matches(self.levels(k).1)).map(|keycode| KeyPress { keycode, shift: true })
        })
    }

    /// Keycodes with no keysym at all, the highest first: keys the keyboard does not have, which
    /// can be lent to a character for a moment without changing any key the user presses.
    pub fn spare_keycodes(&self) -> Vec<u8> {
        self.keycodes().rev().filter(|&k| self.row(k).iter().all(|&s| s == NO_SYMBOL)).collect()
    }
}

/// The keycodes of the modifiers auto-type holds, found by their keysyms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModifierKeys {
    pub shift: Option<u8>,
    pub ctrl: Option<u8>,
    pub alt: Option<u8>,
    pub super_key: Option<u8>,
}

impl ModifierKeys {
    pub fn find(map: &KeyboardMap) -> ModifierKeys {
        let first = |keysyms: &[Keysym]| keysyms.iter().find_map(|&s| map.find_keysym(s)).map(|k| k.keycode);
        ModifierKeys {
            shift: first(&[keysym::SHIFT_L, keysym::SHIFT_R]),
            ctrl: first(&[keysym::CONTROL_L, keysym::CONTROL_R]),
            alt: first(&[keysym::ALT_L, keysym::ALT_R, keysym::META_L]),
            super_key: first(&[keysym::SUPER_L, keysym::SUPER_R]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keycodes 8..=13: `a A`, `1 !`, `b` alone, nothing, Return, `EuroSign` alone.
    fn map() -> KeyboardMap {
        KeyboardMap {
            min_keycode: 8,
            keysyms_per_keycode: 2,
            keysyms: vec![0x61, 0x41, 0x31, 0x21, 0x62, 0, 0, 0, keysym::RETURN, 0, 0x20ac, 0],
        }
    }

    #[test]
    fn finds_characters_with_and_without_shift() {
        let map = map();
        assert_eq!(map.find_char('a'), Some(KeyPress { keycode: 8, shift: false }));
        assert_eq!(map.find_char('A'), Some(KeyPress { keycode: 8, shift: true }));
        assert_eq!(map.find_char('!'), Some(KeyPress { keycode: 9, shift: true }));
        // A letter listed alone gives its upper case with Shift.
        assert_eq!(map.find_char('B'), Some(KeyPress { keycode: 10, shift: true }));
        assert_eq!(map.find_char('€'), Some(KeyPress { keycode: 13, shift: false }));
        assert_eq!(map.find_keysym(keysym::RETURN), Some(KeyPress { keycode: 12, shift: false }));
        assert_eq!(map.find_char('é'), None);
        assert_eq!(map.find_char('销'), None);
    }

    #[test]
    fn spare_keycodes_are_the_empty_ones_highest_first() {
        let mut map = map();
        assert_eq!(map.spare_keycodes(), vec![11]);
        map.keysyms.extend([0, 0]);
        assert_eq!(map.spare_keycodes(), vec![14, 11]);
    }
}
