//! The OS keyring behind quick unlock: Secret Service on Linux (gnome-keyring, KWallet),
//! through keyring-core.

use std::sync::Arc;
use vault::quick_unlock::{KeyStore, KeyStoreError};

pub struct OsKeyring;

impl OsKeyring {
    /// Connects to the platform's keyring and checks it answers; the error says why not (no
    /// Secret Service on the session bus, a locked keyring...), for the settings screen.
    pub fn connect() -> Result<Arc<dyn KeyStore + Send + Sync>, String> {
        #[cfg(target_os = "linux")]
        {
            let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| e.to_string())?;
            keyring_core::set_default_store(store);
        }
        // A lookup of an entry that does not exist shows whether the keyring can be reached.
        let probe = OsKeyring.get("CRM Vault quick unlock", "availability probe");
        probe.map(|_| Arc::new(OsKeyring) as Arc<dyn KeyStore + Send + Sync>).map_err(|e| e.0)
    }
}

fn entry(service: &str, name: &str) -> Result<keyring_core::Entry, KeyStoreError> {
    keyring_core::Entry::new(service, name).map_err(|e| KeyStoreError(e.to_string()))
}

impl KeyStore for OsKeyring {
    fn get(&self, service: &str, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        match entry(service, name)?.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(KeyStoreError(e.to_string())),
        }
    }

    fn set(&self, service: &str, name: &str, secret: &[u8]) -> Result<(), KeyStoreError> {
        entry(service, name)?.set_secret(secret).map_err(|e| KeyStoreError(e.to_string()))
    }

    fn delete(&self, service: &str, name: &str) -> Result<(), KeyStoreError> {
        match entry(service, name)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(KeyStoreError(e.to_string())),
        }
    }
}
