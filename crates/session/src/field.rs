//! Which part of an entry a reveal, a copy or the command line's `show --field` names. The page
//! and the command line send names ("password", "totp", "field:PIN", "history:0"); they are read
//! here once, so no use case compares field names as strings.

use std::fmt;
use std::str::FromStr;

use vault::{Entry, SecretText};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Title,
    Username,
    Password,
    /// The first URL.
    Url,
    Notes,
    /// The TOTP setup (the current code where a code is wanted).
    Totp,
    /// A custom field, by its name as the entry spells it or in other letter case.
    Custom(String),
    /// An earlier value, by its position in the entry's history (0 is the oldest kept).
    History(u32),
}

/// A name that is none of the above (or a history position that is not a number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField(pub String);

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown field {}", self.0)
    }
}

impl std::error::Error for UnknownField {}

impl FromStr for Field {
    type Err = UnknownField;

    /// The page's names; the built-in ones in any letter case, as the command line takes them.
    fn from_str(name: &str) -> Result<Field, UnknownField> {
        if let Some(custom) = name.strip_prefix("field:") {
            return Ok(Field::Custom(custom.to_owned()));
        }
        if let Some(index) = name.strip_prefix("history:") {
            return index.parse().map(Field::History).map_err(|_| UnknownField(name.to_owned()));
        }
        Ok(match name.to_lowercase().as_str() {
            "title" => Field::Title,
            "username" => Field::Username,
            "password" => Field::Password,
            "url" => Field::Url,
            "notes" => Field::Notes,
            "totp" => Field::Totp,
            _ => return Err(UnknownField(name.to_owned())),
        })
    }
}

impl Field {
    /// The command line's `--field NAME`: a built-in name, else the entry's custom field of that
    /// name (so a field called "PIN" needs no prefix there).
    pub fn from_cli(name: &str) -> Field {
        name.parse().unwrap_or_else(|_| Field::Custom(name.to_owned()))
    }

    /// The value stored in `entry` for this field (for [`Field::Totp`], the setup, not a code);
    /// `None` when the entry has no such custom field or history position.
    pub fn stored_in(&self, entry: &Entry) -> Option<SecretText> {
        Some(match self {
            Field::Title => SecretText::new(entry.title.value.as_str()),
            Field::Username => SecretText::new(entry.username.value.as_str()),
            Field::Password => entry.password.value.clone(),
            Field::Url => SecretText::new(entry.url()),
            Field::Notes => SecretText::new(entry.notes.value.as_str()),
            Field::Totp => entry.totp.value.clone(),
            Field::Custom(name) => entry.custom_field(name)?.1.value.clone(),
            Field::History(index) => entry.history.get(*index as usize)?.value.clone(),
        })
    }

    /// The names the built-in fields go by, for a message listing what can be asked for.
    pub const BUILT_IN: [&str; 6] = ["title", "username", "password", "url", "notes", "totp"];
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Title => f.write_str("title"),
            Field::Username => f.write_str("username"),
            Field::Password => f.write_str("password"),
            Field::Url => f.write_str("url"),
            Field::Notes => f.write_str("notes"),
            Field::Totp => f.write_str("totp"),
            Field::Custom(name) => write!(f, "field:{name}"),
            Field::History(index) => write!(f, "history:{index}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_names_are_read_once_and_written_back_the_same() {
        for (name, field) in [
            ("password", Field::Password),
            ("totp", Field::Totp),
            ("username", Field::Username),
            ("field:PIN", Field::Custom("PIN".into())),
            ("field:", Field::Custom(String::new())),
            ("history:3", Field::History(3)),
        ] {
            assert_eq!(name.parse::<Field>().unwrap(), field);
            assert_eq!(field.to_string(), name);
        }
        assert_eq!("PASSWORD".parse::<Field>().unwrap(), Field::Password);
        assert_eq!("history:x".parse::<Field>(), Err(UnknownField("history:x".into())));
        assert_eq!("history:-1".parse::<Field>(), Err(UnknownField("history:-1".into())));
        assert_eq!("PIN".parse::<Field>(), Err(UnknownField("PIN".into())));
    }

    #[test]
    fn the_command_line_takes_a_custom_field_by_its_bare_name() {
        assert_eq!(Field::from_cli("PIN"), Field::Custom("PIN".into()));
        assert_eq!(Field::from_cli("Password"), Field::Password);
        assert_eq!(Field::from_cli("field:url"), Field::Custom("url".into()));
    }
}
