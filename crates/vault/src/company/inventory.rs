//! The accounts list for IT: every live entry's system, user name, addresses, whether TOTP is
//! set up, when its password last changed, and tags. IT freezes accounts from it when someone
//! leaves. Built here once so the command line and the app list the same rows; it holds no
//! secret (no password, no TOTP key, no notes or custom fields).

use serde::Serialize;

use crate::model::Vault;

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InventoryRow {
    /// The entry's title: the system the account is for.
    pub system: String,
    pub username: String,
    pub urls: Vec<String>,
    pub totp: bool,
    /// When the password last changed, RFC 3339 in UTC; `None` for an entry without one.
    pub password_changed: Option<String>,
    pub tags: Vec<String>,
}

/// Every live entry, in the order listings use (by title).
pub fn inventory(vault: &Vault) -> Vec<InventoryRow> {
    vault
        .sorted_entries()
        .into_iter()
        .map(|entry| InventoryRow {
            system: entry.title.value.clone(),
            username: entry.username.value.clone(),
            urls: entry.urls.value.clone(),
            totp: !entry.totp.value.expose().is_empty(),
            password_changed: (!entry.password.value.expose().is_empty())
                .then(|| rfc3339(entry.password_changed().wall_ms)),
            tags: entry.tags().map(str::to_owned).collect(),
        })
        .collect()
}

/// Milliseconds since the epoch as `2026-11-30T15:03:22Z`.
pub fn rfc3339(ms: u64) -> String {
    let time = chrono::DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX)).unwrap_or_default();
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The rows as CSV with a header line, for a spreadsheet. Addresses are joined by spaces (an
/// address holds none), tags by "; ".
pub fn to_csv(rows: &[InventoryRow]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = ["system", "username", "urls", "totp", "password_changed", "tags"];
    out.write_record(header).expect("writing to memory does not fail");
    for row in rows {
        let record = [
            inert(&row.system),
            inert(&row.username),
            inert(&row.urls.join(" ")),
            (if row.totp { "yes" } else { "no" }).to_owned(),
            row.password_changed.clone().unwrap_or_default(),
            inert(&row.tags.join("; ")),
        ];
        out.write_record(record).expect("writing to memory does not fail");
    }
    String::from_utf8(out.into_inner().expect("writing to memory does not fail")).expect("the rows are text")
}

/// A cell a spreadsheet will not run: text starting like a formula (`=`, `+`, `-`, `@`) gets a
/// leading apostrophe, since titles and tags may come from a synced or imported file.
pub(crate) fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc_3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_051_002_000), "2026-11-30T15:03:22Z");
    }

    #[test]
    fn cells_that_look_like_formulas_are_made_inert() {
        let row = InventoryRow {
            system: "=HYPERLINK(\"http://x\")".into(),
            username: "li, wei".into(),
            urls: vec!["https://a".into(), "https://b".into()],
            totp: true,
            password_changed: Some("2026-01-01T00:00:00Z".into()),
            tags: vec!["crm".into(), "company".into()],
        };
        let csv = to_csv(&[row]);
        assert_eq!(
            csv,
            "system,username,urls,totp,password_changed,tags\n\
             \"'=HYPERLINK(\"\"http://x\"\")\",\"li, wei\",https://a https://b,yes,2026-01-01T00:00:00Z,crm; company\n"
        );
    }
}
