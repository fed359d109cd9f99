//! The main window, locked to the app's own pages, and the tray icon.

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};

use crate::commands::{Shared, session};

pub fn create_main(app: &AppHandle, levers: crate::memory::Levers) -> tauri::Result<()> {
    let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("CRM Vault")
        .inner_size(1100.0, 720.0)
        .min_inner_size(720.0, 480.0)
        // The page may never leave the app: a link in a note opens in the browser through
        // `open_url`, never inside the window that can call the vault's commands.
        .on_navigation(is_app_url)
        .build()?;
    crate::memory::on_main_webview(levers, &window);
    let handle = app.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::Resized(_) = event {
            let minimised = handle.get_webview_window("main").and_then(|w| w.is_minimized().ok()).unwrap_or(false);
            if minimised && session(&handle.state::<Shared>()).lock_on_minimise() {
                crate::lock_now(&handle, "minimise");
            }
        }
    });
    Ok(())
}

fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => {
            let host = url.host_str().unwrap_or_default();
            host == "tauri.localhost" || (cfg!(debug_assertions) && host == "localhost" && url.port() == Some(1420))
        }
        _ => false,
    }
}

pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A tray icon with Lock and Quit, in the user's language.
pub fn create_tray(app: &AppHandle) -> tauri::Result<()> {
    let chinese = std::env::var("LANG").unwrap_or_default().starts_with("zh");
    let (lock_text, quit_text) = if chinese { ("锁定", "退出") } else { ("Lock", "Quit") };
    let lock = MenuItem::with_id(app, "lock", lock_text, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit_text, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&lock, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main").tooltip("CRM Vault").menu(&menu).on_menu_event(|app, event| {
        match event.id().as_ref() {
            "lock" => crate::lock_now(app, "tray"),
            "quit" => app.exit(0),
            _ => {}
        }
    });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}
