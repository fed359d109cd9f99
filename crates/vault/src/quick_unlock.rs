//! Quick unlock ("remember on this device"): unlocking with a short PIN instead of the master
//! password, for a period the user chose (at most 7 days).
//!
//! Three things are needed, kept in three places:
//! - a random device key, in a keyring that a logout or a reboot empties (the Secret Service's
//!   in-memory `session` collection on Linux), together with the count of wrong PINs;
//! - the vault key, sealed under Argon2id(PIN, with the device key as Argon2's secret input), in
//!   this device's local settings, bound to the vault, the period and the current boot;
//! - the PIN, in the user's head.
//!
//! So a stolen laptop after a reboot holds a sealed key whose device key is gone, and a passer-by
//! at an auto-locked desk has three guesses at the PIN before the device key is deleted. The
//! count of wrong PINs lives next to the device key, not in the settings file: putting an old
//! settings file back neither resets it nor brings a deleted device key back.
//!
//! What this does not stop: someone who can run programs as the user while the session is open can
//! read the device key from the keyring and the sealed key from the settings file, and then try
//! PINs offline, each costing one Argon2id ([`PIN_KDF`]). A longer PIN is the defence there.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::ops::RangeInclusive;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::clock::DeviceId;
use crate::crypto::{self, KEY_LEN, KdfParams, SecretKey, VaultKey};
use crate::model::VaultId;

/// Wrong PINs allowed before quick unlock ends and the master password is required.
pub const MAX_FAILURES: u8 = 3;
/// The longest period quick unlock can be turned on for: 7 days.
pub const MAX_HOURS: u32 = 7 * 24;
/// How many digits a PIN has.
pub const PIN_DIGITS: RangeInclusive<usize> = 4..=12;
/// The keyring items' service name: one item per device (settings folder) and vault, named
/// "DEVICE VAULT", so that two settings folders of one user never delete each other's keys.
pub const KEYRING_SERVICE: &str = "CRM Vault quick unlock";

/// Argon2id settings for the PIN: RFC 9106's second recommendation, the vault's own default.
/// About 0.15 s on a 2-core machine (docs/PERFORMANCE.md), which a user does not notice
/// once per unlock, while each offline guess by someone who stole the device key costs as much.
pub const PIN_KDF: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 4 };

const HOUR_MS: u64 = 3_600_000;
const SALT_LEN: usize = 16;
/// The keyring item: this prefix, the device key, then the count of wrong PINs.
const DEVICE_KEY_MAGIC: &[u8] = b"crm-vault quick unlock 2\n";

/// Where the device key and the failure count are kept. The desktop app passes the OS keyring;
/// tests pass a map.
pub trait KeyStore {
    fn get(&self, service: &str, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError>;
    fn set(&self, service: &str, name: &str, secret: &[u8]) -> Result<(), KeyStoreError>;
    fn delete(&self, service: &str, name: &str) -> Result<(), KeyStoreError>;
    /// The names of all items under `service`, so that keys no record uses can be deleted.
    fn names(&self, service: &str) -> Result<Vec<String>, KeyStoreError>;
}

/// The OS keyring could not be used; the text says why (no Secret Service, locked keyring...).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the system keyring is not available: {0}")]
pub struct KeyStoreError(pub String);

/// A quick-unlock PIN: 4 to 12 digits. Wiped when dropped, never printed.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

/// A PIN that is not 4 to 12 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a quick-unlock PIN is {} to {} digits", PIN_DIGITS.start(), PIN_DIGITS.end())]
pub struct PinFormatError;

impl Pin {
    pub fn new(text: &str) -> Result<Pin, PinFormatError> {
        let digits_only = text.bytes().all(|b| b.is_ascii_digit());
        if !digits_only || !PIN_DIGITS.contains(&text.len()) {
            return Err(PinFormatError);
        }
        Ok(Pin(Zeroizing::new(text.to_owned())))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(redacted)")
    }
}

/// How long quick unlock stays on: 1 hour to [`MAX_HOURS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    hours: u32,
}

/// A period longer than 7 days, or of no time at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("quick unlock can be turned on for 1 hour to {MAX_HOURS} hours (7 days), not {0} hours")]
pub struct PeriodError(pub u32);

impl Period {
    pub const LONGEST: Period = Period { hours: MAX_HOURS };

    pub fn hours(hours: u32) -> Result<Period, PeriodError> {
        if (1..=MAX_HOURS).contains(&hours) { Ok(Period { hours }) } else { Err(PeriodError(hours)) }
    }

    fn ms(self) -> u64 {
        u64::from(self.hours) * HOUR_MS
    }
}

/// Whose quick unlock it is: this device (its settings folder) and the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub device: DeviceId,
    pub vault_id: VaultId,
}

/// Kept in this device's local settings while quick unlock is on. Useless without the device key
/// and the PIN; every field is bound into the seal, so an edited one makes it useless too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickUnlock {
    /// This device (its settings folder), whose device keys the start-up may tidy.
    pub device: DeviceId,
    pub vault_id: VaultId,
    /// When it was turned on (ms since the epoch).
    pub since_ms: u64,
    pub expires_ms: u64,
    pub boot_id: String,
    /// The fingerprint of the vault file's key slot when quick unlock was turned on
    /// ([`crate::format::KeySlot::fingerprint`]): a file carrying another master password since
    /// (planted by someone holding the vault key) is not opened by quick unlock.
    #[serde(default)]
    pub key_slot: [u8; 32],
    salt: [u8; SALT_LEN],
    nonce: [u8; crypto::NONCE_LEN],
    sealed_key: Vec<u8>,
}

/// What a quick unlock record opens: the vault key, and the key slot of the file it was set up
/// for (see [`QuickUnlock::key_slot`]).
#[derive(Debug, Clone, Copy)]
pub struct Unlocks<'a> {
    pub key: &'a VaultKey,
    pub key_slot: [u8; 32],
}

/// Turning quick unlock on failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EnableError {
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
    #[error("could not derive the quick-unlock key: {0}")]
    KeyDerivation(String),
}

/// Why quick unlock did not give the vault key. Only [`QuickUnlockError::WrongPin`] with attempts
/// left and [`QuickUnlockError::KeyStore`] leave it on; see [`QuickUnlockError::ends_it`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum QuickUnlockError {
    #[error("quick unlock has expired; unlock with the master password")]
    Expired,
    #[error("the computer restarted since quick unlock was turned on; unlock with the master password")]
    Rebooted,
    #[error(
        "quick unlock's period is longer than 7 days or starts in the future (the settings file was edited or the \
         clock was set back); unlock with the master password"
    )]
    PeriodOutOfRange,
    #[error("wrong PIN; {attempts_left} attempt(s) left before the master password is needed")]
    WrongPin { attempts_left: u8 },
    #[error("the PIN was wrong {MAX_FAILURES} times; unlock with the master password")]
    TooManyFailures,
    #[error("quick unlock ended (the device key is gone from the system keyring); unlock with the master password")]
    Ended,
    #[error("quick unlock was set up for another vault")]
    OtherVault,
    #[error("could not derive the quick-unlock key: {0}")]
    KeyDerivation(String),
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
}

impl QuickUnlockError {
    /// Whether the record can never unlock again and should be dropped from the settings (its
    /// device key has already been deleted where the keyring could be reached).
    pub fn ends_it(&self) -> bool {
        !matches!(
            self,
            QuickUnlockError::WrongPin { attempts_left: 1.. }
                | QuickUnlockError::KeyStore(_)
                | QuickUnlockError::KeyDerivation(_)
        )
    }
}

/// The device key and the wrong-PIN count, as kept in the keyring item.
struct DeviceKey {
    key: SecretKey,
    failures: u8,
}

impl DeviceKey {
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(DEVICE_KEY_MAGIC.len() + KEY_LEN + 1));
        bytes.extend_from_slice(DEVICE_KEY_MAGIC);
        bytes.extend_from_slice(self.key.expose());
        bytes.push(self.failures);
        bytes
    }

    /// `None` for anything else under our name (an item from an older version, or damaged).
    fn decode(bytes: &[u8]) -> Option<DeviceKey> {
        let rest = bytes.strip_prefix(DEVICE_KEY_MAGIC)?;
        let (key, failures) = rest.split_at_checked(KEY_LEN)?;
        let key: [u8; KEY_LEN] = key.try_into().ok()?;
        match failures {
            [failures] => Some(DeviceKey { key: SecretKey::from_bytes(key), failures: *failures }),
            _ => None,
        }
    }
}

impl QuickUnlock {
    /// Turns quick unlock on from `now_ms` for `period`: a new device key goes into `store`, and
    /// the vault key is sealed under it and the PIN.
    pub fn enable(
        store: &dyn KeyStore,
        Owner { device, vault_id }: Owner,
        Unlocks { key: vault_key, key_slot }: Unlocks<'_>,
        pin: &Pin,
        now_ms: u64,
        period: Period,
        boot_id: &str,
    ) -> Result<QuickUnlock, EnableError> {
        let device_key = DeviceKey { key: SecretKey::random(), failures: 0 };
        let salt = crypto::random_array();
        let sealing_key = sealing_key(&device_key.key, pin, &salt).map_err(EnableError::KeyDerivation)?;
        let mut record = QuickUnlock {
            device,
            vault_id,
            since_ms: now_ms,
            expires_ms: now_ms.saturating_add(period.ms()),
            boot_id: boot_id.to_owned(),
            key_slot,
            salt,
            nonce: crypto::random_array(),
            sealed_key: Vec::new(),
        };
        record.sealed_key = crypto::seal(&sealing_key, &record.nonce, &record.binding(), vault_key.expose());
        store.set(KEYRING_SERVICE, &record.key_name(), &device_key.encode())?;
        Ok(record)
    }

    /// The vault key, if `pin` is right and the record may be used now. A wrong PIN is counted in
    /// the keyring before the PIN is tried, so stopping the app mid-try does not save a guess.
    /// When the error [ends it](QuickUnlockError::ends_it), the device key has been deleted.
    pub fn unlock(
        &self,
        store: &dyn KeyStore,
        vault_id: VaultId,
        pin: &Pin,
        now_ms: u64,
        boot_id: &str,
    ) -> Result<VaultKey, QuickUnlockError> {
        if self.vault_id != vault_id {
            return Err(QuickUnlockError::OtherVault);
        }
        let mut device = self.usable_device_key(store, now_ms, boot_id)?;
        let name = self.key_name();
        device.failures += 1;
        store.set(KEYRING_SERVICE, &name, &device.encode())?;

        let sealing_key = sealing_key(&device.key, pin, &self.salt).map_err(QuickUnlockError::KeyDerivation)?;
        let opened = crypto::open(&sealing_key, &self.nonce, &self.binding(), &self.sealed_key).ok();
        let vault_key = opened.and_then(|key| <[u8; KEY_LEN]>::try_from(key.as_slice()).ok());
        match vault_key {
            Some(key) => {
                device.failures = 0;
                store.set(KEYRING_SERVICE, &name, &device.encode())?;
                Ok(SecretKey::from_bytes(key))
            }
            None => {
                let attempts_left = MAX_FAILURES.saturating_sub(device.failures);
                if attempts_left == 0 {
                    self.forget(store)?;
                }
                Err(QuickUnlockError::WrongPin { attempts_left })
            }
        }
    }

    /// Whether the record can still be used, without trying a PIN: the number of PIN attempts
    /// left. A record that cannot (expired, another boot, used up, device key gone) has its device
    /// key deleted and gives the reason.
    pub fn check(&self, store: &dyn KeyStore, now_ms: u64, boot_id: &str) -> Result<u8, QuickUnlockError> {
        let device = self.usable_device_key(store, now_ms, boot_id)?;
        Ok(MAX_FAILURES.saturating_sub(device.failures))
    }

    fn usable_device_key(
        &self,
        store: &dyn KeyStore,
        now_ms: u64,
        boot_id: &str,
    ) -> Result<DeviceKey, QuickUnlockError> {
        let outcome = self.check_period(now_ms, boot_id).and_then(|()| {
            let bytes = store.get(KEYRING_SERVICE, &self.key_name())?;
            let device = bytes.and_then(|b| DeviceKey::decode(&b)).ok_or(QuickUnlockError::Ended)?;
            match device.failures >= MAX_FAILURES {
                true => Err(QuickUnlockError::TooManyFailures),
                false => Ok(device),
            }
        });
        if let Err(err) = &outcome
            && err.ends_it()
        {
            // Whatever ends it deletes the device key too, so a copy of the settings file made
            // earlier cannot bring it back. A keyring that cannot be reached now forgets it at logout.
            let _ = self.forget(store);
        }
        outcome
    }

    fn check_period(&self, now_ms: u64, boot_id: &str) -> Result<(), QuickUnlockError> {
        // The seal also covers these fields; checking them here first gives the user the reason,
        // and holds the 7-day limit even against a record sealed with a forged period.
        let longest = Period::LONGEST.ms();
        if self.expires_ms.saturating_sub(self.since_ms) > longest || now_ms < self.since_ms {
            return Err(QuickUnlockError::PeriodOutOfRange);
        }
        if now_ms >= self.expires_ms {
            return Err(QuickUnlockError::Expired);
        }
        if boot_id != self.boot_id {
            return Err(QuickUnlockError::Rebooted);
        }
        Ok(())
    }

    /// Whether the record can never unlock again, judged without the keyring (the time and boot).
    pub fn is_spent(&self, now_ms: u64, boot_id: &str) -> bool {
        self.check_period(now_ms, boot_id).is_err()
    }

    /// Deletes the device key. Call when turning quick unlock off, when the master password
    /// changes, and when the key it gave no longer opens the vault.
    pub fn forget(&self, store: &dyn KeyStore) -> Result<(), KeyStoreError> {
        store.delete(KEYRING_SERVICE, &self.key_name())
    }

    /// The keyring item's name.
    pub fn key_name(&self) -> String {
        key_name(self.device, self.vault_id)
    }

    /// Binds the seal to its vault, its period and its boot, so that editing any of them in the
    /// settings file (to extend the period, say) makes the record useless instead.
    fn binding(&self) -> Vec<u8> {
        let QuickUnlock { device, vault_id, since_ms, expires_ms, boot_id, key_slot, .. } = self;
        let slot: String = key_slot.iter().map(|b| format!("{b:02x}")).collect();
        format!("crm-vault quick unlock 2\n{device}\n{vault_id}\n{since_ms}\n{expires_ms}\n{boot_id}\n{slot}")
            .into_bytes()
    }
}

fn key_name(device: DeviceId, vault_id: VaultId) -> String {
    format!("{device} {vault_id}")
}

/// At start-up: checks the record kept in the settings and deletes every device key of `device`
/// that no usable record needs (expired, used up, from another boot, for a vault this device no
/// longer opens). Returns the record if it can still be used, with its attempts left.
pub fn clean_up(
    store: &dyn KeyStore,
    device: DeviceId,
    record: Option<QuickUnlock>,
    now_ms: u64,
    boot_id: &str,
) -> Result<Option<(QuickUnlock, u8)>, KeyStoreError> {
    let live = match record.filter(|record| record.device == device) {
        None => None,
        Some(record) => match record.check(store, now_ms, boot_id) {
            Ok(attempts_left) => Some((record, attempts_left)),
            Err(QuickUnlockError::KeyStore(err)) => return Err(err),
            Err(_) => None,
        },
    };
    let keep = live.as_ref().map(|(record, _)| record.key_name());
    let ours = format!("{device} ");
    for name in store.names(KEYRING_SERVICE)? {
        if name.starts_with(&ours) && Some(&name) != keep.as_ref() {
            store.delete(KEYRING_SERVICE, &name)?;
        }
    }
    Ok(live)
}

/// Argon2id of the PIN, with the device key as Argon2's secret input: neither alone gives the key.
fn sealing_key(device_key: &SecretKey, pin: &Pin, salt: &[u8]) -> Result<SecretKey, String> {
    let KdfParams { memory_kib, iterations, parallelism } = PIN_KDF;
    let params = argon2::Params::new(memory_kib, iterations, parallelism, Some(KEY_LEN)).map_err(|e| e.to_string())?;
    let argon = argon2::Argon2::new_with_secret(
        device_key.expose(),
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    )
    .map_err(|e| e.to_string())?;
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon.hash_password_into(pin.as_bytes(), salt, out.as_mut()).map_err(|e| e.to_string())?;
    Ok(SecretKey::from_bytes(*out))
}

/// Reads the settings' quick-unlock record; one written by an older version (without a PIN) or
/// damaged is dropped, rather than making the whole settings file unreadable.
pub fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<QuickUnlock>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.and_then(|value| serde_json::from_value(value).ok()))
}

/// Changes at every boot. Linux gives one; on other systems this is a constant for now, so there
/// only the period, the PIN count and the keyring's own lifetime end quick unlock.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown-boot".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    /// The keyring's stand-in: a map from (service, name) to the secret.
    #[derive(Default)]
    struct MemoryStore(RefCell<BTreeMap<(String, String), Vec<u8>>>);
    impl KeyStore for MemoryStore {
        fn get(&self, s: &str, n: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
            Ok(self.0.borrow().get(&(s.into(), n.into())).cloned().map(Zeroizing::new))
        }
        fn set(&self, s: &str, n: &str, v: &[u8]) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().insert((s.into(), n.into()), v.to_vec());
            Ok(())
        }
        fn delete(&self, s: &str, n: &str) -> Result<(), KeyStoreError> {
            self.0.borrow_mut().remove(&(s.into(), n.into()));
            Ok(())
        }
        fn names(&self, s: &str) -> Result<Vec<String>, KeyStoreError> {
            Ok(self.0.borrow().keys().filter(|(service, _)| service == s).map(|(_, n)| n.clone()).collect())
        }
    }

    impl MemoryStore {
        fn holds(&self, id: VaultId) -> bool {
            self.0.borrow().contains_key(&(KEYRING_SERVICE.into(), key_name(DEVICE, id)))
        }
    }

    const START: u64 = 1_000_000;
    const DEVICE: DeviceId = DeviceId(0x1a2b);
    const DAY: u64 = 24 * HOUR_MS;

    const SLOT: [u8; 32] = [7; 32];

    fn pin(text: &str) -> Pin {
        Pin::new(text).unwrap()
    }

    fn setup() -> (MemoryStore, VaultId, VaultKey, QuickUnlock) {
        let store = MemoryStore::default();
        let id = VaultId(uuid::Uuid::from_u128(7));
        let key = SecretKey::random();
        let record = QuickUnlock::enable(
            &store,
            Owner { device: DEVICE, vault_id: id },
            Unlocks { key: &key, key_slot: SLOT },
            &pin("2468"),
            START,
            Period::hours(8).unwrap(),
            "boot-1",
        )
        .unwrap();
        (store, id, key, record)
    }

    #[test]
    fn the_right_pin_unlocks_within_the_period_on_the_same_boot() {
        let (store, id, key, record) = setup();
        assert_eq!(record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap().expose(), key.expose());
        // Again: quick unlock is not used up by using it.
        assert_eq!(record.unlock(&store, id, &pin("2468"), START + 2, "boot-1").unwrap().expose(), key.expose());
        assert_eq!(record.check(&store, START + 3, "boot-1"), Ok(MAX_FAILURES));
    }

    #[test]
    fn three_wrong_pins_end_quick_unlock_and_delete_the_device_key() {
        let (store, id, _, record) = setup();
        for attempts_left in [2, 1, 0] {
            let err = record.unlock(&store, id, &pin("1357"), START + 1, "boot-1").unwrap_err();
            assert_eq!(err, QuickUnlockError::WrongPin { attempts_left });
            assert_eq!(err.ends_it(), attempts_left == 0);
        }
        assert!(!store.holds(id), "the device key is deleted after the third wrong PIN");
        // The right PIN no longer helps: only the master password opens the vault now.
        assert_eq!(record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap_err(), QuickUnlockError::Ended);
    }

    #[test]
    fn a_right_pin_resets_the_count_of_wrong_ones() {
        let (store, id, _, record) = setup();
        for _ in 0..2 {
            record.unlock(&store, id, &pin("0000"), START + 1, "boot-1").unwrap_err();
        }
        record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap();
        assert_eq!(record.check(&store, START + 1, "boot-1"), Ok(MAX_FAILURES));
    }

    #[test]
    fn putting_back_an_earlier_settings_file_does_not_reset_the_wrong_pin_count() {
        let (store, id, _, record) = setup();
        let settings_before = serde_json::to_string(&record).unwrap();
        for _ in 0..2 {
            record.unlock(&store, id, &pin("9999"), START + 1, "boot-1").unwrap_err();
        }
        // The attacker restores the settings file saved before the wrong PINs: the count is not in it.
        let restored: QuickUnlock = serde_json::from_str(&settings_before).unwrap();
        assert_eq!(restored.check(&store, START + 1, "boot-1"), Ok(1));
        let err = restored.unlock(&store, id, &pin("9998"), START + 1, "boot-1").unwrap_err();
        assert_eq!(err, QuickUnlockError::WrongPin { attempts_left: 0 });
        // And once ended, restoring it again brings nothing back: the device key is gone.
        let restored: QuickUnlock = serde_json::from_str(&settings_before).unwrap();
        assert_eq!(
            restored.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap_err(),
            QuickUnlockError::Ended
        );
    }

    #[test]
    fn expiry_ends_quick_unlock_and_deletes_the_device_key() {
        let (store, id, _, record) = setup();
        let end = START + 8 * HOUR_MS;
        assert!(record.unlock(&store, id, &pin("2468"), end - 1, "boot-1").is_ok());
        let err = record.unlock(&store, id, &pin("2468"), end, "boot-1").unwrap_err();
        assert_eq!(err, QuickUnlockError::Expired);
        assert!(err.ends_it() && record.is_spent(end, "boot-1"));
        assert!(!store.holds(id));
    }

    #[test]
    fn a_reboot_ends_quick_unlock_and_deletes_the_device_key() {
        let (store, id, _, record) = setup();
        let err = record.unlock(&store, id, &pin("2468"), START + 1, "boot-2").unwrap_err();
        assert_eq!(err, QuickUnlockError::Rebooted);
        assert!(err.ends_it() && record.is_spent(START + 1, "boot-2"));
        assert!(!store.holds(id));
        // Back on "boot-1" (the boot id put back by hand), the device key is still gone.
        assert_eq!(record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap_err(), QuickUnlockError::Ended);
    }

    #[test]
    fn no_period_over_seven_days_is_accepted_even_from_an_edited_settings_file() {
        assert_eq!(Period::hours(MAX_HOURS + 1), Err(PeriodError(MAX_HOURS + 1)));
        assert_eq!(Period::hours(0), Err(PeriodError(0)));
        assert_eq!(Period::hours(u32::MAX), Err(PeriodError(u32::MAX)));
        assert!(Period::hours(MAX_HOURS).is_ok());

        let store = MemoryStore::default();
        let id = VaultId(uuid::Uuid::from_u128(9));
        let key = SecretKey::random();
        let week = QuickUnlock::enable(
            &store,
            Owner { device: DEVICE, vault_id: id },
            Unlocks { key: &key, key_slot: SLOT },
            &pin("123456"),
            START,
            Period::LONGEST,
            "b",
        )
        .unwrap();
        assert!(week.unlock(&store, id, &pin("123456"), START + 7 * DAY - 1, "b").is_ok());
        assert_eq!(
            week.unlock(&store, id, &pin("123456"), START + 7 * DAY, "b").unwrap_err(),
            QuickUnlockError::Expired
        );

        // A record claiming 30 days (the settings file edited, or sealed by an older version) is refused.
        let week = QuickUnlock::enable(
            &store,
            Owner { device: DEVICE, vault_id: id },
            Unlocks { key: &key, key_slot: SLOT },
            &pin("123456"),
            START,
            Period::LONGEST,
            "b",
        )
        .unwrap();
        let month = QuickUnlock { expires_ms: START + 30 * DAY, ..week };
        let err = month.unlock(&store, id, &pin("123456"), START + 1, "b").unwrap_err();
        assert_eq!(err, QuickUnlockError::PeriodOutOfRange);
        assert!(!store.holds(id));
    }

    #[test]
    fn editing_the_period_in_the_settings_file_does_not_extend_it() {
        let (store, id, _, record) = setup();
        let later = QuickUnlock { expires_ms: record.expires_ms + 24 * HOUR_MS, ..record.clone() };
        let err = later.unlock(&store, id, &pin("2468"), START + 9 * HOUR_MS, "boot-1").unwrap_err();
        assert_eq!(err, QuickUnlockError::WrongPin { attempts_left: 2 }, "the seal no longer opens, and that counts");
        let moved =
            QuickUnlock { since_ms: record.since_ms + HOUR_MS, expires_ms: record.expires_ms + HOUR_MS, ..record };
        assert!(moved.unlock(&store, id, &pin("2468"), START + 2 * HOUR_MS, "boot-1").is_err());
    }

    #[test]
    fn setting_the_clock_back_before_the_start_ends_it() {
        let (store, id, _, record) = setup();
        let err = record.unlock(&store, id, &pin("2468"), START - 1, "boot-1").unwrap_err();
        assert_eq!(err, QuickUnlockError::PeriodOutOfRange);
        assert!(!store.holds(id));
    }

    #[test]
    fn the_device_key_is_useless_without_the_pin_and_the_pin_without_the_device_key() {
        let (store, id, _, record) = setup();
        // Another device key in the keyring (the item replaced): the right PIN fails, and counts.
        let other = DeviceKey { key: SecretKey::random(), failures: 0 };
        store.set(KEYRING_SERVICE, &key_name(DEVICE, id), &other.encode()).unwrap();
        assert_eq!(
            record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap_err(),
            QuickUnlockError::WrongPin { attempts_left: 2 }
        );
        // An item from an older version (a bare key) or damaged: ended, and deleted.
        store.set(KEYRING_SERVICE, &key_name(DEVICE, id), &[7; KEY_LEN]).unwrap();
        assert_eq!(record.unlock(&store, id, &pin("2468"), START + 1, "boot-1").unwrap_err(), QuickUnlockError::Ended);
        assert!(!store.holds(id));
    }

    #[test]
    fn another_vault_is_refused() {
        let (store, _, _, record) = setup();
        let other = VaultId(uuid::Uuid::from_u128(8));
        assert_eq!(
            record.unlock(&store, other, &pin("2468"), START + 1, "boot-1").unwrap_err(),
            QuickUnlockError::OtherVault
        );
    }

    #[test]
    fn clean_up_at_start_up_deletes_stale_and_orphaned_device_keys() {
        let (store, id, _, record) = setup();
        let orphan = VaultId(uuid::Uuid::from_u128(99));
        store.set(KEYRING_SERVICE, &key_name(DEVICE, orphan), b"left by a vault this device no longer opens").unwrap();
        store.set("another app", "its key", b"not ours").unwrap();
        let other_settings_folder = key_name(DeviceId(0x3c4d), id);
        store.set(KEYRING_SERVICE, &other_settings_folder, b"a portable install's key").unwrap();

        let kept = clean_up(&store, DEVICE, Some(record.clone()), START + 1, "boot-1").unwrap();
        assert_eq!(kept.map(|(r, left)| (r.vault_id, left)), Some((id, MAX_FAILURES)));
        assert!(store.holds(id) && !store.holds(orphan));
        assert_eq!(store.names("another app").unwrap(), ["its key"], "other applications' items are left alone");
        assert!(
            store.names(KEYRING_SERVICE).unwrap().contains(&other_settings_folder),
            "another settings folder's too"
        );
        store.delete(KEYRING_SERVICE, &other_settings_folder).unwrap();

        // After a reboot the record is stale: dropped, and its device key deleted.
        assert!(clean_up(&store, DEVICE, Some(record.clone()), START + 1, "boot-2").unwrap().is_none());
        assert!(!store.holds(id));

        // Used up: also dropped.
        let (store, id, _, record) = setup();
        store
            .set(KEYRING_SERVICE, &key_name(DEVICE, id), &DeviceKey { key: SecretKey::random(), failures: 3 }.encode())
            .unwrap();
        assert!(clean_up(&store, DEVICE, Some(record), START + 1, "boot-1").unwrap().is_none());
        assert!(!store.holds(id));
        // Without any record, nothing of ours is kept.
        store.set(KEYRING_SERVICE, &key_name(DEVICE, id), b"x").unwrap();
        assert!(clean_up(&store, DEVICE, None, START, "boot-1").unwrap().is_none());
        assert!(store.names(KEYRING_SERVICE).unwrap().is_empty());
    }

    #[test]
    fn pins_are_4_to_12_digits_and_never_printed() {
        for good in ["0000", "123456", "012345678901"] {
            assert!(Pin::new(good).is_ok(), "{good}");
        }
        for bad in ["", "123", "1234567890123", "12a4", "１２３４", " 1234", "12.4"] {
            assert_eq!(Pin::new(bad).unwrap_err(), PinFormatError, "{bad}");
        }
        assert_eq!(format!("{:?}", pin("2468")), "Pin(redacted)");
    }

    #[test]
    fn a_settings_record_from_an_older_version_is_dropped_not_fatal() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(default, deserialize_with = "deserialize_lenient")]
            quick_unlock: Option<QuickUnlock>,
        }
        let old = r#"{"quick_unlock":{"vault_id":"00000000-0000-0000-0000-000000000007","expires_ms":5,
            "boot_id":"b","failures":0,"nonce":[0,0,0,0,0,0,0,0,0,0,0,0],"sealed_key":[1,2]}}"#;
        assert!(serde_json::from_str::<Holder>(old).unwrap().quick_unlock.is_none());
        let (_, _, _, record) = setup();
        let now = format!(r#"{{"quick_unlock":{}}}"#, serde_json::to_string(&record).unwrap());
        assert_eq!(serde_json::from_str::<Holder>(&now).unwrap().quick_unlock, Some(record));
    }
}
