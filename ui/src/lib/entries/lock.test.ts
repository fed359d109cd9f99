import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';
import { EntriesModel } from './entries.svelte';
import { createMockBackend } from '../ipc/mock';

describe('locking', () => {
  it('on the vault-locked event, drops every entry, detail and search text', async () => {
    const { user, backend } = await renderUnlocked();
    await user.type(screen.getByTestId('search'), 'outlook');
    await waitFor(() => expect(rowTitles()).toEqual(['Outlook']));
    await user.keyboard('{Enter}');
    await user.click(await screen.findByTestId('reveal-password'));
    expect((await screen.findByTestId('password-value')).textContent?.trim()).toBe('pw-00002-Xq7!');

    backend.emitLocked('idle');

    await screen.findByTestId('unlock-password');
    expect(screen.queryAllByTestId('entry-row')).toHaveLength(0);
    expect(screen.queryByTestId('detail-title')).toBeNull();
    expect(document.body.textContent).not.toContain('pw-00002-Xq7!');
    expect(document.body.textContent).not.toContain('Outlook');
    expect(document.body.textContent).toContain('Locked after a period of inactivity.');

    await user.type(screen.getByTestId('unlock-password'), 'correct horse battery staple{Enter}');
    await screen.findByTestId('search');
    expect((screen.getByTestId('search') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('detail-title')).toBeNull();
    await waitFor(() => expect(rowTitles().length).toBe(12));
  });

  it('a "locked" error from any command also leaves the main screen', async () => {
    const { user, backend } = await renderUnlocked();
    // Rust locked on its own (say the event was missed) and refuses the command.
    vi.spyOn(backend, 'copy').mockImplementation(async () => {
      await backend.lock();
      throw { code: 'locked', message: 'the vault is locked' };
    });
    await user.keyboard('{Control>}b{/Control}');
    await screen.findByTestId('unlock-password');
  });

  it('the model forgets everything and ignores answers to requests made before', async () => {
    const backend = createMockBackend({ stage: 'unlocked' });
    const model = new EntriesModel(backend);
    await model.load();
    await model.setQuery('erp');
    await model.openDetail();
    await model.toggleReveal('password');
    const late = model.setQuery('outlook');
    model.clear();
    await late;
    expect(model.all).toEqual([]);
    expect(model.visible).toEqual([]);
    expect(model.query).toBe('');
    expect(model.detail).toBeNull();
    expect(model.revealed).toEqual({});
  });
});
