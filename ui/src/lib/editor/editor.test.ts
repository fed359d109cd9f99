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

    await user.click(screen.getByTestId('editor-generator'));
    const slider = (await screen.findByLabelText(/^Length/)) as HTMLInputElement;
    slider.value = '32';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() => expect(screen.getByTestId('gen-preview').textContent).toHaveLength(32));
    expect(generate).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'characters', length: 32, lower: true, upper: true, digits: true, symbols: true }));
    await user.click(screen.getByTestId('gen-use'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    expect(password.value).toHaveLength(32);
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
    await user.click(screen.getByTestId('editor-generator'));
    await screen.findByTestId('gen-preview');
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

describe('editor layout and leaving it', () => {
  it('fields come in the order people fill them: title, user name, password, website, 2FA, notes, then the rest', async () => {
    const { user } = await renderUnlocked({ entries: [] });
    await user.click(screen.getByTestId('new-entry'));
    const order = ['editor-title', 'editor-username', 'editor-password', 'editor-url', 'totp-input', 'editor-notes', 'editor-tags', 'rules-enabled', 'editor-expires-set'];
    const nodes = order.map((id) => screen.getByTestId(id));
    for (let i = 1; i < nodes.length; i++) {
      expect(nodes[i - 1].compareDocumentPosition(nodes[i]) & Node.DOCUMENT_POSITION_FOLLOWING, `${order[i - 1]} before ${order[i]}`).toBeTruthy();
    }
    // The generator waits behind its button; Save and Cancel sit in the bar at the bottom.
    expect(screen.queryByTestId('generator')).toBeNull();
    expect(screen.getByTestId('editor-buttons').contains(screen.getByTestId('editor-save'))).toBe(true);
  });

  it('an empty expiry reads "Never" until a date is asked for', async () => {
    const { user } = await renderUnlocked({ entries: [] });
    await user.click(screen.getByTestId('new-entry'));
    expect(screen.getByTestId('editor-expires-never').textContent).toBe('Never');
    expect(screen.queryByTestId('editor-expires')).toBeNull();
    await user.click(screen.getByTestId('editor-expires-set'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('editor-expires')));
    await user.click(screen.getByTestId('editor-expires-clear'));
    expect(screen.getByTestId('editor-expires-never')).toBeTruthy();
  });

  it('Ctrl+S saves from any field', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getByTestId('new-entry'));
    await user.type(screen.getByTestId('editor-title'), 'Wiki');
    await user.click(screen.getByTestId('editor-notes'));
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1].title).toBe('Wiki');
    expect((await screen.findByTestId('detail-title')).textContent).toBe('Wiki');
  });

  it('Esc after generating a password asks before discarding: Keep editing keeps it, Discard closes', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-generator'));
    await waitFor(() => expect(screen.getByTestId('gen-preview').textContent).toHaveLength(20));
    await user.click(screen.getByTestId('gen-use'));
    const password = (screen.getByTestId('editor-password') as HTMLInputElement).value;
    expect(screen.getByTestId('editor-unsaved')).toBeTruthy();

    await user.keyboard('{Escape}');
    expect(screen.getByTestId('editor-confirm-text').textContent).toBe('This entry has changes that are not saved. If you discard them, they are lost.');
    // The safe answer has the focus; Esc in the question keeps editing too.
    expect(document.activeElement).toBe(screen.getByTestId('editor-keep-editing'));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('editor-confirm-text')).toBeNull();
    expect((screen.getByTestId('editor-password') as HTMLInputElement).value).toBe(password);

    await user.click(screen.getByTestId('editor-cancel'));
    await user.click(screen.getByTestId('editor-keep-editing'));
    expect((screen.getByTestId('editor-password') as HTMLInputElement).value).toBe(password);

    await user.click(screen.getByTestId('editor-cancel'));
    await user.click(screen.getByTestId('editor-discard'));
    expect(screen.queryByTestId('editor-title')).toBeNull();
    expect(save).not.toHaveBeenCalled();
  });

  it('without changes, Cancel closes at once', async () => {
    const { user } = await renderUnlocked({ entries: [ENTRY] });
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('edit-entry'));
    await waitFor(() => expect((screen.getByTestId('editor-password') as HTMLInputElement).value).toBe('old-Secret-1'));
    await user.click(screen.getByTestId('editor-cancel'));
    expect(screen.queryByTestId('editor-title')).toBeNull();
    expect(screen.queryByTestId('editor-confirm-text')).toBeNull();
  });

  it('edit: the current password is in the field, masked, and one character can be fixed in place', async () => {
    const { user, backend } = await renderUnlocked({ entries: [ENTRY] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('edit-entry'));
    const field = screen.getByTestId('editor-password') as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe('old-Secret-1'));
    expect(field.type).toBe('password');
    expect(field.classList.contains('mono')).toBe(true);
    await user.click(screen.getByTestId('editor-password-toggle'));
    expect(field.type).toBe('text');
    await user.click(field);
    await user.keyboard('{End}{Backspace}2');
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1].password).toBe('old-Secret-2');
    await waitFor(() => expect(backend.entries[0].password).toBe('old-Secret-2'));
  });
});

describe('two-step setup in the editor', () => {
  it('shows the current code of a pasted key before saving; removing is not called "Delete"', async () => {
    const { user, backend } = await renderUnlocked({ entries: [ENTRY] });
    const pending = vi.spyOn(backend, 'pendingTotpCode');
    await user.click(screen.getAllByTestId('entry-row')[0]);
    await user.click(await screen.findByTestId('edit-entry'));
    await user.type(screen.getByTestId('totp-input'), 'JBSWY3DPEHPK3PXP');
    // No click on Use: the code shows once the key is read.
    const code = await screen.findByTestId('totp-preview-code', {}, { timeout: 3000 });
    expect(code.textContent).toMatch(/^\d{6}$/);
    expect(pending).toHaveBeenCalled();
    expect(code.textContent).toBe((await backend.pendingTotpCode(pending.mock.calls[0][0])).code);
    expect(screen.getByTestId('totp-preview-seconds').textContent).toMatch(/^\d+ seconds left$/);
    await user.click(screen.getByTestId('editor-save'));
    await screen.findByTestId('totp-code');
    await user.click(screen.getByTestId('edit-entry'));
    expect((await screen.findByTestId('totp-remove')).textContent).toBe('Remove two-step setup');
  });
});
