// Accessibility of every main screen, checked inside the real WebKit window with axe-core: the
// WCAG 2.0/2.1 A and AA rules (contrast, labels, names, focus order, language), in English, in
// Simplified Chinese and in the dark theme. The same walk saves the README's screenshots
// (main.png, main-zh.png, main-dark.png, …). Every violation of every screen is collected and
// reported together, so one run lists all that is left to fix.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { addEntry, byTestId, changeSettings, createVault, dismissToast, lock, openEntry, unlock, windowShot, withApp } from './lib/app.mjs';
import { ROOT, freshHome, removeHome } from './lib/driver.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DATE_SHOTS = path.join(ROOT, 'target', 'e2e-a11y');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** A small CSV (Chrome's columns) for the import preview: one login, one empty line to skip. */
const IMPORT_CSV = ['name,url,username,password', '钉钉,https://www.dingtalk.com,li.wei,Ding-Quartz-Meadow-57', ',,,', ''].join('\n');

/** Runs axe on the whole document; answers the violations, each with a few of its elements. */
async function axeViolations(browser) {
  const loaded = await browser.execute(() => typeof window.axe === 'object');
  if (!loaded) {
    // Evaluated by the automation, not as a page script, so the app's CSP does not stop it.
    await browser.execute(`${AXE_SOURCE}\n;window.axe = axe; return true;`);
  }
  const result = await browser.executeAsync((tags, done) => {
    window.axe
      .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      .then((r) =>
        done(
          r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 220)}`),
            count: v.nodes.length,
          })),
        ),
      )
      .catch((e) => done({ error: String(e) }));
  }, WCAG_TAGS);
  if (result && result.error) throw new Error(`axe failed: ${result.error}`);
  return result;
}

/**
 * Tabs through the first controls of the screen and answers those that show no focus ring
 * (no outline and no box-shadow while focused): keyboard users must see where they are.
 */
async function unseenFocus(browser, presses = 6) {
  const unseen = [];
  for (let i = 0; i < presses; i += 1) {
    await browser.keys('Tab');
    const found = await browser.execute(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
      if (ring) return null;
      const name = el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 30) || el.getAttribute('name') || '';
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.dataset?.testid ? `[data-testid=${el.dataset.testid}]` : ''} "${name}"`;
    });
    if (found && !unseen.includes(found)) unseen.push(found);
  }
  return unseen;
}

/** Checks one screen and saves its screenshot; problems go into `found` under the screen's name. */
async function check(browser, found, screen, shot) {
  // Let transitions end so contrast is measured on the final colours.
  await browser.execute(() => new Promise((r) => setTimeout(r, 250)));
  const violations = await axeViolations(browser);
  for (const v of violations) found.push({ screen, ...v });
  // A picture that cannot be taken is no accessibility problem: say so and go on.
  if (shot) await windowShot(browser, shot).catch((err) => console.error(`no screenshot of ${screen}: ${err.message}`));
}

function report(found) {
  return found
    .map((v) => `[${v.screen}] ${v.id} (${v.impact}, ${v.count} element${v.count === 1 ? '' : 's'}): ${v.help}\n    ${v.nodes.join('\n    ')}`)
    .join('\n');
}

/**
 * One walk through every screen. `lang` is chosen on the setup screen; `dark` switches the theme in
 * settings before the main screens are checked (setup comes before any setting, so it is checked
 * in the light theme only).
 */
async function walk(t, { lang, dark, suffix }) {
  const found = [];
  const shot = (name) => `${name}${suffix}`;
  const dirs = freshHome();
  t.after(() => removeHome(dirs.home));
  const csv = path.join(dirs.home, 'passwords.csv');
  writeFileSync(csv, IMPORT_CSV);
  // What was found so far is told even when the walk itself breaks off.
  t.after(() => {
    if (found.length) t.diagnostic(`accessibility problems so far:\n${report(found)}`);
  });
  await withApp(t, { dirs, env: { CRM_VAULT_E2E_PICK: csv } }, async ({ browser }) => {
    await byTestId(browser, 'setup-create').waitForExist();
    if (lang === 'zh-CN') {
      await browser.$('.lang select').selectByAttribute('value', 'zh-CN');
      await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'zh-CN', {
        timeoutMsg: 'the window did not switch to Chinese',
      });
    }
    if (!dark) {
      await check(browser, found, 'setup', shot('setup'));
      const focus = await unseenFocus(browser);
      if (focus.length) found.push({ screen: 'setup', id: 'focus-visible', impact: 'serious', help: 'controls without a visible focus ring', nodes: focus, count: focus.length });
    }
    await createVault(browser);

    if (dark) {
      await changeSettings(browser, () => browser.$('#settings-theme').selectByAttribute('value', 'dark'));
      assert.equal(await browser.execute(() => document.documentElement.dataset.theme), 'dark');
    }

    const zh = lang === 'zh-CN';
    await addEntry(browser, { title: zh ? '纷享销客' : 'Salesforce', username: 'li.wei@example.com', password: 'Harbor-Quartz-Ember-2024!', url: 'https://crm.example.com', tags: [zh ? '客户' : 'customers'], notes: zh ? '华东区账号' : 'East region account' });
    await addEntry(browser, { title: zh ? '金蝶 ERP' : 'ERP', username: 'li.wei', password: 'password1', url: 'https://erp.example.com' });
    await addEntry(browser, { title: 'Outlook', username: 'li.wei@example.com', password: 'Harbor-Quartz-Ember-2024!', url: 'https://outlook.office.com', tags: ['mail'] });
    await dismissToast(browser);

    // The list with an entry open.
    await openEntry(browser, zh ? '纷享销客' : 'Salesforce');
    await check(browser, found, 'main', shot('main'));
    const focus = await unseenFocus(browser, 10);
    if (focus.length) found.push({ screen: 'main', id: 'focus-visible', impact: 'serious', help: 'controls without a visible focus ring', nodes: focus, count: focus.length });

    // The editor, then back without saving.
    await byTestId(browser, 'edit-entry').click();
    await byTestId(browser, 'editor-title').waitForExist();
    await check(browser, found, 'editor', shot('editor'));
    // How WebKitGTK draws the expiry date field in this language (kept out of docs/: a check for
    // the date format, looked at by eye).
    const expires = byTestId(browser, 'editor-expires');
    if (await expires.isExisting()) {
      await expires.scrollIntoView();
      await windowShot(browser, `date-input${suffix || '-en'}`, DATE_SHOTS).catch(() => {});
    }
    await browser.keys('Escape');
    await byTestId(browser, 'editor-title').waitForExist({ reverse: true, timeoutMsg: 'Esc did not close the editor' }).catch(async () => {
      // A confirmation before discarding (being added): the first button that discards.
      await browser.keys('Escape');
    });

    await byTestId(browser, 'report-open').click();
    await byTestId(browser, 'report-summary').waitForExist({ timeoutMsg: 'the report did not open' });
    await check(browser, found, 'report', shot('report'));

    await byTestId(browser, 'activity-open').click();
    await byTestId(browser, 'activity-view').waitForExist({ timeoutMsg: 'the activity log did not open' });
    await check(browser, found, 'activity', shot('activity'));

    // The trash with one entry in it.
    await byTestId(browser, 'trash-open').click();
    await byTestId(browser, 'trash-open').click();
    await byTestId(browser, 'search').waitForExist();
    await openEntry(browser, 'Outlook');
    await byTestId(browser, 'delete-entry').click();
    await dismissToast(browser);
    await byTestId(browser, 'trash-open').click();
    await byTestId(browser, 'trash-row').waitForExist({ timeoutMsg: 'the trash did not show the deleted entry' });
    await check(browser, found, 'trash', shot('trash'));
    await byTestId(browser, 'trash-open').click();

    // Settings, every tab.
    await byTestId(browser, 'settings-open').click();
    await browser.$('[role="dialog"]').waitForExist({ timeoutMsg: 'settings did not open' });
    await check(browser, found, 'settings-general', shot('settings'));
    const tabs = await browser.$$('.tabs [role="tab"]');
    for (let i = 1; i < tabs.length; i += 1) {
      await tabs[i].click();
      await browser.execute(() => new Promise((r) => setTimeout(r, 300)));
      await check(browser, found, `settings-tab-${i + 1}`, i === 5 ? shot('settings-backups') : null);
    }
    await browser.keys('Escape');
    await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'settings did not close on Esc' });

    // The import preview (the file dialog is answered by the e2e hooks).
    await byTestId(browser, 'transfer-menu').click();
    await byTestId(browser, 'import-open').click();
    await byTestId(browser, 'import-choose').click();
    await byTestId(browser, 'import-preview').waitForExist({ timeoutMsg: 'the import showed no preview' });
    await check(browser, found, 'import-preview', shot('import'));
    await browser.$('[role="dialog"] button.close').click();
    await byTestId(browser, 'import-preview').waitForExist({ reverse: true });

    await lock(browser);
    await check(browser, found, 'unlock', shot('unlock'));
    await unlock(browser);
  });
  return found;
}

const VARIANTS = [
  { name: 'English', lang: 'en', dark: false, suffix: '' },
  { name: '简体中文', lang: 'zh-CN', dark: false, suffix: '-zh' },
  { name: 'dark theme', lang: 'en', dark: true, suffix: '-dark' },
];

for (const variant of VARIANTS) {
  test(`every screen passes axe's WCAG 2.1 A/AA rules, ${variant.name}`, { timeout: 180_000 }, async (t) => {
    const found = await walk(t, variant);
    assert.equal(found.length, 0, `accessibility problems:\n${report(found)}`);
  });
}
