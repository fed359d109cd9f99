//! Locks the vault when the screen locks or the computer goes to sleep, where the desktop says
//! so over D-Bus: logind's Lock and PrepareForSleep on the system bus, the freedesktop and GNOME
//! screensaver's ActiveChanged on the session bus. Without those buses nothing happens; the
//! idle timer still applies.

use tauri::AppHandle;
use zbus::blocking::{Connection, MessageIterator};
use zbus::{MatchRule, message::Type};

/// (bus, interface, member, whether the signal carries a "true" flag that must be set)
const SIGNALS: &[(Bus, &str, &str, bool)] = &[
    (Bus::System, "org.freedesktop.login1.Session", "Lock", false),
    (Bus::System, "org.freedesktop.login1.Manager", "PrepareForSleep", true),
    (Bus::Session, "org.freedesktop.ScreenSaver", "ActiveChanged", true),
    (Bus::Session, "org.gnome.ScreenSaver", "ActiveChanged", true),
];

#[derive(Clone, Copy)]
enum Bus {
    System,
    Session,
}

pub fn watch(app: &AppHandle) {
    for &(bus, interface, member, needs_true) in SIGNALS {
        let app = app.clone();
        std::thread::spawn(move || {
            // An error means no such bus here (a headless session, another OS): nothing to watch.
            let _ = listen(&app, bus, interface, member, needs_true);
        });
    }
}

fn listen(app: &AppHandle, bus: Bus, interface: &str, member: &str, needs_true: bool) -> zbus::Result<()> {
    let connection = match bus {
        Bus::System => Connection::system()?,
        Bus::Session => Connection::session()?,
    };
    let rule = MatchRule::builder().msg_type(Type::Signal).interface(interface)?.member(member)?.build();
    for message in MessageIterator::for_match_rule(rule, &connection, None)? {
        let message = message?;
        let active = !needs_true || message.body().deserialize::<bool>().unwrap_or(false);
        if active {
            crate::lock_now(app, "screen");
        }
    }
    Ok(())
}
