import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';

const ENTRIES = [
  { id: 'erp', title: 'ERP', username: 'li', password: 'Shared-Long-Password-77' },
  { id: 'mail', title: 'Mail', username: 'li', password: 'Shared-Long-Password-77' },
];

/** The generator popover's password, as shown. */
function preview(): string {
  return screen.getByTestId('gen-preview').textContent ?? '';
}

describe('generator', () => {
  it('opens from the password field; Use puts the shown password in, Copy puts it on the clipboard', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const copy = vi.spyOn(backend, 'copyUnsaved');
    await user.click(screen.getByTestId('new-entry'));
    expect(screen.queryByTestId('generator')).toBeNull();
    const open = screen.getByTestId('editor-generator');
    await user.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    await waitFor(() => expect(preview()).toHaveLength(20));
    // Use is where the keyboard is: Enter takes the password.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('gen-use')));
    const shown = preview();
    await user.click(screen.getByTestId('gen-copy'));
    await waitFor(() => expect(copy).toHaveBeenCalledWith(shown));
    expect(backend.clipboard).toBe(shown);
    expect(await screen.findByText(/^Password copied\. The clipboard clears in/)).toBeTruthy();
    await user.click(screen.getByTestId('gen-use'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    expect(password.value).toBe(shown);
    expect(password.type).toBe('text');
    expect(screen.queryByTestId('generator')).toBeNull();
    expect(document.activeElement).toBe(open);
  });

  it('Esc closes the popover only, and the field keeps what it had', async () => {
    const { user } = await renderUnlocked({ entries: [] });
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-generator'));
    await waitFor(() => expect(preview()).not.toBe(''));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('generator')).toBeNull();
    expect(screen.getByTestId('editor-title')).toBeTruthy();
    expect((screen.getByTestId('editor-password') as HTMLInputElement).value).toBe('');
  });

  it('makes passphrases, the entropy follows the kind, and the options are remembered for the next entry', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const generate = vi.spyOn(backend, 'generatePassword');
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-generator'));
    await waitFor(() => expect(preview()).toHaveLength(20));
    const characters = screen.getByTestId('gen-entropy').textContent;
    await user.click(await screen.findByTestId('gen-kind-passphrase'));
    // Switching the kind makes a passphrase at once, with its own entropy.
    await waitFor(() => expect(preview()).toMatch(/^[a-z]+(-[a-z]+)+$/));
    expect(screen.getByTestId('gen-entropy').textContent).not.toBe(characters);
    const words = screen.getByTestId('gen-words');
    await user.clear(words);
    await user.type(words, '4');
    await user.clear(screen.getByTestId('gen-separator'));
    await user.type(screen.getByTestId('gen-separator'), '.');
    await user.click(screen.getByTestId('gen-capitalise'));
    await waitFor(() => expect(preview()).toMatch(/^([A-Z][a-z]+\.){3}[A-Z][a-z]+$/));
    expect(generate).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'passphrase', words: 4, separator: '.', capitalise: true }));
    expect(screen.getByTestId('gen-entropy').textContent).toBe('About 52 bits of entropy');
    await user.click(screen.getByTestId('gen-use'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    expect(password.value.split('.')).toHaveLength(4);

    await user.click(screen.getByTestId('editor-cancel'));
    await user.click(await screen.findByTestId('editor-discard'));
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-generator'));
    await waitFor(() => expect((screen.getByTestId('gen-kind-passphrase') as HTMLInputElement).checked).toBe(true));
    expect((screen.getByTestId('gen-words') as HTMLInputElement).value).toBe('4');
  });

  it('characters: custom symbols and no look-alikes', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const generate = vi.spyOn(backend, 'generatePassword');
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('editor-generator'));
    const set = await screen.findByTestId('gen-symbol-set');
    await user.clear(set);
    await user.type(set, '#@');
    await user.click(screen.getByTestId('gen-exclude-similar'));
    await waitFor(() => expect(generate).toHaveBeenLastCalledWith(expect.objectContaining({ symbolSet: '#@', excludeSimilar: true })));
    await waitFor(() => expect(preview()).toMatch(/^[A-Za-z0-9#@]{20}$/));
    expect(preview()).not.toMatch(/[Il1O0o]/);
    await user.clear(set);
    await user.type(set, 'ab');
    expect((await screen.findByTestId('generator-error')).textContent).toBe('The symbol set may only hold symbols: no letters, digits or spaces.');
  });
});

describe('password checks in the editor', () => {
  it('flags a password another entry uses, by title, and a weak one, before saving', async () => {
    const { user, backend } = await renderUnlocked({ entries: ENTRIES });
    const check = vi.spyOn(backend, 'checkPassword');
    await user.click(screen.getByTestId('new-entry'));
    await user.type(screen.getByTestId('editor-title'), 'CRM');
    await user.type(screen.getByTestId('editor-password'), 'Shared-Long-Password-77');
    expect((await screen.findByTestId('reuse-warning')).textContent).toBe('Also used by ERP, Mail. Use a different password for every system.');
    // Only this entry's own fields go to Rust; other entries' passwords never come back.
    expect(check).toHaveBeenLastCalledWith({ id: null, password: 'Shared-Long-Password-77', title: 'CRM', username: '', urls: [], rules: null });
    await user.clear(screen.getByTestId('editor-password'));
    await user.type(screen.getByTestId('editor-password'), 'password1');
    await screen.findByTestId('weak-warning');
    await waitFor(() => expect(screen.queryByTestId('reuse-warning')).toBeNull());
    expect(screen.getByTestId('password-issue').textContent).toContain('One of the most common passwords');
  });

  it('rules: breaks are listed, generating follows them, and they are saved with the entry', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const save = vi.spyOn(backend, 'saveEntry');
    await user.click(screen.getByTestId('new-entry'));
    await user.type(screen.getByTestId('editor-title'), 'Bank');
    await user.click(screen.getByTestId('rules-enabled'));
    const max = screen.getByTestId('rules-max');
    await user.clear(max);
    await user.type(max, '12');
    await user.clear(screen.getByTestId('rules-symbols'));
    await user.type(screen.getByTestId('rules-symbols'), '#');
    await user.click(screen.getByTestId('rules-require-symbols'));
    await user.type(screen.getByTestId('editor-password'), 'abc$');
    const breaks = await screen.findByTestId('rule-breaks');
    await waitFor(() =>
      expect([...breaks.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
        'Too short: at least 8 characters.',
        'Needs an upper-case letter.',
        'Needs a digit.',
        'Needs one of the accepted symbols.',
        '"$" is not accepted by this system.',
      ]),
    );
    await user.click(screen.getByTestId('editor-generator'));
    expect(screen.getByTestId('generator-follows-rules')).toBeTruthy();
    await waitFor(() => expect(preview()).toMatch(/^[A-Za-z0-9#]{12}$/));
    await user.click(screen.getByTestId('gen-use'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    expect(password.value).toMatch(/^[A-Za-z0-9#]{12}$/);
    await waitFor(() => expect(screen.queryByTestId('rule-breaks')).toBeNull());
    await user.click(screen.getByTestId('editor-expires-set'));
    await user.type(screen.getByTestId('editor-expires'), '2027-03-31');
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1]).toMatchObject({
      rules: { minLength: 8, maxLength: 12, symbols: '#', required: { lower: true, upper: true, digits: true, symbols: true } },
      expires: '2027-03-31',
    });
    expect((await screen.findByTestId('detail-expires')).textContent).toBe('Mar 31, 2027');
  });

  it('contradictory rules say what is wrong', async () => {
    const { user } = await renderUnlocked({ entries: [] });
    await user.click(screen.getByTestId('new-entry'));
    await user.click(screen.getByTestId('rules-enabled'));
    await user.clear(screen.getByTestId('rules-symbols'));
    await user.click(screen.getByTestId('rules-require-symbols'));
    expect((await screen.findByTestId('rules-error')).textContent).toBe(
      'Symbols are required, but no symbols are allowed: list the symbols the system accepts.',
    );
  });
});
