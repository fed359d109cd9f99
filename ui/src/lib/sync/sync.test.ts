import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';
import type { ErrorCode, SyncNews, SyncStatus } from '../ipc/types';
import { formatWhen, newsText, statusView } from './news';

const NONE: SyncNews = { added: 0, updated: 0, deleted: 0, restored: 0, from: [], settingsChanged: false, passwordChangedBy: null, copiesMerged: 0 };
const news = (n: Partial<SyncNews>): SyncNews => ({ ...NONE, ...n });
const OK: SyncStatus = { lastMerge: null, lastCheck: 1, lastNews: null, copiesMerged: 0, copiesLeftAlone: [], heldCopies: [], error: null, passwordChange: null };

describe('the words for what came in', () => {
  it('says how many entries changed and on which laptop, in English', () => {
    expect(newsText(news({ updated: 2, from: ['LAPTOP-2'] }))).toBe('2 entries updated from LAPTOP-2.');
    expect(newsText(news({ added: 1, from: ['LAPTOP-2'] }))).toBe('1 entry added from LAPTOP-2.');
    expect(newsText(news({ added: 1, updated: 3, deleted: 1, from: ['LAPTOP-2', 'LAPTOP-3'] }))).toBe(
      '1 entry added, 3 entries updated, and 1 entry moved to the trash from LAPTOP-2 and LAPTOP-3.',
    );
    expect(newsText(news({ restored: 2, from: [] }))).toBe('2 entries back from the trash from another laptop.');
    expect(newsText(news({ settingsChanged: true, from: ['LAPTOP-2'] }))).toBe('Vault settings changed from LAPTOP-2.');
    expect(newsText(news({ copiesMerged: 1 }))).toBe('1 conflicted copy merged.');
    expect(newsText(news({ added: 1, from: ['LAPTOP-3'], copiesMerged: 2 }))).toBe('1 entry added from LAPTOP-3. 2 conflicted copies merged.');
    expect(newsText(news({ passwordChangedBy: 'LAPTOP-2' }))).toBe(
      'The master password was changed on LAPTOP-2: use the new one next time you unlock.',
    );
    expect(newsText(NONE)).toBeNull();
  });

  it('and in Chinese', () => {
    setLanguage('zh-CN');
    expect(newsText(news({ updated: 2, from: ['LAPTOP-2'] }))).toBe('来自 LAPTOP-2 的更改：更新了 2 个条目。');
    expect(newsText(news({ added: 1, updated: 1, from: ['LAPTOP-2'] }))).toBe('来自 LAPTOP-2 的更改：新增 1 个条目和更新了 1 个条目。');
    expect(newsText(news({ deleted: 1, from: [] }))).toBe('来自 另一台电脑 的更改：1 个条目移入回收站。');
    expect(newsText(news({ copiesMerged: 1 }))).toBe('已合并 1 个冲突副本。');
    expect(newsText(news({ passwordChangedBy: 'LAPTOP-2' }))).toBe('主密码已在 LAPTOP-2 上更改：下次解锁时请使用新密码。');
  });
});

describe('the status line', () => {
  const at = new Date(2026, 10, 21, 10, 32).getTime();

  it('is up to date, names the last change, counts conflicted copies and lists those left alone', () => {
    expect(statusView({ ...OK, lastCheck: null }).state).toBe('waiting');
    expect(statusView(OK)).toMatchObject({ state: 'ok', line: 'Up to date', warning: null, leftAlone: null });
    const merged = { ...OK, lastMerge: at, lastNews: news({ added: 1, from: ['LAPTOP-2'] }) };
    expect(statusView(merged, at + 60_000).line).toBe(`Up to date · last change from LAPTOP-2 ${formatWhen(at, at)}`);
    expect(formatWhen(at, at)).toMatch(/10:32/);
    // Another day: the date too.
    expect(formatWhen(at, at + 2 * 86_400_000)).toMatch(/2026/);
    const copies = { ...merged, copiesMerged: 2, copiesLeftAlone: ['v (conflicted copy 2026-11-21 101010).crmvault', 'v-old.crmvault'] };
    const view = statusView(copies, at);
    expect(view.line).toContain('2 conflicted copies merged');
    expect(view.line).toContain('2 files beside the vault not merged');
    expect(view.leftAlone).toContain('v-old.crmvault');
    expect(view.leftAlone).toContain('v (conflicted copy 2026-11-21 101010).crmvault');
  });

  it('warns in the words of each error, with a general warning for codes it does not know', () => {
    const missing = statusView({ ...OK, error: 'file-missing' });
    expect(missing.state).toBe('error');
    expect(missing.warning).toBe('The vault file is missing (moved, renamed or deleted). Your vault stays open and safe here; saving will write the file again.');
    expect(statusView({ ...OK, error: 'unreadable-on-disk' }).warning).toMatch(/can't be read/);
    expect(statusView({ ...OK, error: 'other-vault-on-disk' }).warning).toMatch(/Another vault/);
    expect(statusView({ ...OK, error: 'busy' }).warning).toMatch(/Another program is saving/);
    expect(statusView({ ...OK, error: 'io' }).warning).toMatch(/reads it again when it changes/);
    expect(statusView({ ...OK, error: 'strange-new-code' as ErrorCode }).warning).toMatch(/\(strange-new-code\).*stays open/);
    setLanguage('zh-CN');
    expect(statusView({ ...OK, error: 'file-missing' }).warning).toMatch(/^找不到保险库文件/);
    expect(statusView(OK).line).toBe('已是最新');
  });
});

describe('when another laptop\'s changes come in', () => {
  it('reloads the list, keeping the search and the selection, and tells the news in a toast', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
    await user.keyboard('{Enter}');
    await screen.findByTestId('detail-title');

    backend.simulateSync({ from: 'LAPTOP-2', add: [{ title: 'Outlook (shared mailbox)', username: 'sales@example.com' }, { title: 'Not a match' }] });

    await waitFor(() => expect(rowTitles()).toEqual(['Outlook', 'Outlook (shared mailbox)']));
    expect((screen.getByTestId('search') as HTMLInputElement).value).toBe('outlook');
    expect(screen.getAllByTestId('entry-row')[0].getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('detail-title').textContent).toBe('Outlook');
    expect(screen.getByTestId('toast').textContent).toContain('2 entries added from LAPTOP-2.');
    expect(screen.getByText('2 of 14 entries')).toBeTruthy();
    expect(screen.getByTestId('sync-status').textContent).toMatch(/Up to date · last change from LAPTOP-2 \d/);
  });

  it('reloads the open entry: new values show, revealed secrets hide again, where it changed is told', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await user.keyboard('{Enter}');
    await screen.findByTestId('detail-title');
    await user.click(screen.getByTestId('reveal-password'));
    await waitFor(() => expect(screen.getByTestId('password-value').textContent).toContain('pw-00002-Xq7!'));

    backend.simulateSync({ from: 'LAPTOP-2', update: [{ id: 'e00002', set: { username: 'li.wei@example.com', password: 'New-From-Laptop-2' } }] });

    await waitFor(() => expect(screen.getByTestId('detail-username').textContent).toBe('li.wei@example.com'));
    expect(screen.getByTestId('password-value').textContent).not.toContain('pw-00002');
    expect(screen.getByTestId('toast').textContent).toContain('1 entry updated from LAPTOP-2.');
    expect(screen.getByTestId('detail-last-change').textContent).toMatch(/^Edited .* on LAPTOP-2$/);
    await user.click(screen.getByTestId('changes-toggle'));
    expect(screen.getByTestId('detail-changes').querySelector('[data-field="notes"]')?.textContent).toContain('on This laptop');
  });

  it('an entry deleted on the other laptop leaves the list and its open details close', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await user.keyboard('{Enter}');
    await screen.findByTestId('detail-title');
    backend.simulateSync({ from: 'LAPTOP-2', delete: ['e00002'] });
    await waitFor(() => expect(screen.queryByTestId('detail-title')).toBeNull());
    expect(screen.getByTestId('no-results')).toBeTruthy();
    expect(screen.getByTestId('toast').textContent).toContain('1 entry moved to the trash from LAPTOP-2.');
  });

  it('keeps a draft in the editor and says the entry changed elsewhere; the user may start again from the new version', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await user.keyboard('{Enter}');
    await screen.findByTestId('detail-title');
    await user.click(screen.getByTestId('edit-entry'));
    const notes = (await screen.findByTestId('editor-notes')) as HTMLTextAreaElement;
    await user.type(notes, 'My draft');

    backend.simulateSync({ from: 'LAPTOP-2', update: [{ id: 'e00002', set: { username: 'from-laptop-2' } }] });

    const note = await screen.findByTestId('editor-changed-elsewhere');
    expect(note.textContent).toContain('This entry was just changed on LAPTOP-2.');
    expect((screen.getByTestId('editor-notes') as HTMLTextAreaElement).value).toBe('My draft');
    expect((screen.getByTestId('editor-username') as HTMLInputElement).value).toBe('sales00002@example.com');

    await user.click(screen.getByTestId('editor-restart'));
    await waitFor(() => expect((screen.getByTestId('editor-username') as HTMLInputElement).value).toBe('from-laptop-2'));
    expect((screen.getByTestId('editor-notes') as HTMLTextAreaElement).value).toBe('');
    expect(screen.queryByTestId('editor-changed-elsewhere')).toBeNull();
  });

  it('a change to another entry leaves the editor alone', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await user.keyboard('{Enter}');
    await user.click(await screen.findByTestId('edit-entry'));
    await screen.findByTestId('editor-title');
    backend.simulateSync({ from: 'LAPTOP-2', update: [{ id: 'e00003', set: { notes: 'SAP notes' } }] });
    await screen.findByTestId('toast');
    expect(screen.queryByTestId('editor-changed-elsewhere')).toBeNull();
  });

  it('a master password changed elsewhere is told, and in Chinese too', async () => {
    const { backend } = await renderUnlocked({ settings: { language: 'zh-CN' } });
    backend.simulateSync({ from: 'LAPTOP-2', passwordChangedBy: 'LAPTOP-2' });
    expect((await screen.findByTestId('toast')).textContent).toContain('主密码已在 LAPTOP-2 上更改：下次解锁时请使用新密码。');
    backend.simulateSync({ from: 'LAPTOP-3', update: [{ id: 'e00001', set: { title: 'HubSpot EU' } }], copiesMerged: 1 });
    await waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('来自 LAPTOP-3 的更改：更新了 1 个条目。已合并 1 个冲突副本。'));
    await waitFor(() => expect(rowTitles()).toContain('HubSpot EU'));
    expect(screen.getByTestId('sync-status').textContent).toContain('已合并 1 个冲突副本');
  });
});

describe('the status in the window', () => {
  it('is up to date after unlocking, warns while the file is missing with the entries still there, and clears', async () => {
    const { backend } = await renderUnlocked();
    const status = screen.getByTestId('sync-status');
    await waitFor(() => expect(status.textContent?.trim()).toBe('Up to date'));
    expect(status.dataset.state).toBe('ok');
    expect(screen.queryByTestId('sync-warning')).toBeNull();

    backend.simulateSync({ error: 'file-missing' });
    const warning = await screen.findByTestId('sync-warning');
    expect(warning.textContent).toContain('The vault file is missing');
    expect(warning.textContent).toContain('Your vault stays open and safe here; saving will write the file again.');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('sync-status').dataset.state).toBe('error');
    expect(screen.getByTestId('sync-status').textContent).toContain('Not in step with the vault file');
    expect(rowTitles()).toHaveLength(12);
    // The same error again is no news; no toast for a status change alone.
    expect(backend.simulateSync({ error: 'file-missing' })).toBeNull();
    expect(screen.queryByTestId('toast')).toBeNull();

    backend.simulateSync({ error: null });
    await waitFor(() => expect(screen.queryByTestId('sync-warning')).toBeNull());
    expect(screen.getByTestId('sync-status').dataset.state).toBe('ok');
  });

  it('counts merged conflicted copies and lists those left alone in its tooltip', async () => {
    const { backend } = await renderUnlocked();
    backend.simulateSync({ from: 'LAPTOP-3', add: [{ title: 'Partner portal EU' }], copiesMerged: 2, copiesLeftAlone: ['vault-old.crmv'] });
    const status = screen.getByTestId('sync-status');
    await waitFor(() => expect(status.textContent).toContain('2 conflicted copies merged'));
    expect(status.textContent).toContain('1 file beside the vault not merged');
    expect(status.getAttribute('title')).toContain('vault-old.crmv');
    expect(within(status).getByTestId('sync-left-alone').textContent).toContain('vault-old.crmv');
  });

  it('starts again after locking', async () => {
    const { user, backend } = await renderUnlocked();
    backend.simulateSync({ error: 'busy' });
    await screen.findByTestId('sync-warning');
    backend.emitLocked('idle');
    await user.type(await screen.findByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await waitFor(() => expect(screen.getByTestId('sync-status').textContent?.trim()).toBe('Up to date'));
    expect(screen.queryByTestId('sync-warning')).toBeNull();
  });
});

describe('entry detail', () => {
  it('says where and when each field last changed', async () => {
    const t0 = Date.UTC(2026, 10, 21, 9, 0);
    const { user } = await renderUnlocked({
      entries: [
        {
          id: 'crm',
          title: 'Salesforce',
          username: 'li.wei',
          password: 'pw',
          fields: [{ name: 'PIN', value: '4711', hidden: true }],
          // Fields without a recorded write (URLs, notes) date from then.
          modified: t0,
          changes: {
            title: { changed: t0, device: 'LAPTOP-1' },
            username: { changed: t0 + 60_000, device: 'LAPTOP-2' },
            password: { changed: t0, device: 'LAPTOP-1' },
            'field:PIN': { changed: t0 + 120_000, device: 'LAPTOP-3' },
          },
        },
        {
          id: 'new',
          title: 'Mail',
          username: 'li.wei',
          modified: t0,
          changes: Object.fromEntries(['notes', 'title', 'urls', 'username', 'password'].map((f) => [f, { changed: t0, device: 'LAPTOP-1' }])),
        },
      ],
    });
    // A new entry: one write set every field; the line says when and on which laptop.
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('Mail'));
    expect(screen.getByTestId('detail-last-change').textContent).toMatch(/^\s*Edited .* on LAPTOP-1\s*$/);

    await user.click(screen.getAllByTestId('entry-row')[1]);
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('Salesforce'));
    expect(screen.getByTestId('detail-last-change').textContent).toMatch(/^Edited .* on LAPTOP-3$/);
    expect(screen.getByText('User name').getAttribute('title')).toMatch(/^changed .* on LAPTOP-2$/);
    expect(screen.queryByTestId('detail-changes')).toBeNull();
    await user.click(screen.getByTestId('changes-toggle'));
    const list = screen.getByTestId('detail-changes');
    const items = [...list.querySelectorAll('li')].map((li) => li.dataset.field);
    expect(items[0]).toBe('field:PIN');
    expect(items).toContain('username');
    expect(list.querySelector('[data-field="username"]')?.textContent).toMatch(/User name.*changed .* on LAPTOP-2/);

    setLanguage('zh-CN');
    await waitFor(() => expect(screen.getByTestId('detail-last-change').textContent).toMatch(/^.+ 在“LAPTOP-3”上编辑$/));
  });
});
