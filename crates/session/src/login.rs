//! Signing in through the login window: the loop that fills an entry's CRM page, step by step,
//! and decides when it is done.
//!
//! The window (a web view with no access to the app) shows the entry's site. Every tick the front
//! end asks [`Login::tick`] what to do with the page at its current address. Each tick the origin
//! rules run again here, against the address of the moment (so a redirect to a look-alike gets
//! nothing), and only then is the page script built with the entry's values in it, JSON-encoded.
//! The script ([`FILL_JS`]) does one step of work (fill, or submit) and answers with a
//! [`PageReport`]; [`Login::report`] reads it. The script checks the origin again inside the page
//! and never fills a frame of another origin.
//!
//! Done when the login form has gone for a while after a submit (the CRM's own page took over),
//! when the same step was submitted twice without effect (a wrong password), when no form appeared
//! at all, when the vault locked, or when the time is up.

use serde::{Deserialize, Serialize};
use vault::autofill::origin::{self, Frame, NotFilled, Origin, PlainHttp};
use vault::model::{Entry, EntryId};
use zeroize::Zeroizing;

/// The page-side script, a function expression taking the request and answering a report.
/// Written once: a browser extension can load the same file.
pub const FILL_JS: &str = include_str!("login/fill.js");

/// Between two ticks.
pub const TICK_MS: u64 = 250;
/// After a submit, the login form must stay gone this long for the sign-in to count.
const SIGNED_IN_AFTER_MS: u64 = 2_000;
/// Without any login form for this long, the page is not a login page.
const NO_FORM_AFTER_MS: u64 = 20_000;
/// Longest a login may take, multi-step logins and a slow CRM included.
const GIVE_UP_AFTER_MS: u64 = 90_000;

/// What the page script answers to a tick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageReport {
    pub state: PageState,
    #[serde(default)]
    pub step: Option<Step>,
    #[serde(default)]
    pub filled: Vec<String>,
    #[serde(default)]
    pub skipped_frames: u32,
    #[serde(default)]
    pub needs_totp: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageState {
    /// The page's origin is not one of the entry's sites: nothing was touched.
    Refused,
    /// No login field is visible.
    NoForm,
    Filled,
    Submitted,
    Waiting,
    /// The same step was submitted twice and the form is still there.
    Stuck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Identifier,
    Password,
    Totp,
}

/// How a login ended, or where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginState {
    /// The window is opening the site.
    Opening,
    /// Filling (the step the page asks for, once known).
    Filling(Option<Step>),
    /// The page is not one the entry may fill (shown while the user may still go back to it).
    NotFilled(NotFilled),
    /// Plain http off this machine: waiting for the user to accept it for this origin.
    NeedsConfirmation(Origin),
    /// The page asks for a one-time code and the entry has no TOTP setup.
    NeedsTotp,
    SignedIn,
    /// No login form appeared on the entry's site.
    NoLoginForm,
    /// The form came back after being submitted twice: the CRM refused the values.
    Refused,
    /// The vault locked: nothing more is filled.
    Locked,
    /// The entry is gone (deleted while signing in).
    EntryGone,
    /// The window was closed before the login finished.
    Closed,
    /// The time for a login ran out (the state before it is lost: the window says what it last saw).
    TimedOut,
}

impl LoginState {
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            LoginState::Opening | LoginState::Filling(_) | LoginState::NotFilled(_) | LoginState::NeedsConfirmation(_)
        )
    }
}

/// What the front end does this tick.
pub enum Tick {
    /// Evaluate this script in the page and hand its answer to [`Login::report`]. It holds the
    /// entry's values: wiped when dropped.
    Fill(Zeroizing<String>),
    /// Ask the user whether to fill over plain http on this origin, then [`Login::confirm_plain_http`].
    AskPlainHttp(Origin),
    /// Nothing now.
    Wait,
    /// Over: stop ticking.
    Done,
}

impl std::fmt::Debug for Tick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tick::Fill(_) => f.write_str("Fill(..)"),
            Tick::AskPlainHttp(origin) => write!(f, "AskPlainHttp({origin})"),
            Tick::Wait => f.write_str("Wait"),
            Tick::Done => f.write_str("Done"),
        }
    }
}

/// The values a fill sends, read from the entry at the moment of the tick.
#[allow(missing_debug_implementations)] // holds the password: no Debug that could print it
pub struct FillValues<'a> {
    pub entry: &'a Entry,
    /// The current one-time code, if the entry has TOTP.
    pub totp_code: Option<Zeroizing<String>>,
}

/// One login in progress, in one window.
#[derive(Debug)]
pub struct Login {
    pub entry: EntryId,
    started_ms: u64,
    pub state: LoginState,
    /// The origin the user accepted plain http for, and whether they declined.
    plain_http: Option<(Origin, bool)>,
    asked: bool,
    /// When the page was last filled or submitted: a form gone after that is a sign-in (a page
    /// of code boxes submits itself once filled).
    acted_at: Option<u64>,
    no_form_since: Option<u64>,
    /// The origin of the page at the last tick, for the record (never its full address: a query
    /// may carry tokens).
    pub page: Option<Origin>,
    /// Cross-origin frames the script left alone, for the window's message.
    pub skipped_frames: u32,
}

impl Login {
    pub fn new(entry: EntryId, now_ms: u64) -> Login {
        Login {
            entry,
            started_ms: now_ms,
            state: LoginState::Opening,
            plain_http: None,
            asked: false,
            acted_at: None,
            no_form_since: None,
            page: None,
            skipped_frames: 0,
        }
    }

    /// What to do with the page at `page` (its address now). `values` is `None` when the vault
    /// is locked or the entry gone; then nothing is filled, ever again.
    pub fn tick(&mut self, page: &str, values: Result<FillValues<'_>, LoginState>, now_ms: u64) -> Tick {
        if self.state.is_final() {
            return Tick::Done;
        }
        let values = match values {
            Ok(values) => values,
            Err(end) => return self.finish(end),
        };
        if now_ms.saturating_sub(self.started_ms) > GIVE_UP_AFTER_MS {
            return self.finish(LoginState::TimedOut);
        }
        // A page still loading reports `about:blank`; wait for the site.
        if page.is_empty() || page.starts_with("about:") {
            return Tick::Wait;
        }
        self.page = Origin::parse(page).ok();
        let entry = values.entry;
        let urls: Vec<&str> = entry.urls.value.iter().map(String::as_str).collect();
        let also: Vec<String> = also_fill_on(entry);
        let also: Vec<&str> = also.iter().map(String::as_str).collect();
        let confirmed = match &self.plain_http {
            Some((origin, true)) => PlainHttp::ConfirmedFor(origin),
            _ => PlainHttp::NotConfirmed,
        };
        match origin::may_fill(page, Frame::TopLevel, &urls, &also, confirmed) {
            Ok(_) => {
                let sites = entry_sites(&urls, &also);
                if matches!(self.state, LoginState::Opening | LoginState::NotFilled(_)) {
                    self.state = LoginState::Filling(None);
                }
                let attempt = format!("{}-{}", self.entry, self.started_ms);
                Tick::Fill(script(&sites, &values, &attempt))
            }
            Err(NotFilled::PlainHttpNeedsConfirmation { origin }) => match &self.plain_http {
                Some((asked, false)) if *asked == origin => {
                    self.finish(LoginState::NotFilled(NotFilled::PlainHttpNeedsConfirmation { origin }))
                }
                _ if self.asked => Tick::Wait,
                _ => {
                    self.asked = true;
                    self.state = LoginState::NeedsConfirmation(origin.clone());
                    Tick::AskPlainHttp(origin)
                }
            },
            Err(reason) => {
                // Another origin: say why, and keep watching; the user may sign in on a single
                // sign-on page by hand and come back to the entry's site.
                self.state = LoginState::NotFilled(reason);
                Tick::Wait
            }
        }
    }

    /// The user's answer to [`Tick::AskPlainHttp`].
    pub fn confirm_plain_http(&mut self, origin: Origin, accepted: bool) {
        self.asked = false;
        self.plain_http = Some((origin, accepted));
        self.state = LoginState::Filling(None);
    }

    /// Reads the page's answer to a fill. An answer that is not a report (the page navigated away
    /// mid-tick, or replaced the script's globals) is ignored: the next tick looks again.
    pub fn report(&mut self, answer: &str, now_ms: u64) {
        if self.state.is_final() {
            return;
        }
        let Ok(report) = serde_json::from_str::<PageReport>(answer) else { return };
        self.skipped_frames = self.skipped_frames.max(report.skipped_frames);
        if report.needs_totp {
            self.finish(LoginState::NeedsTotp);
            return;
        }
        match report.state {
            PageState::Refused => {}
            PageState::Stuck => {
                self.finish(LoginState::Refused);
            }
            PageState::Submitted | PageState::Filled => {
                self.acted_at = Some(now_ms);
                self.no_form_since = None;
                self.state = LoginState::Filling(report.step);
            }
            PageState::Waiting => {
                self.no_form_since = None;
                self.state = LoginState::Filling(report.step);
            }
            PageState::NoForm => {
                let since = *self.no_form_since.get_or_insert(now_ms);
                let gone_for = now_ms.saturating_sub(since);
                if self.acted_at.is_some() && gone_for >= SIGNED_IN_AFTER_MS {
                    self.finish(LoginState::SignedIn);
                } else if self.acted_at.is_none() && now_ms.saturating_sub(self.started_ms) >= NO_FORM_AFTER_MS {
                    self.finish(LoginState::NoLoginForm);
                }
            }
        }
    }

    /// The window closed.
    pub fn close(&mut self) {
        if !self.state.is_final() {
            self.state = LoginState::Closed;
        }
    }

    fn finish(&mut self, state: LoginState) -> Tick {
        self.state = state;
        Tick::Done
    }
}

/// The entry's "also fill on" sites.
fn also_fill_on(entry: &Entry) -> Vec<String> {
    entry.also_fill_on().into_iter().map(str::to_owned).collect()
}

/// Every origin the entry may be filled on, as the page compares them (`location.origin`).
fn entry_sites(urls: &[&str], also: &[&str]) -> Vec<String> {
    let mut sites: Vec<String> = Vec::new();
    for url in urls.iter().chain(also) {
        if let Some(origin) = Origin::of_entry_url(url) {
            let text = origin.to_string();
            if !sites.contains(&text) {
                sites.push(text);
            }
        }
    }
    sites
}

/// The script for one tick: [`FILL_JS`] called with the request, every value JSON-encoded (so no
/// value can break out of its string into code).
fn script(sites: &[String], values: &FillValues<'_>, attempt: &str) -> Zeroizing<String> {
    #[derive(Serialize)]
    struct Request<'a> {
        origins: &'a [String],
        username: &'a str,
        password: &'a str,
        totp: Option<&'a str>,
        submit: bool,
        /// New for each login: the script's progress on the page (kept across the page loads
        /// of a multi-step login) starts afresh for a new "Log in".
        attempt: &'a str,
    }
    let request = Request {
        origins: sites,
        username: &values.entry.username.value,
        password: values.entry.password.value.expose(),
        totp: values.totp_code.as_deref().map(String::as_str),
        submit: true,
        attempt,
    };
    let json = Zeroizing::new(serde_json::to_string(&request).unwrap_or_else(|_| "null".into()));
    let mut script = Zeroizing::new(String::with_capacity(FILL_JS.len() + json.len() + 8));
    script.push('(');
    script.push_str(FILL_JS.trim_end());
    script.push_str(")(");
    script.push_str(&json);
    script.push(')');
    script
}

#[cfg(test)]
mod tests;
