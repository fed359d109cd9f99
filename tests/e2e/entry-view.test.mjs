// The entry view: its fields, then one "Edited … on …" line with History behind it; an earlier
// password copied through the clipboard that clears itself; "Open website" on a desktop where no
// browser can be started says so. The report: one card per entry, and its title opens the entry.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addEntry, byTestId, createVault, dismissToast, withApp } from './lib/app.mjs';
import { readClipboard } from './lib/clipboard.mjs';

/**
 * A folder of launchers that fail as they do on a desktop without a browser: the opener tries
 * xdg-open, then gio and the GNOME and KDE openers, and each says it could not open the link.
 * Put first in the app's PATH, it stands in for the real ones, whatever this machine has.
 */
function noBrowserPath() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-no-browser-'));
  const launchers = { 'xdg-open': 3, gio: 2, 'gnome-open': 1, 'kde-open': 1, 'kde-open5': 1, 'kde-open6': 1 };
  for (const [name, status] of Object.entries(launchers)) {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\necho "${name}: no method available for opening '$*'" >&2\nexit ${status}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

const toastText = async (browser) => {
  const toast = byTestId(browser, 'toast');
  await toast.waitForExist({ timeoutMsg: 'no notice appeared' });
  return toast.getText();
};

test('entry view: one edited line, History, copy an earlier password, no browser said so', { timeout: 120_000 }, async (t) => {
  const stubs = noBrowserPath();
  try {
    await withApp(t, { env: { PATH: `${stubs}:${process.env.PATH}` } }, async ({ browser }) => {
      await createVault(browser);
      const oldPassword = 'Harbor-Lantern-Otter-2025!';
      const newPassword = 'Summit-Quartz-Falcon-2026!';
      await addEntry(browser, { title: 'CRM', username: 'li.wei', password: oldPassword, url: 'https://crm.example.com', notes: 'Customer portal' });

      // A new password, so the old one becomes an earlier value.
      await dismissToast(browser);
      await byTestId(browser, 'edit-entry').click();
      const password = byTestId(browser, 'editor-password');
      await password.waitForExist();
      await password.setValue(newPassword);
      await dismissToast(browser);
      await byTestId(browser, 'editor-save').click();
      await byTestId(browser, 'edit-entry').waitForExist({ timeoutMsg: 'the entry was not shown after saving' });

      // The fields, then one line: "Edited 4:52 PM on <this laptop> · History".
      assert.equal(await byTestId(browser, 'detail-username').getText(), 'li.wei');
      const edited = await byTestId(browser, 'detail-last-change').getText();
      assert.match(edited, /^Edited \d{1,2}:\d{2}(\s?[AP]M)? on \S.*$/, `today's edit shows the time alone: ${edited}`);
      const page = await browser.execute(() => document.querySelector('article.detail')?.textContent ?? '');
      assert.ok(!page.includes('Where each field last changed'), 'the per-field changes wait behind History');
      assert.ok(!page.includes('password changed') && !page.includes('Modified'), 'no row of dates under the fields');
      assert.equal(await byTestId(browser, 'detail-dates').isExisting(), false, 'the dates wait behind History');
      assert.equal(await byTestId(browser, 'entry-history').isExisting(), false);

      // History opens the per-field changes and the earlier values.
      const toggle = byTestId(browser, 'changes-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      await byTestId(browser, 'entry-history').waitForExist({ timeoutMsg: 'History did not open' });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const changed = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="detail-changes"] li')].map((li) => li.dataset.field),
      );
      assert.ok(changed.includes('password'), `the password's last change is listed: ${JSON.stringify(changed)}`);

      // Copy the earlier password: it reaches the clipboard without being shown.
      const earlier = await browser.$('[data-testid="history-item"][data-field="password"]');
      await earlier.waitForExist({ timeoutMsg: 'no earlier password in History' });
      await dismissToast(browser);
      await earlier.$('[data-testid="history-copy"]').click();
      await browser.waitUntil(async () => (await readClipboard()) === oldPassword, {
        timeout: 5_000,
        timeoutMsg: 'the earlier password did not reach the clipboard',
      });
      assert.match(await toastText(browser), /^Earlier password copied\. The clipboard clears in \d+ s\./);
      const shown = await browser.execute(() => document.body.textContent ?? '');
      assert.ok(!shown.includes(oldPassword), 'copying does not show the earlier password');
      // The copy is in the entry's recent activity, as other copies are.
      await browser.waitUntil(
        async () => (await browser.execute(() => [...document.querySelectorAll('[data-testid="recent-activity-row"]')].map((r) => r.dataset.kind))).includes('copy'),
        { timeout: 5_000, timeoutMsg: 'the copy of the earlier password is not in the activity' },
      );

      // Open website, with no browser to start: the notice says that, not a file error.
      await dismissToast(browser);
      await byTestId(browser, 'open-url').click();
      const said = await toastText(browser);
      assert.match(said, /^No web browser could be started/, `the notice names the cause: ${said}`);
      assert.ok(!said.includes('file'), `no talk of files: ${said}`);
      // The same from the keyboard (Ctrl+U).
      await dismissToast(browser);
      await browser.keys(['Control', 'u']);
      assert.match(await toastText(browser), /^No web browser could be started/);
    });
  } finally {
    rmSync(stubs, { recursive: true, force: true });
  }
});

test('report: one card for an entry with two findings, and its title opens the entry', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    // "password1" is both common and weak: two findings, one entry.
    await addEntry(browser, { title: 'Partner portal', username: 'li', password: 'password1', url: 'https://partners.example.com' });
    await addEntry(browser, { title: 'CRM', username: 'li.wei', password: 'Violet-Canyon-Maple-Falcon-93' });
    await dismissToast(browser);

    await browser.keys(['Control', 'r']);
    await byTestId(browser, 'report-summary').waitForExist({ timeoutMsg: 'Ctrl+R did not open the security report' });
    const cards = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="report-card"]')].map((c) => ({
        title: c.querySelector('[data-testid="report-title"]')?.textContent ?? '',
        severity: c.dataset.severity,
        kinds: [...c.querySelectorAll('[data-testid="report-finding"]')].map((f) => f.dataset.kind),
      })),
    );
    const portal = cards.filter((c) => c.title === 'Partner portal');
    assert.equal(portal.length, 1, `one card for the portal: ${JSON.stringify(cards)}`);
    assert.ok(portal[0].kinds.length >= 2, `the card holds all its findings: ${JSON.stringify(portal[0])}`);
    assert.ok(portal[0].kinds.includes('weak'), JSON.stringify(portal[0]));
    assert.equal(portal[0].severity, 'high', 'a common password is a high risk');
    assert.ok(!cards.some((c) => c.title === 'CRM'), 'a strong, unique password has no card');
    const score = Number(await byTestId(browser, 'report-score').$('.score-value').getText());
    assert.ok(score < 100 && score >= 0, `a score below 100 with a finding: ${score}`);

    // The title is a button that opens the entry.
    await byTestId(browser, 'report-title').click();
    await browser.waitUntil(async () => (await byTestId(browser, 'detail-title').getText().catch(() => '')) === 'Partner portal', {
      timeoutMsg: "the card's title did not open the entry",
    });
    assert.equal(await byTestId(browser, 'report').isExisting(), false, 'the report made way for the entry');
  }));
