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
export type { ErrorCode } from './bindings/ErrorCode';
export type { KdfChoice } from './bindings/KdfChoice';
export type { KdfCost } from './bindings/KdfCost';
export type { ListSort } from './bindings/ListSort';
export type { ListDensity } from './bindings/ListDensity';
export type { LockedEvent } from './bindings/LockedEvent';
export type { QuickUnlockStatus } from './bindings/QuickUnlockStatus';
export type { Settings } from './bindings/Settings';
export type { Stage } from './bindings/Stage';
export type { Strength } from './bindings/Strength';
export type { BreachCheck } from './bindings/BreachCheck';
export type { EntryRefView } from './bindings/EntryRefView';
export type { Finding } from './bindings/Finding';
export type { FindingCount } from './bindings/FindingCount';
export type { FindingDetail } from './bindings/FindingDetail';
export type { FindingKind } from './bindings/FindingKind';
export type { Generated } from './bindings/Generated';
export type { GeneratorKind } from './bindings/GeneratorKind';
export type { PasswordCheck } from './bindings/PasswordCheck';
export type { PasswordCheckRequest } from './bindings/PasswordCheckRequest';
export type { QrView } from './bindings/QrView';
export type { RequiredKinds } from './bindings/RequiredKinds';
export type { RuleBreakView } from './bindings/RuleBreakView';
export type { RulesView } from './bindings/RulesView';
export type { SecurityReport } from './bindings/SecurityReport';
export type { TotpCode } from './bindings/TotpCode';
export type { TotpDraft } from './bindings/TotpDraft';
export type { TotpKind } from './bindings/TotpKind';
export type { TotpPreview } from './bindings/TotpPreview';
export type { FieldChange } from './bindings/FieldChange';
export type { SyncEvent } from './bindings/SyncEvent';
export type { SyncNews } from './bindings/SyncNews';
export type { SyncStatus } from './bindings/SyncStatus';
export type { HeldCopy } from './bindings/HeldCopy';
export type { CopyPreview } from './bindings/CopyPreview';
export type { PasswordChangeNotice } from './bindings/PasswordChangeNotice';
export type { LoginOpen } from './bindings/LoginOpen';
export type { LoginStatus } from './bindings/LoginStatus';
export type { LoginStateKind } from './bindings/LoginStateKind';
export type { NotFilledView } from './bindings/NotFilledView';
export type { AutoTypeCandidate } from './bindings/AutoTypeCandidate';
export type { BackupOffer } from './bindings/BackupOffer';
export type { BackupView } from './bindings/BackupView';
export type { BackupState } from './bindings/BackupState';
export type { ExpiringView } from './bindings/ExpiringView';

import type { LockedEvent } from './bindings/LockedEvent';
import type { Settings } from './bindings/Settings';

export type Language = Settings['language'];
export type Theme = Settings['theme'];
export type LockReason = LockedEvent['reason'];
/** Payload of the `vault-locked` event. */
export type VaultLockedPayload = LockedEvent;
export type { HandedOverView } from './bindings/HandedOverView';
export type { HandoverMade } from './bindings/HandoverMade';
export type { HandoverReceived } from './bindings/HandoverReceived';
export type { GivenHandover } from './bindings/GivenHandover';
export type { ImportPreview } from './bindings/ImportPreview';
export type { ImportMatch } from './bindings/ImportMatch';
export type { ImportDone } from './bindings/ImportDone';
export type { ImportProgress } from './bindings/ImportProgress';
export type { SkippedView } from './bindings/SkippedView';
export type { PlaceView } from './bindings/PlaceView';
export type { SkipReasonView } from './bindings/SkipReasonView';
export type { ExportDone } from './bindings/ExportDone';
