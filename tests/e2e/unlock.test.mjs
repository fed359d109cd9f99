// Unlocking: after a restart, with a wrong password, and quick unlock through the OS keyring.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MASTER_PASSWORD,
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

    // After the right password, the main screen tells the user about the failures once.
    await unlock(browser, MASTER_PASSWORD);
    const banner = browser.$('.banner');
    await banner.waitForExist({ timeoutMsg: 'no notice of the failed attempts after unlocking' });
    assert.match(await banner.getText(), /2 failed unlock attempts/);
    assert.deepEqual(await rowTitles(browser), ['SAP ERP']);
    await lock(browser);
    assert.equal(await byTestId(browser, 'failed-attempts').isExisting(), false, 'the count starts again after a good unlock');
  }));

test('quick unlock: "remember on this device" lets the next unlock skip the password, with the real gnome-keyring', { timeout: 60_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    let browser = session.browser;
    await createVault(browser);
    await addEntry(browser, { title: 'HubSpot', username: 'li.wei@example.com', password: 'Hub-Spot-Deal-5' });
    await lock(browser);

    // Off by default: no quick-unlock button until the user asks for it.
    assert.equal(await byTestId(browser, 'quick-unlock').isExisting(), false);
    const remember = byTestId(browser, 'unlock-remember');
    assert.ok(
      await remember.isExisting(),
      `the "remember on this device" box is missing, so no keyring was found; the screen says: ${await browser.$('main.unlock').getText()}`,
    );
    assert.equal(await remember.isSelected(), false, '"remember" starts unticked');
    await unlock(browser, MASTER_PASSWORD, { remember: true });
    await lock(browser);

    const quick = byTestId(browser, 'quick-unlock');
    await quick.waitForExist({ timeoutMsg: 'no quick-unlock button after unlocking with "remember" ticked' });
    assert.equal(await byTestId(browser, 'unlock-password').getValue(), '');
    await quick.click();
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'quick unlock did not open the vault' });
    await waitForRows(browser, ['HubSpot'], 'quick unlock shows the entries');

    // The device key is in the keyring, not in the app's memory: it survives a restart.
    await quit(browser, driver);
    session.browser = browser = await launch(driver);
    await byTestId(browser, 'quick-unlock').waitForExist({ timeoutMsg: 'quick unlock was not offered after a restart' });
    await byTestId(browser, 'quick-unlock').click();
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'quick unlock after a restart did not open the vault' });
    await waitForRows(browser, ['HubSpot']);
  }));

test('without a keyring on the session bus, quick unlock is off and the unlock screen says why', { timeout: 60_000 }, (t) =>
  withApp(t, { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/crm-vault-e2e-bus' } }, async ({ browser }) => {
    await createVault(browser);
    await lock(browser);
    assert.equal(await byTestId(browser, 'unlock-remember').isExisting(), false, 'no "remember" box without a keyring');
    assert.match(await browser.$('main.unlock').getText(), /Quick unlock is off: this computer has no system keyring/);
    // The master password still works.
    await unlock(browser);
  }));
