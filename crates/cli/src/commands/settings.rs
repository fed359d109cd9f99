//! `settings`: the vault's rotation period, the owner's name and company, and how far ahead
//! expiry dates are warned of.

use std::path::Path;

use super::Me;
use crate::error::Result;
use crate::secrets::Secrets;
use vault::Vault;

/// Changes what is given (`rotation`: `Some(None)` turns rotation off), then prints the settings.
pub fn settings(
    path: &Path,
    rotation: Option<Option<u32>>,
    owner: Option<String>,
    company: Option<String>,
    expiry_warning_days: Option<u32>,
) -> Result<()> {
    let master = Secrets::from_stdin().master_password()?;
    if rotation.is_none() && owner.is_none() && company.is_none() && expiry_warning_days.is_none() {
        let (_, vault) = super::open(path, &master)?;
        return super::print(&describe(&vault));
    }
    let (mut file, mut vault) = super::open_for_edit(path, &master)?;
    let current = &vault.settings;
    let rotation = rotation.unwrap_or(current.rotation_days.value);
    let owner = owner.unwrap_or_else(|| current.owner_name.value.clone());
    let company = company.unwrap_or_else(|| current.company.value.clone());
    let me = Me::load();
    let profile = vault.set_profile(rotation, owner.trim(), company.trim(), me.author());
    let expiry = expiry_warning_days.is_some_and(|days| vault.set_expiry_warning_days(days, me.author()));
    if profile || expiry {
        me.save(&mut file, &mut vault)?;
        eprintln!("Saved the vault's settings.");
    }
    super::print(&describe(&vault))
}

fn describe(vault: &Vault) -> String {
    let settings = &vault.settings;
    // What the health report obeys: a value out of range from a synced file shows clamped.
    let rotation = match settings.rotation_days() {
        Some(1) => "every day".to_owned(),
        Some(days) => format!("every {days} days"),
        None => "off".to_owned(),
    };
    let expiry = match settings.expiry_warning_days() {
        0 => "off".to_owned(),
        1 => "1 day ahead".to_owned(),
        days => format!("{days} days ahead"),
    };
    format!(
        "Rotation: {rotation}\nOwner name: {}\nCompany: {}\nExpiry warning: {expiry}\n",
        settings.owner_name.value, settings.company.value
    )
}
