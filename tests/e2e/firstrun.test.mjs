// First run and unlock in the real window: the setup form fits the window, the focus after the
// "open another vault" file dialog, and settings that are kept however the dialog is closed.
// The file dialog is replaced by CRM_VAULT_E2E_PICK (the end-to-end build names the file), and
// each dialog opened is noted in CRM_VAULT_E2E_DIALOG_LOG.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, byTestId, createVault, lock, screenshot, withApp } from './lib/app.mjs';

/** The data-testid of the focused element. */
function focused(browser) {
  return browser.execute(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
}

/** The `data-kind` of every activity row, newest first. */
function activityKinds(browser) {
  return browser.execute(() => [...document.querySelectorAll('[data-testid="activity-row"]')].map((el) => el.dataset.kind));
}

test('the setup form, Create button included, fits the window without scrolling', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await byTestId(browser, 'setup-create').waitForExist();
    const fits = () =>
      browser.execute(() => {
        const button = document.querySelector('[data-testid="setup-create"]').getBoundingClientRect();
        return { bottom: button.bottom, height: window.innerHeight, scrolled: document.scrollingElement.scrollTop };
      });
    const at1100 = await fits();
    assert.ok(at1100.bottom <= at1100.height, `Create ends at ${at1100.bottom} px in a ${at1100.height} px window`);
    // Typing a password (hints appear) moves nothing below it.
    const before = await byTestId(browser, 'setup-confirm').getLocation('y');
    await byTestId(browser, 'setup-password').setValue('password1');
    await browser.waitUntil(async () => /Strength/.test(await byTestId(browser, 'strength').getText()), { timeoutMsg: 'the meter said nothing' });
    await byTestId(browser, 'setup-confirm').click();
    await browser.waitUntil(async () => /too easy/.test(await byTestId(browser, 'setup-password-error').getText()), {
      timeoutMsg: '"too easy to guess" was not said at the field',
    });
    assert.equal(await byTestId(browser, 'setup-confirm').getLocation('y'), before, 'the repeat field did not move');
    await byTestId(browser, 'setup-password').setValue('Harbour lantern 7 quietly folds');
    await browser.waitUntil(async () => (await byTestId(browser, 'setup-password-error').getText()).trim() === '', {
      timeoutMsg: '"too easy to guess" stayed after a strong password',
    });
    await screenshot(browser, 'setup-fits');

    // 800x600, where the window manager lets us: Create is still on screen.
    try {
      await browser.setWindowSize(800, 600);
    } catch {
      t.diagnostic('this driver cannot resize the window; 800x600 not checked');
      return;
    }
    const small = await fits();
    if (small.height <= 620) assert.ok(small.bottom <= small.height, `Create ends at ${small.bottom} px in a ${small.height} px window`);
  }));

test('after "Open a different vault…" a master password with spaces unlocks once and opens no other dialog', { timeout: 90_000 }, (t) => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-firstrun-'));
  const vaultPath = path.join(scratch, 'team.crmvault');
  const dialogs = path.join(scratch, 'dialogs.log');
  const env = { CRM_VAULT_E2E_PICK: vaultPath, CRM_VAULT_E2E_DIALOG_LOG: dialogs };
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  return withApp(t, { env }, async ({ browser }) => {
    // MASTER_PASSWORD has spaces: each one would press a focused link.
    assert.match(MASTER_PASSWORD, / /);
    await createVault(browser, { path: vaultPath });
    await lock(browser);

    await byTestId(browser, 'open-other').click();
    await browser.waitUntil(async () => (await focused(browser)) === 'unlock-password', {
      timeoutMsg: 'after the file dialog the focus did not come back to the master password',
    });
    assert.equal(readFileSync(dialogs, 'utf8').trim().split('\n').length, 1, 'one dialog for one click');

    // Typed where the focus is, as a user does: not into a field the test picks.
    // Sent to whatever element has the focus (WebDriver's key actions drop repeated keys in
    // WebKitWebDriver, so elementSendKeys on the active element stands in for the keyboard).
    await browser.$(await browser.getActiveElement()).addValue(MASTER_PASSWORD);
    assert.equal(await byTestId(browser, 'unlock-password').getValue(), MASTER_PASSWORD, 'every key typed went into the master password field');
    await browser.keys('Enter');
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'the vault did not unlock' });
    assert.equal(readFileSync(dialogs, 'utf8').trim().split('\n').length, 1, 'typing the password opened no further dialog');

    await byTestId(browser, 'activity-open').click();
    await byTestId(browser, 'activity-view').waitForExist({ timeoutMsg: 'the Activity view did not open' });
    await browser.waitUntil(async () => (await activityKinds(browser)).includes('unlock'), { timeoutMsg: 'no unlock in the activity' });
    const kinds = await activityKinds(browser);
    assert.equal(kinds.filter((k) => k === 'unlock').length, 1, `exactly one unlock: ${kinds}`);
    assert.equal(kinds.filter((k) => k === 'unlock-failed').length, 0, `no failed attempt: ${kinds}`);
    assert.equal(existsSync(dialogs), true);
  });
});

test('settings are applied at once and survive closing the dialog with Esc', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await byTestId(browser, 'settings-open').click();
    const seconds = byTestId(browser, 'settings-clipboard');
    await seconds.waitForExist();
    await byTestId(browser, 'settings-theme').selectByAttribute('value', 'dark');
    // Typed, then Esc straight away: no Save button, nothing to forget.
    await seconds.setValue('45');
    await browser.keys('Escape');
    await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'the settings dialog did not close on Esc' });
    assert.equal(await browser.execute(() => document.documentElement.dataset.theme), 'dark', 'Esc did not take the theme back');

    await byTestId(browser, 'settings-open').click();
    await byTestId(browser, 'settings-clipboard').waitForExist();
    await browser.waitUntil(async () => (await byTestId(browser, 'settings-clipboard').getValue()) === '45', {
      timeoutMsg: 'the clear time typed before Esc was not kept',
    });
    assert.equal(await byTestId(browser, 'settings-theme').getValue(), 'dark');
    const saves = await browser.execute(() => [...document.querySelectorAll('[role="dialog"] button')].filter((b) => /Save/.test(b.textContent)).length);
    assert.equal(saves, 0, 'no Save button');
    await browser.keys('Escape');
  }));
