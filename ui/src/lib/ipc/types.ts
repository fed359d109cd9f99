// The shapes that cross IPC. They are generated from the Rust types (ts-rs, in
// ./bindings/, checked for staleness in CI); this file only gathers them and
// adds the names the UI uses for parts of them.

export type { AppState } from './bindings/AppState';
export type { DraftField } from './bindings/DraftField';
export type { EntryDetail } from './bindings/EntryDetail';
export type { EntryDraft } from './bindings/EntryDraft';
export type { EntrySummary } from './bindings/EntrySummary';
export type { FieldView } from './bindings/FieldView';
export type { GeneratorOptions } from './bindings/GeneratorOptions';
export type { HistoryView } from './bindings/HistoryView';
export type { IpcError } from './bindings/IpcError';
export type { KdfChoice } from './bindings/KdfChoice';
export type { KdfCost } from './bindings/KdfCost';
export type { LockedEvent } from './bindings/LockedEvent';
export type { QuickUnlockStatus } from './bindings/QuickUnlockStatus';
export type { Settings } from './bindings/Settings';
export type { Stage } from './bindings/Stage';
export type { Strength } from './bindings/Strength';

import type { LockedEvent } from './bindings/LockedEvent';
import type { Settings } from './bindings/Settings';

export type Language = Settings['language'];
export type Theme = Settings['theme'];
export type LockReason = LockedEvent['reason'];
/** Payload of the `vault-locked` event. */
export type VaultLockedPayload = LockedEvent;
