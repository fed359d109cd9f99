import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked, rowTitles } from '../../test/helpers';

const ENTRY = {
  id: 'a',
  title: 'CRM',
  username: 'li.wei',
  password: 'old-Secret-1',
  urls: ['https://crm.example.com'],
  tags: ['crm'],
  fields: [{ name: 'PIN', value: '4711', hidden: true }],
};

describe('entry editor', () => {
  it('editing the title only sends a null password and a null hidden field', async () => {
    const { user, backend } = await renderUnlocked({ entries: [ENTRY] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('edit-entry'));
    const title = screen.getByTestId('editor-title');
    await user.clear(title);
    await user.type(title, 'Company CRM');
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0]).toEqual([
      'a',
      {
        title: 'Company CRM',
        username: 'li.wei',
        password: null,
        urls: ['https://crm.example.com'],
        notes: '',
        tags: ['crm'],
        fields: [{ name: 'PIN', value: null, hidden: true }],
        rules: null,
        expires: null,
        alsoFillOn: [],
        autotypeSequence: null,
        autotypeWindows: [],
        totp: { action: 'keep' },
      },
    ]);
    await waitFor(() => expect(screen.getByTestId('detail-title').textContent).toBe('Company CRM'));
    expect(backend.entries[0].password).toBe('old-Secret-1');
    expect(backend.entries[0].fields[0].value).toBe('4711');
  });

  it('a new entry: fields, tags as chips, generated password with strength', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const save = vi.spyOn(backend, 'saveEntry');
    const generate = vi.spyOn(backend, 'generatePassword');
    await user.click(screen.getByTestId('new-entry'));
    expect(document.activeElement).toBe(screen.getByTestId('editor-title'));
    await user.type(screen.getByTestId('editor-title'), 'Partner portal');
    await user.type(screen.getByTestId('editor-username'), 'li.wei@example.com');
    await user.type(screen.getByTestId('editor-url'), 'https://partners.example.com');
    await user.type(screen.getByTestId('editor-notes'), 'Ask Mr Zhang');
    await user.type(screen.getByTestId('editor-tags'), 'partner{Enter}vip，east{Enter}');
    expect(screen.getAllByText(/^(partner|vip|east)$/).length).toBe(3);
    await user.type(screen.getByTestId('editor-tags'), '{Backspace}');
    expect(screen.queryByText('east')).toBeNull();

    const slider = screen.getByLabelText(/^Length/) as HTMLInputElement;
    slider.value = '32';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await user.click(screen.getByTestId('editor-generate'));
    expect(generate).toHaveBeenCalledWith(expect.objectContaining({ kind: 'characters', length: 32, lower: true, upper: true, digits: true, symbols: true }));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    await waitFor(() => expect(password.value).toHaveLength(32));
    expect(password.type).toBe('text');
    await waitFor(() => expect(screen.getAllByTestId('strength')[0].textContent).toContain('Strength: very strong'));

    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0]).toEqual([
      null,
      {
        title: 'Partner portal',
        username: 'li.wei@example.com',
        password: password.value,
        urls: ['https://partners.example.com'],
        notes: 'Ask Mr Zhang',
        tags: ['partner', 'vip'],
        fields: [],
        rules: null,
        expires: null,
        alsoFillOn: [],
        autotypeSequence: null,
        autotypeWindows: [],
        totp: { action: 'keep' },
      },
    ]);
    await waitFor(() => expect(rowTitles()).toEqual(['Partner portal']));
    expect(screen.getByTestId('detail-title').textContent).toBe('Partner portal');
  });

  it('unticking every character class disables the generator', async () => {
    const { user } = await renderUnlocked({ entries: [] });
    await user.click(screen.getByTestId('new-entry'));
    for (const id of ['gen-lower', 'gen-upper', 'gen-digits', 'gen-symbols']) await user.click(screen.getByTestId(id));
    expect((screen.getByTestId('editor-generate') as HTMLButtonElement).disabled).toBe(true);
    expect(document.body.textContent).toContain('Choose at least one kind of character.');
  });

  it('a title is required', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-save'));
    expect(screen.getByTestId('editor-error').textContent).toBe('Give the entry a title.');
    expect(save).not.toHaveBeenCalled();
  });
});
