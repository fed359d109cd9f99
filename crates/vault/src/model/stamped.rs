//! A value together with the clock of the write that set it.

use serde::{Deserialize, Serialize};

use crate::clock::Hlc;

/// One field's current value and when (and where) it was written. Merge keeps the newer one.
/// `Default` is the value before anything was written (clock zero): what a file from before a
/// field existed reads as, so any real write wins over it in a merge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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

impl<T: Default + PartialEq> Stamped<T> {
    /// Never written: the default value at clock zero, what a file without the member reads as.
    /// Members added later are left out of the file in this state, so files of vaults that never
    /// use them stay as they were (and open in versions that do not know them).
    pub fn is_unwritten(&self) -> bool {
        self.clock == Hlc::default() && self.value == T::default()
    }
}
