// Import and export in the app: a Chrome CSV chosen in Import… is previewed (what arrives, what
// is skipped and why) before anything changes, then imported into the list; importing it again
// finds everything already there. Export… writes CSV only after the plain-text confirmation, to a
// file readable by its owner only. The system file dialogs are answered by the e2e-hooks build
// from CRM_VAULT_E2E_PICK and CRM_VAULT_E2E_SAVE_AS, as WebDriver cannot drive them.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { byTestId, createVault, rowTitles, screenshot, withApp } from './lib/app.mjs';
import { freshHome, removeHome } from './lib/driver.mjs';

/** Chrome's export: two logins, a row with nothing in it (line 4). */
const CHROME_CSV = [
  'name,url,username,password',
  '纷享销客,https://www.fxiaoke.com,li.wei,Fx-Quartz-Meadow-57',
  'ERP,https://erp.example.com,LWEI,Erp#Orders#7-Harbour',
  ',,,',
  '',
].join('\n');

/** Waits until the list holds exactly `expected`, in any order. */
async function waitForTitles(browser, expected, timeoutMsg) {
  const want = JSON.stringify([...expected].sort());
  let shown = [];
  await browser
    .waitUntil(async () => JSON.stringify((shown = await rowTitles(browser)).sort()) === want, { timeout: 5_000 })
    .catch(() => {
      throw new Error(`${timeoutMsg}: expected ${want}, shown ${JSON.stringify(shown)}`);
    });
}

/** Opens Import… and reads the file the hooks name; waits for the preview. */
async function previewImport(browser) {
  await byTestId(browser, 'transfer-menu').click();
  await byTestId(browser, 'import-open').click();
  await byTestId(browser, 'import-choose').click();
  await byTestId(browser, 'import-preview').waitForExist({ timeoutMsg: 'the import showed no preview' });
}

test('a CSV is previewed, then imported; the same file again adds nothing; a CSV export needs the plain-text confirmation and is private', { timeout: 90_000 }, (t) => {
  const dirs = freshHome();
  t.after(() => removeHome(dirs.home));
  const csv = path.join(dirs.home, 'Chrome Passwords.csv');
  writeFileSync(csv, CHROME_CSV);
  const out = path.join(dirs.home, 'export.csv');
  const env = { CRM_VAULT_E2E_PICK: csv, CRM_VAULT_E2E_SAVE_AS: out };
  return withApp(t, { dirs, env }, async ({ browser }) => {
    await createVault(browser);

    await previewImport(browser);
    assert.equal(await byTestId(browser, 'import-path').getText(), 'Chrome Passwords.csv');
    assert.equal(await byTestId(browser, 'import-arriving').getText(), '2 entries will arrive.');
    assert.equal(await byTestId(browser, 'import-skipped').getText(), '1 skipped:');
    assert.equal(await byTestId(browser, 'import-skipped-row').getText(), 'Line 4: has no title, web address, user name or password');
    assert.deepEqual(await rowTitles(browser), [], 'the preview changed nothing');
    await screenshot(browser, 'import-preview');

    await byTestId(browser, 'import-submit').click();
    const done = byTestId(browser, 'import-done');
    await done.waitForExist({ timeoutMsg: 'the import did not finish' });
    assert.equal(await done.getText(), 'Imported 2 entries from Chrome/Edge CSV.');
    await byTestId(browser, 'import-close').click();
    await waitForTitles(browser, ['ERP', '纷享销客'], 'the imported entries are not in the list');

    // The same file again: both are named as already there, and Import has nothing to do.
    await previewImport(browser);
    assert.equal(await byTestId(browser, 'import-arriving').getText(), 'No new entries: everything in this file is already in your vault.');
    await byTestId(browser, 'import-already').click();
    const already = await byTestId(browser, 'import-already-list').getText();
    assert.match(already, /纷享销客/);
    assert.match(already, /ERP/);
    assert.equal(await byTestId(browser, 'import-submit').isEnabled(), false);
    await browser.keys('Escape');
    await byTestId(browser, 'import-preview').waitForExist({ reverse: true });

    // Export as CSV: refused until the user confirms it is plain text.
    await byTestId(browser, 'transfer-menu').click();
    await byTestId(browser, 'export-open').click();
    await byTestId(browser, 'export-format-csv').click();
    const warning = byTestId(browser, 'export-csv-warning');
    await warning.waitForExist();
    assert.match(await warning.getText(), /anyone who gets it can read every password/);
    const submit = byTestId(browser, 'export-submit');
    assert.equal(await submit.isEnabled(), false);
    await byTestId(browser, 'export-plain-text-ok').click();
    assert.equal(await submit.isEnabled(), true);
    await submit.click();
    const exported = byTestId(browser, 'export-done');
    await exported.waitForExist({ timeoutMsg: 'the export did not finish' });
    assert.match(await exported.getText(), new RegExp(`^Exported 2 entries to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
    assert.ok(existsSync(out), 'no export file');
    assert.equal(statSync(out).mode & 0o777, 0o600, 'the export is readable by others');
    const text = readFileSync(out, 'utf8');
    assert.match(text, /纷享销客/);
    assert.match(text, /ERP/);
  });
});
