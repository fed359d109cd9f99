//! What the page is told about the login window and auto-type: where a login stands, and why a
//! page was not filled, as data the UI puts in words in either language.

use serde::Serialize;
use ts_rs::TS;
use vault::autofill::origin::NotFilled;

use crate::login::{LoginState, Step};

/// Where a login in a login window stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LoginStatus {
    /// The login window's number (its label is `login-<window>`).
    pub window: u32,
    pub entry_id: String,
    pub state: LoginStateKind,
    /// The step the page asked for last.
    pub step: Option<LoginStep>,
    /// Why the page was not filled, when it was not.
    pub not_filled: Option<NotFilledView>,
    /// Frames from other sites inside the page, left alone.
    pub skipped_frames: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LoginStateKind {
    Opening,
    Filling,
    NotFilled,
    NeedsConfirmation,
    NeedsTotp,
    SignedIn,
    NoLoginForm,
    Refused,
    Locked,
    EntryGone,
    Closed,
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LoginStep {
    Identifier,
    Password,
    Totp,
}

/// Why a page got nothing: the reason, the page's origin and the entry's sites, for the message
/// "Not filled: this page is on 127.0.0.1:8081, the entry's site is 127.0.0.1:8080".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotFilledView {
    pub reason: NotFilledReason,
    /// The page's origin (or the frame's), when it has one.
    pub page: Option<String>,
    /// The entry's sites, for `other-origin`; the window's page, for `cross-origin-frame`.
    pub sites: Vec<String>,
    /// The English sentence, for logs and front ends without their own words.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum NotFilledReason {
    Unparseable,
    NotAWebPage,
    CrossOriginFrame,
    EntryHasNoSite,
    OtherOrigin,
    PlainHttp,
}

impl From<&NotFilled> for NotFilledView {
    fn from(reason: &NotFilled) -> NotFilledView {
        let (kind, page, sites) = match reason {
            NotFilled::Unparseable => (NotFilledReason::Unparseable, None, vec![]),
            NotFilled::NotAWebPage { .. } => (NotFilledReason::NotAWebPage, None, vec![]),
            NotFilled::CrossOriginFrame { frame, top_level } => (
                NotFilledReason::CrossOriginFrame,
                Some(frame.to_string()),
                top_level.iter().map(ToString::to_string).collect(),
            ),
            NotFilled::EntryHasNoSite { page } => (NotFilledReason::EntryHasNoSite, Some(page.to_string()), vec![]),
            NotFilled::OtherOrigin { page, entry_sites } => (
                NotFilledReason::OtherOrigin,
                Some(page.to_string()),
                entry_sites.iter().map(ToString::to_string).collect(),
            ),
            NotFilled::PlainHttpNeedsConfirmation { origin } => {
                (NotFilledReason::PlainHttp, Some(origin.to_string()), vec![])
            }
        };
        NotFilledView { reason: kind, page, sites, message: reason.to_string() }
    }
}

impl LoginStatus {
    pub fn of(window: u32, login: &crate::login::Login) -> LoginStatus {
        let (state, not_filled) = match &login.state {
            LoginState::Opening => (LoginStateKind::Opening, None),
            LoginState::Filling(_) => (LoginStateKind::Filling, None),
            LoginState::NotFilled(reason) => (LoginStateKind::NotFilled, Some(NotFilledView::from(reason))),
            LoginState::NeedsConfirmation(_) => (LoginStateKind::NeedsConfirmation, None),
            LoginState::NeedsTotp => (LoginStateKind::NeedsTotp, None),
            LoginState::SignedIn => (LoginStateKind::SignedIn, None),
            LoginState::NoLoginForm => (LoginStateKind::NoLoginForm, None),
            LoginState::Refused => (LoginStateKind::Refused, None),
            LoginState::Locked => (LoginStateKind::Locked, None),
            LoginState::EntryGone => (LoginStateKind::EntryGone, None),
            LoginState::Closed => (LoginStateKind::Closed, None),
            LoginState::TimedOut => (LoginStateKind::TimedOut, None),
        };
        let step = match &login.state {
            LoginState::Filling(Some(step)) => Some(match step {
                Step::Identifier => LoginStep::Identifier,
                Step::Password => LoginStep::Password,
                Step::Totp => LoginStep::Totp,
            }),
            _ => None,
        };
        LoginStatus {
            window,
            entry_id: login.entry.to_string(),
            state,
            step,
            not_filled,
            skipped_frames: login.skipped_frames,
        }
    }
}

/// A login window to open: which entry, on which address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LoginOpen {
    pub window: u32,
    pub entry_id: String,
    pub title: String,
    pub url: String,
}

/// An entry that fits the focused window, for auto-type's chooser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoTypeCandidate {
    pub id: String,
    pub title: String,
    pub username: String,
    pub reason: AutoTypeReason,
}

/// Why an entry fits the window: one of its window patterns, its title in the window's, or its
/// site's host in the window's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AutoTypeReason {
    Pattern,
    Title,
    Host,
}
