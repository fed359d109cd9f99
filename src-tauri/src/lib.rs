//! CRM Vault's desktop shell: windows, tray, timers and the clipboard around the vault library.
//! Rules live in the library; this crate only wires them to Tauri.

mod autotype;
mod clipboard;
mod commands;
mod ipc;
mod keyring;
mod launch;
mod login;
mod memory;
mod screen;
mod window;

use std::path::PathBuf;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, RunEvent};

use commands::{Shared, session};

pub fn run() {
    // Before anything else, while this is the only thread: WebKit's and the allocator's settings.
    let levers = memory::before_start();
    // `--help` and mistakes in the arguments are answered before any window opens.
    let launch = launch::Launch::from_command_line();
    let mut builder = tauri::Builder::default();
    // One window per settings folder: a second start brings the first window forward. A start
    // with its own settings folder (CRM_VAULT_CONFIG_DIR: a portable install, or a second
    // "laptop" in the sync tests) is its own instance.
    if std::env::var_os("CRM_VAULT_CONFIG_DIR").is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            window::show_main(app);
            // A second start's `--vault` and `--login` are done by this, the running instance.
            match launch::Launch::from_forwarded(&args, &cwd) {
                Ok(launch) => launch.carry_out(app),
                Err(message) => {
                    let _ = app.emit_to("main", "launch-failed", message);
                }
            }
        }));
    }
    let app = builder
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .setup(move |app| {
            let (config, data) = folders(app.handle())?;
            let clipboard = session::clipboard::Clipboard::new(Box::new(clipboard::SystemClipboard::default()));
            let session = session::Session::new(config, data, keyring::OsKeyring::connect()).with_clipboard(clipboard);
            app.manage::<Shared>(session::shared::SharedSession::new(session));
            app.manage(login::Titles::default());
            autotype::setup(app.handle());
            window::create_main(app.handle(), levers)?;
            launch.carry_out(app.handle());
            window::create_tray(app.handle())?;
            watch_idle(app.handle().clone());
            watch_vault_file(app.handle().clone());
            screen::watch(app.handle());
            Ok(())
        })
        // Every command, listed once in `ipc.rs` (which also writes the page's typed calls).
        .invoke_handler(ipc::handler())
        .build(tauri::generate_context!())
        .expect("the app's configuration is valid");
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Quitting must not leave a password on the clipboard.
            session(&handle.state::<Shared>()).clipboard.clear_if_ours();
        }
    });
}

/// This device's settings folder and the folder for a new vault: the same ones the
/// `crm-vault` command line uses. `CRM_VAULT_CONFIG_DIR` moves the settings (portable installs,
/// and tests that run two "laptops" side by side).
fn folders(app: &AppHandle) -> tauri::Result<(PathBuf, PathBuf)> {
    let config = match std::env::var_os("CRM_VAULT_CONFIG_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app.path().config_dir()?.join("crm-vault"),
    };
    Ok((config, app.path().data_dir()?.join("crm-vault")))
}

/// Locks the vault if it is open and tells the page why.
pub(crate) fn lock_now(app: &AppHandle, reason: &str) {
    let (was_open, close_logins) = {
        let state = app.state::<Shared>();
        let mut session = session(&state);
        (session.lock(), session.close_logins_on_lock())
    };
    autotype::cancel(app);
    if was_open {
        commands::announce_lock(app, reason);
    }
    if close_logins {
        login::close_all(app);
    }
}

/// Clears the clipboard after `seconds`, if it still holds copy `generation`.
pub(crate) fn clear_clipboard_later(app: AppHandle, generation: u64, seconds: u64) {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(seconds));
        let cleared = session(&app.state::<Shared>()).clipboard.clear_if(generation);
        if cleared {
            let _ = app.emit("clipboard-cleared", ());
        }
    });
}

/// Looks at the vault file every second and merges what other laptops saved (see `app/sync.rs`).
fn watch_vault_file(app: AppHandle) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let now_ms = vault::Clock::now_ms(&vault::SystemClock);
            let news = session(&app.state::<Shared>()).sync_tick(now_ms);
            if let Some((news, status)) = news {
                let _ = app.emit("vault-synced", session::view::SyncEvent { news, status });
            }
        }
    });
}

/// Locks after the idle time in the vault's settings.
fn watch_idle(app: AppHandle) {
    let override_secs = std::env::var("CRM_VAULT_IDLE_LOCK_SECONDS").ok().and_then(|s| s.parse().ok());
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let expired = session(&app.state::<Shared>()).idle_expired(override_secs);
            if expired {
                lock_now(&app, "idle");
            }
        }
    });
}
