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
    expect(document.body.textContent).toContain('There were 3 failed unlock attempts on this device since your last unlock.');
  });

  it('in Chinese too', async () => {
    setLanguage('zh-CN');
    await renderApp({ failedAttempts: 2, settings: { language: 'zh-CN' } });
    expect(screen.getByTestId('failed-attempts').textContent).toContain('自上次解锁以来有 2 次失败的尝试');
  });

  it('passes "remember on this device" and goes to the main screen with the search focused', async () => {
    const { user, backend } = await renderApp();
    const unlock = vi.spyOn(backend, 'unlock');
    await user.click(screen.getByTestId('unlock-remember'));
    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple');
    await user.click(screen.getByTestId('unlock-submit'));
    await screen.findByTestId('search');
    expect(unlock).toHaveBeenCalledWith('correct horse battery staple', true);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('search')));
  });

  it('explains why "remember" is off when there is no keyring', async () => {
    await renderApp({ quickUnlockAvailable: false });
    expect(screen.queryByTestId('unlock-remember')).toBeNull();
    expect(document.body.textContent).toContain('no system keyring');
  });

  it('offers quick unlock when it is on', async () => {
    const { user, backend } = await renderApp({ quickUnlockEnabled: true });
    const quick = vi.spyOn(backend, 'quickUnlock');
    await user.click(screen.getByTestId('quick-unlock'));
    await screen.findByTestId('search');
    expect(quick).toHaveBeenCalled();
  });
});
