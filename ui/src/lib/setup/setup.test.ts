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
    expect((await screen.findByTestId('setup-error')).textContent).toMatch(/do not match/);
    expect(create).not.toHaveBeenCalled();
  });

  it('refuses a weak password and says why', async () => {
    const { user, backend } = await renderApp({ stage: 'setup' });
    const create = vi.spyOn(backend, 'createVault');
    await fill(user, 'password1', 'password1', true);
    expect((await screen.findByTestId('setup-error')).textContent).toMatch(/too easy to guess/);
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
});
