//! `crm-vault log`: the vault's activity log, newest first, as text, JSON or CSV.
//!
//! Opening the vault to read its log is itself an unlock, so the run's own unlock is the newest
//! line: what was recorded is what is shown.

use serde::Serialize;
use std::collections::BTreeSet;

use crate::args::LogArgs;
use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::activity::{Event, EventKind, Filter};
use vault::find::{self, FindError};
use vault::{Clock, DeviceId, EntryId, SystemClock, Vault};

/// One event as `--json` and `--csv` give it (the CSV columns are these members, in this order).
#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(skip)]
    at_ms: u64,
    /// UTC, RFC 3339.
    time: String,
    kind: &'static str,
    /// The laptop's name.
    device: String,
    device_id: String,
    /// The entry's title, where the event is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_id: Option<String>,
    detail: &'a str,
}

pub fn log(args: &LogArgs) -> Result<()> {
    // Everything that can be wrong with the options is said before the master password is asked for.
    let kinds = args.kinds.iter().map(|k| kind(k)).collect::<Result<Vec<_>>>()?;
    let now = SystemClock.now_ms();
    let since_ms = args.since.as_deref().map(|text| since(text, now)).transpose()?;
    let password = Secrets::from_stdin().master_password()?;
    let unlock = super::open(&args.vault, &password)?;
    let vault = &unlock.vault;
    let entries = args.entry.as_deref().map(|reference| entry_ids(vault, reference)).transpose()?;
    let devices = args.device.as_deref().map(|name| device_ids(vault, name)).transpose()?;
    let filter = Filter { since_ms, kinds, ..Filter::default() };
    let rows: Vec<Row> = vault
        .activity
        .query(&filter)
        .filter(|e| entries.as_ref().is_none_or(|ids| e.entry.is_some_and(|id| ids.contains(&id))))
        .filter(|e| devices.as_ref().is_none_or(|ids| ids.contains(&e.device)))
        .map(|e| row(vault, e))
        .collect();
    let text = if args.json {
        serde_json::to_string_pretty(&rows).expect("events serialise") + "\n"
    } else if args.csv {
        csv_text(&rows)?
    } else {
        text(&rows)
    };
    drop(rows);
    let printed = super::print(&text);
    unlock.finish(printed)
}

fn text(rows: &[Row]) -> String {
    rows.iter()
        .map(|r| {
            let local = session::activity::local_time(r.at_ms);
            let fields = [local.as_str(), r.kind, &r.device, r.entry.unwrap_or("-"), r.detail];
            fields.iter().map(|f| one_line(f)).collect::<Vec<_>>().join("\t") + "\n"
        })
        .collect()
}

fn row<'a>(vault: &'a Vault, event: &'a Event) -> Row<'a> {
    Row {
        at_ms: event.at_ms,
        time: vault::clock::rfc3339(event.at_ms),
        kind: event.kind.name(),
        device: vault.device_name(event.device),
        device_id: event.device.to_string(),
        entry: event.entry.map(|_| vault.event_title(event)),
        entry_id: event.entry.map(|id| id.to_string()),
        detail: &event.detail,
    }
}

fn csv_text(rows: &[Row]) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    // The header comes from the members; a row without an entry still needs its two columns.
    out.write_record(["time", "kind", "device", "device_id", "entry", "entry_id", "detail"]).map_err(csv_error)?;
    for r in rows {
        let entry_id = r.entry_id.as_deref().unwrap_or("");
        out.write_record([&r.time, r.kind, &r.device, &r.device_id, r.entry.unwrap_or(""), entry_id, r.detail])
            .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(|err| csv_error(err.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("written from strings"))
}

fn csv_error(err: csv::Error) -> CliError {
    CliError::new(Code::Other, format!("could not write CSV: {err}"))
}

/// `--kind NAME`, spelt as the log spells kinds.
fn kind(text: &str) -> Result<EventKind> {
    text.parse().map_err(|err| {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
        CliError::usage(err).hint(format!("The kinds are: {}.", names.join(", ")))
    })
}

/// `--since`: a day (from local midnight), an RFC 3339 time, or a span back from `now_ms`.
fn since(text: &str, now_ms: u64) -> Result<u64> {
    let text = text.trim();
    let bad = || {
        CliError::usage(format!("--since: {text:?} is not a date"))
            .hint("Give a day (2026-11-30), a time (2026-11-30T08:00:00Z) or a span back from now (7d, 24h, 30m).")
    };
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return u64::try_from(time.timestamp_millis()).map_err(|_| bad());
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        // Where a clock change skips midnight, the earliest time of that day is as good.
        let local = midnight.and_local_timezone(chrono::Local).earliest().ok_or_else(bad)?;
        return u64::try_from(local.timestamp_millis()).map_err(|_| bad());
    }
    let split = text.len().checked_sub(1).filter(|&i| text.is_char_boundary(i)).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let unit_ms: u64 = match unit {
        "d" => 24 * 60 * 60 * 1000,
        "h" => 60 * 60 * 1000,
        "m" => 60 * 1000,
        _ => return Err(bad()),
    };
    let count: u64 = number.parse().map_err(|_| bad())?;
    Ok(now_ms.saturating_sub(count.saturating_mul(unit_ms)))
}

/// The entries `--entry` names: one entry found as other commands find it, or, for an entry
/// no longer in the vault (or in the trash), those the log knows by that id or title.
fn entry_ids(vault: &Vault, reference: &str) -> Result<BTreeSet<EntryId>> {
    let err = match find::resolve(vault, reference) {
        Ok(entry) => return Ok(BTreeSet::from([entry.id])),
        Err(err @ FindError::Ambiguous { .. }) => return Err(err.into()),
        Err(err) => err,
    };
    let wanted = reference.trim();
    let ids: BTreeSet<EntryId> = vault
        .activity
        .iter()
        .filter_map(|e| Some((e.entry?, e)))
        .filter(|(id, e)| id.to_string() == wanted.to_lowercase() || vault.event_title(e).eq_ignore_ascii_case(wanted))
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() { Err(err.into()) } else { Ok(ids) }
}

/// The laptops `--device` names, by name (in any letter case) or id.
fn device_ids(vault: &Vault, name: &str) -> Result<BTreeSet<DeviceId>> {
    let wanted = name.trim();
    let known: BTreeSet<DeviceId> =
        vault.devices.keys().chain(vault.activity.iter().map(|e| &e.device)).copied().collect();
    let ids: BTreeSet<DeviceId> = known
        .into_iter()
        .filter(|&id| vault.device_name(id).eq_ignore_ascii_case(wanted) || id.to_string() == wanted.to_lowercase())
        .collect();
    if ids.is_empty() {
        let mut names: Vec<String> = vault.devices.values().map(|d| d.name.clone()).collect();
        names.sort();
        names.dedup();
        return Err(CliError::new(Code::NotFound, format!("no laptop called \"{wanted}\" used this vault"))
            .hint(format!("The laptops known to this vault: {}.", names.join(", "))));
    }
    Ok(ids)
}

/// One event per line, even if a title holds a line end or a tab.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}
