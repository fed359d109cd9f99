import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import { renderUnlocked } from '../../test/helpers';
import { setLanguage } from '../i18n/index.svelte';

const CRM = { id: 'a', title: 'CRM', username: 'li.wei', password: 'pw', urls: ['https://crm.example.com'] };
const WITH_SETTINGS = { ...CRM, alsoFillOn: ['https://sso.example.com'], autotypeWindows: ['*CRM*'] };

async function openEditor(entry: object, language: 'en' | 'zh-CN' = 'en') {
  const r = await renderUnlocked({ entries: [entry], settings: { language } });
  await r.user.click(screen.getAllByTestId('entry-row')[0]);
  await r.user.click(await screen.findByTestId('edit-entry'));
  return r;
}

/** Types text with braces as it is (user-event reads `{` as the start of a key name). */
async function typeText(user: Awaited<ReturnType<typeof openEditor>>['user'], input: HTMLElement, text: string) {
  await user.clear(input);
  await user.click(input);
  await user.paste(text);
}

describe('login window and auto-type section of the editor', () => {
  afterEach(() => setLanguage('en'));

  it('is collapsed for an entry without settings; filled in, Rust stores them and the detail shows its form', async () => {
    const { user, backend } = await openEditor(CRM);
    const save = vi.spyOn(backend, 'saveEntry');
    expect(screen.queryByTestId('editor-autofill')).toBeNull();
    const toggle = screen.getByTestId('editor-autofill-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect((screen.getByTestId('editor-autotype-sequence') as HTMLInputElement).placeholder).toBe('{USERNAME}{TAB}{PASSWORD}{ENTER}');

    await typeText(user, screen.getByTestId('editor-also-fill-on'), 'sso.example.com/auth');
    await user.click(screen.getByTestId('editor-add-site'));
    await typeText(user, screen.getAllByTestId('editor-also-fill-on')[1], '   ');
    await typeText(user, screen.getByTestId('editor-autotype-sequence'), '{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}');
    await typeText(user, screen.getByTestId('editor-autotype-window'), ' *CRM* ');
    await user.click(screen.getByTestId('editor-save'));

    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1]).toMatchObject({
      alsoFillOn: ['sso.example.com/auth'],
      autotypeSequence: '{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}',
      autotypeWindows: ['*CRM*'],
    });
    // The detail shows what Rust stored: the site as its origin.
    await waitFor(() => expect(screen.getByTestId('detail-also-fill-on').textContent).toBe('https://sso.example.com'));
    expect(screen.getByTestId('detail-autotype-sequence').textContent?.trim()).toBe('{USERNAME}{ENTER}{DELAY 800}{PASSWORD}{ENTER}');
    expect(screen.getByTestId('detail-autotype-windows').textContent).toBe('*CRM*');
  });

  it('a malformed sequence is refused with its place: said in the UI language, marked, and selected', async () => {
    const { user, backend } = await openEditor(CRM, 'zh-CN');
    await user.click(screen.getByTestId('editor-autofill-toggle'));
    const sequence = screen.getByTestId('editor-autotype-sequence') as HTMLInputElement;
    await typeText(user, sequence, '{USERNAME}{TAB}{PASSWROD}{ENTER}');
    await user.click(screen.getByTestId('editor-save'));

    const error = await screen.findByTestId('editor-sequence-error');
    expect(error.querySelector('.error')?.textContent).toBe('自动输入序列第 16 个字符有误。');
    expect(screen.getByTestId('editor-sequence-marked').querySelector('mark')?.textContent).toBe('{');
    expect(document.activeElement).toBe(sequence);
    expect([sequence.selectionStart, sequence.selectionEnd]).toEqual([15, 16]);
    expect(sequence.getAttribute('aria-invalid')).toBe('true');
    expect(backend.entries[0].autotypeSequence).toBeNull();

    // Fixing the text takes the stale message away.
    await user.type(sequence, 'x');
    expect(screen.queryByTestId('editor-sequence-error')).toBeNull();
  });

  it('a site that is not a web address is refused with the section open and the reason in words', async () => {
    const { user } = await openEditor(CRM);
    await user.click(screen.getByTestId('editor-autofill-toggle'));
    await typeText(user, screen.getByTestId('editor-also-fill-on'), 'ftp://files.example.com');
    await user.click(screen.getByTestId('editor-autofill-toggle'));
    expect(screen.queryByTestId('editor-autofill')).toBeNull();
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(document.body.textContent).toContain('is not a web address. Write it like https://sso.example.com.'));
    expect(screen.getByTestId('editor-autofill')).toBeTruthy();
  });

  it('an entry with settings opens the section with them, and emptying the inputs clears them', async () => {
    const { user, backend } = await openEditor(WITH_SETTINGS);
    const save = vi.spyOn(backend, 'saveEntry');
    expect(screen.getByTestId('editor-autofill')).toBeTruthy();
    expect((screen.getByTestId('editor-also-fill-on') as HTMLInputElement).value).toBe('https://sso.example.com');
    expect((screen.getByTestId('editor-autotype-window') as HTMLInputElement).value).toBe('*CRM*');

    await user.clear(screen.getByTestId('editor-also-fill-on'));
    await user.clear(screen.getByTestId('editor-autotype-window'));
    await user.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0][1]).toMatchObject({ alsoFillOn: [], autotypeSequence: null, autotypeWindows: [] });
    await waitFor(() => expect(screen.queryByTestId('detail-title')).toBeTruthy());
    expect(screen.queryByTestId('detail-also-fill-on')).toBeNull();
    expect(screen.queryByTestId('detail-autotype-sequence')).toBeNull();
  });

  it('the detail says the default sequence is typed when only window patterns are set', async () => {
    const { user } = await renderUnlocked({ entries: [WITH_SETTINGS] });
    await user.click(screen.getAllByTestId('entry-row')[0]);
    expect((await screen.findByTestId('detail-autotype-sequence')).textContent?.trim()).toBe('Default (user name, Tab, password, Enter)');
    expect(screen.getByTestId('detail-also-fill-on').textContent).toBe('https://sso.example.com');
  });
});
