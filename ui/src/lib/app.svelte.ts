import { getContext, setContext } from 'svelte';
import type { AutoTypeChoice, Backend, Unlisten } from './ipc/backend';
import type { AppState, ExpiringView, LockReason, LoginStatus, PasswordChangeNotice, SyncEvent, SyncStatus } from './ipc/types';
import { errorText } from './errors';
import { setLanguage, t } from './i18n/index.svelte';
import { applyTheme } from './theme';
import { Toasts } from './common/toast.svelte';
import { hasChanges, newsText } from './sync/news';

const KEY = Symbol('app');

/**
 * What the whole window shares: the last AppState from Rust and the events.
 * Entries are not here on purpose: they live in the main screen's model and
 * go away with it when the vault locks.
 */
export class AppModel {
  state = $state<AppState | null>(null);
  loadError = $state<unknown>(null);
  /** Why the vault locked last, shown on the unlock screen. */
  lockReason = $state<LockReason | null>(null);
  /** Failed attempts counted before the unlock that just succeeded (Rust resets its count). */
  failedBeforeUnlock = $state(0);
  #failedWhenShown = 0;
  /** Passwords due for a change when the vault was unlocked: a gentle note on the main screen. */
  rotationNotice = $state(0);
  /** Passwords whose expiry date was near when the vault was unlocked, soonest first. */
  expiringNotice = $state.raw<ExpiringView[]>([]);
  clipboardCleared = $state(false);
  /** Bumps on every lock, so screens can drop anything they hold. */
  lockCount = $state(0);
  /** How the open vault stands with its file; null until known, and again after locking. */
  syncStatus = $state.raw<SyncStatus | null>(null);
  /** A save was refused because the master password changed elsewhere (the status may not say so yet). */
  savesRefused = $state(false);
  /** The new master password was just taken: the short "nothing was lost" confirmation shows. */
  passwordAdopted = $state(false);
  /** Several entries fit the focused window: the chooser shows until one is picked. */
  autoTypeChoice = $state<AutoTypeChoice | null>(null);
  /** The shortcut found no entry for this window title: the search opens. */
  autoTypeSearch = $state<string | null>(null);
  /** The latest login window status of each entry, by entry id. */
  logins = $state<Record<string, LoginStatus>>({});
  toasts = new Toasts();
  #syncListeners = new Set<(event: SyncEvent) => void>();
  #restoreListeners = new Set<() => void>();
  #adoptListeners = new Set<() => void>();
  #adoptedTimer: ReturnType<typeof setTimeout> | undefined;
  #unlisten: Unlisten[] = [];
  #clipTimer: ReturnType<typeof setTimeout> | undefined;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #lastTouch = 0;

  constructor(readonly backend: Backend) {}

  async start(): Promise<void> {
    this.#unlisten.push(await this.backend.onVaultLocked((reason) => this.locked(reason)));
    this.#unlisten.push(await this.backend.onClipboardCleared(() => this.#clipboardWasCleared()));
    this.#unlisten.push(await this.backend.onVaultSynced((event) => this.synced(event)));
    this.#unlisten.push(await this.backend.onLoginStatus((status) => (this.logins = { ...this.logins, [status.entryId]: status })));
    this.#unlisten.push(await this.backend.onLoginFailed((error) => this.toasts.show(errorText(error))));
    this.#unlisten.push(
      await this.backend.onDownloadFinished((download) =>
        this.toasts.show(
          download.success ? t('download.saved', { path: download.path ?? '' }) : t('download.failed'),
          { seconds: 8 },
        ),
      ),
    );
    this.#unlisten.push(await this.backend.onLaunchFailed((message) => this.toasts.show(message, { seconds: 10 })));
    this.#unlisten.push(await this.backend.onAutoTypeChoose((choice) => (this.autoTypeChoice = choice)));
    this.#unlisten.push(await this.backend.onAutoTypeSearch((title) => (this.autoTypeSearch = title)));
    this.#unlisten.push(
      await this.backend.onAutoTypeDone((done) =>
        this.toasts.show(done.error ? errorText(done.error) : t('autotype.typed', { window: done.windowTitle })),
      ),
    );
    await this.refresh();
  }

  stop(): void {
    this.#unlisten.forEach((u) => u());
    this.#unlisten = [];
    clearTimeout(this.#clipTimer);
    clearTimeout(this.#syncTimer);
    clearTimeout(this.#adoptedTimer);
  }

  async refresh(): Promise<void> {
    try {
      this.apply(await this.backend.appState());
      this.loadError = null;
    } catch (e) {
      this.loadError = e;
    }
  }

  apply(next: AppState): void {
    const before = this.state;
    // The unlock screen appears (start, lock, another vault): the attempts counted so far are
    // news for whoever unlocks; the ones typed on this screen from now on are the user's own,
    // seen there as they happened, and not told again after the unlock.
    if (next.stage !== 'unlocked' && (before?.stage !== next.stage || before?.vaultPath !== next.vaultPath)) {
      this.#failedWhenShown = next.failedAttempts;
    }
    if (next.stage === 'unlocked' && before?.stage !== 'unlocked') {
      this.failedBeforeUnlock = Math.min(before?.failedAttempts ?? 0, this.#failedWhenShown);
      this.rotationNotice = next.rotationDue;
      this.expiringNotice = next.expiring ?? [];
      this.lockReason = null;
    }
    if (next.stage !== 'unlocked' && before?.stage === 'unlocked') {
      this.lockCount++;
      this.syncStatus = null;
      this.savesRefused = false;
      this.passwordAdopted = false;
    }
    if (next.stage === 'unlocked' && before?.stage !== 'unlocked') void this.#loadSyncStatus();
    this.state = next;
    setLanguage(next.settings.language);
    applyTheme(next.settings.theme);
  }

  /** Right after unlocking Rust has not looked at the file yet: ask again until it has. */
  async #loadSyncStatus(tries = 4): Promise<void> {
    const lockCount = this.lockCount;
    try {
      const status = await this.backend.syncStatus();
      // An event may have come first (it is newer), or the vault locked meanwhile.
      if (this.state?.stage !== 'unlocked' || this.lockCount !== lockCount || this.syncStatus?.lastCheck != null) return;
      this.syncStatus = status;
      if (status.lastCheck === null && tries > 1) {
        clearTimeout(this.#syncTimer);
        this.#syncTimer = setTimeout(() => void this.#loadSyncStatus(tries - 1), 1200);
      }
    } catch {
      // The status line waits for the first event instead.
    }
  }

  /**
   * Other laptops' changes came in through the file (or its sync error appeared or cleared):
   * the status moves on, the news is told in a toast, and the open screens reload.
   */
  synced(event: SyncEvent): void {
    if (this.state?.stage !== 'unlocked') return;
    this.syncStatus = event.status;
    const text = newsText(event.news);
    // A password change elsewhere matters at the next unlock: it stays up longer.
    if (text) this.toasts.show(text, { seconds: event.news.passwordChangedBy ? 12 : 8 });
    // The vault's own settings (auto-lock, clipboard) travel with it.
    if (event.news.settingsChanged) void this.refresh();
    if (hasChanges(event.news)) this.#syncListeners.forEach((listener) => listener(event));
  }

  /**
   * Set while this laptop needs the master password that was changed on another laptop: the
   * notice of where and when (null if only a refused save has told us so far). Undefined otherwise.
   */
  get passwordChange(): PasswordChangeNotice | null | undefined {
    if (this.syncStatus?.error === 'password-changed-elsewhere') return this.syncStatus.passwordChange;
    return this.savesRefused ? null : undefined;
  }

  /** A command was refused with "password-changed-elsewhere": ask for the new password. */
  passwordChangedElsewhere(): void {
    this.savesRefused = true;
    this.passwordAdopted = false;
  }

  /**
   * Takes the master password changed on another laptop; this laptop's edits go into the file.
   * Rejects with the IPC error ("wrong-password") and leaves the prompt up.
   */
  async adoptNewPassword(password: string): Promise<void> {
    const lockCount = this.lockCount;
    const status = await this.backend.adoptNewPassword(password);
    if (this.lockCount !== lockCount) return;
    this.syncStatus = status;
    this.savesRefused = false;
    this.passwordAdopted = true;
    clearTimeout(this.#adoptedTimer);
    this.#adoptedTimer = setTimeout(() => (this.passwordAdopted = false), 20_000);
    // Quick unlock was sealed with the retired key and is gone: the unlock screen must know.
    void this.refresh();
    // A sync event sent just before the change may arrive after it: ask again once it settled.
    clearTimeout(this.#syncTimer);
    this.#syncTimer = setTimeout(() => void this.#settle(lockCount), 1500);
    this.#adoptListeners.forEach((listener) => listener());
  }

  async #settle(lockCount: number): Promise<void> {
    try {
      const status = await this.backend.syncStatus();
      if (this.state?.stage === 'unlocked' && this.lockCount === lockCount) this.syncStatus = status;
    } catch {
      // The next event brings it.
    }
  }

  /** Calls `listener` once the new master password was taken and this laptop's edits saved. */
  onPasswordAdopted(listener: () => void): () => void {
    this.#adoptListeners.add(listener);
    return () => this.#adoptListeners.delete(listener);
  }

  /** Calls `listener` when a backup replaced the open vault (from Settings). */
  onRestored(listener: () => void): () => void {
    this.#restoreListeners.add(listener);
    return () => this.#restoreListeners.delete(listener);
  }

  /** A backup replaced the open vault: its state in, and the open screens show the restored version. */
  restored(next: AppState): void {
    this.apply(next);
    this.#restoreListeners.forEach((listener) => listener());
  }

  /** A held copy was merged on purpose: the status moves on; its settings may have come in. */
  copyMerged(status: SyncStatus): void {
    this.syncStatus = status;
    void this.refresh();
  }

  /** Calls `listener` when other laptops' changes were merged into the open vault. */
  onSynced(listener: (event: SyncEvent) => void): () => void {
    this.#syncListeners.add(listener);
    return () => this.#syncListeners.delete(listener);
  }

  /** The vault locked (event, Ctrl+L or a "locked" error): leave the main screen now, then ask Rust for the rest. */
  locked(reason: LockReason): void {
    if (this.state && this.state.stage === 'unlocked') {
      this.apply({ ...this.state, stage: 'locked', entryCount: 0 });
    }
    this.lockReason = reason;
    this.toasts.dismiss();
    void this.refresh();
  }

  async lock(): Promise<void> {
    try {
      this.apply(await this.backend.lock());
    } catch {
      // Even if Rust could not answer, the UI must not keep showing entries.
      this.locked('user');
      return;
    }
    this.lockReason = 'user';
  }

  /** User activity for Rust's idle timer; at most one call every 5 s. */
  touch(now = Date.now()): void {
    if (this.state?.stage !== 'unlocked' || now - this.#lastTouch < 5000) return;
    this.#lastTouch = now;
    this.backend.touch().catch(() => {});
  }

  #clipboardWasCleared(): void {
    this.clipboardCleared = true;
    clearTimeout(this.#clipTimer);
    this.#clipTimer = setTimeout(() => (this.clipboardCleared = false), 4000);
  }
}

export function provideApp(app: AppModel): void {
  setContext(KEY, app);
}

export function useApp(): AppModel {
  const app = getContext<AppModel | undefined>(KEY);
  if (!app) throw new Error('useApp outside <App>');
  return app;
}
