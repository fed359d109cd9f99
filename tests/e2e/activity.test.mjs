// The activity log in the app: failed attempts and unlocks, a copy, the Activity view and an
// entry's recent activity on one laptop, and the notice another laptop shows after its unlock.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, addEntry, byTestId, createVault, lock, openEntry, screenshot, typeMasterPassword, unlock } from './lib/app.mjs';
import { ARRIVES, textOf, waitForRowsOn, waitForText, withLaptops } from './lib/laptops.mjs';

/** The `data-kind` of every element with `testid`, in document order. */
async function kindsOf(browser, testid) {
  return browser.execute((id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((el) => el.dataset.kind), testid);
}

async function waitForKinds(browser, testid, wanted, what) {
  let seen = [];
  await browser
    .waitUntil(async () => wanted((seen = await kindsOf(browser, testid))), ARRIVES)
    .catch(() => {
      throw new Error(`${what}: [data-testid=${testid}] shows ${JSON.stringify(seen)}`);
    });
  return seen;
}

test('failed attempts, an unlock and a copy are in the Activity view, and another laptop is told after its unlock', { timeout: 120_000 }, (t) =>
  withLaptops(
    t,
    [{ name: 'LAPTOP-A' }, { name: 'LAPTOP-B', vaultPath: (folder) => path.join(folder, 'work.crmvault') }],
    async ({ folder, laptops: [a, b] }) => {
      const vaultPath = path.join(folder, 'work.crmvault');
      await createVault(a.browser, { path: vaultPath });
      const password = await addEntry(a.browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Quartal-Ziel-2026!' });

      // Laptop B: a wrong master password, then the right one.
      await typeMasterPassword(b.browser, 'granite otter lantern meadow 48');
      await byTestId(b.browser, 'unlock-error').waitForExist({ timeoutMsg: 'a wrong password showed no error' });
      await unlock(b.browser);
      await waitForRowsOn(b.browser, ['Salesforce'], 'laptop B did not open the vault with the entry');
      assert.equal(await byTestId(b.browser, 'unlock-notices').isExisting(), false, 'its own typo a moment ago is no news');

      await openEntry(b.browser, 'Salesforce');
      await byTestId(b.browser, 'copy-password').click();
      await waitForKinds(b.browser, 'recent-activity-row', (k) => k[0] === 'copy', "the entry's recent activity shows the copy");

      await byTestId(b.browser, 'activity-open').click();
      await byTestId(b.browser, 'activity-view').waitForExist({ timeoutMsg: 'the Activity view did not open' });
      const kinds = await waitForKinds(
        b.browser,
        'activity-row',
        (k) => k.includes('copy') && k.includes('unlock') && k.includes('unlock-failed'),
        'the Activity view lists the copy, the unlock and the failed attempt',
      );
      assert.deepEqual(kinds.slice(0, 3), ['copy', 'unlock', 'unlock-failed'], 'newest first');
      const rows = await b.browser.execute(() =>
        [...document.querySelectorAll('[data-testid="activity-row"]')].map((row) =>
          [...row.children].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim()).join(' | '),
        ),
      );
      assert.match(rows[0], / \| Copied \| LAPTOP-B \(this computer\) \| Salesforce \| password$/);
      assert.match(rows[2], / \| Failed unlock \| LAPTOP-B \(this computer\) \| {2}\| password$/);
      assert.ok(rows.every((row) => !row.includes(password) && !row.includes(MASTER_PASSWORD)), 'no secret in the log');
      await screenshot(b.browser, 'activity');

      // The kind filter, then the entry's title back to the entry.
      await byTestId(b.browser, 'activity-filter-kind').selectByAttribute('value', 'unlock-failed');
      await waitForKinds(b.browser, 'activity-row', (k) => k.length === 1 && k[0] === 'unlock-failed', 'the kind filter');
      await byTestId(b.browser, 'activity-filter-clear').click();
      await waitForKinds(b.browser, 'activity-row', (k) => k.length >= 3, 'clearing the filters');

      // Laptop A unlocks again: it is told of B's failed attempt.
      await lock(a.browser);
      await unlock(a.browser);
      await waitForText(a.browser, 'unlock-notice', /^1 failed attempt on LAPTOP-B, (today|yesterday) \d{2}:\d{2}$/, "laptop A's notice");
      assert.match(await textOf(a.browser, 'unlock-notices'), /Show activity/);
    },
  ));
