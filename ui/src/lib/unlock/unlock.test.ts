import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderApp } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';

describe('unlock', () => {
  it('focuses the password field', async () => {
    await renderApp();
    expect(document.activeElement).toBe(screen.getByTestId('unlock-password'));
  });

  it('says a wrong password is wrong and counts the attempt', async () => {
    const { user } = await renderApp();
    expect(screen.queryByTestId('failed-attempts')).toBeNull();
    await user.type(screen.getByTestId('unlock-password'), 'not it{Enter}');
    expect((await screen.findByTestId('unlock-error')).textContent).toMatch(/^Wrong master password/);
    expect((await screen.findByTestId('failed-attempts')).textContent).toContain('1 failed attempt since your last unlock');
    // The field is emptied and focused again for the next try.
    expect((screen.getByTestId('unlock-password') as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(screen.getByTestId('unlock-password'));
  });

  it('shows earlier failed attempts, and tells again after unlocking', async () => {
    const { user } = await renderApp({ failedAttempts: 3 });
    expect(screen.getByTestId('failed-attempts').textContent).toContain('3 failed attempts since your last unlock');
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect(document.body.textContent).toContain('There were 3 failed unlock attempts on this computer since your last unlock.');
  });

  it('in Chinese too', async () => {
    setLanguage('zh-CN');
    await renderApp({ failedAttempts: 2, settings: { language: 'zh-CN' } });
    expect(screen.getByTestId('failed-attempts').textContent).toContain('自上次解锁以来有 2 次失败的尝试');
  });

  it('"remember on this device" asks for a PIN twice, passes it, and goes to the main screen with the search focused', async () => {
    const { user, backend } = await renderApp();
    const unlock = vi.spyOn(backend, 'unlock');
    expect(screen.queryByTestId('unlock-new-pin')).toBeNull();
    await user.click(screen.getByTestId('unlock-remember'));
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple');
    await user.type(screen.getByTestId('unlock-new-pin'), '482916');
    await user.type(screen.getByTestId('unlock-new-pin-again'), '482917');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(screen.getByTestId('unlock-error').textContent).toBe('The two PINs are not the same.');
    expect(unlock).not.toHaveBeenCalled();
    await user.clear(screen.getByTestId('unlock-new-pin-again'));
    await user.type(screen.getByTestId('unlock-new-pin-again'), '482916');
    await user.click(screen.getByTestId('unlock-submit'));
    await screen.findByTestId('search');
    expect(unlock).toHaveBeenCalledWith('correct horse battery staple', '482916');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('search')));
  });

  it('without "remember", no PIN is passed', async () => {
    const { user, backend } = await renderApp();
    const unlock = vi.spyOn(backend, 'unlock');
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect(unlock).toHaveBeenCalledWith('correct horse battery staple', null);
  });

  it('explains why "remember" is off when there is no keyring', async () => {
    await renderApp({ quickUnlockAvailable: false });
    expect(screen.queryByTestId('unlock-remember')).toBeNull();
    expect(document.body.textContent).toContain('no system keyring');
  });

  it('offers quick unlock with the PIN when it is on, with the PIN field focused', async () => {
    const { user, backend } = await renderApp({ quickUnlockEnabled: true, quickUnlockPin: '2468' });
    const quick = vi.spyOn(backend, 'quickUnlock');
    expect(document.activeElement).toBe(screen.getByTestId('quick-unlock-pin'));
    await user.type(screen.getByTestId('quick-unlock-pin'), '2468');
    await user.click(screen.getByTestId('quick-unlock'));
    await screen.findByTestId('search');
    expect(quick).toHaveBeenCalledWith('2468');
  });

  it('a wrong PIN says how many attempts are left; the third ends quick unlock and asks for the master password', async () => {
    const { user } = await renderApp({ quickUnlockEnabled: true, quickUnlockPin: '2468' });
    await user.type(screen.getByTestId('quick-unlock-pin'), '1111{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('quick-unlock-error').textContent).toBe('Wrong PIN. 2 attempts left, then the master password is needed.'),
    );
    expect((screen.getByTestId('quick-unlock-pin') as HTMLInputElement).value).toBe('');
    await user.type(screen.getByTestId('quick-unlock-pin'), '2222{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('quick-unlock-error').textContent).toBe('Wrong PIN. 1 attempt left, then the master password is needed.'),
    );
    await user.type(screen.getByTestId('quick-unlock-pin'), '3333{Enter}');
    await waitFor(() => expect(screen.getByTestId('quick-unlock-error').textContent).toMatch(/^The PIN was wrong 3 times, so quick unlock has ended/));
    expect(screen.queryByTestId('quick-unlock-pin')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('unlock-password')));
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
  });

  it('says so in Chinese too', async () => {
    setLanguage('zh-CN');
    const { user } = await renderApp({ quickUnlockEnabled: true, quickUnlockPin: '2468', settings: { language: 'zh-CN' } });
    await user.type(screen.getByTestId('quick-unlock-pin'), '1111{Enter}');
    await waitFor(() => expect(screen.getByTestId('quick-unlock-error').textContent).toBe('PIN 码错误。还剩 2 次机会，之后需要输入主密码。'));
  });

  it('tells why quick unlock ended: expired, restarted', async () => {
    const { user, backend } = await renderApp({ quickUnlockEnabled: true });
    const quick = vi.spyOn(backend, 'quickUnlock');
    quick.mockRejectedValueOnce({ code: 'quick-unlock-expired', message: 'quick unlock has expired' });
    await user.type(screen.getByTestId('quick-unlock-pin'), '2468{Enter}');
    await waitFor(() => expect(screen.getByTestId('quick-unlock-error').textContent).toMatch(/^Quick unlock has expired\. Unlock with your master password/));
    quick.mockRejectedValueOnce({ code: 'quick-unlock-rebooted', message: 'restarted' });
    await user.type(screen.getByTestId('quick-unlock-pin'), '2468{Enter}');
    await waitFor(() => expect(screen.getByTestId('quick-unlock-error').textContent).toMatch(/^The computer restarted, so quick unlock has ended/));
  });

  it('with quick unlock on, the PIN button is the main action and Enter on the empty password field uses it', async () => {
    const { user, backend } = await renderApp({ quickUnlockEnabled: true, quickUnlockPin: '2468' });
    const quick = vi.spyOn(backend, 'quickUnlock');
    const unlock = vi.spyOn(backend, 'unlock');
    expect(screen.getByTestId('quick-unlock').classList.contains('primary')).toBe(true);
    expect(screen.getByTestId('unlock-submit').classList.contains('primary')).toBe(false);
    await user.type(screen.getByTestId('quick-unlock-pin'), '2468');
    await user.click(screen.getByTestId('unlock-password'));
    await user.keyboard('{Enter}');
    await screen.findByTestId('search');
    expect(quick).toHaveBeenCalledWith('2468');
    expect(unlock).not.toHaveBeenCalled();
  });

  it('Enter on the empty password field with no PIN typed goes to the PIN field', async () => {
    const { user } = await renderApp({ quickUnlockEnabled: true });
    await user.click(screen.getByTestId('unlock-password'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('quick-unlock-pin')));
  });

  it('the master password has a Show toggle', async () => {
    const { user } = await renderApp();
    const field = screen.getByTestId('unlock-password') as HTMLInputElement;
    await user.type(field, 'abc');
    await user.click(screen.getByTestId('unlock-password-show'));
    expect(field.type).toBe('text');
    expect(screen.getByTestId('unlock-password-show').getAttribute('aria-pressed')).toBe('true');
    // The click left the focus where the user types.
    expect(document.activeElement).toBe(field);
  });

  it("does not warn after the unlock about the user's own typo on this screen", async () => {
    const { user } = await renderApp();
    await user.type(screen.getByTestId('unlock-password'), 'not it{Enter}');
    await screen.findByTestId('unlock-error');
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect(document.body.textContent).not.toContain('failed unlock attempt');
  });

  it('still warns about attempts from before this screen, not about the ones typed on it', async () => {
    const { user } = await renderApp({ failedAttempts: 2 });
    await user.type(screen.getByTestId('unlock-password'), 'not it{Enter}');
    await waitFor(() => expect(screen.getByTestId('failed-attempts').textContent).toContain('3 failed attempts'));
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect(document.body.textContent).toContain('There were 2 failed unlock attempts on this computer since your last unlock.');
  });

  it('says plainly when "remember" could not store the key in the keyring, and the vault is open', async () => {
    const { user, backend } = await renderApp();
    // As Rust does: the vault opens, the keyring refuses the device key, the call answers an error.
    const real = backend.unlock.bind(backend);
    vi.spyOn(backend, 'unlock').mockImplementationOnce(async (pw) => {
      await real(pw, null);
      throw { code: 'no-keyring', message: 'the keyring would not store the item' };
    });
    await user.click(screen.getByTestId('unlock-remember'));
    await user.type(screen.getByTestId('unlock-new-pin'), '482916');
    await user.type(screen.getByTestId('unlock-new-pin-again'), '482916');
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect((await screen.findByTestId('remember-failed')).textContent).toContain('quick unlock is not on: the system keyring would not store its key');
  });

  it('after "Open a different vault…" the focus goes back to the password field, and one dialog opens at a time', async () => {
    const { user, backend } = await renderApp();
    let answer: (p: string | null) => void = () => {};
    const choose = vi.spyOn(backend, 'chooseVaultFile').mockImplementation(() => new Promise((r) => (answer = r)));
    await user.click(screen.getByTestId('open-other'));
    // While the dialog is up, more clicks open no other.
    await user.click(screen.getByTestId('open-other'));
    expect(choose).toHaveBeenCalledTimes(1);
    answer('/home/sales/OneDrive/other.crmvault');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('unlock-password')));
    await user.keyboard('correct horse battery staple');
    expect(choose).toHaveBeenCalledTimes(1);
  });
});
