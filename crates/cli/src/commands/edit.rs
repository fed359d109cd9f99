//! Commands that change entries: add, edit, rm. Each holds the save lock from read to write.

use std::path::Path;

use crate::args::{CharacterKind, EntryFields, GenerateArgs, RulesArgs, parse_field};
use crate::error::{CliError, Result};
use crate::secrets::Secrets;
use vault::activity::EventKind;
use vault::find::FindError;
use vault::generate::{self, CharacterRecipe, Classes, PasswordRules, SYMBOLS};
use vault::{CustomField, Entry, EntryEdit, NewEntry, SecretText, find};

pub fn add(path: &Path, title: String, fields: EntryFields, generate: GenerateArgs) -> Result<()> {
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let rules = rules(None, &fields.rules)?;
    let autofill = Autofill::check(&fields)?;
    let password = if generate.generate { Some(generated(generate.length, rules.as_ref())?) } else { None };
    let named = named_fields(&fields)?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let password = match password {
        Some(p) => p,
        None => secrets.new_secret_line("entry password")?.unwrap_or_default(),
    };
    let totp = totp_link(&mut secrets, fields.totp.as_deref())?.unwrap_or_default();
    let read = read_fields(&mut secrets, &fields)?;
    let hidden = fields.hidden;
    let new = NewEntry {
        title,
        username: fields.username.unwrap_or_default(),
        password,
        urls: fields.urls,
        notes: fields.notes.unwrap_or_default(),
        totp,
        tags: fields.tags,
        fields: named
            .into_iter()
            .map(|(name, value)| (name, CustomField { value: SecretText::new(value), hidden: false }))
            .chain(read.into_iter().map(|(name, value)| (name, CustomField { value, hidden })))
            .collect(),
        rules,
        expires: fields.expires,
        also_fill_on: autofill.also_fill_on,
        autotype_sequence: autofill.autotype_sequence.flatten(),
        autotype_windows: autofill.autotype_windows,
    };
    let id = unlock.vault.add_entry(new, unlock.me.author());
    unlock.record(EventKind::EntryCreated, Some(id), "");
    unlock.save()?;
    super::print(&format!("{id}\n"))
}

pub struct EditArgs {
    pub title: Option<String>,
    pub fields: EntryFields,
    pub remove_tags: Vec<String>,
    pub remove_fields: Vec<String>,
    pub no_rules: bool,
    pub no_expiry: bool,
    pub no_also_fill_on: bool,
    pub default_autotype: bool,
    pub no_autotype_windows: bool,
    pub password_stdin: bool,
    pub generate: GenerateArgs,
}

pub fn edit(path: &Path, reference: &str, args: EditArgs) -> Result<()> {
    let named = named_fields(&args.fields)?;
    let autofill = Autofill::check(&args.fields)?;
    let mut secrets = Secrets::from_stdin();
    let master = secrets.master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let entry = find::resolve(&unlock.vault, reference)?;
    let (id, title, before) = (entry.id, entry.title.value.clone(), entry.clone());
    let new_rules =
        if args.no_rules { Some(None) } else { rules(entry.rules.value.as_ref(), &args.fields.rules)?.map(Some) };
    // Regenerating follows the system's rules: the new ones if given, else those remembered.
    let current_rules = new_rules.clone().unwrap_or_else(|| entry.rules.value.clone());
    let generated_password =
        if args.generate.generate { Some(generated(args.generate.length, current_rules.as_ref())?) } else { None };
    let password = match (generated_password, args.password_stdin) {
        (Some(p), _) => Some(p),
        (None, true) => Some(secrets.new_secret_line("new entry password")?.ok_or_else(|| {
            CliError::usage("--password-stdin was given but standard input has no line 2 with the new password")
        })?),
        (None, false) => None,
    };
    let totp = totp_link(&mut secrets, args.fields.totp.as_deref())?;
    let read = read_fields(&mut secrets, &args.fields)?;
    let tags = if args.fields.tags.is_empty() && args.remove_tags.is_empty() {
        None
    } else {
        let mut tags: Vec<String> = entry.tags().map(str::to_owned).filter(|t| !args.remove_tags.contains(t)).collect();
        tags.extend(args.fields.tags);
        Some(tags)
    };
    // A new value for an existing field keeps that field's hidden flag, unless --hidden asks
    // for it to be hidden.
    let hidden_now = |name: &str| entry.custom_field(name).is_some_and(|(_, f)| f.hidden);
    let mut fields: Vec<(String, Option<CustomField>)> = named
        .into_iter()
        .map(|(name, value)| {
            let field = CustomField { value: SecretText::new(value), hidden: hidden_now(&name) };
            (name, Some(field))
        })
        .collect();
    fields.extend(read.into_iter().map(|(name, value)| {
        let field = CustomField { value, hidden: args.fields.hidden || hidden_now(&name) };
        (name, Some(field))
    }));
    fields.extend(args.remove_fields.into_iter().map(|name| (name, None)));
    let change = EntryEdit {
        title: args.title,
        username: args.fields.username,
        password,
        urls: (!args.fields.urls.is_empty()).then_some(args.fields.urls),
        notes: args.fields.notes,
        totp,
        tags,
        fields,
        rules: new_rules,
        expires: if args.no_expiry { Some(None) } else { args.fields.expires.map(Some) },
        also_fill_on: given_or_cleared(autofill.also_fill_on, args.no_also_fill_on),
        autotype_sequence: if args.default_autotype { Some(None) } else { autofill.autotype_sequence },
        autotype_windows: given_or_cleared(autofill.autotype_windows, args.no_autotype_windows),
    };
    let changed = unlock.vault.edit_entry(id, change, unlock.me.author()).map_err(session::session::from_edit)?;
    if !changed {
        eprintln!("\"{title}\" already had those values; nothing to save.");
        return unlock.finish(Ok(()));
    }
    let after = unlock.vault.entry(id).expect("entry was just edited");
    let names = changed_fields(&before, after).join(", ");
    unlock.record(EventKind::EntryEdited, Some(id), names);
    unlock.save()?;
    eprintln!("Updated \"{title}\".");
    Ok(())
}

pub fn remove(path: &Path, reference: &str) -> Result<()> {
    let master = Secrets::from_stdin().master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let entry = find::resolve(&unlock.vault, reference)?;
    let (id, title) = (entry.id, entry.title.value.clone());
    unlock.vault.delete_entry(id, unlock.me.author()).expect("entry was just found");
    unlock.record(EventKind::EntryDeleted, Some(id), "");
    unlock.save()?;
    eprintln!("Deleted \"{title}\" ({id}).");
    Ok(())
}

pub fn undelete(path: &Path, reference: &str) -> Result<()> {
    let master = Secrets::from_stdin().master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let wanted = reference.trim().to_lowercase();
    let deleted: Vec<&Entry> = unlock
        .vault
        .entries
        .values()
        // Not a tombstone: deleted for ever is not in the trash.
        .filter(|e| e.is_deleted() && !e.is_purged())
        .filter(|e| e.id.to_string() == wanted || e.title.value.to_lowercase() == wanted)
        .collect();
    let (id, title) = match deleted.as_slice() {
        [one] => (one.id, one.title.value.clone()),
        [] => return Err(FindError::NotFound(reference.to_owned()).into()),
        many => {
            let candidates = many.iter().map(|e| (e.id, e.title.value.clone(), e.username.value.clone())).collect();
            return Err(FindError::Ambiguous { query: reference.to_owned(), candidates }.into());
        }
    };
    unlock.vault.restore_entry(id, unlock.me.author()).expect("entry was just found");
    unlock.record(EventKind::EntryRestored, Some(id), "");
    unlock.save()?;
    eprintln!("Restored \"{title}\" ({id}).");
    Ok(())
}

/// Stars (`on`) or un-stars an entry. Not an edit: nothing in the activity log, the entry's
/// modified time stays.
pub fn favourite(path: &Path, reference: &str, on: bool) -> Result<()> {
    let master = Secrets::from_stdin().master_password()?;
    let mut unlock = super::open_for_edit(path, &master)?;
    let entry = find::resolve(&unlock.vault, reference)?;
    let (id, title) = (entry.id, entry.title.value.clone());
    let changed = unlock.vault.set_favourite(id, on, unlock.me.author()).expect("entry was just found");
    if changed {
        unlock.save()?;
    }
    let verb = if on { "Starred" } else { "Took the star off" };
    eprintln!("{verb} \"{title}\" ({id}).");
    Ok(())
}

/// The names of the fields an edit changed, as the log lists them ("password", "field:PIN"):
/// told by the write clocks, so no value is ever compared or copied.
fn changed_fields(before: &Entry, after: &Entry) -> Vec<String> {
    let mut names: Vec<String> = [
        ("title", before.title.clock != after.title.clock),
        ("username", before.username.clock != after.username.clock),
        ("password", before.password.clock != after.password.clock),
        ("urls", before.urls.clock != after.urls.clock),
        ("notes", before.notes.clock != after.notes.clock),
        ("totp", before.totp.clock != after.totp.clock),
        ("tags", after.tags.iter().any(|(name, tag)| before.tags.get(name).is_none_or(|t| t.clock != tag.clock))),
        ("rules", before.rules.clock != after.rules.clock),
        ("expires", before.expires.clock != after.expires.clock),
        ("also-fill-on", before.also_fill_on.clock != after.also_fill_on.clock),
        ("autotype", before.autotype_sequence.clock != after.autotype_sequence.clock),
        ("autotype-windows", before.autotype_windows.clock != after.autotype_windows.clock),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(name, _)| name.to_owned())
    .collect();
    names.extend(
        after
            .fields
            .iter()
            .filter(|(name, field)| before.fields.get(*name).is_none_or(|f| f.clock != field.clock))
            .map(|(name, _)| format!("field:{name}")),
    );
    names
}

/// The login window and auto-type options, checked before anything is read or asked for, in the
/// form they are stored.
struct Autofill {
    also_fill_on: Vec<String>,
    /// `None` when --autotype was not given; `Some(None)` when given blank, for the default.
    autotype_sequence: Option<Option<String>>,
    autotype_windows: Vec<String>,
}

impl Autofill {
    fn check(fields: &EntryFields) -> Result<Autofill> {
        use vault::autofill::settings;
        let also_fill_on = settings::also_fill_on(&fields.also_fill_on)
            .map_err(|err| CliError::usage(format!("--also-fill-on: {err}")))?;
        let autotype_sequence = match &fields.autotype {
            None => None,
            Some(text) => Some(settings::autotype_sequence(Some(text)).map_err(|err| {
                CliError::usage(format!("--autotype: {err}")).hint(
                    "Placeholders are in braces: {USERNAME}, {PASSWORD}, {TOTP}, {TAB}, {ENTER}, {DELAY 500}; \
                     type a brace as {{} or {}}.",
                )
            })?),
        };
        let autotype_windows = settings::autotype_windows(&fields.autotype_windows)
            .map_err(|err| CliError::usage(format!("--autotype-window: {err}")))?;
        Ok(Autofill { also_fill_on, autotype_sequence, autotype_windows })
    }
}

/// A list option of `edit`: replaced when given, emptied by its --no-... flag, else left alone.
fn given_or_cleared(given: Vec<String>, clear: bool) -> Option<Vec<String>> {
    if clear { Some(Vec::new()) } else { (!given.is_empty()).then_some(given) }
}

/// A new password: `length` characters of every kind, or what the system's rules allow; raised
/// to the company policy (as far as the system's rules allow).
fn generated(length: Option<usize>, rules: Option<&PasswordRules>) -> Result<SecretText> {
    let policy = super::company::in_force();
    let raised = match (&policy, rules) {
        (Some(policy), Some(rules)) => Some(vault::company::tighten_rules(policy, rules)),
        _ => rules.cloned(),
    };
    let rules = raised.as_ref();
    let mut recipe = match rules {
        Some(rules) => rules.recipe().map_err(CliError::usage)?,
        None => CharacterRecipe::default(),
    };
    if let Some(length) = length {
        if let Some(rules) = rules
            && !(rules.min_length..=rules.max_length).contains(&(length as u16))
        {
            let (min, max) = (rules.min_length, rules.max_length);
            return Err(CliError::usage(format!("this system takes passwords of {min} to {max} characters")));
        }
        recipe.length = length;
    }
    if rules.is_some() {
        // The system's rules already hold the policy as far as the system allows.
        return generate::password(&recipe).map_err(CliError::usage);
    }
    let recipe = generate::Recipe::Characters(recipe);
    vault::company::generate_under(policy.as_ref(), &recipe).map(|made| made.password).map_err(CliError::usage)
}

/// The rules given on the command line, on top of `current` (or of permissive defaults);
/// `None` if no rule option was given.
fn rules(current: Option<&PasswordRules>, args: &RulesArgs) -> Result<Option<PasswordRules>> {
    if args.min_length.is_none()
        && args.max_length.is_none()
        && args.allowed_symbols.is_none()
        && args.require.is_none()
    {
        return Ok(None);
    }
    let mut rules = current.cloned().unwrap_or(PasswordRules {
        min_length: 8,
        max_length: 128,
        symbols: SYMBOLS.to_owned(),
        required: Classes::default(),
    });
    rules.min_length = args.min_length.unwrap_or(rules.min_length);
    rules.max_length = args.max_length.unwrap_or(rules.max_length);
    if let Some(symbols) = &args.allowed_symbols {
        rules.symbols = symbols.clone();
    }
    if let Some(kinds) = &args.require {
        let has = |kind| kinds.contains(&kind);
        rules.required = Classes {
            lower: has(CharacterKind::Lower),
            upper: has(CharacterKind::Upper),
            digits: has(CharacterKind::Digits),
            symbols: has(CharacterKind::Symbols),
        };
    }
    rules.validate().map_err(CliError::usage)?;
    Ok(Some(rules))
}

/// `--totp`: checked and stored in canonical form, so a typo is caught now, not at the next
/// login. `-` reads it from standard input; an empty value removes the TOTP.
fn totp_link(secrets: &mut Secrets, given: Option<&str>) -> Result<Option<SecretText>> {
    let parse = |text: &str| {
        vault::totp::Totp::parse(text)
            .map(|totp| Some(totp.to_uri()))
            .map_err(|err| CliError::usage(format!("--totp: {err}")))
    };
    match given {
        None => Ok(None),
        Some("-") => parse(&secrets.totp_link("--totp")?),
        Some(text) if text.trim().is_empty() => Ok(Some(SecretText::default())),
        Some(text) => {
            super::warn_secret_argument("--totp");
            parse(text)
        }
    }
}

/// The `--field NAME=VALUE` options, checked before anything is read or asked for.
fn named_fields(fields: &EntryFields) -> Result<Vec<(String, String)>> {
    let named: Vec<(String, String)> =
        fields.custom.iter().map(|text| parse_field(text)).collect::<std::result::Result<_, _>>().map_err(|err| {
            CliError::usage(err)
                .hint("For example --field 'Employee ID=4711'; for a secret value use --field-stdin NAME.")
        })?;
    let mut seen: Vec<&str> = Vec::new();
    for name in named.iter().map(|(name, _)| name.as_str()).chain(fields.fields_from_stdin.iter().map(|n| n.trim())) {
        if name.is_empty() {
            return Err(CliError::usage("--field-stdin needs the field's name"));
        }
        if seen.iter().any(|s| s.to_lowercase() == name.to_lowercase()) {
            return Err(CliError::usage(format!("the field \"{name}\" is given more than once")));
        }
        seen.push(name);
    }
    Ok(named)
}

/// The values of the `--field-stdin` fields, in the order of the options.
fn read_fields(secrets: &mut Secrets, fields: &EntryFields) -> Result<Vec<(String, SecretText)>> {
    fields
        .fields_from_stdin
        .iter()
        .map(|name| {
            let name = name.trim().to_owned();
            secrets.field_value(&name).map(|value| (name, value))
        })
        .collect()
}
