import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderApp } from '../../test/helpers';

const GOOD = 'Harbour lantern 7 quietly folds';

async function fill(user: Awaited<ReturnType<typeof renderApp>>['user'], password: string, confirm: string, understand: boolean) {
  await user.type(screen.getByTestId('setup-password'), password);
  await user.type(screen.getByTestId('setup-confirm'), confirm);
  if (understand) await user.click(screen.getByTestId('setup-understand'));
  await user.click(screen.getByTestId('setup-create'));
}

describe('first run', () => {
  it('shows the default location and focuses the password', async () => {
    await renderApp({ stage: 'setup' });
    expect((screen.getByTestId('setup-path') as HTMLInputElement).value).toBe('/home/sales/Documents/CRM Vault/vault.crmv');
    expect(document.activeElement).toBe(screen.getByTestId('setup-password'));
  });

  it('refuses two different passwords', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const create = vi.spyOn(backend, 'createVault');
    await fill(user, GOOD, GOOD + 'x', true);
    expect(screen.getByTestId('setup-confirm-error').textContent).toMatch(/do not match/);
    expect(document.activeElement).toBe(screen.getByTestId('setup-confirm'));
    expect(create).not.toHaveBeenCalled();
  });

  it('refuses a weak password and says why', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const create = vi.spyOn(backend, 'createVault');
    await fill(user, 'password1', 'password1', true);
    await waitFor(() => expect(screen.getByTestId('setup-password-error').textContent).toMatch(/too easy to guess/));
    // The meter gives the translated zxcvbn warning.
    expect(screen.getByTestId('strength').textContent).toContain('This is a commonly used password.');
    expect(create).not.toHaveBeenCalled();
  });

  it('requires ticking the "cannot be recovered" warning', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const create = vi.spyOn(backend, 'createVault');
    await fill(user, GOOD, GOOD, false);
    expect((await screen.findByTestId('setup-error')).textContent).toMatch(/cannot be recovered/);
    expect(create).not.toHaveBeenCalled();
  });

  it('creates the vault where the user chose and opens it', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const create = vi.spyOn(backend, 'createVault');
    await user.click(screen.getByRole('button', { name: 'Choose location…' }));
    await waitFor(() => expect((screen.getByTestId('setup-path') as HTMLInputElement).value).toContain('OneDrive'));
    await fill(user, GOOD, GOOD, true);
    await screen.findByTestId('search');
    expect(create).toHaveBeenCalledWith('/home/sales/OneDrive/CRM Vault/vault.crmv', GOOD);
  });

  it('opens an existing vault file', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const open = vi.spyOn(backend, 'openVault');
    await user.click(screen.getByTestId('open-existing'));
    await screen.findByTestId('unlock-password');
    expect(open).toHaveBeenCalledWith('/home/sales/OneDrive/vault.crmv');
  });

  it('says a mismatch at the repeat field while typing, before Create is pressed', async () => {
    const { user } = await renderApp({ stage: 'setup' });
    await user.type(screen.getByTestId('setup-password'), GOOD);
    // A repeat that is still the start of the password is not yet wrong.
    await user.type(screen.getByTestId('setup-confirm'), 'Harbour');
    expect(screen.getByTestId('setup-confirm-error').textContent?.trim()).toBe('');
    await user.type(screen.getByTestId('setup-confirm'), 'X');
    expect(screen.getByTestId('setup-confirm-error').textContent).toMatch(/do not match/);
    expect(screen.getByTestId('setup-confirm').getAttribute('aria-invalid')).toBe('true');
    await user.clear(screen.getByTestId('setup-confirm'));
    await user.type(screen.getByTestId('setup-confirm'), GOOD);
    expect(screen.getByTestId('setup-confirm-error').textContent).toMatch(/match/);
    expect(screen.getByTestId('setup-confirm-error').textContent).not.toMatch(/do not/);
  });

  it('"too easy to guess" goes as soon as a strong password is typed, with no button pressed', async () => {
    const { user } = await renderApp({ stage: 'setup' });
    await user.type(screen.getByTestId('setup-password'), 'password1');
    await user.tab();
    await waitFor(() => expect(screen.getByTestId('setup-password-error').textContent).toMatch(/too easy to guess/));
    await user.clear(screen.getByTestId('setup-password'));
    await user.type(screen.getByTestId('setup-password'), GOOD);
    await waitFor(() => expect(screen.getByTestId('strength').textContent).toMatch(/Strength: (very )?strong/));
    expect(screen.getByTestId('setup-password-error').textContent?.trim()).toBe('');
  });

  it('shows and hides each master password field with a labelled toggle', async () => {
    const { user } = await renderApp({ stage: 'setup' });
    for (const id of ['setup-password', 'setup-confirm']) {
      const field = screen.getByTestId(id) as HTMLInputElement;
      const toggle = screen.getByTestId(`${id}-show`);
      expect(toggle.textContent).toBe('Show');
      expect(toggle.getAttribute('aria-pressed')).toBe('false');
      expect(field.type).toBe('password');
      await user.click(toggle);
      expect(toggle.getAttribute('aria-pressed')).toBe('true');
      expect(field.type).toBe('text');
      await user.click(toggle);
      expect(field.type).toBe('password');
    }
  });

  it('the language menu has a visible label', async () => {
    await renderApp({ stage: 'setup' });
    const menu = screen.getByRole('combobox', { name: 'Language' });
    const label = menu.closest('label');
    expect(label?.textContent).toContain('Language');
    expect(label?.querySelector('.sr-only')).toBeNull();
  });

  it('after "Open existing vault…" the focus is not left on the button', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    vi.spyOn(backend, 'chooseVaultFile').mockResolvedValueOnce(null);
    await user.click(screen.getByTestId('open-existing'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('setup-password')));
  });
});
