//! What a merge changed, in words a salesperson reads: "2 entries updated from LAPTOP-2".
//! Titles and laptop names only: never a password or any other secret.

use std::collections::BTreeMap;
use std::fmt;

use crate::clock::Hlc;
use crate::model::{Entry, EntryId, Vault};

/// One entry a merge changed, and the laptops whose writes it took in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryChange {
    pub id: EntryId,
    pub title: String,
    /// Names of the laptops that made the writes that won, sorted, without repeats.
    pub by: Vec<String>,
}

/// What changed in a vault when another copy was merged into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MergeReport {
    pub added: Vec<EntryChange>,
    pub updated: Vec<EntryChange>,
    /// Moved to the trash by the other copy.
    pub deleted: Vec<EntryChange>,
    /// Taken out of the trash (restored, or edited after the deletion) by the other copy.
    pub restored: Vec<EntryChange>,
    /// Vault-wide settings that took the other copy's value: "name", "auto_lock_minutes", ...
    pub settings: Vec<&'static str>,
    /// The laptop whose master password change came in: the merged vault opens with the
    /// password set there.
    pub password_changed_by: Option<String>,
}

impl MergeReport {
    /// Compares a vault before and after a merge.
    pub fn between(old: &Vault, new: &Vault) -> MergeReport {
        let mut report = MergeReport::default();
        let name_of = |clock: Hlc| device_name(new, clock);
        for (id, entry) in &new.entries {
            // A tombstone has no title: the one this copy knew names it.
            let title = match old.entries.get(id) {
                Some(before) if entry.is_purged() => &before.title.value,
                _ => &entry.title.value,
            };
            let change = |clocks: Vec<Hlc>| EntryChange {
                id: *id,
                title: title.clone(),
                by: names(clocks.into_iter().map(name_of)),
            };
            let live = !entry.is_deleted();
            let Some(before) = old.entries.get(id) else {
                if live {
                    report.added.push(change(vec![entry.created]));
                }
                continue;
            };
            match (!before.is_deleted(), live) {
                (true, false) => report.deleted.push(change(vec![entry.deleted.clock])),
                (false, true) => report.restored.push(change(vec![entry.modified()])),
                (true, true) => {
                    let newer = changed_clocks(before, entry);
                    if !newer.is_empty() {
                        report.updated.push(change(newer));
                    }
                }
                (false, false) => {}
            }
        }
        let (a, b) = (&old.settings, &new.settings);
        for (name, changed) in [
            ("name", old.name.clock != new.name.clock),
            ("rotation_days", a.rotation_days.clock != b.rotation_days.clock),
            ("clipboard_clear_seconds", a.clipboard_clear_seconds.clock != b.clipboard_clear_seconds.clock),
            ("auto_lock_minutes", a.auto_lock_minutes.clock != b.auto_lock_minutes.clock),
            ("owner_name", a.owner_name.clock != b.owner_name.clock),
            ("company", a.company.clock != b.company.clock),
            ("expiry_warning_days", a.expiry_warning_days.clock != b.expiry_warning_days.clock),
        ] {
            if changed {
                report.settings.push(name);
            }
        }
        if new.password_changed != old.password_changed {
            report.password_changed_by = Some(name_of(new.password_changed));
        }
        report
    }

    /// Nothing came in.
    pub fn is_empty(&self) -> bool {
        self == &MergeReport::default()
    }

    /// One line per kind of change and laptop, for the CLI and the app's toast.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (changes, what) in [
            (&self.added, "added"),
            (&self.updated, "updated"),
            (&self.deleted, "moved to the trash"),
            (&self.restored, "taken out of the trash"),
        ] {
            let mut by_laptops: BTreeMap<String, usize> = BTreeMap::new();
            for change in changes {
                *by_laptops.entry(and_list(&change.by)).or_default() += 1;
            }
            for (laptops, count) in by_laptops {
                let entries = if count == 1 { "entry" } else { "entries" };
                lines.push(format!("{count} {entries} {what} from {laptops}"));
            }
        }
        if !self.settings.is_empty() {
            lines.push(format!("Settings changed: {}", self.settings.join(", ")));
        }
        if let Some(laptop) = &self.password_changed_by {
            lines.push(format!("The master password was changed on {laptop}: the vault now opens with that password"));
        }
        lines
    }
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// Clocks of the entry's writes that `new` has and `old` had not.
fn changed_clocks(old: &Entry, new: &Entry) -> Vec<Hlc> {
    let pairs = [
        (old.title.clock, new.title.clock),
        (old.username.clock, new.username.clock),
        (old.password.clock, new.password.clock),
        (old.urls.clock, new.urls.clock),
        (old.notes.clock, new.notes.clock),
        (old.totp.clock, new.totp.clock),
        (old.rules.clock, new.rules.clock),
        (old.expires.clock, new.expires.clock),
        (old.also_fill_on.clock, new.also_fill_on.clock),
        (old.autotype_sequence.clock, new.autotype_sequence.clock),
        (old.autotype_windows.clock, new.autotype_windows.clock),
    ];
    let mut newer: Vec<Hlc> = pairs.iter().filter(|(o, n)| o != n).map(|(_, n)| *n).collect();
    for (name, tag) in &new.tags {
        if old.tags.get(name).map(|t| t.clock) != Some(tag.clock) {
            newer.push(tag.clock);
        }
    }
    for (name, field) in &new.fields {
        if old.fields.get(name).map(|f| f.clock) != Some(field.clock) {
            newer.push(field.clock);
        }
    }
    newer
}

fn device_name(vault: &Vault, clock: Hlc) -> String {
    match vault.devices.get(&clock.device) {
        Some(device) => device.name.clone(),
        None => format!("device {}", clock.device),
    }
}

fn names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = names.collect();
    names.sort();
    names.dedup();
    names
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => "another laptop".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
