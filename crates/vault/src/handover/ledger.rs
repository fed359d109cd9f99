//! What a vault keeps about hand-overs, and the vault's hand-over operations: making one,
//! receiving one, and letting expired ones go.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

use super::file::{HandedEntry, HandoverFile, MAX_ENTRIES, MAX_NAME_CHARS};
use super::{EXPIRY_RANGE_MS, Given, HandedOver, HandoverId};
use crate::clock::Hlc;
use crate::model::{Author, Entry, EntryId, NewEntry, Vault};

pub use crate::model::EditError;

/// The vault's record of hand-overs. Both halves only grow, so two copies merge by union.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverLedger {
    /// Hand-overs this vault made, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub given: BTreeMap<HandoverId, Given>,
    /// Received hand-overs whose expiry has passed: their entries are dropped from every copy.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub gone: BTreeSet<HandoverId>,
}

impl HandoverLedger {
    pub fn is_empty(&self) -> bool {
        self.given.is_empty() && self.gone.is_empty()
    }

    /// The union of two ledgers. A hand-over is never changed once made, so both copies of one
    /// id are equal; if a hand-made file says otherwise the larger is kept, whatever the order.
    pub fn merge(a: &HandoverLedger, b: &HandoverLedger) -> HandoverLedger {
        let mut given = a.given.clone();
        for (id, theirs) in &b.given {
            let keep = match given.get(id) {
                Some(ours) => ours.clone().max(theirs.clone()),
                None => theirs.clone(),
            };
            given.insert(*id, keep);
        }
        HandoverLedger { given, gone: a.gone.union(&b.gone).copied().collect() }
    }

    /// Whether a merged vault keeps `entry`: not if it arrived in a hand-over that is gone.
    pub fn keeps(&self, entry: &Entry) -> bool {
        entry.handed_over.as_ref().is_none_or(|mark| !self.gone.contains(&mark.id))
    }
}

/// Why a hand-over could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HandOverError {
    #[error("choose at least one entry to hand over")]
    NoEntries,
    #[error("a hand-over can carry at most {MAX_ENTRIES} entries")]
    TooManyEntries,
    #[error("no entry with id {0}")]
    NoSuchEntry(EntryId),
    /// Entries lent to this vault are not this vault's to pass on.
    #[error("\"{0}\" was handed over to you; it cannot be handed on")]
    HandedOverEntry(String),
    #[error("a hand-over lasts from an hour to 30 days")]
    ExpiryOutOfRange,
}

/// Why a hand-over could not be received.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ReceiveError {
    #[error("this hand-over expired at {}", crate::clock::rfc3339(*expires_ms))]
    Expired { expires_ms: u64 },
    /// Received before and expired since: its id is in [`HandoverLedger::gone`].
    #[error("this hand-over has already expired in this vault")]
    AlreadyGone,
}

/// What receiving a hand-over did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: HandoverId,
    /// Entries added: 0 when it had been received before.
    pub added: usize,
    pub already_received: bool,
    pub giver: String,
    pub expires_ms: Option<u64>,
}

impl Vault {
    /// The contents of a hand-over of `entries` lasting `lasts_ms` (`None`: a company hand-over
    /// without expiry), and the record of it for this vault ([`Vault::remember_given`]). Changes
    /// nothing: the caller remembers it once the file is written.
    pub fn prepare_handover(
        &self,
        entries: &[EntryId],
        giver: &str,
        to: &str,
        lasts_ms: Option<u64>,
        author: Author<'_>,
    ) -> Result<(HandoverFile, Given), HandOverError> {
        if entries.is_empty() {
            return Err(HandOverError::NoEntries);
        }
        if entries.len() > MAX_ENTRIES {
            return Err(HandOverError::TooManyEntries);
        }
        if lasts_ms.is_some_and(|ms| !EXPIRY_RANGE_MS.contains(&ms)) {
            return Err(HandOverError::ExpiryOutOfRange);
        }
        let unique: BTreeSet<EntryId> = entries.iter().copied().collect();
        let mut handed = Vec::with_capacity(unique.len());
        for id in &unique {
            let entry = self.entry(*id).filter(|e| !e.is_deleted()).ok_or(HandOverError::NoSuchEntry(*id))?;
            if entry.handed_over.is_some() {
                return Err(HandOverError::HandedOverEntry(entry.title.value.clone()));
            }
            handed.push(handed_entry(entry));
        }
        let now_ms = author.clock.now_ms();
        let made = Hlc::tick(self.clock, now_ms, author.device);
        let expires_ms = lasts_ms.map(|ms| now_ms.saturating_add(ms));
        let id = HandoverId::random();
        let giver: String = giver.trim().chars().take(MAX_NAME_CHARS).collect();
        let file = HandoverFile { id, giver, made_ms: now_ms, expires_ms, entries: handed };
        let given = Given { id, to: to.trim().to_owned(), entries: unique.into_iter().collect(), made, expires_ms };
        Ok((file, given))
    }

    /// Records a hand-over this vault made (see [`Vault::prepare_handover`]).
    pub fn remember_given(&mut self, given: Given) {
        self.clock = self.clock.max(given.made);
        self.handovers.given.insert(given.id, given);
    }

    /// Hand-overs this vault made, newest first.
    pub fn given_handovers(&self) -> Vec<&Given> {
        let mut given: Vec<&Given> = self.handovers.given.values().collect();
        given.sort_by_key(|g| std::cmp::Reverse(g.made));
        given
    }

    /// Adds a hand-over's entries, marked as handed over, as of `now_ms`. All or nothing;
    /// receiving one a second time (on this laptop or another) adds nothing, because the entries'
    /// ids come from the hand-over's id.
    pub fn receive(
        &mut self,
        handover: &HandoverFile,
        now_ms: u64,
        author: Author<'_>,
    ) -> Result<Received, ReceiveError> {
        if let Some(expires_ms) = handover.expires_ms.filter(|&expires| expires <= now_ms) {
            return Err(ReceiveError::Expired { expires_ms });
        }
        if self.handovers.gone.contains(&handover.id) {
            return Err(ReceiveError::AlreadyGone);
        }
        let mut received = Received {
            id: handover.id,
            added: 0,
            already_received: false,
            giver: handover.giver.clone(),
            expires_ms: handover.expires_ms,
        };
        let ids: Vec<EntryId> = (0..handover.entries.len()).map(|i| received_entry_id(handover.id, i)).collect();
        if ids.iter().any(|id| self.entries.contains_key(id)) {
            received.already_received = true;
            return Ok(received);
        }
        let mark = HandedOver { id: handover.id, giver: handover.giver.clone(), expires_ms: handover.expires_ms };
        self.clock = Hlc::tick(self.clock, author.clock.now_ms(), author.device);
        for (id, handed) in ids.into_iter().zip(&handover.entries) {
            let mut entry = Entry::create(id, new_entry(handed), self.clock);
            entry.handed_over = Some(mark.clone());
            self.entries.insert(id, entry);
        }
        received.added = handover.entries.len();
        Ok(received)
    }

    /// Lets go of received hand-overs whose expiry has passed at `now_ms`: their ids join
    /// [`HandoverLedger::gone`] and their entries leave the vault entirely (not into the trash:
    /// their values must leave the file). Returns the (title, giver) of each live entry dropped.
    /// The session calls it on unlock and before each save; merges do the rest on other laptops.
    pub fn drop_expired_handovers(&mut self, now_ms: u64) -> Vec<(String, String)> {
        let expired: Vec<HandoverId> = self
            .entries
            .values()
            .filter_map(|e| e.handed_over.as_ref())
            .filter(|m| m.expired(now_ms))
            .map(|m| m.id)
            .collect();
        self.handovers.gone.extend(expired);
        let mut dropped = Vec::new();
        let ledger = &self.handovers;
        self.entries.retain(|_, entry| {
            let keep = ledger.keeps(entry);
            if !keep && !entry.is_deleted() {
                let giver = entry.handed_over.as_ref().map(|m| m.giver.clone()).unwrap_or_default();
                dropped.push((entry.title.value.clone(), giver));
            }
            keep
        });
        dropped
    }
}

/// A received entry's id: derived from the hand-over's id and the entry's place in it, so two
/// laptops receiving the same file make the same entries, and a file cannot pick the id of an
/// entry the vault already has.
fn received_entry_id(handover: HandoverId, index: usize) -> EntryId {
    let mut hash = Sha256::new();
    hash.update(b"CRM Vault hand-over entry");
    hash.update(handover.0.as_bytes());
    hash.update((index as u64).to_le_bytes());
    let digest = hash.finalize();
    let bytes: [u8; 16] = digest[..16].try_into().expect("a SHA-256 digest has 32 bytes");
    EntryId(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

fn handed_entry(entry: &Entry) -> HandedEntry {
    HandedEntry {
        title: entry.title.value.clone(),
        username: entry.username.value.clone(),
        password: entry.password.value.clone(),
        urls: entry.urls.value.clone(),
        notes: entry.notes.value.clone(),
        totp: entry.totp.value.clone(),
        fields: entry.custom_fields().map(|(name, field)| (name.to_owned(), field.clone())).collect(),
        tags: entry.tags().map(str::to_owned).collect(),
    }
}

fn new_entry(handed: &HandedEntry) -> NewEntry {
    NewEntry {
        title: handed.title.clone(),
        username: handed.username.clone(),
        password: handed.password.clone(),
        urls: handed.urls.clone(),
        notes: handed.notes.clone(),
        totp: handed.totp.clone(),
        tags: handed.tags.clone(),
        fields: handed.fields.clone(),
        ..NewEntry::default()
    }
}
