// The security report: reused and weak passwords made in the test are found, flagged in the
// editor before saving, and "change password" fixes one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEntry, byTestId, createVault, dismissToast, screenshot, withApp } from './lib/app.mjs';

async function findings(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="report-finding"]')].map((f) => ({
      kind: f.dataset.kind,
      // One card per entry: the title is the card's, shared by its findings.
      title: f.closest('[data-testid="report-card"]')?.querySelector('[data-testid="report-title"]')?.textContent ?? '',
      text: f.textContent ?? '',
    })),
  );
}

test('security report: reused and weak passwords, flagged before saving, fixed from the report', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    const shared = 'Harbor-Quartz-Ember-2024!';
    await addEntry(browser, { title: 'ERP', username: 'li.wei', password: shared, url: 'https://erp.example.com' });
    await addEntry(
      browser,
      { title: 'Mail', username: 'li.wei@example.com', password: shared, url: 'https://mail.example.com' },
      {
        beforeSave: async () => {
          const warning = byTestId(browser, 'reuse-warning');
          await warning.waitForExist({ timeoutMsg: 'the editor did not flag the reused password' });
          assert.match(await warning.getText(), /Also used by ERP/);
        },
      },
    );
    await addEntry(
      browser,
      { title: 'Partner portal', username: 'li', password: 'password1', url: 'https://partners.example.com' },
      { beforeSave: () => byTestId(browser, 'weak-warning').waitForExist({ timeoutMsg: 'the editor did not flag the weak password' }) },
    );
    await addEntry(browser, { title: 'CRM', username: 'li.wei', password: 'Violet-Canyon-Maple-Falcon-93' });
    await dismissToast(browser);

    await browser.keys(['Control', 'r']);
    await byTestId(browser, 'report-summary').waitForExist({ timeoutMsg: 'Ctrl+R did not open the security report' });
    assert.equal(await byTestId(browser, 'report-summary').getText(), '4 passwords checked, ' + (await findings(browser)).length + ' findings.');
    const found = await findings(browser);
    const has = (title, kind) => found.some((f) => f.title === title && f.kind === kind);
    assert.ok(has('ERP', 'reused') && has('Mail', 'reused'), `reuse found: ${JSON.stringify(found)}`);
    assert.ok(has('Partner portal', 'weak'), `weak found: ${JSON.stringify(found)}`);
    assert.ok(!found.some((f) => f.title === 'CRM'), 'a strong, unique password has no finding');
    assert.match(found.find((f) => f.title === 'ERP' && f.kind === 'reused').text, /Same password as Mail/);
    assert.match(await byTestId(browser, 'report-count-reused').getText(), /2/);
    assert.match(await byTestId(browser, 'report-breaches').getText(), /Not checked against breaches/);
    await screenshot(browser, 'report');

    // "Change password" opens the editor with a new password ready; saving returns to the report.
    const rows = await browser.$$('[data-testid="report-card"]');
    let fixed = false;
    for (const row of rows) {
      if ((await row.$('[data-testid="report-title"]').getProperty('textContent')) === 'Partner portal') {
        await row.$('[data-testid="report-fix"]').click();
        fixed = true;
        break;
      }
    }
    assert.ok(fixed, 'a "change password" button for the portal');
    const password = byTestId(browser, 'editor-password');
    await browser.waitUntil(async () => (await password.getValue()).length >= 20, { timeoutMsg: 'no new password was ready in the editor' });
    await byTestId(browser, 'editor-save').click();
    await browser.waitUntil(async () => !(await findings(browser)).some((f) => f.title === 'Partner portal'), {
      timeoutMsg: 'the portal is still in the report after changing its password',
    });
  }));
