//! `crm-vault health`: the security report. Counts per kind, then one line per finding, ordered by
//! entry title then kind; `--json` gives scripts a list. Findings are not errors: exit 0 either way.

use serde::Serialize;
use std::path::Path;

use crate::error::{CliError, Code, Result};
use crate::secrets::Secrets;
use vault::health::{self, Detail, Finding, FindingKind, HealthError, HibpError, HibpFile, Report, ReportOptions};
use vault::{Clock, SystemClock};

const DOWNLOAD_HINT: &str = "Download the SHA-1 file ordered by hash with Have I Been Pwned's PwnedPasswordsDownloader \
(see haveibeenpwned.com/Passwords), then pass its path to --hibp. The file is searched on this computer; nothing is sent.";

/// One line of `health --json`.
#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    /// The entry's title.
    entry: &'a str,
    id: String,
    kind: FindingKind,
    /// The finding in plain English.
    detail: String,
    /// The same, as data.
    data: &'a Detail,
}

pub fn health(path: &Path, json: bool, hibp: Option<&Path>) -> Result<()> {
    // The breach file is checked before the master password is asked for, so a wrong path fails
    // at once rather than after unlocking.
    let mut breaches = match hibp {
        Some(file) => Some(HibpFile::open(file).map_err(|err| hibp_error(file, err))?),
        None => None,
    };
    let password = Secrets::from_stdin().master_password()?;
    let unlock = super::open(path, &password)?;
    let vault = &unlock.vault;
    let policy = super::company::in_force();
    let mut options = ReportOptions::at(SystemClock.now_ms()).with_policy(policy.as_ref());
    if let Some(file) = breaches.as_mut() {
        options = options.with_hibp(file);
    }
    let report = health::report(vault, options).map_err(|err| match err {
        HealthError::Breaches(err) => hibp_error(hibp.unwrap_or(Path::new("")), err),
        other => CliError::new(Code::Other, other),
    })?;
    if json {
        let list: Vec<JsonFinding> = report.findings.iter().map(json_finding).collect();
        let printed = super::print(&(serde_json::to_string_pretty(&list).expect("findings serialise") + "\n"));
        drop(report);
        return unlock.finish(printed);
    }
    let printed = super::print(&text(&report));
    drop(report);
    unlock.finish(printed)
}

fn json_finding(finding: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        entry: &finding.title,
        id: finding.entry.to_string(),
        kind: finding.kind,
        detail: finding.detail.to_string(),
        data: &finding.detail,
    }
}

fn text(report: &Report) -> String {
    let entries = if report.entries_checked == 1 { "entry" } else { "entries" };
    let mut out =
        format!("{} {entries} checked, {} due for a new password", report.entries_checked, report.due_for_rotation);
    if !report.breaches_checked {
        out.push_str("; breaches not checked (see --hibp)");
    }
    out.push('\n');
    let counts: Vec<String> = FindingKind::ALL.iter().map(|&kind| format!("{kind} {}", report.count(kind))).collect();
    out.push_str(&counts.join(", "));
    out.push('\n');
    if report.findings.is_empty() {
        out.push_str("\nNothing to fix.\n");
    } else {
        out.push('\n');
    }
    for finding in &report.findings {
        // One finding per line, even if a title holds a line end.
        out.push_str(&finding.to_string().replace(['\n', '\r', '\t'], " "));
        out.push('\n');
    }
    out
}

fn hibp_error(path: &Path, err: HibpError) -> CliError {
    let hint = match &err {
        HibpError::Io(_) => "Check the path given to --hibp.",
        _ => DOWNLOAD_HINT,
    };
    CliError::new(Code::Other, format!("{}: {err}", path.display())).hint(hint)
}
