//! The activity log as every front end keeps it: a wrong master password waits on this laptop,
//! an unlock brings the waiting attempts into the vault and says what needs a look, and events
//! that change nothing else are saved without pushing a backup out.

use std::path::Path;

use vault::Vault;
use vault::activity::{Event, EventKind, Notice, PendingFailures};
use vault::device::DeviceIdentity;

/// How a vault was unlocked, as the log spells it.
pub const BY_PASSWORD: &str = "password";
pub const BY_QUICK_UNLOCK: &str = "quick-unlock";
pub const BY_COMMAND_LINE: &str = "command-line";
/// What a failed attempt tried.
pub const WRONG_PASSWORD: &str = "password";
pub const WRONG_PIN: &str = "pin";

/// Notes a failed unlock of `vault_path` on this laptop. Best effort: a full disk must not turn
/// "wrong password" into another error.
pub fn failed_unlock(config_dir: &Path, vault_path: &Path, how: &str, now_ms: u64) {
    let _ = PendingFailures::add(config_dir, vault_path, now_ms, how);
}

/// What an unlock brought: the failed attempts moved into the vault (to forget once saved) and
/// what the user should look at.
#[derive(Debug, Default)]
pub struct Unlocked {
    /// The newest failed attempt moved into the vault, if any.
    pub moved_until_ms: Option<u64>,
    pub notices: Vec<Notice>,
}

/// Records an unlock of `vault` on `device`: the failed attempts waiting on this laptop go into
/// the log first, then the notices are worked out (before this unlock counts as "the last one"),
/// then the unlock itself is recorded, at `now`. The caller saves, then calls [`forget_moved`].
pub fn record_unlock(
    config_dir: &Path,
    vault_path: &Path,
    vault: &mut Vault,
    device: &DeviceIdentity,
    how: &str,
    now: u64,
    typed_here: Option<&[u64]>,
) -> Unlocked {
    let waiting = PendingFailures::of(config_dir, vault_path);
    let moved_until_ms = waiting.iter().map(|f| f.at_ms).max();
    for failed in waiting {
        vault.record(Event::at(EventKind::UnlockFailed, failed.at_ms, device.id).detail(failed.how));
    }
    // The app knows which attempts were typed on its unlock screen (`typed_here`); the command
    // line has no screen, and takes this laptop's attempts of the last minutes as its user's.
    let notices = match typed_here {
        Some(typed_here) => vault::activity::notices_typed_here(&vault.activity, device.id, now, typed_here),
        None => vault::activity::notices(&vault.activity, device.id, now),
    };
    vault.record(Event::at(EventKind::Unlock, now, device.id).detail(how));
    Unlocked { moved_until_ms, notices }
}

/// Forgets the failed attempts an unlock moved into the vault, once the vault is saved.
pub fn forget_moved(config_dir: &Path, vault_path: &Path, unlocked: &Unlocked) {
    if let Some(until) = unlocked.moved_until_ms {
        let _ = PendingFailures::forget(config_dir, vault_path, until);
    }
}

/// How many failed attempts wait on this laptop for `vault_path`.
pub fn waiting_failures(config_dir: &Path, vault_path: &Path) -> usize {
    PendingFailures::of(config_dir, vault_path).len()
}

/// A notice in plain English, for the command line (the app words them in the page, in the
/// user's language).
pub fn describe(notice: &Notice, vault: &Vault) -> String {
    match notice {
        Notice::FailedAttempts { device, count, last_ms } => {
            let times = if *count == 1 { "1 failed attempt".to_owned() } else { format!("{count} failed attempts") };
            format!("{times} to unlock on {}, the last at {}", vault.device_name(*device), local_time(*last_ms))
        }
        Notice::NewDevice { device, at_ms } => {
            format!("unlocked on {} for the first time, at {}", vault.device_name(*device), local_time(*at_ms))
        }
    }
}

/// `2026-11-29 22:14` in this computer's time zone.
pub fn local_time(ms: u64) -> String {
    let utc = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    utc.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vault::clock::DeviceId;
    use vault::model::Author;

    #[test]
    fn an_unlock_moves_waiting_failures_in_and_warns_of_them_once_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.crmvault");
        let me = DeviceIdentity { id: DeviceId(1), name: "LAPTOP-1".into() };
        let other = DeviceIdentity { id: DeviceId(2), name: "LAPTOP-2".into() };
        let clock = vault::SystemClock;
        let mut vault = Vault::new("Work", Author { device: me.id, clock: &clock }, &me.name);
        vault.note_device(Author { device: other.id, clock: &clock }, &other.name);
        let t = 1_800_000_000_000;
        let first = record_unlock(dir.path(), &path, &mut vault, &me, BY_PASSWORD, t, Some(&[]));
        assert!(first.notices.is_empty() && first.moved_until_ms.is_none());

        // On the other laptop (its own config folder), someone tries twice, then gets in: the
        // first unlock there this vault has seen.
        let other_dir = dir.path().join("other");
        failed_unlock(&other_dir, &path, WRONG_PASSWORD, t + 1000);
        failed_unlock(&other_dir, &path, WRONG_PASSWORD, t + 2000);
        assert_eq!(waiting_failures(&other_dir, &path), 2);
        let theirs = record_unlock(&other_dir, &path, &mut vault, &other, BY_PASSWORD, t + 600_000, Some(&[]));
        assert_eq!(theirs.moved_until_ms, Some(t + 2000));
        forget_moved(&other_dir, &path, &theirs);
        assert_eq!(waiting_failures(&other_dir, &path), 0);

        let mine = record_unlock(dir.path(), &path, &mut vault, &me, BY_QUICK_UNLOCK, t + 3_600_000, Some(&[]));
        let words: Vec<String> = mine.notices.iter().map(|n| describe(n, &vault)).collect();
        assert_eq!(words.len(), 2, "{words:?}");
        assert!(words[0].starts_with("2 failed attempts to unlock on LAPTOP-2, the last at "), "{words:?}");
        assert!(words[1].starts_with("unlocked on LAPTOP-2 for the first time"), "{words:?}");
        let again = record_unlock(dir.path(), &path, &mut vault, &me, BY_PASSWORD, t + 3_700_000, Some(&[]));
        assert!(again.notices.is_empty(), "told once");
        let kinds: Vec<EventKind> = vault.activity.iter().map(|e| e.kind).collect();
        assert_eq!(kinds.iter().filter(|k| **k == EventKind::Unlock).count(), 4);
        assert_eq!(kinds.iter().filter(|k| **k == EventKind::UnlockFailed).count(), 2);
    }
}
