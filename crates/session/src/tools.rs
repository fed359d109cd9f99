//! Calls that need no vault: rating a password, timing key derivation.

use secrecy::SecretString;
use std::time::Instant;
use vault::{KdfParams, crypto};

use crate::error::{ErrorCode, Result, error};
use crate::view::{KdfChoice, KdfCost, Strength};

pub fn strength(password: &str, user_inputs: &[String]) -> Strength {
    let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
    let rated = vault::strength::strength(password, &inputs);
    Strength { score: rated.score, warning: rated.warning, suggestions: rated.suggestions }
}

/// How long unlocking takes on this computer with `choice`: one real Argon2id run.
pub fn measure_kdf(choice: KdfChoice) -> Result<KdfCost> {
    let params = KdfParams::from_mib(choice.memory_mib, choice.iterations, choice.parallelism)
        .map_err(|e| error(ErrorCode::KdfRange, e))?;
    let salt: [u8; 32] = crypto::random_array();
    let start = Instant::now();
    crypto::derive_kek(&SecretString::from("timing only"), &salt, params).map_err(|e| error(ErrorCode::KdfRange, e))?;
    Ok(KdfCost { choice, millis: start.elapsed().as_millis() as u64 })
}
