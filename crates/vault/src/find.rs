//! Finding entries: by id, by exact title, or by search.

use thiserror::Error;

use crate::model::{Entry, EntryId, Vault};
use crate::order;

/// A reference to an entry did not name exactly one.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FindError {
    #[error("no entry matches \"{0}\"")]
    NotFound(String),
    /// The candidates are (id, title, username), ordered as `ls` lists them.
    #[error("\"{query}\" matches {} entries", candidates.len())]
    Ambiguous { query: String, candidates: Vec<(EntryId, String, String)> },
}

/// Entries whose title, username, URLs, tags or notes contain every word of `query`, ignoring
/// case, in listing order; Han text in the title, user name and tags is found by its pinyin
/// (without tones or spaces) and its initials too. An empty query matches everything.
pub fn search<'v>(vault: &'v Vault, query: &str) -> Vec<&'v Entry> {
    let entries = vault.sorted_entries();
    let index = SearchIndex::of(&entries);
    index.search(query).into_iter().map(|i| entries[i]).collect()
}

/// The searchable text of each entry, lower-cased once, in listing order. The app keeps one per
/// listing, so a keystroke costs one scan rather than re-lower-casing 10,000 entries.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    haystacks: Vec<String>,
}

impl SearchIndex {
    /// For `entries` in the order positions should refer to (usually [`Vault::sorted_entries`]).
    pub fn of(entries: &[&Entry]) -> SearchIndex {
        SearchIndex { haystacks: entries.iter().map(|e| haystack(e)).collect() }
    }

    /// Positions of the entries that contain every word of `query`, ignoring case.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let hits = self.haystacks.iter().enumerate();
        hits.filter(|(_, text)| words.iter().all(|w| text.contains(w.as_str()))).map(|(i, _)| i).collect()
    }
}

fn haystack(entry: &Entry) -> String {
    let mut text = String::with_capacity(128);
    text.push_str(&entry.title.value);
    text.push('\n');
    text.push_str(&entry.username.value);
    for url in &entry.urls.value {
        text.push('\n');
        text.push_str(url);
    }
    for tag in entry.tags() {
        text.push('\n');
        text.push_str(tag);
    }
    text.push('\n');
    text.push_str(&entry.notes.value);
    let mut text = text.to_lowercase();
    // Chinese users search by pinyin and by initials: "fenxiang" and "fxxk" find 纷享销客. Only
    // text with Han characters gets them, so a Latin-only vault's index is no bigger. Each form
    // is a line of its own, so a word cannot match across a title and its reading.
    let named = [entry.title.value.as_str(), entry.username.value.as_str()];
    for field in named.into_iter().chain(entry.tags()) {
        if let Some((full, initials)) = order::pinyin_forms(field) {
            for form in [full, initials] {
                text.push('\n');
                text.push_str(&form);
            }
        }
    }
    text
}

/// Resolves what a user typed to name one entry: an id, an exact title (ignoring case), or a
/// search that matches exactly one entry. Entries in the trash are not found.
pub fn resolve<'v>(vault: &'v Vault, reference: &str) -> Result<&'v Entry, FindError> {
    if let Ok(id) = reference.trim().parse::<EntryId>()
        && let Some(entry) = vault.entry(id).filter(|e| !e.is_deleted())
    {
        return Ok(entry);
    }
    let wanted = reference.trim().to_lowercase();
    // Filtered before sorting: `show` on a large vault sorts the few matches, not every entry.
    let mut by_title: Vec<&Entry> = vault.live_entries().filter(|e| e.title.value.to_lowercase() == wanted).collect();
    by_title.sort_by(|a, b| a.title.value.cmp(&b.title.value).then(a.id.cmp(&b.id)));
    let found = if by_title.is_empty() { search(vault, reference) } else { by_title };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(FindError::NotFound(reference.to_owned())),
        many => Err(FindError::Ambiguous {
            query: reference.to_owned(),
            candidates: many.iter().map(|e| (e.id, e.title.value.clone(), e.username.value.clone())).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{DeviceId, SystemClock};
    use crate::model::{Author, NewEntry};

    fn vault() -> Vault {
        let author = Author { device: DeviceId(1), clock: &SystemClock };
        let mut vault = Vault::new("t", author, "laptop");
        for (title, user, url, tag) in [
            ("Salesforce", "li.wei@example.com", "https://login.salesforce.com", "crm"),
            ("Salesforce Sandbox", "li.wei@example.com", "https://test.salesforce.com", "crm"),
            ("纷享销客", "李伟", "https://www.fxiaoke.com", "客户"),
            ("Mail", "li.wei", "https://mail.example.com", "daily"),
        ] {
            let new = NewEntry {
                title: title.into(),
                username: user.into(),
                urls: vec![url.into()],
                tags: vec![tag.into()],
                ..Default::default()
            };
            vault.add_entry(new, author);
        }
        vault
    }

    #[test]
    fn search_matches_every_word_in_any_field_ignoring_case() {
        let vault = vault();
        let titles = |q| search(&vault, q).iter().map(|e| e.title.value.clone()).collect::<Vec<_>>();
        assert_eq!(titles("SALES"), ["Salesforce", "Salesforce Sandbox"]);
        assert_eq!(titles("test.salesforce"), ["Salesforce Sandbox"]);
        assert_eq!(titles("客户"), ["纷享销客"]);
        assert_eq!(titles("li.wei daily"), ["Mail"]);
        assert_eq!(titles("nothing-like-this").len(), 0);
        assert_eq!(titles("").len(), 4);
    }

    #[test]
    fn han_text_is_found_by_its_pinyin_and_initials() {
        let vault = vault();
        let titles = |q| search(&vault, q).iter().map(|e| e.title.value.clone()).collect::<Vec<_>>();
        for query in ["fenxiang", "fenxiangxiaoke", "fxxk", "FXXK", "纷享"] {
            assert_eq!(titles(query), ["纷享销客"], "{query}");
        }
        // The user name 李伟 reads liwei, the tag 客户 kehu; every word must still match.
        assert_eq!(titles("liwei kehu"), ["纷享销客"]);
        assert_eq!(titles("fxxk daily").len(), 0);
        // Latin search is as it was: "sales" does not become a pinyin match anywhere.
        assert_eq!(titles("sales"), ["Salesforce", "Salesforce Sandbox"]);
    }

    #[test]
    fn resolve_prefers_id_then_exact_title_then_a_single_match() {
        let vault = vault();
        assert_eq!(resolve(&vault, "salesforce").unwrap().title.value, "Salesforce");
        assert_eq!(resolve(&vault, "sandbox").unwrap().title.value, "Salesforce Sandbox");
        let id = resolve(&vault, "fxiaoke").unwrap().id;
        assert_eq!(resolve(&vault, &id.to_string()).unwrap().title.value, "纷享销客");
        assert!(matches!(resolve(&vault, "nope"), Err(FindError::NotFound(_))));
        match resolve(&vault, "li.wei") {
            Err(FindError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 3),
            other => panic!("expected ambiguous, got {other:?}"),
        }
    }
}
