//! Handing entries over for a while, instead of telling a colleague the password.
//!
//! The giver picks entries and writes a `.crmhandover` file ([`file`]) sealed with a passphrase
//! they pass on another way. The colleague receives it into their own vault ([`Vault::receive`]):
//! the entries arrive marked [`HandedOver`] (giver, expiry), cannot be edited, and at the expiry
//! they leave the vault on every laptop: the hand-over's id goes into a grow-only set
//! ([`HandoverLedger::gone`]) that the normal merge unions, and a merge drops every entry whose
//! hand-over is gone, values and all. The giver's vault remembers what it gave ([`Given`]); once
//! the expiry has passed, the security report asks for each such password to be changed.
//!
//! A hand-over without an expiry is a company hand-over (accounts handed to IT when someone
//! leaves): its entries stay, and its passwords are flagged as handed over at once.

pub mod file;
mod ledger;

pub use file::{HandedEntry, HandoverFile, ReadError};
pub use ledger::{EditError, HandOverError, HandoverLedger, ReceiveError, Received};

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::clock::Hlc;
use crate::model::EntryId;

/// The shortest and longest expiry a hand-over may have, in milliseconds: an hour to 30 days.
pub const EXPIRY_RANGE_MS: std::ops::RangeInclusive<u64> = HOUR_MS..=30 * 24 * HOUR_MS;
const HOUR_MS: u64 = 60 * 60 * 1000;

/// A hand-over's id: random, the same in the file, the giver's vault and the receiver's entries.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HandoverId(pub uuid::Uuid);

impl HandoverId {
    pub fn random() -> Self {
        HandoverId(uuid::Builder::from_random_bytes(crate::crypto::random_array()).into_uuid())
    }
}

impl fmt::Display for HandoverId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for HandoverId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HandoverId({})", self.0)
    }
}

/// The mark on an entry that arrived in a hand-over. Set when it is received, never changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandedOver {
    pub id: HandoverId,
    /// The giver's name, as they wrote it into the file.
    pub giver: String,
    /// When the entry leaves the vault (milliseconds since the epoch); `None`: it stays (a
    /// company hand-over).
    pub expires_ms: Option<u64>,
}

impl HandedOver {
    /// Whether the expiry has passed at `now_ms`.
    pub fn expired(&self, now_ms: u64) -> bool {
        self.expires_ms.is_some_and(|expires| expires <= now_ms)
    }
}

/// A hand-over this vault made: to whom, which entries, when, until when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    pub id: HandoverId,
    /// Whom it was for, as the giver wrote it (may be empty).
    pub to: String,
    pub entries: Vec<EntryId>,
    /// The vault's clock when the file was made: a password whose clock is not later was in it.
    pub made: Hlc,
    /// `None`: no expiry (a company hand-over).
    pub expires_ms: Option<u64>,
}

impl Given {
    /// Whether the passwords in it are due for a change at `now_ms`: the colleague's time with
    /// them is over (or, without an expiry, they have them for good) and they still know them.
    pub fn calls_for_change(&self, now_ms: u64) -> bool {
        self.expires_ms.is_none_or(|expires| expires <= now_ms)
    }
}
