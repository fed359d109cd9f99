//! The page's commands, listed once. The list registers them with Tauri ([`handler`]), checks
//! at compile time that each entry's arguments and answer are the function's own, and writes the
//! typed TypeScript the page calls them through (`ui/src/lib/ipc/bindings/commands.ts`, by
//! `cargo test -p crm-vault-app`). So a command renamed, or an argument or answer changed, in
//! Rust either fails this build or changes that file, and then the page's type check fails.
//!
//! Each entry is `fn` or `async fn` (as the command is declared), the command's name, the
//! arguments Tauri fills in itself (`app`, `state`: not sent by the page) in brackets, then the
//! arguments the page sends and the answer, as in the function.

#[cfg(test)]
use std::collections::BTreeSet;
#[cfg(test)]
use std::fmt::Write as _;
#[cfg(test)]
use ts_rs::{Config, Dependency, TS, TypeVisitor};

use tauri::{AppHandle, State};

use crate::commands::{self, Shared};
use session::error::Result;
use session::view::*;
use vault::SecretText;

/// The type of an argument Tauri fills in, by the name the commands give it.
macro_rules! injected {
    (app) => { AppHandle };
    (state) => { State<'_, Shared> };
}

/// One function per command with the listed signature that calls the command: it compiles only
/// if the command takes exactly these arguments, in this order, and answers this type.
macro_rules! signature_check {
    (fn $name:ident [$($inj:ident),*] ($($arg:ident : $ty:ty),*) -> $answer:ty) => {
        pub fn $name($($inj: injected!($inj),)* $($arg: $ty),*) -> $answer {
            commands::$name($($inj,)* $($arg),*)
        }
    };
    (async $name:ident [$($inj:ident),*] ($($arg:ident : $ty:ty),*) -> $answer:ty) => {
        pub async fn $name($($inj: injected!($inj),)* $($arg: $ty),*) -> $answer {
            commands::$name($($inj,)* $($arg),*).await
        }
    };
}

macro_rules! commands {
    ($($kind:ident $name:ident [$($inj:ident),*] ($($arg:ident : $ty:ty),* $(,)?) -> $answer:ty;)*) => {
        /// Tauri's handler for every listed command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$name),*]
        }

        #[allow(dead_code, clippy::too_many_arguments)]
        mod signatures {
            use super::*;
            $(signature_check!($kind $name [$($inj),*] ($($arg: $ty),*) -> $answer);)*
        }

        /// Every listed command as the page sees it.
        #[cfg(test)]
        pub fn listed() -> Vec<Command> {
            vec![$(Command {
                name: stringify!($name),
                injected: vec![$(stringify!($inj)),*],
                args: vec![$(Arg { name: stringify!($arg), ts: ts_of::<$ty>, imports: imports_of::<$ty> }),*],
                answer: <$answer as Answer>::ts,
                answer_imports: <$answer as Answer>::imports,
            }),*]
        }
    };
}

commands! {
    fn app_state[state]() -> AppState;
    async choose_vault_file[app]() -> Option<String>;
    async choose_vault_location[app]() -> Option<String>;
    async create_vault[state](path: String, password: SecretText) -> Result<AppState>;
    fn open_vault[state](path: String) -> Result<AppState>;
    async unlock[app, state](password: SecretText, remember_pin: Option<SecretText>) -> Result<AppState>;
    async quick_unlock[app, state](pin: String) -> Result<AppState>;
    fn lock[app, state]() -> AppState;
    fn list_entries[state](sort: Option<ListSort>) -> Result<Vec<EntrySummary>>;
    fn search[state](query: String) -> Result<Vec<u32>>;
    fn entry_detail[state](id: String) -> Result<EntryDetail>;
    fn reveal[state](id: String, what: String) -> Result<SecretText>;
    fn copy[app, state](id: String, what: String) -> Result<()>;
    fn open_url[app, state](id: String) -> Result<()>;
    fn open_login[app](id: String) -> Result<LoginOpen>;
    fn auto_type[app](id: String, window: Option<u32>) -> Result<()>;
    fn add_to_desktop[app, state](id: String) -> Result<String>;
    fn save_entry[state](id: Option<String>, draft: EntryDraft) -> Result<String>;
    fn delete_entry[state](id: String) -> Result<()>;
    fn restore_entry[state](id: String) -> Result<()>;
    fn list_trash[state]() -> Result<Vec<EntrySummary>>;
    fn set_favourite[state](id: String, favourite: bool) -> Result<()>;
    fn purge_entry[state](id: String) -> Result<()>;
    fn empty_trash[state]() -> Result<u32>;
    fn restore_history[state](id: String, index: u32) -> Result<EntryDetail>;
    fn generate_password[state](options: GeneratorOptions) -> Result<Generated>;
    fn generator_options[state]() -> GeneratorOptions;
    fn policy[]() -> Policy;
    fn generate_for_rules[state](rules: RulesView) -> Result<Generated>;
    fn check_password[state](request: PasswordCheckRequest) -> Result<PasswordCheck>;
    fn password_strength[](password: SecretText, user_inputs: Vec<String>) -> Strength;
    fn totp_code[state](id: String) -> Result<TotpCode>;
    fn totp_qr[state](id: String) -> Result<QrView>;
    fn parse_totp[state](text: SecretText) -> Result<TotpPreview>;
    async import_totp_file[app, state]() -> Result<Option<TotpPreview>>;
    async import_totp_clipboard[state]() -> Result<TotpPreview>;
    async security_report[state]() -> Result<SecurityReport>;
    async choose_hibp_file[app, state]() -> Result<AppState>;
    fn clear_hibp_file[state]() -> Result<AppState>;
    fn update_settings[app, state](settings: Settings) -> Result<AppState>;
    async measure_kdf[](choice: KdfChoice) -> Result<KdfCost>;
    fn current_kdf[state]() -> Result<KdfChoice>;
    async change_master_password[state](current: SecretText, new: SecretText, kdf: Option<KdfChoice>) -> Result<()>;
    async set_quick_unlock[state](enabled: bool, hours: u32, pin: Option<String>) -> Result<AppState>;
    fn sync_status[state]() -> SyncStatus;
    async adopt_new_password[state](password: String) -> Result<SyncStatus>;
    async preview_held_copy[state](name: String, password: Option<String>) -> Result<CopyPreview>;
    async merge_held_copy[state](name: String, password: Option<String>) -> Result<SyncStatus>;
    fn touch[state]() -> ();
    async choose_handover_location[app]() -> Option<String>;
    async choose_handover_file[app]() -> Option<String>;
    fn suggest_handover_passphrase[state]() -> Result<String>;
    async make_handover[state](ids: Vec<String>, to: String, hours: u32, passphrase: SecretText, path: String) -> Result<HandoverMade>;
    async receive_handover[state](path: String, passphrase: SecretText) -> Result<HandoverReceived>;
    async hand_over_company_accounts[state](to: String, passphrase: SecretText, path: String) -> Result<HandoverMade>;
    fn given_handovers[state]() -> Result<Vec<GivenHandover>>;
    fn company_policy[state]() -> CompanyPolicyView;
    fn inventory[state]() -> Result<Vec<InventoryRowView>>;
    async save_inventory_csv[app, state]() -> Result<Option<String>>;
    fn activity[state](filter: ActivityFilter) -> Result<ActivityPage>;
    fn entry_activity[state](id: String) -> Result<Vec<ActivityEvent>>;
    fn activity_devices[state]() -> Result<Vec<ActivityDevice>>;
    fn take_unlock_notices[state]() -> Vec<UnlockNotice>;
    fn backup_offer[state]() -> Option<BackupOffer>;
    fn list_backups[state]() -> Result<Vec<BackupView>>;
    fn restore_backup[state](name: String) -> Result<AppState>;
    async restore_backup_at_unlock[app, state](name: String, password: SecretText) -> Result<AppState>;
    async choose_import_file[app]() -> Option<String>;
    async preview_import[app, state](path: String, format: Option<String>, password: Option<SecretText>, key_file: Option<String>, keep_notes: bool) -> Result<ImportPreview>;
    fn apply_import[state](token: u32) -> Result<ImportDone>;
    async choose_export_location[app](format: String) -> Option<String>;
    async export_vault[state](path: String, format: String, password: Option<SecretText>, plain_text_ok: bool) -> Result<ExportDone>;
}

#[cfg(test)]
type TsFn = fn(&Config) -> String;
#[cfg(test)]
type ImportsFn = fn(&Config, &mut BTreeSet<String>);

#[cfg(test)]
/// A command as the page sees it: Tauri's name, what the page sends, what it gets back.
pub struct Command {
    pub name: &'static str,
    pub injected: Vec<&'static str>,
    pub args: Vec<Arg>,
    answer: TsFn,
    answer_imports: ImportsFn,
}

#[cfg(test)]
pub struct Arg {
    pub name: &'static str,
    ts: TsFn,
    imports: ImportsFn,
}

#[cfg(test)]
fn ts_of<T: TS>(cfg: &Config) -> String {
    T::name(cfg)
}

/// The exported types `T` names (itself, or what an `Option` or `Vec` holds), to import; their
/// declarations are written too (as the session crate's tests write them), so every import
/// resolves, also for a type only a command names (`SecretText`).
#[cfg(test)]
fn imports_of<T: TS + 'static>(cfg: &Config, out: &mut BTreeSet<String>) {
    struct Visit<'a>(&'a Config, &'a mut BTreeSet<String>);
    impl TypeVisitor for Visit<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if let Some(dep) = Dependency::from_ty::<U>(self.0) {
                if let Err(err) = U::export_all(self.0) {
                    panic!("could not write {}: {err}", dep.ts_name);
                }
                self.1.insert(dep.ts_name);
            }
        }
    }
    let mut visit = Visit(cfg, out);
    visit.visit::<T>();
    T::visit_generics(&mut visit);
}

#[cfg(test)]
/// What the page's promise resolves to: a `Result`'s value (its error is always an `IpcError`,
/// the promise's rejection), or the answer itself for commands that cannot fail.
pub trait Answer {
    fn ts(cfg: &Config) -> String;
    fn imports(cfg: &Config, out: &mut BTreeSet<String>);
}

#[cfg(test)]
impl<T: Answer> Answer for Result<T> {
    fn ts(cfg: &Config) -> String {
        T::ts(cfg)
    }
    fn imports(cfg: &Config, out: &mut BTreeSet<String>) {
        T::imports(cfg, out)
    }
}

#[cfg(test)]
impl Answer for () {
    fn ts(_: &Config) -> String {
        "void".to_owned()
    }
    fn imports(_: &Config, _: &mut BTreeSet<String>) {}
}

#[cfg(test)]
/// The answers that are TypeScript types as they are.
macro_rules! plain_answers {
    ($($ty:ty),*) => {$(
        #[cfg(test)]
        impl Answer for $ty {
            fn ts(cfg: &Config) -> String { ts_of::<$ty>(cfg) }
            fn imports(cfg: &Config, out: &mut BTreeSet<String>) { imports_of::<$ty>(cfg, out) }
        }
    )*};
}

#[cfg(test)]
plain_answers!(
    AppState,
    LoginOpen,
    String,
    SecretText,
    Option<String>,
    Option<TotpPreview>,
    Vec<u32>,
    u32,
    Vec<EntrySummary>,
    EntryDetail,
    Generated,
    GeneratorOptions,
    Policy,
    PasswordCheck,
    Strength,
    TotpCode,
    QrView,
    TotpPreview,
    SecurityReport,
    KdfCost,
    KdfChoice,
    SyncStatus,
    CopyPreview,
    HandoverMade,
    HandoverReceived,
    Vec<GivenHandover>,
    CompanyPolicyView,
    Vec<InventoryRowView>,
    ActivityPage,
    Vec<ActivityEvent>,
    Vec<ActivityDevice>,
    Vec<UnlockNotice>,
    Option<BackupOffer>,
    Vec<BackupView>,
    ImportPreview,
    ImportDone,
    ExportDone
);

#[cfg(test)]
/// Tauri's key for an argument: the Rust name in camelCase.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
/// The TypeScript module: one typed function per command, calling it by its Tauri name with its
/// arguments under Tauri's keys.
pub fn typescript() -> String {
    let cfg = Config::from_env();
    let listed = listed();
    let mut imports = BTreeSet::new();
    for command in &listed {
        (command.answer_imports)(&cfg, &mut imports);
        for arg in &command.args {
            (arg.imports)(&cfg, &mut imports);
        }
    }
    let mut out = String::from(
        "// Generated from the command list in src-tauri/src/ipc.rs by `cargo test -p crm-vault-app`. Do not edit.\n\
         import { invoke } from '@tauri-apps/api/core';\n",
    );
    for name in &imports {
        let _ = writeln!(out, "import type {{ {name} }} from './{name}';");
    }
    out.push_str(
        "\n/** Every command of the desktop app, by its name in Rust (in camelCase). */\nexport const commands = {\n",
    );
    for command in &listed {
        let answer = (command.answer)(&cfg);
        let (params, args) = if command.args.is_empty() {
            (String::new(), String::new())
        } else {
            let fields: Vec<String> =
                command.args.iter().map(|arg| format!("{}: {}", camel(arg.name), (arg.ts)(&cfg))).collect();
            (format!("args: {{ {} }}", fields.join("; ")), ", args".to_owned())
        };
        let _ = writeln!(
            out,
            "  {}: ({params}): Promise<{answer}> => invoke<{answer}>('{}'{args}),",
            camel(command.name),
            command.name
        );
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Writes the page's command module; `scripts/test` fails if the checked-in one differs.
    #[test]
    fn the_page_command_module_is_written_from_the_list() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc/bindings/commands.ts");
        let module = typescript();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(module.as_str()) {
            std::fs::write(&path, &module).unwrap();
        }
        assert!(module.contains(
            "  createVault: (args: { path: string; password: SecretText }): Promise<AppState> => invoke<AppState>('create_vault', args),"
        ));
        assert!(module.contains("  touch: (): Promise<void> => invoke<void>('touch'),"));
        assert!(module.contains("rememberPin: SecretText | null"));
        assert!(module.contains("import type { EntrySummary } from './EntrySummary';"));
    }

    /// A command the page may not call fails at run time with a bare string, not at build time:
    /// the permission list in build.rs and the main window's capability must name every listed
    /// command, and nothing else.
    #[test]
    fn every_listed_command_has_its_permission_and_the_main_window_is_granted_it() {
        let build = include_str!("../build.rs");
        let capability = include_str!("../capabilities/main.json");
        let mut granted: Vec<String> = capability
            .split('"')
            .filter_map(|word| word.strip_prefix("allow-"))
            .map(|name| name.replace('-', "_"))
            .collect();
        let mut manifest: Vec<String> = build
            .lines()
            .filter_map(|line| line.trim().strip_prefix('"')?.strip_suffix("\","))
            .map(str::to_owned)
            .collect();
        let mut names: Vec<String> = listed().iter().map(|c| c.name.to_owned()).collect();
        granted.sort();
        manifest.sort();
        names.sort();
        assert_eq!(manifest, names, "src-tauri/build.rs's command list");
        assert_eq!(granted, names, "src-tauri/capabilities/main.json's allow- permissions");
    }

    /// Tauri matches arguments by name, which the compile-time check cannot see: the names in the
    /// list must be the functions' own, in order.
    #[test]
    fn every_listed_argument_has_the_name_the_function_gives_it() {
        let source = include_str!("commands.rs");
        for command in listed() {
            let start = source
                .find(&format!("fn {}(", command.name))
                .unwrap_or_else(|| panic!("{} is not in commands.rs", command.name));
            let params = &source[start + command.name.len() + 4..];
            // The parameter list ends at the first ") ->" or ") {", whichever comes first.
            let end = [params.find(") ->"), params.find(") {")].into_iter().flatten().min().unwrap();
            let params = &params[..end];
            let names: Vec<&str> = params
                .split(',')
                .filter_map(|param| param.split_once(':').map(|(name, _)| name.trim()))
                .filter(|name| !name.is_empty() && !name.contains('<') && !name.contains('>'))
                .collect();
            let listed: Vec<&str> =
                command.injected.iter().copied().chain(command.args.iter().map(|a| a.name)).collect();
            assert_eq!(names, listed, "{}", command.name);
        }
    }
}
