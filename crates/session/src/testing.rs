//! Stand-ins for the OS that the session's tests share.

use std::collections::BTreeMap;
use std::sync::Mutex;

use vault::quick_unlock::{KEYRING_SERVICE, KeyStore, KeyStoreError};
use zeroize::Zeroizing;

/// The keyring's stand-in, shared between "restarts" of the app as the real session keyring is.
#[derive(Default)]
pub struct Keyring(Mutex<BTreeMap<(String, String), Vec<u8>>>);

impl KeyStore for Keyring {
    fn get(&self, s: &str, n: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        Ok(self.0.lock().unwrap().get(&(s.into(), n.into())).cloned().map(Zeroizing::new))
    }
    fn set(&self, s: &str, n: &str, v: &[u8]) -> Result<(), KeyStoreError> {
        self.0.lock().unwrap().insert((s.into(), n.into()), v.to_vec());
        Ok(())
    }
    fn delete(&self, s: &str, n: &str) -> Result<(), KeyStoreError> {
        self.0.lock().unwrap().remove(&(s.into(), n.into()));
        Ok(())
    }
    fn names(&self, s: &str) -> Result<Vec<String>, KeyStoreError> {
        Ok(self.0.lock().unwrap().keys().filter(|(service, _)| service == s).map(|(_, n)| n.clone()).collect())
    }
}

impl Keyring {
    /// How many quick-unlock device keys it holds.
    pub fn device_keys(&self) -> usize {
        self.0.lock().unwrap().keys().filter(|(service, _)| service == KEYRING_SERVICE).count()
    }
}

/// A keyring that is there but will not store anything, as a locked or read-only Secret Service
/// collection answers: quick unlock looks available, and turning it on fails.
#[derive(Default)]
pub struct RefusingKeyring;

impl KeyStore for RefusingKeyring {
    fn get(&self, _: &str, _: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
        Ok(None)
    }
    fn set(&self, _: &str, _: &str, _: &[u8]) -> Result<(), KeyStoreError> {
        Err(KeyStoreError("the collection is locked".into()))
    }
    fn delete(&self, _: &str, _: &str) -> Result<(), KeyStoreError> {
        Ok(())
    }
    fn names(&self, _: &str) -> Result<Vec<String>, KeyStoreError> {
        Ok(Vec::new())
    }
}
