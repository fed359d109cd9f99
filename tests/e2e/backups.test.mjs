// Backups in the app: a vault file damaged on disk, whose unlock screen offers the newest backup
// that opens (naming when and on which laptop it was saved) and restores it; and a restore from
// Settings after a confirmation, the replaced file kept as a backup.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  MASTER_PASSWORD,
  addEntry,
  byTestId,
  createVault,
  dismissToast,
  lock,
  screenshot,
  typeMasterPassword,
  waitForRows,
  withApp,
} from './lib/app.mjs';
import { freshHome, removeHome } from './lib/driver.mjs';

const DEVICE = 'LAPTOP-2';

/** A home whose app goes by `DEVICE` (the name every save of this laptop is stamped with). */
function homeOfLaptop(t) {
  const dirs = freshHome();
  const config = path.join(dirs.config, 'crm-vault');
  mkdirSync(config, { recursive: true });
  writeFileSync(path.join(config, 'device.json'), JSON.stringify({ id: randomBytes(8).toString('hex'), name: DEVICE }, null, 2));
  t.after(() => removeHome(dirs.home));
  return dirs;
}

/** "2026-12-03": `days` from today in this computer's time zone, as the editor's date field takes it. */
function dayFromToday(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Sets the editor's expiry date as typing into the date field does. */
async function setExpiry(browser, day) {
  // An entry without an expiry shows "Never" and a button that brings the date field.
  const set = byTestId(browser, 'editor-expires-set');
  if (await set.isExisting()) await set.click();
  await byTestId(browser, 'editor-expires').waitForExist();
  await browser.execute((value) => {
    const input = document.querySelector('[data-testid="editor-expires"]');
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, day);
}

/** The backups folder beside the vault, and the files in it. */
function backupFiles(vaultPath) {
  const folder = path.join(path.dirname(vaultPath), `${path.basename(vaultPath, '.crmvault')}.backups`);
  return readdirSync(folder).map((name) => path.join(folder, name));
}

test('a damaged vault file: the unlock screen offers the newest backup and restoring it brings the entries back', { timeout: 90_000 }, (t) =>
  withApp(t, { dirs: homeOfLaptop(t) }, async (session) => {
    const browser = session.browser;
    const vaultPath = await createVault(browser);
    await addEntry(browser, { title: 'Salesforce', username: 'li.wei', password: 'Quartz-Meadow-Falcon-57' }, {
      beforeSave: () => setExpiry(browser, dayFromToday(5)),
    });
    await addEntry(browser, { title: 'ERP', username: 'LWEI', password: 'Erp#Orders#7-Harbour' });
    await addEntry(browser, { title: 'Mail', username: 'li.wei@example.com', password: 'Cobalt!Harbor#2026' });
    await lock(browser);

    // Something (a crash of the sync service, a bad disk) garbles the file's encrypted part.
    const bytes = readFileSync(vaultPath);
    for (let i = bytes.length - 60; i < bytes.length - 40; i++) bytes[i] ^= 0x5a;
    writeFileSync(vaultPath, bytes);

    await typeMasterPassword(browser, MASTER_PASSWORD);
    const error = byTestId(browser, 'unlock-error');
    await error.waitForExist({ timeoutMsg: 'the damaged file showed no error' });
    assert.match(await error.getText(), /damaged/);
    const restore = byTestId(browser, 'backup-offer-restore');
    await restore.waitForExist({ timeoutMsg: 'no backup was offered for the damaged file' });
    // The newest backup is the version before Mail was added, saved on this laptop.
    assert.match(await restore.getText(), new RegExp(`^Restore the version from .+, saved on ${DEVICE}$`));
    assert.match(await byTestId(browser, 'backup-offer').getText(), /2 entries/);
    assert.equal(await byTestId(browser, 'search').isExisting(), false, 'nothing is unlocked before the user chooses');
    await screenshot(browser, 'backup-offer');

    await restore.click();
    await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'restoring the backup did not open the vault' });
    await waitForRows(browser, ['ERP', 'Salesforce'], 'the restored version\'s entries are not back');
    // The expiry date within the warning period is announced after the unlock.
    const expiring = byTestId(browser, 'expiring-banner');
    await expiring.waitForExist({ timeoutMsg: 'no notice of the password about to expire' });
    assert.match(await expiring.getText(), /1 password expires within 14 days: Salesforce/);

    // The damaged file was kept in the backups folder, not thrown away; the vault file opens again.
    const kept = backupFiles(vaultPath).some((file) => readFileSync(file).equals(bytes));
    assert.ok(kept, 'the damaged file is not among the backups');
    assert.notDeepEqual(readFileSync(vaultPath), bytes);
  }));

test('Settings lists the backups with time and laptop and restores one after a confirmation', { timeout: 90_000 }, (t) =>
  withApp(t, { dirs: homeOfLaptop(t) }, async (session) => {
    const browser = session.browser;
    const vaultPath = await createVault(browser);
    for (const title of ['CRM', 'ERP', 'Mail']) {
      await addEntry(browser, { title, username: 'li.wei', password: `Quartz-Meadow-${title}-57` });
    }
    await dismissToast(browser);

    await byTestId(browser, 'settings-open').click();
    await byTestId(browser, 'settings-backups').click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="backup-row"]')).length === 3, {
      timeoutMsg: 'the three backups (new vault, after CRM, after ERP) are not listed',
    });
    const rows = await browser.$$('[data-testid="backup-row"]');
    assert.match(await rows[0].getText(), new RegExp(`Saved .+ on ${DEVICE}[\\s\\S]*2 entries`));
    assert.match(await rows[1].getText(), /\b1 entry\b/);
    await screenshot(browser, 'backups');

    // The version with CRM only: asked first, naming when and where, and that nothing is lost.
    await rows[1].$('[data-testid="backup-restore"]').click();
    const confirm = byTestId(browser, 'backup-confirm');
    await confirm.waitForExist({ timeoutMsg: 'restore asked for no confirmation' });
    assert.match(await confirm.getText(), new RegExp(`Restore the version saved .+ on ${DEVICE}\\? The current vault file is kept aside`));
    const before = backupFiles(vaultPath).length;
    await byTestId(browser, 'backup-confirm-restore').click();
    await confirm.waitForExist({ reverse: true, timeoutMsg: 'the restore did not finish' });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="backup-row"]')).length === before + 1, {
      timeoutMsg: 'the replaced file was not kept as a backup',
    });
    assert.match(await (await browser.$$('[data-testid="backup-row"]'))[0].getText(), /3 entries/);

    await browser.keys('Escape');
    await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'the settings dialog did not close on Esc' });
    await waitForRows(browser, ['CRM'], 'the list does not show the restored version');
  }));
