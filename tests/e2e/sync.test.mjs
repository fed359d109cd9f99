// Two laptops on one vault file in a synced folder: each is the real app with its own settings
// and device name, side by side on this machine. What one saves shows on the other within
// seconds, without a restart; a conflicted copy left by the sync service is merged and put
// aside; a vault file that goes missing is a warning, not a closed vault.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, addEntry, byTestId, createVault, dismissToast, openEntry, rowTitles, screenshot, unlock } from './lib/app.mjs';
import { ROOT } from './lib/driver.mjs';
import { ARRIVES, textOf, waitForRowsOn, waitForText, withLaptops } from './lib/laptops.mjs';

const CLI = path.resolve(process.env.CRM_VAULT_CLI ?? path.join(ROOT, 'target/release/crm-vault'));

test('two laptops on one synced vault: changes arrive without a restart, conflicted copies merge, a missing file is a warning', { timeout: 120_000 }, (t) =>
  withLaptops(
    t,
    [
      { name: 'LAPTOP-A' },
      // Laptop B already knows the vault's place (it was opened there before); A creates it.
      { name: 'LAPTOP-B', vaultPath: (folder) => path.join(folder, 'work.crmvault') },
    ],
    async ({ folder, laptops: [a, b] }) => {
      const vaultPath = path.join(folder, 'work.crmvault');
      await createVault(a.browser, { path: vaultPath });
      assert.ok(existsSync(vaultPath), `laptop A created the vault in the synced folder (${vaultPath})`);
      await unlock(b.browser);
      await byTestId(b.browser, 'empty-vault').waitForExist({ timeoutMsg: 'laptop B did not open the empty vault' });
      await waitForText(b.browser, 'sync-status', /^Up to date$/, 'laptop B is in step with the file after unlocking');

      // An entry added on A appears in B's list, and B says where it came from.
      await addEntry(a.browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Quartal-Ziel-2026!' });
      await waitForRowsOn(b.browser, ['Salesforce'], 'the entry saved on laptop A did not appear on laptop B');
      await waitForText(b.browser, 'toast', /1 entry added from LAPTOP-A\./, "laptop B's notice of what came in");
      await waitForText(b.browser, 'sync-status', /^Up to date · last change from LAPTOP-A \d{1,2}:\d{2}/, "laptop B's sync status");

      // A has the entry open; B changes its user name; A's open details show the new one.
      await openEntry(a.browser, 'Salesforce');
      await openEntry(b.browser, 'Salesforce');
      await byTestId(b.browser, 'edit-entry').click();
      await byTestId(b.browser, 'editor-username').waitForExist();
      await byTestId(b.browser, 'editor-username').setValue('wei.li@example.com');
      await dismissToast(b.browser);
      await byTestId(b.browser, 'editor-save').click();
      await waitForText(b.browser, 'detail-username', /^wei\.li@example\.com$/, 'laptop B saved the new user name');
      await waitForText(a.browser, 'detail-username', /^wei\.li@example\.com$/, "laptop A's open entry shows the user name saved on B");
      await waitForText(a.browser, 'toast', /1 entry updated from LAPTOP-B\./, "laptop A's notice of what came in");
      await waitForText(a.browser, 'detail-last-change', /^Edited .* on LAPTOP-B$/, "laptop A's entry says where it last changed");
      await byTestId(a.browser, 'changes-toggle').click();
      const changes = await a.browser.execute(() =>
        Object.fromEntries([...document.querySelectorAll('[data-testid="detail-changes"] li')].map((li) => [li.dataset.field, li.textContent])),
      );
      assert.match(changes.username ?? '', /on LAPTOP-B/, `the user name changed on B: ${JSON.stringify(changes)}`);
      assert.match(changes.password ?? '', /on LAPTOP-A/, `the password was set on A: ${JSON.stringify(changes)}`);
      await waitForText(a.browser, 'sync-status', /last change from LAPTOP-B/, "laptop A's sync status");
      await screenshot(a.browser, 'sync');

      // A third laptop's save that the sync service kept as a conflicted copy beside the vault
      // (Nextcloud's naming): one of the apps merges it in and moves it to the backups folder.
      // It is made elsewhere (with the command line, as LAPTOP-C) and arrives whole, as a sync
      // service's download does.
      const laptopC = path.join(a.dirs.home, 'laptop-c');
      mkdirSync(laptopC);
      writeFileSync(path.join(laptopC, 'device.json'), JSON.stringify({ id: 'c0ffee00c0ffee00', name: 'LAPTOP-C' }));
      const made = path.join(laptopC, 'work.crmvault');
      copyFileSync(vaultPath, made);
      execFileSync(CLI, ['add', '--title', 'Partner portal', '--username', 'li.wei', made], {
        input: `${MASTER_PASSWORD}\nPortal-Pass-77!\n`,
        env: { ...process.env, CRM_VAULT_CONFIG_DIR: laptopC },
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      const copy = path.join(folder, 'work (conflicted copy 2026-11-21 101010).crmvault');
      renameSync(made, copy);
      for (const laptop of [a, b]) {
        await waitForRowsOn(laptop.browser, ['Partner portal', 'Salesforce'], `the conflicted copy's entry did not reach ${laptop.name}`);
      }
      await a.browser.waitUntil(async () => !existsSync(copy), { ...ARRIVES, timeoutMsg: 'the merged conflicted copy is still beside the vault' });
      const backups = readdirSync(folder).filter((name) => name.endsWith('.backups'));
      const aside = backups.flatMap((dir) => readdirSync(path.join(folder, dir))).filter((name) => name.startsWith('merged-'));
      assert.ok(aside.some((name) => name.endsWith(path.basename(copy))), `the copy is kept in the backups folder: ${JSON.stringify(aside)}`);
      // The laptop that merged it says so; both name the laptop the entry came from.
      const statuses = await Promise.all([a, b].map((laptop) => textOf(laptop.browser, 'sync-status')));
      assert.ok(statuses.some((s) => /1 conflicted copy merged/.test(s)), `a status line counts the merged copy: ${JSON.stringify(statuses)}`);
      for (const laptop of [a, b]) {
        await waitForText(laptop.browser, 'sync-status', /last change from LAPTOP-C/, `${laptop.name}'s sync status after the copy`);
      }

      // The vault file goes away (moved, or the sync service is replacing it): a warning, the
      // entries stay; when it is back the warning goes.
      const away = path.join(folder, 'work.crmvault.away');
      renameSync(vaultPath, away);
      for (const laptop of [a, b]) {
        await waitForText(laptop.browser, 'sync-warning', /vault file is missing.*stays open and safe here; saving will write the file again/, `${laptop.name} warns of the missing file`);
        assert.equal(await byTestId(laptop.browser, 'sync-status').getAttribute('data-state'), 'error');
        assert.deepEqual(await rowTitles(laptop.browser), ['Partner portal', 'Salesforce'], `${laptop.name} still shows the entries`);
      }
      renameSync(away, vaultPath);
      for (const laptop of [a, b]) {
        await laptop.browser.waitUntil(async () => !(await byTestId(laptop.browser, 'sync-warning').isExisting()), {
          ...ARRIVES,
          timeoutMsg: `${laptop.name} still warns after the file came back`,
        });
        await waitForText(laptop.browser, 'sync-status', /^Up to date/, `${laptop.name} is in step again`);
      }
    },
  ));
