import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';

async function openOutlook(options = {}) {
  const r = await renderUnlocked(options);
  await r.user.type(screen.getByTestId('search'), 'outlook');
  await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
  await r.user.click(screen.getAllByTestId('entry-row')[0]);
  await screen.findByTestId('detail-title');
  return r;
}

describe('entry detail', () => {
  it('shows the entry with the password masked until revealed', async () => {
    const { user, backend } = await openOutlook();
    const reveal = vi.spyOn(backend, 'reveal');
    expect(screen.getByTestId('detail-username').textContent).toBe('sales00002@example.com');
    expect(screen.getByTestId('password-value').textContent).not.toContain('pw-00002');
    await user.click(screen.getByTestId('reveal-password'));
    await waitFor(() => expect(screen.getByTestId('password-value').textContent?.trim()).toBe('pw-00002-Xq7!'));
    expect(reveal).toHaveBeenCalledWith('e00002', 'password');
    await user.click(screen.getByTestId('reveal-password'));
    expect(screen.getByTestId('password-value').textContent).not.toContain('pw-00002');
  });

  it('copy buttons and open URL call Rust', async () => {
    const { user, backend } = await openOutlook();
    const copy = vi.spyOn(backend, 'copy');
    const open = vi.spyOn(backend, 'openUrl');
    await user.click(screen.getByTestId('copy-username'));
    expect(copy).toHaveBeenLastCalledWith('e00002', 'username');
    await user.click(screen.getByTestId('copy-password'));
    expect(copy).toHaveBeenLastCalledWith('e00002', 'password');
    await user.click(screen.getByTestId('open-url'));
    expect(open).toHaveBeenCalledWith('e00002');
  });

  it('masks hidden custom fields and reveals them one by one', async () => {
    const { user } = await renderUnlocked({
      entries: [
        {
          id: 'a',
          title: 'ERP',
          fields: [
            { name: 'Customer number', value: 'C-1001', hidden: false },
            { name: 'PIN', value: '4711', hidden: true },
          ],
        },
      ],
    });
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await screen.findByTestId('detail-title');
    expect(document.body.textContent).toContain('C-1001');
    expect(document.body.textContent).not.toContain('4711');
    await user.click(screen.getByRole('button', { name: 'Show PIN' }));
    await waitFor(() => expect(document.body.textContent).toContain('4711'));
  });

  it('delete moves the entry to the trash, and Undo brings it back', async () => {
    const { user, backend } = await openOutlook();
    await user.click(screen.getByTestId('delete-entry'));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('"Outlook" moved to the trash.');
    await waitFor(() => expect(rowTitles()).toEqual([]));
    const restore = vi.spyOn(backend, 'restoreEntry');
    await user.click(screen.getByTestId('undo'));
    expect(restore).toHaveBeenCalledWith('e00002');
    await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
  });

  it('the trash lists deleted entries and restores them', async () => {
    const { user, backend } = await renderUnlocked({
      entries: [
        { id: 'a', title: 'Live' },
        { id: 'b', title: 'Old portal', deleted: true },
      ],
    });
    await user.click(screen.getByTestId('trash-open'));
    const row = await screen.findByTestId('trash-row');
    expect(row.textContent).toContain('Old portal');
    await user.click(within(row).getByRole('button', { name: 'Restore Old portal' }));
    await waitFor(() => expect(rowTitles()).toEqual(['Live', 'Old portal']));
    expect(backend.entries.find((e) => e.id === 'b')?.deleted).toBe(false);
  });

  it('history shows earlier values with device and time, reveals and restores them', async () => {
    const { user, backend } = await renderUnlocked({
      entries: [
        {
          id: 'a',
          title: 'CRM',
          password: 'new-secret',
          history: [{ field: 'password', value: 'old-secret', changed: Date.UTC(2025, 0, 2, 9, 30), device: 'Office laptop' }],
        },
      ],
    });
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await screen.findByTestId('detail-title');
    await user.click(screen.getByRole('button', { name: 'History' }));
    expect(screen.getByText('Earlier values (1)')).toBeTruthy();
    expect(document.body.textContent).toContain('Office laptop');
    expect(document.body.textContent).not.toContain('old-secret');
    await user.click(screen.getByRole('button', { name: 'Show the earlier Password' }));
    await waitFor(() => expect(document.body.textContent).toContain('old-secret'));
    const restore = vi.spyOn(backend, 'restoreHistory');
    await user.click(screen.getByRole('button', { name: 'Restore this earlier Password' }));
    expect(restore).toHaveBeenCalledWith('a', 0);
    await waitFor(() => expect(backend.entries[0].password).toBe('old-secret'));
    // The restored detail comes back with everything masked again.
    expect(screen.getByTestId('password-value').textContent).not.toContain('secret');
  });

  it('after the fields, one line says when and where it was edited; History opens the rest', async () => {
    const changed = Date.UTC(2025, 0, 2, 9, 30);
    const { user } = await renderUnlocked({
      entries: [
        {
          id: 'a',
          title: 'CRM',
          username: 'li',
          password: 'new-secret',
          notes: 'Customer portal',
          history: [{ field: 'password', value: 'old-secret', changed: changed - 86_400_000, device: 'Office laptop' }],
        },
      ],
    });
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await screen.findByTestId('detail-title');
    const line = screen.getByTestId('detail-last-change');
    expect(line.textContent).toMatch(/^Edited .+ on \S+/);
    // One line, no crowd of dates: the per-field changes and earlier values wait behind History.
    expect(screen.queryByTestId('detail-changes')).toBeNull();
    expect(screen.queryByText('Where each field last changed')).toBeNull();
    expect(document.body.textContent).not.toContain('Office laptop');
    // The fields come before it.
    const fields = screen.getByTestId('detail-username');
    expect(fields.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const toggle = screen.getByTestId('changes-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const history = screen.getByTestId('entry-history');
    expect(within(history).getByText('Where each field last changed')).toBeTruthy();
    expect(within(history).getByTestId('detail-changes').querySelector('[data-field="password"]')).toBeTruthy();
    expect(history.textContent).toContain('Office laptop');
    await user.click(toggle);
    expect(screen.queryByTestId('entry-history')).toBeNull();
  });

  it("today's edit shows the time alone, in the interface's language", async () => {
    const { editedTime } = await import('./detail-words');
    const now = new Date(2026, 10, 30, 16, 52).getTime();
    expect(editedTime(now - 60_000, now)).toMatch(/^4:51\sPM$/);
    expect(editedTime(now - 3 * 86_400_000, now)).toContain('2026');
    const { setLanguage } = await import('../i18n/index.svelte');
    setLanguage('zh-CN');
    expect(editedTime(now - 60_000, now)).toBe('16:51');
    setLanguage('en');
  });

  it('an earlier password is copied through the clearing clipboard and logged as a copy', async () => {
    const { user, backend } = await renderUnlocked({
      entries: [
        {
          id: 'a',
          title: 'CRM',
          password: 'new-secret',
          history: [{ field: 'password', value: 'old-secret', changed: Date.UTC(2025, 0, 2, 9, 30), device: 'Office laptop' }],
        },
      ],
    });
    const copy = vi.spyOn(backend, 'copy');
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await screen.findByTestId('detail-title');
    await user.click(screen.getByTestId('changes-toggle'));
    await user.click(screen.getByRole('button', { name: 'Copy the earlier Password' }));
    expect(copy).toHaveBeenCalledWith('a', 'history:0');
    expect(backend.clipboard).toBe('old-secret');
    expect((await screen.findByTestId('toast')).textContent).toContain('Earlier password copied. The clipboard clears in');
    // Copying does not show it.
    expect(document.body.textContent).not.toContain('old-secret');
  });

  it('Open website with no browser says so, not that a file failed', async () => {
    const { user, backend } = await openOutlook();
    vi.spyOn(backend, 'openUrl').mockRejectedValue({ code: 'no-browser', message: 'no web browser could be started: xdg-open exited with 3' });
    await user.click(screen.getByTestId('open-url'));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('No web browser could be started');
    expect(toast.textContent).not.toContain('The file could not be read or written');
  });

  it('the no-browser words exist in both languages', async () => {
    const { errorText } = await import('../errors');
    const { setLanguage } = await import('../i18n/index.svelte');
    const err = { code: 'no-browser', message: 'x' };
    setLanguage('en');
    expect(errorText(err)).toBe('No web browser could be started: set a default web browser in your system settings, then try again.');
    setLanguage('zh-CN');
    expect(errorText(err)).toBe('无法启动网页浏览器：请先在系统设置中设置默认浏览器，然后重试。');
    setLanguage('en');
  });

  it('shows a notice when Rust clears the clipboard', async () => {
    const { backend } = await renderUnlocked();
    backend.emitClipboardCleared();
    expect((await screen.findByTestId('clipboard-cleared-notice')).textContent).toBe('Clipboard cleared.');
  });
});
