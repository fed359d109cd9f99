// Auto-lock: an idle vault locks by itself, drops what it showed and clears the clipboard.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshHome, removeHome } from './lib/driver.mjs';
import { addEntry, byTestId, createVault, quit, unlock, withApp } from './lib/app.mjs';
import { readClipboard } from './lib/clipboard.mjs';

const IDLE_SECONDS = 3;

test(`auto-lock: after ${IDLE_SECONDS} s without use the vault locks and the copied password leaves the clipboard`, { timeout: 60_000 }, async (t) => {
  // The vault is made with the normal idle time; the test's short one comes with the relaunch.
  const dirs = freshHome();
  t.after(() => removeHome(dirs.home));
  const password = 'Portal*Key*12';
  await withApp(t, { dirs }, async ({ browser, driver }) => {
    await createVault(browser);
    await addEntry(browser, { title: 'Partner portal', username: 'wei.li', password });
    await quit(browser, driver);
  });

  await withApp(t, { dirs, env: { CRM_VAULT_IDLE_LOCK_SECONDS: String(IDLE_SECONDS) } }, async ({ browser }) => {
    await unlock(browser);
    const unlockedAt = Date.now();
    const row = browser.$('[data-testid="entry-row"]');
    await row.waitForExist();
    await row.click();
    await byTestId(browser, 'copy-password').waitForExist();
    await byTestId(browser, 'copy-password').click();
    const copiedAt = Date.now();
    await browser.waitUntil(async () => (await readClipboard()) === password, { timeout: 3_000, timeoutMsg: 'copy did not work' });

    // Hands off: no WebDriver action on the page until it locks.
    await byTestId(browser, 'unlock-password').waitForExist({
      timeout: 15_000,
      interval: 200,
      timeoutMsg: `the vault did not lock after ${IDLE_SECONDS} s idle`,
    });
    // The page reports activity at most every 5 s, so the clock may run from the unlock or the copy.
    const sinceUnlock = (Date.now() - unlockedAt) / 1000;
    const sinceCopy = (Date.now() - copiedAt) / 1000;
    assert.ok(sinceUnlock >= IDLE_SECONDS - 0.5, `locked ${sinceUnlock} s after unlocking, before the idle time`);
    assert.ok(sinceCopy < IDLE_SECONDS + 5, `locked only ${sinceCopy} s after the last use`);
    assert.match(await browser.$('main.unlock').getText(), /Locked after a period of inactivity/);
    assert.equal((await browser.$$('[data-testid="entry-row"]')).length, 0, 'no entry stays on screen');
    assert.equal(await browser.execute(() => document.body.innerText.includes('Partner portal')), false, 'the entry title is gone from the page');
    const now = await readClipboard();
    assert.ok(now !== password, 'locking left the password on the clipboard');
  });
});

test('a vault created after a long time on the setup screen stays open: the idle clock starts at creation', { timeout: 60_000 }, (t) =>
  withApp(t, { env: { CRM_VAULT_IDLE_LOCK_SECONDS: String(IDLE_SECONDS) } }, async ({ browser }) => {
    await byTestId(browser, 'setup-create').waitForExist();
    // Reading the warning and choosing a folder takes a while; the vault does not exist yet, so
    // there is nothing to lock. (Time-based: this waits out the idle time on purpose.)
    await new Promise((r) => setTimeout(r, (IDLE_SECONDS + 1) * 1000));
    await createVault(browser);
    const createdAt = Date.now();
    // The user just chose the master password: the new vault must not lock before the idle time.
    const lockedEarly = await byTestId(browser, 'unlock-password')
      .waitForExist({ timeout: (IDLE_SECONDS - 1) * 1000, interval: 100 })
      .then(() => true)
      .catch(() => false);
    assert.equal(
      lockedEarly,
      false,
      `the new vault locked ${(Date.now() - createdAt) / 1000} s after it was created, counting idle time from the app's start`,
    );
  }));
