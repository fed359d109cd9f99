import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';

const ENTRIES = [
  { id: 'erp', title: 'ERP', username: 'li', password: 'Shared-Long-Password-77' },
  { id: 'mail', title: 'Mail', username: 'li', password: 'Shared-Long-Password-77' },
];

describe('generator', () => {
  it('makes passphrases, shows the entropy, and remembers the options for the next entry', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const generate = vi.spyOn(backend, 'generatePassword');
    await user.click(screen.getByTestId('new-entry'));
    await user.click(await screen.findByTestId('gen-kind-passphrase'));
    const words = screen.getByTestId('gen-words');
    await user.clear(words);
    await user.type(words, '4');
    await user.clear(screen.getByTestId('gen-separator'));
    await user.type(screen.getByTestId('gen-separator'), '.');
    await user.click(screen.getByTestId('gen-capitalise'));
    await user.click(screen.getByTestId('editor-generate'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    await waitFor(() => expect(password.value.split('.')).toHaveLength(4));
    expect(password.value).toMatch(/^([A-Z][a-z]+\.){3}[A-Z][a-z]+$/);
    expect(generate).toHaveBeenCalledWith(expect.objectContaining({ kind: 'passphrase', words: 4, separator: '.', capitalise: true }));
    expect(screen.getByTestId('gen-entropy').textContent).toBe('About 52 bits of entropy');

    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('new-entry'));
    await waitFor(() => expect((screen.getByTestId('gen-kind-passphrase') as HTMLInputElement).checked).toBe(true));
    expect((screen.getByTestId('gen-words') as HTMLInputElement).value).toBe('4');
  });

  it('characters: custom symbols and no look-alikes', async () => {
    const { user, backend } = await renderUnlocked({ entries: [] });
    const generate = vi.spyOn(backend, 'generatePassword');
    await user.click(screen.getByTestId('new-entry'));
    const set = await screen.findByTestId('gen-symbol-set');
    await user.clear(set);
    await user.type(set, '#@');
    await user.click(screen.getByTestId('gen-exclude-similar'));
    await user.click(screen.getByTestId('editor-generate'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    await waitFor(() => expect(password.value).toHaveLength(20));
    expect(password.value).toMatch(/^[A-Za-z0-9#@]+$/);
    expect(password.value).not.toMatch(/[Il1O0o]/);
    expect(generate).toHaveBeenCalledWith(expect.objectContaining({ symbolSet: '#@', excludeSimilar: true }));
    await user.clear(set);
    await user.type(set, 'ab');
    await user.click(screen.getByTestId('editor-generate'));
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
    expect(screen.getByTestId('generator-follows-rules')).toBeTruthy();
    await user.click(screen.getByTestId('editor-generate'));
    const password = screen.getByTestId('editor-password') as HTMLInputElement;
    await waitFor(() => expect(password.value).toMatch(/^[A-Za-z0-9#]{12}$/));
    await waitFor(() => expect(screen.queryByTestId('rule-breaks')).toBeNull());
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
