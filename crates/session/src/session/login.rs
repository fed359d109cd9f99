//! The login window's use cases: which entry to sign in with and where, each tick of the fill
//! loop (values only after the origin rules, read again every tick), and the record of each login.

use std::collections::BTreeMap;

use vault::autofill::origin::Origin;
use vault::find::{self, FindError};
use vault::totp::Totp;
use zeroize::Zeroizing;

use super::Session;
use crate::error::{ErrorCode, Result, error, locked};
use crate::launcher;
use crate::login::{FillValues, Login, LoginState, PageReport, PageState, Step, Tick};
use crate::view::{LoginOpen, LoginStatus};

/// The logins in progress, by window number.
#[derive(Debug, Default)]
pub(super) struct Logins {
    next_window: u32,
    windows: BTreeMap<u32, Login>,
    /// An entry named on the command line (`--login`) while the vault was locked: signed in to
    /// once it is unlocked.
    pending: Option<String>,
    /// The steps each window's page said it filled, so each is recorded once, not every tick.
    filled: BTreeMap<u32, Vec<Option<Step>>>,
}

impl Session {
    /// Starts a login with the entry `reference` names (an id, an exact title, or a search matching
    /// one entry, as on the command line): the window to open and the address to open in it.
    pub fn start_login(&mut self, reference: &str, now_ms: u64) -> Result<LoginOpen> {
        let vault = &self.unlocked()?.vault;
        let entry = find::resolve(vault, reference).map_err(|e| match e {
            FindError::Ambiguous { .. } => error(ErrorCode::AmbiguousEntry, e),
            _ => error(ErrorCode::NotFound, e),
        })?;
        let url = entry
            .urls
            .value
            .iter()
            .find_map(|stored| Origin::of_entry_url(stored).map(|_| address_to_open(stored)))
            .ok_or_else(|| error(ErrorCode::NoLoginAddress, "the entry has no web address to sign in at"))?;
        let (id, title) = (entry.id, entry.title.value.clone());
        let logins = &mut self.logins;
        logins.next_window += 1;
        let window = logins.next_window;
        logins.windows.insert(window, Login::new(id, now_ms));
        Ok(LoginOpen { window, entry_id: id.to_string(), title, url })
    }

    /// One tick of window `window`'s login, with the page at `page` now. `now_ms` is the time
    /// (the one-time code is the code of that moment).
    pub fn login_tick(&mut self, window: u32, page: &str, now_ms: u64) -> Tick {
        let Some(mut login) = self.logins.windows.remove(&window) else { return Tick::Done };
        let entry = self.open.as_ref().map(|open| open.vault.entry(login.entry).filter(|e| !e.is_deleted()));
        let values = match entry {
            None => Err(LoginState::Locked),
            Some(None) => Err(LoginState::EntryGone),
            Some(Some(entry)) => Ok(FillValues { entry, totp_code: current_code(entry, now_ms) }),
        };
        let tick = login.tick(page, values, now_ms);
        self.logins.windows.insert(window, login);
        tick
    }

    /// The page's answer to a fill.
    pub fn login_report(&mut self, window: u32, answer: &str, now_ms: u64) {
        let Some(mut login) = self.logins.windows.remove(&window) else { return };
        let was_final = login.state.is_final();
        login.report(answer, now_ms);
        let (entry, page) = (login.entry, login.page.as_ref().map(ToString::to_string).unwrap_or_default());
        self.logins.windows.insert(window, login);
        let filled = serde_json::from_str::<PageReport>(answer)
            .ok()
            .filter(|r| matches!(r.state, PageState::Filled | PageState::Submitted));
        if let Some(report) = filled.filter(|_| !was_final) {
            let steps = self.logins.filled.entry(window).or_default();
            if !steps.contains(&report.step) {
                steps.push(report.step);
                self.record_alone(vault::activity::EventKind::Autofill, Some(entry), page);
            }
        }
    }

    /// The user's answer to the plain-http question for `origin`.
    pub fn confirm_plain_http(&mut self, window: u32, origin: Origin, accepted: bool) {
        if let Some(login) = self.logins.windows.get_mut(&window) {
            login.confirm_plain_http(origin, accepted);
        }
    }

    /// The window closed: its login ends (what it filled is already recorded).
    pub fn close_login(&mut self, window: u32, _now_ms: u64) {
        self.logins.filled.remove(&window);
        self.logins.windows.remove(&window);
    }

    pub fn login_status(&self, window: u32) -> Option<LoginStatus> {
        self.logins.windows.get(&window).map(|login| LoginStatus::of(window, login))
    }

    /// Remembers an entry to sign in to once the vault is unlocked (`--login` on a locked app).
    pub fn sign_in_after_unlock(&mut self, reference: String) {
        self.logins.pending = Some(reference);
    }

    /// The entry waiting for the unlock, if the vault is unlocked now.
    pub fn take_pending_login(&mut self) -> Option<String> {
        self.open.as_ref()?;
        self.logins.pending.take()
    }

    /// Writes a desktop launcher for the entry into `folder`, running `program` on this vault:
    /// its path.
    pub fn add_launcher(
        &self,
        id: &str,
        folder: &std::path::Path,
        program: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let entry = self.entry(id)?;
        let vault = self.local.vault_path.clone().ok_or_else(locked)?;
        let vault = std::fs::canonicalize(&vault).unwrap_or(vault);
        let text = launcher::desktop_file(&entry.title.value, program, &vault, &entry.id.to_string());
        let path = launcher::free_path(folder, &entry.title.value, &text);
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(folder)?;
            std::fs::write(&path, &text)?;
            // Desktops run a launcher only when it is executable.
            #[cfg(unix)]
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
            Ok(())
        };
        write().map_err(|e| error(ErrorCode::Io, format!("could not write the launcher {}: {e}", path.display())))?;
        Ok(path)
    }
}

/// The entry's one-time code at `now_ms`, if it has a TOTP setup that reads.
fn current_code(entry: &vault::Entry, now_ms: u64) -> Option<Zeroizing<String>> {
    if entry.totp.value.is_empty() {
        return None;
    }
    let totp = Totp::parse(entry.totp.value.expose()).ok()?;
    let mut code = totp.code_at(now_ms / 1000);
    Some(Zeroizing::new(std::mem::take(&mut code.text)))
}

/// A stored address as the window opens it: as written when it has a scheme, else over https
/// (the origin rules read it the same way).
fn address_to_open(stored: &str) -> String {
    let stored = stored.trim();
    if Origin::parse(stored).is_ok() { stored.to_owned() } else { format!("https://{stored}") }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{draft, unlocked_app};
    use super::*;
    use crate::login::Tick;
    use crate::view::ActivityFilter;

    const CRM: &str = "https://crm.example.com/login";
    const CRM_ORIGIN: &str = "https://crm.example.com";

    fn with_crm() -> (tempfile::TempDir, Session, String) {
        let dir = tempfile::tempdir().unwrap();
        let mut session = unlocked_app(dir.path());
        let id = session.save_entry(None, draft("Salesforce", Some("pw-1"))).unwrap();
        session.save_entry(None, draft("Salesforce Sandbox", Some("pw-2"))).unwrap();
        (dir, session, id)
    }

    #[test]
    fn an_entry_is_named_as_on_the_command_line_and_opened_at_its_site() {
        let (_dir, mut session, id) = with_crm();
        let open = session.start_login("salesforce", 0).unwrap();
        assert_eq!((open.entry_id.as_str(), open.url.as_str()), (id.as_str(), "https://crm.example.com"));
        assert_eq!(session.start_login(&id, 0).unwrap().entry_id, id, "by id");
        assert_eq!(session.start_login("sales", 0).unwrap_err().code, ErrorCode::AmbiguousEntry);
        assert_eq!(session.start_login("nothing like it", 0).unwrap_err().code, ErrorCode::NotFound);
        let mut no_site = draft("Desk phone", Some("1234"));
        no_site.urls = vec!["tel:+861012345678".into()];
        session.save_entry(None, no_site).unwrap();
        assert_eq!(session.start_login("desk phone", 0).unwrap_err().code, ErrorCode::NoLoginAddress);
        session.lock();
        assert_eq!(session.start_login(&id, 0).unwrap_err().code, ErrorCode::Locked);
    }

    #[test]
    fn a_lock_ends_the_login_and_only_a_fill_is_recorded() {
        let (_dir, mut session, id) = with_crm();
        let open = session.start_login(&id, 1_000).unwrap();
        let Tick::Fill(script) = session.login_tick(open.window, CRM, 1_250) else { panic!("fills the entry's site") };
        assert!(script.contains("\"pw-1\""));
        session.login_report(open.window, r#"{"state":"filled","step":"identifier"}"#, 1_300);
        session.login_report(open.window, r#"{"state":"waiting","step":"password"}"#, 1_400);
        session.login_report(open.window, r#"{"state":"filled","step":"password"}"#, 1_500);
        session.login_report(open.window, r#"{"state":"submitted","step":"password"}"#, 1_600);
        let fills = |s: &Session| {
            let filter = ActivityFilter { kinds: vec!["autofill".into()], ..ActivityFilter::default() };
            s.activity(&filter).unwrap().events
        };
        let recorded = fills(&session);
        assert_eq!(recorded.len(), 2, "once per step filled, not per tick");
        assert_eq!((recorded[0].detail.as_str(), recorded[0].entry_id.as_deref()), (CRM_ORIGIN, Some(id.as_str())));
        session.lock();
        assert!(matches!(session.login_tick(open.window, CRM, 1_700), Tick::Done));
        let status = session.login_status(open.window).unwrap();
        assert_eq!(status.state, crate::view::LoginStateKind::Locked);
    }

    #[test]
    fn a_look_alike_is_told_why_and_nothing_is_recorded() {
        let (_dir, mut session, id) = with_crm();
        let open = session.start_login(&id, 0).unwrap();
        assert!(matches!(session.login_tick(open.window, "https://crm.example.com.evil.example/", 250), Tick::Wait));
        let status = session.login_status(open.window).unwrap();
        let reason = status.not_filled.expect("says why");
        assert_eq!(reason.page.as_deref(), Some("https://crm.example.com.evil.example"));
        assert_eq!(reason.sites, ["https://crm.example.com"]);
        session.close_login(open.window, 500);
        assert!(session.login_status(open.window).is_none());
        let filter = ActivityFilter { kinds: vec!["autofill".into()], ..ActivityFilter::default() };
        assert!(session.activity(&filter).unwrap().events.is_empty());
    }

    #[test]
    fn add_to_desktop_writes_an_executable_launcher_for_the_entry() {
        let (dir, session, id) = with_crm();
        let desktop = dir.path().join("Desktop");
        let path = session.add_launcher(&id, &desktop, std::path::Path::new("/usr/bin/crm-vault-app")).unwrap();
        assert_eq!(path, desktop.join("Salesforce.desktop"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&format!("\"--login\" \"{id}\"")), "{text}");
        assert!(text.contains("v.crmvault"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o755);
        }
    }

    #[test]
    fn a_login_named_while_locked_waits_for_the_unlock() {
        let (_dir, mut session, _id) = with_crm();
        session.lock();
        session.sign_in_after_unlock("Salesforce".into());
        assert_eq!(session.take_pending_login(), None, "not while locked");
        session.unlock("pw", None).unwrap();
        assert_eq!(session.take_pending_login().as_deref(), Some("Salesforce"));
        assert_eq!(session.take_pending_login(), None, "once");
    }
}
