//! Commands that only read: ls, search, show.

use std::path::Path;

use crate::error::{CliError, Result};
use crate::secrets::Secrets;
use crate::view::{Details, Summary};
use session::field::Field;
use vault::activity::EventKind;
use vault::find;
use vault::{Entry, SecretText};

pub fn list(path: &Path, query: Option<&str>, json: bool, favourites: bool) -> Result<()> {
    let password = Secrets::from_stdin().master_password()?;
    let unlock = super::open(path, &password)?;
    // Without a query every entry is listed: the listing order alone, without building the
    // lower-cased search text of every entry that an empty query would match anyway (at 10,000
    // entries that text is most of what `ls` spends beyond opening and saving the vault).
    let entries = match query {
        Some(query) => find::search(&unlock.vault, query),
        None => unlock.vault.sorted_entries(),
    };
    let entries: Vec<&Entry> = entries.into_iter().filter(|e| !favourites || e.favourite.value).collect();
    if json {
        let summaries: Vec<Summary> = entries.iter().map(|e| Summary::of(e)).collect();
        let printed = super::print(&(serde_json::to_string_pretty(&summaries).expect("summaries serialise") + "\n"));
        return unlock.finish(printed);
    }
    let mut out = String::new();
    for entry in entries {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            entry.id,
            one_line(&entry.title.value),
            one_line(&entry.username.value),
            entry.url()
        ));
    }
    let printed = super::print(&out);
    unlock.finish(printed)
}

pub fn show(path: &Path, reference: &str, field: Option<&str>, json: bool, show_secrets: bool) -> Result<()> {
    let password = Secrets::from_stdin().master_password()?;
    let mut unlock = super::open(path, &password)?;
    let entry = find::resolve(&unlock.vault, reference)?;
    let id = entry.id;
    // Each secret shown is a reveal, recorded by the field's name before it is printed.
    let (text, revealed) = if let Some(name) = field {
        let value = field_value(entry, name)?;
        (format!("{}\n", value.expose()), secret_name(entry, &Field::from_cli(name)).into_iter().collect())
    } else {
        let revealed = if show_secrets { secrets_shown(entry, json) } else { Vec::new() };
        let text = if json {
            serde_json::to_string_pretty(&Details::of(entry, show_secrets)).expect("details serialise") + "\n"
        } else {
            text_details(entry, show_secrets)
        };
        (text, revealed)
    };
    for name in revealed {
        unlock.record(EventKind::Reveal, Some(id), name);
    }
    let printed = super::print(&text);
    unlock.finish(printed)
}

/// The name a reveal of `field` is recorded under, if the field is a secret: the password, the
/// TOTP setup, a hidden custom field, or an earlier value of one of those.
fn secret_name(entry: &Entry, field: &Field) -> Option<String> {
    match field {
        Field::Password => Some("password".to_owned()),
        Field::Totp => Some("totp".to_owned()),
        Field::Custom(name) => {
            entry.custom_field(name).filter(|(_, f)| f.hidden).map(|(name, _)| format!("field:{name}"))
        }
        Field::History(index) => {
            let item = entry.history.get(*index as usize)?;
            let secret = match item.field.strip_prefix("field:") {
                Some(name) => entry.custom_field(name).is_none_or(|(_, f)| f.hidden),
                None => matches!(item.field.as_str(), "password" | "totp"),
            };
            secret.then(|| format!("history:{}", item.field))
        }
        _ => None,
    }
}

/// The secrets `show --show-secrets` prints: those that are set (earlier values only in JSON).
fn secrets_shown(entry: &Entry, json: bool) -> Vec<String> {
    let mut names = Vec::new();
    if !entry.password.value.is_empty() {
        names.push("password".to_owned());
    }
    if !entry.totp.value.is_empty() {
        names.push("totp".to_owned());
    }
    names.extend(entry.custom_fields().filter(|(_, f)| f.hidden).map(|(name, _)| format!("field:{name}")));
    if json && !entry.history.is_empty() {
        names.push("history".to_owned());
    }
    names
}

/// The value of `--field NAME`: a built-in field, a custom field by name, or "history:N".
fn field_value(entry: &Entry, name: &str) -> Result<SecretText> {
    if name.eq_ignore_ascii_case("id") {
        return Err(CliError::usage("use `show --json` for the id"));
    }
    Field::from_cli(name).stored_in(entry).ok_or_else(|| {
        let names: Vec<&str> = entry.custom_fields().map(|(n, _)| n).collect();
        let known = if names.is_empty() {
            "it has no custom fields".to_owned()
        } else {
            format!("its custom fields are: {}", names.join(", "))
        };
        CliError::new(crate::error::Code::NotFound, format!("\"{}\" has no field \"{name}\"", entry.title.value))
            .hint(format!("Fields are {}; {known}.", Field::BUILT_IN.join(", ")))
    })
}

fn text_details(entry: &Entry, show_secrets: bool) -> String {
    let mask = |text: &vault::SecretText| match (text.is_empty(), show_secrets) {
        (true, _) => String::new(),
        (false, true) => text.expose().to_owned(),
        (false, false) => "********".to_owned(),
    };
    let summary = Summary::of(entry);
    let mut out = format!(
        "Title: {}\nUsername: {}\nPassword: {}\nURL: {}\n",
        entry.title.value,
        entry.username.value,
        mask(&entry.password.value),
        entry.urls.value.join(" ")
    );
    if !entry.totp.value.is_empty() {
        out.push_str(&format!("TOTP: {}\n", mask(&entry.totp.value)));
    }
    out.push_str(&format!("Tags: {}\n", summary.tags.join(", ")));
    for (name, field) in entry.custom_fields() {
        let value = if field.hidden { mask(&field.value) } else { field.value.expose().to_owned() };
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push_str(&format!("Notes: {}\n", entry.notes.value));
    if let Some(rules) = &entry.rules.value {
        out.push_str(&format!("Password rules: {}\n", describe_rules(rules)));
    }
    if let Some(day) = entry.expires.value {
        out.push_str(&format!("Expires: {day}\n"));
    }
    if !entry.also_fill_on.value.is_empty() {
        out.push_str(&format!("Also fill on: {}\n", entry.also_fill_on.value.join(" ")));
    }
    if let Some(sequence) = &entry.autotype_sequence.value {
        out.push_str(&format!("Auto-type: {sequence}\n"));
    }
    if !entry.autotype_windows.value.is_empty() {
        out.push_str(&format!("Auto-type windows: {}\n", entry.autotype_windows.value.join(" | ")));
    }
    out.push_str(&format!(
        "Id: {}\nCreated: {}\nModified: {}\nPassword changed: {}\n",
        summary.id, summary.created, summary.modified, summary.password_changed
    ));
    out
}

/// "8 to 16 characters; symbols !@#; needs upper, digits".
fn describe_rules(rules: &vault::generate::PasswordRules) -> String {
    let symbols = if rules.symbols.is_empty() { "no symbols".to_owned() } else { format!("symbols {}", rules.symbols) };
    let r = rules.required;
    let needs: Vec<&str> = [(r.lower, "lower"), (r.upper, "upper"), (r.digits, "digits"), (r.symbols, "symbols")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    let needs = if needs.is_empty() { String::new() } else { format!("; needs {}", needs.join(", ")) };
    format!("{} to {} characters; {symbols}{needs}", rules.min_length, rules.max_length)
}

/// Keeps a listing to one line per entry even if a title holds a newline or tab.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}
