//! Shared helpers for the CLI tests: a temp folder per test with its own config folder, a vault
//! made with cheap key-derivation settings, and runs of the real `crm-vault` binary.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The master password of the vaults the tests make (Chinese and an emoji on purpose).
pub const MASTER: &str = "Tr0ub4dor&3 主密码 🔐";

/// Master passwords to change to. Each is strong enough for the master-password rule (the app's,
/// `session::policy`), which `init` and `passwd` apply as the app does.
pub const NEW_MASTER: &str = "orbit kettle marble juniper";
pub const LAPTOP_B_MASTER: &str = "laptop B walnut cobalt ferry";

/// Argon2id at its accepted minimum, so every unlock takes milliseconds.
pub const CHEAP_KDF: [&str; 6] = ["--kdf-memory-mib", "19", "--kdf-iterations", "2", "--kdf-parallelism", "1"];

pub const CONFIG_ENV: &str = "CRM_VAULT_CONFIG_DIR";

/// The path of the binary under test, for runs that need `std::process` directly.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("crm-vault")
}

/// Standard input holding the master password only.
pub fn master() -> String {
    format!("{MASTER}\n")
}

/// Standard input holding the master password, then a second secret.
pub fn master_and(second: &str) -> String {
    format!("{MASTER}\n{second}\n")
}

/// What a run of the CLI did.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "crm-vault {:?}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, 0, "expected success\n{self}");
        self.no_panic()
    }

    /// Asserts the exit code, that the run did not panic, and that it said why on stderr.
    #[track_caller]
    pub fn failure(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit code {code}\n{self}");
        assert!(!self.stderr.trim().is_empty(), "a failure must say why on stderr\n{self}");
        self.no_panic()
    }

    #[track_caller]
    pub fn no_panic(self) -> Run {
        assert!(!self.stderr.contains("panicked"), "the CLI panicked\n{self}");
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(self.stderr.contains(needle), "stderr should mention {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(self.stdout.contains(needle), "stdout should mention {needle:?}\n{self}");
        self
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| panic!("stdout is not JSON ({err})\n{self}"))
    }

    /// Everything the run printed, to check that a secret appears nowhere.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Turns a finished `std::process::Output` into a [`Run`].
pub fn run_of(args: Vec<String>, output: &std::process::Output) -> Run {
    Run {
        args,
        // A process killed by a signal has no code; -1 never matches an expected one.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Is this string an entry id as the CLI prints it (a hyphenated UUID)?
pub fn is_id(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// One test's world: a temp folder with a config folder and (usually) a vault.
#[derive(Debug)]
pub struct Sandbox {
    pub dir: TempDir,
    pub config: PathBuf,
    pub vault: PathBuf,
}

impl Sandbox {
    /// A temp folder without a vault yet.
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new().prefix("crm-vault-cli-").tempdir().expect("temp dir");
        let config = dir.path().join("config");
        std::fs::create_dir(&config).expect("config dir");
        let vault = dir.path().join("work.crmvault");
        Sandbox { dir, config, vault }
    }

    /// A temp folder with an empty vault at `self.vault`, unlocked by [`MASTER`].
    pub fn with_vault() -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.init_at(&sandbox.vault, MASTER).success();
        sandbox
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn vault_str(&self) -> &str {
        self.vault.to_str().expect("temp paths are UTF-8")
    }

    /// `crm-vault ARGS` with this sandbox's config folder.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("crm-vault").expect("the crm-vault binary is built");
        cmd.env(CONFIG_ENV, &self.config).current_dir(self.dir.path()).timeout(std::time::Duration::from_secs(120));
        // The company policy is this sandbox's (none until a test writes it), never the computer's.
        cmd.env("CRM_VAULT_POLICY", self.path("policy.toml"));
        cmd
    }

    /// Runs `crm-vault ARGS` with `stdin`.
    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        let output = self.command().args(args).write_stdin(stdin).output().expect("run crm-vault");
        run_of(args.iter().map(|a| a.to_string()).collect(), &output)
    }

    /// Runs `crm-vault COMMAND VAULT REST...` on this sandbox's vault.
    pub fn on_vault(&self, command: &str, rest: &[&str], stdin: &str) -> Run {
        let mut args = vec![command, self.vault_str()];
        args.extend_from_slice(rest);
        self.run(&args, stdin)
    }

    /// `crm-vault init PATH` with the cheap KDF and the given master password.
    pub fn init_at(&self, path: &Path, password: &str) -> Run {
        let mut args = vec!["init", path.to_str().expect("UTF-8 path")];
        args.extend_from_slice(&CHEAP_KDF);
        self.run(&args, &format!("{password}\n"))
    }

    /// Adds an entry with `password` as line 2 and returns its id.
    #[track_caller]
    pub fn add(&self, title: &str, rest: &[&str], password: &str) -> String {
        let mut args = vec!["--title", title];
        args.extend_from_slice(rest);
        let run = self.on_vault("add", &args, &master_and(password)).success();
        let id = run.stdout.trim_end_matches('\n');
        assert!(
            is_id(id) && run.stdout.ends_with('\n') && !id.contains('\n'),
            "add must print the new id alone on one line\n{run}"
        );
        id.to_owned()
    }

    /// `ls --json`, parsed.
    #[track_caller]
    pub fn ls_json(&self) -> Vec<Value> {
        let run = self.on_vault("ls", &["--json"], &master()).success();
        run.json().as_array().unwrap_or_else(|| panic!("ls --json must print an array\n{run}")).clone()
    }

    /// The titles `ls --json` lists, in order.
    #[track_caller]
    pub fn titles(&self) -> Vec<String> {
        self.ls_json().iter().map(|e| e["title"].as_str().expect("title is a string").to_owned()).collect()
    }

    /// The ids `ls --json` lists, in order.
    #[track_caller]
    pub fn ids(&self) -> Vec<String> {
        self.ls_json().iter().map(|e| e["id"].as_str().expect("id is a string").to_owned()).collect()
    }

    /// `show ENTRY --json [-s]`, parsed.
    #[track_caller]
    pub fn show_json(&self, entry: &str, secrets: bool) -> Value {
        let mut rest = vec![entry, "--json"];
        if secrets {
            rest.push("-s");
        }
        self.on_vault("show", &rest, &master()).success().json()
    }

    /// `show ENTRY --field NAME`: the value without its line end.
    #[track_caller]
    pub fn field(&self, entry: &str, name: &str) -> String {
        self.field_with(entry, name, &master())
    }

    /// [`Self::field`] with another master password on standard input.
    pub fn field_with(&self, entry: &str, name: &str, stdin: &str) -> String {
        let run = self.on_vault("show", &[entry, "--field", name], stdin).success();
        assert!(run.stdout.ends_with('\n'), "--field prints its value on one line\n{run}");
        run.stdout[..run.stdout.len() - 1].to_owned()
    }

    pub fn vault_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.vault).expect("read the vault file")
    }

    /// The folder where the vault's backups are kept (`NAME.backups/` beside it).
    pub fn backups_dir(&self) -> PathBuf {
        self.path("work.backups")
    }

    /// The lines `crm-vault backups VAULT` prints.
    #[track_caller]
    pub fn backup_lines(&self) -> Vec<String> {
        let run = self.on_vault("backups", &[], "").success();
        run.stdout.lines().map(str::to_owned).collect()
    }
}

/// Is this process running as root? Read from `/proc/self/status` (no libc needed).
pub fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    // Uid: real effective saved filesystem
    line.split_whitespace().nth(2)?.parse().ok()
}

pub fn is_root() -> bool {
    effective_uid() == Some(0)
}

/// Sets a path's Unix permission bits.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|err| panic!("chmod {mode:o} {}: {err}", path.display()));
}

/// A small pseudo-random generator (xorshift64*) for timing choices; seeded from the clock or
/// `CRM_VAULT_TEST_SEED`, and the seed is printed so a failing run can be repeated.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn from_env_or_clock() -> Rng {
        let seed = std::env::var("CRM_VAULT_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970");
            now.as_nanos() as u64 ^ u64::from(std::process::id())
        });
        eprintln!("random seed: {seed} (set CRM_VAULT_TEST_SEED={seed} to repeat)");
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..=max`.
    pub fn up_to(&mut self, max: u64) -> u64 {
        self.next() % (max + 1)
    }
}
