//! What the desktop app remembers on this device beyond the library's `LocalSettings`: the last
//! generator options and the breach list's location. A file of its own (`desktop.json` beside
//! `settings.json`), because `LocalSettings` rewrites its file with only the fields it knows.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::view::{GeneratorKind, GeneratorOptions};

const FILE_NAME: &str = "desktop.json";

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DesktopSettings {
    /// The options of the last password generated on this device.
    pub generator: Option<GeneratorOptions>,
    /// Have I Been Pwned's "Pwned Passwords" SHA-1 list, downloaded by the user or IT.
    pub hibp_file: Option<PathBuf>,
}

impl DesktopSettings {
    /// A missing or damaged file gives the defaults: nothing in it is worth an error.
    pub fn load(dir: &Path) -> DesktopSettings {
        std::fs::read(dir.join(FILE_NAME)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        vault::store::write_file_atomic(&dir.join(FILE_NAME), &text)
    }
}

/// The generator's first options on a new device: the library's defaults.
pub fn default_generator() -> GeneratorOptions {
    use vault::generate::{CharacterRecipe, PassphraseRecipe};
    let characters = CharacterRecipe::default();
    let passphrase = PassphraseRecipe::default();
    GeneratorOptions {
        kind: GeneratorKind::Characters,
        length: characters.length as u32,
        lower: characters.lower,
        upper: characters.upper,
        digits: characters.digits,
        symbols: characters.symbols.is_some(),
        symbol_set: vault::generate::SYMBOLS.to_owned(),
        exclude_similar: characters.exclude_similar,
        words: passphrase.words as u32,
        separator: passphrase.separator,
        capitalise: passphrase.capitalise,
        add_digit: passphrase.add_digit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_damage_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(DesktopSettings::load(dir.path()), DesktopSettings::default());
        let mut generator = default_generator();
        generator.kind = GeneratorKind::Passphrase;
        let settings = DesktopSettings { generator: Some(generator), hibp_file: Some("/data/pwned.txt".into()) };
        settings.save(dir.path()).unwrap();
        assert_eq!(DesktopSettings::load(dir.path()), settings);
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        assert_eq!(DesktopSettings::load(dir.path()), DesktopSettings::default());
    }
}
