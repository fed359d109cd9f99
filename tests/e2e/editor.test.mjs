// The entry editor as a salesperson uses it: fields in the order they are filled, the generator in
// a popover (Use and Copy), Ctrl+S, a question before a generated password is thrown away, the
// current password fixed in place, and the live code while setting up two-step sign-in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEntry, byTestId, createVault, dismissToast, screenshot, withApp } from './lib/app.mjs';
import { readClipboard } from './lib/clipboard.mjs';
import { totp } from './lib/totp.mjs';

// RFC 6238's SHA-1 test secret, "12345678901234567890".
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Whether each element (by test id) comes after the one before it in the page. */
async function inPageOrder(browser, ids) {
  return browser.execute((list) => {
    const nodes = list.map((id) => document.querySelector(`[data-testid="${id}"]`));
    const missing = list.filter((_, i) => !nodes[i]);
    if (missing.length) return `missing: ${missing.join(', ')}`;
    for (let i = 1; i < nodes.length; i++) {
      if (!(nodes[i - 1].compareDocumentPosition(nodes[i]) & Node.DOCUMENT_POSITION_FOLLOWING)) return `${list[i]} is not after ${list[i - 1]}`;
    }
    return 'ok';
  }, ids);
}

/** Opens the generator popover and waits for its password; returns it as shown. */
async function openGenerator(browser) {
  await byTestId(browser, 'editor-generator').click();
  const preview = byTestId(browser, 'gen-preview');
  await preview.waitForExist({ timeoutMsg: 'the generator popover showed no password' });
  let shown = '';
  await browser.waitUntil(async () => (shown = await preview.getProperty('textContent')) !== '', { timeoutMsg: 'empty generated password' });
  return shown;
}

test('editor: fields in order, generator popover Use and Copy, Ctrl+S saves, the password is fixed in place', { timeout: 120_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await byTestId(browser, 'new-entry').click();
    await byTestId(browser, 'editor-title').waitForExist();
    assert.equal(
      await inPageOrder(browser, ['editor-title', 'editor-username', 'editor-password', 'editor-url', 'totp-input', 'editor-notes', 'editor-tags', 'editor-expires-set']),
      'ok',
      'title, user name, password, website, 2FA, notes, then the rest',
    );
    // No expiry reads "Never", not a grey date that looks set.
    assert.equal(await byTestId(browser, 'editor-expires-never').getText(), 'Never');
    assert.equal(await byTestId(browser, 'generator').isExisting(), false, 'the generator waits behind its button');
    // The password field is in a monospace font.
    const font = await browser.execute(() => getComputedStyle(document.querySelector('[data-testid="editor-password"]')).fontFamily);
    assert.match(font, /mono/i, `password font: ${font}`);

    await byTestId(browser, 'editor-title').setValue('Salesforce');
    await byTestId(browser, 'editor-username').setValue('li.wei@example.com');
    const generated = await openGenerator(browser);
    assert.equal(generated.length, 20, `default length 20: "${generated}"`);
    // Copy: for the site's change-password form, before the entry is saved.
    await byTestId(browser, 'gen-copy').click();
    await browser.waitUntil(async () => (await readClipboard()) === generated, { timeout: 5_000, timeoutMsg: 'Copy did not put the generated password on the clipboard' });
    await screenshot(browser, 'editor-generator');
    await byTestId(browser, 'gen-use').click();
    assert.equal(await byTestId(browser, 'editor-password').getValue(), generated, 'Use puts the password in the field');
    assert.equal(await byTestId(browser, 'generator').isExisting(), false, 'Use closes the popover');
    await byTestId(browser, 'editor-url').setValue('https://example.my.salesforce.com');

    // The Save bar is on screen without scrolling, and Ctrl+S saves.
    const saveOnScreen = await browser.execute(() => {
      const r = document.querySelector('[data-testid="editor-save"]').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.equal(saveOnScreen, true, 'Save is on screen without scrolling');
    await dismissToast(browser);
    await byTestId(browser, 'editor-notes').click();
    await browser.keys(['Control', 's']);
    await browser.waitUntil(async () => (await byTestId(browser, 'detail-title').isExisting()) && (await byTestId(browser, 'detail-title').getText()) === 'Salesforce', {
      timeoutMsg: 'Ctrl+S did not save the entry',
    });
    await byTestId(browser, 'reveal-password').click();
    await browser.waitUntil(async () => (await byTestId(browser, 'password-value').getText()) === generated, { timeoutMsg: 'the saved password is not the generated one' });

    // Edit: the current password is in the field, masked; one character is fixed in place.
    await byTestId(browser, 'edit-entry').click();
    const field = byTestId(browser, 'editor-password');
    await browser.waitUntil(async () => (await field.getValue()) === generated, { timeoutMsg: 'the current password was not in the field' });
    assert.equal(await field.getAttribute('type'), 'password', 'masked until shown');
    const fixed = generated.slice(0, -1) + (generated.endsWith('x') ? 'y' : 'x');
    await field.click();
    await browser.keys(['End', 'Backspace', fixed.slice(-1)]);
    assert.equal(await field.getValue(), fixed);
    await browser.keys(['Control', 's']);
    await byTestId(browser, 'editor-save').waitForExist({ reverse: true, timeoutMsg: 'the edit was not saved' });
    // The entry view is drawn again after the save: a click that lands while it is replaced is tried again.
    await browser.waitUntil(
      async () => {
        if ((await byTestId(browser, 'password-value').getText()) === fixed) return true;
        const reveal = byTestId(browser, 'reveal-password');
        if ((await reveal.getAttribute('aria-pressed')) !== 'true') await reveal.click().catch(() => {});
        return false;
      },
      { timeoutMsg: 'the fixed password was not saved' },
    );
  }));

test('editor: Esc after generating asks before discarding; without changes it closes at once', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await addEntry(browser, { title: 'ERP', username: 'li', password: 'Violet-Canyon-Maple-Falcon-93' });
    await dismissToast(browser);

    // Without changes, Esc closes the editor at once.
    await byTestId(browser, 'edit-entry').click();
    await browser.waitUntil(async () => (await byTestId(browser, 'editor-password').getValue()) !== '', { timeoutMsg: 'no current password' });
    await browser.keys('Escape');
    await byTestId(browser, 'editor-title').waitForExist({ reverse: true, timeoutMsg: 'Esc without changes did not close the editor' });

    await byTestId(browser, 'edit-entry').click();
    await byTestId(browser, 'editor-title').waitForExist();
    const generated = await openGenerator(browser);
    await byTestId(browser, 'gen-use').click();
    await browser.keys('Escape');
    const question = byTestId(browser, 'editor-confirm-text');
    await question.waitForExist({ timeoutMsg: 'Esc threw the generated password away without asking' });
    await screenshot(browser, 'editor-discard');
    // Keep editing: the generated password is still there.
    await byTestId(browser, 'editor-keep-editing').click();
    await question.waitForExist({ reverse: true });
    assert.equal(await byTestId(browser, 'editor-password').getValue(), generated);
    // Discard: the editor closes and the old password stays.
    await browser.keys('Escape');
    await byTestId(browser, 'editor-discard').click();
    await byTestId(browser, 'editor-title').waitForExist({ reverse: true, timeoutMsg: 'Discard did not close the editor' });
    await byTestId(browser, 'reveal-password').click();
    await browser.waitUntil(async () => (await byTestId(browser, 'password-value').getText()) === 'Violet-Canyon-Maple-Falcon-93', {
      timeoutMsg: 'the discarded password was saved',
    });
  }));

test('editor: 2FA setup shows the current RFC 6238 code before saving', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await byTestId(browser, 'new-entry').click();
    await byTestId(browser, 'editor-title').setValue('Mail');
    // Typed, not yet "Use"d: the code shows as soon as the key is read.
    await byTestId(browser, 'totp-input').setValue(SECRET);
    const code = byTestId(browser, 'totp-preview-code');
    await code.waitForExist({ timeoutMsg: 'no live code while setting up 2FA' });
    const seconds = byTestId(browser, 'totp-preview-seconds');
    await browser.waitUntil(async () => Number((await seconds.getText()).match(/\d+/)?.[0] ?? 0) > 3, {
      timeout: 8_000,
      timeoutMsg: 'the countdown never showed more than 3 s left',
    });
    const at = Date.now();
    const shown = await code.getText();
    assert.equal(shown, totp(SECRET, at), 'the preview is RFC 6238\'s code for now');
    await screenshot(browser, 'editor-totp');

    await byTestId(browser, 'editor-save').click();
    await byTestId(browser, 'totp-code').waitForExist({ timeoutMsg: 'the saved entry has no code' });
    // Removing the setup is not labelled like deleting the entry.
    await byTestId(browser, 'edit-entry').click();
    assert.equal(await byTestId(browser, 'totp-remove').getText(), 'Remove two-step setup');
  }));
