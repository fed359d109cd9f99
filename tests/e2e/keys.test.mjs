// A changed master password locks out whoever knew the old one, and a planted copy cannot take
// the vault over. Two laptops on one vault in a synced folder: A changes the master password
// while B is typing a new entry; B's save is refused but kept, B asks once for the new password
// and loses nothing. Copies planted beside the vault by a teammate who knew the password are
// held back with the reason in words; one is merged on purpose after a preview, and the vault
// opens with its owner's password only.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, addEntry, byTestId, createVault, dismissToast, rowTitles, screenshot, unlock } from './lib/app.mjs';
import { ROOT } from './lib/driver.mjs';
import { ARRIVES, textOf, waitForRowsOn, waitForText, withLaptops } from './lib/laptops.mjs';

const CLI = path.resolve(process.env.CRM_VAULT_CLI ?? path.join(ROOT, 'target/release/crm-vault'));
const NEW_PASSWORD = 'harbour violet compass thistle 83';

/** The texts of every element with `testid`, in document order. */
async function textsOf(browser, testid) {
  return browser.execute(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((el) => el.textContent.replace(/\s+/g, ' ').trim()),
    testid,
  );
}

/** Runs the command line (secrets on standard input, one a line); `config` is its settings folder (its device). */
function cli(args, input, config) {
  const env = { ...process.env };
  if (config) env.CRM_VAULT_CONFIG_DIR = config;
  const run = spawnSync(CLI, args, { input, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The titles `crm-vault ls` prints with `password`, or null if the vault does not open with it. */
function titlesWith(vaultPath, password) {
  const run = cli(['ls', vaultPath], `${password}\n`);
  if (run.status !== 0) return null;
  return run.stdout
    .split('\n')
    .filter((line) => line)
    .map((line) => line.split('\t')[1])
    .sort();
}

/** A device of the command line's, with its own name, in a folder of its own. */
function device(dir, name) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'device.json'), JSON.stringify({ id: 'b0b0b0b0b0b0b0b0', name }));
  return dir;
}

/**
 * Types `text` into the field `testid`, which the page has just focused (and its old text
 * selected), with the keyboard. (WebKitWebDriver refuses to clear or click the review dialog's
 * password field, "invalid element state" / "element click intercepted", while a user can.)
 */
async function typeIntoFocused(browser, testid, text) {
  await byTestId(browser, testid).waitForExist();
  await browser
    .waitUntil(() => browser.execute(() => document.activeElement?.dataset?.testid ?? null).then((id) => id === testid), {
      timeout: 5_000,
    })
    .catch(() => {
      throw new Error(`the field ${testid} did not take the focus`);
    });
  // One key at a time: sent in one go, a doubled letter ("otter") arrives once.
  for (const key of text) await browser.keys(key);
  // The keys reach the page after the command returns: wait until all of them are in.
  let typed = null;
  await browser
    .waitUntil(async () => (typed = await browser.execute(() => document.activeElement?.value ?? null)) === text, { timeout: 5_000, interval: 50 })
    .catch(() => {
      throw new Error(`${testid} holds ${typed?.length ?? 'no'} characters, not the ${text.length} typed`);
    });
}

/** Changes the master password on the Settings dialog's "Master password" tab, then closes it. */
async function changeMasterPassword(browser, current, next) {
  await dismissToast(browser);
  await byTestId(browser, 'settings-open').click();
  await byTestId(browser, 'settings-security').click();
  await byTestId(browser, 'security-current').waitForExist();
  await byTestId(browser, 'security-current').setValue(current);
  await byTestId(browser, 'security-new').setValue(next);
  await byTestId(browser, 'security-confirm').setValue(next);
  await byTestId(browser, 'security-submit').click();
  await waitForText(browser, 'toast', /^Master password changed\./, 'the master password change was confirmed');
  // The form's button was disabled while working, so the focus left the dialog: close it with ×.
  await browser.$('[role="dialog"] button.close').click();
  await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'the settings dialog did not close' });
}

test('the master password changed on laptop A: B keeps its unsaved entry, asks once for the new password, and both hold every entry', { timeout: 120_000 }, (t) =>
  withLaptops(
    t,
    [{ name: 'LAPTOP-A' }, { name: 'LAPTOP-B', vaultPath: (folder) => path.join(folder, 'work.crmvault') }],
    async ({ folder, laptops: [a, b] }) => {
      const vaultPath = path.join(folder, 'work.crmvault');
      await createVault(a.browser, { path: vaultPath });
      await unlock(b.browser);
      await addEntry(a.browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Quartal-Ziel-2026!' });
      await waitForRowsOn(b.browser, ['Salesforce'], 'the entry saved on laptop A did not reach laptop B');

      // B starts a new entry; before it is saved, A changes the master password.
      await dismissToast(b.browser);
      await byTestId(b.browser, 'new-entry').click();
      await byTestId(b.browser, 'editor-title').waitForExist();
      await byTestId(b.browser, 'editor-title').setValue('Trade fair Wi-Fi');
      await byTestId(b.browser, 'editor-username').setValue('booth-12');
      await byTestId(b.browser, 'editor-password').setValue('Halle-4-Stand-12!');
      await byTestId(b.browser, 'editor-notes').setValue('Hall 4, ask at the info desk');
      await changeMasterPassword(a.browser, MASTER_PASSWORD, NEW_PASSWORD);
      assert.equal(titlesWith(vaultPath, MASTER_PASSWORD), null, 'the old master password no longer opens the vault file');

      // B's save is refused: the file is under a key B does not have. What B typed stays.
      await dismissToast(b.browser);
      await byTestId(b.browser, 'editor-save').click();
      await waitForText(b.browser, 'editor-kept', /^Kept on this laptop, not yet in the vault file/, "laptop B's refused save");
      assert.equal(await byTestId(b.browser, 'editor-title').getValue(), 'Trade fair Wi-Fi', "B's editor keeps the title");
      assert.equal(await byTestId(b.browser, 'editor-notes').getValue(), 'Hall 4, ask at the info desk', "B's editor keeps the notes");
      // A prompt that stays, naming the laptop and the time, not a toast.
      await waitForText(
        b.browser,
        'password-changed-text',
        /^The master password was changed on LAPTOP-A at \d{1,2}:\d{2}.*\. Enter the new master password\.$/,
        'laptop B asks for the new master password',
      );
      await screenshot(b.browser, 'password-changed');

      // A goes on working under the new password meanwhile.
      await addEntry(a.browser, { title: 'Outlook', username: 'li.wei@example.com', password: 'Mail-Sommer-2026!' });

      // The old password, out of habit: refused, and the prompt stays for another try.
      await byTestId(b.browser, 'password-changed-input').setValue(MASTER_PASSWORD);
      await byTestId(b.browser, 'password-changed-submit').click();
      await waitForText(b.browser, 'password-changed-error', /^That is not the new master password\./, 'the old password is refused on B');
      await byTestId(b.browser, 'password-changed-input').setValue(NEW_PASSWORD);
      await byTestId(b.browser, 'password-changed-submit').click();
      await byTestId(b.browser, 'password-changed').waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: 'the prompt stayed after the new password' });
      await waitForText(b.browser, 'password-adopted', /nothing was lost/, "laptop B's confirmation");
      // B's entry was saved the moment the password was in: the editor closed on it.
      await waitForText(b.browser, 'detail-title', /^Trade fair Wi-Fi$/, "laptop B's kept entry is saved and shown");
      assert.equal(await byTestId(b.browser, 'editor-save').isExisting(), false, "B's editor closed");

      const every = ['Outlook', 'Salesforce', 'Trade fair Wi-Fi'];
      await waitForRowsOn(b.browser, every, 'laptop B holds every entry');
      await waitForRowsOn(a.browser, every, 'laptop A holds every entry');
      for (const laptop of [a, b]) {
        await waitForText(laptop.browser, 'sync-status', /^Up to date/, `${laptop.name} is in step with the file`);
      }
      // B's entry is whole in the file, and the file opens with the new password only.
      assert.deepEqual(titlesWith(vaultPath, NEW_PASSWORD), every, 'the vault file holds every entry under the new password');
      assert.equal(titlesWith(vaultPath, MASTER_PASSWORD), null, 'the old master password opens nothing');
      const notes = cli(['show', vaultPath, 'Trade fair Wi-Fi', '--field', 'notes'], `${NEW_PASSWORD}\n`);
      assert.equal(notes.stdout.trim(), 'Hall 4, ask at the info desk', `B's notes are in the file (${notes.stderr.trim()})`);
      // And no backup beside it opens with the old one either.
      const backups = readdirSync(folder).filter((name) => name.endsWith('.backups'));
      for (const dir of backups) {
        for (const name of readdirSync(path.join(folder, dir))) {
          assert.equal(titlesWith(path.join(folder, dir, name), MASTER_PASSWORD), null, `the backup ${name} opens with the old password`);
        }
      }
    },
  ));

test('copies planted by a teammate who knew the password are held back, and one is merged on purpose after a preview', { timeout: 120_000 }, (t) =>
  withLaptops(t, [{ name: 'LAPTOP-A' }], async ({ folder, laptops: [a] }) => {
    const vaultPath = path.join(folder, 'work.crmvault');
    await createVault(a.browser, { path: vaultPath });
    await addEntry(a.browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Quartal-Ziel-2026!' });
    const bob = device(path.join(a.dirs.home, 'bob'), 'BOB-LAPTOP');

    // Bob knows the master password. He keeps a copy of the vault for later...
    const kept = path.join(bob, 'kept', 'work.crmvault');
    mkdirSync(path.dirname(kept));
    copyFileSync(vaultPath, kept);
    // ...and tries to take it over: a copy with his own master password, dropped beside the
    // vault under a sync service's name for a conflicted copy.
    const takeover = path.join(bob, 'takeover', 'work.crmvault');
    mkdirSync(path.dirname(takeover));
    copyFileSync(vaultPath, takeover);
    const bobsPassword = 'bob owns this vault now 1';
    const passwd = cli(['passwd', takeover], `${MASTER_PASSWORD}\n${bobsPassword}\n`, bob);
    assert.equal(passwd.status, 0, `crm-vault passwd on Bob's copy: ${passwd.stderr}`);
    const planted = path.join(folder, "work (Bob's conflicted copy 2026-11-21).crmvault");
    renameSync(takeover, planted);

    await byTestId(a.browser, 'sync-held-open').waitForExist({ ...ARRIVES, timeoutMsg: 'the planted copy was not reported' });
    await waitForText(a.browser, 'sync-status', /1 file beside the vault not merged/, "laptop A's status line");
    await byTestId(a.browser, 'sync-held-open').click();
    await byTestId(a.browser, 'held-copy').waitForExist();
    const [first] = await textsOf(a.browser, 'held-copy');
    assert.match(first, /Bob's conflicted copy 2026-11-21/, 'the planted copy is listed by name');
    assert.match(first, /Held back: made after the master password was changed on BOB-LAPTOP\./, 'with its reason in words');
    assert.equal(await byTestId(a.browser, 'held-copy-review').isExisting(), false, 'a copy that would bring its own master password is not offered for merging');
    await closeDialog(a.browser);
    assert.ok(existsSync(planted), 'the planted copy is left where it is');
    assert.deepEqual(titlesWith(vaultPath, MASTER_PASSWORD), ['Salesforce'], "the owner's password still opens the vault");
    assert.equal(titlesWith(vaultPath, bobsPassword), null, "Bob's password opens nothing");

    // The owner changes the master password. Bob, with the old one, adds an entry to the copy he
    // kept and drops that beside the vault too.
    await changeMasterPassword(a.browser, MASTER_PASSWORD, NEW_PASSWORD);
    const add = cli(['add', '--title', 'Payroll portal', '--username', 'bob', kept], `${MASTER_PASSWORD}\nBob-Was-Here-99!\n`, bob);
    assert.equal(add.status, 0, `crm-vault add on Bob's kept copy: ${add.stderr}`);
    const old = path.join(folder, "work (Bob's conflicted copy 2026-11-22).crmvault");
    renameSync(kept, old);

    // Held back too, not merged by itself; this one may be merged on purpose.
    await waitForText(a.browser, 'held-banner', /^A file beside the vault was held back and not merged\./, "laptop A's banner");
    await waitForText(a.browser, 'sync-status', /2 files beside the vault not merged/, "laptop A's status line");
    assert.deepEqual(await rowTitles(a.browser), ['Salesforce'], 'nothing of the copies came in by itself');
    await byTestId(a.browser, 'held-show').click();
    await a.browser.waitUntil(async () => (await textsOf(a.browser, 'held-copy')).length === 2, { ...ARRIVES, timeoutMsg: 'both copies are listed' });
    const listed = await textsOf(a.browser, 'held-copy');
    const second = listed.find((text) => text.includes('2026-11-22')) ?? '';
    assert.match(second, /Held back: made under an earlier master password\./, `the kept copy's reason: ${JSON.stringify(listed)}`);
    await screenshot(a.browser, 'held-copies');

    // Review: the copy's own (old) master password is asked for, then what it would change.
    // The review button of the copy dated 2026-11-22 (the list is in file name order).
    const items = await a.browser.$$('[data-testid="held-copy"]');
    let reviewed = false;
    for (const item of items) {
      const text = await item.getProperty('textContent');
      if (text.includes('2026-11-22')) {
        await item.$('[data-testid="held-copy-review"]').click();
        reviewed = true;
      }
    }
    assert.ok(reviewed, 'the copy made under the old password has a "Review and merge…" button');
    await waitForText(a.browser, 'copy-review-warning', /^Held back: made under an earlier master password\. Merge it only if you know where it comes from\./, 'the review warns');
    await byTestId(a.browser, 'copy-password').waitForExist({ timeoutMsg: "the review did not ask for the copy's password" });
    await typeIntoFocused(a.browser, 'copy-password', bobsPassword);
    await byTestId(a.browser, 'copy-password-submit').click();
    await waitForText(a.browser, 'copy-review-error', /^That is not this copy's master password\.$/, 'a wrong copy password is refused');
    await typeIntoFocused(a.browser, 'copy-password', MASTER_PASSWORD);
    await byTestId(a.browser, 'copy-password-submit').click();
    await waitForText(a.browser, 'copy-preview-added', /^Payroll portal$/, 'the preview names the entry the copy would add');
    assert.deepEqual(await rowTitles(a.browser), ['Salesforce'], 'the preview changed nothing');
    await screenshot(a.browser, 'held-copy-review');

    await byTestId(a.browser, 'copy-merge').click();
    await waitForRowsOn(a.browser, ['Payroll portal', 'Salesforce'], 'the merged entry is in the list');
    // Confirmed in a notice: the merge's own, or the sync tick's news of what came in, which may replace it.
    await waitForText(a.browser, 'toast', /was merged into your vault\.|^1 entry added from BOB-LAPTOP\./, 'the merge is confirmed');
    await a.browser.waitUntil(async () => !existsSync(old), { ...ARRIVES, timeoutMsg: 'the merged copy is still beside the vault' });
    await waitForText(a.browser, 'sync-status', /1 file beside the vault not merged/, 'only the takeover copy is still held back');
    assert.ok(existsSync(planted), 'the takeover copy is still left where it is');

    // The merge brought the entry, never a master password.
    assert.deepEqual(titlesWith(vaultPath, NEW_PASSWORD), ['Payroll portal', 'Salesforce'], 'the vault opens with the new password and holds the merged entry');
    assert.equal(titlesWith(vaultPath, MASTER_PASSWORD), null, 'the old master password opens nothing');
    assert.equal(titlesWith(vaultPath, bobsPassword), null, "Bob's password opens nothing");
  }));

/** Closes the dialog with Esc. */
async function closeDialog(browser) {
  await browser.keys('Escape');
  await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'the dialog did not close on Esc' });
}
