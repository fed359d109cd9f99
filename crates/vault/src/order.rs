//! The orders a listing can take: by name, as a Chinese contact list sorts (Han characters by
//! their pinyin, interleaved with Latin titles by sound; numbers in titles compared as numbers),
//! by when the entry was last used, or by when it was last changed.

use std::collections::HashMap;

use pinyin::ToPinyin;

use crate::activity::EventKind;
use crate::model::{Entry, EntryId, Vault};

/// How a listing is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EntrySort {
    /// By [`collation_key`] of the title, then by title, then by id.
    #[default]
    Name,
    /// Newest use first (a copy, a reveal, a login window's fill, an auto-type: see
    /// [`USE_KINDS`]); entries never used come last, by name.
    RecentlyUsed,
    /// Newest change first ([`Entry::modified`]: an edit, moving to the trash or back; not a
    /// star), then by name.
    RecentlyChanged,
}

/// The events that count as using an entry.
pub const USE_KINDS: [EventKind; 4] = [EventKind::Copy, EventKind::Reveal, EventKind::Autofill, EventKind::Autotype];

/// One piece of a title's collation key: a run of digits, or a run of anything else.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// A number, compared by value: its digits without leading zeros, shorter first (so
    /// 110 < 1023), then the count of leading zeros (007 after 7, so the order is total).
    Number { len: usize, digits: String, zeros: usize },
    /// Text, lower-cased, each Han character replaced by its pinyin (no tone marks).
    Text(String),
}

/// What titles are sorted by: see [`collation_key`]. Comparing two keys orders their titles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CollationKey(Vec<Part>);

/// The key a title sorts by: Han characters read as their pinyin without tones (a character
/// with several readings takes the crate's first, its most common one), other letters
/// lower-cased, runs of ASCII digits compared as numbers. So 钉钉 (ding) < Exchange < 纷享销客
/// (fen) < 金蝶 (jin) < Salesforce, and 客户110 < 客户1023 < 客户1060.
pub fn collation_key(title: &str) -> CollationKey {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = title.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            let mut run = String::from(c);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                run.push(d);
            }
            let digits = run.trim_start_matches('0');
            let zeros = run.len() - digits.len();
            parts.push(Part::Number { len: digits.len(), digits: digits.to_owned(), zeros });
        } else if let Some(reading) = c.to_pinyin() {
            text.push_str(reading.plain());
        } else {
            text.extend(c.to_lowercase());
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    CollationKey(parts)
}

/// Whether `text` has a character the pinyin tables read (a Han character).
pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| c.to_pinyin().is_some())
}

/// `text` with each Han character replaced by its pinyin, and by its initial, lower-cased:
/// ("fenxiangxiaoke crm", "fxxk crm") for "纷享销客 CRM". `None` for text without Han
/// characters, which needs neither.
pub fn pinyin_forms(text: &str) -> Option<(String, String)> {
    if !has_han(text) {
        return None;
    }
    let mut full = String::with_capacity(text.len() * 2);
    let mut initials = String::with_capacity(text.len());
    for c in text.chars() {
        match c.to_pinyin() {
            Some(reading) => {
                full.push_str(reading.plain());
                initials.push_str(reading.first_letter());
            }
            None => {
                full.extend(c.to_lowercase());
                initials.extend(c.to_lowercase());
            }
        }
    }
    Some((full, initials))
}

/// When each entry was last used (ms since the epoch, on the laptop where it happened), from the
/// vault's activity log: the newest event of a [`USE_KINDS`] kind naming it. Entries with no such
/// event in the log (never used, or only before the log's retention) are not in the map.
pub fn last_used(vault: &Vault) -> HashMap<EntryId, u64> {
    let mut last = HashMap::new();
    for event in vault.activity.iter().filter(|e| USE_KINDS.contains(&e.kind)) {
        if let Some(id) = event.entry {
            let at = last.entry(id).or_insert(event.at_ms);
            *at = (*at).max(event.at_ms);
        }
    }
    last
}

/// Orders `entries` by `sort`. `last_used` is [`last_used`]'s map (only read for
/// [`EntrySort::RecentlyUsed`]).
pub fn sort_entries(entries: &mut Vec<&Entry>, sort: EntrySort, last_used: &HashMap<EntryId, u64>) {
    // Each key is computed once, not once per comparison: pinyin lookups for 10,000 titles.
    let mut keyed: Vec<(CollationKey, &Entry)> =
        entries.drain(..).map(|e| (collation_key(&e.title.value), e)).collect();
    let by_name = |(ka, a): &(CollationKey, &Entry), (kb, b): &(CollationKey, &Entry)| {
        ka.cmp(kb).then_with(|| a.title.value.cmp(&b.title.value)).then(a.id.cmp(&b.id))
    };
    match sort {
        EntrySort::Name => keyed.sort_by(by_name),
        EntrySort::RecentlyUsed => keyed.sort_by(|x, y| {
            let (used_x, used_y) = (last_used.get(&x.1.id), last_used.get(&y.1.id));
            // `Some` newest first, `None` last: reversed, `None` is the smallest.
            used_y.cmp(&used_x).then_with(|| by_name(x, y))
        }),
        EntrySort::RecentlyChanged => {
            keyed.sort_by(|x, y| y.1.modified().cmp(&x.1.modified()).then_with(|| by_name(x, y)))
        }
    }
    entries.extend(keyed.into_iter().map(|(_, e)| e));
}

impl Vault {
    /// Entries not in the trash, in `sort`'s order.
    pub fn entries_by(&self, sort: EntrySort) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.live_entries().collect();
        let used = if sort == EntrySort::RecentlyUsed { last_used(self) } else { HashMap::new() };
        sort_entries(&mut entries, sort, &used);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::Event;
    use crate::clock::{DeviceId, SystemClock};
    use crate::model::{Author, EntryEdit, NewEntry};

    fn sorted(titles: &[&str]) -> Vec<String> {
        let mut titles: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
        titles.sort_by_key(|t| collation_key(t));
        titles
    }

    #[test]
    fn chinese_and_latin_titles_interleave_by_sound() {
        let titles = ["Salesforce", "金蝶", "Exchange", "钉钉", "纷享销客"];
        assert_eq!(sorted(&titles), ["钉钉", "Exchange", "纷享销客", "金蝶", "Salesforce"]);
    }

    #[test]
    fn numbers_in_titles_sort_as_numbers() {
        let titles = ["客户1060", "客户110", "客户1023", "客户9", "客户"];
        assert_eq!(sorted(&titles), ["客户", "客户9", "客户110", "客户1023", "客户1060"]);
        assert_eq!(sorted(&["mail 10", "Mail 2", "mail 02"]), ["Mail 2", "mail 02", "mail 10"]);
    }

    #[test]
    fn case_is_ignored_and_readings_have_no_tones() {
        assert_eq!(collation_key("CRM"), collation_key("crm"));
        assert_eq!(collation_key("纷享销客"), collation_key("fenxiangxiaoke"));
        assert_eq!(pinyin_forms("纷享销客 CRM"), Some(("fenxiangxiaoke crm".into(), "fxxk crm".into())));
        assert_eq!(pinyin_forms("Salesforce"), None);
    }

    fn vault_of(titles: &[&str]) -> (Vault, Vec<EntryId>) {
        let author = Author { device: DeviceId(1), clock: &SystemClock };
        let mut vault = Vault::new("t", author, "laptop");
        let ids = titles
            .iter()
            .map(|t| vault.add_entry(NewEntry { title: t.to_string(), ..Default::default() }, author))
            .collect();
        (vault, ids)
    }

    fn titles(entries: &[&Entry]) -> Vec<String> {
        entries.iter().map(|e| e.title.value.clone()).collect()
    }

    #[test]
    fn recently_used_puts_the_newest_use_first_and_never_used_last_by_name() {
        let (mut vault, ids) = vault_of(&["金蝶", "Exchange", "钉钉", "Salesforce"]);
        let used = |vault: &mut Vault, i: usize, kind: EventKind, at_ms: u64| {
            let mut event = Event::at(kind, at_ms, DeviceId(1));
            event.entry = Some(ids[i]);
            vault.record(event);
        };
        used(&mut vault, 3, EventKind::Copy, 1_000);
        used(&mut vault, 0, EventKind::Autofill, 3_000);
        used(&mut vault, 3, EventKind::Reveal, 2_000);
        // Editing is not using.
        used(&mut vault, 1, EventKind::EntryEdited, 9_000);
        let order = titles(&vault.entries_by(EntrySort::RecentlyUsed));
        assert_eq!(order, ["金蝶", "Salesforce", "钉钉", "Exchange"]);
        assert_eq!(last_used(&vault).get(&ids[3]), Some(&2_000));
    }

    #[test]
    fn recently_changed_puts_the_newest_edit_first_and_a_star_is_not_an_edit() {
        let author = Author { device: DeviceId(1), clock: &SystemClock };
        let (mut vault, ids) = vault_of(&["A", "B", "C"]);
        let edit = EntryEdit { notes: Some("new".into()), ..Default::default() };
        vault.edit_entry(ids[1], edit, author).unwrap();
        assert!(vault.set_favourite(ids[0], true, author).unwrap());
        assert_eq!(titles(&vault.entries_by(EntrySort::RecentlyChanged)), ["B", "C", "A"]);
        assert_eq!(titles(&vault.entries_by(EntrySort::Name)), ["A", "B", "C"]);
    }
}
