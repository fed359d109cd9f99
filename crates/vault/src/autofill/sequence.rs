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

impl SequenceError {
    /// The character (counted from 1) the error is about, for the editor to point at.
    pub fn position(&self) -> usize {
        match self {
            SequenceError::UnclosedBrace { position }
            | SequenceError::UnexpectedBrace { position }
            | SequenceError::UnknownPlaceholder { position, .. }
            | SequenceError::BadCount { position, .. }
            | SequenceError::TooManyRepeats { position, .. }
            | SequenceError::DelayTooLong { position, .. }
            | SequenceError::CannotRepeat { position, .. }
            | SequenceError::EmptyCustomField { position }
            | SequenceError::ModifierWithoutKey { position } => *position,
        }
    }
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
mod tests;
