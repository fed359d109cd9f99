import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';
import { loginStatusText } from './login';
import type { LoginStatus } from '../ipc/types';

async function openOutlook(options = {}) {
  const r = await renderUnlocked(options);
  await r.user.type(screen.getByTestId('search'), 'outlook');
  await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
  await r.user.click(screen.getAllByTestId('entry-row')[0]);
  await screen.findByTestId('detail-title');
  return r;
}

const lookAlike: LoginStatus = {
  window: 1,
  entryId: 'e00002',
  state: 'not-filled',
  step: null,
  notFilled: {
    reason: 'other-origin',
    page: 'http://127.0.0.1:8081',
    sites: ['http://127.0.0.1:8080'],
    message: 'Not filled: this page is on http://127.0.0.1:8081, the entry\'s site is http://127.0.0.1:8080',
  },
  skippedFrames: 0,
};

describe('Log in (the login window)', () => {
  it('says why a page was not filled, naming both sites, in English and Chinese', () => {
    setLanguage('en');
    expect(loginStatusText(lookAlike)).toBe(
      'Not filled: this page is on http://127.0.0.1:8081, the entry\'s site is http://127.0.0.1:8080.',
    );
    setLanguage('zh-CN');
    expect(loginStatusText(lookAlike)).toBe('未填写：此页面位于 http://127.0.0.1:8081，条目的网站是 http://127.0.0.1:8080。');
    setLanguage('en');
    expect(loginStatusText({ ...lookAlike, state: 'filling', step: 'totp', notFilled: null })).toBe('Signing in: one-time code…');
  });

  it('the button and Ctrl+Enter open the login window, and its progress shows in the entry', async () => {
    const { user, backend } = await openOutlook();
    const open = vi.spyOn(backend, 'openLogin');
    await user.click(screen.getByTestId('login'));
    expect(open).toHaveBeenCalledWith('e00002');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(open).toHaveBeenCalledTimes(2);
    backend.emitLoginStatus(lookAlike);
    const status = await screen.findByTestId('login-status');
    expect(status.getAttribute('data-state')).toBe('not-filled');
    expect(status.textContent).toContain('this page is on http://127.0.0.1:8081');
    backend.emitLoginStatus({ ...lookAlike, state: 'signed-in', notFilled: null });
    await waitFor(() => expect(screen.getByTestId('login-status').textContent).toContain('Signed in.'));
  });

  it('auto-type without X11 says so and points to the login window', async () => {
    const { user } = await openOutlook();
    await user.click(screen.getByTestId('auto-type'));
    await waitFor(() => expect(document.body.textContent).toContain('Use Log in, the login window, instead.'));
  });
});
