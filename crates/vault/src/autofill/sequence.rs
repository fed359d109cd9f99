//! Auto-type sequences in KeePassXC's syntax: `{USERNAME}{TAB}{PASSWORD}{ENTER}` and the rest.
//!
//! [`parse`] checks a sequence and turns it into [`Action`]s; it knows nothing about any entry,
//! so a sequence can be checked while it is typed into the entry form. [`resolve`] then puts an
//! entry's values in place of `{USERNAME}`, `{S:name}` and the others, and fails before anything
//! is typed if the entry lacks one of them. [`to_sequence`] writes actions back as text that
//! parses to the same actions.
//!
//! The syntax, as KeePassXC reads it:
//! - literal text is typed as it is (any Unicode);
//! - `{USERNAME}`, `{PASSWORD}`, `{TOTP}`, `{URL}`, `{TITLE}`, `{NOTES}`: the entry's values;
//!   `{S:name}`: its custom field `name`;
//! - `{TAB}`, `{ENTER}`, `{SPACE}`, `{UP}`, `{F5}` ... ([`Key`]), with a repeat count:
//!   `{TAB 3}`;
//! - `{+}`, `{^}`, `{%}`, `{~}`, `{#}`, `{(}`, `{)}`, `{[}`, `{]}`, `{{}`, `{}}`: those
//!   characters themselves, which otherwise mean something (or, for `~ ( ) [ ]`, do in KeePass);
//! - `+` shift, `^` ctrl, `%` alt, `#` super (Windows key, Command): held for the next key or
//!   character only, so `^a` is ctrl+A and `+{TAB}` is shift+tab;
//! - `{DELAY 500}` waits half a second once; `{DELAY=50}` waits 50 ms between keystrokes from
//!   there on; `{CLEARFIELD}` empties the field before typing.
//!
//! Placeholder names are case-insensitive (`{username}` is `{USERNAME}`); custom field names keep
//! their case. Limits, as KeePassXC's: at most [`MAX_REPEAT`] repeats, a wait of at most
//! [`MAX_DELAY_MS`], a delay between keystrokes of at most [`MAX_KEY_DELAY_MS`]: a sequence that
//! types for minutes is a mistake, and the user cannot stop it.

use std::collections::BTreeMap;
use std::fmt;

use zeroize::Zeroizing;

use crate::model::Entry;
use crate::secret::SecretText;

/// The sequence used when an entry has none of its own.
pub const DEFAULT_SEQUENCE: &str = "{USERNAME}{TAB}{PASSWORD}{ENTER}";
/// The most times one key may be repeated (`{TAB 100}`).
pub const MAX_REPEAT: u32 = 100;
/// The longest single wait, in milliseconds (`{DELAY 10000}`: 10 seconds).
pub const MAX_DELAY_MS: u32 = 10_000;
/// The longest delay between keystrokes, in milliseconds (`{DELAY=500}`).
pub const MAX_KEY_DELAY_MS: u32 = 500;

/// Modifier keys held while one key or character is typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Modifiers {
    /// `+`
    pub shift: bool,
    /// `^`
    pub ctrl: bool,
    /// `%`
    pub alt: bool,
    /// `#`: the Windows key, Command on a Mac.
    pub super_key: bool,
}

impl Modifiers {
    pub const NONE: Modifiers = Modifiers { shift: false, ctrl: false, alt: false, super_key: false };

    pub fn is_empty(self) -> bool {
        self == Self::NONE
    }

    /// Adds the modifier a character stands for, or says it stands for none.
    fn add(&mut self, c: char) -> bool {
        match c {
            '+' => self.shift = true,
            '^' => self.ctrl = true,
            '%' => self.alt = true,
            '#' => self.super_key = true,
            _ => return false,
        }
        true
    }
}

impl fmt::Display for Modifiers {
    /// In the sequence's syntax, always in the order `+^%#`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (held, c) in [(self.shift, '+'), (self.ctrl, '^'), (self.alt, '%'), (self.super_key, '#')] {
            if held {
                f.write_str(c.encode_utf8(&mut [0; 4]))?;
            }
        }
        Ok(())
    }
}

/// A key that types no character of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Tab,
    Enter,
    Space,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
    Delete,
    Backspace,
    Escape,
    /// F1 to F16; other numbers are not keys and do not write back as a sequence that parses.
    F(u8),
    /// The Windows key (`{WIN}`); `{LWIN}` and `{RWIN}` name the left and right one.
    Win,
    LeftWin,
    RightWin,
    /// The context menu key.
    Apps,
    CapsLock,
    NumLock,
    ScrollLock,
    PrintScreen,
    Break,
    Help,
    /// The keypad's `+`, `-`, `*`, `/` and digits 0 to 9.
    Add,
    Subtract,
    Multiply,
    Divide,
    Numpad(u8),
}

impl Key {
    /// The key a placeholder name (lower case) stands for. Several names for one key, as
    /// KeePass and KeePassXC both accept them (`{PGDN}` is KeePass's, `{PGDOWN}` KeePassXC's).
    fn named(name: &str) -> Option<Key> {
        let key = match name {
            "tab" => Key::Tab,
            "enter" => Key::Enter,
            "space" => Key::Space,
            "up" => Key::Up,
            "down" => Key::Down,
            "left" => Key::Left,
            "right" => Key::Right,
            "home" => Key::Home,
            "end" => Key::End,
            "pgup" => Key::PageUp,
            "pgdn" | "pgdown" => Key::PageDown,
            "insert" | "ins" => Key::Insert,
            "delete" | "del" => Key::Delete,
            "backspace" | "bs" | "bksp" => Key::Backspace,
            "esc" => Key::Escape,
            "win" => Key::Win,
            "lwin" => Key::LeftWin,
            "rwin" => Key::RightWin,
            "apps" => Key::Apps,
            "capslock" => Key::CapsLock,
            "numlock" => Key::NumLock,
            "scrolllock" => Key::ScrollLock,
            "prtsc" | "ptrsc" => Key::PrintScreen,
            "break" => Key::Break,
            "help" => Key::Help,
            "add" => Key::Add,
            "subtract" => Key::Subtract,
            "multiply" => Key::Multiply,
            "divide" => Key::Divide,
            _ => {
                let numbered = |prefix: &str, range: std::ops::RangeInclusive<u8>| {
                    let digits = name.strip_prefix(prefix)?;
                    // `{F01}` or `{F+1}` are not key names.
                    if digits.starts_with('0') && digits.len() > 1 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    digits.parse::<u8>().ok().filter(|n| range.contains(n))
                };
                if let Some(n) = numbered("f", 1..=16) {
                    Key::F(n)
                } else if let Some(n) = numbered("numpad", 0..=9) {
                    Key::Numpad(n)
                } else {
                    return None;
                }
            }
        };
        Some(key)
    }
}

impl fmt::Display for Key {
    /// The key's placeholder name, without braces: `TAB`, `F5`, `PGDN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Key::Tab => "TAB",
            Key::Enter => "ENTER",
            Key::Space => "SPACE",
            Key::Up => "UP",
            Key::Down => "DOWN",
            Key::Left => "LEFT",
            Key::Right => "RIGHT",
            Key::Home => "HOME",
            Key::End => "END",
            Key::PageUp => "PGUP",
            Key::PageDown => "PGDN",
            Key::Insert => "INSERT",
            Key::Delete => "DELETE",
            Key::Backspace => "BACKSPACE",
            Key::Escape => "ESC",
            Key::F(n) => return write!(f, "F{n}"),
            Key::Win => "WIN",
            Key::LeftWin => "LWIN",
            Key::RightWin => "RWIN",
            Key::Apps => "APPS",
            Key::CapsLock => "CAPSLOCK",
            Key::NumLock => "NUMLOCK",
            Key::ScrollLock => "SCROLLLOCK",
            Key::PrintScreen => "PRTSC",
            Key::Break => "BREAK",
            Key::Help => "HELP",
            Key::Add => "ADD",
            Key::Subtract => "SUBTRACT",
            Key::Multiply => "MULTIPLY",
            Key::Divide => "DIVIDE",
            Key::Numpad(n) => return write!(f, "NUMPAD{n}"),
        };
        f.write_str(name)
    }
}

/// An entry's value a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Username,
    Password,
    /// The one-time code at the moment of typing.
    Totp,
    Url,
    Title,
    Notes,
}

impl Field {
    fn named(name: &str) -> Option<Field> {
        Some(match name {
            "username" => Field::Username,
            "password" => Field::Password,
            "totp" => Field::Totp,
            "url" => Field::Url,
            "title" => Field::Title,
            "notes" => Field::Notes,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Field::Username => "USERNAME",
            Field::Password => "PASSWORD",
            Field::Totp => "TOTP",
            Field::Url => "URL",
            Field::Title => "TITLE",
            Field::Notes => "NOTES",
        }
    }
}

/// One step of a parsed sequence, before the entry's values are put in.
///
/// [`parse`] gives a canonical list: literal characters typed without modifiers are gathered
/// into one [`Action::Text`], never empty; repeats are written out (`{TAB 3}` is three
/// [`Action::Key`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Characters typed as they are.
    Text(String),
    /// One character typed with modifiers held (`^a`, `+{%}`); never with no modifiers.
    Char {
        ch: char,
        modifiers: Modifiers,
    },
    Key {
        key: Key,
        modifiers: Modifiers,
    },
    Field(Field),
    /// A custom field by name (`{S:name}`).
    CustomField(String),
    /// Wait this many milliseconds once (`{DELAY 500}`).
    Delay(u32),
    /// From here on, wait this many milliseconds between keystrokes (`{DELAY=50}`).
    KeyDelay(u32),
    /// Empty the focused field (`{CLEARFIELD}`).
    ClearField,
}

/// What is wrong with a sequence, and where: `position` counts characters from 1, the first
/// character of the placeholder or modifier at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequenceError {
    #[error("the {{ at character {position} is not closed by a }}")]
    UnclosedBrace { position: usize },
    #[error("the }} at character {position} closes nothing (type a }} as {{}}}})")]
    UnexpectedBrace { position: usize },
    #[error("unknown placeholder {placeholder} at character {position}")]
    UnknownPlaceholder { placeholder: String, position: usize },
    #[error("{placeholder} at character {position}: the count must be a whole number")]
    BadCount { placeholder: String, position: usize },
    #[error("{placeholder} at character {position} repeats too often: at most {MAX_REPEAT} times")]
    TooManyRepeats { placeholder: String, position: usize },
    #[error("{placeholder} at character {position} waits too long: at most {max_ms} ms")]
    DelayTooLong { placeholder: String, position: usize, max_ms: u32 },
    #[error("{placeholder} at character {position} cannot be repeated")]
    CannotRepeat { placeholder: String, position: usize },
    #[error("{{S:}} at character {position} names no custom field")]
    EmptyCustomField { position: usize },
    #[error("the modifier at character {position} (+ ^ % #) is not followed by a key or a character")]
    ModifierWithoutKey { position: usize },
}

/// Parses a sequence. See the module documentation for the syntax.
pub fn parse(sequence: &str) -> Result<Vec<Action>, SequenceError> {
    let chars: Vec<char> = sequence.chars().collect();
    let mut actions = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let mut modifiers = Modifiers::NONE;
        while i < chars.len() && modifiers.add(chars[i]) {
            i += 1;
        }
        let dangling = SequenceError::ModifierWithoutKey { position: start + 1 };
        let Some(&c) = chars.get(i) else { return Err(dangling) };
        match c {
            '{' => {
                let (item, next) = placeholder(&chars, i)?;
                i = next;
                match item {
                    Item::Typed { typed, repeat } => {
                        for _ in 0..repeat {
                            match typed {
                                Typed::Char(ch) => push_char(&mut actions, ch, modifiers),
                                Typed::Key(key) => actions.push(Action::Key { key, modifiers }),
                            }
                        }
                    }
                    Item::Other(action) => {
                        // KeePassXC drops modifiers in front of a field or a command without a
                        // word; an error says the sequence does not do what it seems to.
                        if !modifiers.is_empty() {
                            return Err(dangling);
                        }
                        actions.push(action);
                    }
                }
            }
            '}' => return Err(SequenceError::UnexpectedBrace { position: i + 1 }),
            ch => {
                push_char(&mut actions, ch, modifiers);
                i += 1;
            }
        }
    }
    Ok(actions)
}

fn push_char(actions: &mut Vec<Action>, ch: char, modifiers: Modifiers) {
    if !modifiers.is_empty() {
        actions.push(Action::Char { ch, modifiers });
    } else if let Some(Action::Text(text)) = actions.last_mut() {
        text.push(ch);
    } else {
        actions.push(Action::Text(ch.to_string()));
    }
}

/// What a placeholder between braces is.
enum Item {
    /// A key or character, which modifiers apply to and which may repeat.
    Typed {
        typed: Typed,
        repeat: u32,
    },
    Other(Action),
}

#[derive(Clone, Copy)]
enum Typed {
    Char(char),
    Key(Key),
}

/// Reads the placeholder whose `{` is at `open`; returns it and the index after its `}`.
fn placeholder(chars: &[char], open: usize) -> Result<(Item, usize), SequenceError> {
    let position = open + 1;
    let unclosed = SequenceError::UnclosedBrace { position };
    // `{{}` and `{}}`: a brace right after the opening one is the name, not structure.
    // `{}` followed by anything but `}` or a repeat count is an empty name, not `{}}` unclosed.
    let mut end = open + 1;
    match (chars.get(end), chars.get(end + 1)) {
        (Some('}'), Some(next)) if *next == '}' || next.is_whitespace() => end += 1,
        (Some('{'), _) => end += 1,
        _ => {}
    }
    loop {
        match chars.get(end) {
            None | Some('{') => return Err(unclosed),
            Some('}') => break,
            Some(_) => end += 1,
        }
    }
    let inner: String = chars[open + 1..end].iter().collect();
    let whole = || format!("{{{inner}}}");
    let next = end + 1;

    // Custom field names are taken whole, spaces and case included.
    if let Some(prefix) = inner.get(..2)
        && prefix.eq_ignore_ascii_case("s:")
    {
        let name = &inner[2..];
        if name.is_empty() {
            return Err(SequenceError::EmptyCustomField { position });
        }
        return Ok((Item::Other(Action::CustomField(name.to_owned())), next));
    }

    // ASCII only: no other letter should turn into a placeholder's name by changing case.
    let lower = inner.to_ascii_lowercase();
    if let Some(ms) = lower.strip_prefix("delay=") {
        let ms = count(ms).ok_or_else(|| SequenceError::BadCount { placeholder: whole(), position })?;
        if ms > u64::from(MAX_KEY_DELAY_MS) {
            return Err(SequenceError::DelayTooLong { placeholder: whole(), position, max_ms: MAX_KEY_DELAY_MS });
        }
        return Ok((Item::Other(Action::KeyDelay(ms as u32)), next));
    }

    // `{NAME}` or `{NAME count}`, the count after one or more spaces.
    let (name, number) = match lower.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, Some(rest.trim_start())),
        None => (lower.as_str(), None),
    };
    let typed =
        if let Some(key) = Key::named(name) { Some(Typed::Key(key)) } else { special_char(name).map(Typed::Char) };
    let parsed_count =
        |number: &str| count(number).ok_or_else(|| SequenceError::BadCount { placeholder: whole(), position });

    if let Some(typed) = typed {
        let repeat = match number {
            None => 1,
            Some(number) => parsed_count(number)?,
        };
        if repeat > u64::from(MAX_REPEAT) {
            return Err(SequenceError::TooManyRepeats { placeholder: whole(), position });
        }
        return Ok((Item::Typed { typed, repeat: repeat as u32 }, next));
    }
    if name == "delay" {
        let ms = parsed_count(number.unwrap_or(""))?;
        if ms > u64::from(MAX_DELAY_MS) {
            return Err(SequenceError::DelayTooLong { placeholder: whole(), position, max_ms: MAX_DELAY_MS });
        }
        return Ok((Item::Other(Action::Delay(ms as u32)), next));
    }
    let action = if let Some(field) = Field::named(name) {
        Action::Field(field)
    } else if name == "clearfield" {
        Action::ClearField
    } else {
        return Err(SequenceError::UnknownPlaceholder { placeholder: whole(), position });
    };
    if number.is_some() {
        return Err(SequenceError::CannotRepeat { placeholder: whole(), position });
    }
    Ok((Item::Other(action), next))
}

/// A count of decimal digits only; a number too large for `u64` counts as `u64::MAX`, which
/// every limit rejects as too large rather than as not a number.
fn count(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Characters that mean something in a sequence (in KeePassXC, or in KeePass: `~` is Enter
/// and parentheses group there) and so are written between braces to be typed.
const SPECIAL: [char; 11] = ['+', '^', '%', '#', '~', '(', ')', '[', ']', '{', '}'];

fn special_char(name: &str) -> Option<char> {
    match name {
        "leftbrace" => return Some('{'),
        "rightbrace" => return Some('}'),
        "leftparen" => return Some('('),
        "rightparen" => return Some(')'),
        _ => {}
    }
    let mut chars = name.chars();
    let c = chars.next()?;
    (chars.next().is_none() && SPECIAL.contains(&c)).then_some(c)
}

fn write_char(out: &mut String, ch: char) {
    if SPECIAL.contains(&ch) {
        out.push('{');
        out.push(ch);
        out.push('}');
    } else {
        out.push(ch);
    }
}

/// Writes actions as a sequence that [`parse`] reads back to the same actions (once adjacent
/// texts are joined and empty ones left out, as [`parse`] does). Special characters in text
/// are written between braces. A custom field name with a brace in it, or a [`Key::F`] or
/// [`Key::Numpad`] number out of range, cannot be written: no sequence parses to them.
pub fn to_sequence(actions: &[Action]) -> String {
    let mut out = String::new();
    for action in actions {
        match action {
            Action::Text(text) => text.chars().for_each(|ch| write_char(&mut out, ch)),
            Action::Char { ch, modifiers } => {
                out.push_str(&modifiers.to_string());
                write_char(&mut out, *ch);
            }
            Action::Key { key, modifiers } => out.push_str(&format!("{modifiers}{{{key}}}")),
            Action::Field(field) => out.push_str(&format!("{{{}}}", field.name())),
            Action::CustomField(name) => out.push_str(&format!("{{S:{name}}}")),
            Action::Delay(ms) => out.push_str(&format!("{{DELAY {ms}}}")),
            Action::KeyDelay(ms) => out.push_str(&format!("{{DELAY={ms}}}")),
            Action::ClearField => out.push_str("{CLEARFIELD}"),
        }
    }
    out
}

/// The values of one entry that a sequence may type.
#[derive(Clone, Default)]
pub struct EntryValues {
    pub title: String,
    pub username: String,
    pub password: SecretText,
    /// The entry's first URL.
    pub url: String,
    pub notes: String,
    /// The current one-time code, if the entry has a TOTP key.
    pub totp_code: Option<SecretText>,
    /// Custom fields by name.
    pub fields: BTreeMap<String, SecretText>,
}

impl EntryValues {
    /// The entry's values, with `totp_code` the code of the moment (the caller computes it, so
    /// this stays free of clocks).
    pub fn from_entry(entry: &Entry, totp_code: Option<SecretText>) -> Self {
        EntryValues {
            title: entry.title.value.clone(),
            username: entry.username.value.clone(),
            password: entry.password.value.clone(),
            url: entry.urls.value.first().cloned().unwrap_or_default(),
            notes: entry.notes.value.clone(),
            totp_code,
            fields: entry
                .fields
                .iter()
                .filter_map(|(name, field)| field.value.as_ref().map(|field| (name.clone(), field.value.clone())))
                .collect(),
        }
    }

    /// A custom field by its exact name, else by its name in any case (placeholders are
    /// case-insensitive in KeePass).
    fn field(&self, name: &str) -> Option<&SecretText> {
        self.fields.get(name).or_else(|| {
            let lower = name.to_lowercase();
            self.fields.iter().find(|(n, _)| n.to_lowercase() == lower).map(|(_, v)| v)
        })
    }
}

impl fmt::Debug for EntryValues {
    /// Only the title and the names of the fields: the rest may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntryValues")
            .field("title", &self.title)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// One thing to type, with the entry's values in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keystroke {
    /// Characters typed as they are; kept secret, since they may be the password.
    Text(SecretText),
    Char {
        ch: char,
        modifiers: Modifiers,
    },
    Key {
        key: Key,
        modifiers: Modifiers,
    },
    Delay(u32),
    KeyDelay(u32),
    ClearField,
}

/// Why a sequence cannot be typed for an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("the entry has no custom field named \"{0}\"")]
    MissingCustomField(String),
    #[error("the entry has no one-time code (TOTP) to type")]
    NoTotp,
}

/// Puts the entry's values in place of the field placeholders. Fails before anything is typed
/// if the entry lacks a value the sequence asks for. A line break in a value is typed as Enter
/// and a tab as Tab, as KeePassXC does, so multi-line notes fill forms line by line.
pub fn resolve(actions: &[Action], values: &EntryValues) -> Result<Vec<Keystroke>, ResolveError> {
    let mut out = Vec::new();
    for action in actions {
        match action {
            Action::Text(text) => out.push(Keystroke::Text(SecretText::new(text.as_str()))),
            Action::Char { ch, modifiers } => out.push(Keystroke::Char { ch: *ch, modifiers: *modifiers }),
            Action::Key { key, modifiers } => out.push(Keystroke::Key { key: *key, modifiers: *modifiers }),
            Action::Field(field) => {
                let value = match field {
                    Field::Username => &values.username,
                    Field::Password => values.password.expose(),
                    Field::Totp => values.totp_code.as_ref().ok_or(ResolveError::NoTotp)?.expose(),
                    Field::Url => &values.url,
                    Field::Title => &values.title,
                    Field::Notes => &values.notes,
                };
                push_value(&mut out, value);
            }
            Action::CustomField(name) => {
                let value = values.field(name).ok_or_else(|| ResolveError::MissingCustomField(name.clone()))?;
                push_value(&mut out, value.expose());
            }
            Action::Delay(ms) => out.push(Keystroke::Delay(*ms)),
            Action::KeyDelay(ms) => out.push(Keystroke::KeyDelay(*ms)),
            Action::ClearField => out.push(Keystroke::ClearField),
        }
    }
    Ok(out)
}

/// A value as text, with its line breaks and tabs as keys.
fn push_value(out: &mut Vec<Keystroke>, value: &str) {
    let press = |key| Keystroke::Key { key, modifiers: Modifiers::NONE };
    // Sized once so the secret is never copied by a reallocation and left behind unwiped.
    let mut text = Zeroizing::new(String::with_capacity(value.len()));
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        let key = match ch {
            '\r' => {
                chars.next_if_eq(&'\n');
                Key::Enter
            }
            '\n' => Key::Enter,
            '\t' => Key::Tab,
            ch => {
                text.push(ch);
                continue;
            }
        };
        if !text.is_empty() {
            out.push(Keystroke::Text(SecretText::new(text.as_str())));
            text.clear();
        }
        out.push(press(key));
    }
    if !text.is_empty() {
        out.push(Keystroke::Text(SecretText::new(text.as_str())));
    }
}

#[cfg(test)]
mod tests {
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
            [
                Action::Field(Field::Username),
                key(Key::Tab),
                key(Key::Tab),
                Action::Field(Field::Password),
                key(Key::Enter)
            ]
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
        assert_eq!(
            error("x{USERNAME 2}"),
            SequenceError::CannotRepeat { placeholder: "{USERNAME 2}".into(), position: 2 }
        );
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
        let shown =
            format!("{:?} {:?}", values(), resolve(&parse("{PASSWORD}{S:PIN}{TOTP}").unwrap(), &values()).unwrap());
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
        let keystrokes =
            resolve(&parse("{TITLE}|{USERNAME}|{PASSWORD}|{URL}|{NOTES}|{S:PIN}").unwrap(), &values).unwrap();
        assert_eq!(typed(&keystrokes), "Bank|li|pw|https://bank.example|n|1234");
    }

    fn modifiers() -> impl Strategy<Value = Modifiers> {
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(shift, ctrl, alt, super_key)| Modifiers { shift, ctrl, alt, super_key })
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
                let position = match &err {
                    SequenceError::UnclosedBrace { position }
                    | SequenceError::UnexpectedBrace { position }
                    | SequenceError::UnknownPlaceholder { position, .. }
                    | SequenceError::BadCount { position, .. }
                    | SequenceError::TooManyRepeats { position, .. }
                    | SequenceError::DelayTooLong { position, .. }
                    | SequenceError::CannotRepeat { position, .. }
                    | SequenceError::EmptyCustomField { position }
                    | SequenceError::ModifierWithoutKey { position } => *position,
                };
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
}
