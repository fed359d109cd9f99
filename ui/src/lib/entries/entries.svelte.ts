import type { Backend, CopyWhat, RevealWhat } from '../ipc/backend';
import type { EntryDetail, EntrySummary } from '../ipc/types';
import { ALL, applyFilter, type ListFilter } from './filter';

/**
 * The unlocked vault as the main screen sees it. Everything here is dropped
 * by `clear()` on lock; a counter per kind of request makes late answers
 * (from before a newer keystroke, selection or lock) land nowhere.
 */
export class EntriesModel {
  /** The last `list_entries` result; `search` answers with indices into it. */
  all = $state.raw<EntrySummary[]>([]);
  /** Indices into `all` that match the query and the sidebar's choice, in list order. */
  visible = $state.raw<number[]>([]);
  query = $state('');
  /** The sidebar's choice: all entries, the favourites, or one tag. */
  filter = $state.raw<ListFilter>(ALL);
  /** Position in `visible`, -1 for none. */
  selected = $state(-1);
  detail = $state.raw<EntryDetail | null>(null);
  detailOpen = $state(false);
  /** Revealed secrets of the open entry, by what `reveal` was asked for. */
  revealed = $state<Record<string, string>>({});
  loaded = $state(false);
  #searchSeq = 0;
  #detailSeq = 0;
  #listSeq = 0;
  /** The entry the detail pane shows or is loading. */
  #openId: string | null = null;

  constructor(private readonly backend: Backend) {}

  get selectedEntry(): EntrySummary | null {
    const i = this.visible[this.selected];
    return i === undefined ? null : (this.all[i] ?? null);
  }

  /** Fetch the list (after unlock and after every change), keeping the selection on `keepId`. */
  async load(keepId: string | null = this.selectedEntry?.id ?? null): Promise<void> {
    const seq = ++this.#listSeq;
    const list = await this.backend.listEntries();
    if (seq !== this.#listSeq) return;
    this.all = list;
    this.loaded = true;
    await this.#runSearch(keepId);
  }

  /**
   * Other laptops' changes came in: the list again (search and selection kept), and the open
   * entry's details again. An entry deleted elsewhere closes; revealed secrets of an entry that
   * changed are hidden again, as they may be old.
   */
  async refresh(): Promise<void> {
    const openId = this.detailOpen ? (this.detail?.id ?? null) : null;
    await this.load();
    if (openId === null || !this.detailOpen) return;
    if (!this.all.some((e) => e.id === openId)) {
      this.closeDetail();
      return;
    }
    if (this.detail?.id !== openId) return;
    const seq = ++this.#detailSeq;
    const before = this.detail;
    const fresh = await this.backend.entryDetail(openId);
    if (seq !== this.#detailSeq) return;
    if (fresh.modified !== before.modified) this.revealed = {};
    this.detail = fresh;
  }

  /** Called on every keystroke in the search box; `keepId` stays selected if it matches. */
  async setQuery(query: string, keepId: string | null = null): Promise<void> {
    this.query = query;
    await this.#runSearch(keepId);
  }

  /** The sidebar's choice; the search applies within it, and the selection stays on `keepId` if it is shown. */
  async setFilter(filter: ListFilter, keepId: string | null = this.selectedEntry?.id ?? null): Promise<void> {
    this.filter = filter;
    await this.#runSearch(keepId);
  }

  /**
   * Highlight `id` in the list (the entry the detail pane or the editor shows). When the search or the
   * sidebar hides it, both are reset so that the highlighted row is the entry being worked on.
   */
  async selectId(id: string): Promise<void> {
    const position = this.visible.findIndex((i) => this.all[i]?.id === id);
    if (position >= 0) {
      this.select(position);
      return;
    }
    if (!this.all.some((e) => e.id === id)) return;
    this.query = '';
    this.filter = ALL;
    await this.#runSearch(id);
  }

  async #runSearch(keepId: string | null): Promise<void> {
    const seq = ++this.#searchSeq;
    let indices: number[];
    if (this.query.trim() === '') {
      // The empty query is "everything": no need to ask Rust.
      indices = this.all.map((_, i) => i);
    } else {
      const listSeq = this.#listSeq;
      indices = await this.backend.search(this.query);
      // Stale if a newer keystroke was typed or the list was re-fetched meanwhile.
      if (seq !== this.#searchSeq || listSeq !== this.#listSeq) return;
    }
    this.visible = applyFilter(this.all, indices, this.filter);
    const keep = keepId === null ? -1 : this.visible.findIndex((i) => this.all[i].id === keepId);
    // Typing selects the best (first) match so Enter or Ctrl+C act on it at once.
    this.select(keep >= 0 ? keep : this.visible.length > 0 ? 0 : -1);
    // Nothing matches: nothing is selected, so the detail pane must not go on showing an entry
    // from before the search (it may have been opened from elsewhere, not from the selection).
    if (this.visible.length === 0 && this.detailOpen) this.closeDetail();
  }

  /**
   * Select a row; an open detail pane follows the selection. Compared with the entry the pane shows
   * (not the row selected before), as a new search result moves rows under an unchanged index.
   */
  select(position: number): void {
    this.selected = position;
    const after = this.selectedEntry?.id ?? null;
    if (!this.detailOpen) return;
    if (after === null) this.closeDetail();
    else if (after !== this.#openId) void this.openDetail();
  }

  move(delta: number): void {
    if (this.visible.length === 0) return;
    const start = this.selected < 0 ? (delta > 0 ? -1 : this.visible.length) : this.selected;
    this.select(Math.min(this.visible.length - 1, Math.max(0, start + delta)));
  }

  /** Open the selected entry's detail (or `id`'s, when given). */
  async openDetail(id: string | null = this.selectedEntry?.id ?? null): Promise<void> {
    if (id === null) return;
    const seq = ++this.#detailSeq;
    this.detailOpen = true;
    this.#openId = id;
    if (this.detail?.id !== id) {
      this.revealed = {};
      this.detail = null;
    }
    const detail = await this.backend.entryDetail(id);
    if (seq !== this.#detailSeq) return;
    this.detail = detail;
  }

  /** Replace the shown detail with one Rust returned (e.g. after restoring history). */
  showDetail(detail: EntryDetail): void {
    ++this.#detailSeq;
    this.revealed = {};
    this.detail = detail;
    this.detailOpen = true;
    this.#openId = detail.id;
  }

  closeDetail(): void {
    ++this.#detailSeq;
    this.#openId = null;
    this.detailOpen = false;
    this.detail = null;
    this.revealed = {};
  }

  /** Show or hide one secret of the open entry. */
  async toggleReveal(what: RevealWhat): Promise<void> {
    const id = this.detail?.id;
    if (!id) return;
    if (what in this.revealed) {
      const rest = { ...this.revealed };
      delete rest[what];
      this.revealed = rest;
      return;
    }
    const seq = this.#detailSeq;
    const value = await this.backend.reveal(id, what);
    if (seq !== this.#detailSeq || this.detail?.id !== id) return;
    this.revealed = { ...this.revealed, [what]: value };
  }

  /** The entry the copy and open shortcuts act on: the open detail, else the selected row. */
  get currentId(): string | null {
    return this.detailOpen && this.detail ? this.detail.id : (this.selectedEntry?.id ?? null);
  }

  async copy(what: CopyWhat): Promise<boolean> {
    const id = this.currentId;
    if (!id) return false;
    await this.backend.copy(id, what);
    return true;
  }

  /** Forget everything: called on lock and when the main screen goes away. */
  clear(): void {
    ++this.#searchSeq;
    ++this.#detailSeq;
    ++this.#listSeq;
    this.all = [];
    this.visible = [];
    this.query = '';
    this.filter = ALL;
    this.selected = -1;
    this.detail = null;
    this.#openId = null;
    this.detailOpen = false;
    this.revealed = {};
    this.loaded = false;
  }
}
