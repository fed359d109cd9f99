//! Auto-type's use cases: which entries fit the focused window, what to type for one of them
//! (its own sequence or the default, with its values and the one-time code of the moment), and a
//! record of each. Typing itself is the front end's (X11 through XTest in the desktop app).

use vault::SecretText;
use vault::autofill::sequence::{self, EntryValues, Keystroke, ResolveError};
use vault::autofill::window::{MatchReason, WindowRules, match_window};
use vault::totp::Totp;

use super::Session;
use crate::error::{self, ErrorCode, Result, error};
use crate::view::{AutoTypeCandidate, AutoTypeReason};

impl Session {
    /// The live entries that fit a window with this title, best first: by one of their window
    /// patterns, by their title in the window's, by their site's host in it.
    pub fn autotype_candidates(&self, window_title: &str) -> Result<Vec<AutoTypeCandidate>> {
        let vault = &self.unlocked()?.vault;
        let entries: Vec<_> = vault.sorted_entries();
        let patterns: Vec<_> = entries.iter().map(|e| e.window_patterns()).collect();
        let candidates = entries.iter().zip(&patterns).map(|(e, p)| (*e, WindowRules::of_entry(e, p)));
        Ok(match_window(window_title, candidates)
            .into_iter()
            .map(|m| AutoTypeCandidate {
                id: m.entry.id.to_string(),
                title: m.entry.title.value.clone(),
                username: m.entry.username.value.clone(),
                reason: match &m.reasons[0] {
                    MatchReason::Pattern(_) => AutoTypeReason::Pattern,
                    MatchReason::Title => AutoTypeReason::Title,
                    MatchReason::Host(_) => AutoTypeReason::Host,
                },
            })
            .collect())
    }

    /// What to type for the entry at `now_ms`: its sequence with its values in place. Every
    /// mistake (a sequence that does not parse, a field or a code the entry lacks) is found here,
    /// before the first key.
    pub fn autotype_keystrokes(&self, id: &str, now_ms: u64) -> Result<Vec<Keystroke>> {
        let entry = self.entry(id)?;
        let actions = entry.autotype_sequence().map_err(error::from_sequence)?;
        let code = match entry.totp.value.is_empty() {
            true => None,
            false => Totp::parse(entry.totp.value.expose())
                .ok()
                .map(|t| SecretText::new(t.code_at(now_ms / 1000).text.as_str())),
        };
        let values = EntryValues::from_entry(entry, code);
        sequence::resolve(&actions, &values).map_err(|e| match e {
            ResolveError::NoTotp => error(
                ErrorCode::NoTotp,
                "the auto-type sequence types a one-time code, and the entry has no TOTP setup",
            ),
            other => error(ErrorCode::AutotypeSequence, other),
        })
    }

    /// Records an auto-type into the window titled `window_title`. Recorded whatever the
    /// `outcome` (`typed`, or the error's code): keys may have gone out before focus moved.
    pub fn record_autotype(&mut self, id: &str, window_title: &str, outcome: &str, _now_ms: u64) {
        let Ok(entry) = self.entry(id).map(|e| e.id) else { return };
        let detail = match outcome {
            "typed" => window_title.to_owned(),
            other => format!("{window_title} ({other})"),
        };
        self.record_alone(vault::activity::EventKind::Autotype, Some(entry), detail);
    }
}
