// The main screen's list: sidebar (all, favourites, tags, trash), stars, a search that finds
// nothing, and the trash's delete for ever, in the real app.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEntry, byTestId, createVault, dismissToast, launch, openEntry, quit, rowTitles, screenshot, unlock, withApp } from './lib/app.mjs';

/** The row titled `title`. */
async function row(browser, title) {
  for (const r of await browser.$$('[data-testid="entry-row"]')) {
    if ((await r.$('.title').getProperty('textContent')) === title) return r;
  }
  throw new Error(`no row titled "${title}"`);
}

/** Waits until the list shows exactly `expected`, in any order. */
async function waitForSet(browser, expected, what) {
  let last = [];
  await browser
    .waitUntil(
      async () => {
        last = await rowTitles(browser);
        return JSON.stringify([...last].sort()) === JSON.stringify([...expected].sort());
      },
      { timeout: 5_000 },
    )
    .catch(() => {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(last)}`);
    });
}

/** Chooses a sidebar item by its test id (and tag) and waits until it is the current one. */
async function choose(browser, testid, tag) {
  const item = tag ? browser.$(`[data-testid="sidebar-tag"][data-tag="${tag}"]`) : byTestId(browser, testid);
  await item.click();
  await browser.waitUntil(async () => (await item.getAttribute('aria-current')) === 'true', {
    timeoutMsg: `the sidebar did not mark ${tag ?? testid} as chosen`,
  });
}

test('the sidebar filters by favourites and tags; an empty search closes the entry; delete for ever lasts', { timeout: 180_000 }, (t) =>
  withApp(t, async (session) => {
    const { driver } = session;
    let browser = session.browser;
    await createVault(browser);
    await addEntry(browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Sf-Passw0rd!', url: 'https://acme.my.salesforce.com', tags: ['crm'] });
    await addEntry(browser, { title: '纷享销客', username: 'liwei', password: 'Fx-Passw0rd!', url: 'https://www.fxiaoke.com', tags: ['crm', 'Sales/国内CRM'] });
    await addEntry(browser, { title: '金蝶云', username: 'liwei', password: 'Kd-Passw0rd!', tags: ['erp'] });
    await addEntry(browser, { title: 'Outlook', username: 'li.wei@example.com', password: 'Ol-Passw0rd!' });
    await dismissToast(browser);

    // Every tag is in the sidebar with its count; imported-group style names are tags like any other.
    const tags = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="sidebar-tag"]')].map((b) => `${b.dataset.tag}=${b.querySelector('.count')?.textContent}`),
    );
    assert.deepEqual([...tags].sort(), ['Sales/国内CRM=1', 'crm=2', 'erp=1']);
    assert.match(await byTestId(browser, 'sidebar-all').getText(), /4/);

    // A star on a row; Favourites shows that entry alone.
    await (await row(browser, '金蝶云')).$('[data-testid="row-star"]').click();
    await choose(browser, 'sidebar-favourites');
    await waitForSet(browser, ['金蝶云'], 'Favourites');
    // Ctrl+D stars the open entry; the entry view's star says so.
    await choose(browser, 'sidebar-all');
    await openEntry(browser, 'Salesforce');
    await browser.keys(['Control', 'd']);
    await browser.waitUntil(async () => (await byTestId(browser, 'detail-star').getAttribute('aria-pressed')) === 'true', {
      timeoutMsg: 'Ctrl+D did not star the open entry',
    });
    await choose(browser, 'sidebar-favourites');
    await waitForSet(browser, ['金蝶云', 'Salesforce'], 'Favourites after Ctrl+D');

    // A tag in the sidebar, and a tag chip on a row, filter alike.
    await choose(browser, 'sidebar-tag', 'crm');
    await waitForSet(browser, ['Salesforce', '纷享销客'], 'the crm tag');
    await choose(browser, 'sidebar-tag', 'Sales/国内CRM');
    await waitForSet(browser, ['纷享销客'], 'the Sales/国内CRM tag');
    await choose(browser, 'sidebar-all');
    await (await row(browser, '金蝶云')).$('[data-testid="row-tag"]').click();
    await waitForSet(browser, ['金蝶云'], 'the erp chip on a row');
    assert.equal(await byTestId(browser, 'list-title').getProperty('textContent'), 'erp');
    await choose(browser, 'sidebar-all');
    await screenshot(browser, 'list-sidebar');

    // A search that finds nothing leaves no entry open and nothing selected.
    await openEntry(browser, 'Outlook');
    await byTestId(browser, 'search').setValue('no such system');
    await byTestId(browser, 'no-results').waitForExist({ timeoutMsg: 'the search did not say nothing matched' });
    assert.equal(await byTestId(browser, 'detail-title').isExisting(), false, 'the previous entry is still shown');
    assert.equal(await byTestId(browser, 'search').getAttribute('aria-activedescendant'), null);
    await browser.keys('Escape');
    await browser.waitUntil(async () => (await rowTitles(browser)).length === 4, { timeoutMsg: 'Esc did not clear the search' });

    // Delete → the trash shows when → delete for ever, after a confirmation that names the entry.
    await openEntry(browser, 'Outlook');
    await byTestId(browser, 'delete-entry').click();
    await browser.waitUntil(async () => !(await rowTitles(browser)).includes('Outlook'), { timeoutMsg: 'the deleted entry stayed in the list' });
    await dismissToast(browser);
    await byTestId(browser, 'trash-open').click();
    const trashRow = byTestId(browser, 'trash-row');
    await trashRow.waitForExist({ timeoutMsg: 'the trash did not list the deleted entry' });
    assert.match(await trashRow.getProperty('textContent'), /Outlook/);
    const year = String(new Date().getFullYear());
    assert.match(await byTestId(browser, 'trash-deleted').getProperty('textContent'), new RegExp(`^Deleted .*${year}`));
    await screenshot(browser, 'trash');
    await byTestId(browser, 'trash-purge').click();
    const confirmText = byTestId(browser, 'trash-confirm-text');
    await confirmText.waitForExist({ timeoutMsg: 'delete for ever asked for no confirmation' });
    assert.match(await confirmText.getProperty('textContent'), /"Outlook" will be deleted for ever/);
    await byTestId(browser, 'trash-confirm').click();
    await byTestId(browser, 'trash-none').waitForExist({ timeoutMsg: 'the trash was not empty after delete for ever' });

    // After a restart it is gone from both the trash and the list.
    await quit(browser, driver);
    session.browser = browser = await launch(driver);
    await unlock(browser);
    await browser.waitUntil(async () => (await rowTitles(browser)).length === 3, { timeoutMsg: 'the list did not load after the restart' });
    assert.ok(!(await rowTitles(browser)).includes('Outlook'));
    await byTestId(browser, 'trash-open').click();
    await byTestId(browser, 'trash-none').waitForExist({ timeoutMsg: 'the entry deleted for ever came back after a restart' });
    // Favourites are kept in the vault.
    await choose(browser, 'sidebar-favourites');
    await waitForSet(browser, ['金蝶云', 'Salesforce'], 'Favourites after the restart');
  }),
);

test('pinyin initials find a Chinese title', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await addEntry(browser, { title: '纷享销客', username: 'liwei', password: 'Fx-Passw0rd!' });
    await addEntry(browser, { title: 'Salesforce', username: 'li.wei@example.com', password: 'Sf-Passw0rd!' });
    await byTestId(browser, 'search').setValue('fxxk');
    await waitForSet(browser, ['纷享销客'], 'the search "fxxk"');
    await byTestId(browser, 'search').setValue('fenxiang');
    await waitForSet(browser, ['纷享销客'], 'the search "fenxiang"');
  }),
);

test('at 800×600 the sidebar folds behind a button and still works', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await addEntry(browser, { title: '金蝶云', username: 'liwei', password: 'Kd-Passw0rd!', tags: ['erp'] });
    await addEntry(browser, { title: 'Outlook', username: 'li.wei@example.com', password: 'Ol-Passw0rd!' });
    await dismissToast(browser);
    await browser.setWindowSize(800, 600);
    await browser.waitUntil(async () => !(await byTestId(browser, 'sidebar').isDisplayed()), { timeoutMsg: 'the sidebar did not fold at 800×600' });
    const toggle = byTestId(browser, 'sidebar-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    await byTestId(browser, 'sidebar').waitForDisplayed({ timeoutMsg: 'the ☰ button did not show the sidebar' });
    await screenshot(browser, 'list-narrow');
    await choose(browser, 'sidebar-tag', 'erp');
    await waitForSet(browser, ['金蝶云'], 'the erp tag at 800×600');
    // Choosing folds it again, out of the list's way.
    await browser.waitUntil(async () => !(await byTestId(browser, 'sidebar').isDisplayed()), { timeoutMsg: 'the sidebar stayed open after a choice' });
    // Every toolbar button is inside the window.
    const overflow = await browser.execute(() =>
      [...document.querySelectorAll('header.toolbar button')].filter((b) => b.getBoundingClientRect().right > window.innerWidth).map((b) => b.textContent),
    );
    assert.deepEqual(overflow, []);
  }),
);
