//! `crm-vault`: the command line of CRM Vault. Parsing and printing only; every rule lives in
//! the `vault` library.

mod args;
mod commands;
mod error;
mod secrets;
mod view;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("crm-vault: {}", err.message);
            if let Some(hint) = &err.hint {
                eprintln!("{hint}");
            }
            ExitCode::from(err.code as u8)
        }
    }
}
