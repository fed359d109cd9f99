import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { AVATAR_PALETTE, avatarColour, avatarLetter, contrast, systemHost } from './avatar';
import { applyFilter, tagCounts } from './filter';
import type { EntrySummary } from '../ipc/types';
import { renderUnlocked, rowTitles } from '../../test/helpers';

function entry(id: string, title: string, tags: string[], favourite = false, url = ''): EntrySummary {
  return { id, title, username: '', url, tags, modified: 0, favourite } as EntrySummary;
}

const ENTRIES = [
  entry('a', 'Salesforce', ['CRM'], true, 'https://acme.my.salesforce.com'),
  entry('b', '纷享销客', ['CRM', 'Sales/国内CRM'], false),
  entry('c', '金蝶云', ['ERP'], true),
  entry('d', 'Exchange', [], false),
];

describe('the sidebar choice and the search together', () => {
  it('narrows a search result to the favourites or one tag, keeping its order', () => {
    const searched = [3, 2, 1, 0];
    expect(applyFilter(ENTRIES, searched, { kind: 'all' })).toEqual([3, 2, 1, 0]);
    expect(applyFilter(ENTRIES, searched, { kind: 'favourites' })).toEqual([2, 0]);
    expect(applyFilter(ENTRIES, searched, { kind: 'tag', tag: 'CRM' })).toEqual([1, 0]);
    expect(applyFilter(ENTRIES, searched, { kind: 'tag', tag: 'Sales/国内CRM' })).toEqual([1]);
    // An index from an older list is dropped, not shown as an empty row.
    expect(applyFilter(ENTRIES, [7, 0], { kind: 'all' })).toEqual([0]);
  });

  it('counts each tag once per entry, imported groups as tags', () => {
    const twice = entry('e', 'Twice', ['ERP', 'ERP']);
    expect(tagCounts([...ENTRIES, twice])).toEqual([
      { tag: 'CRM', count: 2 },
      { tag: 'ERP', count: 2 },
      { tag: 'Sales/国内CRM', count: 1 },
    ]);
  });
});

describe('letter avatars', () => {
  it('every colour gives white letters at least 4.5:1', () => {
    for (const colour of AVATAR_PALETTE) expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('shows the first letter, or the first Han character of a Chinese title', () => {
    expect(avatarLetter('salesforce')).toBe('S');
    expect(avatarLetter('纷享销客 CRM')).toBe('纷');
    expect(avatarLetter('  [VPN] office')).toBe('V');
    expect(avatarLetter('***')).toBe('#');
  });

  it('colours every account of one system alike, whatever its title, and the same every time', () => {
    expect(systemHost('https://www.Example.com/login')).toBe('example.com');
    expect(systemHost('crm.example.cn')).toBe('crm.example.cn');
    expect(avatarColour('Salesforce (me)', 'https://acme.my.salesforce.com/a')).toBe(avatarColour('Salesforce (team)', 'https://acme.my.salesforce.com/b'));
    // Pinned: the colour must not change between releases (users learn it).
    expect(avatarColour('Salesforce', 'https://acme.my.salesforce.com')).toBe(avatarColour('x', 'acme.my.salesforce.com'));
    const colours = new Set(['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com'].map((h) => avatarColour('', `https://${h}`)));
    expect(colours.size).toBeGreaterThan(2);
    // Without a URL, the title decides.
    expect(avatarColour('金蝶云', '')).toBe(avatarColour(' 金蝶云 ', ''));
  });
});

// The first test here loads the whole main screen, which is slow on a busy machine.
describe('the sidebar on the main screen', { timeout: 30_000 }, () => {
  it('lists all, each tag with its count, and trash; choosing a tag filters the list', async () => {
    const { user } = await renderUnlocked();
    const sidebar = screen.getByTestId('sidebar');
    const all = within(sidebar).getByTestId('sidebar-all');
    expect(all.getAttribute('aria-current')).toBe('true');
    expect(all.textContent).toContain('12');
    const erp = within(sidebar)
      .getAllByTestId('sidebar-tag')
      .find((b) => b.dataset.tag === 'erp')!;
    await user.click(erp);
    await waitFor(() => expect(rowTitles().sort()).toEqual(['SAP ERP', '用友 ERP', '金蝶云'].sort()));
    expect(erp.getAttribute('aria-current')).toBe('true');
    expect(all.getAttribute('aria-current')).toBeNull();
    expect(screen.getByTestId('list-title').textContent).toBe('erp');
    // The search applies within the tag.
    await user.type(screen.getByTestId('search'), 'sap');
    await waitFor(() => expect(rowTitles()).toEqual(['SAP ERP']));
    await user.click(all);
    await waitFor(() => expect(rowTitles()).toContain('SAP ERP'));
  });

  it('a tag on a row filters like the sidebar', async () => {
    const { user } = await renderUnlocked();
    const row = screen.getAllByTestId('entry-row').find((r) => r.textContent?.includes('金蝶云'))!;
    await user.click(within(row).getAllByTestId('row-tag')[0]);
    await waitFor(() => expect(screen.getByTestId('list-title').textContent).toBe('erp'));
    expect(rowTitles().length).toBe(3);
  });

  it('a search that finds nothing clears the selection and the open entry', async () => {
    const { user } = await renderUnlocked();
    await user.click(screen.getAllByTestId('entry-row')[2]);
    await screen.findByTestId('detail-title');
    await user.type(screen.getByTestId('search'), 'no such thing');
    await screen.findByTestId('no-results');
    expect(screen.queryByTestId('detail-title')).toBeNull();
    expect(screen.queryAllByTestId('entry-row')).toEqual([]);
    expect(screen.getByTestId('search').getAttribute('aria-activedescendant')).toBeNull();
  });

  it('the open entry follows the selection when a search moves rows under it', async () => {
    const { user } = await renderUnlocked();
    await user.click(screen.getAllByTestId('entry-row')[0]);
    const first = (await screen.findByTestId('detail-title')).textContent;
    await user.type(screen.getByTestId('search'), 'erp');
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe(rowTitles()[0]));
    expect(screen.getByTestId('detail-title').textContent).not.toBe(first);
  });
});

describe('the list highlights the entry being worked on', () => {
  const now = Date.now();
  const ENTRIES = [
    { id: 'erp', title: 'ERP', username: 'li', password: 'Shared-Long-Password-77', passwordChanged: now },
    { id: 'mail', title: 'Mail', username: 'li', password: 'Shared-Long-Password-77', passwordChanged: now },
    {
      id: 'portal',
      title: 'Portal',
      username: 'li',
      password: 'password1',
      passwordChanged: now - 200 * 86_400_000,
      rules: { minLength: 10, maxLength: 12, symbols: '#', required: { lower: true, upper: true, digits: true, symbols: true } },
    },
    { id: 'vpn', title: 'VPN', username: 'li', password: 'Unique-Tunnel-Passphrase-42', passwordChanged: now, expires: '2020-01-31' },
  ];
  const highlighted = () =>
    screen
      .queryAllByTestId('entry-row')
      .filter((r) => r.getAttribute('aria-selected') === 'true')
      .map((r) => r.dataset.id);

  it('"fix" from the report moves the highlight to the entry in the editor; a new entry has none', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await user.click(screen.getAllByTestId('entry-row').find((r) => r.dataset.id === 'erp')!);
    await screen.findByTestId('detail-title');
    expect(highlighted()).toEqual(['erp']);
    await user.click(screen.getByTestId('report-open'));
    await screen.findByTestId('report-summary');
    const portal = screen.getAllByTestId('report-card').find((f) => f.textContent?.includes('Portal'))!;
    await user.click(within(portal).getByTestId('report-fix'));
    await screen.findByTestId('editor-password');
    await waitFor(() => expect(highlighted()).toEqual(['portal']));
    await user.click(screen.getByTestId('new-entry'));
    await waitFor(() => expect(highlighted()).toEqual([]));
  });
});

describe('favourites, sort, density and the trash', () => {
  it('a star on a row, the entry view star and Ctrl+D star entries; Favourites lists them', async () => {
    const { user, backend } = await renderUnlocked();
    const row = () => screen.getAllByTestId('entry-row').find((r) => r.textContent?.includes('金蝶云'))!;
    await user.click(within(row()).getByTestId('row-star'));
    await waitFor(() => expect(backend.entries.find((e) => e.title === '金蝶云')!.favourite).toBe(true));
    await user.click(screen.getByTestId('sidebar-favourites'));
    await waitFor(() => expect(rowTitles()).toEqual(['金蝶云']));
    expect(screen.getByTestId('sidebar-favourites').textContent).toContain('1');
    await user.click(screen.getByTestId('sidebar-all'));
    await user.click(screen.getAllByTestId('entry-row').find((r) => r.textContent?.includes('Outlook'))!);
    const star = await screen.findByTestId('detail-star');
    expect(star.getAttribute('aria-pressed')).toBe('false');
    await user.keyboard('{Control>}d{/Control}');
    await waitFor(() => expect(screen.getByTestId('detail-star').getAttribute('aria-pressed')).toBe('true'));
    await user.click(screen.getByTestId('detail-star'));
    await waitFor(() => expect(screen.getByTestId('detail-star').getAttribute('aria-pressed')).toBe('false'));
    expect(backend.entries.find((e) => e.title === 'Outlook')!.favourite).toBe(false);
  });

  it('the sort menu and the density are saved as settings', async () => {
    const { user, backend } = await renderUnlocked();
    const update = vi.spyOn(backend, 'updateSettings');
    await user.selectOptions(screen.getByTestId('list-sort'), 'changed');
    await waitFor(() => expect(update).toHaveBeenCalledWith(expect.objectContaining({ listSort: 'changed' })));
    await user.click(screen.getByTestId('list-density'));
    await waitFor(() => expect(screen.getByTestId('list-density').getAttribute('aria-pressed')).toBe('true'));
    expect(update).toHaveBeenLastCalledWith(expect.objectContaining({ listDensity: 'compact' }));
    expect(screen.getAllByTestId('entry-row')[0].classList.contains('compact')).toBe(true);
  });

  it('the trash shows when each entry was deleted; delete for ever and empty trash ask first', async () => {
    const { user, backend } = await renderUnlocked();
    for (const title of ['Outlook', '钉钉', 'HubSpot']) {
      await user.click(screen.getAllByTestId('entry-row').find((r) => r.querySelector('.title')?.textContent === title)!);
      await user.click(await screen.findByTestId('delete-entry'));
      await waitFor(() => expect(rowTitles()).not.toContain(title));
    }
    await user.click(screen.getByTestId('trash-open'));
    expect(screen.getByTestId('trash-open').getAttribute('aria-current')).toBe('true');
    await waitFor(() => expect(screen.getAllByTestId('trash-row').length).toBe(3));
    for (const when of screen.getAllByTestId('trash-deleted')) expect(when.textContent).toMatch(/^Deleted /);
    const outlook = screen.getAllByTestId('trash-row').find((r) => r.textContent?.includes('Outlook'))!;
    await user.click(within(outlook).getByTestId('trash-purge'));
    expect(screen.getByTestId('trash-confirm-text').textContent).toContain('"Outlook" will be deleted for ever');
    // Cancel keeps it.
    await user.click(screen.getByTestId('trash-confirm-cancel'));
    expect(screen.getAllByTestId('trash-row').length).toBe(3);
    await user.click(within(outlook).getByTestId('trash-purge'));
    await user.click(screen.getByTestId('trash-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('trash-row').length).toBe(2));
    expect(backend.entries.some((e) => e.title === 'Outlook')).toBe(false);
    await user.click(screen.getByTestId('trash-empty'));
    expect(screen.getByTestId('trash-confirm-text').textContent).toContain('All 2 entries in the trash');
    await user.click(screen.getByTestId('trash-confirm'));
    await screen.findByTestId('trash-none');
    expect(backend.entries.some((e) => e.deleted)).toBe(false);
  });
});
