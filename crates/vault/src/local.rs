//! What this device remembers outside the vault, for every front end: which vault it opens,
//! failed unlock attempts, quick unlock. The vault's own settings (auto-lock, clipboard) travel
//! inside the vault instead; the desktop app's own choices (language, theme) are the session
//! layer's (`session::desktop`). Settings files written before that still name them: they are
//! ignored here and read once by the session layer.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

use crate::quick_unlock::QuickUnlock;

const FILE_NAME: &str = "settings.json";

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalSettings {
    pub vault_path: Option<PathBuf>,
    /// Failed master-password unlocks since the last successful one.
    pub failed_attempts: u32,
    #[serde(deserialize_with = "crate::quick_unlock::deserialize_lenient")]
    pub quick_unlock: Option<QuickUnlock>,
}

impl LocalSettings {
    /// Reads the settings; a missing or unreadable file gives the defaults (the worst outcome is
    /// choosing the vault again, never a lost vault).
    pub fn load(dir: &Path) -> LocalSettings {
        std::fs::read(dir.join(FILE_NAME)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        crate::store::write_file_atomic(&dir.join(FILE_NAME), &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_damage_falls_back_to_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(LocalSettings::load(dir.path()), LocalSettings::default());
        let settings = LocalSettings {
            vault_path: Some("/home/li/Dropbox/工作.crmvault".into()),
            failed_attempts: 2,
            ..Default::default()
        };
        settings.save(dir.path()).unwrap();
        assert_eq!(LocalSettings::load(dir.path()), settings);
        // A file from before the desktop's choices moved out still reads.
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"vault_path":"/v.crmvault","language":"zh-CN","theme":"dark","lock_on_minimise":true,"failed_attempts":1}"#,
        )
        .unwrap();
        let old = LocalSettings::load(dir.path());
        assert_eq!((old.vault_path.as_deref(), old.failed_attempts), (Some(Path::new("/v.crmvault")), 1));
        std::fs::write(dir.path().join(FILE_NAME), b"{broken").unwrap();
        assert_eq!(LocalSettings::load(dir.path()), LocalSettings::default());
    }
}
