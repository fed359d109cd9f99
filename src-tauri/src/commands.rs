//! The page's calls. Each is a few lines into `App`; slow ones (Argon2id, dialogs) are `async`
//! so they run off the main thread.

use std::path::PathBuf;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use crate::app::App;
use crate::error::{Result, error};
use crate::ipc::*;

pub type Shared = Mutex<App>;

/// The session, even if a panic elsewhere poisoned the lock: its state is still consistent
/// because every change to it is a single assignment.
pub fn session<'a>(state: &'a State<'_, Shared>) -> std::sync::MutexGuard<'a, App> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[tauri::command]
pub fn app_state(state: State<'_, Shared>) -> AppState {
    session(&state).state()
}

#[tauri::command]
pub async fn choose_vault_file(app: AppHandle) -> Option<String> {
    let picked = app.dialog().file().add_filter("CRM Vault", &["crmvault"]).blocking_pick_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

#[tauri::command]
pub async fn choose_vault_location(app: AppHandle) -> Option<String> {
    let picked =
        app.dialog().file().add_filter("CRM Vault", &["crmvault"]).set_file_name("vault.crmvault").blocking_save_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

#[tauri::command]
pub async fn create_vault(state: State<'_, Shared>, path: String, password: String) -> Result<AppState> {
    session(&state).create_vault(&PathBuf::from(path), &zeroize::Zeroizing::new(password))
}

#[tauri::command]
pub fn open_vault(state: State<'_, Shared>, path: String) -> Result<AppState> {
    session(&state).open_vault(&PathBuf::from(path))
}

#[tauri::command]
pub async fn unlock(state: State<'_, Shared>, password: String, remember: bool) -> Result<AppState> {
    session(&state).unlock(&zeroize::Zeroizing::new(password), remember)
}

#[tauri::command]
pub async fn quick_unlock(state: State<'_, Shared>) -> Result<AppState> {
    session(&state).quick_unlock()
}

#[tauri::command]
pub fn lock(app: AppHandle, state: State<'_, Shared>) -> AppState {
    crate::lock_now(&app, "user");
    session(&state).state()
}

#[tauri::command]
pub fn list_entries(state: State<'_, Shared>) -> Result<Vec<EntrySummary>> {
    session(&state).list_entries()
}

#[tauri::command]
pub fn search(state: State<'_, Shared>, query: String) -> Result<Vec<u32>> {
    session(&state).search(&query)
}

#[tauri::command]
pub fn entry_detail(state: State<'_, Shared>, id: String) -> Result<EntryDetail> {
    session(&state).entry_detail(&id)
}

#[tauri::command]
pub fn reveal(state: State<'_, Shared>, id: String, what: String) -> Result<String> {
    session(&state).secret(&id, &what).map(|s| s.expose().to_owned())
}

#[tauri::command]
pub fn copy(app: AppHandle, state: State<'_, Shared>, id: String, what: String) -> Result<()> {
    let mut session = session(&state);
    let secret = session.secret(&id, &what)?;
    let generation = session.clipboard.copy(secret.expose()).map_err(|e| error("clipboard", e))?;
    crate::clear_clipboard_later(app, generation, session.clipboard_clear_seconds());
    Ok(())
}

#[tauri::command]
pub fn open_url(app: AppHandle, state: State<'_, Shared>, id: String) -> Result<()> {
    let url = session(&state).url(&id)?;
    tauri_plugin_opener::OpenerExt::opener(&app).open_url(url, None::<&str>).map_err(|e| error("io", e))
}

#[tauri::command]
pub fn save_entry(state: State<'_, Shared>, id: Option<String>, draft: EntryDraft) -> Result<String> {
    session(&state).save_entry(id.as_deref(), draft)
}

#[tauri::command]
pub fn delete_entry(state: State<'_, Shared>, id: String) -> Result<()> {
    session(&state).delete_entry(&id)
}

#[tauri::command]
pub fn restore_entry(state: State<'_, Shared>, id: String) -> Result<()> {
    session(&state).restore_entry(&id)
}

#[tauri::command]
pub fn list_trash(state: State<'_, Shared>) -> Result<Vec<EntrySummary>> {
    session(&state).list_trash()
}

#[tauri::command]
pub fn restore_history(state: State<'_, Shared>, id: String, index: u32) -> Result<EntryDetail> {
    session(&state).restore_history(&id, index)
}

#[tauri::command]
pub fn generate_password(options: GeneratorOptions) -> Result<String> {
    crate::tools::generate(&options)
}

#[tauri::command]
pub fn password_strength(password: String, user_inputs: Vec<String>) -> Strength {
    crate::tools::strength(&zeroize::Zeroizing::new(password), &user_inputs)
}

#[tauri::command]
pub fn update_settings(state: State<'_, Shared>, settings: Settings) -> Result<AppState> {
    session(&state).update_settings(settings)
}

#[tauri::command]
pub async fn measure_kdf(choice: KdfChoice) -> Result<KdfCost> {
    crate::tools::measure_kdf(choice)
}

#[tauri::command]
pub fn current_kdf(state: State<'_, Shared>) -> Result<KdfChoice> {
    session(&state).current_kdf()
}

#[tauri::command]
pub async fn change_master_password(
    state: State<'_, Shared>,
    current: String,
    new: String,
    kdf: Option<KdfChoice>,
) -> Result<()> {
    let (current, new) = (zeroize::Zeroizing::new(current), zeroize::Zeroizing::new(new));
    session(&state).change_master_password(&current, &new, kdf)
}

#[tauri::command]
pub fn set_quick_unlock(state: State<'_, Shared>, enabled: bool, hours: u32) -> Result<AppState> {
    session(&state).set_quick_unlock(enabled, hours)
}

#[tauri::command]
pub fn touch(state: State<'_, Shared>) {
    session(&state).touch();
}

/// Tells the page the vault was locked, so it drops everything it shows.
pub fn announce_lock(app: &AppHandle, reason: &str) {
    let _ = app.emit("vault-locked", LockedEvent { reason: reason.to_owned() });
}
