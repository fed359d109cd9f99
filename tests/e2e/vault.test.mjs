// First run, the editor and search: what a salesperson does on day one.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  MASTER_PASSWORD,
  addEntry,
  byTestId,
  createVault,
  dismissToast,
  openEntry,
  rowTitles,
  screenshot,
  waitForRows,
  withApp,
} from './lib/app.mjs';

test('first run: the setup screen creates a vault in the data folder and opens it', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser, driver }) => {
    const create = byTestId(browser, 'setup-create');
    await create.waitForExist();
    // The warning that a lost master password is lost for good is on screen.
    assert.match(await browser.$('.warning-box').getText(), /recover/i);

    // The strength meter judges the master password as it is typed.
    await byTestId(browser, 'setup-password').setValue(MASTER_PASSWORD);
    await byTestId(browser, 'setup-confirm').setValue(MASTER_PASSWORD);
    await browser.waitUntil(async () => /very strong/.test(await byTestId(browser, 'strength').getText()), {
      timeoutMsg: 'the strength meter did not rate the master password',
    });
    await screenshot(browser, 'setup');

    // Without ticking "I understand", the vault is not created.
    await create.click();
    await byTestId(browser, 'setup-error').waitForExist({ timeoutMsg: 'no error shown when the box was not ticked' });
    assert.match(await byTestId(browser, 'setup-error').getText(), /Tick the box/);

    const vaultPath = await createVault(browser);
    assert.equal(vaultPath, path.join(driver.dirs.data, 'crm-vault', 'vault.crmvault'), 'default location is in the data folder');
    assert.ok(existsSync(vaultPath), `the vault file exists at ${vaultPath}`);
    await byTestId(browser, 'empty-vault').waitForExist({ timeoutMsg: 'a new vault does not say it is empty' });
    assert.equal((await browser.$$('[data-testid="entry-row"]')).length, 0);
    // The search box has focus, ready for typing.
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'search');
  }));

test('the editor adds an entry with a generated password', { timeout: 60_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    const password = await addEntry(
      browser,
      {
        title: 'Salesforce',
        username: 'li.wei@example.com',
        generate: true,
        url: 'https://example.my.salesforce.com',
        tags: ['crm'],
        notes: 'Customer accounts, EMEA region',
      },
      {
        beforeSave: async () => {
          await browser.$('#editor-heading').scrollIntoView({ block: 'start' });
          await screenshot(browser, 'editor');
        },
      },
    );
    assert.equal(password.length, 20, `the generator's default length is 20, got "${password}"`);
    assert.match(password, /[a-z]/);
    assert.match(password, /[A-Z]/);
    assert.match(password, /[0-9]/);

    // The detail pane shows what was typed; the password stays masked until revealed.
    assert.equal(await byTestId(browser, 'detail-username').getText(), 'li.wei@example.com');
    const value = byTestId(browser, 'password-value');
    assert.notEqual(await value.getText(), password, 'the password is masked before reveal');
    await byTestId(browser, 'reveal-password').click();
    await browser.waitUntil(async () => (await value.getText()) === password, {
      timeoutMsg: 'revealing did not show the generated password',
    });
    assert.deepEqual(await rowTitles(browser), ['Salesforce']);
    await dismissToast(browser);
    await screenshot(browser, 'detail');
  }));

test('search filters the list by title, user name, tag and notes as one types', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    const entries = [
      { title: 'Salesforce', username: 'li.wei@example.com', password: 'S4les!force-2024', url: 'https://example.my.salesforce.com', tags: ['crm'] },
      { title: 'Outlook', username: 'li.wei@example.com', password: 'Mail-Box-99!', url: 'https://outlook.office.com', tags: ['mail'] },
      { title: 'SAP ERP', username: 'LWEI', password: 'Erp#Orders#7', url: 'https://erp.example.com', notes: 'Order entry and invoices' },
      { title: 'Partner portal', username: 'wei.li', password: 'Portal*Key*12', url: 'https://partners.example.net', tags: ['partner'] },
      { title: 'HubSpot', username: 'li.wei@example.com', password: 'Hub-Spot-Deal-5', url: 'https://app.hubspot.com', tags: ['crm'] },
    ];
    for (const entry of entries) await addEntry(browser, entry);
    const all = ['HubSpot', 'Outlook', 'Partner portal', 'Salesforce', 'SAP ERP'];
    await waitForRows(browser, all, 'every added entry is listed');

    const search = byTestId(browser, 'search');
    await search.click();
    await search.setValue('sap');
    await waitForRows(browser, ['SAP ERP'], 'searching a title');
    await search.setValue('invoices');
    await waitForRows(browser, ['SAP ERP'], 'searching the notes');
    await search.setValue('wei.li');
    await waitForRows(browser, ['Partner portal'], 'searching a user name');
    await search.setValue('crm');
    await waitForRows(browser, ['HubSpot', 'Salesforce'], 'searching a tag');
    await search.setValue('no such thing');
    await byTestId(browser, 'no-results').waitForExist({ timeoutMsg: 'a search without matches does not say so' });
    assert.equal((await browser.$$('[data-testid="entry-row"]')).length, 0);
    // Select all and delete, as a user clears the box.
    await browser.keys(['Control', 'a']);
    await browser.keys('Backspace');
    await waitForRows(browser, all, 'clearing the search shows everything again');

    await openEntry(browser, 'Salesforce');
    await dismissToast(browser);
    await screenshot(browser, 'main');
  }));
