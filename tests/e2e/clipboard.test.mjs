// Copying a password: it lands on the clipboard, marked for password managers, and leaves it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEntry, byTestId, changeSettings, createVault, withApp } from './lib/app.mjs';
import { clipboardTargets, readClipboard } from './lib/clipboard.mjs';

test('copy password: the clipboard holds it, then is cleared after the chosen seconds with a notice', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    // 5 s is the shortest clear time the app accepts.
    await changeSettings(
      browser,
      async () => {
        const seconds = byTestId(browser, 'settings-clipboard');
        assert.equal(await seconds.getValue(), '20', 'the default clear time is 20 s');
        await seconds.setValue('5');
      },
      { shot: 'settings' },
    );
    const password = 'Tr0ub4dor&3-Quartal!';
    await addEntry(browser, { title: 'Salesforce', username: 'li.wei@example.com', password });

    await byTestId(browser, 'copy-username').click();
    await browser.waitUntil(async () => (await readClipboard()) === 'li.wei@example.com', {
      timeout: 5_000,
      timeoutMsg: 'copy username did not put the user name on the clipboard',
    });

    await byTestId(browser, 'copy-password').click();
    const copiedAt = Date.now();
    await browser.waitUntil(async () => (await readClipboard()) === password, {
      timeout: 3_000,
      timeoutMsg: 'the clipboard does not hold the copied password',
    });
    const toast = byTestId(browser, 'toast');
    await toast.waitForExist();
    assert.match(await toast.getText(), /5/, 'the toast says when the clipboard will be cleared');
    // Clipboard managers that honour the hint keep the password out of their history.
    assert.ok((await clipboardTargets()).includes('x-kde-passwordManagerHint'), 'the copy carries the password-manager hint');

    const notice = byTestId(browser, 'clipboard-cleared-notice');
    await notice.waitForExist({ timeout: 12_000, interval: 100, timeoutMsg: 'no "clipboard cleared" notice within 12 s' });
    const clearedAfter = (Date.now() - copiedAt) / 1000;
    assert.ok(clearedAfter >= 4.5, `cleared after ${clearedAfter} s, expected about 5 s`);
    assert.match(await notice.getText(), /clipboard/i);
    const now = await readClipboard();
    assert.ok(now === null || now === '', `the clipboard still holds ${JSON.stringify(now)} after clearing`);
  }));
