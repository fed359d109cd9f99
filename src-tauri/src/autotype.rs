//! Auto-type: the global shortcut (Ctrl+Alt+A by default, as in KeePassXC) and the entry view's
//! "Auto-type", typed through XTest on a thread of its own. Which entry fits a window and what to
//! type are the session's rules; the typing is the `autotype` crate's.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use autotype::{AutoTypeError, TargetWindow, TypingSpeed, X11Typist};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::commands::{Shared, session};
use session::error::{ErrorCode, error};
use session::view::AutoTypeCandidate;
use session::view::IpcError;

/// Auto-type's state in the app: the window the user worked in before ours, and the typing's
/// cancel flag (set by a lock).
#[derive(Default)]
pub struct AutoType {
    /// The last window of another program that had the focus: where the entry view's
    /// "Auto-type" types.
    previous: Mutex<Option<TargetWindow>>,
    cancel: AtomicBool,
    typing: AtomicBool,
}

/// Several entries fit the window: the main window asks which.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Choose {
    window: u32,
    window_title: String,
    candidates: Vec<AutoTypeCandidate>,
}

/// How an auto-type ended, for the main window.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Typed {
    entry_id: String,
    window_title: String,
    /// `None` when everything was typed.
    error: Option<IpcError>,
}

fn now_ms() -> u64 {
    vault::Clock::now_ms(&vault::SystemClock)
}

/// Registers the shortcut and starts following the focused window. Without X11 nothing is
/// registered: auto-type then answers with the reason when asked.
pub fn setup(app: &AppHandle) {
    app.manage(AutoType::default());
    let shortcut = session(&app.state::<Shared>()).autotype_shortcut();
    if let Err(e) = register(app, &shortcut) {
        eprintln!("auto-type: the shortcut {shortcut} could not be registered: {e}");
    }
    follow_focus(app.clone());
}

/// Makes `shortcut` ("Ctrl+Alt+A") the auto-type shortcut, replacing the one before.
pub fn register(app: &AppHandle, shortcut: &str) -> Result<(), String> {
    let parsed: Shortcut = shortcut.parse().map_err(|e| format!("{e}"))?;
    let shortcuts = app.global_shortcut();
    let _ = shortcuts.unregister_all();
    shortcuts
        .on_shortcut(parsed, |app, _shortcut, event| {
            if event.state() == ShortcutState::Pressed {
                let app = app.clone();
                std::thread::spawn(move || on_shortcut(&app));
            }
        })
        .map_err(|e| e.to_string())
}

/// Remembers every second which other program's window has the focus.
fn follow_focus(app: AppHandle) {
    std::thread::spawn(move || {
        let Ok(typist) = X11Typist::connect() else { return };
        let me = std::process::id();
        loop {
            if let Ok(Some(window)) = typist.active_window()
                && window.pid != Some(me)
            {
                *app.state::<AutoType>().previous.lock().unwrap() = Some(window);
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
}

fn typist() -> Result<X11Typist, IpcError> {
    X11Typist::connect().map_err(|e| match e {
        AutoTypeError::WaylandOnly | AutoTypeError::NoDisplay => error(ErrorCode::AutotypeNeedsX11, e),
        other => error(ErrorCode::AutotypeFailed, other),
    })
}

/// The shortcut: the entry that fits the focused window is typed at once; several fitting open
/// a chooser in the main window; none opens the search there.
fn on_shortcut(app: &AppHandle) {
    let outcome = (|| -> Result<(), IpcError> {
        let typist = typist()?;
        let Some(window) = typist.active_window().map_err(|e| error(ErrorCode::AutotypeFailed, e))? else {
            return Ok(());
        };
        if window.pid == Some(std::process::id()) {
            return Ok(());
        }
        let candidates = session(&app.state::<Shared>()).autotype_candidates(&window.title);
        let candidates = match candidates {
            Ok(candidates) => candidates,
            Err(e) if e.code == ErrorCode::Locked => {
                crate::window::show_main(app);
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        match candidates.as_slice() {
            [one] => type_into(app, &typist, &window, &one.id),
            [] => {
                crate::window::show_main(app);
                let _ = app.emit_to("main", "autotype-search", window.title.clone());
                Ok(())
            }
            _ => {
                crate::window::show_main(app);
                let choose = Choose { window: window.id, window_title: window.title.clone(), candidates };
                let _ = app.emit_to("main", "autotype-choose", choose);
                Ok(())
            }
        }
    })();
    if let Err(error) = outcome {
        let _ = app.emit_to(
            "main",
            "autotype-done",
            Typed { entry_id: String::new(), window_title: String::new(), error: Some(error) },
        );
    }
}

/// "Auto-type" from the main window: into `window` (the chooser's) or else the window the user
/// was in before CRM Vault.
pub fn auto_type(app: &AppHandle, id: &str, window: Option<u32>) -> Result<(), IpcError> {
    session(&app.state::<Shared>()).check_unlocked()?;
    let typist = typist()?;
    let target = match window {
        Some(id) => TargetWindow { id, title: String::new(), pid: None },
        None => app.state::<AutoType>().previous.lock().unwrap().clone().ok_or_else(|| {
            error(ErrorCode::AutotypeNoWindow, "no other program's window had the focus before CRM Vault")
        })?,
    };
    let app = app.clone();
    let id = id.to_owned();
    std::thread::spawn(move || {
        let target = typist.window(target.id).unwrap_or(target);
        let outcome = type_into(&app, &typist, &target, &id);
        if let Err(error) = outcome {
            let _ = app.emit_to(
                "main",
                "autotype-done",
                Typed { entry_id: id, window_title: target.title, error: Some(error) },
            );
        }
    });
    Ok(())
}

/// Gives `window` the focus and types the entry's sequence into it; records how it went.
fn type_into(app: &AppHandle, typist: &X11Typist, window: &TargetWindow, id: &str) -> Result<(), IpcError> {
    let state = app.state::<AutoType>();
    if state.typing.swap(true, Ordering::SeqCst) {
        return Err(error(ErrorCode::Busy, "auto-type is already typing"));
    }
    state.cancel.store(false, Ordering::SeqCst);
    let result = (|| {
        let (keystrokes, speed) = {
            let shared = app.state::<Shared>();
            let session = session(&shared);
            (session.autotype_keystrokes(id, now_ms())?, session.autotype_key_delay_ms())
        };
        typist.activate(window.id).map_err(|e| error(ErrorCode::AutotypeFailed, e))?;
        typist.type_keystrokes(window.id, &keystrokes, TypingSpeed::new(speed), &state.cancel).map_err(|e| match e {
            AutoTypeError::FocusMoved => error(ErrorCode::AutotypeFocusMoved, e),
            other => error(ErrorCode::AutotypeFailed, other),
        })
    })();
    state.typing.store(false, Ordering::SeqCst);
    let outcome = match &result {
        Ok(()) => "typed".to_owned(),
        Err(e) => serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
    };
    session(&app.state::<Shared>()).record_autotype(id, &window.title, &outcome, now_ms());
    let typed = Typed { entry_id: id.to_owned(), window_title: window.title.clone(), error: result.clone().err() };
    let _ = app.emit_to("main", "autotype-done", typed);
    result
}

/// A lock stops typing at the next key.
pub fn cancel(app: &AppHandle) {
    if let Some(state) = app.try_state::<AutoType>() {
        state.cancel.store(true, Ordering::SeqCst);
    }
}
