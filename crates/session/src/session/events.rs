//! The activity log in the app: every use case that does something worth a record notes an
//! event here, and the page lists them. Events that come with a change are saved with it;
//! events alone (a reveal, a copy, a fill, an unlock) are saved at once by a save that keeps no
//! backup. Never a secret value: only field names, origins, window titles and counts.

use std::collections::BTreeMap;
use std::path::Path;

use vault::activity::{Event, EventKind, Filter, Notice};
use vault::model::Entry;
use vault::{Clock, EntryId, Hlc, SystemClock, Vault};

use super::Session;
use crate::activity;
use crate::error::{ErrorCode, Result, error, locked};
use crate::policy;
use crate::view::{
    ActivityDevice, ActivityEvent, ActivityFilter, ActivityPage, SyncNews, UnlockNotice, UnlockNoticeKind,
};

impl Session {
    /// Records `event` and saves it at once, without a backup: for use cases whose own save
    /// does not carry it (a hand-over made, an export, a backup put back).
    pub fn record(&mut self, event: Event) -> Result<()> {
        self.open.as_mut().ok_or_else(locked)?.vault.record(event);
        self.save_activity()
    }

    /// An event of this laptop, now, about `entry` if given: to pass to [`Session::record`].
    pub fn event(&self, kind: EventKind, entry: Option<EntryId>, detail: impl Into<String>) -> Event {
        let mut event = Event::new(kind, self.author()).detail(detail);
        event.entry = entry;
        event
    }

    /// Notes an event that goes out with the save that follows (a change to the vault).
    pub(super) fn note(&mut self, kind: EventKind, entry: Option<EntryId>, detail: impl Into<String>) {
        let event = self.event(kind, entry, detail);
        if let Some(open) = self.open.as_mut() {
            open.vault.record(event);
        }
    }

    /// Records an event that changes nothing else, and saves it now. A failed save does not fail
    /// what the user did (the value was copied, the page filled): the event stays in the open
    /// vault and goes out with the next save, and the sync status shows why the file could not
    /// be written.
    pub(super) fn record_alone(&mut self, kind: EventKind, entry: Option<EntryId>, detail: impl Into<String>) {
        self.note(kind, entry, detail);
        let _ = self.save_activity();
    }

    fn save_activity(&mut self) -> Result<()> {
        let open = self.open.as_mut().ok_or_else(locked)?;
        let report = crate::write::save_activity(&self.device, &mut open.file, &mut open.vault)
            .map_err(crate::error::from_save)?;
        self.sync.note_save(&report);
        Ok(())
    }

    /// A wrong master password or PIN for `path`: it waits on this laptop for the next unlock,
    /// and is remembered as typed on this unlock screen (see `notices_typed_here` for the rule
    /// on which of these the user is told about after the unlock).
    pub(super) fn note_failed_unlock(&mut self, path: &Path, how: &str) {
        let now = SystemClock.now_ms();
        activity::failed_unlock(&self.config_dir, path, how, now);
        self.typed_here.push(now);
    }

    /// The vault just opened at `path`: the attempts waiting here go into it, the notices are
    /// kept for the page, and the unlock is recorded and saved.
    pub(super) fn record_unlock(&mut self, path: &Path, how: &str) {
        let Some(open) = self.open.as_mut() else { return };
        let now = SystemClock.now_ms();
        let typed_here = std::mem::take(&mut self.typed_here);
        let unlocked =
            activity::record_unlock(&self.config_dir, path, &mut open.vault, &self.device, how, now, Some(&typed_here));
        self.unlock_notices = unlocked.notices.iter().map(|n| notice_view(n, &open.vault)).collect();
        // Until saved, the failed attempts stay on this laptop too (told again, never lost).
        if self.save_activity().is_ok() {
            activity::forget_moved(&self.config_dir, path, &unlocked);
        }
    }

    /// What the last unlock found worth a look; told once.
    pub fn take_unlock_notices(&mut self) -> Vec<UnlockNotice> {
        std::mem::take(&mut self.unlock_notices)
    }

    /// The newest events that pass `filter`, at most [`policy::ACTIVITY_LIST_LIMIT`].
    pub fn activity(&self, filter: &ActivityFilter) -> Result<ActivityPage> {
        let vault = &self.unlocked()?.vault;
        let filter = core_filter(filter)?;
        let limit = policy::ACTIVITY_LIST_LIMIT;
        let mut matching = vault.activity.query(&filter);
        let events: Vec<ActivityEvent> = matching.by_ref().take(limit).map(|e| self.event_view(vault, e)).collect();
        let more = matching.next().is_some();
        Ok(ActivityPage { events, more, limit: limit as u32 })
    }

    /// The entry's last few events, for its "recent activity".
    pub fn entry_activity(&self, id: &str) -> Result<Vec<ActivityEvent>> {
        let vault = &self.unlocked()?.vault;
        let entry: EntryId = id.parse().map_err(|_| crate::error::not_found())?;
        let filter = Filter { entry: Some(entry), ..Filter::default() };
        let events = vault.activity.query(&filter).take(policy::ENTRY_ACTIVITY_LIMIT);
        Ok(events.map(|e| self.event_view(vault, e)).collect())
    }

    /// The laptops that appear in the log or wrote to the vault, by name.
    pub fn activity_devices(&self) -> Result<Vec<ActivityDevice>> {
        let vault = &self.unlocked()?.vault;
        let mut ids: Vec<vault::DeviceId> = vault.devices.keys().copied().collect();
        ids.extend(vault.activity.iter().map(|e| e.device));
        ids.sort();
        ids.dedup();
        let mut devices: Vec<ActivityDevice> = ids
            .into_iter()
            .map(|id| ActivityDevice {
                id: id.to_string(),
                name: vault.device_name(id),
                this_device: id == self.device.id,
            })
            .collect();
        devices.sort_by_key(|d| d.name.to_lowercase());
        Ok(devices)
    }

    fn event_view(&self, vault: &Vault, event: &Event) -> ActivityEvent {
        ActivityEvent {
            id: event.id.to_string(),
            at_ms: event.at_ms,
            kind: event.kind.name().to_owned(),
            device: vault.device_name(event.device),
            device_id: event.device.to_string(),
            entry_id: event.entry.map(|id| id.to_string()),
            title: vault.event_title(event).to_owned(),
            detail: event.detail.clone(),
            this_device: event.device == self.device.id,
        }
    }

    /// Records what a sync brought in from another laptop's save or a copy.
    pub(super) fn record_merge(&mut self, news: &SyncNews) {
        let entries = news.added + news.updated + news.deleted + news.restored;
        if entries == 0 && !news.settings_changed && news.copies_merged == 0 {
            return;
        }
        let from = if news.from.is_empty() { "another laptop".to_owned() } else { news.from.join(", ") };
        let noun = if entries == 1 { "entry" } else { "entries" };
        let mut detail = format!("from {from}: {entries} {noun}");
        if news.copies_merged > 0 {
            detail.push_str(&format!(", {} copies", news.copies_merged));
        }
        if news.settings_changed {
            detail.push_str(", settings");
        }
        self.record_alone(EventKind::Merge, None, detail);
    }
}

/// The page's filter in the core's terms.
fn core_filter(filter: &ActivityFilter) -> Result<Filter> {
    let invalid = |what: &str| error(ErrorCode::Invalid, format!("{what} is not in the activity log's terms"));
    let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(Filter {
        since_ms: filter.since_ms,
        until_ms: filter.until_ms,
        entry: blank(&filter.entry_id).map(|id| id.parse().map_err(|_| invalid("the entry"))).transpose()?,
        kinds: filter.kinds.iter().map(|k| k.parse().map_err(|_| invalid(k))).collect::<Result<_>>()?,
        device: blank(&filter.device_id).map(|id| id.parse().map_err(|_| invalid("the device"))).transpose()?,
    })
}

fn notice_view(notice: &Notice, vault: &Vault) -> UnlockNotice {
    match notice {
        Notice::FailedAttempts { device, count, last_ms } => UnlockNotice {
            kind: UnlockNoticeKind::FailedAttempts,
            device: vault.device_name(*device),
            device_id: device.to_string(),
            count: *count,
            at_ms: *last_ms,
        },
        Notice::NewDevice { device, at_ms } => UnlockNotice {
            kind: UnlockNoticeKind::NewDevice,
            device: vault.device_name(*device),
            device_id: device.to_string(),
            count: 1,
            at_ms: *at_ms,
        },
    }
}

/// The clock of every field an edit can change, by the name the log gives it.
pub(super) fn field_stamps(entry: &Entry) -> BTreeMap<String, Hlc> {
    let mut stamps = BTreeMap::from([
        ("title".to_owned(), entry.title.clock),
        ("username".to_owned(), entry.username.clock),
        ("password".to_owned(), entry.password.clock),
        ("urls".to_owned(), entry.urls.clock),
        ("notes".to_owned(), entry.notes.clock),
        ("totp".to_owned(), entry.totp.clock),
        ("rules".to_owned(), entry.rules.clock),
        ("expires".to_owned(), entry.expires.clock),
        ("also-fill-on".to_owned(), entry.also_fill_on.clock),
        ("autotype-sequence".to_owned(), entry.autotype_sequence.clock),
        ("autotype-windows".to_owned(), entry.autotype_windows.clock),
    ]);
    if let Some(tags) = entry.tags.values().map(|t| t.clock).max() {
        stamps.insert("tags".to_owned(), tags);
    }
    for (name, field) in &entry.fields {
        stamps.insert(format!("field:{name}"), field.clock);
    }
    stamps
}

/// The names of the fields whose clock moved between `before` and `after`, comma-separated.
pub(super) fn changed_fields(before: &BTreeMap<String, Hlc>, after: &BTreeMap<String, Hlc>) -> String {
    let names: Vec<&str> =
        after.iter().filter(|(name, clock)| before.get(*name) != Some(*clock)).map(|(name, _)| name.as_str()).collect();
    names.join(",")
}

/// The names of the vault settings that differ between `before` and `after`, comma-separated
/// (this laptop's own settings, such as the language, are not the vault's and are not logged).
pub(super) fn changed_settings(before: &crate::view::Settings, after: &crate::view::Settings) -> String {
    let pairs = [
        ("auto-lock-minutes", before.auto_lock_minutes != after.auto_lock_minutes),
        ("clipboard-clear-seconds", before.clipboard_clear_seconds != after.clipboard_clear_seconds),
        ("rotation-days", before.rotation_days != after.rotation_days),
        ("owner-name", before.owner_name != after.owner_name),
        ("company", before.company != after.company),
        ("activity-keep-days", before.activity_keep_days != after.activity_keep_days),
        ("activity-keep-events", before.activity_keep_events != after.activity_keep_events),
    ];
    pairs.iter().filter(|(_, changed)| *changed).map(|(name, _)| *name).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests;
