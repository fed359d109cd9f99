import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import EntryList from './EntryList.svelte';
import { sampleEntries } from '../ipc/mock';
import type { EntrySummary } from '../ipc/types';
import { deferred, renderUnlocked, rowTitles } from '../../test/helpers';

function summaries(n: number): EntrySummary[] {
  return sampleEntries(n).map((e) => ({
    id: e.id!,
    title: e.title!,
    username: e.username!,
    url: e.urls![0],
    tags: e.tags!,
    modified: e.modified!,
    favourite: false,
    lastUsed: null,
    deleted: null,
  }));
}

describe('virtual list', () => {
  it('renders only a window of rows for 10,000 entries', () => {
    const all = summaries(10_000);
    const visible = all.map((_, i) => i);
    render(EntryList, { props: { all, visible, selected: 0, onselect: () => {}, onopen: () => {}, rowHeight: 50, overscan: 5 } });
    const rows = screen.getAllByTestId('entry-row');
    // 600 px assumed view / 50 px rows = 12, plus 5 rows of overscan below.
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(rows[0].dataset.id).toBe('e00000');
    // The scroll height still stands for every entry.
    expect((document.querySelector('.spacer') as HTMLElement).style.height).toBe('500000px');
  });

  it('scrolling renders the rows now in view, and only those', async () => {
    const all = summaries(10_000);
    const visible = all.map((_, i) => i);
    render(EntryList, { props: { all, visible, selected: -1, onselect: () => {}, onopen: () => {}, rowHeight: 50, overscan: 5 } });
    const viewport = screen.getByRole('listbox');
    viewport.scrollTop = 50 * 5000;
    await fireEvent.scroll(viewport);
    const ids = screen.getAllByTestId('entry-row').map((r) => r.dataset.id);
    expect(ids).toContain('e05000');
    expect(ids).not.toContain('e00000');
    expect(ids.length).toBeLessThanOrEqual(25);
    const row = screen.getAllByTestId('entry-row').find((r) => r.dataset.id === 'e05000')!;
    expect(row.style.top).toBe('250000px');
    expect(row.getAttribute('aria-posinset')).toBe('5001');
    expect(row.getAttribute('aria-setsize')).toBe('10000');
  });

  it('scrolls the selected row into view', async () => {
    const all = summaries(1000);
    const visible = all.map((_, i) => i);
    const { rerender } = render(EntryList, { props: { all, visible, selected: 0, onselect: () => {}, onopen: () => {}, rowHeight: 50 } });
    await rerender({ all, visible, selected: 700, onselect: () => {}, onopen: () => {}, rowHeight: 50 });
    const viewport = screen.getByRole('listbox');
    expect(viewport.scrollTop).toBe(700 * 50 + 50 - 600);
    expect(screen.getAllByTestId('entry-row').some((r) => r.dataset.id === 'e00700' && r.getAttribute('aria-selected') === 'true')).toBe(true);
  });
});

describe('search', () => {
  it('filters the visible list as one types', async () => {
    const { user } = await renderUnlocked();
    expect(rowTitles().length).toBe(12);
    await user.type(screen.getByTestId('search'), 'erp');
    await waitFor(() => expect(rowTitles().sort()).toEqual(['SAP ERP', '用友 ERP', '金蝶云']));
    // The first match is selected, ready for Enter or Ctrl+C.
    expect(screen.getAllByTestId('entry-row')[0].getAttribute('aria-selected')).toBe('true');
    await user.clear(screen.getByTestId('search'));
    await waitFor(() => expect(rowTitles().length).toBe(12));
  });

  it('searches with every keystroke and keeps the list from 10,000 entries small', async () => {
    const { user, backend } = await renderUnlocked({ entries: 10_000 });
    const search = vi.spyOn(backend, 'search');
    expect(screen.getAllByTestId('entry-row').length).toBeLessThan(40);
    await user.type(screen.getByTestId('search'), '0999');
    expect(search.mock.calls.map((c) => c[0])).toEqual(['0', '09', '099', '0999']);
    await waitFor(() => expect(screen.getAllByTestId('entry-row').length).toBe(11)); // 00999 and 09990-09999
    expect(document.body.textContent).toContain('11 of 10,000 entries');
  });

  it('drops an answer that arrives after a newer keystroke', async () => {
    const { user, backend } = await renderUnlocked();
    const real = backend.search.bind(backend);
    const slow = deferred<number[]>();
    vi.spyOn(backend, 'search').mockImplementation((q) => (q === 'k' ? slow.promise : real(q)));
    await user.type(screen.getByTestId('search'), 'kin');
    await waitFor(() => expect(rowTitles()).toEqual(['金蝶云']));
    // The answer for "k" comes last; it must not replace the answer for "kin".
    slow.resolve([0, 1, 2, 3, 4]);
    await new Promise((r) => setTimeout(r, 10));
    expect(rowTitles()).toEqual(['金蝶云']);
  });

  it('says when nothing matches', async () => {
    const { user } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'no such thing');
    expect((await screen.findByTestId('no-results')).textContent).toBe('No entries match your search.');
  });
});
