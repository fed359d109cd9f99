//! An entry's own autofill settings: the other sites its login may be filled on ("also fill on",
//! for a single sign-on page), its auto-type sequence and the window title patterns that pick it.
//!
//! The check functions here are what every front end runs on what the user typed before it goes
//! into a [`NewEntry`](crate::NewEntry) or [`EntryEdit`](crate::EntryEdit), so a mistake is
//! reported while the user is still at the form, not at the next login. The methods on [`Entry`]
//! read the stored settings back for the login window and auto-type.

use super::origin::Origin;
use super::sequence::{self, Action, DEFAULT_SEQUENCE, SequenceError};
use super::window::{PatternError, WindowPattern};
use crate::model::Entry;

/// An "also fill on" site that names no web origin: not an http(s) address, or not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{site}\" is not a web site's address (for example https://sso.example.com)")]
pub struct SiteError {
    /// As the user typed it: a site's address is not a secret.
    pub site: String,
}

/// The sites as they are stored: each one's origin (`https://sso.example.com`, the port only when
/// it is not the default), without blanks or repeats, in the order given. A path is dropped, since
/// only the origin decides where filling may happen; a site without a scheme is read as https,
/// as the entry's own URLs are.
pub fn also_fill_on(sites: &[String]) -> Result<Vec<String>, SiteError> {
    let mut origins: Vec<String> = Vec::new();
    for site in sites.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let origin = Origin::of_entry_url(site).ok_or_else(|| SiteError { site: site.to_owned() })?.to_string();
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

/// The sequence as it is stored: `None` for a blank one (the default is typed), else the text as
/// written once it parses. Spaces are kept: in a sequence they are typed.
pub fn autotype_sequence(text: Option<&str>) -> Result<Option<String>, SequenceError> {
    match text.filter(|t| !t.trim().is_empty()) {
        None => Ok(None),
        Some(text) => sequence::parse(text).map(|_| Some(text.to_owned())),
    }
}

/// The window patterns as they are stored: each trimmed (a title pattern with spaces at its ends
/// is a slip), blanks and repeats left out, and each one checked.
pub fn autotype_windows(patterns: &[String]) -> Result<Vec<String>, PatternError> {
    let mut kept: Vec<String> = Vec::new();
    for pattern in patterns.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        WindowPattern::parse(pattern)?;
        if !kept.iter().any(|k| k == pattern) {
            kept.push(pattern.to_owned());
        }
    }
    Ok(kept)
}

impl Entry {
    /// The origins the user added, as [`origin::may_fill`](super::origin::may_fill) takes them.
    pub fn also_fill_on(&self) -> Vec<&str> {
        self.also_fill_on.value.iter().map(String::as_str).collect()
    }

    /// What auto-type types for this entry: its own sequence, or the default one. A stored
    /// sequence that does not parse (written by hand into a file, say) is an error with its
    /// position, before anything is typed.
    pub fn autotype_sequence(&self) -> Result<Vec<Action>, SequenceError> {
        sequence::parse(self.autotype_sequence.value.as_deref().unwrap_or(DEFAULT_SEQUENCE))
    }

    /// The entry's window patterns, for [`WindowRules::of_entry`](super::window::WindowRules::of_entry).
    /// One that does not parse matches no window rather than hiding the entry's other patterns.
    pub fn window_patterns(&self) -> Vec<WindowPattern> {
        self.autotype_windows.value.iter().filter_map(|p| WindowPattern::parse(p).ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autofill::origin::{Frame, Matched, PlainHttp, may_fill};
    use crate::autofill::window::{MatchReason, WindowRules, match_window};
    use crate::{Author, DeviceId, EntryEdit, NewEntry, SystemClock, Vault};

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sites_are_stored_as_their_origins_once_each() {
        let given = texts(&["SSO.Example.com/login", "", "https://sso.example.com:443/", "http://127.0.0.1:8081/x"]);
        assert_eq!(also_fill_on(&given).unwrap(), ["https://sso.example.com", "http://127.0.0.1:8081"]);
        let error = also_fill_on(&texts(&["https://sso.example.com", "ftp://files.example.com"])).unwrap_err();
        assert_eq!(error.site, "ftp://files.example.com");
        assert!(also_fill_on(&texts(&["https://"])).is_err());
    }

    #[test]
    fn a_blank_sequence_is_the_default_and_a_malformed_one_says_where() {
        assert_eq!(autotype_sequence(None).unwrap(), None);
        assert_eq!(autotype_sequence(Some("  ")).unwrap(), None);
        assert_eq!(autotype_sequence(Some("{USERNAME}{ENTER} ")).unwrap().as_deref(), Some("{USERNAME}{ENTER} "));
        assert_eq!(autotype_sequence(Some("{USERNAME}{TAB}{PASSWRD}")).unwrap_err().position(), 16);
    }

    #[test]
    fn window_patterns_are_trimmed_and_checked() {
        assert_eq!(autotype_windows(&texts(&[" *CRM* ", "", "*CRM*", "//登录//"])).unwrap(), ["*CRM*", "//登录//"]);
        assert!(matches!(autotype_windows(&texts(&["//(unclosed//"])), Err(PatternError::BadRegex { .. })));
    }

    #[test]
    fn the_login_window_and_auto_type_read_what_the_entry_stores() {
        let clock = SystemClock;
        let author = Author { device: DeviceId(1), clock: &clock };
        let mut vault = Vault::new("v", author, "laptop");
        let new = NewEntry { title: "CRM".into(), urls: texts(&["https://crm.example.com"]), ..Default::default() };
        let id = vault.add_entry(new, author);
        let entry = vault.entry(id).unwrap();
        assert_eq!(sequence::to_sequence(&entry.autotype_sequence().unwrap()), DEFAULT_SEQUENCE);
        let sso = "https://sso.example.com/auth?client=crm";
        assert!(
            may_fill(sso, Frame::TopLevel, &[entry.url()], &entry.also_fill_on(), PlainHttp::NotConfirmed).is_err()
        );

        let edit = EntryEdit {
            also_fill_on: Some(also_fill_on(&texts(&["sso.example.com"])).unwrap()),
            autotype_sequence: Some(Some("{USERNAME}{ENTER}{DELAY 500}{PASSWORD}{ENTER}".into())),
            autotype_windows: Some(texts(&["Sign in - *"])),
            ..Default::default()
        };
        assert!(vault.edit_entry(id, edit, author).unwrap());
        let entry = vault.entry(id).unwrap();
        let filled = may_fill(sso, Frame::TopLevel, &[entry.url()], &entry.also_fill_on(), PlainHttp::NotConfirmed);
        assert_eq!(filled.unwrap().matched, Matched::AlsoFillOn);
        assert_eq!(entry.autotype_sequence().unwrap().len(), 5);
        let patterns = entry.window_patterns();
        let found = match_window("Sign in - Example SSO", [(id, WindowRules::of_entry(entry, &patterns))]);
        assert_eq!(found[0].reasons, [MatchReason::Pattern("Sign in - *".into())]);
    }

    #[test]
    fn a_sequence_spoiled_in_the_file_is_refused_before_anything_is_typed() {
        let clock = SystemClock;
        let author = Author { device: DeviceId(1), clock: &clock };
        let mut vault = Vault::new("v", author, "laptop");
        let id = vault.add_entry(NewEntry { title: "CRM".into(), ..Default::default() }, author);
        let spoiled = EntryEdit { autotype_sequence: Some(Some("{USERNAME}{TAB".into())), ..Default::default() };
        vault.edit_entry(id, spoiled, author).unwrap();
        assert_eq!(vault.entry(id).unwrap().autotype_sequence().unwrap_err().position(), 11);
    }
}
