//! The company policy in the session: read when the session starts and again at each unlock
//! (IT may place or change the file while the app runs), shown to the page, and applied to the
//! settings, quick unlock, the generator and the report. A malformed file is shown, never
//! applied in part. Also the accounts list for IT, from the core's rows.

use std::path::Path;

use vault::company::inventory::{self, InventoryRow};
use vault::company::{self, CompanyPolicy, Kind, Loaded, PolicyError, PolicyLocation, PolicySource};
use vault::model::Settings as VaultSettings;

use super::Session;
use crate::error::{ErrorCode, Result, error};
use crate::view::*;

/// The view of what was found where the policy is looked for.
pub fn policy_view(loaded: &Loaded) -> CompanyPolicyView {
    let location = loaded.location();
    let empty = CompanyPolicy::default();
    let policy = loaded.policy().unwrap_or(&empty);
    let kinds = policy.required_kinds();
    let quick_max = policy.quick_unlock.max_hours;
    CompanyPolicyView {
        state: match loaded {
            Loaded::None { .. } => "none",
            Loaded::InForce { .. } => "in-force",
            Loaded::Failed { .. } => "malformed",
        }
        .into(),
        path: location.path.display().to_string(),
        source: match location.source {
            PolicySource::Environment => "environment",
            PolicySource::System => "system",
        }
        .into(),
        error: loaded.error().map(file_error),
        min_length: policy.passwords.min_length,
        required: RequiredKinds {
            lower: kinds.contains(&Kind::Lower),
            upper: kinds.contains(&Kind::Upper),
            digits: kinds.contains(&Kind::Digits),
            symbols: kinds.contains(&Kind::Symbols),
        },
        rotation_days: policy.passwords.rotation_days,
        max_auto_lock_minutes: policy.timers.max_auto_lock_minutes,
        max_clipboard_clear_seconds: policy.timers.max_clipboard_clear_seconds,
        quick_unlock_allowed: policy.quick_unlock.allowed,
        quick_unlock_max_hours: quick_max,
        totp_required_tags: policy.accounts.totp_required_tags.clone(),
        company_tag: policy.accounts.company_tag.clone(),
        locked: LockedSettings {
            rotation_days: policy.passwords.rotation_days.is_some(),
            auto_lock_minutes: policy.timers.max_auto_lock_minutes.is_some(),
            clipboard_clear_seconds: policy.timers.max_clipboard_clear_seconds.is_some(),
            quick_unlock: !policy.quick_unlock.allowed || quick_max.is_some(),
            generator: policy.rules_passwords(),
        },
    }
}

fn file_error(err: &PolicyError) -> PolicyFileError {
    match err {
        PolicyError::Malformed { line, column, message, .. } => PolicyFileError {
            line: Some(u32::try_from(*line).unwrap_or(u32::MAX)),
            column: Some(u32::try_from(*column).unwrap_or(u32::MAX)),
            message: message.clone(),
        },
        other => PolicyFileError { line: None, column: None, message: other.to_string() },
    }
}

fn forbids(message: impl std::fmt::Display) -> crate::view::IpcError {
    error(ErrorCode::PolicyForbids, message)
}

/// The generator's options raised to the policy, as the page should show them: long enough,
/// with every required kind on.
pub fn options_within(policy: Option<&CompanyPolicy>, options: GeneratorOptions) -> GeneratorOptions {
    let Some(policy) = policy else { return options };
    let kinds = policy.required_kinds();
    let min = policy.passwords.min_length.map_or(0, u32::from);
    GeneratorOptions {
        length: options.length.max(min),
        lower: options.lower || kinds.contains(&Kind::Lower),
        upper: options.upper || kinds.contains(&Kind::Upper),
        digits: options.digits || kinds.contains(&Kind::Digits),
        symbols: options.symbols || kinds.contains(&Kind::Symbols),
        capitalise: options.capitalise || kinds.contains(&Kind::Upper),
        add_digit: options.add_digit || kinds.contains(&Kind::Digits),
        ..options
    }
}

/// The rows of the accounts list as the page receives them.
pub fn inventory_view(rows: Vec<InventoryRow>) -> Vec<InventoryRowView> {
    rows.into_iter()
        .map(|r| InventoryRowView {
            system: r.system,
            username: r.username,
            urls: r.urls,
            totp: r.totp,
            password_changed: r.password_changed,
            tags: r.tags,
        })
        .collect()
}

impl Session {
    /// The session reading the policy at `location` instead of the usual place (tests, and
    /// front ends that were told another place).
    pub fn with_company_policy(mut self, location: &PolicyLocation) -> Session {
        self.company = company::load(location);
        self
    }

    /// Reads the policy file again, from where it was looked for before.
    pub fn reload_company_policy(&mut self) {
        let location = self.company.location().clone();
        self.company = company::load(&location);
    }

    /// The policy in force, if any (a malformed file enforces nothing).
    pub fn company_policy(&self) -> Option<&CompanyPolicy> {
        self.company.policy()
    }

    /// What the policy sets, where it comes from, which settings it locks, or why it is not
    /// applied.
    pub fn company_policy_view(&self) -> CompanyPolicyView {
        policy_view(&self.company)
    }

    /// "Hand over company accounts": every entry with the policy's company tag, for IT, without
    /// expiry. Without a policy naming that tag there is nothing to hand over.
    pub fn hand_over_company_accounts(
        &mut self,
        to: &str,
        passphrase: &str,
        path: &Path,
    ) -> Result<crate::view::HandoverMade> {
        let tag = self.company_policy().and_then(|p| p.accounts.company_tag.clone()).ok_or_else(|| {
            error(ErrorCode::HandoverNoTagged, "the company policy names no tag for company accounts")
        })?;
        self.make_company_handover(&tag, to, passphrase, path)
    }

    /// The auto-lock time in force, in minutes, for the vault's setting `vault_minutes`.
    pub(super) fn auto_lock_in_force(&self, vault_minutes: u32) -> u32 {
        self.company_policy().map_or(vault_minutes, |p| p.auto_lock_minutes(vault_minutes))
    }

    pub(super) fn clipboard_in_force(&self, vault_seconds: u32) -> u32 {
        self.company_policy().map_or(vault_seconds, |p| p.clipboard_clear_seconds(vault_seconds))
    }

    pub(super) fn rotation_in_force(&self, settings: Option<&VaultSettings>) -> Option<u32> {
        let own = settings.map_or(VaultSettings::DEFAULT_ROTATION_DAYS, VaultSettings::rotation_days);
        self.company_policy().and_then(|p| p.passwords.rotation_days).or(own)
    }

    /// Refuses settings the policy does not allow, before anything is saved. Returns the
    /// rotation period to store in the vault: the vault's own when the policy sets it (the page
    /// sends back the policy's, which must not become the vault's).
    pub(super) fn settings_within_policy(&self, settings: &Settings) -> Result<Option<u32>> {
        let Some(policy) = self.company_policy() else { return Ok(settings.rotation_days) };
        if let Some(max) = policy.timers.max_auto_lock_minutes
            && !policy.allows_auto_lock(settings.auto_lock_minutes)
        {
            return Err(forbids(format!(
                "your company's policy locks the vault after at most {max} minutes without activity; choose from 1 to {max}"
            )));
        }
        if let Some(max) = policy.timers.max_clipboard_clear_seconds
            && settings.clipboard_clear_seconds > max
        {
            return Err(forbids(format!(
                "your company's policy clears the clipboard after at most {max} seconds; choose {max} or less"
            )));
        }
        let Some(days) = policy.passwords.rotation_days else { return Ok(settings.rotation_days) };
        let own = self.open.as_ref().map(|o| o.vault.settings.rotation_days.value);
        if settings.rotation_days != Some(days) && Some(settings.rotation_days) != own {
            return Err(forbids(format!("your company's policy sets the rotation period to {days} days")));
        }
        Ok(own.unwrap_or(settings.rotation_days))
    }

    /// The longest quick unlock allowed now, in hours; `None` when the policy refuses it.
    pub(super) fn quick_unlock_hours_allowed(&self) -> Option<u32> {
        let app_max = vault::quick_unlock::MAX_HOURS;
        self.company_policy().map_or(Some(app_max), |p| p.quick_unlock_hours(app_max))
    }

    /// Refuses quick unlock for `hours` if the policy does not allow it.
    pub(super) fn check_quick_unlock(&self, hours: u32) -> Result<()> {
        match self.quick_unlock_hours_allowed() {
            None => Err(forbids("your company's policy does not allow quick unlock on this computer")),
            Some(max) if hours > max => {
                Err(forbids(format!("your company's policy allows quick unlock for at most {max} hours")))
            }
            Some(_) => Ok(()),
        }
    }

    /// How long "remember on this device" at unlock turns quick unlock on for: the usual
    /// period, shortened to the policy's longest.
    pub(super) fn remember_hours(&self) -> Result<u32> {
        self.check_quick_unlock(0)?;
        let max = self.quick_unlock_hours_allowed().unwrap_or(0);
        Ok(super::quick::REMEMBER_HOURS.min(max))
    }

    /// The accounts list for IT: every live entry, no secret.
    pub fn inventory(&self) -> Result<Vec<InventoryRowView>> {
        Ok(inventory_view(inventory::inventory(&self.unlocked()?.vault)))
    }

    /// The accounts list as CSV, written to `path` (chosen by the user in a save dialog).
    pub fn save_inventory_csv(&mut self, path: &Path) -> Result<()> {
        let rows = inventory::inventory(&self.unlocked()?.vault);
        super::transfer::write_user_file(path, inventory::to_csv(&rows).as_bytes()).map_err(|e| {
            error(ErrorCode::Io, format!("could not save the accounts list to {}: {e}", path.display()))
        })?;
        let detail = format!("accounts list for IT (CSV, no secrets), {} entries", rows.len());
        self.record_alone(vault::activity::EventKind::Export, None, detail);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
