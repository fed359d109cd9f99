//! Writing a vault as this device: the one save flow of every front end. Each write first notes
//! the device (so the entry history can name the laptop that made a change), then saves, taking
//! in whatever another laptop saved meanwhile.

use vault::device::DeviceIdentity;
use vault::model::MergeReport;
use vault::store::{PasswordChange, SaveError};
use vault::{Author, KdfParams, MasterPassword, SystemClock, Vault, VaultFile};

/// The author of this device's writes.
pub fn author(device: &DeviceIdentity) -> Author<'static> {
    Author { device: device.id, clock: &SystemClock }
}

/// Saves `vault` to `file` as `device`; the report says what came in from another laptop's save.
pub fn save(device: &DeviceIdentity, file: &mut VaultFile, vault: &mut Vault) -> Result<MergeReport, SaveError> {
    vault.note_device(author(device), &device.name);
    file.save(vault, &SystemClock)
}

/// Saves `vault` whose only change is new activity (a copy, a reveal, a fill, an unlock): the
/// replaced file is not kept as a backup, so backups stay earlier versions of the entries.
pub fn save_activity(
    device: &DeviceIdentity,
    file: &mut VaultFile,
    vault: &mut Vault,
) -> Result<MergeReport, SaveError> {
    // A laptop is named once, so its events can be; but activity is not a change of the vault,
    // so it does not move the laptop's "last change" (shown in the status and the backups list).
    if !vault.devices.contains_key(&device.id) {
        vault.note_device(author(device), &device.name);
    }
    file.save_activity(vault, &SystemClock)
}

/// Changes the master password (and with it the vault key) as `device`; `kdf` replaces the
/// key-derivation settings when given.
pub fn change_password(
    device: &DeviceIdentity,
    file: &mut VaultFile,
    vault: &mut Vault,
    new: &MasterPassword,
    kdf: Option<KdfParams>,
) -> Result<PasswordChange, SaveError> {
    vault.note_device(author(device), &device.name);
    file.change_password(vault, new, kdf, author(device))
}
