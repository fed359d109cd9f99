//! The page's calls. Each is a few lines into the `Session`; slow ones (Argon2id, dialogs) are `async`
//! so they run off the main thread, and those with key derivation go through `SharedSession`,
//! which does not hold the session while it runs.

use std::path::PathBuf;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use session::Session;
use session::error::{ErrorCode, Result, error};
use session::shared::SharedSession;
use session::view::*;
use vault::SecretText;

/// The session, shared with the timers: the slow calls (key derivation, the breach list) go
/// through its own methods, which leave it free while the slow part runs.
pub type Shared = SharedSession;

/// The session for a quick call.
pub fn session<'a>(state: &'a State<'_, Shared>) -> std::sync::MutexGuard<'a, Session> {
    state.session()
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
pub async fn create_vault(state: State<'_, Shared>, path: String, password: SecretText) -> Result<AppState> {
    state.create_vault(&PathBuf::from(path), password.expose())
}

#[tauri::command]
pub fn open_vault(state: State<'_, Shared>, path: String) -> Result<AppState> {
    session(&state).open_vault(&PathBuf::from(path))
}

#[tauri::command]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, Shared>,
    password: SecretText,
    remember_pin: Option<SecretText>,
) -> Result<AppState> {
    let state = state.unlock(password.expose(), remember_pin.as_ref().map(SecretText::expose))?;
    crate::login::after_unlock(&app);
    Ok(state)
}

#[tauri::command]
pub async fn quick_unlock(app: AppHandle, state: State<'_, Shared>, pin: String) -> Result<AppState> {
    let state = state.quick_unlock(&zeroize::Zeroizing::new(pin))?;
    crate::login::after_unlock(&app);
    Ok(state)
}

#[tauri::command]
pub fn lock(app: AppHandle, state: State<'_, Shared>) -> AppState {
    crate::lock_now(&app, "user");
    session(&state).state()
}

/// `sort` null: this laptop's saved `listSort` setting.
#[tauri::command]
pub fn list_entries(state: State<'_, Shared>, sort: Option<ListSort>) -> Result<Vec<EntrySummary>> {
    session(&state).list_entries(sort)
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
pub fn reveal(state: State<'_, Shared>, id: String, what: String) -> Result<SecretText> {
    session(&state).reveal(&id, &what)
}

#[tauri::command]
pub fn copy(app: AppHandle, state: State<'_, Shared>, id: String, what: String) -> Result<()> {
    let mut session = session(&state);
    let secret = session.secret(&id, &what)?;
    let generation = session.clipboard.copy(secret.expose()).map_err(|e| error(ErrorCode::Clipboard, e))?;
    crate::clear_clipboard_later(app, generation, session.clipboard_clear_seconds());
    session.record_copy(&id, &what);
    Ok(())
}

#[tauri::command]
pub fn open_url(app: AppHandle, state: State<'_, Shared>, id: String) -> Result<()> {
    let url = session(&state).url(&id)?;
    tauri_plugin_opener::OpenerExt::opener(&app).open_url(url, None::<&str>).map_err(|e| error(ErrorCode::Io, e))
}

/// "Log in": opens the entry's site in a login window that signs in.
#[tauri::command]
pub fn open_login(app: AppHandle, id: String) -> Result<LoginOpen> {
    crate::login::start(&app, &id)
}

/// "Add to desktop": a launcher that opens this vault and signs in with the entry.
#[tauri::command]
pub fn add_to_desktop(app: AppHandle, state: State<'_, Shared>, id: String) -> Result<String> {
    let folder = tauri::Manager::path(&app).desktop_dir().map_err(|e| error(ErrorCode::Io, e))?;
    let program = std::env::current_exe().map_err(|e| error(ErrorCode::Io, e))?;
    session(&state).add_launcher(&id, &folder, &program).map(|p| p.display().to_string())
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
pub fn set_favourite(state: State<'_, Shared>, id: String, favourite: bool) -> Result<()> {
    session(&state).set_favourite(&id, favourite)
}

#[tauri::command]
pub fn purge_entry(state: State<'_, Shared>, id: String) -> Result<()> {
    session(&state).purge_entry(&id)
}

#[tauri::command]
pub fn empty_trash(state: State<'_, Shared>) -> Result<u32> {
    session(&state).empty_trash()
}

#[tauri::command]
pub fn restore_history(state: State<'_, Shared>, id: String, index: u32) -> Result<EntryDetail> {
    session(&state).restore_history(&id, index)
}

#[tauri::command]
pub fn generate_password(state: State<'_, Shared>, options: GeneratorOptions) -> Result<Generated> {
    session(&state).generate_password(options)
}

#[tauri::command]
pub fn generator_options(state: State<'_, Shared>) -> GeneratorOptions {
    session(&state).generator_options()
}

/// Raised to the company policy as far as the system's rules allow.
#[tauri::command]
pub fn generate_for_rules(state: State<'_, Shared>, rules: RulesView) -> Result<Generated> {
    session(&state).generate_for_rules_in_force(&rules)
}

#[tauri::command]
pub fn check_password(state: State<'_, Shared>, request: PasswordCheckRequest) -> Result<PasswordCheck> {
    session(&state).check_password(&request)
}

#[tauri::command]
pub fn totp_code(state: State<'_, Shared>, id: String) -> Result<TotpCode> {
    session(&state).totp_code(&id, session::session::unix_now())
}

#[tauri::command]
pub fn totp_qr(state: State<'_, Shared>, id: String) -> Result<QrView> {
    session(&state).totp_qr(&id)
}

#[tauri::command]
pub fn parse_totp(state: State<'_, Shared>, text: SecretText) -> Result<TotpPreview> {
    session(&state).parse_totp(text.expose())
}

/// Picks a picture with the system dialog and reads the QR code in it. `None`: cancelled.
/// The picture is decoded off the main thread and without the session's lock, so the window and
/// the other commands go on while a large screenshot is read.
#[tauri::command]
pub async fn import_totp_file(app: AppHandle, state: State<'_, Shared>) -> Result<Option<TotpPreview>> {
    session(&state).check_unlocked()?;
    let Some(path) = pick_image(&app) else { return Ok(None) };
    let bytes = zeroize::Zeroizing::new(session::session::read_image(&path)?);
    let totp = session::session::totp_from_image(&bytes)?;
    session(&state).hold_totp(totp).map(Some)
}

fn pick_image(app: &AppHandle) -> Option<PathBuf> {
    // WebDriver cannot drive the system dialog: the end-to-end build names the file instead.
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = std::env::var_os("CRM_VAULT_E2E_PICK") {
        return Some(PathBuf::from(path));
    }
    let picked =
        app.dialog().file().add_filter("Image", &["png", "jpg", "jpeg", "gif", "bmp", "webp"]).blocking_pick_file();
    picked.and_then(|p| p.into_path().ok())
}

/// Reads the QR code in the picture on the clipboard: `async`, so the clipboard read and the
/// decoding run off the main thread, and without the session's lock, like `import_totp_file`.
#[tauri::command]
pub async fn import_totp_clipboard(state: State<'_, Shared>) -> Result<TotpPreview> {
    session(&state).check_unlocked()?;
    let picture = crate::clipboard::picture()?;
    let totp = session::session::totp_from_picture(&picture)?;
    session(&state).hold_totp(totp)
}

/// Checks every password; with a breach list this reads it, so it runs off the main thread and
/// without holding the session.
#[tauri::command]
pub async fn security_report(state: State<'_, Shared>) -> Result<SecurityReport> {
    state.security_report(vault::Clock::now_ms(&vault::SystemClock), session::session::today())
}

#[tauri::command]
pub async fn choose_hibp_file(app: AppHandle, state: State<'_, Shared>) -> Result<AppState> {
    let picked = app.dialog().file().add_filter("Pwned Passwords (SHA-1)", &["txt"]).blocking_pick_file();
    let path = picked.and_then(|p| p.into_path().ok());
    let mut session = session(&state);
    if let Some(path) = path {
        session.set_hibp_file(Some(path))?;
    }
    Ok(session.state())
}

#[tauri::command]
pub fn clear_hibp_file(state: State<'_, Shared>) -> Result<AppState> {
    let mut session = session(&state);
    session.set_hibp_file(None)?;
    Ok(session.state())
}

/// The limits Rust enforces (master-password strength, settings and generator ranges), so the
/// page checks and shows the same ones.
#[tauri::command]
pub fn policy() -> session::view::Policy {
    session::policy::view()
}

#[tauri::command]
pub fn password_strength(password: SecretText, user_inputs: Vec<String>) -> Strength {
    session::tools::strength(password.expose(), &user_inputs)
}

#[tauri::command]
pub fn update_settings(app: AppHandle, state: State<'_, Shared>, settings: Settings) -> Result<AppState> {
    let shortcut = settings.autotype_shortcut.trim().to_owned();
    let changed = shortcut != session(&state).autotype_shortcut();
    if changed {
        crate::autotype::register(&app, &shortcut).map_err(|e| {
            error(ErrorCode::AutotypeShortcut, format!("the shortcut \"{shortcut}\" cannot be used: {e}"))
        })?;
    }
    session(&state).update_settings(settings)
}

/// "Auto-type": types the entry into `window` (picked in the chooser), or else into the window
/// the user was in before CRM Vault.
#[tauri::command]
pub fn auto_type(app: AppHandle, id: String, window: Option<u32>) -> Result<()> {
    crate::autotype::auto_type(&app, &id, window)
}

#[tauri::command]
pub async fn measure_kdf(choice: KdfChoice) -> Result<KdfCost> {
    session::tools::measure_kdf(choice)
}

#[tauri::command]
pub fn current_kdf(state: State<'_, Shared>) -> Result<KdfChoice> {
    session(&state).current_kdf()
}

#[tauri::command]
pub async fn change_master_password(
    state: State<'_, Shared>,
    current: SecretText,
    new: SecretText,
    kdf: Option<KdfChoice>,
) -> Result<()> {
    state.change_master_password(current.expose(), new.expose(), kdf)
}

#[tauri::command]
pub async fn set_quick_unlock(
    state: State<'_, Shared>,
    enabled: bool,
    hours: u32,
    pin: Option<String>,
) -> Result<AppState> {
    let pin = pin.map(zeroize::Zeroizing::new);
    state.set_quick_unlock(enabled, hours, pin.as_deref().map(String::as_str))
}

#[tauri::command]
pub async fn adopt_new_password(state: State<'_, Shared>, password: String) -> Result<SyncStatus> {
    state.adopt_new_password(&zeroize::Zeroizing::new(password))
}

#[tauri::command]
pub async fn preview_held_copy(
    state: State<'_, Shared>,
    name: String,
    password: Option<String>,
) -> Result<CopyPreview> {
    let password = password.map(zeroize::Zeroizing::new);
    state.preview_held_copy(&name, password.as_deref().map(String::as_str))
}

#[tauri::command]
pub async fn merge_held_copy(state: State<'_, Shared>, name: String, password: Option<String>) -> Result<SyncStatus> {
    let password = password.map(zeroize::Zeroizing::new);
    state.merge_held_copy(&name, password.as_deref().map(String::as_str))
}

#[tauri::command]
pub fn activity(state: State<'_, Shared>, filter: ActivityFilter) -> Result<ActivityPage> {
    session(&state).activity(&filter)
}

#[tauri::command]
pub fn entry_activity(state: State<'_, Shared>, id: String) -> Result<Vec<ActivityEvent>> {
    session(&state).entry_activity(&id)
}

#[tauri::command]
pub fn activity_devices(state: State<'_, Shared>) -> Result<Vec<ActivityDevice>> {
    session(&state).activity_devices()
}

#[tauri::command]
pub fn take_unlock_notices(state: State<'_, Shared>) -> Vec<UnlockNotice> {
    session(&state).take_unlock_notices()
}

#[tauri::command]
pub fn sync_status(state: State<'_, Shared>) -> SyncStatus {
    session(&state).sync_status()
}

/// Where to save a hand-over file. `None`: cancelled.
#[tauri::command]
pub async fn choose_handover_location(app: AppHandle) -> Option<String> {
    let dialog = app.dialog().file().add_filter("CRM Vault hand-over", &["crmhandover"]);
    let picked = dialog.set_file_name("handover.crmhandover").blocking_save_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

/// A hand-over file to receive. `None`: cancelled.
#[tauri::command]
pub async fn choose_handover_file(app: AppHandle) -> Option<String> {
    let picked = app.dialog().file().add_filter("CRM Vault hand-over", &["crmhandover"]).blocking_pick_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

#[tauri::command]
pub fn suggest_handover_passphrase(state: State<'_, Shared>) -> Result<String> {
    session(&state).suggest_handover_passphrase()
}

/// Runs Argon2id (the vault's settings), so off the main thread.
#[tauri::command]
pub async fn make_handover(
    state: State<'_, Shared>,
    ids: Vec<String>,
    to: String,
    hours: u32,
    passphrase: SecretText,
    path: String,
) -> Result<HandoverMade> {
    let lasts_ms = u64::from(hours) * 60 * 60 * 1000;
    session(&state).make_handover(&ids, &to, Some(lasts_ms), passphrase.expose(), &PathBuf::from(path))
}

#[tauri::command]
pub async fn hand_over_company_accounts(
    state: State<'_, Shared>,
    to: String,
    passphrase: SecretText,
    path: String,
) -> Result<HandoverMade> {
    session(&state).hand_over_company_accounts(&to, passphrase.expose(), &PathBuf::from(path))
}

#[tauri::command]
pub async fn receive_handover(
    state: State<'_, Shared>,
    path: String,
    passphrase: SecretText,
) -> Result<HandoverReceived> {
    session(&state).receive_handover(&PathBuf::from(path), passphrase.expose())
}

#[tauri::command]
pub fn given_handovers(state: State<'_, Shared>) -> Result<Vec<GivenHandover>> {
    session(&state).given_handovers()
}

#[tauri::command]
pub fn touch(state: State<'_, Shared>) {
    session(&state).touch();
}

/// The backup the last unlock offered for a damaged vault file.
#[tauri::command]
pub fn backup_offer(state: State<'_, Shared>) -> Option<BackupOffer> {
    session(&state).backup_offer()
}

#[tauri::command]
pub fn list_backups(state: State<'_, Shared>) -> Result<Vec<BackupView>> {
    session(&state).list_backups()
}

#[tauri::command]
pub fn restore_backup(state: State<'_, Shared>, name: String) -> Result<AppState> {
    session(&state).restore_backup(&name)
}

/// From the unlock screen of a damaged vault: the backup opens with the master password and
/// the vault is then open, as after an unlock.
#[tauri::command]
pub async fn restore_backup_at_unlock(
    app: AppHandle,
    state: State<'_, Shared>,
    name: String,
    password: SecretText,
) -> Result<AppState> {
    let state = state.restore_backup_with_password(&name, password.expose())?;
    crate::login::after_unlock(&app);
    Ok(state)
}

/// Tells the page the vault was locked, so it drops everything it shows.
pub fn announce_lock(app: &AppHandle, reason: &str) {
    let _ = app.emit("vault-locked", LockedEvent { reason: reason.to_owned() });
}

/// The company policy: what it sets, where it comes from, which settings it locks.
#[tauri::command]
pub fn company_policy(state: State<'_, Shared>) -> CompanyPolicyView {
    session(&state).company_policy_view()
}

/// The accounts list for IT: no secret.
#[tauri::command]
pub fn inventory(state: State<'_, Shared>) -> Result<Vec<InventoryRowView>> {
    session(&state).inventory()
}

/// Saves the accounts list as CSV where the user picks; the path, or `None` if cancelled.
#[tauri::command]
pub async fn save_inventory_csv(app: AppHandle, state: State<'_, Shared>) -> Result<Option<String>> {
    session(&state).check_unlocked()?;
    let Some(path) = pick_csv_destination(&app) else { return Ok(None) };
    session(&state).save_inventory_csv(&path)?;
    Ok(Some(path.display().to_string()))
}

fn pick_csv_destination(app: &AppHandle) -> Option<PathBuf> {
    // WebDriver cannot drive the system dialog: the end-to-end build names the file instead.
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = std::env::var_os("CRM_VAULT_E2E_SAVE_AS") {
        return Some(PathBuf::from(path));
    }
    let picked = app.dialog().file().add_filter("CSV", &["csv"]).set_file_name("accounts.csv").blocking_save_file();
    picked.and_then(|p| p.into_path().ok())
}

/// A file to import, or a KeePass key file. `None`: cancelled.
#[tauri::command]
pub async fn choose_import_file(app: AppHandle) -> Option<String> {
    pick_any_file(&app).map(|p| p.display().to_string())
}

fn pick_any_file(app: &AppHandle) -> Option<PathBuf> {
    // WebDriver cannot drive the system dialog: the end-to-end build names the file instead.
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = std::env::var_os("CRM_VAULT_E2E_PICK") {
        return Some(PathBuf::from(path));
    }
    // The format is told from the content, not the name: every file can be chosen.
    app.dialog().file().blocking_pick_file().and_then(|p| p.into_path().ok())
}

/// Reads the file off the main thread and without the session (a KeePass file's key derivation
/// takes seconds), telling the page `import-progress` {done, total} in bytes as it goes, then
/// holds it and answers what importing it would do.
#[tauri::command]
pub async fn preview_import(
    app: AppHandle,
    state: State<'_, Shared>,
    path: String,
    format: Option<String>,
    password: Option<SecretText>,
    key_file: Option<String>,
    keep_notes: bool,
) -> Result<ImportPreview> {
    session(&state).check_unlocked()?;
    let mut progress = session::session::throttled(|done, total| {
        let _ = app.emit("import-progress", ImportProgress { done, total });
    });
    let key_file = key_file.map(PathBuf::from);
    let read = session::session::read_import(
        &PathBuf::from(path),
        format.as_deref(),
        password.as_ref(),
        key_file.as_deref(),
        keep_notes,
        &mut progress,
    )?;
    session(&state).hold_import(read, keep_notes)
}

#[tauri::command]
pub fn apply_import(state: State<'_, Shared>, token: u32) -> Result<ImportDone> {
    session(&state).apply_import(token)
}

/// Where to write an export of `format` ("kdbx", "csv", "json"). `None`: cancelled.
#[tauri::command]
pub async fn choose_export_location(app: AppHandle, format: String) -> Option<String> {
    #[cfg(feature = "e2e-hooks")]
    if let Some(path) = std::env::var_os("CRM_VAULT_E2E_SAVE_AS") {
        return Some(PathBuf::from(path).display().to_string());
    }
    let name = session::session::export_file_name(&format);
    let dialog = app.dialog().file().add_filter(format.to_uppercase(), &[format.as_str()]);
    let picked = dialog.set_file_name(name.display().to_string()).blocking_save_file();
    picked.and_then(|p| p.into_path().ok()).map(|p| p.display().to_string())
}

/// Runs Argon2id for the encrypted formats (the vault's settings), so off the main thread.
#[tauri::command]
pub async fn export_vault(
    state: State<'_, Shared>,
    path: String,
    format: String,
    password: Option<SecretText>,
    plain_text_ok: bool,
) -> Result<ExportDone> {
    session(&state).export(&PathBuf::from(path), &format, password.as_ref(), plain_text_ok)
}
