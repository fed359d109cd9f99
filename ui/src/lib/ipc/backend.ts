import { listen } from '@tauri-apps/api/event';
import { commands } from './bindings/commands';
import type {
  AppState,
  CopyPreview,
  EntryDetail,
  EntryDraft,
  EntrySummary,
  ErrorCode,
  Generated,
  GeneratorOptions,
  IpcError,
  KdfChoice,
  KdfCost,
  ListSort,
  LockReason,
  PasswordCheck,
  PasswordCheckRequest,
  QrView,
  RulesView,
  SecurityReport,
  Settings,
  Strength,
  SyncEvent,
  SyncStatus,
  TotpCode,
  TotpPreview,
  VaultLockedPayload,
  LoginOpen,
  LoginStatus,
  AutoTypeCandidate,
  GivenHandover,
  HandoverMade,
  HandoverReceived,
  BackupOffer,
  BackupView,
} from './types';
import type { Policy } from './bindings/Policy';
import type { CompanyPolicyView } from './bindings/CompanyPolicyView';
import type { InventoryRowView } from './bindings/InventoryRowView';
import type { ActivityDevice } from './bindings/ActivityDevice';
import type { ActivityEvent } from './bindings/ActivityEvent';
import type { ActivityFilter } from './bindings/ActivityFilter';
import type { ActivityPage } from './bindings/ActivityPage';
import type { UnlockNotice } from './bindings/UnlockNotice';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportDone } from './bindings/ImportDone';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ExportDone } from './bindings/ExportDone';

export type Unlisten = () => void;

/** Several entries fit the focused window: which to type (`window` is the window's X11 id). */
export interface AutoTypeChoice {
  window: number;
  windowTitle: string;
  candidates: AutoTypeCandidate[];
}

/** A download from a login window: where it was saved, and whether it completed. */
export interface DownloadFinished {
  path: string | null;
  success: boolean;
}

/** How an auto-type ended. */
export interface AutoTypeDone {
  entryId: string;
  windowTitle: string;
  error: IpcError | null;
}

/** What `reveal` can fetch: a secret reaches the UI only through this call. */
export type RevealWhat = 'password' | 'totp' | `field:${string}` | `history:${number}`;
/** What `copy` can put on the clipboard ('totp': the current code); the value itself never passes through the UI. */
export type CopyWhat = 'username' | 'password' | 'totp' | `field:${string}`;

/**
 * Every call the UI makes to the Rust side. Components only ever see this
 * interface, so tests and the browser dev server can swap in the mock.
 */
export interface Backend {
  appState(): Promise<AppState>;
  chooseVaultFile(): Promise<string | null>;
  chooseVaultLocation(): Promise<string | null>;
  createVault(path: string, password: string): Promise<AppState>;
  openVault(path: string): Promise<AppState>;
  /** `rememberPin` turns quick unlock on with that PIN ("remember on this device"); null leaves it as it is. */
  unlock(password: string, rememberPin: string | null): Promise<AppState>;
  quickUnlock(pin: string): Promise<AppState>;
  lock(): Promise<AppState>;
  /**
   * The entries not in the trash, in `sort`'s order: 'name' (pinyin for Chinese, numbers as
   * numbers), 'used' (last copy, reveal, fill or auto-type first; never used last, by name) or
   * 'changed' (last edit first; starring is not an edit). Without `sort` (or null), this
   * laptop's saved `settings.listSort`: pass the sort to preview a choice, and save it with
   * `updateSettings` to keep it.
   */
  listEntries(sort?: ListSort | null): Promise<EntrySummary[]>;
  /**
   * Indices into the last `listEntries` result, in list order. Han text in titles, user names
   * and tags is found by its pinyin and initials too ("fxxk" finds 纷享销客).
   */
  search(query: string): Promise<number[]>;
  entryDetail(id: string): Promise<EntryDetail>;
  reveal(id: string, what: RevealWhat): Promise<string>;
  copy(id: string, what: CopyWhat): Promise<void>;
  openUrl(id: string): Promise<void>;
  /** "Log in": opens the entry's site in a login window, which signs in. */
  openLogin(id: string): Promise<LoginOpen>;
  /** "Add to desktop": writes a launcher that signs in with the entry; its path. */
  addToDesktop(id: string): Promise<string>;
  /** Where each login in a login window stands, whenever that changes. */
  onLoginStatus(handler: (status: LoginStatus) => void): Promise<Unlisten>;
  /** A sign-in asked for from outside (`crm-vault-app --login`) that could not start. */
  onLoginFailed(handler: (error: IpcError) => void): Promise<Unlisten>;
  /** A login window's download finished (`path` where it was saved) or failed. */
  onDownloadFinished(handler: (download: DownloadFinished) => void): Promise<Unlisten>;
  /** A second start's arguments (`--vault`, `--login`) could not be read: clap's message. */
  onLaunchFailed(handler: (message: string) => void): Promise<Unlisten>;
  /** "Auto-type": into `window` (the chooser's pick), or the window used before CRM Vault. */
  autoType(id: string, window: number | null): Promise<void>;
  /** The auto-type shortcut found several entries for the focused window: the user picks one. */
  onAutoTypeChoose(handler: (choice: AutoTypeChoice) => void): Promise<Unlisten>;
  /** The auto-type shortcut found no entry for the focused window (its title): search. */
  onAutoTypeSearch(handler: (windowTitle: string) => void): Promise<Unlisten>;
  /** An auto-type finished (`error` null) or stopped. */
  onAutoTypeDone(handler: (done: AutoTypeDone) => void): Promise<Unlisten>;
  /** Returns the entry's id; a null id creates a new entry. */
  saveEntry(id: string | null, draft: EntryDraft): Promise<string>;
  deleteEntry(id: string): Promise<void>;
  restoreEntry(id: string): Promise<void>;
  /** Most recently deleted first; each summary's `deleted` says when it went to the trash. */
  listTrash(): Promise<EntrySummary[]>;
  /** Stars or un-stars an entry (travels with the vault; not an edit, not in the activity log). */
  setFavourite(id: string, favourite: boolean): Promise<void>;
  /** Deletes an entry in the trash for ever ('invalid' for one not in the trash). */
  purgeEntry(id: string): Promise<void>;
  /** Deletes every entry in the trash for ever; how many. */
  emptyTrash(): Promise<number>;
  restoreHistory(id: string, index: number): Promise<EntryDetail>;
  /** Generates with `options` and remembers them on this device. */
  generatePassword(options: GeneratorOptions): Promise<Generated>;
  /** The generator options last used on this device. */
  generatorOptions(): Promise<GeneratorOptions>;
  /** The limits Rust enforces (master-password strength, generator and settings ranges). */
  policy(): Promise<Policy>;
  /** A password that follows a system's rules. */
  generateForRules(rules: RulesView): Promise<Generated>;
  /** Strength, reuse (other entries' titles) and rule breaks of a password typed in the editor. */
  checkPassword(request: PasswordCheckRequest): Promise<PasswordCheck>;
  passwordStrength(password: string, userInputs: string[]): Promise<Strength>;
  totpCode(id: string): Promise<TotpCode>;
  /** The QR code of the entry's TOTP setup, to scan with a phone. */
  totpQr(id: string): Promise<QrView>;
  /** Reads a pasted link or key; Rust keeps it until the entry is saved with the token. */
  parseTotp(text: string): Promise<TotpPreview>;
  /** A QR code in an image file the user picks in the system dialog; null if cancelled. */
  importTotpFile(): Promise<TotpPreview | null>;
  /** A QR code in the picture on the clipboard. */
  importTotpClipboard(): Promise<TotpPreview>;
  securityReport(): Promise<SecurityReport>;
  /** Picks this device's breach list (Have I Been Pwned) with the system dialog. */
  chooseHibpFile(): Promise<AppState>;
  clearHibpFile(): Promise<AppState>;
  updateSettings(settings: Settings): Promise<AppState>;
  measureKdf(choice: KdfChoice): Promise<KdfCost>;
  currentKdf(): Promise<KdfChoice>;
  changeMasterPassword(current: string, next: string, kdf: KdfChoice | null): Promise<void>;
  /** Turning it on needs a PIN of 4 to 12 digits; turning it off does not. */
  setQuickUnlock(enabled: boolean, hours: number, pin: string | null): Promise<AppState>;
  /** User activity, for the auto-lock timer. */
  touch(): Promise<void>;
  onVaultLocked(handler: (reason: LockReason) => void): Promise<Unlisten>;
  onClipboardCleared(handler: () => void): Promise<Unlisten>;
  /** How the open vault stands with its file (other laptops' saves, conflicted copies, errors). */
  syncStatus(): Promise<SyncStatus>;
  /** Other laptops' changes merged into the open vault, or the file's sync error appearing or clearing. */
  onVaultSynced(handler: (event: SyncEvent) => void): Promise<Unlisten>;
  /**
   * The master password was changed on another laptop ("password-changed-elsewhere"): opens the
   * file with the new one and saves this laptop's edits into it. Rejects with "wrong-password".
   */
  adoptNewPassword(password: string): Promise<SyncStatus>;
  /**
   * What merging a held copy (by its file name in `SyncStatus.heldCopies`) would change. Rejects
   * with "copy-needs-password" when the copy has its own master password: ask, and call again.
   */
  previewHeldCopy(name: string, password: string | null): Promise<CopyPreview>;
  /** Merges a held copy on purpose: its entries and settings, never its master password. */
  mergeHeldCopy(name: string, password: string | null): Promise<SyncStatus>;
  /** Where to save a hand-over file (system dialog); null if cancelled. */
  chooseHandoverLocation(): Promise<string | null>;
  /** A hand-over file to receive (system dialog); null if cancelled. */
  chooseHandoverFile(): Promise<string | null>;
  suggestHandoverPassphrase(): Promise<string>;
  /** Writes a hand-over file of `ids` at `path`, lasting `hours` (1 to 720). */
  makeHandover(ids: string[], to: string, hours: number, passphrase: string, path: string): Promise<HandoverMade>;
  receiveHandover(path: string, passphrase: string): Promise<HandoverReceived>;
  /** Hands every entry with the policy's company tag over to IT (no expiry), at `path`. */
  handOverCompanyAccounts(to: string, passphrase: string, path: string): Promise<HandoverMade>;
  givenHandovers(): Promise<GivenHandover[]>;
  /** The company policy on this computer: what it sets, which settings it locks, or its mistake. */
  companyPolicy(): Promise<CompanyPolicyView>;
  /** The accounts list for IT: no secret. */
  inventory(): Promise<InventoryRowView[]>;
  /** Saves the accounts list as CSV where the user picks; the path, or null if cancelled. */
  saveInventoryCsv(): Promise<string | null>;
  /** The newest events of the activity log that pass `filter` (at most `limit`). */
  activity(filter: ActivityFilter): Promise<ActivityPage>;
  /** The entry's last few events, for "recent activity". */
  entryActivity(id: string): Promise<ActivityEvent[]>;
  /** The laptops in the log, for the device filter. */
  activityDevices(): Promise<ActivityDevice[]>;
  /** What the last unlock found worth a look (failed attempts, a new laptop); told once. */
  takeUnlockNotices(): Promise<UnlockNotice[]>;
  /** After an unlock rejected with "damaged": the newest backup that opens with the password typed. */
  backupOffer(): Promise<BackupOffer | null>;
  /** The open vault's backups, newest first. */
  listBackups(): Promise<BackupView[]>;
  /** Puts a backup (by its name in `listBackups`) back; the replaced file is kept as a backup. */
  restoreBackup(name: string): Promise<AppState>;
  /** From the unlock screen of a damaged vault: restores the offered backup and unlocks it. */
  restoreBackupAtUnlock(name: string, password: string): Promise<AppState>;
  /** A file to import (or a KeePass key file), picked with the system dialog; null if cancelled. */
  chooseImportFile(): Promise<string | null>;
  /**
   * Reads a file for import and answers what importing it would do; nothing changes yet. The
   * file is held under the preview's token until `applyImport`, another preview or a lock.
   */
  previewImport(path: string, format: string | null, password: string | null, keyFile: string | null, keepNotes: boolean): Promise<ImportPreview>;
  /** Imports the file held under `token`. */
  applyImport(token: number): Promise<ImportDone>;
  /** How far reading an import file is (`import-progress`), in bytes. */
  onImportProgress(handler: (progress: ImportProgress) => void): Promise<Unlisten>;
  /** Where to save an export of `format`, picked with the system dialog; null if cancelled. */
  chooseExportLocation(format: ExportFormat): Promise<string | null>;
  /** Writes the export; `password` for kdbx and json, `plainTextOk` for csv. */
  exportVault(path: string, format: ExportFormat, password: string | null, plainTextOk: boolean): Promise<ExportDone>;
}

/** The formats the vault exports to. */
export type ExportFormat = 'kdbx' | 'csv' | 'json';

/**
 * Rust rejects with an `IpcError`, but a panic or a missing command rejects
 * with a bare string; normalise so the UI always has a code to translate.
 */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as IpcError).code === 'string') {
    const err = e as Partial<IpcError>;
    // A code this build does not know still reaches the user: its English message is shown.
    return { code: err.code as ErrorCode, message: typeof err.message === 'string' ? err.message : '' };
  }
  if (e instanceof Error) return { code: 'io', message: e.message };
  return { code: 'io', message: String(e) };
}

export function isIpcError(e: unknown, code?: ErrorCode): e is IpcError {
  return (
    !!e &&
    typeof e === 'object' &&
    typeof (e as IpcError).code === 'string' &&
    (code === undefined || (e as IpcError).code === code)
  );
}

/** A command's promise, rejected with an `IpcError` whatever Tauri rejected it with. */
async function call<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (e) {
    throw toIpcError(e);
  }
}

// Each call goes through the generated, typed `commands` (./bindings/commands.ts, written from
// the Rust command list): a command renamed or an argument changed in Rust fails the type check here.
export const tauriBackend: Backend = {
  appState: () => call(commands.appState()),
  chooseVaultFile: () => call(commands.chooseVaultFile()),
  chooseVaultLocation: () => call(commands.chooseVaultLocation()),
  createVault: (path, password) => call(commands.createVault({ path, password })),
  openVault: (path) => call(commands.openVault({ path })),
  unlock: (password, rememberPin) => call(commands.unlock({ password, rememberPin })),
  quickUnlock: (pin) => call(commands.quickUnlock({ pin })),
  lock: () => call(commands.lock()),
  listEntries: (sort) => call(commands.listEntries({ sort: sort ?? null })),
  search: (query) => call(commands.search({ query })),
  entryDetail: (id) => call(commands.entryDetail({ id })),
  reveal: (id, what) => call(commands.reveal({ id, what })),
  copy: (id, what) => call(commands.copy({ id, what })),
  openUrl: (id) => call(commands.openUrl({ id })),
  openLogin: (id) => call(commands.openLogin({ id })),
  addToDesktop: (id) => call(commands.addToDesktop({ id })),
  onLoginStatus: (handler) => listen<LoginStatus>('login-status', (event) => handler(event.payload)),
  onLoginFailed: (handler) => listen<IpcError>('login-failed', (event) => handler(event.payload)),
  onDownloadFinished: (handler) => listen<DownloadFinished>('download-finished', (event) => handler(event.payload)),
  onLaunchFailed: (handler) => listen<string>('launch-failed', (event) => handler(event.payload)),
  autoType: (id, window) => call(commands.autoType({ id, window })),
  onAutoTypeChoose: (handler) => listen<AutoTypeChoice>('autotype-choose', (event) => handler(event.payload)),
  onAutoTypeSearch: (handler) => listen<string>('autotype-search', (event) => handler(event.payload)),
  onAutoTypeDone: (handler) => listen<AutoTypeDone>('autotype-done', (event) => handler(event.payload)),
  saveEntry: (id, draft) => call(commands.saveEntry({ id, draft })),
  deleteEntry: (id) => call(commands.deleteEntry({ id })),
  restoreEntry: (id) => call(commands.restoreEntry({ id })),
  listTrash: () => call(commands.listTrash()),
  setFavourite: (id, favourite) => call(commands.setFavourite({ id, favourite })),
  purgeEntry: (id) => call(commands.purgeEntry({ id })),
  emptyTrash: () => call(commands.emptyTrash()),
  restoreHistory: (id, index) => call(commands.restoreHistory({ id, index })),
  generatePassword: (options) => call(commands.generatePassword({ options })),
  generatorOptions: () => call(commands.generatorOptions()),
  policy: () => call(commands.policy()),
  generateForRules: (rules) => call(commands.generateForRules({ rules })),
  checkPassword: (request) => call(commands.checkPassword({ request })),
  passwordStrength: (password, userInputs) => call(commands.passwordStrength({ password, userInputs })),
  totpCode: (id) => call(commands.totpCode({ id })),
  totpQr: (id) => call(commands.totpQr({ id })),
  parseTotp: (text) => call(commands.parseTotp({ text })),
  importTotpFile: () => call(commands.importTotpFile()),
  importTotpClipboard: () => call(commands.importTotpClipboard()),
  securityReport: () => call(commands.securityReport()),
  chooseHibpFile: () => call(commands.chooseHibpFile()),
  clearHibpFile: () => call(commands.clearHibpFile()),
  updateSettings: (settings) => call(commands.updateSettings({ settings })),
  measureKdf: (choice) => call(commands.measureKdf({ choice })),
  currentKdf: () => call(commands.currentKdf()),
  changeMasterPassword: (current, next, kdf) => call(commands.changeMasterPassword({ current, new: next, kdf })),
  setQuickUnlock: (enabled, hours, pin) => call(commands.setQuickUnlock({ enabled, hours, pin })),
  touch: () => call(commands.touch()),
  onVaultLocked: (handler) =>
    listen<VaultLockedPayload>('vault-locked', (event) => handler(event.payload?.reason ?? 'user')),
  onClipboardCleared: (handler) => listen<null>('clipboard-cleared', () => handler()),
  syncStatus: () => call(commands.syncStatus()),
  onVaultSynced: (handler) => listen<SyncEvent>('vault-synced', (event) => handler(event.payload)),
  adoptNewPassword: (password) => call(commands.adoptNewPassword({ password })),
  previewHeldCopy: (name, password) => call(commands.previewHeldCopy({ name, password })),
  mergeHeldCopy: (name, password) => call(commands.mergeHeldCopy({ name, password })),
  chooseHandoverLocation: () => call(commands.chooseHandoverLocation()),
  chooseHandoverFile: () => call(commands.chooseHandoverFile()),
  suggestHandoverPassphrase: () => call(commands.suggestHandoverPassphrase()),
  makeHandover: (ids, to, hours, passphrase, path) => call(commands.makeHandover({ ids, to, hours, passphrase, path })),
  receiveHandover: (path, passphrase) => call(commands.receiveHandover({ path, passphrase })),
  handOverCompanyAccounts: (to, passphrase, path) => call(commands.handOverCompanyAccounts({ to, passphrase, path })),
  givenHandovers: () => call(commands.givenHandovers()),
  companyPolicy: () => call(commands.companyPolicy()),
  inventory: () => call(commands.inventory()),
  saveInventoryCsv: () => call(commands.saveInventoryCsv()),
  activity: (filter) => call(commands.activity({ filter })),
  entryActivity: (id) => call(commands.entryActivity({ id })),
  activityDevices: () => call(commands.activityDevices()),
  takeUnlockNotices: () => call(commands.takeUnlockNotices()),
  backupOffer: () => call(commands.backupOffer()),
  listBackups: () => call(commands.listBackups()),
  restoreBackup: (name) => call(commands.restoreBackup({ name })),
  restoreBackupAtUnlock: (name, password) => call(commands.restoreBackupAtUnlock({ name, password })),
  chooseImportFile: () => call(commands.chooseImportFile()),
  previewImport: (path, format, password, keyFile, keepNotes) => call(commands.previewImport({ path, format, password, keyFile, keepNotes })),
  applyImport: (token) => call(commands.applyImport({ token })),
  onImportProgress: (handler) => listen<ImportProgress>('import-progress', (event) => handler(event.payload)),
  chooseExportLocation: (format) => call(commands.chooseExportLocation({ format })),
  exportVault: (path, format, password, plainTextOk) => call(commands.exportVault({ path, format, password, plainTextOk })),
};

/** True inside the Tauri webview; false in a plain browser (dev server) and in tests. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
