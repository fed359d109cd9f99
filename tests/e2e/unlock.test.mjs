// Unlocking: after a restart, with a wrong password, and quick unlock with a PIN through the real
// gnome-keyring (wrong PINs, a reboot and expiry end it; stale device keys leave the keyring).

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  MASTER_PASSWORD,
  QUICK_UNLOCK_PIN,
  addEntry,
  byTestId,
  createVault,
  launch,
  lock,
  openEntry,
  quit,
  rowTitles,
  screenshot,
  typeMasterPassword,
  unlock,
  waitForRows,
  withApp,
} from './lib/app.mjs';
import { freshHome, removeHome } from './lib/driver.mjs';
import { SESSION_COLLECTION, deviceKeyItems, quickUnlockRecord, settingsFile } from './lib/keyring.mjs';

test('quit and relaunch: the unlock screen opens the saved vault with the master password', { timeout: 60_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    await createVault(session.browser);
    const password = await addEntry(session.browser, { title: 'Outlook', username: 'li.wei@example.com', password: 'Mail-Box-99!' });
    await quit(session.browser, driver);

    session.browser = await launch(driver);
    const browser = session.browser;
    const input = byTestId(browser, 'unlock-password');
    await input.waitForExist({ timeoutMsg: 'a relaunch did not show the unlock screen' });
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'unlock-password', 'the password field has focus');
    assert.match(await browser.$('main.unlock').getText(), /vault/, 'the unlock screen names the vault');
    await screenshot(browser, 'unlock');

    await unlock(browser);
    await waitForRows(browser, ['Outlook'], 'the entry saved before quitting is there');
    await openEntry(browser, 'Outlook');
    await byTestId(browser, 'reveal-password').click();
    await browser.waitUntil(async () => (await byTestId(browser, 'password-value').getText()) === password, {
      timeoutMsg: 'the password saved before quitting does not reveal',
    });
  }));

test('a wrong master password is refused and the failed attempts are counted, across restarts', { timeout: 60_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    let browser = session.browser;
    await createVault(browser);
    await addEntry(browser, { title: 'SAP ERP', username: 'LWEI', password: 'Erp#Orders#7' });
    await lock(browser);
    assert.equal((await browser.$$('[data-testid="entry-row"]')).length, 0, 'locking removes the entries from the window');

    await typeMasterPassword(browser, 'granite otter lantern meadow 48');
    const error = byTestId(browser, 'unlock-error');
    await error.waitForExist({ timeoutMsg: 'a wrong password showed no error' });
    assert.match(await error.getText(), /Wrong master password/);
    await byTestId(browser, 'failed-attempts').waitForExist();
    assert.equal(await byTestId(browser, 'failed-attempts').getText(), '1 failed attempt since your last unlock.');
    assert.equal(await byTestId(browser, 'unlock-password').getValue(), '', 'the field is emptied for the next try');
    assert.equal(await byTestId(browser, 'search').isExisting(), false, 'the vault stays locked');

    // The count is kept on this device: a restart still shows it.
    await quit(browser, driver);
    session.browser = browser = await launch(driver);
    await byTestId(browser, 'failed-attempts').waitForExist({ timeoutMsg: 'the failed attempt was forgotten on restart' });
    assert.equal(await byTestId(browser, 'failed-attempts').getText(), '1 failed attempt since your last unlock.');

    await typeMasterPassword(browser, 'wrong');
    await browser.waitUntil(
      async () => (await byTestId(browser, 'failed-attempts').getText()) === '2 failed attempts since your last unlock.',
      { timeoutMsg: 'the second failed attempt was not counted' },
    );

    // After the right password, the main screen tells the user about the failure from before the
    // restart, once; the wrong try typed on this same screen just before is the user's own typo.
    await unlock(browser, MASTER_PASSWORD);
    const banner = browser.$('.banner');
    await banner.waitForExist({ timeoutMsg: 'no notice of the failed attempts after unlocking' });
    assert.match(await banner.getText(), /^1 failed attempt\b/);
    assert.deepEqual(await rowTitles(browser), ['SAP ERP']);
    await lock(browser);
    assert.equal(await byTestId(browser, 'failed-attempts').isExisting(), false, 'the count starts again after a good unlock');
  }));

test('quick unlock: "remember on this device" with a PIN; the PIN unlocks, also after a restart; the device key is in the session keyring only', { timeout: 60_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    let browser = session.browser;
    await createVault(browser);
    await addEntry(browser, { title: 'HubSpot', username: 'li.wei@example.com', password: 'Hub-Spot-Deal-5' });
    await lock(browser);

    // Off by default: no PIN field until the user asks for it.
    assert.equal(await byTestId(browser, 'quick-unlock-pin').isExisting(), false);
    const remember = byTestId(browser, 'unlock-remember');
    assert.ok(
      await remember.isExisting(),
      `the "remember on this device" box is missing, so no keyring was found; the screen says: ${await browser.$('main.unlock').getText()}`,
    );
    assert.equal(await remember.isSelected(), false, '"remember" starts unticked');
    await unlock(browser, MASTER_PASSWORD, { remember: true, pin: QUICK_UNLOCK_PIN });

    // The device key went to the in-memory session collection, never to the login keyring.
    const record = quickUnlockRecord(driver.dirs);
    const items = deviceKeyItems(record);
    assert.equal(items.length, 1, `one device key in the keyring, found ${JSON.stringify(items)}`);
    assert.ok(items[0].startsWith(SESSION_COLLECTION), `the device key is in the session collection, not ${items[0]}`);

    await lock(browser);
    const pin = byTestId(browser, 'quick-unlock-pin');
    await pin.waitForExist({ timeoutMsg: 'no PIN field after unlocking with "remember" ticked' });
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'quick-unlock-pin', 'the PIN field has focus');
    await screenshot(browser, 'unlock-pin');
    await pin.setValue(QUICK_UNLOCK_PIN);
    await byTestId(browser, 'quick-unlock').click();
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'the PIN did not open the vault' });
    await waitForRows(browser, ['HubSpot'], 'quick unlock shows the entries');

    // The device key is in the keyring, not in the app's memory: it survives a restart.
    await quit(browser, driver);
    session.browser = browser = await launch(driver);
    await byTestId(browser, 'quick-unlock-pin').waitForExist({ timeoutMsg: 'quick unlock was not offered after a restart' });
    await byTestId(browser, 'quick-unlock-pin').setValue(QUICK_UNLOCK_PIN);
    await browser.keys('Enter');
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'the PIN after a restart did not open the vault' });
    await waitForRows(browser, ['HubSpot']);
  }));

test('three wrong PINs end quick unlock: the device key leaves the keyring and the master password is required', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser, driver }) => {
    await createVault(browser);
    await lock(browser);
    await unlock(browser, MASTER_PASSWORD, { remember: true });
    const record = quickUnlockRecord(driver.dirs);
    assert.equal(deviceKeyItems(record).length, 1);
    await lock(browser);

    const error = byTestId(browser, 'quick-unlock-error');
    const expected = [
      'Wrong PIN. 2 attempts left, then the master password is needed.',
      'Wrong PIN. 1 attempt left, then the master password is needed.',
    ];
    for (const [i, guess] of ['000000', '123456'].entries()) {
      await byTestId(browser, 'quick-unlock-pin').setValue(guess);
      await browser.keys('Enter');
      await browser.waitUntil(async () => (await error.isExisting()) && (await error.getText()) === expected[i], {
        timeoutMsg: `wrong PIN ${i + 1} did not say "${expected[i]}"`,
      });
      assert.equal(await byTestId(browser, 'search').isExisting(), false, 'a wrong PIN opens nothing');
    }
    await byTestId(browser, 'quick-unlock-pin').setValue('999999');
    await browser.keys('Enter');
    await browser.waitUntil(async () => /^The PIN was wrong 3 times, so quick unlock has ended/.test(await error.getText()), {
      timeoutMsg: 'the third wrong PIN did not end quick unlock',
    });
    await screenshot(browser, 'unlock-pin-ended');
    assert.equal(await byTestId(browser, 'quick-unlock-pin').isExisting(), false, 'no PIN field any more');
    assert.deepEqual(deviceKeyItems(record), [], 'the device key is gone from the keyring');
    assert.equal(quickUnlockRecord(driver.dirs), null, 'the record is gone from the settings file');
    await unlock(browser, MASTER_PASSWORD);
  }));

test('after a reboot, and after the period, the next start deletes the device key; putting the settings file back brings nothing back', { timeout: 90_000 }, async (t) => {
  const dirs = freshHome();
  try {
    // Boot "one": quick unlock turned on, the settings file kept aside as an attacker would.
    const boot = (id, hoursLater = 0) => ({ dirs, env: { CRM_VAULT_E2E_BOOT_ID: id, CRM_VAULT_E2E_HOURS_LATER: String(hoursLater) } });
    let record;
    let saved;
    await withApp(t, boot('boot-one'), async ({ browser }) => {
      await createVault(browser);
      await lock(browser);
      await unlock(browser, MASTER_PASSWORD, { remember: true });
      record = quickUnlockRecord(dirs);
      saved = readFileSync(settingsFile(dirs));
      assert.equal(deviceKeyItems(record).length, 1);
    });

    // The same computer after a reboot (gnome-keyring here outlives it, as a worst case).
    await withApp(t, boot('boot-two'), async ({ browser }) => {
      await byTestId(browser, 'unlock-password').waitForExist();
      assert.deepEqual(deviceKeyItems(record), [], 'the stale device key is gone from the keyring after start-up');
      assert.equal(quickUnlockRecord(dirs), null);
      assert.equal(await byTestId(browser, 'quick-unlock-pin').isExisting(), false, 'no PIN field after a reboot');
    });

    // The old settings file put back, on the old boot id: still nothing to unlock with.
    writeFileSync(settingsFile(dirs), saved);
    await withApp(t, boot('boot-one'), async ({ browser }) => {
      await byTestId(browser, 'unlock-password').waitForExist();
      assert.equal(await byTestId(browser, 'quick-unlock-pin').isExisting(), false);
      assert.equal(quickUnlockRecord(dirs), null, 'the put-back record is dropped at start-up');

      // Expiry: turned on for a day, then started 25 hours later.
      await unlock(browser, MASTER_PASSWORD, { remember: true });
      assert.equal(deviceKeyItems(record).length, 1);
    });
    await withApp(t, boot('boot-one', 25), async ({ browser }) => {
      await byTestId(browser, 'unlock-password').waitForExist();
      assert.deepEqual(deviceKeyItems(record), [], 'the expired device key is gone from the keyring after start-up');
      assert.equal(await byTestId(browser, 'quick-unlock-pin').isExisting(), false, 'no PIN field after expiry');
      await unlock(browser, MASTER_PASSWORD);
    });
  } finally {
    removeHome(dirs.home);
  }
});

test('without a keyring on the session bus, quick unlock is off and the unlock screen says why', { timeout: 60_000 }, (t) =>
  withApp(t, { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/crm-vault-e2e-bus' } }, async ({ browser }) => {
    await createVault(browser);
    await lock(browser);
    assert.equal(await byTestId(browser, 'unlock-remember').isExisting(), false, 'no "remember" box without a keyring');
    assert.match(await browser.$('main.unlock').getText(), /Quick unlock is off: this computer has no system keyring/);
    // The master password still works.
    await unlock(browser);
  }));
