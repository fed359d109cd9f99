// The shapes that cross IPC. They mirror the Rust types one to one and will be
// replaced by the generated file of the same name; keep names and shapes as they are.

export type Stage = 'setup' | 'locked' | 'unlocked';

export interface AppState {
  stage: Stage;
  /** The vault this device opens. */
  vaultPath: string | null;
  /** Suggested location for a new vault. */
  defaultVaultPath: string;
  vaultName: string | null;
  /** Failed unlocks on this device since the last successful one. */
  failedAttempts: number;
  quickUnlock: QuickUnlockStatus;
  settings: Settings;
  /** Live entries, 0 when locked. */
  entryCount: number;
}

export interface QuickUnlockStatus {
  available: boolean;
  /** Error code why it is unavailable, e.g. "no-keyring". */
  reason: string | null;
  enabled: boolean;
  /** ms since epoch. */
  until: number | null;
}

export type Language = 'system' | 'en' | 'zh-CN';
export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** 0 = never. */
  autoLockMinutes: number;
  clipboardClearSeconds: number;
  language: Language;
  theme: Theme;
  lockOnMinimise: boolean;
}

export interface EntrySummary {
  id: string;
  title: string;
  username: string;
  url: string;
  tags: string[];
  modified: number;
}

export interface EntryDetail {
  id: string;
  title: string;
  username: string;
  urls: string[];
  notes: string;
  tags: string[];
  hasPassword: boolean;
  hasTotp: boolean;
  fields: FieldView[];
  history: HistoryView[];
  /** ms since epoch. */
  created: number;
  modified: number;
  passwordChanged: number;
}

export interface FieldView {
  name: string;
  /** null when hidden. */
  value: string | null;
  hidden: boolean;
}

export interface HistoryView {
  index: number;
  /** "title", "username", "password", "urls", "notes", "totp" or "field:<name>". */
  field: string;
  changed: number;
  /** Device name. */
  device: string;
}

export interface EntryDraft {
  title: string;
  username: string;
  /** null = leave unchanged. */
  password: string | null;
  urls: string[];
  notes: string;
  tags: string[];
  fields: DraftField[];
}

export interface DraftField {
  name: string;
  /** null = keep the current (hidden) value. */
  value: string | null;
  hidden: boolean;
}

export interface IpcError {
  code: string;
  message: string;
}

export interface Strength {
  /** 0..4 */
  score: number;
  /** zxcvbn warning code, e.g. "common-password". */
  warning: string | null;
  /** Suggestion codes. */
  suggestions: string[];
}

export interface GeneratorOptions {
  length: number;
  lower: boolean;
  upper: boolean;
  digits: boolean;
  symbols: boolean;
}

export interface KdfChoice {
  memoryMib: number;
  iterations: number;
  parallelism: number;
}

export interface KdfCost {
  choice: KdfChoice;
  millis: number;
}

export type LockReason = 'idle' | 'screen' | 'minimise' | 'tray' | 'user';

export interface VaultLockedPayload {
  reason: LockReason;
}
