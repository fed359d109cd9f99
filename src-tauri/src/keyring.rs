//! Where quick unlock's device key lives on Linux: the Secret Service's `session` collection
//! (gnome-keyring keeps it in memory only, so a logout or a reboot empties it), never the
//! persistent login keyring. A Secret Service without a session collection means no quick unlock.
//!
//! Each call opens its own connection: calls are rare (start-up, turning quick unlock on, an
//! unlock), and a keyring daemon restarted in between is then simply found again.

use std::collections::HashMap;
use std::sync::Arc;

use secret_service::blocking::{Collection, SecretService};
use secret_service::{EncryptionType, Error as ServiceError};
use vault::quick_unlock::{KEYRING_SERVICE, KeyStore, KeyStoreError};
use zeroize::Zeroizing;

/// The alias the Secret Service spec gives the collection that lasts for the login session.
const SESSION_ALIAS: &str = "session";
const LABEL: &str = "CRM Vault quick unlock (device key, forgotten at logout)";

#[derive(Debug)]
pub struct OsKeyring;

impl OsKeyring {
    /// Connects to the session collection and checks it answers; the error says why not (no Secret
    /// Service on the session bus, no session collection...), for the settings screen. Device keys
    /// that older versions left in persistent collections are deleted on the way.
    pub fn connect() -> Result<Arc<dyn KeyStore + Send + Sync>, String> {
        let service = connect().map_err(|e| e.0)?;
        let session = session_collection(&service).map_err(|e| e.0)?;
        delete_outside(&service, &session);
        Ok(Arc::new(OsKeyring))
    }
}

fn failure(err: ServiceError) -> KeyStoreError {
    KeyStoreError(err.to_string())
}

fn connect() -> Result<SecretService<'static>, KeyStoreError> {
    SecretService::connect(EncryptionType::Dh).map_err(failure)
}

fn session_collection<'a>(service: &'a SecretService<'a>) -> Result<Collection<'a>, KeyStoreError> {
    let collection = service.get_collection_by_alias(SESSION_ALIAS).map_err(|err| match err {
        ServiceError::NoResult => {
            KeyStoreError("the Secret Service has no session collection (one that is emptied at logout)".into())
        }
        other => failure(other),
    })?;
    // gnome-keyring never locks it; another provider might, and unlocking may ask the user.
    collection.ensure_unlocked().map_err(failure)?;
    Ok(collection)
}

/// Deletes our items in any collection but the session one: device keys written by versions that
/// kept them in the login keyring, which a stolen laptop would still hold.
fn delete_outside(service: &SecretService<'_>, session: &Collection<'_>) {
    let Ok(found) = service.search_items(HashMap::from([("service", KEYRING_SERVICE)])) else { return };
    let inside = format!("{}/", session.collection_path.as_str());
    for item in found.unlocked.iter().chain(&found.locked) {
        if !item.item_path.as_str().starts_with(&inside) {
            let _ = item.delete();
        }
    }
}

fn with_session<T>(work: impl FnOnce(&Collection<'_>) -> Result<T, ServiceError>) -> Result<T, KeyStoreError> {
    let service = connect()?;
    let collection = session_collection(&service)?;
    work(&collection).map_err(failure)
}

impl KeyStore for OsKeyring {
    fn get(&self, service: &str, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        with_session(|collection| {
            let items = collection.search_items(HashMap::from([("service", service), ("username", name)]))?;
            items.first().map(|item| item.get_secret().map(Zeroizing::new)).transpose()
        })
    }

    fn set(&self, service: &str, name: &str, secret: &[u8]) -> Result<(), KeyStoreError> {
        with_session(|collection| {
            let attributes = HashMap::from([("service", service), ("username", name)]);
            collection.create_item(LABEL, attributes, secret, true, "application/octet-stream").map(drop)
        })
    }

    fn delete(&self, service: &str, name: &str) -> Result<(), KeyStoreError> {
        with_session(|collection| {
            for item in collection.search_items(HashMap::from([("service", service), ("username", name)]))? {
                item.delete()?;
            }
            Ok(())
        })
    }

    fn names(&self, service: &str) -> Result<Vec<String>, KeyStoreError> {
        with_session(|collection| {
            let items = collection.search_items(HashMap::from([("service", service)]))?;
            let mut names = Vec::new();
            for item in items {
                names.extend(item.get_attributes()?.remove("username"));
            }
            Ok(names)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a real Secret Service: run with
    /// `dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
    /// cargo test -p crm-vault-app keyring -- --ignored'` (with a throwaway HOME).
    #[test]
    #[ignore = "needs gnome-keyring on a private session bus"]
    fn device_keys_go_to_the_session_collection_and_older_ones_leave_the_login_keyring() {
        // What an older version left in the persistent login keyring.
        let service = connect().unwrap();
        let login = service.get_default_collection().unwrap();
        let legacy = HashMap::from([("service", KEYRING_SERVICE), ("username", "legacy")]);
        login.create_item("old", legacy.clone(), b"old device key", true, "text/plain").unwrap();

        let keyring = OsKeyring::connect().unwrap();
        assert!(service.search_items(legacy).unwrap().unlocked.is_empty(), "the legacy device key was deleted");

        keyring.set(KEYRING_SERVICE, "vault-a", b"key a").unwrap();
        keyring.set(KEYRING_SERVICE, "vault-a", b"key a, again").unwrap();
        keyring.set(KEYRING_SERVICE, "vault-b", b"key b").unwrap();
        assert_eq!(keyring.get(KEYRING_SERVICE, "vault-a").unwrap().unwrap().as_slice(), b"key a, again");
        let mut names = keyring.names(KEYRING_SERVICE).unwrap();
        names.sort();
        assert_eq!(names, ["vault-a", "vault-b"]);
        let found = service.search_items(HashMap::from([("service", KEYRING_SERVICE)])).unwrap();
        let session = session_collection(&service).unwrap();
        for item in &found.unlocked {
            assert!(
                item.item_path.as_str().starts_with(session.collection_path.as_str()),
                "only in the session collection"
            );
        }
        keyring.delete(KEYRING_SERVICE, "vault-a").unwrap();
        keyring.delete(KEYRING_SERVICE, "vault-a").unwrap();
        assert!(keyring.get(KEYRING_SERVICE, "vault-a").unwrap().is_none());
        keyring.delete(KEYRING_SERVICE, "vault-b").unwrap();
        assert!(keyring.names(KEYRING_SERVICE).unwrap().is_empty());
    }
}
