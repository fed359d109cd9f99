//! `policy`: the company policy in force and where it came from. `inventory`: the accounts list
//! for IT, never a secret. And the policy the other commands (health, generate, add/edit
//! --generate) obey, read from `CRM_VAULT_POLICY` or `/etc/crm-vault/policy.toml`.

use std::path::Path;

use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::company::inventory::{self, InventoryRow};
use vault::company::{self, CompanyPolicy, Loaded, PolicyLocation, PolicySource};

/// What is found where this process looks for the policy.
fn loaded() -> Loaded {
    company::load(&PolicyLocation::from_environment())
}

/// The policy to obey. A malformed file is not obeyed at all: said on standard error, so a
/// command that does not depend on it still runs (`crm-vault policy` fails on it).
pub fn in_force() -> Option<CompanyPolicy> {
    match loaded() {
        Loaded::InForce { policy, .. } => Some(policy),
        Loaded::Failed { error, .. } => {
            eprintln!("Warning: {error}. None of it is applied; `crm-vault policy` shows the mistake.");
            None
        }
        Loaded::None { .. } => None,
    }
}

pub fn policy(_vault: &Path, json: bool) -> Result<()> {
    let loaded = loaded();
    if let Loaded::Failed { error, .. } = &loaded {
        return Err(CliError::new(Code::Policy, error).hint(
            "Nothing of the policy is applied until the file is fixed. Ask your IT department, or correct the line named.",
        ));
    }
    if json {
        let view = session::session::policy_view(&loaded);
        return super::print(&(serde_json::to_string_pretty(&view).expect("the view serialises") + "\n"));
    }
    let location = loaded.location();
    let place = match location.source {
        PolicySource::Environment => "named by CRM_VAULT_POLICY",
        PolicySource::System => "the system-wide place",
    };
    let Some(policy) = loaded.policy() else {
        return super::print(&format!(
            "No company policy: there is no file at {} ({place}).\n",
            location.path.display()
        ));
    };
    super::print(&describe(policy, &format!("{} ({place})", location.path.display())))
}

/// The policy in plain English, one rule per line; rules it leaves out are said to be free.
fn describe(policy: &CompanyPolicy, from: &str) -> String {
    let mut out = format!("Company policy in force, from {from}:\n");
    let kinds: Vec<&str> = policy.required_kinds().into_iter().map(|k| k.as_str()).collect();
    let length = policy.passwords.min_length.map(|n| format!("at least {n} characters"));
    let kinds = (!kinds.is_empty()).then(|| format!("with {}", kinds.join(", ")));
    let passwords = [length, kinds].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let line = |out: &mut String, name: &str, value: Option<String>| {
        out.push_str(&format!("  {name}: {}\n", value.unwrap_or_else(|| "not set".into())));
    };
    line(&mut out, "passwords", (!passwords.is_empty()).then_some(passwords));
    line(
        &mut out,
        "rotation",
        policy.passwords.rotation_days.map(|d| format!("every {d} days (replaces the vault's setting)")),
    );
    line(&mut out, "auto-lock", policy.timers.max_auto_lock_minutes.map(|m| format!("after at most {m} minutes")));
    line(
        &mut out,
        "clipboard",
        policy.timers.max_clipboard_clear_seconds.map(|s| format!("cleared after at most {s} seconds")),
    );
    let quick = match (policy.quick_unlock.allowed, policy.quick_unlock.max_hours) {
        (false, _) => "not allowed".to_owned(),
        (true, Some(h)) => format!("allowed for at most {h} hours"),
        (true, None) => "allowed".to_owned(),
    };
    line(&mut out, "quick unlock", Some(quick));
    let tags = &policy.accounts.totp_required_tags;
    line(&mut out, "TOTP required for tags", (!tags.is_empty()).then(|| tags.join(", ")));
    line(&mut out, "company accounts tag", policy.accounts.company_tag.clone());
    out
}

pub fn inventory(path: &Path, json: bool, csv: bool) -> Result<()> {
    let password = Secrets::from_stdin().master_password()?;
    // The unlock goes into the vault's activity log when the command is done.
    let unlock = super::open(path, &password)?;
    let rows = inventory::inventory(&unlock.vault);
    let printed = if json {
        super::print(&(serde_json::to_string_pretty(&rows).expect("rows serialise") + "\n"))
    } else if csv {
        super::print(&inventory::to_csv(&rows))
    } else {
        super::print(&text(&rows))
    };
    unlock.finish(printed)
}

/// Tab-separated, with a header line; one row per line even if a title holds a line end.
fn text(rows: &[InventoryRow]) -> String {
    let mut out = String::from("system\tusername\turls\ttotp\tpassword_changed\ttags\n");
    for row in rows {
        let cells = [
            row.system.clone(),
            row.username.clone(),
            row.urls.join(" "),
            (if row.totp { "yes" } else { "no" }).to_owned(),
            row.password_changed.clone().unwrap_or_else(|| "-".into()),
            row.tags.join(", "),
        ];
        let cells: Vec<String> = cells.iter().map(|c| c.replace(['\n', '\r', '\t'], " ")).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}
