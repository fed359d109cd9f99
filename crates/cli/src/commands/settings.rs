//! `settings`: the vault's rotation period, the owner's name and company, and how far ahead
//! expiry dates are warned of.

use std::path::Path;

use crate::error::Result;
use crate::secrets::Secrets;
use vault::Vault;
use vault::activity::EventKind;

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
        let unlock = super::open(path, &master)?;
        let printed = super::print(&describe(&unlock.vault));
        return unlock.finish(printed);
    }
    let mut unlock = super::open_for_edit(path, &master)?;
    let current = &unlock.vault.settings;
    let rotation = rotation.unwrap_or(current.rotation_days.value);
    let owner = owner.unwrap_or_else(|| current.owner_name.value.clone());
    let company = company.unwrap_or_else(|| current.company.value.clone());
    // The names of what changes, for the log (the owner's name is no secret, but names suffice).
    let changed: Vec<&str> = [
        ("rotation-days", rotation != current.rotation_days.value),
        ("owner-name", owner.trim() != current.owner_name.value),
        ("company", company.trim() != current.company.value),
        ("expiry-warning-days", expiry_warning_days.is_some_and(|d| d != current.expiry_warning_days())),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect();
    let author = unlock.me.author();
    let profile = unlock.vault.set_profile(rotation, owner.trim(), company.trim(), author);
    let expiry = expiry_warning_days.is_some_and(|days| unlock.vault.set_expiry_warning_days(days, author));
    if profile || expiry {
        unlock.record(EventKind::SettingsChanged, None, changed.join(", "));
        unlock.save()?;
        eprintln!("Saved the vault's settings.");
    }
    let printed = super::print(&describe(&unlock.vault));
    unlock.finish(printed)
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
    let mut out = format!(
        "Rotation: {rotation}\nOwner name: {}\nCompany: {}\nExpiry warning: {expiry}\n",
        settings.owner_name.value, settings.company.value
    );
    // The vault keeps its own period; while the company policy sets one, the report uses that.
    if let Some(days) = super::company::in_force().and_then(|p| p.passwords.rotation_days) {
        out.push_str(&format!(
            "The company policy sets the rotation period to every {days} days; it applies instead.\n"
        ));
    }
    out
}
