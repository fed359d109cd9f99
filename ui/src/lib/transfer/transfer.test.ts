import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';
import { MOCK_KDBX_PASSWORD } from '../ipc/mock';
import { setLanguage } from '../i18n/index.svelte';
import { exportBlocker, importErrorText, skippedText } from './transfer';

afterEach(() => setLanguage('en'));

function submit(): HTMLButtonElement {
  return screen.getByTestId('import-submit') as HTMLButtonElement;
}

describe('import', () => {
  it('shows what would arrive, what is already there and what is skipped, then imports and refreshes the list', async () => {
    const r = await renderUnlocked();
    const apply = vi.spyOn(r.backend, 'applyImport');
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('import-open'));
    await r.user.click(screen.getByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    expect(screen.getByTestId('import-path').textContent).toBe('chrome.csv');
    expect(screen.getByTestId('import-arriving').textContent).toBe('2 entries will arrive.');
    expect(screen.getByTestId('import-already').textContent).toContain('1 is already in your vault and stays as it is');
    expect(screen.queryByTestId('import-already-list')).toBeNull();
    await r.user.click(screen.getByTestId('import-already'));
    expect(screen.getByTestId('import-already-list').textContent).toContain('Salesforce');
    expect(screen.getByTestId('import-skipped').textContent).toBe('1 skipped:');
    expect(screen.getByTestId('import-skipped-row').textContent).toBe('Line 4: has no title, web address, user name or password');
    expect(screen.queryByTestId('import-keep-notes')).toBeNull();
    expect(apply).not.toHaveBeenCalled();
    expect(rowTitles()).not.toContain('纷享销客 CRM');

    await r.user.click(submit());
    expect((await screen.findByTestId('import-done')).textContent).toBe('Imported 2 entries from Chrome/Edge CSV.');
    await waitFor(() => expect(rowTitles()).toContain('纷享销客 CRM'));
    expect(rowTitles()).toContain('ERP 2');
  });

  it('asks for the file password when the file needs one, and says when it is wrong', async () => {
    const r = await renderUnlocked({ pickedImportFile: '/home/li/team.kdbx' });
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('import-open'));
    await r.user.click(screen.getByTestId('import-choose'));
    const error = await screen.findByTestId('import-error');
    expect(error.textContent).toMatch(/^Cannot import team\.kdbx\. This file is protected by a password/);
    expect(submit().disabled).toBe(true);
    await r.user.type(screen.getByTestId('import-password'), 'not it');
    await r.user.click(screen.getByTestId('import-read'));
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toContain('does not open this file'));
    await r.user.clear(screen.getByTestId('import-password'));
    await r.user.type(screen.getByTestId('import-password'), MOCK_KDBX_PASSWORD);
    await r.user.click(screen.getByTestId('import-read'));
    await screen.findByTestId('import-preview');
    expect(screen.queryByTestId('import-error')).toBeNull();
    expect(screen.getByTestId('import-arriving').textContent).toBe('3 entries will arrive.');
    expect(screen.getByTestId('import-skipped-row').textContent).toBe('"Sales/VPN": has an attached file "vpn.ovpn", which is not imported');
  });

  it('offers secure notes as entries when the file has some, and reads the file again with them', async () => {
    const r = await renderUnlocked({ pickedImportFile: '/home/li/bitwarden.json' });
    const previewed = vi.spyOn(r.backend, 'previewImport');
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('import-open'));
    await r.user.click(screen.getByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    expect(screen.getByTestId('import-arriving').textContent).toBe('1 entry will arrive.');
    const rows = screen.getAllByTestId('import-skipped-row').map((row) => row.textContent);
    expect(rows).toEqual(['"Visa": is a payment card, not a login', '"Door codes": is a secure note, not a login']);
    await r.user.click(screen.getByTestId('import-keep-notes'));
    await waitFor(() => expect(screen.getByTestId('import-arriving').textContent).toBe('2 entries will arrive.'));
    expect(previewed).toHaveBeenLastCalledWith('/home/li/bitwarden.json', null, null, null, true);
    expect((screen.getByTestId('import-keep-notes') as HTMLInputElement).checked).toBe(true);
    await r.user.click(submit());
    expect((await screen.findByTestId('import-done')).textContent).toBe('Imported 2 entries from Bitwarden JSON.');
  });

  it('names the file and the trouble for a file that is no export', async () => {
    const r = await renderUnlocked({ pickedImportFile: '/home/li/photo.png' });
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('import-open'));
    await r.user.click(screen.getByTestId('import-choose'));
    expect((await screen.findByTestId('import-error')).textContent).toMatch(/^Cannot import photo\.png\. This is not a password export/);
    expect(screen.queryByTestId('import-password')).toBeNull();
    expect(submit().disabled).toBe(true);
  });

  it('opens from Settings too', async () => {
    const r = await renderUnlocked();
    await r.user.click(screen.getByTestId('settings-open'));
    await r.user.click(screen.getByTestId('settings-transfer'));
    await r.user.click(screen.getByTestId('settings-import'));
    expect(screen.getByTestId('import-choose')).toBeTruthy();
    expect(screen.queryByTestId('settings-transfer')).toBeNull();
  });
});

describe('export', () => {
  it('writes CSV only after the plain-text confirmation, and says where', async () => {
    const r = await renderUnlocked();
    const exported = vi.spyOn(r.backend, 'exportVault');
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('export-open'));
    await r.user.click(screen.getByTestId('export-format-csv'));
    expect(screen.getByTestId('export-csv-warning').textContent).toContain('anyone who gets it can read every password');
    const button = screen.getByTestId('export-submit') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await r.user.click(screen.getByTestId('export-plain-text-ok'));
    expect(button.disabled).toBe(false);
    await r.user.click(button);
    const done = await screen.findByTestId('export-done');
    expect(done.textContent).toContain('Exported 12 entries to /home/li/crm-vault-export.csv.');
    expect(done.textContent).toContain('plain text');
    expect(exported).toHaveBeenCalledWith('/home/li/crm-vault-export.csv', 'csv', null, true);
  });

  it('needs the same password twice for KeePass, and sends it', async () => {
    const r = await renderUnlocked();
    const exported = vi.spyOn(r.backend, 'exportVault');
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('export-open'));
    expect((screen.getByTestId('export-format-kdbx') as HTMLInputElement).checked).toBe(true);
    const button = screen.getByTestId('export-submit') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await r.user.type(screen.getByTestId('export-password'), 'Lantern-Otter-47');
    await r.user.type(screen.getByTestId('export-confirm'), 'Lantern-Otter-4');
    expect(screen.getByTestId('export-mismatch').textContent).toBe('The two passwords are not the same.');
    expect(button.disabled).toBe(true);
    await r.user.type(screen.getByTestId('export-confirm'), '7');
    expect(screen.queryByTestId('export-mismatch')).toBeNull();
    await r.user.click(button);
    expect((await screen.findByTestId('export-done')).textContent).toBe('Exported 12 entries to /home/li/crm-vault-export.kdbx.');
    expect(exported).toHaveBeenCalledWith('/home/li/crm-vault-export.kdbx', 'kdbx', 'Lantern-Otter-47', false);
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    const r = await renderUnlocked({ pickedExportFile: null });
    const exported = vi.spyOn(r.backend, 'exportVault');
    await r.user.click(screen.getByTestId('transfer-menu'));
    await r.user.click(screen.getByTestId('export-open'));
    await r.user.click(screen.getByTestId('export-format-json'));
    await r.user.type(screen.getByTestId('export-password'), 'pw');
    await r.user.type(screen.getByTestId('export-confirm'), 'pw');
    await r.user.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect((screen.getByTestId('export-submit') as HTMLButtonElement).disabled).toBe(false));
    expect(exported).not.toHaveBeenCalled();
    expect(screen.queryByTestId('export-done')).toBeNull();
  });
});

describe('transfer words', () => {
  it('says where and why an item was skipped in both languages', () => {
    const line = { place: { kind: 'line', line: 7 }, reason: { kind: 'bad-totp' } } as const;
    const card = { place: { kind: 'item', title: 'Visa' }, reason: { kind: 'not-a-login', what: 'card' } } as const;
    expect(skippedText(line)).toBe('Line 7: was imported without its one-time code setup, which could not be read');
    setLanguage('zh-CN');
    expect(skippedText(line)).toBe('第 7 行：已导入，但其两步验证码设置无法读取，未导入');
    expect(skippedText(card)).toBe('条目“Visa”：是银行卡，不是登录账号');
    expect(skippedText({ ...card, reason: { kind: 'not-a-login', what: 'Wi-Fi router' } })).toBe('条目“Visa”：是Wi-Fi router，不是登录账号');
  });

  it('adds the CSV reader\'s own words, which say which line', () => {
    const err = { code: 'import-csv', message: 'cannot import /home/li/a.csv: line 3 opens a quote (") that is not closed' };
    expect(importErrorText(err, '/home/li/a.csv')).toBe(
      'Cannot import a.csv. This CSV file cannot be read. Its first line must name the columns (for example name,url,username,password). Your vault was not changed. (line 3 opens a quote (") that is not closed)',
    );
  });

  it('lets an export go only with a password typed twice, or the CSV confirmation', () => {
    expect(exportBlocker({ format: 'kdbx', password: '', confirm: '', plainTextOk: true })).toBe('needs-password');
    expect(exportBlocker({ format: 'json', password: 'a', confirm: 'b', plainTextOk: false })).toBe('transfer.mismatch');
    expect(exportBlocker({ format: 'json', password: 'a', confirm: 'a', plainTextOk: false })).toBeNull();
    expect(exportBlocker({ format: 'csv', password: '', confirm: '', plainTextOk: false })).toBe('needs-confirmation');
    expect(exportBlocker({ format: 'csv', password: '', confirm: '', plainTextOk: true })).toBeNull();
  });
});
