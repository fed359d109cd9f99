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
    /// An entry's title and URLs, with its window patterns (`&entry.window_patterns()`, parsed
    /// once by the caller and kept while the entries are matched). Whether a deleted or expired
    /// entry may be typed is the caller's rule; this only looks at text.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(p: &str) -> WindowPattern {
        WindowPattern::parse(p).unwrap()
    }

    fn fits(p: &str, title: &str) -> bool {
        pattern(p).matches(title)
    }

    #[test]
    fn a_pattern_without_a_star_is_the_whole_title_in_any_case() {
        assert!(fits("Sign in - Mail", "sign IN - mail"));
        assert!(!fits("Sign in", "Sign in - Mail"));
    }

    #[test]
    fn a_star_at_the_start_middle_or_end() {
        assert!(fits("*- Mozilla Firefox", "Inbox - Mozilla Firefox"));
        assert!(!fits("*- Mozilla Firefox", "Inbox - Mozilla Firefox Beta"));
        assert!(fits("Login - *", "LOGIN - Example Bank"));
        assert!(!fits("Login - *", "Bank Login - x"));
        assert!(fits("Example*Bank", "Example Online Bank"));
        assert!(fits("Example*Bank", "ExampleBank"), "a star may stand for nothing");
        assert!(!fits("Example*Bank", "Example Online Banking"));
        assert!(fits("*bank*online*", "My Bank - Online banking"));
        assert!(!fits("*bank*online*", "Online - My Bank"));
        assert!(fits("*", "anything"));
        assert!(fits("*登录*", "邮箱 登录 - 浏览器"));
    }

    #[test]
    fn the_ends_of_a_pattern_do_not_overlap() {
        assert!(!fits("a*a", "a"));
        assert!(fits("a*a", "aa"));
        assert!(!fits("ab*bc", "abc"));
    }

    #[test]
    fn a_pattern_between_double_slashes_is_a_regular_expression_found_anywhere() {
        assert!(fits("//^(sign in|登录) - //", "Sign In - Example"));
        assert!(fits("//^(sign in|登录) - //", "登录 - 网银"));
        assert!(!fits("//^(sign in|登录) - //", "Please sign in - Example"));
        assert!(fits("//mail\\.example\\.com//", "Inbox - MAIL.example.com - Browser"));
        // Too short to be a regular expression: a wildcard pattern for the title "//".
        assert!(fits("//", "//"));
    }

    #[test]
    fn patterns_that_cannot_be_used_are_errors() {
        assert_eq!(WindowPattern::parse("").unwrap_err(), PatternError::Empty);
        assert_eq!(WindowPattern::parse("////").unwrap_err(), PatternError::Empty);
        let err = WindowPattern::parse("//(unclosed//").unwrap_err();
        assert!(matches!(&err, PatternError::BadRegex { pattern, .. } if pattern == "//(unclosed//"), "{err}");
        assert!(err.to_string().starts_with("the window pattern //(unclosed// is not a valid regular expression"));
        // Patterns that would compile to something huge are refused, not built.
        assert!(matches!(WindowPattern::parse("//(\\w{500}){500}//"), Err(PatternError::BadRegex { .. })));
    }

    fn rules<'a>(title: &'a str, urls: &'a [String], patterns: &'a [WindowPattern]) -> WindowRules<'a> {
        WindowRules { title, urls, patterns }
    }

    #[test]
    fn an_entry_fits_when_its_title_is_in_the_window_title() {
        let found = match_window("GitHub - Sign in - Browser", [(1, rules("github", &[], &[]))]);
        assert_eq!(found, [WindowMatch { entry: 1, reasons: vec![MatchReason::Title] }]);
        assert!(match_window("Browser", [(1, rules("", &[], &[]))]).is_empty(), "an empty title fits nothing");
        assert!(match_window("Browser", [(1, rules("  ", &[], &[]))]).is_empty());
        assert!(match_window("Intranet", [(1, rules("内网", &[], &[]))]).is_empty());
        assert_eq!(match_window("公司内网 - 登录", [(1, rules("内网", &[], &[]))]).len(), 1);
    }

    #[test]
    fn an_entry_fits_when_a_url_host_is_in_the_window_title() {
        let urls = vec!["ssh://admin@Server-1.example.com:22/".to_owned(), "mail.example.org/login".to_owned()];
        let found = match_window("Terminal - server-1.example.com", [(7, rules("SSH box", &urls, &[]))]);
        assert_eq!(found, [WindowMatch { entry: 7, reasons: vec![MatchReason::Host("server-1.example.com".into())] }]);
        let found = match_window("mail.example.org - Inbox", [(7, rules("", &urls, &[]))]);
        assert_eq!(found[0].reasons, [MatchReason::Host("mail.example.org".into())]);
        let ipv6 = vec!["http://[fe80::1]:8080/".to_owned()];
        assert_eq!(match_window("Router fe80::1", [(1, rules("", &ipv6, &[]))]).len(), 1);
        let empty = vec!["https://".to_owned(), String::new()];
        assert!(match_window("https:// anything", [(1, rules("", &empty, &[]))]).is_empty());
    }

    #[test]
    fn no_match_and_no_window_title() {
        let urls = vec!["https://bank.example".to_owned()];
        let patterns = [pattern("*Bank Login*")];
        assert!(match_window("Text editor", [(1, rules("Bank", &urls, &patterns))]).is_empty());
        assert!(match_window("", [(1, rules("Bank", &urls, &[pattern("*")]))]).is_empty());
    }

    #[test]
    fn several_matches_come_pattern_first_then_title_then_host_in_the_order_given() {
        let title = "Example Bank - Login - bank.example - Browser";
        let bank_urls = vec!["https://bank.example/login".to_owned()];
        let login_pattern = [pattern("*- login -*"), pattern("//nothing here//"), pattern("//BANK\\.example//")];
        let candidates = [
            ("by host", rules("Mail", &bank_urls, &[])),
            ("by title", rules("Example Bank", &[], &[])),
            ("none", rules("Shop", &[], &[])),
            ("by pattern, title and host", rules("bank", &bank_urls, &login_pattern)),
            ("by title too", rules("Login", &[], &[])),
        ];
        let found = match_window(title, candidates);
        let order: Vec<_> = found.iter().map(|m| m.entry).collect();
        assert_eq!(order, ["by pattern, title and host", "by title", "by title too", "by host"]);
        assert_eq!(
            found[0].reasons,
            [
                MatchReason::Pattern("*- login -*".into()),
                MatchReason::Pattern("//BANK\\.example//".into()),
                MatchReason::Title,
                MatchReason::Host("bank.example".into()),
            ]
        );
    }

    #[test]
    fn rules_of_an_entry_are_its_title_and_urls() {
        let clock = crate::SystemClock;
        let author = crate::Author { device: crate::DeviceId(1), clock: &clock };
        let mut vault = crate::Vault::new("v", author, "laptop");
        let id = vault.add_entry(
            crate::NewEntry { title: "Wiki".into(), urls: vec!["https://wiki.example".into()], ..Default::default() },
            author,
        );
        let patterns = [pattern("Team wiki*")];
        let rules = WindowRules::of_entry(vault.entry(id).unwrap(), &patterns);
        let found = match_window("Team wiki.example", [(id, rules)]);
        assert_eq!(found[0].entry, id);
        assert_eq!(
            found[0].reasons,
            [MatchReason::Pattern("Team wiki*".into()), MatchReason::Title, MatchReason::Host("wiki.example".into())]
        );
    }
}
