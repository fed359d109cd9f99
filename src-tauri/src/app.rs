//! The app's session: which vault this device opens, whether it is unlocked, and the calls the
//! page makes, each a short step into the vault library. Locking drops the vault and its key.

use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vault::device::DeviceIdentity;
use vault::local::{Language, LocalSettings, Theme};
use vault::model::{CustomField, Entry, EntryEdit, EntryId, NewEntry};
use vault::quick_unlock::{self, KeyStore, QuickUnlock};
use vault::{Author, Clock, KdfParams, SecretText, SystemClock, Vault, VaultFile, find};

use crate::clipboard::Clipboard;
use crate::error::{self, Result, error, locked, not_found};
use crate::ipc::*;

struct Unlocked {
    file: VaultFile,
    vault: Vault,
}

pub struct App {
    config_dir: PathBuf,
    data_dir: PathBuf,
    device: DeviceIdentity,
    local: LocalSettings,
    open: Option<Unlocked>,
    /// The last `list_entries`, searchable: `search` answers with positions in that listing.
    listing: find::SearchIndex,
    last_activity: Instant,
    keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    pub clipboard: Clipboard,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("unlocked", &self.open.is_some()).finish_non_exhaustive()
    }
}

impl App {
    pub fn new(
        config_dir: PathBuf,
        data_dir: PathBuf,
        keyring: std::result::Result<Arc<dyn KeyStore + Send + Sync>, String>,
    ) -> App {
        let device = DeviceIdentity::load_or_create(&config_dir)
            .unwrap_or_else(|_| DeviceIdentity { id: vault::DeviceId::random(), name: vault::device::host_name() });
        let local = LocalSettings::load(&config_dir);
        App {
            config_dir,
            data_dir,
            device,
            local,
            open: None,
            listing: find::SearchIndex::default(),
            last_activity: Instant::now(),
            keyring,
            clipboard: Clipboard::new(),
        }
    }

    fn author(&self) -> Author<'static> {
        Author { device: self.device.id, clock: &SystemClock }
    }

    fn save_local(&self) -> Result<()> {
        self.local
            .save(&self.config_dir)
            .map_err(|e| error("io", format!("could not save this device's settings: {e}")))
    }

    pub fn state(&self) -> AppState {
        let stage = match (&self.open, &self.local.vault_path) {
            (Some(_), _) => Stage::Unlocked,
            (None, Some(_)) => Stage::Locked,
            (None, None) => Stage::Setup,
        };
        let vault = self.open.as_ref().map(|o| &o.vault);
        let quick =
            self.local.quick_unlock.as_ref().filter(|q| !q.is_spent(SystemClock.now_ms(), &quick_unlock::boot_id()));
        AppState {
            stage,
            vault_path: self.local.vault_path.as_ref().map(|p| p.display().to_string()),
            default_vault_path: self.data_dir.join("vault.crmvault").display().to_string(),
            // While locked the name inside the vault is unknown; its file name stands in.
            vault_name: vault.map(|v| v.name.value.clone()).or_else(|| {
                self.local.vault_path.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned())
            }),
            failed_attempts: self.local.failed_attempts,
            quick_unlock: QuickUnlockStatus {
                available: self.keyring.is_ok(),
                reason: self.keyring.as_ref().err().map(|_| "no-keyring".to_owned()),
                enabled: quick.is_some(),
                until: quick.map(|q| q.expires_ms),
            },
            settings: self.settings(),
            entry_count: vault.map_or(0, |v| v.live_entries().count() as u32),
        }
    }

    fn settings(&self) -> Settings {
        let vault_settings = self.open.as_ref().map(|o| &o.vault.settings);
        Settings {
            auto_lock_minutes: vault_settings.map_or(5, |s| s.auto_lock_minutes.value),
            clipboard_clear_seconds: vault_settings.map_or(20, |s| s.clipboard_clear_seconds.value),
            language: match self.local.language {
                Language::System => "system",
                Language::English => "en",
                Language::SimplifiedChinese => "zh-CN",
            }
            .into(),
            theme: match self.local.theme {
                Theme::System => "system",
                Theme::Light => "light",
                Theme::Dark => "dark",
            }
            .into(),
            lock_on_minimise: self.local.lock_on_minimise,
        }
    }

    pub fn create_vault(&mut self, path: &Path, password: &str) -> Result<AppState> {
        if password.is_empty() {
            return Err(error("invalid", "the master password cannot be empty"));
        }
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| error::from_save(e.into()))?;
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let vault = Vault::new(name, self.author(), &self.device.name);
        let file = VaultFile::create(path, &SecretString::from(password), KdfParams::default(), &vault)
            .map_err(error::from_save)?;
        self.local.vault_path = Some(path.to_owned());
        self.local.failed_attempts = 0;
        self.save_local()?;
        self.open = Some(Unlocked { file, vault });
        // The idle clock starts now, not when the setup screen appeared.
        self.last_activity = Instant::now();
        Ok(self.state())
    }

    pub fn open_vault(&mut self, path: &Path) -> Result<AppState> {
        if !path.is_file() {
            return Err(error("no-vault", format!("there is no vault file at {}", path.display())));
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
        self.local.vault_path.clone().ok_or_else(|| error("no-vault", "no vault has been chosen yet"))
    }

    /// Unlocks with the master password: the slow part (Argon2id) runs here, so call it off the
    /// main thread.
    pub fn unlock(&mut self, password: &str, remember: bool) -> Result<AppState> {
        let path = self.vault_path()?;
        match VaultFile::open(&path, &SecretString::from(password)) {
            Ok((file, vault)) => {
                self.local.failed_attempts = 0;
                self.open = Some(Unlocked { file, vault });
                if remember {
                    self.enable_quick_unlock(24)?;
                }
                self.save_local()?;
                self.last_activity = Instant::now();
                Ok(self.state())
            }
            Err(err) => {
                let err = error::from_open(err);
                if err.code == "wrong-password" {
                    self.local.failed_attempts += 1;
                    self.save_local()?;
                }
                Err(err)
            }
        }
    }

    pub fn quick_unlock(&mut self) -> Result<AppState> {
        let path = self.vault_path()?;
        let keyring = self.keyring.clone().map_err(|reason| error("no-keyring", reason))?;
        let mut record =
            self.local.quick_unlock.take().ok_or_else(|| error("quick-unlock-unavailable", "quick unlock is off"))?;
        let (now, boot) = (SystemClock.now_ms(), quick_unlock::boot_id());
        let result = record.unlock(keyring.as_ref(), record.vault_id, now, &boot);
        let outcome = result
            .map_err(error::from_quick_unlock)
            .and_then(|key| VaultFile::open_with_key(&path, &key).map_err(error::from_open))
            .and_then(|(file, vault)| match vault.id == record.vault_id {
                true => Ok((file, vault)),
                false => Err(error("quick-unlock-unavailable", "quick unlock was set up for another vault")),
            });
        let result = match outcome {
            Ok((file, vault)) => {
                self.local.quick_unlock = Some(record);
                self.open = Some(Unlocked { file, vault });
                self.last_activity = Instant::now();
                Ok(())
            }
            Err(err) => {
                if record.is_spent(now, &boot) {
                    let _ = record.forget(keyring.as_ref());
                } else {
                    self.local.quick_unlock = Some(record);
                }
                Err(err)
            }
        };
        self.save_local()?;
        result.map(|()| self.state())
    }

    fn enable_quick_unlock(&mut self, hours: u32) -> Result<()> {
        let keyring = self.keyring.clone().map_err(|reason| error("no-keyring", reason))?;
        let open = self.open.as_ref().ok_or_else(locked)?;
        let record = QuickUnlock::enable(
            keyring.as_ref(),
            open.vault.id,
            open.file.vault_key(),
            SystemClock.now_ms(),
            hours,
            &quick_unlock::boot_id(),
        )
        .map_err(error::from_keyring)?;
        self.local.quick_unlock = Some(record);
        Ok(())
    }

    fn forget_quick_unlock(&mut self) {
        if let (Some(record), Ok(keyring)) = (self.local.quick_unlock.take(), &self.keyring) {
            let _ = record.forget(keyring.as_ref());
        }
    }

    pub fn set_quick_unlock(&mut self, enabled: bool, hours: u32) -> Result<AppState> {
        self.forget_quick_unlock();
        if enabled {
            self.enable_quick_unlock(hours.clamp(1, 24 * 30))?;
        }
        self.save_local()?;
        Ok(self.state())
    }

    /// Drops the vault and its key (both wipe their secrets on drop) and clears our clipboard.
    /// Returns whether it was unlocked.
    pub fn lock(&mut self) -> bool {
        self.listing = find::SearchIndex::default();
        self.clipboard.clear_if_ours();
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
            None => u64::from(open.vault.settings.auto_lock_minutes.value) * 60,
        };
        limit > 0 && self.last_activity.elapsed() >= Duration::from_secs(limit)
    }

    pub fn lock_on_minimise(&self) -> bool {
        self.local.lock_on_minimise && self.open.is_some()
    }

    fn unlocked(&self) -> Result<&Unlocked> {
        self.open.as_ref().ok_or_else(locked)
    }

    fn entry(&self, id: &str) -> Result<&Entry> {
        let id: EntryId = id.parse().map_err(|_| not_found())?;
        self.unlocked()?.vault.entry(id).ok_or_else(not_found)
    }

    /// Writes the vault after a change; the change stays in memory if the write fails.
    fn save(&mut self) -> Result<()> {
        let author = self.author();
        let name = self.device.name.clone();
        let open = self.open.as_mut().ok_or_else(locked)?;
        open.vault.note_device(author, &name);
        // What came in from another laptop's save is in `open.vault` now; showing it is for later.
        open.file.save(&mut open.vault, &SystemClock).map(drop).map_err(error::from_save)
    }

    pub fn list_entries(&mut self) -> Result<Vec<EntrySummary>> {
        let entries = self.unlocked()?.vault.sorted_entries();
        let index = find::SearchIndex::of(&entries);
        let summaries = entries.into_iter().map(summary).collect();
        self.listing = index;
        Ok(summaries)
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

    /// A secret the user asked to see or copy: "password", "totp", "username", "field:<name>",
    /// "history:<index>".
    pub fn secret(&self, id: &str, what: &str) -> Result<SecretText> {
        let entry = self.entry(id)?;
        let value = match what {
            "password" => entry.password.value.clone(),
            "totp" => entry.totp.value.clone(),
            "username" => SecretText::new(entry.username.value.as_str()),
            other => match (other.strip_prefix("field:"), other.strip_prefix("history:")) {
                (Some(name), _) => entry.custom_field(name).map(|(_, f)| f.value.clone()).ok_or_else(not_found)?,
                (_, Some(index)) => {
                    let index: usize = index.parse().map_err(|_| not_found())?;
                    entry.history.get(index).map(|h| h.value.clone()).ok_or_else(not_found)?
                }
                _ => return Err(error("invalid", format!("unknown field {other}"))),
            },
        };
        Ok(value)
    }

    pub fn clipboard_clear_seconds(&self) -> u64 {
        self.open.as_ref().map_or(20, |o| u64::from(o.vault.settings.clipboard_clear_seconds.value))
    }

    /// The entry's first URL, only if it is a web address (never `file:` or `javascript:`).
    pub fn url(&self, id: &str) -> Result<String> {
        let url = self.entry(id)?.url().trim().to_owned();
        let lower = url.to_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            Ok(url)
        } else if !url.is_empty() && !url.contains(':') {
            Ok(format!("https://{url}"))
        } else {
            Err(error("invalid", "the entry has no web address to open"))
        }
    }

    pub fn save_entry(&mut self, id: Option<&str>, draft: EntryDraft) -> Result<String> {
        let author = self.author();
        if draft.title.trim().is_empty() {
            return Err(error("invalid", "an entry needs a title"));
        }
        let id = match id {
            None => {
                let fields = draft
                    .fields
                    .into_iter()
                    .filter_map(|f| Some((f.name, CustomField { value: SecretText::new(f.value?), hidden: f.hidden })))
                    .collect();
                let new = NewEntry {
                    title: draft.title,
                    username: draft.username,
                    password: SecretText::new(draft.password.unwrap_or_default()),
                    urls: draft.urls.into_iter().filter(|u| !u.trim().is_empty()).collect(),
                    notes: draft.notes,
                    totp: SecretText::default(),
                    tags: draft.tags,
                    fields,
                    ..NewEntry::default()
                };
                let open = self.open.as_mut().ok_or_else(locked)?;
                open.vault.add_entry(new, author)
            }
            Some(id) => {
                let entry = self.entry(id)?;
                let edit = edit_from_draft(entry, draft);
                let id = entry.id;
                let open = self.open.as_mut().ok_or_else(locked)?;
                open.vault.edit_entry(id, edit, author).map_err(|_| not_found())?;
                id
            }
        };
        self.save()?;
        Ok(id.to_string())
    }

    pub fn delete_entry(&mut self, id: &str) -> Result<()> {
        let (id, author) = (self.entry(id)?.id, self.author());
        self.open.as_mut().ok_or_else(locked)?.vault.delete_entry(id, author).map_err(|_| not_found())?;
        self.save()
    }

    pub fn restore_entry(&mut self, id: &str) -> Result<()> {
        let (id, author) = (self.entry(id)?.id, self.author());
        self.open.as_mut().ok_or_else(locked)?.vault.restore_entry(id, author).map_err(|_| not_found())?;
        self.save()
    }

    pub fn list_trash(&self) -> Result<Vec<EntrySummary>> {
        Ok(self.unlocked()?.vault.trashed_entries().into_iter().map(summary).collect())
    }

    pub fn restore_history(&mut self, id: &str, index: u32) -> Result<EntryDetail> {
        let (entry_id, author) = (self.entry(id)?.id, self.author());
        let open = self.open.as_mut().ok_or_else(locked)?;
        if open.vault.restore_history(entry_id, index as usize, author).map_err(|_| not_found())? {
            self.save()?;
        }
        self.entry_detail(id)
    }

    pub fn update_settings(&mut self, settings: Settings) -> Result<AppState> {
        self.local.language = match settings.language.as_str() {
            "en" => Language::English,
            "zh-CN" => Language::SimplifiedChinese,
            _ => Language::System,
        };
        self.local.theme = match settings.theme.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        };
        self.local.lock_on_minimise = settings.lock_on_minimise;
        self.save_local()?;
        let author = self.author();
        if let Some(open) = self.open.as_mut() {
            let changed = open.vault.set_timers(
                settings.auto_lock_minutes.min(24 * 60),
                settings.clipboard_clear_seconds.clamp(5, 600),
                author,
            );
            if changed {
                self.save()?;
            }
        }
        Ok(self.state())
    }

    pub fn current_kdf(&self) -> Result<KdfChoice> {
        let kdf = self.unlocked()?.file.kdf();
        Ok(KdfChoice { memory_mib: kdf.memory_kib / 1024, iterations: kdf.iterations, parallelism: kdf.parallelism })
    }

    pub fn change_master_password(&mut self, current: &str, new: &str, kdf: Option<KdfChoice>) -> Result<()> {
        if new.is_empty() {
            return Err(error("invalid", "the master password cannot be empty"));
        }
        let path = self.vault_path()?;
        // Proves the user knows the current password, not just that the vault was left open.
        VaultFile::open(&path, &SecretString::from(current)).map_err(error::from_open)?;
        let kdf = kdf
            .map(|k| KdfParams::from_mib(k.memory_mib, k.iterations, k.parallelism))
            .transpose()
            .map_err(|e| error("kdf-range", e))?;
        let author = self.author();
        let open = self.open.as_mut().ok_or_else(locked)?;
        open.file
            .change_password(&mut open.vault, &SecretString::from(new), kdf, author)
            .map_err(error::from_save)?;
        // The device key sealed the same vault key, so quick unlock stays valid.
        Ok(())
    }
}

fn summary(entry: &Entry) -> EntrySummary {
    EntrySummary {
        id: entry.id.to_string(),
        title: entry.title.value.clone(),
        username: entry.username.value.clone(),
        url: entry.url().to_owned(),
        tags: entry.tags().map(str::to_owned).collect(),
        modified: entry.modified().wall_ms,
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
        created: entry.created.wall_ms,
        modified: entry.modified().wall_ms,
        password_changed: entry.password_changed().wall_ms,
    }
}

/// The edit a draft from the editor makes: fields the page did not receive (`None`) stay as they
/// are, custom fields missing from the draft are removed.
fn edit_from_draft(entry: &Entry, draft: EntryDraft) -> EntryEdit {
    let mut fields: Vec<(String, Option<CustomField>)> = Vec::new();
    for field in &draft.fields {
        let value = match &field.value {
            Some(v) => SecretText::new(v.as_str()),
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
        password: draft.password.map(SecretText::new),
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
    use std::cell::RefCell;
    use std::collections::HashMap;
    use vault::quick_unlock::KeyStoreError;

    /// The OS keyring's stand-in: a map (the real one is exercised by the end-to-end suite).
    #[derive(Default)]
    struct MemoryKeyring(std::sync::Mutex<RefCell<HashMap<String, Vec<u8>>>>);
    impl KeyStore for MemoryKeyring {
        fn get(&self, s: &str, n: &str) -> std::result::Result<Option<Vec<u8>>, KeyStoreError> {
            Ok(self.0.lock().unwrap().borrow().get(&format!("{s}/{n}")).cloned())
        }
        fn set(&self, s: &str, n: &str, v: &[u8]) -> std::result::Result<(), KeyStoreError> {
            self.0.lock().unwrap().borrow_mut().insert(format!("{s}/{n}"), v.to_vec());
            Ok(())
        }
        fn delete(&self, s: &str, n: &str) -> std::result::Result<(), KeyStoreError> {
            self.0.lock().unwrap().borrow_mut().remove(&format!("{s}/{n}"));
            Ok(())
        }
    }

    fn app(dir: &Path) -> App {
        let keyring: Arc<dyn KeyStore + Send + Sync> = Arc::new(MemoryKeyring::default());
        App::new(dir.join("config"), dir.join("data"), Ok(keyring))
    }

    fn draft(title: &str, password: Option<&str>) -> EntryDraft {
        EntryDraft {
            title: title.into(),
            username: "li.wei".into(),
            password: password.map(Into::into),
            urls: vec!["crm.example.com".into()],
            notes: String::new(),
            tags: vec!["crm".into()],
            fields: vec![DraftField { name: "PIN".into(), value: Some("1234".into()), hidden: true }],
        }
    }

    /// Creating with the default 64 MiB key derivation is slow in tests; a vault made by the
    /// library with cheap settings is opened instead.
    fn cheap_vault(app: &mut App, dir: &Path, password: &str) -> PathBuf {
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
            assert_eq!(app.unlock("wrong", false).unwrap_err().code, "wrong-password");
            assert_eq!(app.state().failed_attempts, attempt);
        }
        // The count survives a restart of the app, and resets on a good unlock.
        let mut app = self::app(dir.path());
        assert_eq!(app.state().failed_attempts, 2);
        assert_eq!(app.unlock("pw", false).unwrap().stage, Stage::Unlocked);
        assert_eq!(app.state().failed_attempts, 0);
        assert!(app.lock());
        assert_eq!(app.state().stage, Stage::Locked);
        assert_eq!(app.list_entries().unwrap_err().code, "locked");
    }

    #[test]
    fn entries_round_trip_through_drafts_without_the_page_holding_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", false).unwrap();
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
        again.unlock("pw", false).unwrap();
        assert_eq!(again.list_entries().unwrap()[0].title, "Salesforce EU");
        assert_eq!(again.url(&id).unwrap(), "https://crm.example.com");
    }

    #[test]
    fn search_answers_positions_in_the_listing_and_trash_can_be_undone() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", false).unwrap();
        for title in ["Mail", "ERP", "纷享销客"] {
            app.save_entry(None, draft(title, Some("x"))).unwrap();
        }
        let listing = app.list_entries().unwrap();
        let found = app.search("erp").unwrap();
        assert_eq!(found.iter().map(|&i| listing[i as usize].title.as_str()).collect::<Vec<_>>(), ["ERP"]);
        assert_eq!(app.search("").unwrap().len(), 3);

        let erp = listing.iter().find(|e| e.title == "ERP").unwrap().id.clone();
        app.delete_entry(&erp).unwrap();
        assert_eq!(app.list_entries().unwrap().len(), 2);
        assert_eq!(app.list_trash().unwrap()[0].title, "ERP");
        app.restore_entry(&erp).unwrap();
        assert_eq!(app.list_entries().unwrap().len(), 3);
    }

    #[test]
    fn quick_unlock_opens_without_the_password_until_turned_off() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", true).unwrap();
        assert!(app.state().quick_unlock.enabled);
        app.lock();
        assert_eq!(app.quick_unlock().unwrap().stage, Stage::Unlocked);
        app.set_quick_unlock(false, 0).unwrap();
        app.lock();
        assert_eq!(app.quick_unlock().unwrap_err().code, "quick-unlock-unavailable");
    }

    #[test]
    fn without_a_keyring_quick_unlock_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path().join("c"), dir.path().join("d"), Err("no Secret Service".into()));
        cheap_vault(&mut app, dir.path(), "pw");
        let state = app.state();
        assert!(!state.quick_unlock.available);
        assert_eq!(state.quick_unlock.reason.as_deref(), Some("no-keyring"));
        assert_eq!(app.unlock("pw", true).unwrap_err().code, "no-keyring");
    }

    #[test]
    fn settings_split_between_the_device_and_the_vault() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path());
        cheap_vault(&mut app, dir.path(), "pw");
        app.unlock("pw", false).unwrap();
        let settings = Settings {
            auto_lock_minutes: 1,
            clipboard_clear_seconds: 1,
            language: "zh-CN".into(),
            theme: "dark".into(),
            lock_on_minimise: true,
        };
        let state = app.update_settings(settings).unwrap();
        assert_eq!(state.settings.auto_lock_minutes, 1);
        assert_eq!(state.settings.clipboard_clear_seconds, 5, "clipboard clear has a floor of 5 s");
        assert_eq!(state.settings.language, "zh-CN");
        assert!(!app.idle_expired(None));
        assert!(!app.idle_expired(Some(0)), "0 means never");
        app.last_activity -= Duration::from_secs(61);
        assert!(app.idle_expired(None));
    }
}
