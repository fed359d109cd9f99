import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';

// A moment at the start of a 30 s period (1700000010 is a multiple of 30).
const PERIOD_START = 1_700_000_010_000;

const ENTRIES = [
  { id: 'crm', title: 'CRM', username: 'li', password: 'x-Very-Long-Unique-1', totp: true },
  { id: 'mail', title: 'Mail', username: 'li', password: 'y-Very-Long-Unique-2' },
];

async function openEntry(title: string, user: Awaited<ReturnType<typeof renderUnlocked>>['user']) {
  const row = screen.getAllByTestId('entry-row').find((r) => r.querySelector('.title')?.textContent === title)!;
  await user.click(row);
  await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe(title));
}

afterEach(() => vi.useRealTimers());

describe('TOTP in the entry detail', () => {
  it('shows the code with a countdown, the next code in the last 7 seconds, then the next period', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(PERIOD_START + 5_000);
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    await openEntry('CRM', user);
    const now = await backend.totpCode('crm');
    await waitFor(() => expect(screen.getByTestId('totp-code').textContent).toBe(now.code));
    expect(screen.getByTestId('totp-seconds').textContent).toBe('25');
    expect(screen.queryByTestId('totp-next')).toBeNull();

    vi.setSystemTime(PERIOD_START + 24_500);
    await waitFor(() => expect(screen.getByTestId('totp-seconds').textContent).toBe('6'));
    const next = (await backend.totpCode('crm')).next!;
    expect(next).toMatch(/^\d{6}$/);
    await waitFor(() => expect(screen.getByTestId('totp-next').textContent).toContain(next));
    expect(screen.getByTestId('totp-code').textContent).toBe(now.code);

    vi.setSystemTime(PERIOD_START + 31_000);
    await waitFor(() => expect(screen.getByTestId('totp-code').textContent).toBe(next));
    expect(screen.getByTestId('totp-seconds').textContent).toBe('29');
    expect(screen.queryByTestId('totp-next')).toBeNull();
  });

  it('Ctrl+T and the button copy the current code, not the setup', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    const copy = vi.spyOn(backend, 'copy');
    await openEntry('CRM', user);
    await screen.findByTestId('totp-code');
    await user.keyboard('{Control>}t{/Control}');
    await waitFor(() => expect(copy).toHaveBeenCalledWith('crm', 'totp'));
    expect(backend.clipboard).toBe((await backend.totpCode('crm')).code);
    expect(screen.getByTestId('toast').textContent).toContain('One-time code copied');
    await user.click(screen.getByTestId('copy-totp'));
    expect(copy).toHaveBeenCalledTimes(2);
  });

  it('Ctrl+T on an entry without TOTP says so', async () => {
    const { user } = await renderUnlocked({ entries: ENTRIES });
    await openEntry('Mail', user);
    await user.keyboard('{Control>}t{/Control}');
    await waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('This entry has no one-time code.'));
  });

  it('shows the setup as a QR code on request, and hides it when another entry opens', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    const qr = vi.spyOn(backend, 'totpQr');
    await openEntry('CRM', user);
    await screen.findByTestId('totp-code');
    expect(screen.queryByTestId('totp-qr')).toBeNull();
    expect(qr).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('totp-qr-toggle'));
    const svg = await screen.findByTestId('totp-qr');
    expect(svg.querySelectorAll('rect').length).toBeGreaterThan(20);
    expect(svg.getAttribute('viewBox')).toBe('0 0 33 33');
    await openEntry('Mail', user);
    expect(screen.queryByTestId('totp-qr')).toBeNull();
    await openEntry('CRM', user);
    await screen.findByTestId('totp-code');
    expect(screen.queryByTestId('totp-qr')).toBeNull();
  });
});

describe('TOTP in the editor', () => {
  async function editMail(options = {}) {
    const r = await renderUnlocked({ entries: ENTRIES, ...options });
    await openEntry('Mail', r.user);
    await r.user.click(screen.getByTestId('edit-entry'));
    await screen.findByTestId('totp-editor');
    return r;
  }

  it('a malformed key is refused with a translated message; a link is read in Rust and saved by token', async () => {
    const { user, backend } = await editMail();
    const save = vi.spyOn(backend, 'saveEntry');
    expect(screen.getByTestId('totp-status').textContent).toContain('Not set up.');
    await user.type(screen.getByTestId('totp-input'), 'hello world!{Enter}');
    expect(await screen.findByTestId('totp-error')).toHaveProperty(
      'textContent',
      'The key is not valid: it may only contain the letters A–Z and the digits 2–7.',
    );
    expect(save).not.toHaveBeenCalled();
    await user.clear(screen.getByTestId('totp-input'));
    await user.type(screen.getByTestId('totp-input'), 'otpauth://totp/ACME:li?secret=JBSWY3DPEHPK3PXP&issuer=ACME');
    await user.click(screen.getByTestId('totp-set'));
    await waitFor(() => expect(screen.getByTestId('totp-status').textContent).toContain('New setup ready: ACME · li'));
    expect(screen.queryByTestId('totp-error')).toBeNull();
    expect((screen.getByTestId('totp-input') as HTMLInputElement).value).toBe('');
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1].totp).toEqual({ action: 'set', token: 1 });
    await screen.findByTestId('totp-code');
  });

  it('reads a QR code from a picked picture or the clipboard; a cancelled dialog changes nothing', async () => {
    const { user } = await editMail({ pickedImage: 'otpauth://totp/Portal:li?secret=JBSWY3DPEHPK3PXP', clipboardImage: null });
    await user.click(screen.getByTestId('totp-import-clipboard'));
    expect((await screen.findByTestId('totp-error')).textContent).toContain('There is no picture on the clipboard');
    await user.click(screen.getByTestId('totp-import-file'));
    await waitFor(() => expect(screen.getByTestId('totp-status').textContent).toContain('Portal · li'));
    await user.click(screen.getByTestId('totp-undo'));
    expect(screen.getByTestId('totp-status').textContent).toContain('Not set up.');
  });

  it('a steam link from the clipboard; removing a setup on save', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES, clipboardImage: 'steam://JBSWY3DPEHPK3PXP', pickedImage: null });
    const save = vi.spyOn(backend, 'saveEntry');
    await openEntry('CRM', user);
    await user.click(screen.getByTestId('edit-entry'));
    await user.click(await screen.findByTestId('totp-import-file'));
    expect(screen.getByTestId('totp-status').textContent).toContain('Set up.');
    await user.click(screen.getByTestId('totp-import-clipboard'));
    await waitFor(() => expect(screen.getByTestId('totp-status').textContent).toContain('Steam Guard'));
    await user.click(screen.getByTestId('totp-undo'));
    await user.click(screen.getByTestId('totp-remove'));
    expect(screen.getByTestId('totp-status').textContent).toContain('will be removed');
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save.mock.calls[0][1].totp).toEqual({ action: 'remove' }));
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('CRM'));
    expect(screen.queryByTestId('totp-view')).toBeNull();
  });

  it('Enter in the TOTP box does not save the entry', async () => {
    const { user, backend } = await editMail();
    const save = vi.spyOn(backend, 'saveEntry');
    const input = screen.getByTestId('totp-input');
    await user.type(input, 'JBSWY3DPEHPK3PXPJBSWY3DP');
    await fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('totp-status').textContent).toContain('New setup ready'));
    expect(save).not.toHaveBeenCalled();
  });
});
