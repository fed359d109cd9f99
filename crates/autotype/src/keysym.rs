//! Keysyms: the numbers X11 gives to what a key types (`a`, `Return`, `F5`, `U+9500`).
//!
//! Characters and [`Key`]s become keysyms here, and keysyms found in the keyboard mapping become
//! characters again, so a character is found on the keyboard whichever of its keysyms the layout
//! uses. Pure functions: nothing here talks to the X server.

use vault::autofill::sequence::Key;

/// An X11 keysym.
pub type Keysym = u32;

/// No keysym: an unused place in the keyboard mapping.
pub const NO_SYMBOL: Keysym = 0;

pub const BACKSPACE: Keysym = 0xff08;
pub const TAB: Keysym = 0xff09;
pub const RETURN: Keysym = 0xff0d;
pub const HOME: Keysym = 0xff50;
pub const END: Keysym = 0xff57;
pub const SHIFT_L: Keysym = 0xffe1;
pub const SHIFT_R: Keysym = 0xffe2;
pub const CONTROL_L: Keysym = 0xffe3;
pub const CONTROL_R: Keysym = 0xffe4;
pub const CAPS_LOCK: Keysym = 0xffe5;
pub const META_L: Keysym = 0xffe7;
pub const ALT_L: Keysym = 0xffe9;
pub const ALT_R: Keysym = 0xffea;
pub const SUPER_L: Keysym = 0xffeb;
pub const SUPER_R: Keysym = 0xffec;

/// Unicode characters outside Latin-1 have keysyms of their own: this offset plus the code point.
const UNICODE_OFFSET: u32 = 0x0100_0000;

/// Keysyms older than the Unicode ones that layouts still use for a character. Only the common
/// one is listed: a character whose keysym is not recognised here is still typed, through a
/// spare key remapped to its Unicode keysym.
const LEGACY: [(Keysym, char); 1] = [(0x20ac, '€')];

/// The keysym that types `ch`, or `None` for a control character, which no key types.
/// A line break is Return and a tab is Tab, as when the user presses them.
pub fn char_keysym(ch: char) -> Option<Keysym> {
    match ch {
        '\n' | '\r' => Some(RETURN),
        '\t' => Some(TAB),
        // Latin-1's printable characters are their own keysyms.
        ' '..='~' | '\u{a0}'..='\u{ff}' => Some(u32::from(ch)),
        ch if ch.is_control() => None,
        ch => Some(UNICODE_OFFSET + u32::from(ch)),
    }
}

/// The character a keysym types, if it types one.
pub fn keysym_char(keysym: Keysym) -> Option<char> {
    match keysym {
        0x20..=0x7e | 0xa0..=0xff => char::from_u32(keysym),
        0x0100_0100..=0x0110_ffff => char::from_u32(keysym - UNICODE_OFFSET),
        _ => LEGACY.iter().find(|(legacy, _)| *legacy == keysym).map(|(_, ch)| *ch),
    }
}

/// The keysym of a key, or `None` for a number no keyboard has (`F40`, `NUMPAD12`).
pub fn key_keysym(key: Key) -> Option<Keysym> {
    Some(match key {
        Key::Tab => TAB,
        Key::Enter => RETURN,
        Key::Space => 0x20,
        Key::Up => 0xff52,
        Key::Down => 0xff54,
        Key::Left => 0xff51,
        Key::Right => 0xff53,
        Key::Home => HOME,
        Key::End => END,
        Key::PageUp => 0xff55,
        Key::PageDown => 0xff56,
        Key::Insert => 0xff63,
        Key::Delete => 0xffff,
        Key::Backspace => BACKSPACE,
        Key::Escape => 0xff1b,
        // X11 names F1 to F35.
        Key::F(n @ 1..=35) => 0xffbe + u32::from(n) - 1,
        Key::F(_) => return None,
        Key::Win | Key::LeftWin => SUPER_L,
        Key::RightWin => SUPER_R,
        Key::Apps => 0xff67,
        Key::CapsLock => CAPS_LOCK,
        Key::NumLock => 0xff7f,
        Key::ScrollLock => 0xff14,
        Key::PrintScreen => 0xff61,
        Key::Break => 0xff6b,
        Key::Help => 0xff6a,
        Key::Add => 0xffab,
        Key::Subtract => 0xffad,
        Key::Multiply => 0xffaa,
        Key::Divide => 0xffaf,
        Key::Numpad(n @ 0..=9) => 0xffb0 + u32::from(n),
        Key::Numpad(_) => return None,
    })
}

/// The only item of an iterator, if it has exactly one.
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// The keysyms of the other case of a letter, for a mapping that lists only one of them: X11
/// reads a key listing only `a` as `a` unshifted and `A` shifted.
pub fn case_pair(keysym: Keysym) -> Option<(Keysym, Keysym)> {
    let ch = keysym_char(keysym)?;
    let lower = single(ch.to_lowercase())?;
    let upper = single(ch.to_uppercase())?;
    (lower != upper).then(|| Some((char_keysym(lower)?, char_keysym(upper)?))).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_latin1_characters_are_their_own_keysyms() {
        assert_eq!(char_keysym('a'), Some(0x61));
        assert_eq!(char_keysym('A'), Some(0x41));
        assert_eq!(char_keysym(' '), Some(0x20));
        assert_eq!(char_keysym('~'), Some(0x7e));
        assert_eq!(char_keysym('{'), Some(0x7b));
        assert_eq!(char_keysym('ä'), Some(0xe4));
        assert_eq!(char_keysym('é'), Some(0xe9));
        assert_eq!(char_keysym('\u{a0}'), Some(0xa0));
    }

    #[test]
    fn other_characters_use_unicode_keysyms() {
        assert_eq!(char_keysym('销'), Some(0x0100_9500));
        assert_eq!(char_keysym('€'), Some(0x0100_20ac));
        assert_eq!(char_keysym('ł'), Some(0x0100_0142));
        // Outside the Basic Multilingual Plane: one keysym, not two UTF-16 halves.
        assert_eq!(char_keysym('😀'), Some(0x0101_f600));
    }

    #[test]
    fn line_breaks_and_tabs_are_keys_and_other_control_characters_are_not_typed() {
        assert_eq!(char_keysym('\n'), Some(RETURN));
        assert_eq!(char_keysym('\r'), Some(RETURN));
        assert_eq!(char_keysym('\t'), Some(TAB));
        assert_eq!(char_keysym('\0'), None);
        assert_eq!(char_keysym('\u{7f}'), None);
        assert_eq!(char_keysym('\u{85}'), None);
    }

    #[test]
    fn keysyms_read_back_as_their_characters() {
        for ch in ['a', 'Z', '~', 'ä', 'ÿ', '销', '€', '😀'] {
            assert_eq!(keysym_char(char_keysym(ch).unwrap()), Some(ch), "{ch}");
        }
        // A layout's EuroSign is the euro too.
        assert_eq!(keysym_char(0x20ac), Some('€'));
        assert_eq!(keysym_char(RETURN), None);
        assert_eq!(keysym_char(SHIFT_L), None);
        assert_eq!(keysym_char(NO_SYMBOL), None);
    }

    #[test]
    fn keys_have_their_x11_keysyms() {
        assert_eq!(key_keysym(Key::Tab), Some(0xff09));
        assert_eq!(key_keysym(Key::Enter), Some(0xff0d));
        assert_eq!(key_keysym(Key::Space), Some(0x20));
        assert_eq!(key_keysym(Key::Backspace), Some(0xff08));
        assert_eq!(key_keysym(Key::Delete), Some(0xffff));
        assert_eq!(key_keysym(Key::Escape), Some(0xff1b));
        assert_eq!(key_keysym(Key::PageDown), Some(0xff56));
        assert_eq!(key_keysym(Key::F(1)), Some(0xffbe));
        assert_eq!(key_keysym(Key::F(16)), Some(0xffcd));
        assert_eq!(key_keysym(Key::Win), Some(0xffeb));
        assert_eq!(key_keysym(Key::RightWin), Some(0xffec));
        assert_eq!(key_keysym(Key::Numpad(0)), Some(0xffb0));
        assert_eq!(key_keysym(Key::Numpad(9)), Some(0xffb9));
        assert_eq!(key_keysym(Key::Add), Some(0xffab));
        assert_eq!(key_keysym(Key::F(0)), None);
        assert_eq!(key_keysym(Key::F(40)), None);
        assert_eq!(key_keysym(Key::Numpad(10)), None);
    }

    #[test]
    fn letters_have_a_case_pair_and_other_characters_none() {
        assert_eq!(case_pair(0x61), Some((0x61, 0x41)));
        assert_eq!(case_pair(0x41), Some((0x61, 0x41)));
        assert_eq!(case_pair(0xe4), Some((0xe4, 0xc4)));
        assert_eq!(case_pair(0x0100_0142), Some((0x0100_0142, 0x0100_0141)));
        assert_eq!(case_pair(0x31), None);
        assert_eq!(case_pair(0x0100_9500), None);
        // ß has no single upper-case letter.
        assert_eq!(case_pair(0xdf), None);
        assert_eq!(case_pair(RETURN), None);
    }
}
