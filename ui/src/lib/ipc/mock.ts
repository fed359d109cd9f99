// An in-memory stand-in for the Rust side, used by the unit tests and by
// `npm run dev` in a plain browser. It follows the contract's observable
// behaviour (errors by code, indices into the last list, secrets only through
// reveal) so that the UI cannot come to depend on something Rust will not do. It holds entries
// and settings like a plain store; what Rust computes from them (strength, reuse, rule breaks,
// generated passwords, the report) it looks up among answers recorded from the session layer
// (see mock-tools.ts), and a call nobody recorded fails naming the case to add.
import type { CompanyPolicyView } from './bindings/CompanyPolicyView';
import type { Backend, CopyWhat, RevealWhat, Unlisten } from './backend';
import type {
  AppState,
  ErrorCode,
  CopyPreview,
  EntryDetail,
  EntryDraft,
  EntrySummary,
  GeneratorOptions,
  HeldCopy,
  IpcError,
  KdfChoice,
  KdfCost,
  LockReason,
  LoginStatus,
  RulesView,
  Settings,
  Stage,
  SyncEvent,
  SyncNews,
  SyncStatus,
  TotpCode,
  GivenHandover,
  BackupOffer,
  BackupView,
  ExpiringView,
} from './types';
import * as tools from './mock-tools';
import { compareByName, pinyinForms } from './mock-pinyin';
// Written by `cargo test -p crm-vault-session` (tests/policy_fixture.rs): Rust's own limits.
import policyFixture from './fixtures/policy.json';
import type { Policy } from './bindings/Policy';
import type { ActivityEvent } from './bindings/ActivityEvent';
import type { UnlockNotice } from './bindings/UnlockNotice';
import type { MockTotp } from './mock-tools';
import type { ImportProgress } from './bindings/ImportProgress';
import type { SkippedView } from './bindings/SkippedView';

export interface MockField {
  name: string;
  value: string;
  hidden: boolean;
}

export interface MockHistory {
  field: string;
  value: string;
  changed: number;
  device: string;
}

/** The last write to one field: when, and on which laptop. */
export interface MockChange {
  changed: number;
  device: string;
}

export interface MockEntry {
  id: string;
  title: string;
  username: string;
  password: string;
  urls: string[];
  notes: string;
  tags: string[];
  fields: MockField[];
  /** The TOTP setup as `Totp::parse` would describe it (the mock keeps no secret). */
  totp: MockTotp | null;
  rules: RulesView | null;
  expires: string | null;
  /** Login window and auto-type settings, as Rust stores them. */
  alsoFillOn: string[];
  autotypeSequence: string | null;
  autotypeWindows: string[];
  history: MockHistory[];
  /** Where and when fields last changed, by field ("title", "field:PIN"…); unlisted fields: when the entry did, here. */
  changes: Record<string, MockChange>;
  created: number;
  modified: number;
  passwordChanged: number;
  deleted: boolean;
  /** When it went to the trash (ms); null while it is not in the trash. */
  deletedAt: number | null;
  favourite: boolean;
}

export interface MockOptions {
  stage?: Stage;
  /** The master password of the mock vault. */
  password?: string;
  /** Entries, or a number of generated sample entries. */
  entries?: MockSeed[] | number;
  failedAttempts?: number;
  quickUnlockAvailable?: boolean;
  quickUnlockEnabled?: boolean;
  /** The quick-unlock PIN when `quickUnlockEnabled` starts it on. */
  quickUnlockPin?: string;
  settings?: Partial<Settings>;
  /** Artificial latency per call in ms; shows races in the dev server. */
  latency?: number;
  /** Run the clipboard-clear and idle-lock timers (dev server only; tests drive events by hand). */
  live?: boolean;
  now?: () => number;
  /** What the QR code in the image the user picks says; null: the dialog is cancelled; "error:<code>": unreadable. */
  pickedImage?: string | null;
  /** What the QR code in the clipboard's picture says; null: no picture; "error:<code>": unreadable. */
  clipboardImage?: string | null;
  /** The breach list chosen on this device. */
  hibpFile?: string | null;
  /** The path the breach list dialog picks; null: cancelled. */
  pickedHibpFile?: string | null;
  /** The company policy on this computer (none by default). */
  companyPolicy?: CompanyPolicyView;
  /** The path the "Save as CSV" dialog picks; null: cancelled. */
  pickedCsvFile?: string | null;
  /** Notices the next unlock brings (failed attempts on another laptop, a new laptop). */
  unlockNotices?: UnlockNotice[];
  /** The vault's backups, newest first (Rust reads them from the backups folder). */
  backups?: BackupView[];
  /** The vault file is damaged: unlocking offers the newest backup that opens instead. */
  damaged?: boolean;
  /** The file the import dialog picks; null: cancelled. Its extension chooses what the mock reads. */
  pickedImportFile?: string | null;
  /** Where the export dialog saves; null: cancelled. */
  pickedExportFile?: string | null;
}

/** The password of the KeePass file the mock imports. */
export const MOCK_KDBX_PASSWORD = 'keepass-file-pw';

/** No company policy: what Rust answers when there is no file. */
export const NO_COMPANY_POLICY: CompanyPolicyView = {
  state: 'none',
  path: '/etc/crm-vault/policy.toml',
  source: 'system',
  error: null,
  minLength: null,
  required: { lower: false, upper: false, digits: false, symbols: false },
  rotationDays: null,
  maxAutoLockMinutes: null,
  maxClipboardClearSeconds: null,
  quickUnlockAllowed: true,
  quickUnlockMaxHours: null,
  totpRequiredTags: [],
  companyTag: null,
  locked: { rotationDays: false, autoLockMinutes: false, clipboardClearSeconds: false, quickUnlock: false, generator: false },
};

/** An entry to start with; `totp: true` is a standard 6-digit setup. */
export type MockSeed = Partial<Omit<MockEntry, 'totp'>> & { totp?: boolean | MockTotp | null };

/** What another laptop's save (or a conflicted copy) brings, for `simulateSync`. */
export interface MockIncoming {
  /** The laptop whose writes these are. */
  from?: string;
  add?: MockSeed[];
  update?: { id: string; set: Partial<Pick<MockEntry, 'title' | 'username' | 'password' | 'notes' | 'urls'>> }[];
  delete?: string[];
  restore?: string[];
  settingsChanged?: boolean;
  passwordChangedBy?: string | null;
  /** With `passwordChangedBy`: the master password that opens the vault from now on. */
  newPassword?: string;
  /** Conflicted copies merged in (their changes are the ones above). */
  copiesMerged?: number;
  /** Conflicted copies found and left where they are, by file name. */
  copiesLeftAlone?: string[];
  /** Copies held back (not to be trusted, another vault…), with why; they join `copiesLeftAlone`. */
  held?: MockHeldCopy[];
  /** The file's state after this tick: an error code, or null when it reads fine. */
  error?: ErrorCode | null;
}

/** What a held copy would bring if merged: the same kinds of change another laptop's save brings. */
export type MockCopyChanges = Pick<MockIncoming, 'add' | 'update' | 'delete' | 'restore'> & { settings?: string[] };

/** A file held back beside the vault, as Rust reports it, plus what it holds. */
export interface MockHeldCopy extends Partial<Omit<HeldCopy, 'name' | 'reason'>> {
  name: string;
  reason: HeldCopy['reason'];
  /** The copy's own master password; null or absent: it opens with this vault's key. */
  password?: string | null;
  /** What merging it would change. */
  brings?: MockCopyChanges;
}

/** The master password changed on another laptop: the file on disk opens only with `password`. */
export interface MockPasswordChange {
  by: string;
  at: number;
  password: string;
}

export interface MockBackend extends Backend {
  /** Lock as Rust would on idle/screen lock and tell the listeners. */
  emitLocked(reason: LockReason): void;
  emitClipboardCleared(): void;
  /** A login window's status changes, as the app's fill loop would announce it. */
  emitLoginStatus(status: LoginStatus): void;
  /**
   * Another laptop's changes arrive through the file, as the app's sync tick would merge them:
   * the entries change, the status moves on, and the listeners hear of it (only if something
   * arrived or the error changed, like Rust). Returns the event, or null if nothing was sent.
   */
  simulateSync(incoming: MockIncoming): SyncEvent | null;
  /**
   * The master password was changed on laptop `by`: saves fail with "password-changed-elsewhere"
   * (the edit stays in memory) until `adoptNewPassword(password)`. With `announce` (the default)
   * the sync tick has noticed it too and the status says so.
   */
  simulatePasswordChange(change: MockPasswordChange, announce?: boolean): SyncEvent | null;
  /** What the last `copy` put on the (pretend) clipboard. */
  readonly clipboard: string | null;
  /** The vault's entries, including deleted ones, for assertions. */
  readonly entries: MockEntry[];
  readonly masterPassword: string;
  readonly kdf: KdfChoice;
}

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 20,
  language: 'system',
  theme: 'system',
  lockOnMinimise: false,
  closeLoginsOnLock: false,
  autotypeShortcut: 'Ctrl+Alt+A',
  autotypeKeyDelayMs: 20,
  rotationDays: 90,
  ownerName: '',
  company: '',
  activityKeepDays: 365,
  activityKeepEvents: 20000,
  expiryWarningDays: 14,
  listSort: 'name',
  listDensity: 'comfortable',
};

const DEVICE = 'This laptop';

function fail(code: ErrorCode, message: string): never {
  const err: IpcError = { code, message };
  throw err;
}

const SYSTEMS = [
  ['Salesforce', 'https://login.salesforce.com', 'crm'],
  ['HubSpot', 'https://app.hubspot.com', 'crm'],
  ['Outlook', 'https://outlook.office.com', 'mail'],
  ['SAP ERP', 'https://erp.example.com', 'erp'],
  ['企业微信', 'https://work.weixin.qq.com', 'chat'],
  ['钉钉', 'https://login.dingtalk.com', 'chat'],
  ['用友 ERP', 'https://yonyou.example.cn', 'erp'],
  ['金蝶云', 'https://kingdee.example.cn', 'erp'],
  ['Partner portal', 'https://partners.example.com', 'partner'],
  ['Zoho CRM', 'https://crm.zoho.com', 'crm'],
] as const;

/** Plausible sample data, deterministic so tests can name what they look for. */
export function sampleEntries(n: number, now = Date.UTC(2025, 0, 15)): MockSeed[] {
  const out: MockSeed[] = [];
  for (let i = 0; i < n; i++) {
    const [name, url, tag] = SYSTEMS[i % SYSTEMS.length];
    const num = String(i).padStart(5, '0');
    out.push({
      id: `e${num}`,
      title: i < SYSTEMS.length ? name : `${name} ${num}`,
      username: `sales${num}@example.com`,
      password: `pw-${num}-Xq7!`,
      urls: [url],
      notes: i % 7 === 0 ? `Customer ${num}, ask for the purchasing manager` : '',
      tags: [tag],
      totp: i % 5 === 0,
      created: now - i * 60_000,
      modified: now - i * 30_000,
      passwordChanged: now - i * 30_000,
    });
  }
  return out;
}

function totpOf(p: MockSeed): MockTotp | null {
  if (p.totp === true) return { kind: 'standard', issuer: p.title ?? null, account: p.username || null, digits: 6, period: 30 };
  return p.totp || null;
}

function fillEntry(p: MockSeed, i: number, now: number): MockEntry {
  return {
    id: p.id ?? `m${i}`,
    title: p.title ?? `Entry ${i}`,
    username: p.username ?? '',
    password: p.password ?? '',
    urls: p.urls ?? [],
    notes: p.notes ?? '',
    tags: p.tags ?? [],
    fields: p.fields ?? [],
    totp: totpOf(p),
    rules: p.rules ?? null,
    expires: p.expires ?? null,
    alsoFillOn: p.alsoFillOn ?? [],
    autotypeSequence: p.autotypeSequence ?? null,
    autotypeWindows: p.autotypeWindows ?? [],
    history: p.history ?? [],
    changes: p.changes ?? {},
    created: p.created ?? now,
    modified: p.modified ?? now,
    passwordChanged: p.passwordChanged ?? now,
    deleted: p.deleted ?? false,
    deletedAt: p.deletedAt ?? (p.deleted ? (p.modified ?? now) : null),
    favourite: p.favourite ?? false,
  };
}

function summary(e: MockEntry, lastUsed: number | null = null): EntrySummary {
  return {
    id: e.id,
    title: e.title,
    username: e.username,
    url: e.urls[0] ?? '',
    tags: [...e.tags],
    modified: e.modified,
    favourite: e.favourite,
    lastUsed,
    deleted: e.deleted ? (e.deletedAt ?? e.modified) : null,
  };
}

/** The events that count as using an entry (vault::order::USE_KINDS). */
const USE_KINDS = ['copy', 'reveal', 'autofill', 'autotype'];

/** The passphrase the mock suggests, and the one its hand-over files open with. */
export const MOCK_HANDOVER_PASSPHRASE = 'amber-kettle-violin-harbor-quietly';

export function createMockBackend(opts: MockOptions = {}): MockBackend {
  const now = opts.now ?? (() => Date.now());
  const given: GivenHandover[] = [];
  let password = opts.password ?? 'correct horse battery staple';
  let stage: Stage = opts.stage ?? 'locked';
  let vaultPath: string | null = stage === 'setup' ? null : '/home/sales/Documents/CRM Vault/vault.crmv';
  let failedAttempts = opts.failedAttempts ?? 0;
  let settings: Settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  let kdf: KdfChoice = { memoryMib: 64, iterations: 3, parallelism: 4 };
  // As in Rust: a PIN of 4 to 12 digits, three wrong ones end it, at most 7 days.
  const quick = {
    available: opts.quickUnlockAvailable ?? true,
    enabled: opts.quickUnlockEnabled ?? false,
    until: null as number | null,
    pin: opts.quickUnlockPin ?? '2468',
    attemptsLeft: 3,
  };
  const QUICK_MAX_HOURS = (policyFixture as Policy).quickUnlockHours.max;
  function checkPin(pin: string | null): string {
    if (pin === null || !/^[0-9]{4,12}$/.test(pin)) fail('invalid-pin', 'a quick-unlock PIN is 4 to 12 digits');
    return pin;
  }
  function enableQuick(pin: string, hours: number) {
    quick.enabled = true;
    quick.pin = pin;
    quick.attemptsLeft = 3;
    quick.until = now() + hours * 3_600_000;
  }
  const seed = typeof opts.entries === 'number' ? sampleEntries(opts.entries, now()) : (opts.entries ?? sampleEntries(12, now()));
  let entries: MockEntry[] = seed.map((p, i) => fillEntry(p, i, now()));
  let lastList: MockEntry[] = [];
  let clipboard: string | null = null;
  let nextId = 1;
  let generator: GeneratorOptions = { ...tools.DEFAULT_GENERATOR };
  let pendingTotp: { token: number; totp: MockTotp } | null = null;
  let lastToken = 0;
  let hibpFile: string | null = opts.hibpFile ?? null;
  const lockedHandlers = new Set<(r: LockReason) => void>();
  const clipHandlers = new Set<() => void>();
  let clipTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const syncHandlers = new Set<(e: SyncEvent) => void>();
  const loginHandlers = new Set<(s: LoginStatus) => void>();
  let loginWindows = 0;
  const freshStatus = (): SyncStatus => ({
    lastMerge: null,
    lastCheck: null,
    lastNews: null,
    copiesMerged: 0,
    copiesLeftAlone: [],
    heldCopies: [],
    error: null,
    passwordChange: null,
  });
  let syncStatus = freshStatus();
  /** Held copies by file name, with what they hold. */
  let held = new Map<string, MockHeldCopy>();
  /** Set while the file on disk is under a master password set on another laptop. */
  let changedElsewhere: MockPasswordChange | null = null;

  const delay = async () => {
    if (opts.latency) await new Promise((r) => setTimeout(r, opts.latency));
  };

  function state(): AppState {
    return {
      stage,
      vaultPath,
      defaultVaultPath: '/home/sales/Documents/CRM Vault/vault.crmv',
      vaultName: vaultPath ? (vaultPath.split('/').pop() ?? null) : null,
      failedAttempts,
      quickUnlock: {
        available: quick.available,
        reason: quick.available ? null : 'no-keyring',
        enabled: quick.enabled && (quick.until === null || now() < quick.until),
        until: quick.until,
        attemptsLeft: quick.enabled ? quick.attemptsLeft : null,
        maxHours: QUICK_MAX_HOURS,
      },
      settings: { ...settings },
      entryCount: stage === 'unlocked' ? entries.filter((e) => !e.deleted).length : 0,
      // Rust's count for this vault; a vault nobody recorded shows no reminder (its report would fail).
      rotationDue: stage === 'unlocked' ? (tools.recordedRotationDue(vaultKey(), settingsKey(), hibpFile !== null) ?? 0) : 0,
      hibpFile,
      expiring: stage === 'unlocked' ? expiringSoon() : [],
    };
  }

  /** As `vault::health::expiring_soon`: live entries with a password expiring from today to the warning period ahead. */
  function expiringSoon(): ExpiringView[] {
    const days = settings.expiryWarningDays;
    const today = new Date(now());
    const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
    const soon: ExpiringView[] = [];
    for (const e of entries) {
      if (e.deleted || !e.password || !e.expires || days === 0) continue;
      const [y, m, d] = e.expires.split('-').map(Number);
      const left = Math.round((Date.UTC(y!, m! - 1, d!) - todayUtc) / DAY);
      if (left >= 0 && left <= days) soon.push({ entryId: e.id, title: e.title, date: e.expires, daysLeft: left });
    }
    return soon.sort((a, b) => a.daysLeft - b.daysLeft || a.title.localeCompare(b.title));
  }

  let heldImport: { token: number; titles: string[]; source: string } | null = null;
  let importToken = 0;
  const importProgressHandlers = new Set<(p: ImportProgress) => void>();
  let backups: BackupView[] = [...(opts.backups ?? [])];
  let damaged = opts.damaged ?? false;
  let offer: BackupOffer | null = null;

  const DAY = 86_400_000;
  /** The live entries as the recorded answers describe a vault. */
  function vaultKey(): tools.VaultEntryKey[] {
    return entries
      .filter((e) => !e.deleted)
      .map((e) => ({
        id: e.id,
        title: e.title,
        username: e.username,
        password: e.password,
        urls: [...e.urls],
        expires: e.expires,
        ageDays: Math.floor((now() - e.passwordChanged) / DAY),
      }));
  }
  function settingsKey(): tools.VaultSettingsKey {
    return { rotationDays: settings.rotationDays, ownerName: settings.ownerName, company: settings.company };
  }

  function totpCode(e: MockEntry): TotpCode {
    const t = e.totp ?? fail('no-totp', 'the entry has no TOTP setup');
    const secs = Math.floor(now() / 1000);
    const counter = Math.floor(secs / t.period);
    const periodStart = counter * t.period;
    const periodEnd = periodStart + t.period;
    return {
      code: tools.fakeCode(e.id, counter, t),
      periodStart,
      periodEnd,
      period: t.period,
      next: periodEnd - secs <= 7 ? tools.fakeCode(e.id, counter + 1, t) : null,
      kind: t.kind,
      issuer: t.issuer,
      account: t.account,
    };
  }

  function holdTotp(totp: MockTotp) {
    lastToken += 1;
    pendingTotp = { token: lastToken, totp };
    return tools.preview(lastToken, totp);
  }

  function readImage(text: string | null | undefined, none: () => never): MockTotp {
    if (text === null || text === undefined) none();
    if (text.startsWith('error:')) fail(text.slice(6) as ErrorCode, 'the image could not be read');
    return tools.parseTotp(text);
  }

  function unlocked() {
    if (stage !== 'unlocked') fail('locked', 'the vault is locked');
  }

  function find(id: string, deleted = false): MockEntry {
    const e = entries.find((x) => x.id === id && x.deleted === deleted);
    if (!e) fail('not-found', `no entry ${id}`);
    return e;
  }

  function doLock(reason: LockReason, notify: boolean) {
    if (stage !== 'unlocked') return;
    stage = 'locked';
    lastList = [];
    clipboard = null;
    pendingTotp = null;
    syncStatus = freshStatus();
    held = new Map();
    if (notify) lockedHandlers.forEach((h) => h(reason));
  }

  function armIdle() {
    if (!opts.live) return;
    clearTimeout(idleTimer);
    if (stage === 'unlocked' && settings.autoLockMinutes > 0) {
      idleTimer = setTimeout(() => doLock('idle', true), settings.autoLockMinutes * 60_000);
    }
  }

  // The activity log, newest first, as Rust lists it (only the events the mock itself makes).
  let activityLog: ActivityEvent[] = [];
  let pendingFailures = 0;
  let unlockNotices: UnlockNotice[] = [...(opts.unlockNotices ?? [])];
  function recordActivity(kind: string, entryId: string | null = null, detail = '') {
    const title = entryId ? (entries.find((e) => e.id === entryId)?.title ?? '') : '';
    const id = (activityLog.length + 1).toString(16).padStart(16, '0');
    activityLog.unshift({ id, atMs: now(), kind, device: DEVICE, deviceId: 'this-laptop', entryId, title, detail, thisDevice: true });
  }

  /** When each entry was last used, from the log (as vault::order::last_used). */
  function lastUsed(): Map<string, number> {
    const used = new Map<string, number>();
    for (const ev of activityLog) {
      if (ev.entryId && USE_KINDS.includes(ev.kind)) used.set(ev.entryId, Math.max(used.get(ev.entryId) ?? 0, ev.atMs));
    }
    return used;
  }

  function didUnlock(): AppState {
    for (; pendingFailures > 0; pendingFailures--) recordActivity('unlock-failed', null, 'password');
    recordActivity('unlock', null, 'password');
    stage = 'unlocked';
    failedAttempts = 0;
    armIdle();
    return state();
  }

  function detail(e: MockEntry): EntryDetail {
    return {
      id: e.id,
      title: e.title,
      username: e.username,
      urls: [...e.urls],
      notes: e.notes,
      tags: [...e.tags],
      hasPassword: e.password !== '',
      hasTotp: e.totp !== null,
      rules: e.rules ? { ...e.rules, required: { ...e.rules.required } } : null,
      expires: e.expires,
      alsoFillOn: [...e.alsoFillOn],
      autotypeSequence: e.autotypeSequence,
      autotypeWindows: [...e.autotypeWindows],
      fields: e.fields.map((f) => ({ name: f.name, value: f.hidden ? null : f.value, hidden: f.hidden })),
      history: e.history.map((h, index) => ({ index, field: h.field, changed: h.changed, device: h.device })),
      // Fields without a recorded write last changed when the entry did, on this laptop.
      changes: [...new Set([...TRACKED, ...Object.keys(e.changes)])].map((field) => ({
        field,
        changed: e.changes[field]?.changed ?? e.modified,
        device: e.changes[field]?.device ?? DEVICE,
      })),
      created: e.created,
      modified: e.modified,
      passwordChanged: e.passwordChanged,
    };
  }

  function fieldValue(e: MockEntry, field: string): string {
    if (field === 'urls') return e.urls.join('\n');
    if (field.startsWith('field:')) return e.fields.find((f) => f.name === field.slice(6))?.value ?? '';
    return String(e[field as 'title' | 'username' | 'password' | 'notes'] ?? '');
  }

  const TRACKED = ['title', 'username', 'password', 'urls', 'notes'];

  /** Before an edit moves `modified`: fields without a recorded write keep the time they had. */
  function pinChanges(e: MockEntry) {
    for (const field of TRACKED) e.changes[field] ??= { changed: e.modified, device: DEVICE };
  }

  function record(e: MockEntry, field: string, old: string, next: string, device = DEVICE, at = now()) {
    if (old === next) return;
    pinChanges(e);
    const before = e.changes[field] ?? { changed: e.modified, device: DEVICE };
    e.history.push({ field, value: old, changed: before.changed, device: before.device });
    e.changes[field] = { changed: at, device };
  }

  /** Applies another laptop's (or a copy's) changes to the entries; counts them in `news`. */
  function bring(x: MockCopyChanges, from: string, news: SyncNews) {
    for (const seed of x.add ?? []) {
      const e = fillEntry({ id: `sync${nextId++}`, ...seed }, entries.length, now());
      for (const field of TRACKED) e.changes[field] = { changed: now(), device: from };
      entries.push(e);
      news.added++;
    }
    for (const { id, set } of x.update ?? []) {
      const e = find(id);
      // One save on the other laptop: every field it set carries the same time.
      const at = now();
      for (const [field, value] of Object.entries(set)) {
        const next = Array.isArray(value) ? value.join('\n') : String(value);
        record(e, field, fieldValue(e, field), next, from, at);
        if (field === 'urls') e.urls = value as string[];
        else e[field as 'title' | 'username' | 'password' | 'notes'] = value as string;
        if (field === 'password') e.passwordChanged = at;
      }
      e.modified = at;
      news.updated++;
    }
    for (const id of x.delete ?? []) {
      find(id).deleted = true;
      recordActivity('entry-deleted', id);
      news.deleted++;
    }
    for (const id of x.restore ?? []) {
      find(id, true).deleted = false;
      recordActivity('entry-restored', id);
      news.restored++;
    }
  }

  function heldList(): HeldCopy[] {
    return [...held.values()]
      .map((c) => ({
        name: c.name,
        reason: c.reason,
        device: c.device ?? null,
        aheadMs: c.aheadMs ?? null,
        setAside: c.setAside ?? false,
        mergeable: c.mergeable ?? true,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  function withHeld(status: SyncStatus, extraLeftAlone: string[] = []): SyncStatus {
    const heldCopies = heldList();
    const names = [...new Set([...status.copiesLeftAlone, ...extraLeftAlone, ...heldCopies.map((c) => c.name)])].sort();
    return { ...status, heldCopies, copiesLeftAlone: names };
  }

  function emit(event: SyncEvent): SyncEvent {
    syncHandlers.forEach((h) => h(event));
    return event;
  }

  function noNews(): SyncNews {
    return { added: 0, updated: 0, deleted: 0, restored: 0, from: [], settingsChanged: false, passwordChangedBy: null, copiesMerged: 0 };
  }

  function incoming(x: MockIncoming): SyncEvent | null {
    if (stage !== 'unlocked') return null;
    const from = x.from ?? 'LAPTOP-2';
    const news: SyncNews = {
      ...noNews(),
      settingsChanged: x.settingsChanged ?? false,
      passwordChangedBy: x.passwordChangedBy ?? null,
      copiesMerged: x.copiesMerged ?? 0,
    };
    bring(x, from, news);
    for (const copy of x.held ?? []) held.set(copy.name, copy);
    if (news.added + news.updated + news.deleted + news.restored > 0 || news.settingsChanged) news.from = [from];
    if (x.newPassword !== undefined) password = x.newPassword;
    const errorBefore = syncStatus.error;
    const heldBefore = JSON.stringify(syncStatus.heldCopies);
    const arrived = news.added + news.updated + news.deleted + news.restored + news.copiesMerged > 0 || news.settingsChanged || news.passwordChangedBy !== null;
    const error = x.error === undefined ? syncStatus.error : x.error;
    syncStatus = withHeld(
      {
        ...syncStatus,
        lastCheck: now(),
        error,
        passwordChange: error === 'password-changed-elsewhere' ? syncStatus.passwordChange : null,
        copiesMerged: syncStatus.copiesMerged + news.copiesMerged,
      },
      x.copiesLeftAlone,
    );
    if (arrived) syncStatus = { ...syncStatus, lastMerge: now(), lastNews: news };
    if (!arrived && syncStatus.error === errorBefore && JSON.stringify(syncStatus.heldCopies) === heldBefore) return null;
    return emit({ news, status: { ...syncStatus } });
  }

  function changeElsewhere(change: MockPasswordChange, announce: boolean): SyncEvent | null {
    changedElsewhere = { ...change };
    if (!announce || stage !== 'unlocked') return null;
    const before = syncStatus.error;
    syncStatus = { ...syncStatus, lastCheck: now(), error: 'password-changed-elsewhere', passwordChange: { by: change.by, at: change.at } };
    if (before === syncStatus.error) return null;
    return emit({ news: noNews(), status: { ...syncStatus } });
  }

  /** A save's file write: refused while the file is under another laptop's new master password. */
  function writeFile() {
    if (changedElsewhere) fail('password-changed-elsewhere', 'the master password was changed on another laptop');
  }

  function heldCopy(name: string, pw: string | null): MockHeldCopy {
    const copy = held.get(name) ?? fail('not-found', `${name} is not among the copies held back`);
    if (!(copy.mergeable ?? true)) fail('copy-not-mergeable', `${name} is not a copy of this vault`);
    if (copy.password) {
      if (!pw) fail('copy-needs-password', 'this copy is locked with another master password: enter that password');
      if (pw !== copy.password) fail('copy-wrong-password', "that is not the copy's master password");
    }
    return copy;
  }

  function apply(e: MockEntry, d: EntryDraft) {
    if (d.expires && !/^\d{4}-\d{2}-\d{2}$/.test(d.expires.trim())) fail('invalid-date', 'not a date');
    const autofill = tools.recordedAutofill({
      alsoFillOn: d.alsoFillOn ?? [],
      autotypeSequence: d.autotypeSequence ?? null,
      autotypeWindows: d.autotypeWindows ?? [],
    });
    const totp = d.totp ?? { action: 'keep' };
    if (totp.action === 'set') {
      if (pendingTotp?.token !== totp.token) fail('totp-expired', 'the TOTP setup is no longer held');
      const t = pendingTotp.totp;
      e.totp = { ...t, issuer: t.issuer ?? d.title, account: t.account ?? (d.username || null) };
      pendingTotp = null;
    } else if (totp.action === 'remove') {
      e.totp = null;
    }
    e.rules = d.rules ? { ...d.rules, required: { ...d.rules.required } } : null;
    e.expires = d.expires?.trim() || null;
    e.alsoFillOn = autofill.alsoFillOn;
    e.autotypeSequence = autofill.autotypeSequence;
    e.autotypeWindows = autofill.autotypeWindows;
    record(e, 'title', e.title, d.title);
    record(e, 'username', e.username, d.username);
    record(e, 'urls', e.urls.join('\n'), d.urls.join('\n'));
    record(e, 'notes', e.notes, d.notes);
    e.title = d.title;
    e.username = d.username;
    e.urls = [...d.urls];
    e.notes = d.notes;
    e.tags = [...d.tags];
    if (d.password !== null) {
      record(e, 'password', e.password, d.password);
      if (e.password !== d.password) e.passwordChanged = now();
      e.password = d.password;
    }
    e.fields = d.fields.map((f) => {
      const old = e.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (f.value === null && !old) fail('invalid', `field ${f.name} has no value to keep`);
      const value = f.value ?? old!.value;
      if (old) record(e, `field:${f.name}`, old.value, value);
      return { name: f.name, value, hidden: f.hidden };
    });
    e.modified = now();
  }

  function validate(d: EntryDraft) {
    if (d.title.trim() === '') fail('invalid', 'an entry needs a title');
    const names = d.fields.map((f) => f.name.trim().toLowerCase());
    if (names.some((n) => n === '')) fail('invalid', 'a field needs a name');
    if (new Set(names).size !== names.length) fail('invalid', 'two fields have the same name');
  }

  const api: MockBackend = {
    get clipboard() {
      return clipboard;
    },
    get entries() {
      return entries;
    },
    get masterPassword() {
      return password;
    },
    get kdf() {
      return kdf;
    },
    emitLocked(reason) {
      doLock(reason, true);
    },
    emitClipboardCleared() {
      clipboard = null;
      clipHandlers.forEach((h) => h());
    },
    emitLoginStatus(status) {
      loginHandlers.forEach((h) => h(status));
    },
    simulateSync(x) {
      return incoming(x);
    },
    simulatePasswordChange(change, announce = true) {
      return changeElsewhere(change, announce);
    },

    async appState() {
      await delay();
      return state();
    },
    async chooseVaultFile() {
      await delay();
      return '/home/sales/OneDrive/vault.crmv';
    },
    async chooseVaultLocation() {
      await delay();
      return '/home/sales/OneDrive/CRM Vault/vault.crmv';
    },
    async createVault(path, pw) {
      await delay();
      if (path.trim() === '') fail('invalid', 'no path');
      if (pw === '') fail('invalid', 'empty password');
      vaultPath = path;
      password = pw;
      entries = [];
      return didUnlock();
    },
    async openVault(path) {
      await delay();
      vaultPath = path;
      stage = 'locked';
      return state();
    },
    async unlock(pw, rememberPin) {
      await delay();
      if (stage === 'setup') fail('no-vault', 'no vault');
      if (rememberPin !== null) checkPin(rememberPin);
      // The file opens with the password it is under now (edits held before the lock are gone).
      if (changedElsewhere) {
        if (pw === changedElsewhere.password) [password, changedElsewhere] = [changedElsewhere.password, null];
      }
      if (damaged) {
        // As Rust: the newest backup that opens with this password is offered.
        const newest = backups.find((b) => b.state === 'opens');
        if (pw !== password || !newest) {
          failedAttempts += 1;
          fail('damaged-no-backup', 'the vault file is damaged, and no backup opens with this password');
        }
        offer = { name: newest.name, saved: newest.saved ?? newest.taken, device: newest.device, entries: newest.entries ?? 0 };
        fail('damaged', 'the vault file is damaged; a backup opens with this password');
      }
      if (pw !== password) {
        failedAttempts += 1;
        pendingFailures += 1;
        fail('wrong-password', 'wrong password');
      }
      if (rememberPin !== null) {
        if (!quick.available) fail('no-keyring', 'no keyring');
        enableQuick(rememberPin, 24);
      }
      return didUnlock();
    },
    async quickUnlock(pin) {
      await delay();
      if (!quick.enabled) fail('quick-unlock-unavailable', 'quick unlock is off');
      checkPin(pin);
      if (quick.until !== null && now() >= quick.until) {
        quick.enabled = false;
        fail('quick-unlock-expired', 'quick unlock has expired');
      }
      if (pin !== quick.pin) {
        quick.attemptsLeft -= 1;
        if (quick.attemptsLeft > 0) fail('wrong-pin', 'wrong PIN');
        quick.enabled = false;
        fail('quick-unlock-too-many', 'the PIN was wrong 3 times');
      }
      quick.attemptsLeft = 3;
      if (changedElsewhere) {
        // Its device key sealed the retired vault key: forgotten.
        quick.enabled = false;
        fail('password-changed-elsewhere', 'the master password was changed on another laptop');
      }
      return didUnlock();
    },
    async lock() {
      await delay();
      doLock('user', false);
      return state();
    },
    async listEntries(sort) {
      await delay();
      unlocked();
      const by = sort ?? settings.listSort;
      const used = lastUsed();
      const changed = (a: MockEntry, b: MockEntry) => b.modified - a.modified;
      const usedFirst = (a: MockEntry, b: MockEntry) => (used.get(b.id) ?? -1) - (used.get(a.id) ?? -1);
      const tie = by === 'used' ? usedFirst : by === 'changed' ? changed : () => 0;
      lastList = entries.filter((e) => !e.deleted).sort((a, b) => tie(a, b) || compareByName(a, b));
      return lastList.map((e) => summary(e, used.get(e.id) ?? null));
    },
    async search(query) {
      await delay();
      unlocked();
      const terms = query.toLowerCase().split(/\s+/).filter((t) => t);
      const out: number[] = [];
      lastList.forEach((e, i) => {
        const forms = [e.title, e.username, ...e.tags].flatMap((t) => pinyinForms(t) ?? []);
        const hay = [e.title, e.username, e.urls.join(' '), e.tags.join(' '), e.notes, ...forms].join('\n').toLowerCase();
        if (terms.every((t) => hay.includes(t))) out.push(i);
      });
      return out;
    },
    async entryDetail(id) {
      await delay();
      unlocked();
      return detail(find(id));
    },
    async reveal(id, what: RevealWhat) {
      await delay();
      unlocked();
      const e = find(id);
      recordActivity('reveal', id, what);
      if (what === 'password') return e.password;
      if (what === 'totp') return totpCode(e).code;
      if (what.startsWith('field:')) {
        const f = e.fields.find((x) => x.name === what.slice(6));
        if (!f) fail('not-found', 'no such field');
        return f.value;
      }
      if (what.startsWith('history:')) {
        const h = e.history[Number(what.slice(8))];
        if (!h) fail('not-found', 'no such history item');
        return h.value;
      }
      fail('invalid', `cannot reveal ${what}`);
    },
    async copy(id, what: CopyWhat) {
      await delay();
      unlocked();
      const e = find(id);
      if (what === 'username') clipboard = e.username;
      else if (what === 'password') clipboard = e.password;
      else if (what === 'totp') clipboard = totpCode(e).code;
      else if (what.startsWith('field:')) clipboard = e.fields.find((f) => f.name === what.slice(6))?.value ?? fail('not-found', 'no such field');
      else fail('invalid', `cannot copy ${what}`);
      recordActivity('copy', id, what);
      if (opts.live) {
        clearTimeout(clipTimer);
        clipTimer = setTimeout(() => api.emitClipboardCleared(), settings.clipboardClearSeconds * 1000);
      }
    },
    async openUrl(id) {
      await delay();
      unlocked();
      const e = find(id);
      if (e.urls.length === 0) fail('not-found', 'no URL');
      if (opts.live && typeof window !== 'undefined') window.open(e.urls[0], '_blank', 'noopener');
    },
    async saveEntry(id, draft) {
      await delay();
      unlocked();
      validate(draft);
      if (id === null) {
        const e = fillEntry({ id: `new${nextId++}`, created: now() }, 0, now());
        apply(e, { ...draft, password: draft.password ?? '' });
        e.history = [];
        entries.push(e);
        recordActivity('entry-created', e.id);
        writeFile();
        return e.id;
      }
      apply(find(id), draft);
      recordActivity('entry-edited', id);
      writeFile();
      return id;
    },
    async deleteEntry(id) {
      await delay();
      unlocked();
      const e = find(id);
      e.deleted = true;
      e.deletedAt = now();
      e.modified = now();
      writeFile();
    },
    async restoreEntry(id) {
      await delay();
      unlocked();
      const e = find(id, true);
      e.deleted = false;
      e.deletedAt = null;
      e.modified = now();
      writeFile();
    },
    async listTrash() {
      await delay();
      unlocked();
      const used = lastUsed();
      return entries
        .filter((e) => e.deleted)
        .sort((a, b) => (b.deletedAt ?? 0) - (a.deletedAt ?? 0))
        .map((e) => summary(e, used.get(e.id) ?? null));
    },
    async setFavourite(id, favourite) {
      await delay();
      unlocked();
      const e = entries.find((x) => x.id === id) ?? fail('not-found', 'no such entry');
      // Not an edit: `modified` stays.
      e.favourite = favourite;
      writeFile();
    },
    async purgeEntry(id) {
      await delay();
      unlocked();
      const e = entries.find((x) => x.id === id) ?? fail('not-found', 'no such entry');
      if (!e.deleted) fail('invalid', 'only an entry in the trash can be deleted for ever');
      recordActivity('entry-purged', id);
      entries = entries.filter((x) => x !== e);
      writeFile();
    },
    async emptyTrash() {
      await delay();
      unlocked();
      const gone = entries.filter((e) => e.deleted);
      for (const e of gone) recordActivity('entry-purged', e.id);
      entries = entries.filter((e) => !e.deleted);
      if (gone.length) writeFile();
      return gone.length;
    },
    async restoreHistory(id, index) {
      await delay();
      unlocked();
      const e = find(id);
      const h = e.history[index];
      if (!h) fail('not-found', 'no such history item');
      const current = fieldValue(e, h.field);
      record(e, h.field, current, h.value);
      if (h.field === 'urls') e.urls = h.value.split('\n').filter((u) => u);
      else if (h.field.startsWith('field:')) {
        const f = e.fields.find((x) => x.name === h.field.slice(6));
        if (f) f.value = h.value;
        else e.fields.push({ name: h.field.slice(6), value: h.value, hidden: true });
      } else if (h.field === 'title' || h.field === 'username' || h.field === 'password' || h.field === 'notes') {
        e[h.field] = h.value;
      }
      e.modified = now();
      return detail(e);
    },
    async generatePassword(options) {
      await delay();
      const made = tools.recordedGenerated(options);
      generator = { ...options };
      return made;
    },
    async generatorOptions() {
      await delay();
      return { ...generator };
    },
    async policy() {
      await delay();
      return structuredClone(policyFixture) as Policy;
    },
    async generateForRules(rules) {
      await delay();
      return tools.recordedForRules(rules);
    },
    async checkPassword(request) {
      await delay();
      unlocked();
      return tools.recordedCheck(vaultKey(), settingsKey(), request);
    },
    async totpCode(id) {
      await delay();
      unlocked();
      return totpCode(find(id));
    },
    async totpQr(id) {
      await delay();
      unlocked();
      const e = find(id);
      if (!e.totp) fail('no-totp', 'the entry has no TOTP setup');
      return tools.fakeMatrix(e.id);
    },
    async parseTotp(text) {
      await delay();
      unlocked();
      return holdTotp(tools.parseTotp(text));
    },
    async importTotpFile() {
      await delay();
      unlocked();
      if (opts.pickedImage === null || opts.pickedImage === undefined) return null;
      return holdTotp(readImage(opts.pickedImage, () => fail('io', 'no file')));
    },
    async importTotpClipboard() {
      await delay();
      unlocked();
      return holdTotp(readImage(opts.clipboardImage, () => fail('clipboard-no-image', 'no picture on the clipboard')));
    },
    async securityReport() {
      await delay();
      unlocked();
      const report = tools.recordedReport(vaultKey(), settingsKey(), hibpFile !== null);
      // Recorded with a breach list of Rust's; the report names the one chosen here.
      if (hibpFile !== null && report.breaches.status === 'checked') report.breaches.file = hibpFile;
      return report;
    },
    async chooseHibpFile() {
      await delay();
      if (opts.pickedHibpFile) hibpFile = opts.pickedHibpFile;
      return state();
    },
    async clearHibpFile() {
      await delay();
      hibpFile = null;
      return state();
    },
    async passwordStrength(pw, userInputs) {
      await delay();
      return tools.recordedStrength(pw, userInputs);
    },
    async updateSettings(next) {
      await delay();
      const within = (v: number, r: { min: number; max: number }) => v >= r.min && v <= r.max;
      const limits = policyFixture as Policy;
      if (!within(next.clipboardClearSeconds, limits.clipboardClearSeconds) || !within(next.autoLockMinutes, limits.autoLockMinutes)) {
        fail('invalid', 'out of range');
      }
      if (next.rotationDays !== null && !within(next.rotationDays, limits.rotationDays)) fail('invalid', 'out of range');
      settings = { ...next };
      armIdle();
      return state();
    },
    async measureKdf(choice) {
      await delay();
      if (choice.memoryMib < 19 || choice.memoryMib > 4096) fail('kdf-range', 'out of range');
      const cost: KdfCost = { choice, millis: Math.round(choice.memoryMib * choice.iterations * 1.1) };
      return cost;
    },
    async currentKdf() {
      await delay();
      unlocked();
      return { ...kdf };
    },
    async changeMasterPassword(current, next, choice) {
      await delay();
      unlocked();
      if (current !== password) fail('wrong-password', 'wrong password');
      if (next === '') fail('invalid', 'empty password');
      password = next;
      if (choice) kdf = { ...choice };
    },
    async setQuickUnlock(enabled, hours, pin) {
      await delay();
      if (!enabled) {
        quick.enabled = false;
        quick.until = null;
        return state();
      }
      checkPin(pin);
      if (hours < 1 || hours > QUICK_MAX_HOURS) fail('quick-unlock-period', 'at most 7 days');
      if (!quick.available) fail('no-keyring', 'no keyring');
      unlocked();
      enableQuick(checkPin(pin), hours);
      return state();
    },
    async touch() {
      armIdle();
    },
    async onVaultLocked(handler): Promise<Unlisten> {
      lockedHandlers.add(handler);
      return () => lockedHandlers.delete(handler);
    },
    async onClipboardCleared(handler): Promise<Unlisten> {
      clipHandlers.add(handler);
      return () => clipHandlers.delete(handler);
    },
    async syncStatus() {
      await delay();
      // Rust looks at the file every second: once unlocked, it has looked.
      if (stage === 'unlocked' && syncStatus.lastCheck === null) syncStatus = { ...syncStatus, lastCheck: now() };
      return { ...syncStatus, copiesLeftAlone: [...syncStatus.copiesLeftAlone], heldCopies: [...syncStatus.heldCopies] };
    },
    async activity(filter) {
      await delay();
      unlocked();
      const limit = 500;
      const matching = activityLog.filter(
        (e) =>
          (!filter.entryId || e.entryId === filter.entryId) &&
          (filter.kinds.length === 0 || filter.kinds.includes(e.kind)) &&
          (!filter.deviceId || e.deviceId === filter.deviceId) &&
          (filter.sinceMs === null || e.atMs >= filter.sinceMs) &&
          (filter.untilMs === null || e.atMs < filter.untilMs),
      );
      return { events: matching.slice(0, limit), more: matching.length > limit, limit };
    },
    async entryActivity(id) {
      await delay();
      unlocked();
      return activityLog.filter((e) => e.entryId === id).slice(0, 5);
    },
    async activityDevices() {
      await delay();
      unlocked();
      return [{ id: 'this-laptop', name: DEVICE, thisDevice: true }];
    },
    async takeUnlockNotices() {
      await delay();
      if (stage !== 'unlocked') return [];
      const taken = unlockNotices;
      unlockNotices = [];
      return taken;
    },
    async openLogin(id) {
      await delay();
      unlocked();
      const e = find(id);
      const site = e.urls.find((u) => /^https?:\/\//.test(u) || /^[\w.-]+(:\d+)?(\/|$)/.test(u));
      if (!site) fail('no-login-address', 'the entry has no web address to sign in at');
      loginWindows += 1;
      const status: LoginStatus = { window: loginWindows, entryId: id, state: 'opening', step: null, notFilled: null, skippedFrames: 0 };
      queueMicrotask(() => loginHandlers.forEach((h) => h(status)));
      return { window: loginWindows, entryId: id, title: e.title, url: site!.includes('://') ? site! : `https://${site}` };
    },
    async addToDesktop(id) {
      await delay();
      unlocked();
      return `/home/user/Desktop/${find(id).title}.desktop`;
    },
    async onLoginStatus(handler): Promise<Unlisten> {
      loginHandlers.add(handler);
      return () => loginHandlers.delete(handler);
    },
    async onLoginFailed(): Promise<Unlisten> {
      return () => {};
    },
    async autoType(id) {
      await delay();
      unlocked();
      find(id);
      // No desktop to type into in a browser or a test: as Rust says on a Wayland-only session.
      fail('autotype-needs-x11', 'auto-type needs X11');
    },
    async onDownloadFinished(): Promise<Unlisten> {
      return () => {};
    },
    async onLaunchFailed(): Promise<Unlisten> {
      return () => {};
    },
    async onAutoTypeChoose(): Promise<Unlisten> {
      return () => {};
    },
    async onAutoTypeSearch(): Promise<Unlisten> {
      return () => {};
    },
    async onAutoTypeDone(): Promise<Unlisten> {
      return () => {};
    },
    async onVaultSynced(handler): Promise<Unlisten> {
      syncHandlers.add(handler);
      return () => syncHandlers.delete(handler);
    },
    async adoptNewPassword(pw) {
      await delay();
      unlocked();
      if (!changedElsewhere) fail('invalid', 'the master password was not changed elsewhere');
      if (pw !== changedElsewhere.password) fail('wrong-password', 'wrong password');
      // The file now holds this laptop's edits too, under the new password.
      password = changedElsewhere.password;
      changedElsewhere = null;
      quick.enabled = false;
      syncStatus = { ...syncStatus, error: null, passwordChange: null };
      return { ...syncStatus };
    },
    async previewHeldCopy(name, pw): Promise<CopyPreview> {
      await delay();
      unlocked();
      const copy = heldCopy(name, pw);
      const b = copy.brings ?? {};
      const title = (id: string) => (entries.find((e) => e.id === id)?.title ?? id);
      return {
        name,
        reason: copy.reason,
        added: (b.add ?? []).map((s) => s.title ?? ''),
        updated: (b.update ?? []).map((u) => title(u.id)),
        deleted: (b.delete ?? []).map(title),
        restored: (b.restore ?? []).map(title),
        settings: b.settings ?? [],
      };
    },
    async mergeHeldCopy(name, pw) {
      await delay();
      unlocked();
      const copy = heldCopy(name, pw);
      bring(copy.brings ?? {}, copy.device ?? 'LAPTOP-2', noNews());
      writeFile();
      held.delete(name);
      syncStatus = withHeld({ ...syncStatus, copiesLeftAlone: syncStatus.copiesLeftAlone.filter((n) => n !== name), copiesMerged: syncStatus.copiesMerged + 1 });
      return { ...syncStatus };
    },
    // Hand-overs: the rules (durations, passphrases, the file) are Rust's; the mock answers as
    // the session does for the cases the UI shows.
    async chooseHandoverLocation() {
      await delay();
      return '/home/li/handover.crmhandover';
    },
    async chooseHandoverFile() {
      await delay();
      return '/home/li/Downloads/crm.crmhandover';
    },
    async suggestHandoverPassphrase() {
      await delay();
      return MOCK_HANDOVER_PASSPHRASE;
    },
    async makeHandover(ids, to, hours, passphrase, path) {
      await delay();
      unlocked();
      if (!Number.isInteger(hours) || hours < 1 || hours > 720) fail('handover-duration', 'a hand-over lasts from an hour to 30 days');
      if (passphrase.length < 16) fail('handover-weak-passphrase', 'this passphrase is too easy to guess');
      for (const id of ids) find(id);
      const expires = now() + hours * 3_600_000;
      given.unshift({ id: `given-${given.length + 1}`, to, made: now(), expires, entries: ids.map((id) => ({ id, title: find(id).title })) });
      return { path, entries: ids.length, expires };
    },
    async receiveHandover(_path, passphrase) {
      await delay();
      unlocked();
      if (passphrase !== MOCK_HANDOVER_PASSPHRASE) fail('handover-wrong-passphrase', 'the passphrase of the hand-over file is wrong');
      return { added: 1, alreadyReceived: false, giver: 'Li Wei', expires: now() + 72 * 3_600_000 };
    },
    async handOverCompanyAccounts(to, passphrase, path) {
      await delay();
      unlocked();
      const tag = (opts.companyPolicy ?? NO_COMPANY_POLICY).companyTag;
      if (!tag) fail('handover-no-tagged', 'the company policy names no tag for company accounts');
      if (passphrase.length < 16) fail('handover-weak-passphrase', 'this passphrase is too easy to guess');
      const ids = entries.filter((e) => !e.deleted && e.tags.includes(tag)).map((e) => e.id);
      if (ids.length === 0) fail('handover-no-tagged', `no entry has the tag "${tag}"`);
      given.unshift({ id: `given-${given.length + 1}`, to, made: now(), expires: null, entries: ids.map((id) => ({ id, title: find(id).title })) });
      return { path, entries: ids.length, expires: null };
    },
    async givenHandovers() {
      await delay();
      unlocked();
      return given.map((g) => ({ ...g }));
    },
    async companyPolicy() {
      await delay();
      return structuredClone(opts.companyPolicy ?? NO_COMPANY_POLICY);
    },
    async inventory() {
      await delay();
      unlocked();
      return [...entries]
        .filter((e) => !e.deleted)
        .sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()))
        .map((e) => ({
          system: e.title,
          username: e.username,
          urls: [...e.urls],
          totp: e.totp !== null,
          passwordChanged: e.password ? new Date(e.passwordChanged).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
          tags: [...e.tags].sort(),
        }));
    },
    async saveInventoryCsv() {
      await delay();
      unlocked();
      return opts.pickedCsvFile === undefined ? '/home/sales/accounts.csv' : opts.pickedCsvFile;
    },
    async backupOffer() {
      return offer;
    },
    async listBackups() {
      if (stage !== 'unlocked') fail('locked', 'the vault is locked');
      return backups.map((b) => ({ ...b }));
    },
    async restoreBackup(name) {
      if (stage !== 'unlocked') fail('locked', 'the vault is locked');
      const chosen = backups.find((b) => b.name === name);
      if (!chosen) fail('not-found', 'no such backup');
      if (chosen.state !== 'opens') fail('invalid', 'made with an earlier master password');
      // The replaced file is kept as the newest backup, as the core does.
      const t = now();
      backups.unshift({ name: `vault.${t}.crmvault`, taken: t, saved: t, device: DEVICE, entries: entries.filter((e) => !e.deleted).length, size: 2048, state: 'opens' });
      return state();
    },
    async restoreBackupAtUnlock(name, pw) {
      await delay();
      if (pw !== password) fail('wrong-password', 'wrong password');
      if (!backups.some((b) => b.name === name)) fail('not-found', 'no such backup');
      damaged = false;
      offer = null;
      return didUnlock();
    },
    async chooseImportFile() {
      await delay();
      return opts.pickedImportFile === undefined ? '/home/li/Downloads/chrome.csv' : opts.pickedImportFile;
    },
    async previewImport(path, _format, filePassword, _keyFile, keepNotes) {
      await delay();
      unlocked();
      const read = mockImportRead(path, filePassword, keepNotes);
      const present = (title: string) => entries.find((e) => e.title === title);
      const arriving = read.titles.filter((title) => !present(title));
      importToken += 1;
      heldImport = { token: importToken, titles: arriving, source: read.source };
      for (const handler of importProgressHandlers) handler({ done: 100, total: 100 });
      return {
        token: importToken,
        source: read.source,
        arriving: arriving.length,
        already: read.titles.filter(present).map((title) => ({ title, inTrash: !!present(title)?.deleted })),
        skipped: read.skipped,
        secureNotes: read.secureNotes,
        keepNotes,
      };
    },
    async applyImport(token) {
      await delay();
      unlocked();
      if (heldImport === null || heldImport.token !== token) fail('import-expired', 'the file read for import is no longer held');
      const { titles, source } = heldImport;
      heldImport = null;
      for (const title of titles) entries.push(fillEntry({ id: `new${nextId++}`, title, created: now() }, 0, now()));
      if (titles.length > 0) {
        recordActivity('import', null, `${source}, ${titles.length} entries`);
        writeFile();
      }
      return { source, added: titles.length, alreadyPresent: 0 };
    },
    async onImportProgress(handler): Promise<Unlisten> {
      importProgressHandlers.add(handler);
      return () => importProgressHandlers.delete(handler);
    },
    async chooseExportLocation(format) {
      await delay();
      return opts.pickedExportFile === undefined ? `/home/li/crm-vault-export.${format}` : opts.pickedExportFile;
    },
    async exportVault(path, format, exportPassword, plainTextOk) {
      await delay();
      unlocked();
      if (format === 'csv' && !plainTextOk) fail('export-needs-confirmation', 'a CSV export holds every password in plain text');
      if (format !== 'csv' && !exportPassword) fail('export-needs-password', 'an encrypted export needs a password');
      const count = entries.filter((e) => !e.deleted).length;
      recordActivity('export', null, `${format.toUpperCase()}, ${count} entries`);
      return { path, format, entries: count };
    },
  };
  return api;
}

/** A ready instance with sample data, for quick experiments; tests create their own. */
export const mockBackend: MockBackend = createMockBackend();

/** What the mock reads in a file to import, told by its extension as the real app tells it by content. */
function mockImportRead(path: string, filePassword: string | null, keepNotes: boolean): { source: string; titles: string[]; skipped: SkippedView[]; secureNotes: number } {
  if (path.endsWith('.kdbx')) {
    if (!filePassword) fail('import-needs-password', `${path} is protected by a password`);
    if (filePassword !== MOCK_KDBX_PASSWORD) fail('import-wrong-password', `the password does not open ${path}`);
    return {
      source: 'KeePass (KDBX 4.0)',
      titles: ['纷享销客', 'VPN', 'Mail server'],
      skipped: [{ place: { kind: 'item', title: 'Sales/VPN' }, reason: { kind: 'attachment', name: 'vpn.ovpn' } }],
      secureNotes: 0,
    };
  }
  if (path.endsWith('.json')) {
    return {
      source: 'Bitwarden JSON',
      titles: keepNotes ? ['Bank', 'Door codes'] : ['Bank'],
      skipped: [
        { place: { kind: 'item', title: 'Visa' }, reason: { kind: 'not-a-login', what: 'card' } },
        ...(keepNotes ? [] : [{ place: { kind: 'item', title: 'Door codes' }, reason: { kind: 'not-a-login', what: 'secure note' } } as SkippedView]),
      ],
      secureNotes: keepNotes ? 0 : 1,
    };
  }
  if (!path.endsWith('.csv')) fail('import-wrong-shape', `cannot import ${path}: it is not a password export`);
  return {
    source: 'Chrome/Edge CSV',
    titles: ['Salesforce', '纷享销客 CRM', 'ERP 2'],
    skipped: [{ place: { kind: 'line', line: 4 }, reason: { kind: 'empty' } }],
    secureNotes: 0,
  };
}
