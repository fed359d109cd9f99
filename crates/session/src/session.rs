//! The app's session: which vault this device opens, whether it is unlocked, and the calls the
//! page makes, each a short step into the vault library. Locking drops the vault and its key.

mod autotype;
mod backups;
mod company;
mod copies;
mod events;
mod handover;
mod list;
mod login;
mod passwords;
mod quick;
mod report;
mod slow;
mod sync;
mod totp;
mod transfer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vault::device::DeviceIdentity;
use vault::local::LocalSettings;
use vault::model::{CustomField, Entry, EntryEdit, EntryId, NewEntry, Settings as VaultSettings};
use vault::quick_unlock::KeyStore;
use vault::{Author, Clock, SecretText, SystemClock, Vault, VaultFile, find};

use crate::clipboard::Clipboard;
use crate::desktop::{DesktopSettings, Language, Theme};
use crate::error::{self, ErrorCode, Result, error, locked, not_found};
use crate::field::{self, Field};
use crate::policy;
use crate::view::*;

pub use backups::{RestoreJob, Restored};
pub use company::{inventory_view, options_within, policy_view};
pub use copies::{AdoptJob, HeldCopyJob, HeldCopyOpened, KeyUnwrapped};
pub use handover::{
    HandoverRequest, company_entries, from_edit, from_read as from_handover_read, given_view, handover_made_detail,
    handover_received_detail, make_handover_file, parse_duration, read_handover_file, receive_bytes, received_view,
    record_expired, suggest_passphrase, write_handover_file,
};
pub use passwords::generate_for_rules;
pub use quick::QuickUnlockSystem;
pub use quick::{QuickUnlockJob, QuickUnlockOn, QuickUnlockOnJob, QuickUnlockOutcome};
pub use report::{ReportJob, ReportOutcome, today};
pub use slow::{CreateJob, Created, CurrentPasswordChecked, PasswordChangeJob, UnlockJob, UnlockOutcome, interrupted};
pub use totp::{read_image, totp_from_image, totp_from_picture, unix_now};
pub use transfer::{export_file_name, read_import, throttled};

struct Unlocked {
    file: VaultFile,
    vault: Vault,
}

pub struct Session {
    config_dir: PathBuf,
    data_dir: PathBuf,
    device: DeviceIdentity,
    local: LocalSettings,
    desktop: DesktopSettings,
    open: Option<Unlocked>,
    /// A TOTP setup read for the editor, waiting for the entry to be saved: (token, setup).
    pending_totp: Option<(u32, vault::totp::Totp)>,
    last_totp_token: u32,
    /// The last `list_entries`, searchable: `search` answers with positions in that listing.
    listing: find::SearchIndex,
    last_activity: Instant,
    quick: QuickUnlockSystem,
    pub clipboard: Clipboard,
    sync: sync::SyncState,
    /// Bumped by every lock (and so by choosing another vault): a slow job taken before then
    /// finds it changed and leaves its result uninstalled (see `slow.rs`).
    generation: u64,
    /// Logins in progress in login windows.
    logins: login::Logins,
    /// The company policy file as last read (see `company.rs`).
    company: vault::company::Loaded,
    /// What the last unlock found in the activity log worth a look, until the page takes it.
    unlock_notices: Vec<UnlockNotice>,
    /// The backup offered for a damaged vault file by the last unlock; gone on lock.
    backup_offer: Option<BackupOffer>,
    /// A file read for import, waiting for the user to import it (see `transfer.rs`).
    import: transfer::HeldImport,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("unlocked", &self.open.is_some()).finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(
        config_dir: PathBuf,
        data_dir: PathBuf,
        keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    ) -> Session {
        Session::with_quick_unlock_system(config_dir, data_dir, QuickUnlockSystem::here(keyring))
    }

    /// An app whose quick unlock sees `quick`'s keyring, time and boot (tests act out reboots).
    pub fn with_quick_unlock_system(config_dir: PathBuf, data_dir: PathBuf, quick: QuickUnlockSystem) -> Session {
        let device = DeviceIdentity::load_or_create(&config_dir)
            .unwrap_or_else(|_| DeviceIdentity { id: vault::DeviceId::random(), name: vault::device::host_name() });
        let local = LocalSettings::load(&config_dir);
        let desktop = DesktopSettings::load(&config_dir);
        let mut app = Session {
            config_dir,
            data_dir,
            device,
            local,
            desktop,
            open: None,
            pending_totp: None,
            last_totp_token: 0,
            listing: find::SearchIndex::default(),
            last_activity: Instant::now(),
            quick,
            clipboard: Clipboard::unavailable(),
            sync: sync::SyncState::default(),
            generation: 0,
            logins: login::Logins::default(),
            company: vault::company::load(&vault::company::PolicyLocation::from_environment()),
            unlock_notices: Vec::new(),
            backup_offer: None,
            import: transfer::HeldImport::default(),
        };
        app.clean_up_quick_unlock();
        app
    }

    /// The session with `clipboard` to copy to (a session starts without one).
    pub fn with_clipboard(mut self, clipboard: Clipboard) -> Session {
        self.clipboard = clipboard;
        self
    }

    fn author(&self) -> Author<'static> {
        crate::write::author(&self.device)
    }

    fn save_desktop(&self) -> Result<()> {
        self.desktop
            .save(&self.config_dir)
            .map_err(|e| error(ErrorCode::Io, format!("could not save this device's settings: {e}")))
    }

    fn save_local(&self) -> Result<()> {
        self.local
            .save(&self.config_dir)
            .map_err(|e| error(ErrorCode::Io, format!("could not save this device's settings: {e}")))
    }

    pub fn state(&self) -> AppState {
        let stage = match (&self.open, &self.local.vault_path) {
            (Some(_), _) => Stage::Unlocked,
            (None, Some(_)) => Stage::Locked,
            (None, None) => Stage::Setup,
        };
        let vault = self.open.as_ref().map(|o| &o.vault);
        AppState {
            stage,
            vault_path: self.local.vault_path.as_ref().map(|p| p.display().to_string()),
            default_vault_path: self.data_dir.join("vault.crmvault").display().to_string(),
            // While locked the name inside the vault is unknown; its file name stands in.
            vault_name: vault.map(|v| v.name.value.clone()).or_else(|| {
                self.local.vault_path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned())
            }),
            failed_attempts: self.local.failed_attempts,
            quick_unlock: self.quick_unlock_status(),
            settings: self.settings(),
            entry_count: vault.map_or(0, |v| v.live_entries().count() as u32),
            rotation_due: vault
                .map_or(0, |v| report::rotation_due(v, self.company_policy(), SystemClock.now_ms(), report::today())),
            hibp_file: self.desktop.hibp_file.as_ref().map(|p| p.display().to_string()),
            expiring: vault.map_or_else(Vec::new, |v| report::expiring(v, report::today())),
        }
    }

    fn settings(&self) -> Settings {
        let vault_settings = self.open.as_ref().map(|o| &o.vault.settings);
        Settings {
            // As in force: capped by the company policy, if there is one.
            auto_lock_minutes: self.auto_lock_in_force(
                vault_settings.map_or(VaultSettings::DEFAULT_AUTO_LOCK_MINUTES, |s| s.auto_lock_minutes()),
            ),
            clipboard_clear_seconds: self.clipboard_in_force(
                vault_settings.map_or(VaultSettings::DEFAULT_CLIPBOARD_CLEAR_SECONDS, |s| s.clipboard_clear_seconds()),
            ),
            language: self.desktop.language.code().into(),
            theme: self.desktop.theme.code().into(),
            lock_on_minimise: self.desktop.lock_on_minimise,
            close_logins_on_lock: self.desktop.close_logins_on_lock,
            autotype_shortcut: self.autotype_shortcut(),
            autotype_key_delay_ms: self.autotype_key_delay_ms(),
            rotation_days: self.rotation_in_force(vault_settings),
            owner_name: vault_settings.map_or_else(String::new, |s| s.owner_name.value.clone()),
            company: vault_settings.map_or_else(String::new, |s| s.company.value.clone()),
            activity_keep_days: vault_settings
                .map_or(VaultSettings::DEFAULT_ACTIVITY_KEEP_DAYS, |s| s.activity_keep_days()),
            activity_keep_events: vault_settings
                .map_or(VaultSettings::DEFAULT_ACTIVITY_KEEP_EVENTS, |s| s.activity_keep_events()),
            expiry_warning_days: vault_settings
                .map_or(VaultSettings::DEFAULT_EXPIRY_WARNING_DAYS, |s| s.expiry_warning_days()),
            list_sort: self.desktop.list_sort,
            list_density: self.desktop.list_density,
        }
    }

    /// Creates a vault at `path` and unlocks it: the slow part (Argon2id) runs here, so call it
    /// off the main thread, or in steps (`create_vault_job`) to leave the session free meanwhile.
    pub fn create_vault(&mut self, path: &Path, password: &str) -> Result<AppState> {
        let created = self.create_vault_job(path, password)?.run(password);
        self.finish_create_vault(created)
    }

    pub fn open_vault(&mut self, path: &Path) -> Result<AppState> {
        if !path.is_file() {
            return Err(error(ErrorCode::NoVault, format!("there is no vault file at {}", path.display())));
        }
        self.lock();
        if self.local.vault_path.as_deref() != Some(path) {
            self.local.vault_path = Some(path.to_owned());
            self.local.failed_attempts = 0;
            self.forget_quick_unlock();
        }
        self.save_local()?;
        Ok(self.state())
    }

    fn vault_path(&self) -> Result<PathBuf> {
        self.local.vault_path.clone().ok_or_else(|| error(ErrorCode::NoVault, "no vault has been chosen yet"))
    }

    /// Unlocks with the master password: the slow part (Argon2id) runs here, so call it off the
    /// main thread, or in steps (`unlock_job`) to leave the session free meanwhile.
    /// `remember_pin` turns quick unlock on with that PIN ("remember on this device").
    pub fn unlock(&mut self, password: &str, remember_pin: Option<&str>) -> Result<AppState> {
        let outcome = self.unlock_job(remember_pin)?.run(password);
        self.finish_unlock(outcome)
    }

    /// Drops the vault and its key (both wipe their secrets on drop) and clears our clipboard.
    /// Returns whether it was unlocked.
    pub fn lock(&mut self) -> bool {
        self.listing = find::SearchIndex::default();
        self.pending_totp = None;
        self.unlock_notices.clear();
        self.sync = sync::SyncState::default();
        self.clipboard.clear_if_ours();
        self.end_spent_quick_unlock();
        self.generation += 1;
        self.backup_offer = None;
        self.import.forget();
        self.open.take().is_some()
    }

    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    /// Whether the idle time allowed by the settings has passed. `override_secs` replaces the
    /// setting (the `CRM_VAULT_IDLE_LOCK_SECONDS` environment variable, for kiosks and tests).
    pub fn idle_expired(&self, override_secs: Option<u64>) -> bool {
        let Some(open) = &self.open else { return false };
        let limit = match override_secs {
            Some(secs) => secs,
            None => u64::from(self.auto_lock_in_force(open.vault.settings.auto_lock_minutes())) * 60,
        };
        limit > 0 && self.last_activity.elapsed() >= Duration::from_secs(limit)
    }

    /// Auto-type's global shortcut ("Ctrl+Alt+A").
    pub fn autotype_shortcut(&self) -> String {
        self.desktop.autotype_shortcut.clone().unwrap_or_else(|| policy::DEFAULT_AUTOTYPE_SHORTCUT.into())
    }

    pub fn autotype_key_delay_ms(&self) -> u32 {
        self.desktop.autotype_key_delay_ms.unwrap_or(policy::DEFAULT_AUTOTYPE_KEY_DELAY_MS)
    }

    pub fn close_logins_on_lock(&self) -> bool {
        self.desktop.close_logins_on_lock
    }

    pub fn lock_on_minimise(&self) -> bool {
        self.desktop.lock_on_minimise && self.open.is_some()
    }

    fn unlocked(&self) -> Result<&Unlocked> {
        self.open.as_ref().ok_or_else(locked)
    }

    /// The "locked" error if the vault is locked: a slow command checks before it starts.
    pub fn check_unlocked(&self) -> Result<()> {
        self.unlocked().map(|_| ())
    }

    fn entry(&self, id: &str) -> Result<&Entry> {
        let id: EntryId = id.parse().map_err(|_| not_found())?;
        self.unlocked()?.vault.entry(id).ok_or_else(not_found)
    }

    /// Writes the vault after a change; the change stays in memory if the write fails.
    fn save(&mut self) -> Result<()> {
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        // Received hand-overs whose time is over leave before every save.
        let dropped = open.vault.drop_expired_handovers(SystemClock.now_ms());
        handover::record_expired(&mut open.vault, dropped, author);
        // What came in from another laptop's save is in `open.vault` now; the next sync tick
        // announces it.
        let report = crate::write::save(&self.device, &mut open.file, &mut open.vault).map_err(error::from_save)?;
        self.sync.note_save(&report);
        Ok(())
    }

    pub fn search(&self, query: &str) -> Result<Vec<u32>> {
        self.unlocked()?;
        Ok(self.listing.search(query).into_iter().map(|i| i as u32).collect())
    }

    pub fn entry_detail(&self, id: &str) -> Result<EntryDetail> {
        let entry = self.entry(id)?;
        let devices = &self.unlocked()?.vault.devices;
        Ok(detail(entry, devices))
    }

    /// A secret the user asked to see or copy, named as the page names it ([`Field`]).
    pub fn secret(&self, id: &str, what: &str) -> Result<SecretText> {
        let entry = self.entry(id)?;
        let field: Field = what.parse().map_err(|e: field::UnknownField| error(ErrorCode::Invalid, e))?;
        match field {
            // The code to type now, never the setup link: copying it is what the user wants.
            Field::Totp => Ok(self.totp_code(id, totp::unix_now())?.code),
            field => field.stored_in(entry).ok_or_else(not_found),
        }
    }

    /// A secret the user asked to see: recorded as a reveal of that field.
    pub fn reveal(&mut self, id: &str, what: &str) -> Result<SecretText> {
        let secret = self.secret(id, what)?;
        let entry = self.entry(id)?.id;
        self.record_alone(vault::activity::EventKind::Reveal, Some(entry), what);
        Ok(secret)
    }

    /// Records that the field `what` of entry `id` was copied to the clipboard (call it once
    /// the copy is made).
    pub fn record_copy(&mut self, id: &str, what: &str) {
        if let Ok(entry) = self.entry(id).map(|e| e.id) {
            self.record_alone(vault::activity::EventKind::Copy, Some(entry), what);
        }
    }

    pub fn clipboard_clear_seconds(&self) -> u64 {
        let seconds = self.open.as_ref().map(|o| o.vault.settings.clipboard_clear_seconds());
        u64::from(self.clipboard_in_force(seconds.unwrap_or(VaultSettings::DEFAULT_CLIPBOARD_CLEAR_SECONDS)))
    }

    /// The entry's first URL, only if it is a web address ([`policy::web_address`]).
    pub fn url(&self, id: &str) -> Result<String> {
        policy::web_address(self.entry(id)?.url()).map_err(|e| error(ErrorCode::Invalid, e))
    }

    pub fn save_entry(&mut self, id: Option<&str>, mut draft: EntryDraft) -> Result<String> {
        let author = self.author();
        policy::check_title(&draft.title).map_err(|e| error(ErrorCode::Invalid, e))?;
        let rules = draft.rules.as_ref().map(passwords::rules_from_view).transpose()?;
        let expires = parse_expiry(draft.expires.as_deref())?;
        let autofill = AutofillDraft::check(&draft)?;
        let totp = match std::mem::take(&mut draft.totp) {
            TotpDraft::Keep => None,
            TotpDraft::Remove => Some(SecretText::default()),
            TotpDraft::Set { token } => Some(self.take_pending_totp(token, &draft.title, &draft.username)?),
        };
        let id = match id {
            None => {
                let fields = draft
                    .fields
                    .into_iter()
                    .filter_map(|f| Some((f.name, CustomField { value: f.value?, hidden: f.hidden })))
                    .collect();
                let new = NewEntry {
                    title: draft.title,
                    username: draft.username,
                    password: draft.password.unwrap_or_default(),
                    urls: draft.urls.into_iter().filter(|u| !u.trim().is_empty()).collect(),
                    notes: draft.notes,
                    totp: totp.unwrap_or_default(),
                    tags: draft.tags,
                    fields,
                    rules,
                    expires,
                    also_fill_on: autofill.also_fill_on,
                    autotype_sequence: autofill.autotype_sequence,
                    autotype_windows: autofill.autotype_windows,
                };
                let open = self.open.as_mut().ok_or_else(locked)?;
                let id = open.vault.add_entry(new, author);
                self.note(vault::activity::EventKind::EntryCreated, Some(id), "");
                id
            }
            Some(id) => {
                let entry = self.entry(id)?;
                let edit = EntryEdit {
                    totp,
                    rules: Some(rules),
                    expires: Some(expires),
                    also_fill_on: Some(autofill.also_fill_on),
                    autotype_sequence: Some(autofill.autotype_sequence),
                    autotype_windows: Some(autofill.autotype_windows),
                    ..edit_from_draft(entry, draft)
                };
                let id = entry.id;
                let before = events::field_stamps(entry);
                let open = self.open.as_mut().ok_or_else(locked)?;
                open.vault.edit_entry(id, edit, author).map_err(handover::from_edit)?;
                self.note_edit(id, &before);
                id
            }
        };
        self.save()?;
        Ok(id.to_string())
    }

    pub fn delete_entry(&mut self, id: &str) -> Result<()> {
        let (id, author) = (self.entry(id)?.id, self.author());
        self.open.as_mut().ok_or_else(locked)?.vault.delete_entry(id, author).map_err(|_| not_found())?;
        self.note(vault::activity::EventKind::EntryDeleted, Some(id), "");
        self.save()
    }

    pub fn restore_entry(&mut self, id: &str) -> Result<()> {
        let (id, author) = (self.entry(id)?.id, self.author());
        self.open.as_mut().ok_or_else(locked)?.vault.restore_entry(id, author).map_err(|_| not_found())?;
        self.note(vault::activity::EventKind::EntryRestored, Some(id), "");
        self.save()
    }

    pub fn restore_history(&mut self, id: &str, index: u32) -> Result<EntryDetail> {
        let (entry_id, author) = (self.entry(id)?.id, self.author());
        let before = events::field_stamps(self.entry(id)?);
        let open = self.open.as_mut().ok_or_else(locked)?;
        if open.vault.restore_history(entry_id, index as usize, author).map_err(handover::from_edit)? {
            self.note_edit(entry_id, &before);
            self.save()?;
        }
        self.entry_detail(id)
    }

    pub fn update_settings(&mut self, settings: Settings) -> Result<AppState> {
        // Refused as a whole, before anything is saved, if the company policy does not allow it.
        let rotation_days = self.settings_within_policy(&settings)?;
        self.desktop.language = Language::from_code(&settings.language);
        self.desktop.theme = Theme::from_code(&settings.theme);
        self.desktop.lock_on_minimise = settings.lock_on_minimise;
        self.desktop.list_sort = settings.list_sort;
        self.desktop.list_density = settings.list_density;
        self.desktop.close_logins_on_lock = settings.close_logins_on_lock;
        let shortcut = settings.autotype_shortcut.trim();
        self.desktop.autotype_shortcut =
            (!shortcut.is_empty() && shortcut != policy::DEFAULT_AUTOTYPE_SHORTCUT).then(|| shortcut.to_owned());
        let delay = settings
            .autotype_key_delay_ms
            .clamp(*policy::AUTOTYPE_KEY_DELAY_MS.start(), *policy::AUTOTYPE_KEY_DELAY_MS.end());
        self.desktop.autotype_key_delay_ms = (delay != policy::DEFAULT_AUTOTYPE_KEY_DELAY_MS).then_some(delay);
        self.save_desktop()?;
        let author = self.author();
        let before = self.settings();
        if let Some(open) = self.open.as_mut() {
            // The core clamps each value to its range; 0 for a retention leaves it as it is.
            let keep_days = Some(settings.activity_keep_days).filter(|d| *d > 0);
            let keep_events = Some(settings.activity_keep_events).filter(|e| *e > 0);
            let retention = open.vault.set_activity_retention(
                keep_days.unwrap_or(open.vault.settings.activity_keep_days()),
                keep_events.unwrap_or(open.vault.settings.activity_keep_events()),
                author,
            );
            let timers = open.vault.set_timers(settings.auto_lock_minutes, settings.clipboard_clear_seconds, author);
            let profile =
                open.vault.set_profile(rotation_days, settings.owner_name.trim(), settings.company.trim(), author);
            let expiry = open.vault.set_expiry_warning_days(settings.expiry_warning_days, author);
            if timers || profile || retention || expiry {
                let changed = events::changed_settings(&before, &self.settings());
                self.note(vault::activity::EventKind::SettingsChanged, None, changed);
                self.save()?;
            }
        }
        Ok(self.state())
    }

    /// Where this device keeps its copy of the breach list; `None` forgets it.
    pub fn set_hibp_file(&mut self, path: Option<PathBuf>) -> Result<()> {
        self.desktop.hibp_file = path;
        self.save_desktop()
    }

    /// Notes an edit of entry `id` with the names of the fields whose clock moved since `before`.
    fn note_edit(&mut self, id: EntryId, before: &std::collections::BTreeMap<String, vault::Hlc>) {
        let after = self.unlocked().ok().and_then(|o| o.vault.entry(id)).map(events::field_stamps);
        let changed = after.map(|after| events::changed_fields(before, &after)).unwrap_or_default();
        if !changed.is_empty() {
            self.note(vault::activity::EventKind::EntryEdited, Some(id), changed);
        }
    }

    pub fn current_kdf(&self) -> Result<KdfChoice> {
        let kdf = self.unlocked()?.file.kdf();
        Ok(KdfChoice { memory_mib: kdf.memory_kib / 1024, iterations: kdf.iterations, parallelism: kdf.parallelism })
    }

    /// Changes the master password once `current` is proven; in steps, see `password_change_job`.
    pub fn change_master_password(&mut self, current: &str, new: &str, kdf: Option<KdfChoice>) -> Result<()> {
        let checked = self.password_change_job(new, kdf)?.run(current, new);
        self.finish_password_change(checked)
    }
}

/// The draft's expiry date: "YYYY-MM-DD", blank for none.
fn parse_expiry(text: Option<&str>) -> Result<Option<vault::model::ExpiryDate>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| error(ErrorCode::InvalidDate, format!("\"{text}\" is not a date (YYYY-MM-DD)"))),
    }
}

/// The draft's login window and auto-type settings, checked and in the form they are stored.
struct AutofillDraft {
    also_fill_on: Vec<String>,
    autotype_sequence: Option<String>,
    autotype_windows: Vec<String>,
}

impl AutofillDraft {
    fn check(draft: &EntryDraft) -> Result<AutofillDraft> {
        use vault::autofill::settings;
        Ok(AutofillDraft {
            also_fill_on: settings::also_fill_on(&draft.also_fill_on).map_err(crate::error::from_site)?,
            autotype_sequence: settings::autotype_sequence(draft.autotype_sequence.as_deref())
                .map_err(crate::error::from_sequence)?,
            autotype_windows: settings::autotype_windows(&draft.autotype_windows)
                .map_err(crate::error::from_window_pattern)?,
        })
    }
}

/// The list's row for `entry`; `last_used` from [`vault::order::last_used`].
fn summary(entry: &Entry, last_used: Option<u64>) -> EntrySummary {
    EntrySummary {
        id: entry.id.to_string(),
        title: entry.title.value.clone(),
        username: entry.username.value.clone(),
        url: entry.url().to_owned(),
        tags: entry.tags().map(str::to_owned).collect(),
        modified: entry.modified().wall_ms,
        favourite: entry.favourite.value,
        last_used,
        deleted: entry.is_deleted().then_some(entry.deleted.clock.wall_ms),
        handed_over: handover::mark_view(entry),
    }
}

fn detail(entry: &Entry, devices: &std::collections::BTreeMap<vault::DeviceId, vault::model::Device>) -> EntryDetail {
    let device_name = |id: &vault::DeviceId| devices.get(id).map_or_else(|| id.to_string(), |d| d.name.clone());
    EntryDetail {
        id: entry.id.to_string(),
        title: entry.title.value.clone(),
        username: entry.username.value.clone(),
        urls: entry.urls.value.clone(),
        notes: entry.notes.value.clone(),
        tags: entry.tags().map(str::to_owned).collect(),
        has_password: !entry.password.value.is_empty(),
        has_totp: !entry.totp.value.is_empty(),
        rules: entry.rules.value.as_ref().map(passwords::rules_view),
        expires: entry.expires.value.map(|d| d.to_string()),
        also_fill_on: entry.also_fill_on.value.clone(),
        autotype_sequence: entry.autotype_sequence.value.clone(),
        autotype_windows: entry.autotype_windows.value.clone(),
        fields: entry
            .custom_fields()
            .map(|(name, f)| FieldView {
                name: name.to_owned(),
                value: (!f.hidden).then(|| f.value.expose().to_owned()),
                hidden: f.hidden,
            })
            .collect(),
        history: entry
            .history
            .iter()
            .enumerate()
            .map(|(i, h)| HistoryView {
                index: i as u32,
                field: h.field.clone(),
                changed: h.clock.wall_ms,
                device: device_name(&h.clock.device),
            })
            .collect(),
        changes: field_changes(entry)
            .into_iter()
            .map(|(field, clock)| FieldChange { field, changed: clock.wall_ms, device: device_name(&clock.device) })
            .collect(),
        created: entry.created.wall_ms,
        modified: entry.modified().wall_ms,
        password_changed: entry.password_changed().wall_ms,
        handed_over: handover::mark_view(entry),
    }
}

/// The clock of the last write to each field that has a value, in the order the detail shows them.
fn field_changes(entry: &Entry) -> Vec<(String, vault::Hlc)> {
    let mut changes = vec![
        ("title".to_owned(), entry.title.clock),
        ("username".to_owned(), entry.username.clock),
        ("password".to_owned(), entry.password.clock),
        ("urls".to_owned(), entry.urls.clock),
        ("notes".to_owned(), entry.notes.clock),
    ];
    if !entry.totp.value.is_empty() {
        changes.push(("totp".to_owned(), entry.totp.clock));
    }
    let tags = entry.tags.values().map(|t| t.clock).max();
    changes.extend(tags.map(|clock| ("tags".to_owned(), clock)));
    for (name, field) in &entry.fields {
        if field.value.is_some() {
            changes.push((format!("field:{name}"), field.clock));
        }
    }
    changes
}

/// The edit a draft from the editor makes: fields the page did not receive (`None`) stay as they
/// are, custom fields missing from the draft are removed.
fn edit_from_draft(entry: &Entry, draft: EntryDraft) -> EntryEdit {
    let mut fields: Vec<(String, Option<CustomField>)> = Vec::new();
    for field in &draft.fields {
        let value = match &field.value {
            Some(v) => v.clone(),
            None => match entry.custom_field(&field.name) {
                Some((_, current)) => current.value.clone(),
                None => continue,
            },
        };
        fields.push((field.name.clone(), Some(CustomField { value, hidden: field.hidden })));
    }
    for (name, _) in entry.custom_fields() {
        if !draft.fields.iter().any(|f| f.name.to_lowercase() == name.to_lowercase()) {
            fields.push((name.to_owned(), None));
        }
    }
    EntryEdit {
        title: Some(draft.title),
        username: Some(draft.username),
        password: draft.password,
        urls: Some(draft.urls.into_iter().filter(|u| !u.trim().is_empty()).collect()),
        notes: Some(draft.notes),
        totp: None,
        tags: Some(draft.tags),
        fields,
        ..EntryEdit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use vault::KdfParams;
    use vault::quick_unlock::KeyStoreError;

    /// The OS keyring's stand-in: a map (the real one is exercised by the end-to-end suite).
    #[derive(Default)]
    struct MemoryKeyring(std::sync::Mutex<RefCell<HashMap<String, Vec<u8>>>>);
    impl KeyStore for MemoryKeyring {
        fn get(&self, s: &str, n: &str) -> std::result::Result<Option<zeroize::Zeroizing<Vec<u8>>>, KeyStoreError> {
            Ok(self.0.lock().unwrap().borrow().get(&format!("{s}/{n}")).cloned().map(Into::into))
        }
        fn set(&self, s: &str, n: &str, v: &[u8]) -> std::result::Result<(), KeyStoreError> {
            self.0.lock().unwrap().borrow_mut().insert(format!("{s}/{n}"), v.to_vec());
            Ok(())
        }
        fn delete(&self, s: &str, n: &str) -> std::result::Result<(), KeyStoreError> {
            self.0.lock().unwrap().borrow_mut().remove(&format!("{s}/{n}"));
            Ok(())
        }
        fn names(&self, s: &str) -> std::result::Result<Vec<String>, KeyStoreError> {
            let prefix = format!("{s}/");
            Ok(self.0.lock().unwrap().borrow().keys().filter_map(|k| k.strip_prefix(&prefix).map(Into::into)).collect())
        }
    }

    fn app(dir: &Path) -> Session {
        let keyring: Arc<dyn KeyStore + Send + Sync> = Arc::new(MemoryKeyring::default());
        Session::new(dir.join("config"), dir.join("data"), Ok(keyring))
    }

    pub(super) fn draft(title: &str, password: Option<&str>) -> EntryDraft {
        EntryDraft {
            title: title.into(),
            username: "li.wei".into(),
            password: password.map(Into::into),
            urls: vec!["crm.example.com".into()],
            notes: String::new(),
            tags: vec!["crm".into()],
            fields: vec![DraftField { name: "PIN".into(), value: Some("1234".into()), hidden: true }],
            rules: None,
            expires: None,
            also_fill_on: vec![],
            autotype_sequence: None,
            autotype_windows: vec![],
            totp: TotpDraft::Keep,
        }
    }

    pub(super) fn unlocked_app(dir: &Path) -> Session {
        let mut app = app(dir);
        cheap_vault(&mut app, dir, "pw");
        app.unlock("pw", None).unwrap();
        app
    }

    fn crm_rules() -> RulesView {
        RulesView {
            min_length: 10,
            max_length: 16,
            symbols: "!@#".into(),
            required: RequiredKinds { lower: true, upper: true, digits: true, symbols: true },
        }
    }

    /// Creating with the default 64 MiB key derivation is slow in tests; a vault made by the
    /// library with cheap settings is opened instead.
    fn cheap_vault(app: &mut Session, dir: &Path, password: &str) -> PathBuf {
        let path = dir.join("v.crmvault");
        let vault = Vault::new("v", app.author(), "laptop");
        let cheap = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
        VaultFile::create(&path, &SecretString::from(password), cheap, &vault).unwrap();
        app.open_vault(&path).unwrap();
        path
    }

    #[test]
    fn stages_follow_setup_unlock_and_lock_and_failed_attempts_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        assert_eq!(app.state().stage, Stage::Setup);
        cheap_vault(&mut app, dir.path(), "pw");
        assert_eq!(app.state().stage, Stage::Locked);
        for attempt in 1..=2 {
            assert_eq!(app.unlock("wrong", None).unwrap_err().code, ErrorCode::WrongPassword);
            assert_eq!(app.state().failed_attempts, attempt);
        }
        // The count survives a restart of the app, and resets on a good unlock.
        let mut app = self::app(dir.path());
        assert_eq!(app.state().failed_attempts, 2);
        assert_eq!(app.unlock("pw", None).unwrap().stage, Stage::Unlocked);
        assert_eq!(app.state().failed_attempts, 0);
        assert!(app.lock());
        assert_eq!(app.state().stage, Stage::Locked);
        assert_eq!(app.list_entries(None).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn entries_round_trip_through_drafts_without_the_page_holding_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", None).unwrap();
        let id = app.save_entry(None, draft("Salesforce", Some("s3cret"))).unwrap();
        let detail = app.entry_detail(&id).unwrap();
        assert!(detail.has_password);
        assert_eq!(detail.fields[0].value, None, "hidden field values stay in Rust");
        assert_eq!(app.secret(&id, "field:PIN").unwrap().expose(), "1234");

        // Editing without touching the password or the hidden field keeps both.
        let mut edit = draft("Salesforce EU", None);
        edit.fields[0].value = None;
        app.save_entry(Some(&id), edit).unwrap();
        assert_eq!(app.secret(&id, "password").unwrap().expose(), "s3cret");
        assert_eq!(app.secret(&id, "field:PIN").unwrap().expose(), "1234");
        let detail = app.entry_detail(&id).unwrap();
        assert_eq!(detail.title, "Salesforce EU");
        assert_eq!(detail.history.len(), 1);
        assert_eq!(app.secret(&id, "history:0").unwrap().expose(), "Salesforce");

        // Saved for real: a restart and unlock sees it.
        let mut again = self::app(dir.path());
        again.unlock("pw", None).unwrap();
        assert_eq!(again.list_entries(None).unwrap()[0].title, "Salesforce EU");
        assert_eq!(again.url(&id).unwrap(), "https://crm.example.com");
    }

    #[test]
    fn search_answers_positions_in_the_listing_and_trash_can_be_undone() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", None).unwrap();
        for title in ["Mail", "ERP", "纷享销客"] {
            app.save_entry(None, draft(title, Some("x"))).unwrap();
        }
        let listing = app.list_entries(None).unwrap();
        let found = app.search("erp").unwrap();
        assert_eq!(found.iter().map(|&i| listing[i as usize].title.as_str()).collect::<Vec<_>>(), ["ERP"]);
        assert_eq!(app.search("").unwrap().len(), 3);

        let erp = listing.iter().find(|e| e.title == "ERP").unwrap().id.clone();
        app.delete_entry(&erp).unwrap();
        assert_eq!(app.list_entries(None).unwrap().len(), 2);
        assert_eq!(app.list_trash().unwrap()[0].title, "ERP");
        app.restore_entry(&erp).unwrap();
        assert_eq!(app.list_entries(None).unwrap().len(), 3);
    }

    #[test]
    fn settings_split_between_the_device_and_the_vault() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", None).unwrap();
        let settings = Settings {
            auto_lock_minutes: 1,
            clipboard_clear_seconds: 1,
            language: "zh-CN".into(),
            theme: "dark".into(),
            lock_on_minimise: true,
            close_logins_on_lock: false,
            autotype_shortcut: "Ctrl+Alt+A".into(),
            autotype_key_delay_ms: 20,
            rotation_days: Some(30),
            owner_name: " Li Wei ".into(),
            company: "Acme Trading".into(),
            activity_keep_days: 0,
            activity_keep_events: 0,
            expiry_warning_days: 30,
        };
        let state = app.update_settings(settings).unwrap();
        assert_eq!(state.settings.expiry_warning_days, 30);
        assert_eq!(state.settings.auto_lock_minutes, 1);
        assert_eq!(state.settings.clipboard_clear_seconds, 5, "clipboard clear has a floor of 5 s");
        assert_eq!(state.settings.language, "zh-CN");
        assert_eq!(state.settings.rotation_days, Some(30));
        assert_eq!(state.settings.owner_name, "Li Wei", "names are trimmed");
        assert_eq!(state.settings.company, "Acme Trading");
        assert!(!app.idle_expired(None));
        assert!(!app.idle_expired(Some(0)), "0 means never");
        app.last_activity -= Duration::from_secs(61);
        assert!(app.idle_expired(None));
    }

    /// RFC 6238's SHA-1 secret, "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn generator_options_are_remembered_on_this_device() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let mut options = app.generator_options();
        assert_eq!((options.kind, options.length), (GeneratorKind::Characters, 20));
        options.kind = GeneratorKind::Passphrase;
        options.words = 4;
        options.separator = ".".into();
        let made = app.generate_password(options.clone()).unwrap();
        assert_eq!(made.password.expose().split('.').count(), 4);
        assert!(made.entropy_bits > 50.0 && made.entropy_bits < 52.0, "{}", made.entropy_bits);
        assert_eq!(self::app(dir.path()).generator_options(), options, "the options survive a restart");

        options.kind = GeneratorKind::Characters;
        options.length = 12;
        options.symbols = true;
        options.symbol_set = "ab".into();
        assert_eq!(app.generate_password(options).unwrap_err().code, ErrorCode::GenerateNotASymbol);
    }

    #[test]
    fn generating_for_rules_always_follows_them() {
        let rules = crm_rules();
        for _ in 0..50 {
            let made = generate_for_rules(&rules).unwrap();
            let made = made.password.expose();
            let count = made.chars().count();
            assert!((10..=16).contains(&count), "{made}");
            assert!(made.chars().all(|c| c.is_ascii_alphanumeric() || "!@#".contains(c)));
            assert!(made.chars().any(|c| "!@#".contains(c)));
        }
        let bad = RulesView { symbols: String::new(), ..crm_rules() };
        assert_eq!(generate_for_rules(&bad).unwrap_err().code, ErrorCode::RulesSymbolsRequired);
    }

    #[test]
    fn rules_and_expiry_are_saved_with_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let mut new = draft("ERP", Some("x"));
        new.rules = Some(crm_rules());
        new.expires = Some("2030-06-30".into());
        let id = app.save_entry(None, new).unwrap();
        let detail = app.entry_detail(&id).unwrap();
        assert_eq!(detail.rules, Some(crm_rules()));
        assert_eq!(detail.expires.as_deref(), Some("2030-06-30"));

        let mut edit = draft("ERP", None);
        edit.expires = Some("30.06.2030".into());
        assert_eq!(app.save_entry(Some(&id), edit).unwrap_err().code, ErrorCode::InvalidDate);
        let mut edit = draft("ERP", None);
        edit.rules = Some(RulesView { min_length: 20, ..crm_rules() });
        assert_eq!(app.save_entry(Some(&id), edit).unwrap_err().code, ErrorCode::RulesMinAboveMax);
        // A draft without them clears both.
        app.save_entry(Some(&id), draft("ERP", None)).unwrap();
        let detail = app.entry_detail(&id).unwrap();
        assert_eq!((detail.rules, detail.expires), (None, None));
    }

    #[test]
    fn the_editor_check_names_reuse_without_sending_passwords_and_reports_rule_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let erp = app.save_entry(None, draft("ERP", Some("Shared-Password-2024"))).unwrap();
        app.save_entry(None, draft("Mail", Some("Shared-Password-2024"))).unwrap();
        let request = |id: Option<&str>, password: &str| PasswordCheckRequest {
            id: id.map(Into::into),
            password: password.into(),
            title: "CRM".into(),
            username: "li.wei".into(),
            urls: vec!["https://crm.example.com/login".into()],
            rules: Some(crm_rules()),
        };
        let reused_by = |check: &PasswordCheck| -> Vec<String> {
            check
                .issues
                .iter()
                .flat_map(|i| match i {
                    FindingDetail::Reused { others } => others.iter().map(|o| o.title.clone()).collect(),
                    _ => Vec::new(),
                })
                .collect()
        };
        let check = app.check_password(&request(None, "Shared-Password-2024")).unwrap();
        assert_eq!(reused_by(&check), ["ERP", "Mail"]);
        let check = app.check_password(&request(Some(&erp), "Shared-Password-2024")).unwrap();
        assert_eq!(reused_by(&check), ["Mail"], "an entry's own password is not reuse");
        assert_eq!(
            check.rule_breaks,
            [
                RuleBreakView::TooLong { max: 16 },
                RuleBreakView::MissingSymbol,
                RuleBreakView::NotAllowed { character: "-".into() }
            ]
        );
        let weak = app.check_password(&request(None, "crm.example")).unwrap();
        assert!(weak.strength.score < 3);
        assert!(weak.issues.iter().any(|i| matches!(i, FindingDetail::Weak { .. })));
        assert!(reused_by(&weak).is_empty());
        let personal = app.check_password(&request(None, "Li.Wei-Winter-Quartz-88")).unwrap();
        assert!(personal.issues.iter().any(|i| matches!(i, FindingDetail::Personal { word, .. } if word == "li.wei")));
        let mut bad_rules = request(None, "x");
        bad_rules.rules = Some(RulesView { max_length: 200, ..crm_rules() });
        assert_eq!(app.check_password(&bad_rules).unwrap().rules_error, Some(ErrorCode::RulesMaxLength));
        app.lock();
        assert_eq!(app.check_password(&request(None, "x")).unwrap_err().code, ErrorCode::Locked);
    }

    /// The picture that makes the PNG decoder panic, imported as a QR code: the user gets
    /// "qr-damaged", the vault stays unlocked and the next import works. A setup decoded while
    /// the vault was locked meanwhile is not held.
    #[test]
    fn a_crafted_picture_is_an_error_and_the_app_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vault/tests/fixtures/qr");
        let crafted = std::fs::read(fixtures.join("png-palette-panic.png")).unwrap();
        assert_eq!(totp_from_image(&crafted).unwrap_err().code, ErrorCode::QrDamaged);
        assert_eq!(app.import_totp_image(&crafted).unwrap_err().code, ErrorCode::QrDamaged);
        assert!(app.list_entries(None).is_ok(), "the vault is still open");
        let totp = totp_from_image(&std::fs::read(fixtures.join("otpauth.png")).unwrap()).unwrap();
        assert!(app.hold_totp(totp.clone()).is_ok());
        app.lock();
        assert_eq!(app.hold_totp(totp).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn totp_setups_are_held_until_saved_and_codes_follow_rfc_6238() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        assert_eq!(app.parse_totp("otpauth://hotp/x?secret=AAAA").unwrap_err().code, ErrorCode::TotpHotp);
        assert_eq!(app.parse_totp("not a secret!").unwrap_err().code, ErrorCode::TotpInvalidBase32);
        assert_eq!(app.import_totp_image(b"GIF? no").unwrap_err().code, ErrorCode::QrNotAnImage);

        let preview = app.parse_totp(&format!("otpauth://totp/ACME:li?secret={RFC_SECRET}&digits=8")).unwrap();
        assert_eq!(
            (preview.issuer.as_deref(), preview.account.as_deref(), preview.digits),
            (Some("ACME"), Some("li"), 8)
        );
        let mut new = draft("CRM", Some("x"));
        new.totp = TotpDraft::Set { token: preview.token + 1 };
        assert_eq!(app.save_entry(None, new).unwrap_err().code, ErrorCode::TotpExpired);
        let mut new = draft("CRM", Some("x"));
        new.totp = TotpDraft::Set { token: preview.token };
        let id = app.save_entry(None, new).unwrap();
        assert!(app.entry_detail(&id).unwrap().has_totp);

        // RFC 6238, appendix B: T = 59 s gives 94287082; its period ends at 60.
        let code = app.totp_code(&id, 59).unwrap();
        assert_eq!((code.code.expose(), code.period_start, code.period_end), ("94287082", 30, 60));
        assert_eq!(code.next.as_ref().map(SecretText::expose), Some(app.totp_code(&id, 60).unwrap().code.expose()));
        assert_eq!(app.totp_code(&id, 1_111_111_109).unwrap().code.expose(), "07081804");
        assert_eq!(
            app.totp_code(&id, 1_111_111_109 - 20).unwrap().next,
            None,
            "the next code waits for the last seconds"
        );
        // Copying "totp" copies the current code, never the setup link.
        let copied = app.secret(&id, "totp").unwrap();
        assert_eq!(copied.expose(), app.totp_code(&id, totp::unix_now()).unwrap().code.expose());

        let qr = app.totp_qr(&id).unwrap();
        assert_eq!(qr.dark.len(), (qr.size * qr.size) as usize);
        assert!(qr.size >= 21);

        // A bare key gets the entry's names; Steam codes are five characters.
        let preview = app.parse_totp(&format!("steam://{RFC_SECRET}")).unwrap();
        assert_eq!(preview.kind, TotpKind::Steam);
        let mut steam = draft("Steam", Some("x"));
        steam.totp = TotpDraft::Set { token: preview.token };
        let steam = app.save_entry(None, steam).unwrap();
        let code = app.totp_code(&steam, 59).unwrap();
        assert_eq!((code.kind, code.code.expose().len()), (TotpKind::Steam, 5));
        assert_eq!((code.issuer.as_deref(), code.account.as_deref()), (Some("Steam"), Some("li.wei")));

        let mut edit = draft("CRM", None);
        edit.totp = TotpDraft::Remove;
        app.save_entry(Some(&id), edit).unwrap();
        assert!(!app.entry_detail(&id).unwrap().has_totp);
        assert_eq!(app.totp_code(&id, 59).unwrap_err().code, ErrorCode::NoTotp);

        // Locking forgets a setup that was read but not saved.
        let preview = app.parse_totp(RFC_SECRET).unwrap();
        app.lock();
        app.unlock("pw", None).unwrap();
        let mut edit = draft("CRM", None);
        edit.totp = TotpDraft::Set { token: preview.token };
        assert_eq!(app.save_entry(Some(&id), edit).unwrap_err().code, ErrorCode::TotpExpired);
    }

    #[test]
    fn the_report_finds_weak_reused_expired_and_old_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = unlocked_app(dir.path());
        let strong = "correct-Horse-battery-staple-91";
        app.save_entry(None, draft("Mail", Some(strong))).unwrap();
        app.save_entry(None, draft("ERP", Some(strong))).unwrap();
        let weak = app.save_entry(None, draft("Portal", Some("portal123"))).unwrap();
        let mut expired = draft("VPN", Some("Vpn-Unique-Long-Passphrase-77"));
        expired.expires = Some("2020-01-31".into());
        app.save_entry(None, expired).unwrap();
        app.save_entry(None, draft("Empty", None)).unwrap();

        let now = SystemClock.now_ms();
        let today = chrono::NaiveDate::from_ymd_opt(2020, 2, 3).unwrap();
        let report = app.security_report(now, today).unwrap();
        assert_eq!(report.checked, 4, "entries without a password are not checked");
        let kinds: Vec<(FindingKind, &str)> = report.findings.iter().map(|f| (f.kind, f.title.as_str())).collect();
        assert!(
            kinds.contains(&(FindingKind::Reused, "ERP")) && kinds.contains(&(FindingKind::Reused, "Mail")),
            "{kinds:?}"
        );
        assert!(kinds.contains(&(FindingKind::Expired, "VPN")), "{kinds:?}");
        let portal: Vec<FindingKind> = kinds.iter().filter(|(_, t)| *t == "Portal").map(|(k, _)| *k).collect();
        assert!(portal.contains(&FindingKind::Weak), "{portal:?}");
        assert!(kinds.iter().all(|(_, t)| *t != "Empty"));
        let weak_finding = report.findings.iter().find(|f| f.title == "Portal").unwrap();
        assert_eq!(weak_finding.entry_id, weak);
        let erp = report.findings.iter().find(|f| f.title == "ERP" && f.kind == FindingKind::Reused).unwrap();
        match &erp.detail {
            FindingDetail::Reused { others } => assert_eq!(others[0].title, "Mail"),
            other => panic!("{other:?}"),
        }
        let vpn = report.findings.iter().find(|f| f.kind == FindingKind::Expired).unwrap();
        match &vpn.detail {
            FindingDetail::Expired { date, days_ago } => assert_eq!((date.as_str(), *days_ago), ("2020-01-31", 3)),
            other => panic!("{other:?}"),
        }
        let count = |kind| report.counts.iter().find(|c| c.kind == kind).unwrap().count;
        assert_eq!(
            (count(FindingKind::Reused), count(FindingKind::Old), report.counts.len()),
            (2, 0, FindingKind::ALL.len())
        );
        assert!(matches!(report.breaches, BreachCheck::Off));

        // A breach list on this device is searched offline; a wrong file is said so.
        let hibp = dir.path().join("pwned.txt");
        let sha1 = |pw: &str| vault::health::hibp::hex(&vault::health::hibp::sha1(pw));
        let mut lines = [
            format!("{}:42", std::str::from_utf8(&sha1("portal123")).unwrap()),
            "0000000000000000000000000000000000000000:1".into(),
        ];
        lines.sort();
        std::fs::write(&hibp, lines.join("\r\n")).unwrap();
        app.set_hibp_file(Some(hibp.clone())).unwrap();
        assert_eq!(app.state().hibp_file.as_deref(), Some(hibp.to_str().unwrap()));
        let checked = app.security_report(now, today).unwrap();
        assert!(matches!(checked.breaches, BreachCheck::Checked { .. }));
        let breached: Vec<&Finding> = checked.findings.iter().filter(|f| f.kind == FindingKind::Breached).collect();
        assert_eq!(breached.len(), 1);
        assert!(matches!(breached[0].detail, FindingDetail::Breached { seen: 42 }));
        std::fs::write(&hibp, b"").unwrap();
        let failed = app.security_report(now, today).unwrap();
        assert!(matches!(&failed.breaches, BreachCheck::Failed { code, .. } if *code == ErrorCode::HibpEmpty));
        assert_eq!(failed.findings.len(), report.findings.len());
        assert_eq!(app.state().rotation_due, 1, "the expired one is due");

        // 91 days later every password is due for rotation.
        let later = app.security_report(now + 91 * 86_400_000, today).unwrap();
        assert_eq!(later.findings.iter().filter(|f| f.kind == FindingKind::Old).count(), 4);
        let vault = &app.unlocked().unwrap().vault;
        assert_eq!(report::rotation_due(vault, None, now + 91 * 86_400_000, today), 4);
    }
}
