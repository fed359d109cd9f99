//! The login window: an entry's CRM site in a window of its own, signed in by the session's fill
//! loop (`session::login`). This file only runs the loop's ticks and the window's chrome.
//!
//! The window shows someone else's page, so it gets nothing of the app: no capability names a
//! `login-*` label (its IPC calls are refused), no events are sent to it, and the entry's values
//! reach it only inside the script the session builds after the origin checks of that tick.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::webview::{DownloadEvent, NewWindowResponse};
use tauri::{AppHandle, Emitter, Manager, Url, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::commands::{Shared, session};
use session::login::{TICK_MS, Tick};
use session::view::{LoginOpen, LoginStatus};

/// What each login window shows in its title: the page's own title, and the login's status.
#[derive(Default)]
pub struct Titles(Mutex<HashMap<String, (String, Option<String>)>>);

fn now_ms() -> u64 {
    vault::Clock::now_ms(&vault::SystemClock)
}

/// Signs in with the entry `reference` names: opens its login window. Errors reach the main
/// window as a `login-failed` event (the command that asked also gets them).
pub fn start(app: &AppHandle, reference: &str) -> session::error::Result<LoginOpen> {
    let open = session(&app.state::<Shared>()).start_login(reference, now_ms())?;
    open_window(app, &open, true).map_err(|e| session::error::error(session::error::ErrorCode::Io, e))?;
    Ok(open)
}

/// After an unlock: the sign-in `--login` asked for while the vault was locked.
pub fn after_unlock(app: &AppHandle) {
    let pending = session(&app.state::<Shared>()).take_pending_login();
    if let Some(reference) = pending {
        report_failure(app, start(app, &reference).map(|_| ()));
    }
}

pub fn report_failure(app: &AppHandle, result: session::error::Result<()>) {
    if let Err(error) = result {
        let _ = app.emit_to("main", "login-failed", error);
    }
}

/// Cookies and site data of the login windows, one store per vault, so the CRM's "remember this
/// device" holds for this vault's windows and no other's.
fn site_data_folder(app: &AppHandle) -> PathBuf {
    let state = session(&app.state::<Shared>()).state();
    let vault = state.vault_path.unwrap_or_default();
    let digest = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(vault.as_bytes()));
    let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let base = app.path().app_local_data_dir().unwrap_or_else(|_| std::env::temp_dir().join("crm-vault"));
    base.join("sites").join(name)
}

fn open_window(app: &AppHandle, open: &LoginOpen, fill: bool) -> tauri::Result<WebviewWindow> {
    let url: Url = open.url.parse().map_err(|e| std::io::Error::other(format!("the entry's address: {e}")))?;
    open_site(app, &format!("login-{}", open.window), &open.title, url, fill.then_some(open.window))
}

/// A window on `url`; `login` is the login to drive in it, `None` for a further window of the
/// same site (a link that opens a new window), which is never filled.
fn open_site(app: &AppHandle, label: &str, title: &str, url: Url, login: Option<u32>) -> tauri::Result<WebviewWindow> {
    let handle = app.clone();
    let downloads = app.clone();
    let window = WebviewWindowBuilder::new(app, label, WebviewUrl::External(url))
        .title(title)
        .inner_size(1100.0, 760.0)
        .data_directory(site_data_folder(app))
        .on_navigation(is_web_page)
        .menu(menu(app)?)
        .on_document_title_changed(|window, title| {
            let titles = window.app_handle().state::<Titles>();
            titles.0.lock().unwrap().entry(window.label().to_owned()).or_default().0 = title;
            show_title(&window);
        })
        .on_new_window(move |url, _features| {
            new_window(&handle, url);
            NewWindowResponse::Deny
        })
        .on_download(move |_webview, event| download(&downloads, event))
        .build()?;
    window.on_menu_event(|window, event| menu_action(window, event.id().as_ref()));
    let app = app.clone();
    let label_owned = label.to_owned();
    window.on_window_event(move |event| {
        if let WindowEvent::Destroyed = event {
            app.state::<Titles>().0.lock().unwrap().remove(&label_owned);
            if let Some(login) = login {
                session(&app.state::<Shared>()).close_login(login, now_ms());
            }
        }
    });
    if let Some(login) = login {
        drive(window.clone(), login);
    }
    Ok(window)
}

/// Where a login window may go: web pages and the documents pages make for themselves. Never the
/// app's own pages (`tauri:`) or local files, which a CRM page could otherwise open in a window
/// that is not the app's.
fn is_web_page(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "about" | "blob" | "data")
}

/// The fill loop of one window: a tick every `TICK_MS` until the session says it is over.
fn drive(window: WebviewWindow, login: u32) {
    std::thread::spawn(move || {
        let app = window.app_handle().clone();
        let mut last: Option<LoginStatus> = None;
        loop {
            std::thread::sleep(Duration::from_millis(TICK_MS));
            // Closed: the window's Destroyed handler has ended the login.
            let Some(window) = app.get_webview_window(window.label()) else { break };
            let page = window.url().map(|u| u.to_string()).unwrap_or_default();
            let tick = session(&app.state::<Shared>()).login_tick(login, &page, now_ms());
            announce(&app, &window, login, &mut last);
            match tick {
                Tick::Fill(script) => {
                    let answer_app = app.clone();
                    let _ = window.eval_with_callback(script.as_str(), move |answer| {
                        session(&answer_app.state::<Shared>()).login_report(login, &answer, now_ms());
                    });
                }
                Tick::AskPlainHttp(origin) => {
                    let accepted = ask_plain_http(&app, &window, &origin.to_string());
                    session(&app.state::<Shared>()).confirm_plain_http(login, origin, accepted);
                }
                Tick::Wait => {}
                Tick::Done => {
                    announce(&app, &window, login, &mut last);
                    break;
                }
            }
        }
    });
}

/// Tells the main window where the login stands when that changed, and puts a refusal in the
/// login window's title.
fn announce(app: &AppHandle, window: &WebviewWindow, login: u32, last: &mut Option<LoginStatus>) {
    let status = session(&app.state::<Shared>()).login_status(login);
    let Some(status) = status else { return };
    if last.as_ref() == Some(&status) {
        return;
    }
    let message = status.not_filled.as_ref().map(|n| n.message.clone());
    app.state::<Titles>().0.lock().unwrap().entry(window.label().to_owned()).or_default().1 = message;
    show_title(window);
    let _ = app.emit_to("main", "login-status", status.clone());
    *last = Some(status);
}

/// "Page title — origin", and why the page was not filled when it was not.
fn show_title(window: &WebviewWindow) {
    let titles = window.app_handle().state::<Titles>();
    let (page_title, refusal) = titles.0.lock().unwrap().get(window.label()).cloned().unwrap_or_default();
    let origin = window.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    let mut title = if page_title.trim().is_empty() { origin.clone() } else { format!("{page_title} — {origin}") };
    if let Some(refusal) = refusal {
        title = format!("{title} — {refusal}");
    }
    let _ = window.set_title(&title);
}

fn ask_plain_http(app: &AppHandle, window: &WebviewWindow, origin: &str) -> bool {
    app.dialog()
        .message(format!(
            "{origin} uses plain http: the user name and password would cross the network unencrypted, \
             readable by anyone on it. Fill them anyway?"
        ))
        .title("Fill over plain http?")
        .kind(MessageDialogKind::Warning)
        .parent(window)
        .buttons(MessageDialogButtons::OkCancelCustom("Fill anyway".into(), "Do not fill".into()))
        .blocking_show()
}

/// A link that opens a new window: the same site opens in another CRM Vault window (never
/// filled), any other site in the user's browser.
fn new_window(app: &AppHandle, url: Url) {
    let same_site = app
        .webview_windows()
        .iter()
        .filter(|(label, _)| label.starts_with("login-") || label.starts_with("site-"))
        .any(|(_, w)| w.url().is_ok_and(|u| u.origin() == url.origin()));
    if same_site {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let label = format!("site-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let title = url.origin().ascii_serialization();
        let app = app.clone();
        // Not from inside the web view's own callback: building a window there can deadlock GTK.
        let _ = app.clone().run_on_main_thread(move || {
            let _ = open_site(&app, &label, &title, url, None);
        });
    } else if matches!(url.scheme(), "http" | "https" | "mailto") {
        let _ = tauri_plugin_opener::OpenerExt::opener(app).open_url(url.as_str(), None::<&str>);
    }
}

/// Downloads go to the Downloads folder, under a name not taken yet; the main window says where.
fn download(app: &AppHandle, event: DownloadEvent<'_>) -> bool {
    match event {
        DownloadEvent::Requested { url, destination } => {
            let folder = app.path().download_dir().unwrap_or_else(|_| std::env::temp_dir());
            let name = destination
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .or_else(|| url.path_segments().and_then(|mut s| s.next_back()).map(str::to_owned))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "download".into());
            *destination = free_name(&folder, &name);
            true
        }
        DownloadEvent::Finished { path, success, .. } => {
            let path = path.map(|p| p.display().to_string());
            let _ = app.emit_to("main", "download-finished", serde_json::json!({ "path": path, "success": success }));
            true
        }
        _ => true,
    }
}

/// `name` in `folder`, or `name (2)`, `name (3)`... if taken.
fn free_name(folder: &std::path::Path, name: &str) -> PathBuf {
    let candidate = folder.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let path = std::path::Path::new(name);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    (2..).map(|n| folder.join(format!("{stem} ({n}){extension}"))).find(|p| !p.exists()).unwrap_or(candidate)
}

/// Back, forward, reload and zoom, with the usual keys; the page's origin is in the title.
fn menu(app: &AppHandle) -> tauri::Result<Menu<tauri::Wry>> {
    let chinese = std::env::var("LANG").unwrap_or_default().starts_with("zh");
    let t = |en: &'static str, zh: &'static str| if chinese { zh } else { en };
    let item = |id: &str, text: &str, keys: &str| MenuItem::with_id(app, id, text, true, Some(keys));
    let page = Submenu::with_items(
        app,
        t("Page", "页面"),
        true,
        &[
            &item("back", t("Back", "后退"), "Alt+Left")?,
            &item("forward", t("Forward", "前进"), "Alt+Right")?,
            &item("reload", t("Reload", "刷新"), "CmdOrCtrl+R")?,
            &PredefinedMenuItem::separator(app)?,
            &item("zoom-in", t("Zoom in", "放大"), "CmdOrCtrl+=")?,
            &item("zoom-out", t("Zoom out", "缩小"), "CmdOrCtrl+-")?,
            &item("zoom-reset", t("Actual size", "实际大小"), "CmdOrCtrl+0")?,
            &PredefinedMenuItem::separator(app)?,
            &item("browser", t("Open in browser", "在浏览器中打开"), "CmdOrCtrl+Shift+O")?,
            &item("close", t("Close", "关闭"), "CmdOrCtrl+W")?,
        ],
    )?;
    Menu::with_items(app, &[&page])
}

/// Each window's zoom, by label.
static ZOOM: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

fn menu_action(window: &tauri::Window, id: &str) {
    let Some(webview) = window.app_handle().get_webview_window(window.label()) else { return };
    let zoom = |change: fn(f64) -> f64| {
        let mut zooms = ZOOM.lock().unwrap();
        let level = match zooms.iter_mut().find(|(label, _)| label == window.label()) {
            Some((_, level)) => level,
            None => {
                zooms.push((window.label().to_owned(), 1.0));
                &mut zooms.last_mut().expect("just pushed").1
            }
        };
        *level = change(*level).clamp(0.3, 3.0);
        let _ = webview.set_zoom(*level);
    };
    match id {
        "back" => {
            let _ = webview.eval("history.back()");
        }
        "forward" => {
            let _ = webview.eval("history.forward()");
        }
        "reload" => {
            let _ = webview.reload();
        }
        "zoom-in" => zoom(|z| z * 1.1),
        "zoom-out" => zoom(|z| z / 1.1),
        "zoom-reset" => zoom(|_| 1.0),
        "browser" => {
            if let Ok(url) = webview.url() {
                let _ =
                    tauri_plugin_opener::OpenerExt::opener(window.app_handle()).open_url(url.as_str(), None::<&str>);
            }
        }
        "close" => {
            let _ = webview.close();
        }
        _ => {}
    }
}

/// Closes every login window (the setting "close login windows when the vault locks").
pub fn close_all(app: &AppHandle) {
    for (label, window) in app.webview_windows() {
        if label.starts_with("login-") || label.starts_with("site-") {
            let _ = window.close();
        }
    }
}
