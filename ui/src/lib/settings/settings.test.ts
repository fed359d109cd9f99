import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';

async function openSettings(options = {}) {
  const r = await renderUnlocked(options);
  await r.user.click(screen.getByTestId('settings-open'));
  await screen.findByRole('dialog');
  return r;
}

describe('settings', () => {
  it('applies each change at once: auto-lock, clipboard time, theme, lock on minimise', async () => {
    const { user, backend } = await openSettings();
    const update = vi.spyOn(backend, 'updateSettings');
    await user.clear(screen.getByTestId('settings-autolock'));
    await user.type(screen.getByTestId('settings-autolock'), '1');
    // A number is saved when the user leaves the field.
    await user.tab();
    await waitFor(() => expect(update).toHaveBeenCalledTimes(1));
    expect(update.mock.calls[0][0].autoLockMinutes).toBe(1);
    await user.clear(screen.getByTestId('settings-clipboard'));
    await user.type(screen.getByTestId('settings-clipboard'), '30{Enter}');
    await user.selectOptions(screen.getByLabelText('Appearance'), 'dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await user.click(screen.getByLabelText('Lock when the window is minimised'));
    await waitFor(async () =>
      expect((await backend.appState()).settings).toMatchObject({ autoLockMinutes: 1, clipboardClearSeconds: 30, theme: 'dark', lockOnMinimise: true }),
    );
    expect(screen.getByTestId('settings-saved').textContent).toBe('Saved.');
    // No Save button to forget.
    expect(screen.queryByRole('button', { name: /^Save/ })).toBeNull();
    // Closed with Esc: nothing is taken back, and the copy notice uses the new time.
    await user.keyboard('{Escape}');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await user.keyboard('{Control>}c{/Control}');
    expect((await screen.findByTestId('toast')).textContent).toContain('clears in 30 s');
  });

  it('a number typed and the dialog closed with Esc at once is kept', async () => {
    const { user, backend } = await openSettings();
    await user.clear(screen.getByTestId('settings-clipboard'));
    await user.type(screen.getByTestId('settings-clipboard'), '45');
    await user.keyboard('{Escape}');
    await waitFor(async () => expect((await backend.appState()).settings.clipboardClearSeconds).toBe(45));
  });

  it('an emptied auto-lock field keeps the saved time instead of "never"', async () => {
    const { user, backend } = await openSettings();
    const update = vi.spyOn(backend, 'updateSettings');
    await user.clear(screen.getByTestId('settings-autolock'));
    await user.tab();
    expect(update).not.toHaveBeenCalled();
    expect((screen.getByTestId('settings-autolock') as HTMLInputElement).value).toBe('5');
    expect((await backend.appState()).settings.autoLockMinutes).toBe(5);
  });

  it('a change refused is said at its control, and the field shows what is kept', async () => {
    const { user, backend } = await openSettings();
    vi.spyOn(backend, 'updateSettings').mockRejectedValueOnce({ code: 'policy-forbids', message: 'the company policy does not allow this' });
    await user.clear(screen.getByTestId('settings-autolock'));
    await user.type(screen.getByTestId('settings-autolock'), '0');
    await user.tab();
    expect((await screen.findByTestId('settings-error-autoLockMinutes')).textContent).toBe("Your company's policy does not allow this.");
    expect((screen.getByTestId('settings-autolock') as HTMLInputElement).value).toBe('5');
  });

  it('the report tab has no Save button: each field is saved when changed', async () => {
    const { user, backend } = await openSettings();
    await user.click(screen.getByTestId('settings-report'));
    expect(screen.queryByRole('button', { name: /Save/ })).toBeNull();
    await user.clear(screen.getByTestId('settings-activity-days'));
    await user.type(screen.getByTestId('settings-activity-days'), '90');
    await user.tab();
    await waitFor(async () => expect((await backend.appState()).settings.activityKeepDays).toBe(90));
  });

  it('says "1 day", not "1 days"', async () => {
    const { user } = await openSettings();
    await user.click(screen.getByRole('tab', { name: 'Quick unlock' }));
    await user.click(screen.getByLabelText('Allow quick unlock on this computer'));
    const hours = screen.getByLabelText('Allow it for') as HTMLSelectElement;
    await waitFor(() => expect([...hours.options].map((o) => o.textContent)).toContain('1 day'));
    expect([...hours.options].map((o) => o.textContent)).toEqual(['8 hours', '1 day', '3 days', '7 days']);
  });

  it('measures each key-derivation strength on this computer, one after the other', async () => {
    const { user, backend } = await openSettings();
    const measure = vi.spyOn(backend, 'measureKdf');
    await user.click(screen.getByTestId('settings-security'));
    await waitFor(() => expect(screen.getAllByTestId('kdf-cost').map((e) => e.textContent)).toEqual([
      'Unlock takes ~0.2 s on this computer',
      'Unlock takes ~0.4 s on this computer',
      'Unlock takes ~1.1 s on this computer',
    ]));
    expect(measure.mock.calls.map((c) => c[0].memoryMib)).toEqual([64, 128, 256]);
    expect(document.body.textContent).toContain('current');
  });

  it('applies a stronger key derivation through a master-password change to the same password', async () => {
    const { user, backend } = await openSettings();
    const change = vi.spyOn(backend, 'changeMasterPassword');
    await user.click(screen.getByTestId('settings-security'));
    await user.click(await screen.findByLabelText(/Strong\b/));
    await user.type(screen.getByLabelText('Current master password'), 'correct horse battery staple');
    await user.click(screen.getByRole('button', { name: 'Apply strength' }));
    await waitFor(() =>
      expect(change).toHaveBeenCalledWith('correct horse battery staple', 'correct horse battery staple', { memoryMib: 128, iterations: 3, parallelism: 4 }),
    );
    expect(backend.kdf.memoryMib).toBe(128);
  });

  it('changes the master password after the same checks as on first run', async () => {
    const { user, backend } = await openSettings();
    const change = vi.spyOn(backend, 'changeMasterPassword');
    await user.click(screen.getByTestId('settings-security'));
    await user.type(await screen.findByLabelText('Current master password'), 'correct horse battery staple');
    await user.type(screen.getByLabelText('New master password'), 'password1');
    await user.type(screen.getByLabelText('Repeat new master password'), 'password1');
    await user.click(screen.getByRole('button', { name: 'Change master password' }));
    expect(await screen.findByText(/too easy to guess/)).toBeTruthy();
    expect(change).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('New master password'));
    await user.clear(screen.getByLabelText('Repeat new master password'));
    await user.type(screen.getByLabelText('New master password'), 'Seven orange kites over Pudong');
    await user.type(screen.getByLabelText('Repeat new master password'), 'Seven orange kites over Pudong');
    await user.click(screen.getByRole('button', { name: 'Change master password' }));
    await waitFor(() => expect(change).toHaveBeenCalledWith('correct horse battery staple', 'Seven orange kites over Pudong', null));
    expect(backend.masterPassword).toBe('Seven orange kites over Pudong');
  });

  it('a wrong current password is reported', async () => {
    const { user } = await openSettings();
    await user.click(screen.getByTestId('settings-security'));
    await user.type(await screen.findByLabelText('Current master password'), 'nope');
    await user.type(screen.getByLabelText('New master password'), 'Seven orange kites over Pudong');
    await user.type(screen.getByLabelText('Repeat new master password'), 'Seven orange kites over Pudong');
    await user.click(screen.getByRole('button', { name: 'Change master password' }));
    expect(await screen.findByText('Wrong master password.')).toBeTruthy();
  });

  it("takes the fields' ranges and the quick-unlock periods from Rust's policy", async () => {
    const r = await renderUnlocked();
    const recorded = await r.backend.policy();
    expect(recorded.autoLockMinutes).toMatchObject({ min: 0, max: 1440 });
    // A narrower policy than today's shows that nothing here is a number of the page's own.
    vi.spyOn(r.backend, 'policy').mockResolvedValue({
      ...recorded,
      clipboardClearSeconds: { min: 10, max: 60, default: 20 },
      quickUnlockHours: { min: 1, max: 24, default: 8 },
    });
    const update = vi.spyOn(r.backend, 'updateSettings');
    await r.user.click(screen.getByTestId('settings-open'));
    const clipboard = (await screen.findByTestId('settings-clipboard')) as HTMLInputElement;
    await waitFor(() => expect(clipboard.max).toBe('60'));
    expect(clipboard.min).toBe('10');
    expect((screen.getByTestId('settings-autolock') as HTMLInputElement).max).toBe(String(recorded.autoLockMinutes.max));
    await r.user.clear(clipboard);
    await r.user.type(clipboard, '3');
    await r.user.tab();
    await waitFor(() => expect(update).toHaveBeenCalled());
    expect(update.mock.calls[0][0].clipboardClearSeconds).toBe(10);

    await r.user.click(screen.getByRole('tab', { name: 'Quick unlock' }));
    await r.user.click(screen.getByLabelText('Allow quick unlock on this computer'));
    const hours = screen.getByLabelText('Allow it for') as HTMLSelectElement;
    await waitFor(() => expect([...hours.options].map((o) => o.value)).toEqual(['8', '24']));
    expect(hours.value).toBe('8');
  });

  it('turns quick unlock on for the chosen period with a PIN chosen twice, and off again', async () => {
    const { user, backend } = await openSettings();
    const set = vi.spyOn(backend, 'setQuickUnlock');
    await user.click(screen.getByRole('tab', { name: 'Quick unlock' }));
    await user.click(screen.getByLabelText('Allow quick unlock on this computer'));
    // Nothing is turned on until a PIN is chosen.
    expect(set).not.toHaveBeenCalled();
    await user.selectOptions(screen.getByLabelText('Allow it for'), '72');
    await user.type(screen.getByLabelText('Choose a PIN (4 to 12 digits)'), '123');
    await user.type(screen.getByLabelText('The PIN again'), '123');
    await user.click(screen.getByTestId('settings-quick-on'));
    expect(screen.getByTestId('settings-quick-error').textContent).toBe('A PIN is 4 to 12 digits (0–9).');
    await user.type(screen.getByLabelText('Choose a PIN (4 to 12 digits)'), '4');
    await user.type(screen.getByLabelText('The PIN again'), '5');
    await user.click(screen.getByTestId('settings-quick-on'));
    expect(screen.getByTestId('settings-quick-error').textContent).toBe('The two PINs are not the same.');
    expect(set).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('The PIN again'));
    await user.type(screen.getByLabelText('The PIN again'), '1234');
    await user.click(screen.getByTestId('settings-quick-on'));
    await waitFor(() => expect(set).toHaveBeenCalledWith(true, 72, '1234'));
    expect(await screen.findByText(/Quick unlock works until/)).toBeTruthy();
    expect(screen.queryByLabelText('Choose a PIN (4 to 12 digits)')).toBeNull();

    await user.click(screen.getByLabelText('Allow quick unlock on this computer'));
    await waitFor(() => expect(set).toHaveBeenLastCalledWith(false, 72, null));
    expect(screen.queryByText(/Quick unlock works until/)).toBeNull();
  });

  it('offers periods of at most 7 days', async () => {
    const { user } = await openSettings();
    await user.click(screen.getByRole('tab', { name: 'Quick unlock' }));
    await user.click(screen.getByLabelText('Allow quick unlock on this computer'));
    const options = [...(screen.getByLabelText('Allow it for') as HTMLSelectElement).options].map((o) => Number(o.value));
    expect(Math.max(...options)).toBe(168);
  });

  it('explains quick unlock is off without a keyring', async () => {
    const { user } = await openSettings({ quickUnlockAvailable: false });
    await user.click(screen.getByRole('tab', { name: 'Quick unlock' }));
    expect(document.body.textContent).toContain('this computer has no system keyring');
    expect(screen.queryByLabelText('Allow quick unlock on this computer')).toBeNull();
  });
});
