import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';

/** Sample entries sorted by name: 钉钉, HubSpot, HubSpot 00011, 金蝶云, Outlook, … */
async function withSearch(query: string) {
  const r = await renderUnlocked();
  await r.user.type(screen.getByTestId('search'), query);
  await waitFor(() => expect(rowTitles()[0]).toBe('Outlook'));
  return r;
}

describe('keyboard shortcuts', () => {
  it('Ctrl+B and Ctrl+C copy the selected entry\'s user name and password, in Rust', async () => {
    const { user, backend } = await withSearch('outlook');
    const copy = vi.spyOn(backend, 'copy');
    await user.keyboard('{Control>}b{/Control}');
    expect(copy).toHaveBeenLastCalledWith('e00002', 'username');
    await user.keyboard('{Control>}c{/Control}');
    expect(copy).toHaveBeenLastCalledWith('e00002', 'password');
    expect(backend.clipboard).toBe('pw-00002-Xq7!');
    expect((await screen.findByTestId('toast')).textContent).toContain('Password copied. The clipboard clears in 20 s.');
  });

  it('Ctrl+C keeps its usual meaning while text is selected', async () => {
    const { user, backend } = await withSearch('outlook');
    const copy = vi.spyOn(backend, 'copy');
    const search = screen.getByTestId('search') as HTMLInputElement;
    search.setSelectionRange(0, 3);
    await user.keyboard('{Control>}c{/Control}');
    expect(copy).not.toHaveBeenCalled();
  });

  it('Ctrl+U opens the URL', async () => {
    const { user, backend } = await withSearch('outlook');
    const open = vi.spyOn(backend, 'openUrl');
    await user.keyboard('{Control>}u{/Control}');
    expect(open).toHaveBeenCalledWith('e00002');
  });

  it('Up/Down move the selection and Enter opens the detail', async () => {
    const { user, backend } = await renderUnlocked();
    const detail = vi.spyOn(backend, 'entryDetail');
    const selected = () => screen.getAllByTestId('entry-row').find((r) => r.getAttribute('aria-selected') === 'true')?.dataset.id;
    // By name, Chinese by pinyin: 钉钉 (ding), HubSpot, HubSpot 00011, 金蝶云 (jin), Outlook, …
    expect(selected()).toBe('e00005');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selected()).toBe('e00011'); // HubSpot 00011, third
    await user.keyboard('{ArrowUp}');
    expect(selected()).toBe('e00001');
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('detail-title')).textContent).toBe('HubSpot');
    expect(detail).toHaveBeenCalledWith('e00001');
    // With the detail open, it follows the selection.
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('HubSpot 00011'));
  });

  it('Ctrl+N opens a new entry, Ctrl+E edits the selected one, Esc goes back', async () => {
    const { user } = await withSearch('outlook');
    await user.keyboard('{Control>}n{/Control}');
    expect((screen.getByTestId('editor-title') as HTMLInputElement).value).toBe('');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('editor-title')).toBeNull();
    await user.keyboard('{Control>}e{/Control}');
    await waitFor(() => expect((screen.getByTestId('editor-title') as HTMLInputElement).value).toBe('Outlook'));
    // Esc steps back one level at a time: editor, then detail, then the search text.
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('editor-title')).toBeNull();
    expect(screen.getByTestId('detail-title').textContent).toBe('Outlook');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('detail-title')).toBeNull();
    expect((screen.getByTestId('search') as HTMLInputElement).value).toBe('outlook');
    await user.keyboard('{Escape}');
    expect((screen.getByTestId('search') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(rowTitles().length).toBe(12));
  });

  it('Ctrl+F focuses the search box', async () => {
    const { user } = await withSearch('outlook');
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await screen.findByTestId('detail-title');
    (screen.getByTestId('copy-username') as HTMLButtonElement).focus();
    await user.keyboard('{Control>}f{/Control}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('search')));
  });

  it('Ctrl+L locks', async () => {
    const { user, backend } = await renderUnlocked();
    const lock = vi.spyOn(backend, 'lock');
    await user.keyboard('{Control>}l{/Control}');
    await screen.findByTestId('unlock-password');
    expect(lock).toHaveBeenCalled();
  });

  it('shortcuts are shown in the UI', async () => {
    const { user } = await renderUnlocked();
    expect(screen.getByTestId('lock').getAttribute('title')).toBe('Lock (Ctrl+L)');
    expect(screen.getByTestId('new-entry').getAttribute('title')).toBe('New entry (Ctrl+N)');
    await user.click(screen.getByTestId('help-open'));
    const dialog = screen.getByRole('dialog');
    for (const keys of ['Ctrl+F', 'Ctrl+B', 'Ctrl+C', 'Ctrl+U', 'Ctrl+N', 'Ctrl+E', 'Ctrl+L', 'Esc', 'Enter']) {
      expect(dialog.textContent).toContain(keys);
    }
  });
});
