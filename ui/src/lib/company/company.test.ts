import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';
import { NO_COMPANY_POLICY } from '../ipc/mock';
import type { CompanyPolicyView } from '../ipc/bindings/CompanyPolicyView';
import { setLanguage } from '../i18n/index.svelte';

const POLICY: CompanyPolicyView = {
  ...NO_COMPANY_POLICY,
  state: 'in-force',
  path: '/etc/crm-vault/policy.toml',
  minLength: 12,
  required: { lower: true, upper: true, digits: true, symbols: true },
  rotationDays: 30,
  maxAutoLockMinutes: 10,
  maxClipboardClearSeconds: 30,
  quickUnlockAllowed: false,
  totpRequiredTags: ['crm'],
  companyTag: 'company',
  locked: { rotationDays: true, autoLockMinutes: true, clipboardClearSeconds: true, quickUnlock: true, generator: true },
};

async function openSettings(companyPolicy?: CompanyPolicyView, language: 'en' | 'zh-CN' | 'system' = 'system') {
  const r = await renderUnlocked({ companyPolicy, settings: { rotationDays: 30, autoLockMinutes: 10, language } });
  await r.user.click(screen.getByTestId('settings-open'));
  await screen.findByRole('dialog');
  return r;
}

describe('company policy', () => {
  it('shows the settings it sets as locked, "Set by your company"', async () => {
    const { user } = await openSettings(POLICY);
    expect((await screen.findByTestId('company-lock-autolock')).textContent).toContain('Set by your company: at most 10 minutes.');
    expect(screen.getByTestId('company-lock-clipboard').textContent).toContain('at most 30 seconds');
    expect(screen.getByTestId('settings-autolock').getAttribute('max')).toBe('10');
    await user.click(screen.getByTestId('settings-report'));
    const rotation = await screen.findByTestId('company-lock-rotation');
    expect(rotation.textContent).toContain('Set by your company: every 30 days.');
    expect((screen.getByTestId('settings-rotation') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('settings-rotation-on') as HTMLInputElement).disabled).toBe(true);
  });

  it('locks nothing without a policy', async () => {
    const { user } = await openSettings();
    await screen.findByTestId('settings-autolock');
    await user.click(screen.getByTestId('settings-report'));
    await screen.findByTestId('settings-rotation');
    expect(screen.queryByTestId('company-lock-rotation')).toBeNull();
    expect((screen.getByTestId('settings-rotation') as HTMLInputElement).disabled).toBe(false);
    expect(screen.queryByTestId('company-lock-autolock')).toBeNull();
  });

  it('says in Chinese that the company set it', async () => {
    try {
      await openSettings(POLICY, 'zh-CN');
      expect((await screen.findByTestId('company-lock-autolock')).textContent).toContain('由公司设定');
    } finally {
      setLanguage('system');
    }
  });

  it('shows a malformed file with its line on the Company tab', async () => {
    const malformed: CompanyPolicyView = {
      ...NO_COMPANY_POLICY,
      state: 'malformed',
      path: '/etc/crm-vault/policy.toml',
      error: { line: 4, column: 1, message: 'unknown field `minimum`' },
    };
    const { user } = await openSettings(malformed);
    await user.click(screen.getByTestId('settings-company-tab'));
    const status = await screen.findByTestId('company-status');
    expect(status.textContent).toContain('is malformed at line 4, column 1');
    expect(status.textContent).toContain('Nothing of it is applied');
  });

  it('lists the accounts for IT and saves them as CSV', async () => {
    const { user, backend } = await openSettings(POLICY);
    const save = vi.spyOn(backend, 'saveInventoryCsv');
    await user.click(screen.getByTestId('settings-company-tab'));
    expect((await screen.findByTestId('company-rules')).textContent).toContain('at least 12 characters');
    await user.click(screen.getByTestId('inventory-open'));
    const table = await screen.findByTestId('inventory-table');
    const rows = table.querySelectorAll('tbody tr');
    expect(rows.length).toBe(12);
    await user.click(screen.getByTestId('inventory-save-csv'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect((await screen.findByTestId('inventory-saved')).textContent).toContain('/home/sales/accounts.csv');
  });
});

describe('hand over company accounts', () => {
  it('hands every entry with the policy company tag to IT, without expiry, and is absent without a tag', async () => {
    const r = await openSettings({ ...POLICY, companyTag: 'crm' });
    await r.user.click(screen.getByTestId('settings-company-tab'));
    const make = vi.spyOn(r.backend, 'handOverCompanyAccounts');
    await r.user.click(await screen.findByTestId('company-handover'));
    expect(screen.queryByTestId('handover-amount')).toBeNull();
    expect((screen.getByTestId('handover-to') as HTMLInputElement).value).toBe('IT');
    await waitFor(() => expect((screen.getByTestId('handover-passphrase') as HTMLInputElement).value).not.toBe(''));
    await r.user.click(screen.getByTestId('handover-save'));
    expect((await screen.findByTestId('handover-done')).textContent).toMatch(/^Saved \d+ entries to .*, without expiry\.$/);
    expect(make).toHaveBeenCalledOnce();
    expect(make.mock.calls[0][0]).toBe('IT');
  });

  it('is not offered when the policy names no company tag', async () => {
    const r = await openSettings({ ...POLICY, companyTag: null });
    await r.user.click(screen.getByTestId('settings-company-tab'));
    await screen.findByTestId('company-status');
    expect(screen.queryByTestId('company-handover')).toBeNull();
  });
});
