//! This laptop's identity: a random id and a name, kept in the user's config folder (not in the
//! vault, which travels). Every write to a vault is stamped with it.

use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::Path;

use crate::clock::DeviceId;

const FILE_NAME: &str = "device.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    pub id: DeviceId,
    pub name: String,
}

impl DeviceIdentity {
    /// Reads the identity from `config_dir`, making and saving a new one the first time. A
    /// damaged identity file is replaced: the id only has to be unique, not stable forever.
    pub fn load_or_create(config_dir: &Path) -> io::Result<DeviceIdentity> {
        let path = config_dir.join(FILE_NAME);
        if let Ok(text) = fs::read_to_string(&path)
            && let Ok(identity) = serde_json::from_str::<DeviceIdentity>(&text)
        {
            return Ok(identity);
        }
        let identity = DeviceIdentity { id: DeviceId::random(), name: host_name() };
        fs::create_dir_all(config_dir)?;
        let text = serde_json::to_string_pretty(&identity).map_err(io::Error::other)?;
        super::store::write_file_atomic(&path, text.as_bytes())?;
        Ok(identity)
    }
}

/// The computer's name as the user knows it, for "2 entries updated from LAPTOP-2".
pub fn host_name() -> String {
    let from_env = std::env::var("COMPUTERNAME").or_else(|_| std::env::var("HOSTNAME")).ok();
    let from_file = || ["/proc/sys/kernel/hostname", "/etc/hostname"].iter().find_map(|p| fs::read_to_string(p).ok());
    from_env
        .or_else(from_file)
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_made_once_then_reused_and_a_damaged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let first = DeviceIdentity::load_or_create(dir.path()).unwrap();
        assert_eq!(DeviceIdentity::load_or_create(dir.path()).unwrap(), first);
        fs::write(dir.path().join(FILE_NAME), "{not json").unwrap();
        let replaced = DeviceIdentity::load_or_create(dir.path()).unwrap();
        assert_ne!(replaced.id, first.id);
    }
}
