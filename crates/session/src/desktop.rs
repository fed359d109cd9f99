//! What the desktop app remembers on this device beyond the library's `LocalSettings`: its
//! language, theme, whether minimising locks, the last generator options and the breach list's
//! location. A file of its own (`desktop.json` beside `settings.json`), because `LocalSettings`
//! rewrites its file with only the fields it knows.
//!
//! Language, theme and lock-on-minimise were kept in `settings.json` before: a device upgraded
//! from then has them there and not here, and [`DesktopSettings::load`] takes them over once.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::view::{GeneratorKind, GeneratorOptions, ListDensity, ListSort};

const FILE_NAME: &str = "desktop.json";
/// The library's settings file, which held the desktop's choices before they moved here.
const OLD_FILE_NAME: &str = "settings.json";
/// The choices that moved from `settings.json`, under the same names.
const MOVED: [&str; 3] = ["language", "theme", "lock_on_minimise"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// Follow the operating system.
    #[default]
    #[serde(rename = "system")]
    System,
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    /// The page's name for it; an unknown one follows the system.
    pub fn from_code(code: &str) -> Language {
        match code {
            "en" => Language::English,
            "zh-CN" => Language::SimplifiedChinese,
            _ => Language::System,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::System => "system",
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// The page's name for it; an unknown one follows the system.
    pub fn from_code(code: &str) -> Theme {
        match code {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DesktopSettings {
    pub language: Language,
    pub theme: Theme,
    /// Lock the vault when the window is minimised.
    pub lock_on_minimise: bool,
    /// Close the login windows when the vault locks.
    pub close_logins_on_lock: bool,
    /// Auto-type's global shortcut; `None` for the default.
    pub autotype_shortcut: Option<String>,
    /// Auto-type's pause after each key in milliseconds; `None` for the default.
    pub autotype_key_delay_ms: Option<u32>,
    /// The options of the last password generated on this device.
    pub generator: Option<GeneratorOptions>,
    /// Have I Been Pwned's "Pwned Passwords" SHA-1 list, downloaded by the user or IT.
    pub hibp_file: Option<PathBuf>,
    /// The entry list's order and density on this laptop: a way of looking, not a fact about the
    /// vault, so it does not travel with it.
    pub list_sort: ListSort,
    pub list_density: ListDensity,
}

impl DesktopSettings {
    /// A missing or damaged file gives the defaults: nothing in it is worth an error. Choices
    /// still in an older `settings.json` are taken over and written here at once, before the
    /// library's next save of that file drops them.
    pub fn load(dir: &Path) -> DesktopSettings {
        let read = |name: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
            serde_json::from_slice(&std::fs::read(dir.join(name)).ok()?).ok()
        };
        let mut fields = read(FILE_NAME).unwrap_or_default();
        let mut upgraded = false;
        if let Some(old) = read(OLD_FILE_NAME) {
            for name in MOVED {
                if let (false, Some(value)) = (fields.contains_key(name), old.get(name)) {
                    fields.insert(name.to_owned(), value.clone());
                    upgraded = true;
                }
            }
        }
        let settings: DesktopSettings = serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default();
        if upgraded {
            // If this write fails, the next start takes them over again (unless the library
            // rewrote its file meanwhile): not worth refusing to start over.
            let _ = settings.save(dir);
        }
        settings
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
        let settings = DesktopSettings {
            language: Language::SimplifiedChinese,
            theme: Theme::Dark,
            lock_on_minimise: true,
            close_logins_on_lock: true,
            autotype_shortcut: Some("Ctrl+Shift+F9".into()),
            autotype_key_delay_ms: Some(50),
            generator: Some(generator),
            hibp_file: Some("/data/pwned.txt".into()),
        };
        settings.save(dir.path()).unwrap();
        assert_eq!(DesktopSettings::load(dir.path()), settings);
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        assert_eq!(DesktopSettings::load(dir.path()), DesktopSettings::default());
    }

    /// A device upgraded from the version that kept language, theme and lock-on-minimise in the
    /// library's `settings.json` keeps what its user chose, also after the library rewrites
    /// that file without them.
    #[test]
    fn choices_in_an_old_settings_file_survive_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let old = br#"{
  "vault_path": "/home/li/Dropbox/work.crmvault",
  "language": "zh-CN",
  "theme": "dark",
  "lock_on_minimise": true,
  "failed_attempts": 0,
  "quick_unlock": null
}"#;
        std::fs::write(dir.path().join(OLD_FILE_NAME), old).unwrap();
        let settings = DesktopSettings::load(dir.path());
        assert_eq!(
            (settings.language, settings.theme, settings.lock_on_minimise),
            (Language::SimplifiedChinese, Theme::Dark, true)
        );

        // The library reads its old file and saves it again with only what it still knows.
        let local = vault::local::LocalSettings::load(dir.path());
        assert_eq!(local.vault_path.as_deref(), Some(Path::new("/home/li/Dropbox/work.crmvault")));
        local.save(dir.path()).unwrap();
        let rewritten = std::fs::read_to_string(dir.path().join(OLD_FILE_NAME)).unwrap();
        assert!(!rewritten.contains("zh-CN"), "{rewritten}");
        assert_eq!(DesktopSettings::load(dir.path()), settings, "the choices were kept in desktop.json");
    }

    /// Once the desktop's own file holds a choice, a stale one in the old file does not undo it.
    #[test]
    fn the_desktop_file_wins_over_an_old_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(OLD_FILE_NAME), br#"{"language":"zh-CN","theme":"dark"}"#).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), br#"{"language":"en","generator":null}"#).unwrap();
        let settings = DesktopSettings::load(dir.path());
        assert_eq!((settings.language, settings.theme), (Language::English, Theme::Dark));
    }
}
