//! Commands that bring other copies of the vault in: merge (one file), sync (the conflicted
//! copies sync services leave beside the vault).

use std::path::Path;

use super::{Unlock, display};
use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::activity::EventKind;
use vault::format::ReadError;
use vault::model::{MergeError, MergeReport};
use vault::store::{LeftAlone, OpenError, SaveError};
use vault::{Clock, SystemClock};

pub fn merge(path: &Path, other: &Path) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let copy = match unlock.file.open_copy(other, None) {
        // Copies of one vault share its key, whatever their master password: this is most likely
        // another vault, and its own password lets us say so for sure.
        Err(OpenError::Read(ReadError::WrongKey)) => {
            let prompt = format!("Master password of {}", display(other));
            let Some(password) = secrets.other_password(&prompt)? else {
                return Err(CliError::new(
                    Code::Other,
                    format!("{} is not a copy of this vault: it does not open with this vault's key", display(other)),
                )
                .hint("Nothing was merged; the vault file is unchanged. If it is a copy, give its master password as line 2 of standard input."));
            };
            unlock.file.open_copy(other, Some(&password)).map_err(|err| other_file(err, other))?
        }
        result => result.map_err(|err| other_file(err, other))?,
    };
    if let Some(why) = unlock.file.check_copy(&copy, SystemClock.now_ms()) {
        eprintln!(
            "Note: {} would not have been merged by itself: {why}. Merging it because you asked; \
the vault keeps its own master password.",
            display(other)
        );
    }
    // Recorded before the merge, so that the merge's own save holds it; the count is what the
    // copy brings (a copy of another vault is refused below, its count never recorded).
    if let Ok(preview) = unlock.file.preview_merge(&unlock.vault, &copy, SystemClock.now_ms()) {
        unlock.record(
            EventKind::Merge,
            None,
            format!("{}: {} entries changed", display(other), entries_changed(&preview)),
        );
    }
    let Unlock { file, vault, .. } = &mut unlock;
    let merged = file.merge_copy(vault, &copy, &SystemClock);
    // Without anything new the merge writes nothing: the unlock and the merge event are then
    // saved on their own, by `finish`.
    match &merged {
        Ok(report) if report.is_empty() => {}
        Ok(_) => unlock.saved_by_command(true),
        Err(_) => unlock.saved_by_command(false),
    }
    let report = merged.map_err(|err| match err {
        SaveError::Merge(MergeError::DifferentVaults { .. }) => CliError::new(
            Code::Other,
            format!("{} and {} are two different vaults, not two copies of one vault", display(path), display(other)),
        )
        .hint(
            "Nothing was merged; the vault file is unchanged. To move entries between vaults, export and import them.",
        ),
        other => other.into(),
    })?;
    super::tell_set_aside(&mut unlock.file);
    let text = if report.is_empty() {
        format!("Nothing new in {}: {} already had all of it.\n", display(other), display(path))
    } else {
        let lines: String = report.lines().iter().map(|line| format!("  {line}\n")).collect();
        format!("Merged {} into {}:\n{lines}", display(other), display(path))
    };
    let printed = super::print(&text);
    unlock.finish(printed)
}

pub fn sync(path: &Path) -> Result<()> {
    let master = Secrets::from_stdin().master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let Unlock { file, vault, .. } = &mut unlock;
    let report = file.merge_conflicted_copies(vault, &SystemClock)?;
    super::tell_set_aside(file);
    // The merge saved already; the event follows in a save of its own (kept without a backup).
    if !report.merged.is_empty() {
        let copies = report.merged.len();
        let detail = format!("{copies} conflicted copies: {} entries changed", entries_changed(&report.changes));
        unlock.record(EventKind::Merge, None, detail);
    }
    let mut text = String::new();
    if report.merged.is_empty() && report.left_alone.is_empty() {
        text.push_str(&format!("No conflicted copies beside {}.\n", display(path)));
    }
    for merged in &report.merged {
        let copy = &merged.copy;
        let from = copy.from.as_ref().map(|from| format!(" from {from}")).unwrap_or_default();
        text.push_str(&format!(
            "Merged {} ({} conflicted copy{from}) and moved it to {}\n",
            display(&copy.path),
            copy.tool,
            display(&merged.moved_to)
        ));
    }
    for (copy, why) in &report.left_alone {
        text.push_str(&format!("Left alone {}: {why}\n", display(&copy.path)));
        if matches!(why, LeftAlone::Suspicious(_)) {
            text.push_str(&format!(
                "  To merge it anyway once you trust it: crm-vault merge {} {} (its master password on line 2 if asked)\n",
                display(path),
                display(&copy.path)
            ));
        }
    }
    if !report.merged.is_empty() {
        if report.changes.is_empty() {
            text.push_str("Nothing new came in: the vault already had all of it.\n");
        }
        for line in report.changes.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    let printed = super::print(&text);
    unlock.finish(printed)
}

/// How many entries a merge added, changed, deleted or restored.
fn entries_changed(report: &MergeReport) -> usize {
    report.added.len() + report.updated.len() + report.deleted.len() + report.restored.len()
}

/// An error about the other file, saying which file it is.
fn other_file(err: OpenError, other: &Path) -> CliError {
    if matches!(err, OpenError::Read(ReadError::WrongPassword)) {
        return CliError::new(Code::WrongPassword, format!("the master password of {} is wrong", display(other)))
            .hint("Nothing was merged; the vault file is unchanged.");
    }
    // This one names the file itself.
    let names_the_file = matches!(err, OpenError::TooLarge(_));
    let mut cli = CliError::from(err);
    if !names_the_file {
        cli.message = format!("{}: {}", display(other), cli.message);
    }
    cli
}
