//! Quick unlock ("remember on this device"): unlocking without typing the master password for a
//! period the user chose.
//!
//! A random device key lives in the OS keyring (Secret Service, Keychain, Credential Manager);
//! the vault key, sealed with it, lives in this device's local settings, bound to the vault, the
//! expiry time and the current boot. So the keyring alone, or the settings file alone, unlock
//! nothing. A full master-password unlock is needed again once the period ends, after a reboot,
//! and after three failed quick unlocks; each of those forgets the device key.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::crypto::{self, SecretKey, VaultKey};
use crate::model::VaultId;

/// Failed quick unlocks allowed before the master password is required.
pub const MAX_FAILURES: u8 = 3;
const KEYRING_SERVICE: &str = "CRM Vault quick unlock";

/// Where the device key is kept. The desktop app passes the OS keyring; tests pass a map.
pub trait KeyStore {
    fn get(&self, service: &str, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError>;
    fn set(&self, service: &str, name: &str, secret: &[u8]) -> Result<(), KeyStoreError>;
    fn delete(&self, service: &str, name: &str) -> Result<(), KeyStoreError>;
}

/// The OS keyring could not be used; the text says why (no Secret Service, locked keyring...).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the system keyring is not available: {0}")]
pub struct KeyStoreError(pub String);

/// Kept in this device's local settings while quick unlock is on. Not secret on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickUnlock {
    pub vault_id: VaultId,
    pub expires_ms: u64,
    pub boot_id: String,
    pub failures: u8,
    nonce: [u8; crypto::NONCE_LEN],
    sealed_key: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum QuickUnlockError {
    #[error("quick unlock has expired; unlock with the master password")]
    Expired,
    #[error("the computer restarted since quick unlock was turned on; unlock with the master password")]
    Rebooted,
    #[error("quick unlock failed {MAX_FAILURES} times; unlock with the master password")]
    TooManyFailures,
    #[error("quick unlock was set up for another vault")]
    OtherVault,
    #[error("the key kept in the system keyring is missing or does not match")]
    KeyMismatch,
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
}

impl QuickUnlock {
    /// Turns quick unlock on for `hours` from `now_ms`.
    pub fn enable(
        store: &dyn KeyStore,
        vault_id: VaultId,
        vault_key: &VaultKey,
        now_ms: u64,
        hours: u32,
        boot_id: &str,
    ) -> Result<QuickUnlock, KeyStoreError> {
        let device_key = SecretKey::random();
        store.set(KEYRING_SERVICE, &vault_id.to_string(), device_key.expose())?;
        let expires_ms = now_ms.saturating_add(u64::from(hours) * 3_600_000);
        let nonce = crypto::random_array();
        let aad = binding(vault_id, expires_ms, boot_id);
        let sealed_key = crypto::seal(&device_key, &nonce, &aad, vault_key.expose());
        Ok(QuickUnlock { vault_id, expires_ms, boot_id: boot_id.to_owned(), failures: 0, nonce, sealed_key })
    }

    /// The vault key, if quick unlock may be used now. On `Err`, check [`Self::is_spent`]: a spent
    /// record must be dropped (with [`Self::forget`]) and the master password asked for.
    pub fn unlock(
        &mut self,
        store: &dyn KeyStore,
        vault_id: VaultId,
        now_ms: u64,
        boot_id: &str,
    ) -> Result<VaultKey, QuickUnlockError> {
        if self.vault_id != vault_id {
            return Err(QuickUnlockError::OtherVault);
        }
        if self.failures >= MAX_FAILURES {
            return Err(QuickUnlockError::TooManyFailures);
        }
        if now_ms >= self.expires_ms {
            return Err(QuickUnlockError::Expired);
        }
        if boot_id != self.boot_id {
            return Err(QuickUnlockError::Rebooted);
        }
        let attempt = self.try_unseal(store);
        if attempt.is_err() {
            self.failures += 1;
        }
        attempt
    }

    fn try_unseal(&self, store: &dyn KeyStore) -> Result<VaultKey, QuickUnlockError> {
        let device_key =
            store.get(KEYRING_SERVICE, &self.vault_id.to_string())?.ok_or(QuickUnlockError::KeyMismatch)?;
        let device_key: [u8; 32] = device_key.as_slice().try_into().map_err(|_| QuickUnlockError::KeyMismatch)?;
        let device_key = SecretKey::from_bytes(device_key);
        let aad = binding(self.vault_id, self.expires_ms, &self.boot_id);
        let key = crypto::open(&device_key, &self.nonce, &aad, &self.sealed_key)
            .map_err(|_| QuickUnlockError::KeyMismatch)?;
        let key: [u8; 32] = key.as_slice().try_into().map_err(|_| QuickUnlockError::KeyMismatch)?;
        Ok(SecretKey::from_bytes(key))
    }

    /// Whether this record can never unlock again.
    pub fn is_spent(&self, now_ms: u64, boot_id: &str) -> bool {
        self.failures >= MAX_FAILURES || now_ms >= self.expires_ms || boot_id != self.boot_id
    }

    /// Removes the device key from the keyring. Call when turning quick unlock off or when spent.
    pub fn forget(&self, store: &dyn KeyStore) -> Result<(), KeyStoreError> {
        store.delete(KEYRING_SERVICE, &self.vault_id.to_string())
    }
}

/// Binds the sealed key to its vault, its expiry and its boot, so editing the settings file
/// (to extend the period, say) makes it useless instead.
fn binding(vault_id: VaultId, expires_ms: u64, boot_id: &str) -> Vec<u8> {
    format!("crm-vault quick unlock\n{vault_id}\n{expires_ms}\n{boot_id}").into_bytes()
}

/// Changes at every boot. Linux gives one; on other systems this is a constant for now, so there
/// only the period and the failure count end quick unlock.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown-boot".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct MemoryStore(RefCell<HashMap<(String, String), Vec<u8>>>);
    impl KeyStore for MemoryStore {
        fn get(&self, s: &str, n: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
            Ok(self.0.borrow().get(&(s.into(), n.into())).cloned())
        }
        fn set(&self, s: &str, n: &str, v: &[u8]) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().insert((s.into(), n.into()), v.to_vec());
            Ok(())
        }
        fn delete(&self, s: &str, n: &str) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().remove(&(s.into(), n.into()));
            Ok(())
        }
    }

    fn setup() -> (MemoryStore, VaultId, VaultKey, QuickUnlock) {
        let store = MemoryStore::default();
        let id = VaultId(uuid::Uuid::from_u128(7));
        let key = SecretKey::random();
        let record = QuickUnlock::enable(&store, id, &key, 1_000, 8, "boot-1").unwrap();
        (store, id, key, record)
    }

    #[test]
    fn unlocks_within_the_period_on_the_same_boot() {
        let (store, id, key, mut record) = setup();
        assert_eq!(record.unlock(&store, id, 2_000, "boot-1").unwrap().expose(), key.expose());
    }

    #[test]
    fn refuses_after_the_period_after_a_reboot_and_for_another_vault() {
        let (store, id, _, mut record) = setup();
        let end = 1_000 + 8 * 3_600_000;
        assert_eq!(record.unlock(&store, id, end, "boot-1").unwrap_err(), QuickUnlockError::Expired);
        assert_eq!(record.unlock(&store, id, 2_000, "boot-2").unwrap_err(), QuickUnlockError::Rebooted);
        let other = VaultId(uuid::Uuid::from_u128(8));
        assert_eq!(record.unlock(&store, other, 2_000, "boot-1").unwrap_err(), QuickUnlockError::OtherVault);
        assert!(record.is_spent(end, "boot-1") && record.is_spent(2_000, "boot-2"));
    }

    #[test]
    fn three_failures_spend_it() {
        let (store, id, _, mut record) = setup();
        store.set(KEYRING_SERVICE, &id.to_string(), &[0; 32]).unwrap(); // the keyring entry was replaced
        for _ in 0..MAX_FAILURES {
            assert_eq!(record.unlock(&store, id, 2_000, "boot-1").unwrap_err(), QuickUnlockError::KeyMismatch);
        }
        assert_eq!(record.unlock(&store, id, 2_000, "boot-1").unwrap_err(), QuickUnlockError::TooManyFailures);
        assert!(record.is_spent(2_000, "boot-1"));
    }

    #[test]
    fn editing_the_expiry_in_the_settings_file_does_not_extend_it() {
        let (store, id, _, mut record) = setup();
        record.expires_ms += 1_000 * 3_600_000;
        assert_eq!(record.unlock(&store, id, 2_000, "boot-1").unwrap_err(), QuickUnlockError::KeyMismatch);
    }

    #[test]
    fn forgetting_removes_the_device_key() {
        let (store, id, _, mut record) = setup();
        record.forget(&store).unwrap();
        assert_eq!(record.unlock(&store, id, 2_000, "boot-1").unwrap_err(), QuickUnlockError::KeyMismatch);
    }
}
