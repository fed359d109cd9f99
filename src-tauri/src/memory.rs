//! Settings that keep the app's memory down (issue 14; figures in docs/PERFORMANCE.md, "Desktop
//! app"). Most of the app's memory is WebKit's, and most of WebKit's settings that matter here
//! are read from the environment when GTK and WebKit start, or are inherited by WebKit's web and
//! network processes from ours: so `before_start` runs first thing in `main`, before any thread.
//!
//! Each setting is a "lever" that can be switched on or off alone, so that `scripts/measure-app`
//! can measure each one with the same binary: `CRM_VAULT_MEMORY_LEVERS` is a comma-separated list
//! of levers to apply (`none` for none, `all` for all); without it the app applies [`KEPT`].
//! That variable is for measuring; a user who wants WebKit's compositing whatever the renderer
//! sets `CRM_VAULT_COMPOSITING=on` (or `off` to force it off, `auto` is the default).

use std::ffi::OsString;
use std::path::Path;

/// One setting that can be measured alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lever {
    /// WebKit's accelerated compositing off when rendering would be in software anyway.
    Compositing,
    /// At most two glibc malloc arenas in the app process and in WebKit's processes.
    Arenas,
    /// WebKit's "document viewer" cache model: no memory cache of pages and resources.
    Cache,
    /// glibc's mmap threshold fixed at 128 KiB: large buffers go back to the system when freed.
    Trim,
}

impl Lever {
    const ALL: [Lever; 4] = [Lever::Compositing, Lever::Arenas, Lever::Cache, Lever::Trim];

    fn name(self) -> &'static str {
        match self {
            Lever::Compositing => "compositing",
            Lever::Arenas => "arenas",
            Lever::Cache => "cache",
            Lever::Trim => "trim",
        }
    }
}

/// The levers that paid for themselves in the measurements (docs/PERFORMANCE.md, "Memory
/// levers"). The cache model saved nothing measurable (the app loads a handful of its own
/// files) and would only make the login windows' sites load slower, so it is not kept.
pub const KEPT: &[Lever] = &[Lever::Compositing, Lever::Arenas, Lever::Trim];

/// The levers in effect for this run of the app.
#[derive(Debug, Clone, Copy, Default)]
pub struct Levers {
    compositing: bool,
    arenas: bool,
    cache: bool,
    trim: bool,
}

impl Levers {
    fn from_list(list: &[Lever]) -> Levers {
        Levers {
            compositing: list.contains(&Lever::Compositing),
            arenas: list.contains(&Lever::Arenas),
            cache: list.contains(&Lever::Cache),
            trim: list.contains(&Lever::Trim),
        }
    }

    /// `CRM_VAULT_MEMORY_LEVERS` read as a list of lever names; unknown names are ignored.
    fn parse(spec: &str) -> Levers {
        let spec = spec.trim();
        if spec == "all" {
            return Levers::from_list(&Lever::ALL);
        }
        let list: Vec<Lever> = spec
            .split(',')
            .filter_map(|name| Lever::ALL.into_iter().find(|lever| lever.name() == name.trim()))
            .collect();
        Levers::from_list(&list)
    }

    fn from_env() -> Levers {
        match std::env::var("CRM_VAULT_MEMORY_LEVERS") {
            Ok(spec) => Levers::parse(&spec),
            Err(_) => Levers::from_list(KEPT),
        }
    }
}

/// Whether WebKit's accelerated compositing is to be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compositing {
    /// The user's `CRM_VAULT_COMPOSITING=on`, or a GPU is there: WebKit decides.
    Keep,
    /// Rendering is in software (or the user said `off`): compositing off.
    Off,
}

/// What decides compositing: the user's word first, then whether a GPU can render.
fn compositing(user: Option<&str>, software: impl FnOnce() -> bool) -> Compositing {
    match user.map(str::trim) {
        Some("on") => Compositing::Keep,
        Some("off") => Compositing::Off,
        _ if software() => Compositing::Off,
        _ => Compositing::Keep,
    }
}

/// Whether OpenGL would be drawn in software (Mesa's llvmpipe or softpipe) here.
///
/// Cheap and without loading any GL library: Mesa renders in software when told to
/// (`LIBGL_ALWAYS_SOFTWARE`, `GALLIUM_DRIVER=llvmpipe|softpipe`) or when no GPU is reachable,
/// that is when there is no DRM render node (`/dev/dri/renderD*`: a VM or container without a
/// virtual GPU, a remote session without device access). What it does not see: a render node of
/// a virtual GPU without 3D (a VM's plain display adapter) on which Mesa still falls back to
/// llvmpipe; there compositing stays on, as before, and `CRM_VAULT_COMPOSITING=off` turns it off.
fn software_rendering(var: impl Fn(&str) -> Option<OsString>, dri: &Path) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    if set("LIBGL_ALWAYS_SOFTWARE") {
        return true;
    }
    if var("GALLIUM_DRIVER").is_some_and(|v| v == "llvmpipe" || v == "softpipe" || v == "swrast") {
        return true;
    }
    let render_node = std::fs::read_dir(dri)
        .is_ok_and(|entries| entries.flatten().any(|entry| entry.file_name().to_string_lossy().starts_with("renderD")));
    !render_node
}

/// The allocator and WebKit settings that must be in place before GTK, WebKit or any other
/// thread starts. Call first thing in `main`.
pub fn before_start() -> Levers {
    let levers = Levers::from_env();
    if levers.arenas {
        limit_arenas();
    }
    if levers.trim {
        fix_mmap_threshold();
    }
    // WebKitGTK's variable; elsewhere there is no /dev/dri to look at and nothing to switch.
    if cfg!(target_os = "linux") && levers.compositing && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        let user = std::env::var("CRM_VAULT_COMPOSITING").ok();
        let decision =
            compositing(user.as_deref(), || software_rendering(|name| std::env::var_os(name), Path::new("/dev/dri")));
        if decision == Compositing::Off {
            set_env_for_webkit("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        }
    }
    levers
}

/// glibc gives each thread that allocates an arena of its own (up to 8 per core), and keeps
/// what was freed in each; a GTK/WebKit app has dozens of threads. Two arenas are plenty for the
/// app's work.
fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    set_malloc(libc::M_ARENA_MAX, "MALLOC_ARENA_MAX", 2);
}

/// glibc serves a large allocation with its own mmap, unmapped when freed, but after such a
/// buffer is freed it raises that threshold to the buffer's size (up to 32 MiB): later buffers of
/// that size come from the heap and stay there once freed. Unlocking and listing 10,000 entries
/// goes through buffers of megabytes (the decrypted vault, the list's JSON for the page), so the
/// app process kept tens of MiB it no longer used. A fixed threshold (which also fixes the trim
/// threshold) gives them back; the cost is an mmap and munmap per large buffer.
fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    set_malloc(libc::M_MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_", 128 * 1024);
}

/// Sets a glibc malloc parameter twice: with `mallopt` for this process (glibc read its
/// variables before `main`, so setting one now would not reach us), and as the variable `name`
/// for WebKit's processes, which inherit it (unless the user set it already).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_malloc(param: i32, name: &str, value: i32) {
    // SAFETY: mallopt only changes a malloc parameter; called before any other thread exists.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(param, value);
    }
    if std::env::var_os(name).is_none() {
        set_env_for_webkit(name, &value.to_string());
    }
}

/// Sets a variable in our environment, read by GTK and WebKit in this process and inherited by
/// the processes WebKit starts.
fn set_env_for_webkit(name: &str, value: &str) {
    // SAFETY: called only from `before_start`, first thing in `main`, before any other thread
    // exists that could read the environment at the same time.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(name, value);
    }
}

/// Settings of the main window's WebKit view, once it exists.
pub fn on_main_webview(levers: Levers, window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    if levers.cache {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            // The app shows its own few pages: no memory cache of pages and resources to keep,
            // and the login windows' sites are loaded once per sign-in.
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (levers, window);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levers_are_read_from_a_list() {
        let none = Levers::parse("none");
        assert!(!none.compositing && !none.arenas && !none.cache && !none.trim);
        let one = Levers::parse("cache");
        assert!(one.cache && !one.compositing && !one.arenas);
        let two = Levers::parse(" arenas , compositing,unknown");
        assert!(two.arenas && two.compositing && !two.cache);
        let all = Levers::parse("all");
        assert!(all.arenas && all.compositing && all.cache && all.trim);
    }

    #[test]
    fn the_user_decides_compositing_first() {
        assert_eq!(compositing(Some("on"), || true), Compositing::Keep);
        assert_eq!(compositing(Some("off"), || false), Compositing::Off);
        assert_eq!(compositing(Some("auto"), || true), Compositing::Off);
        assert_eq!(compositing(None, || true), Compositing::Off);
        assert_eq!(compositing(None, || false), Compositing::Keep);
    }

    #[test]
    fn software_rendering_is_seen_from_mesa_variables_and_render_nodes() {
        let dir = tempfile::tempdir().unwrap();
        let none = |_: &str| None;
        // No render node: software.
        assert!(software_rendering(none, dir.path()));
        assert!(software_rendering(none, &dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(software_rendering(none, dir.path()));
        // A render node: a GPU, unless Mesa is told to render in software.
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(!software_rendering(none, dir.path()));
        let var = |value: &'static str| move |name: &str| (name == "LIBGL_ALWAYS_SOFTWARE").then(|| value.into());
        assert!(software_rendering(var("1"), dir.path()));
        assert!(software_rendering(var("true"), dir.path()));
        assert!(!software_rendering(var("0"), dir.path()));
        assert!(!software_rendering(var(""), dir.path()));
        let gallium = |name: &str| (name == "GALLIUM_DRIVER").then(|| "llvmpipe".into());
        assert!(software_rendering(gallium, dir.path()));
        let gpu = |name: &str| (name == "GALLIUM_DRIVER").then(|| "radeonsi".into());
        assert!(!software_rendering(gpu, dir.path()));
    }
}
