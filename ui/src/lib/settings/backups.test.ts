import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { renderApp, renderUnlocked, rowTitles } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';
import type { BackupView } from '../ipc/types';

const PASSWORD = 'correct horse battery staple';
const SAVED = Date.UTC(2026, 10, 30, 10, 32);

function backups(): BackupView[] {
  return [
    { name: 'vault.20261130T103200000Z.crmvault', taken: SAVED + 60_000, saved: SAVED, device: 'LAPTOP-2', entries: 12, size: 4096, state: 'opens' },
    { name: 'vault.20261129T090000000Z.crmvault', taken: SAVED - 86_400_000, saved: null, device: null, entries: null, size: 4000, state: 'earlier-password' },
  ];
}

describe('backups', () => {
  it('the unlock screen of a damaged file offers the newest backup that opens, and restoring it unlocks', async () => {
    const { user, backend } = await renderApp({ damaged: true, backups: backups() });
    const restore = vi.spyOn(backend, 'restoreBackupAtUnlock');
    await user.type(screen.getByTestId('unlock-password'), `${PASSWORD}{Enter}`);
    expect((await screen.findByTestId('unlock-error')).textContent).toMatch(/damaged/);
    const offer = await screen.findByTestId('backup-offer-restore');
    expect(offer.textContent).toMatch(/^\s*Restore the version from .+, saved on LAPTOP-2\s*$/);
    await user.click(offer);
    await screen.findByTestId('search');
    // The password typed for the unlock, kept only for this.
    expect(restore).toHaveBeenCalledWith('vault.20261130T103200000Z.crmvault', PASSWORD);
  });

  it('a wrong password on a damaged file says the backups did not open either, in both languages', async () => {
    const { user } = await renderApp({ damaged: true, backups: backups() });
    await user.type(screen.getByTestId('unlock-password'), 'not it{Enter}');
    expect((await screen.findByTestId('unlock-error')).textContent).toContain('none of its backups opens with this master password');
    expect(screen.queryByTestId('backup-offer')).toBeNull();
    setLanguage('zh-CN');
    await user.type(screen.getByTestId('unlock-password'), 'still not{Enter}');
    await waitFor(() => expect(screen.getByTestId('unlock-error').textContent).toContain('备份也都无法用此主密码打开'));
    setLanguage('en');
  });

  it('Settings lists the backups and restores one after a confirmation naming time and laptop', async () => {
    const { user, backend } = await renderUnlocked({ backups: backups() });
    const restore = vi.spyOn(backend, 'restoreBackup');
    await user.click(screen.getByTestId('settings-open'));
    await user.click(screen.getByTestId('settings-backups'));
    const rows = await screen.findAllByTestId('backup-row');
    expect(rows[0]!.textContent).toMatch(/Saved .+ on LAPTOP-2/);
    expect(rows[1]!.textContent).toContain('earlier master password');
    expect(within(rows[1]!).queryByTestId('backup-restore')).toBeNull();
    await user.click(within(rows[0]!).getByTestId('backup-restore'));
    expect(screen.getByTestId('backup-confirm').textContent).toMatch(/on LAPTOP-2\? The current vault file is kept aside/);
    expect(restore).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('backup-confirm-restore'));
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(3));
    expect(restore).toHaveBeenCalledWith('vault.20261130T103200000Z.crmvault');
    expect(rowTitles().length).toBeGreaterThan(0);
  });

  it('entries about to expire are announced after unlocking', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000);
    const day = `${soon.getFullYear()}-${String(soon.getMonth() + 1).padStart(2, '0')}-${String(soon.getDate()).padStart(2, '0')}`;
    await renderUnlocked({ entries: [{ title: 'Salesforce', password: 'x-1', expires: day }, { title: 'ERP', password: 'x-2' }] });
    expect((await screen.findByTestId('expiring-banner')).textContent).toMatch(/1 password expires within 14 days: Salesforce \(/);
  });
});
