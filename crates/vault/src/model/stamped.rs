//! A value together with the clock of the write that set it.

use serde::{Deserialize, Serialize};

use crate::clock::Hlc;

/// One field's current value and when (and where) it was written. Merge keeps the newer one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamped<T> {
    #[serde(rename = "v")]
    pub value: T,
    #[serde(rename = "c")]
    pub clock: Hlc,
}

impl<T> Stamped<T> {
    pub fn new(value: T, clock: Hlc) -> Self {
        Stamped { value, clock }
    }
}
