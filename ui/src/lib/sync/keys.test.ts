import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderApp, renderUnlocked, rowTitles } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';
import { aheadText, passwordChangeText, reasonText } from './held';
import { formatWhen } from './news';

const OLD = 'correct horse battery staple';
const NEW = 'a new master password from LAPTOP-A';
const DAY = 86_400_000;

describe('the words', () => {
  it('say why a copy was held back, in English and in Chinese', () => {
    const copy = { device: null, aheadMs: null };
    expect(reasonText({ ...copy, reason: 'foreign-key-slot' })).toBe("carries another master password for this vault's key: not made by CRM Vault");
    expect(reasonText({ reason: 'clock-ahead', device: 'LAPTOP-Z', aheadMs: 10 * 365 * DAY + 3 * DAY })).toBe(
      "dated 10 years ahead of this computer's clock by LAPTOP-Z",
    );
    expect(reasonText({ ...copy, reason: 'retired-key' })).toBe('made under an earlier master password');
    expect(reasonText({ ...copy, reason: 'other-key' })).toBe('locked with another master password');
    expect(reasonText({ reason: 'password-changed-there', device: 'LAPTOP-B', aheadMs: null })).toBe(
      'made after the master password was changed on LAPTOP-B',
    );
    expect(reasonText({ ...copy, reason: 'something-new' })).toBe('not to be trusted (something-new)');
    expect(aheadText(26 * 3_600_000)).toBe('26 hours');
    expect(aheadText(3 * DAY + 5)).toBe('3 days');
    expect(aheadText(366 * DAY)).toBe('1 year');
    setLanguage('zh-CN');
    expect(reasonText({ reason: 'clock-ahead', device: 'LAPTOP-Z', aheadMs: 10 * 365 * DAY })).toBe('LAPTOP-Z 写入的时间比这台电脑的时钟快 10 年');
    expect(reasonText({ ...copy, reason: 'retired-key' })).toBe('用以前的主密码创建');
  });

  it('name the laptop and the time of a master password change', () => {
    const at = new Date(2026, 10, 21, 10, 32).getTime();
    expect(passwordChangeText({ by: 'LAPTOP-A', at }, at + 60_000)).toBe(
      `The master password was changed on LAPTOP-A at ${formatWhen(at, at)}. Enter the new master password.`,
    );
    expect(formatWhen(at, at)).toMatch(/10:32/);
    expect(passwordChangeText(null)).toBe('The master password was changed on another laptop. Enter the new master password.');
  });
});

describe('the master password changed on another laptop', () => {
  it('asks for the new one, says so when it is wrong, and confirms nothing was lost', async () => {
    const { user, backend } = await renderUnlocked();
    const at = Date.now() - 60_000;
    backend.simulatePasswordChange({ by: 'LAPTOP-A', at, password: NEW });

    const prompt = await screen.findByTestId('password-changed');
    expect(within(prompt).getByTestId('password-changed-text').textContent).toBe(
      `The master password was changed on LAPTOP-A at ${formatWhen(at)}. Enter the new master password.`,
    );
    // The prompt replaces the general sync warning; the entries stay.
    expect(screen.queryByTestId('sync-warning')).toBeNull();
    expect(rowTitles()).toHaveLength(12);
    // It has the focus: typing goes straight in.
    expect(document.activeElement).toBe(screen.getByTestId('password-changed-input'));

    await user.type(screen.getByTestId('password-changed-input'), `${OLD}{Enter}`);
    expect((await screen.findByTestId('password-changed-error')).textContent).toBe('That is not the new master password. Check it and try again.');
    expect(screen.getByTestId('password-changed')).toBeTruthy();

    await user.clear(screen.getByTestId('password-changed-input'));
    await user.type(screen.getByTestId('password-changed-input'), NEW);
    await user.click(screen.getByTestId('password-changed-submit'));
    await waitFor(() => expect(screen.queryByTestId('password-changed')).toBeNull());
    expect(screen.getByTestId('password-adopted').textContent).toContain(
      'The new master password works. Everything you did on this laptop is in the vault file: nothing was lost.',
    );
    expect(backend.masterPassword).toBe(NEW);
    expect(screen.getByTestId('sync-status').dataset.state).toBe('ok');
    // Saving works again.
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('edit-entry'));
    await user.type(await screen.findByTestId('editor-notes'), 'after the change');
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(screen.queryByTestId('editor-save')).toBeNull());
  });

  it('a refused save keeps what was typed, leads to the same prompt, and is saved once the password is in', async () => {
    const { user, backend } = await renderUnlocked();
    // Saved on another laptop a moment ago: the sync tick has not told us yet.
    backend.simulatePasswordChange({ by: 'LAPTOP-A', at: Date.now(), password: NEW }, false);
    await user.click(screen.getByTestId('new-entry'));
    await user.type(await screen.findByTestId('editor-title'), 'Trade fair Wi-Fi');
    await user.type(screen.getByTestId('editor-username'), 'booth-12');
    await user.type(screen.getByTestId('editor-notes'), 'Hall 4');
    await user.click(screen.getByTestId('editor-save'));

    // Not a toast that goes away: the prompt, and the editor with everything typed.
    const prompt = await screen.findByTestId('password-changed');
    expect(within(prompt).getByTestId('password-changed-text').textContent).toBe(
      'The master password was changed on another laptop. Enter the new master password.',
    );
    expect((await screen.findByTestId('editor-kept')).textContent).toContain('Kept on this laptop');
    expect((screen.getByTestId('editor-title') as HTMLInputElement).value).toBe('Trade fair Wi-Fi');
    expect((screen.getByTestId('editor-notes') as HTMLTextAreaElement).value).toBe('Hall 4');
    expect(document.activeElement).toBe(screen.getByTestId('password-changed-input'));
    // The entry is already in this laptop's list.
    await waitFor(() => expect(rowTitles()).toContain('Trade fair Wi-Fi'));

    // The sync tick catches up: now the prompt names the laptop.
    backend.simulatePasswordChange({ by: 'LAPTOP-A', at: Date.now(), password: NEW });
    await waitFor(() => expect(screen.getByTestId('password-changed-text').textContent).toContain('on LAPTOP-A at'));

    // More typing while waiting is kept too, and a second Save does not add the entry twice.
    await user.type(screen.getByTestId('editor-notes'), ', booth 12');
    await user.click(screen.getByTestId('editor-save'));
    await screen.findByTestId('editor-kept');

    await user.type(screen.getByTestId('password-changed-input'), `${NEW}{Enter}`);
    await waitFor(() => expect(screen.queryByTestId('password-changed')).toBeNull());
    await waitFor(() => expect(screen.queryByTestId('editor-save')).toBeNull());
    expect(screen.getByTestId('detail-title').textContent).toBe('Trade fair Wi-Fi');
    const saved = backend.entries.filter((e) => e.title === 'Trade fair Wi-Fi');
    expect(saved).toHaveLength(1);
    expect(saved[0].notes).toBe('Hall 4, booth 12');
    expect(screen.getByTestId('password-adopted')).toBeTruthy();
  });

  it('a refused delete leads to the prompt too, and the words are Chinese in Chinese', async () => {
    const { user, backend } = await renderUnlocked({ settings: { language: 'zh-CN' } });
    backend.simulatePasswordChange({ by: 'LAPTOP-A', at: Date.now(), password: NEW }, false);
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('delete-entry'));
    const prompt = await screen.findByTestId('password-changed');
    expect(within(prompt).getByTestId('password-changed-text').textContent).toBe('主密码已在另一台电脑上更改。请输入新的主密码。');
    expect(screen.getByTestId('toast').textContent).toContain('尚未写入保险库文件');
    await user.type(screen.getByTestId('password-changed-input'), 'wrong{Enter}');
    expect((await screen.findByTestId('password-changed-error')).textContent).toBe('这不是新的主密码。请检查后重试。');
  });
});

describe('files held back beside the vault', () => {
  const HELD = [
    { name: "vault (Bob's conflicted copy 2026-11-21).crmv", reason: 'foreign-key-slot' },
    { name: 'vault (conflicted copy 2036-11-21).crmv', reason: 'clock-ahead', device: 'LAPTOP-Z', aheadMs: 10 * 365 * DAY + DAY },
    { name: 'vault-before.crmv', reason: 'retired-key', password: 'the old one', brings: { add: [{ title: 'Old portal' }] } },
    { name: 'vault.crmv.set-aside-1', reason: 'foreign-key-slot', setAside: true },
    { name: 'holiday photos.crmv', reason: 'different-vault', mergeable: false },
  ];

  it('are each shown with why, from the banner and from the status line', async () => {
    const { user, backend } = await renderUnlocked();
    backend.simulateSync({ held: HELD });
    const banner = await screen.findByTestId('held-banner');
    // Only those that could be merged call for attention.
    expect(banner.textContent).toContain('4 files beside the vault were held back and not merged.');
    expect(screen.getByTestId('sync-status').textContent).toContain('5 files beside the vault not merged');

    await user.click(within(banner).getByTestId('held-show'));
    const items = await screen.findAllByTestId('held-copy');
    const text = (name: string) => items.find((i) => i.textContent?.includes(name))!;
    expect(items).toHaveLength(5);
    expect(text("Bob's conflicted copy").textContent).toContain(
      "Held back: carries another master password for this vault's key: not made by CRM Vault.",
    );
    expect(text('2036-11-21').textContent).toContain("Held back: dated 10 years ahead of this computer's clock by LAPTOP-Z.");
    expect(text('vault-before').textContent).toContain('Held back: made under an earlier master password.');
    expect(text('set-aside-1').textContent).toContain("It was found in the vault file's place and moved into the backups folder.");
    expect(text('holiday photos').textContent).toContain('another vault, not a copy of this one');
    expect(within(text('holiday photos')).queryByTestId('held-copy-review')).toBeNull();
    expect(within(text('vault-before')).getByTestId('held-copy-review').textContent).toBe('Review and merge…');

    // Closed, the banner stays closed; the status line opens the list again.
    await user.keyboard('{Escape}');
    await user.click(within(screen.getByTestId('held-banner')).getByLabelText('Dismiss'));
    expect(screen.queryByTestId('held-banner')).toBeNull();
    await user.click(screen.getByTestId('sync-held-open'));
    expect(await screen.findAllByTestId('held-copy')).toHaveLength(5);
  });

  it('a copy with its own master password: asked for, previewed, merged only on confirmation', async () => {
    const { user, backend } = await renderUnlocked();
    backend.simulateSync({
      held: [
        {
          name: "vault (Bob's conflicted copy 2026-11-21).crmv",
          reason: 'other-key',
          password: 'bobs password',
          brings: { add: [{ title: 'Partner portal EU' }, { title: 'Trade fair Wi-Fi' }], update: [{ id: 'e00002', set: { username: 'bob' } }], delete: ['e00003'], settings: ['auto_lock_minutes'] },
        },
      ],
    });
    await user.click(await screen.findByTestId('held-show'));
    await user.click(await screen.findByTestId('held-copy-review'));

    const review = await screen.findByTestId('copy-review');
    expect(within(review).getByTestId('copy-review-warning').textContent).toContain('Held back: locked with another master password. Merge it only if you know where it comes from.');
    expect(within(review).getByTestId('copy-review-warning').textContent).toContain('never its master password');
    const pw = await within(review).findByTestId('copy-password');
    expect(document.activeElement).toBe(pw);
    expect(within(review).queryByTestId('copy-merge')).toBeNull();

    await user.type(pw, 'guess{Enter}');
    expect((await within(review).findByTestId('copy-review-error')).textContent).toBe("That is not this copy's master password.");
    await user.clear(within(review).getByTestId('copy-password'));
    await user.type(within(review).getByTestId('copy-password'), 'bobs password');
    await user.click(within(review).getByTestId('copy-password-submit'));

    await within(review).findByTestId('copy-preview');
    const list = (kind: string) => [...within(review).getByTestId(`copy-preview-${kind}`).querySelectorAll('li')].map((li) => li.textContent);
    expect(list('added')).toEqual(['Partner portal EU', 'Trade fair Wi-Fi']);
    expect(list('updated')).toEqual(['Outlook']);
    expect(list('deleted')).toEqual(['SAP ERP']);
    expect(list('settings')).toEqual(['Lock after inactivity']);
    expect(review.textContent).toContain('Would be moved to the trash (1)');
    // Nothing happened yet.
    expect(rowTitles()).not.toContain('Partner portal EU');
    expect(backend.entries.find((e) => e.id === 'e00003')?.deleted).toBe(false);

    await user.click(within(review).getByTestId('copy-merge'));
    await waitFor(() => expect(screen.queryByTestId('copy-review')).toBeNull());
    await waitFor(() => expect(rowTitles()).toContain('Partner portal EU'));
    expect(rowTitles()).not.toContain('SAP ERP');
    expect(screen.getByTestId('toast').textContent).toContain("vault (Bob's conflicted copy 2026-11-21).crmv was merged into your vault.");
    expect(screen.queryByTestId('held-banner')).toBeNull();
    expect(screen.getByTestId('sync-status').textContent).toContain('1 conflicted copy merged');
    expect(screen.getByTestId('sync-status').textContent).not.toContain('not merged');
    // Its password never became the vault's.
    expect(backend.masterPassword).toBe(OLD);
  });

  it('Back leaves the copy where it is; a copy of this vault\'s key shows its preview at once', async () => {
    const { user, backend } = await renderUnlocked({ settings: { language: 'zh-CN' } });
    backend.simulateSync({ held: [{ name: 'v (conflicted copy 2036).crmv', reason: 'clock-ahead', device: 'LAPTOP-Z', aheadMs: 30 * DAY }] });
    await user.click(await screen.findByTestId('held-show'));
    await user.click(await screen.findByTestId('held-copy-review'));
    expect((await screen.findByTestId('copy-preview-nothing')).textContent).toBe('合并不会更改您保险库中的任何内容。');
    expect(screen.getByTestId('copy-review-warning').textContent).toContain('LAPTOP-Z 写入的时间比这台电脑的时钟快 30 天');
    await user.click(screen.getByTestId('copy-review-back'));
    expect(await screen.findAllByTestId('held-copy')).toHaveLength(1);
    expect(backend.entries).toHaveLength(12);
  });
});

describe('unlocking after the master password changed elsewhere', () => {
  it('quick unlock says why it no longer works; the new password unlocks', async () => {
    const { user, backend } = await renderApp({ quickUnlockEnabled: true });
    backend.simulatePasswordChange({ by: 'LAPTOP-A', at: Date.now(), password: NEW });
    await user.type(await screen.findByTestId('quick-unlock-pin'), '2468');
    await user.click(screen.getByTestId('quick-unlock'));
    expect((await screen.findByTestId('quick-unlock-error')).textContent).toBe(
      'The master password was changed on another laptop, so quick unlock no longer works. Unlock with the new master password.',
    );
    await user.type(screen.getByTestId('unlock-password'), `${NEW}{Enter}`);
    await screen.findByTestId('search');
  });
});
