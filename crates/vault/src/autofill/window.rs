//! Which entries fit the focused window, when the global auto-type shortcut is pressed.
//!
//! An entry fits a window, as in KeePassXC, when:
//! - one of its window patterns matches the window's title ([`WindowPattern`]);
//! - its title appears in the window's title (ignoring case; an empty title never does);
//! - the host of one of its URLs appears in the window's title (ignoring case).
//!
//! [`match_window`] gives every entry that fits with all its reasons, strongest first: a pattern
//! someone wrote for this window, then the title, then the host. With one match the app types
//! at once; with several it shows a chooser in the order given.

use regex::{Regex, RegexBuilder};

use crate::model::Entry;

/// A window pattern of an entry, as KeePassXC reads them: `*` stands for any run of characters
/// and the pattern must match the whole title (`*Firefox`, `Login - *`, `*Bank*Online*`);
/// a pattern between `//` and `//` is a regular expression found anywhere in the title
/// (`//^(Sign in|登录) - //`). Both ignore case.
#[derive(Debug, Clone)]
pub struct WindowPattern {
    source: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// The pattern in lower case, split at each `*`.
    Wildcard(Vec<String>),
    Regex(Regex),
}

/// Why a window pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("the window pattern is empty")]
    Empty,
    #[error("the window pattern {pattern} is not a valid regular expression: {reason}")]
    BadRegex { pattern: String, reason: String },
}

/// The most memory a compiled regular expression may take: a window pattern is a few words, and
/// one pasted by mistake (or made to be slow) must not stall every press of the shortcut.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl WindowPattern {
    pub fn parse(pattern: &str) -> Result<Self, PatternError> {
        if pattern.is_empty() {
            return Err(PatternError::Empty);
        }
        let regex = pattern.strip_prefix("//").and_then(|rest| rest.strip_suffix("//")).filter(|_| pattern.len() >= 4);
        let kind =
            match regex {
                // `////` would fit every window: surely a pattern not written yet.
                Some("") => return Err(PatternError::Empty),
                Some(expression) => Kind::Regex(
                    RegexBuilder::new(expression).case_insensitive(true).size_limit(REGEX_SIZE_LIMIT).build().map_err(
                        |err| PatternError::BadRegex { pattern: pattern.to_owned(), reason: err.to_string() },
                    )?,
                ),
                None => Kind::Wildcard(pattern.to_lowercase().split('*').map(str::to_owned).collect()),
            };
        Ok(WindowPattern { source: pattern.to_owned(), kind })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub fn matches(&self, window_title: &str) -> bool {
        match &self.kind {
            Kind::Regex(regex) => regex.is_match(window_title),
            Kind::Wildcard(parts) => wildcard_matches(parts, &window_title.to_lowercase()),
        }
    }
}

/// Whether `title` is the parts in order with anything between them. The first part must start
/// the title and the last end it, without overlapping: `a*a` does not fit `a`.
fn wildcard_matches(parts: &[String], title: &str) -> bool {
    let [first, middle @ .., last] = parts else {
        // No `*`: the whole title, ignoring case.
        return parts.first().is_some_and(|part| part == title);
    };
    if title.len() < first.len() + last.len() || !title.starts_with(first.as_str()) || !title.ends_with(last.as_str()) {
        return false;
    }
    // Both ends are at character boundaries: `starts_with` and `ends_with` held.
    let mut rest = &title[first.len()..title.len() - last.len()];
    for part in middle {
        // The leftmost place for each part leaves the most room for the ones after it.
        match rest.find(part.as_str()) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// What an entry offers for matching windows.
#[derive(Debug, Clone, Copy)]
pub struct WindowRules<'a> {
    pub title: &'a str,
    pub urls: &'a [String],
    pub patterns: &'a [WindowPattern],
}

impl<'a> WindowRules<'a> {
    /// An entry's title and URLs, with the window patterns kept for it. Whether a deleted or
    /// expired entry may be typed is the caller's rule; this only looks at text.
    pub fn of_entry(entry: &'a Entry, patterns: &'a [WindowPattern]) -> Self {
        WindowRules { title: &entry.title.value, urls: &entry.urls.value, patterns }
    }
}

/// Why an entry fits the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchReason {
    /// This window pattern of the entry matched, as written.
    Pattern(String),
    /// The entry's title is in the window's title.
    Title,
    /// This host of one of the entry's URLs is in the window's title.
    Host(String),
}

impl MatchReason {
    fn rank(&self) -> u8 {
        match self {
            MatchReason::Pattern(_) => 0,
            MatchReason::Title => 1,
            MatchReason::Host(_) => 2,
        }
    }
}

/// An entry that fits the window, and every reason it does, strongest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowMatch<K> {
    pub entry: K,
    pub reasons: Vec<MatchReason>,
}

/// The entries that fit a window: the ones matched by a pattern first, then by title, then by
/// host; in the order given among equals, so the chooser does not reshuffle between presses.
/// A window without a title fits nothing.
pub fn match_window<'a, K>(
    window_title: &str,
    candidates: impl IntoIterator<Item = (K, WindowRules<'a>)>,
) -> Vec<WindowMatch<K>> {
    if window_title.trim().is_empty() {
        return Vec::new();
    }
    let lower_title = window_title.to_lowercase();
    let mut matches: Vec<WindowMatch<K>> = candidates
        .into_iter()
        .filter_map(|(entry, rules)| {
            let reasons = reasons(window_title, &lower_title, rules);
            (!reasons.is_empty()).then_some(WindowMatch { entry, reasons })
        })
        .collect();
    // Stable: equal ranks keep the order given.
    matches.sort_by_key(|m| m.reasons[0].rank());
    matches
}

fn reasons(window_title: &str, lower_title: &str, rules: WindowRules<'_>) -> Vec<MatchReason> {
    let mut reasons: Vec<MatchReason> = rules
        .patterns
        .iter()
        .filter(|pattern| pattern.matches(window_title))
        .map(|pattern| MatchReason::Pattern(pattern.as_str().to_owned()))
        .collect();
    let title = rules.title.trim();
    if !title.is_empty() && lower_title.contains(&title.to_lowercase()) {
        reasons.push(MatchReason::Title);
    }
    for url in rules.urls {
        let host = host(url).to_lowercase();
        if !host.is_empty() && lower_title.contains(&host) && !reasons.contains(&MatchReason::Host(host.clone())) {
            reasons.push(MatchReason::Host(host));
        }
    }
    reasons
}

/// `https://user@login.example.com:8443/path` -> `login.example.com`. A URL without a scheme
/// (`example.com/login`) is taken as a host and path, as people type them.
fn host(url: &str) -> &str {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if let Some(bracketed) = host.strip_prefix('[') {
        // An IPv6 address: its colons are not a port.
        return bracketed.split(']').next().unwrap_or("");
    }
    host.split(':').next().unwrap_or("")
}
