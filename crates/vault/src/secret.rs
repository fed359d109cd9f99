//! Types for secret text: wiped from memory when dropped, never shown by `Debug`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// The master password as typed. `secrecy` keeps it out of `Debug` and off the wire.
pub type MasterPassword = secrecy::SecretString;

/// A secret value stored in the vault: an entry's password, a TOTP URI, a hidden field.
///
/// It serialises as a plain string because the vault payload must hold it; the payload is only
/// ever written encrypted. Views meant for printing (`ls --json`) are separate types that do not
/// contain a `SecretText` at all, so a secret cannot leak by serialising the wrong struct.
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(type = "string"))]
pub struct SecretText(Zeroizing<String>);

impl SecretText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    /// The secret itself. Call only where the user asked to see, copy or fill it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretText {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for SecretText {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str("SecretText(empty)") } else { f.write_str("SecretText(redacted)") }
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = SecretText::new("hunter2-秘密");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("秘密"), "{shown}");
        assert_eq!(format!("{:?}", SecretText::default()), "SecretText(empty)");
    }
}
