//! Finding and reading the policy file. A file that cannot be read in full (a wrong type, an
//! unknown key, a value out of range) is not applied at all: half a policy would look enforced
//! while it is not, so the front ends say the file is malformed and where.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use super::CompanyPolicy;

/// The environment variable that names another policy file (tests, portable installs).
pub const VARIABLE: &str = "CRM_VAULT_POLICY";
/// Where IT places the policy for every user of the computer.
pub const SYSTEM_PATH: &str = "/etc/crm-vault/policy.toml";

/// Why a policy file was looked for where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicySource {
    /// Named by [`VARIABLE`].
    Environment,
    /// The system-wide place, [`SYSTEM_PATH`].
    System,
}

/// Where the policy file is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLocation {
    pub path: PathBuf,
    pub source: PolicySource,
}

impl PolicyLocation {
    /// The file `variable` (the value of [`VARIABLE`], if set and not empty) names, else
    /// `system_path`. Given as parameters so tests need not touch the process's environment.
    pub fn choose(variable: Option<OsString>, system_path: &Path) -> PolicyLocation {
        match variable.filter(|v| !v.is_empty()) {
            Some(path) => PolicyLocation { path: path.into(), source: PolicySource::Environment },
            None => PolicyLocation { path: system_path.to_owned(), source: PolicySource::System },
        }
    }

    /// This process's: [`VARIABLE`] if set, else [`SYSTEM_PATH`].
    pub fn from_environment() -> PolicyLocation {
        PolicyLocation::choose(std::env::var_os(VARIABLE), Path::new(SYSTEM_PATH))
    }
}

/// A policy file that is there but cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PolicyError {
    #[error("the company policy file {} could not be read: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("the company policy file {} is malformed at line {line}, column {column}: {message}", path.display())]
    Malformed { path: PathBuf, line: usize, column: usize, message: String },
}

/// What was found where the policy is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// No file: nothing is enforced.
    None { location: PolicyLocation },
    /// A policy in force.
    InForce { policy: CompanyPolicy, location: PolicyLocation },
    /// A file that cannot be applied: nothing of it is enforced.
    Failed { error: PolicyError, location: PolicyLocation },
}

impl Loaded {
    /// The policy to enforce, if there is one that could be read in full.
    pub fn policy(&self) -> Option<&CompanyPolicy> {
        match self {
            Loaded::InForce { policy, .. } => Some(policy),
            _ => None,
        }
    }

    pub fn location(&self) -> &PolicyLocation {
        match self {
            Loaded::None { location } | Loaded::InForce { location, .. } | Loaded::Failed { location, .. } => location,
        }
    }

    pub fn error(&self) -> Option<&PolicyError> {
        match self {
            Loaded::Failed { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Reads the policy at `location`. No file there is no policy; anything else that goes wrong
/// is an error, and then no part of the file is applied.
pub fn load(location: &PolicyLocation) -> Loaded {
    let location = location.clone();
    let text = match std::fs::read_to_string(&location.path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Loaded::None { location },
        Err(err) => {
            let error = PolicyError::Unreadable { path: location.path.clone(), reason: err.to_string() };
            return Loaded::Failed { error, location };
        }
    };
    match parse(&text, &location.path) {
        Ok(policy) => Loaded::InForce { policy, location },
        Err(error) => Loaded::Failed { error, location },
    }
}

/// The policy written in `text` (read from `path`, named in errors).
pub fn parse(text: &str, path: &Path) -> Result<CompanyPolicy, PolicyError> {
    toml::from_str(text).map_err(|err| {
        let (line, column) = err.span().map_or((1, 1), |span| line_and_column(text, span.start));
        PolicyError::Malformed { path: path.to_owned(), line, column, message: err.message().trim().to_owned() }
    })
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        assert_eq!(line_and_column(text, 10), (2, 4));
    }

    #[test]
    fn the_variable_wins_over_the_system_file_unless_empty() {
        let system = Path::new("/etc/x.toml");
        let chosen = PolicyLocation::choose(Some("/tmp/p.toml".into()), system);
        assert_eq!((chosen.path.as_path(), chosen.source), (Path::new("/tmp/p.toml"), PolicySource::Environment));
        assert_eq!(PolicyLocation::choose(Some("".into()), system).source, PolicySource::System);
        assert_eq!(PolicyLocation::choose(None, system).path, system);
    }
}
