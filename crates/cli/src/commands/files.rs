//! Commands on whole vault files: init, passwd, backups, restore.

use std::path::Path;

use super::{Me, Unlock, display};
use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::activity::EventKind;
use vault::{KdfParams, SystemClock, Vault, VaultFile};

pub fn init(path: &Path, memory_mib: u32, iterations: u32, parallelism: u32, name: Option<String>) -> Result<()> {
    let kdf = KdfParams::from_mib(memory_mib, iterations, parallelism)
        .map_err(|err| CliError::usage(err).hint("The defaults (64 MiB, 3, 4) suit most laptops."))?;
    if path.exists() {
        return Err(CliError::new(Code::Other, format!("{} already exists", display(path)))
            .hint("Choose another file name; an existing vault is never overwritten."));
    }
    // The vault's path is among the words tried first, as on the app's setup screen.
    let password = Secrets::from_stdin().new_master_password("new master password", &[&path.to_string_lossy()])?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|err| CliError::from(vault::store::SaveError::from(err)))?;
    }
    let me = Me::load();
    let name = name.unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let vault = Vault::new(name, me.author(), &me.identity.name);
    VaultFile::create(path, &password, kdf, &vault)?;
    eprintln!(
        "Created the vault {}.\nKeep your master password safe: nobody, not even IT, can recover a forgotten one.",
        display(path)
    );
    Ok(())
}

pub fn passwd(path: &Path, memory_mib: Option<u32>, iterations: Option<u32>, parallelism: Option<u32>) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let old = secrets.master_password()?;
    let mut unlock = super::open_for_edit(path, &old)?;
    let current = unlock.file.kdf();
    let kdf = KdfParams::from_mib(
        memory_mib.unwrap_or(current.memory_kib / 1024),
        iterations.unwrap_or(current.iterations),
        parallelism.unwrap_or(current.parallelism),
    )
    .map_err(CliError::usage)?;
    let new = secrets.new_master_password("new master password", &[])?;
    unlock.record(EventKind::PasswordChanged, None, "");
    let Unlock { file, vault, me, .. } = &mut unlock;
    let change = session::write::change_password(&me.identity, file, vault, &new, Some(kdf));
    unlock.saved_by_command(change.is_ok());
    let change = change?;
    super::took_in(change.merged);
    eprintln!(
        "Changed the master password of {}, with a new vault key: the old password opens nothing written from now on. \
Use the new one on every laptop; each asks for it once and keeps its own edits.",
        display(path)
    );
    if change.backups_rewritten > 0 {
        eprintln!("Re-encrypted {} backups: they open with the new password only.", change.backups_rewritten);
    }
    for (backup, why) in &change.backups_not_rewritten {
        eprintln!(
            "Could not re-encrypt the backup {} ({why}): it still opens with the old password. Delete it if that matters.",
            display(backup)
        );
    }
    Ok(())
}

pub fn backups(path: &Path) -> Result<()> {
    let list = VaultFile::backups(path)
        .map_err(|err| CliError::new(Code::Other, format!("could not list the backups: {err}")))?;
    if list.is_empty() {
        eprintln!("No backups of {} yet: one is kept each time the vault is saved.", display(path));
    }
    let lines: String =
        list.iter().map(|b| format!("{}\t{}\n", vault::clock::rfc3339(b.taken_ms), b.path.display())).collect();
    super::print(&lines)
}

pub fn restore(path: &Path, backup: &Path) -> Result<()> {
    let password = Secrets::from_stdin().master_password()?;
    let vault = VaultFile::restore(path, backup, &password, &SystemClock)?;
    // Recorded in the version put back, as this laptop's unlock of it.
    let when = VaultFile::backups(path)
        .ok()
        .and_then(|list| list.into_iter().find(|b| b.path.file_name() == backup.file_name()))
        .map_or_else(|| display(backup), |b| vault::clock::rfc3339(b.taken_ms));
    if let Ok(mut unlock) = super::open(path, &password) {
        unlock.record(EventKind::BackupRestored, None, when);
        let _ = unlock.finish(Ok(()));
    }
    eprintln!(
        "Restored {} from {} ({} entries). The replaced file was kept as a backup.",
        display(path),
        display(backup),
        vault.live_entries().count()
    );
    Ok(())
}
