// Opens WebDriver sessions on the app and does what a user does on its screens.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { remote } from 'webdriverio';
import { APP, ROOT, freshHome, removeHome, runningApps, startDriver } from './driver.mjs';

export const MASTER_PASSWORD = 'granite otter lantern meadow 47';
export const QUICK_UNLOCK_PIN = '482916';
export const SHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(ROOT, 'docs', 'screenshots');
export const FAILURES = process.env.E2E_FAILURE_DIR ?? path.join(ROOT, 'target', 'e2e-failures');

/** The element with `data-testid`. */
export function byTestId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

/** Starts the app through `driver` (with command-line `args`) and waits until its first screen shows. */
export async function launch(driver, args = []) {
  let browser;
  try {
    browser = await openSession(driver, args);
  } catch (err) {
    // A session that never opened: on a loaded machine the app before it may still have been
    // going, so this one handed over to it and left. Once more, when no app of this test runs.
    await driver.waitAppExit(15_000).catch(() => {});
    browser = await openSession(driver, args).catch((again) => {
      throw new Error(`no WebDriver session, twice: ${err.message}; then ${again.message}; apps running: ${runningApps()}`);
    });
  }
  await browser.waitUntil(
    async () =>
      (await byTestId(browser, 'setup-create').isExisting()) ||
      (await byTestId(browser, 'unlock-password').isExisting()) ||
      (await byTestId(browser, 'search').isExisting()),
    { timeout: 15_000, timeoutMsg: 'the app showed none of its screens within 15 s' },
  );
  return browser;
}

function openSession(driver, args) {
  return remote({
    hostname: '127.0.0.1',
    port: driver.port,
    logLevel: 'error',
    waitforTimeout: 10_000,
    connectionRetryCount: 1,
    // A WebDriver command that hangs fails the test in 30 s rather than wdio's default 120 s.
    connectionRetryTimeout: 30_000,
    capabilities: {
      browserName: 'wry',
      'tauri:options': { application: APP, args },
      'wdio:enforceWebDriverClassic': true,
    },
  });
}

/** Quits the app (ends the WebDriver session) and waits until its process is gone. */
export async function quit(browser, driver) {
  await browser.deleteSession();
  await driver.waitAppExit();
}

/**
 * Runs `body` with a fresh home, a tauri-driver and the app started; on failure keeps a
 * screenshot and the driver's log; always quits the app and stops the driver.
 */
export async function withApp(t, options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  // A home made here is removed afterwards; one passed in belongs to the caller.
  const ownsHome = !options.dirs;
  const dirs = options.dirs ?? freshHome();
  const driver = await startDriver({ ...options, dirs });
  const session = { driver, browser: null };
  try {
    session.browser = await launch(driver, options.args);
    await body(session);
  } catch (err) {
    if (session.browser) {
      try {
        mkdirSync(FAILURES, { recursive: true });
        const file = path.join(FAILURES, `${t.name.replace(/[^\w-]+/g, '_')}.png`);
        await session.browser.saveScreenshot(file);
        t.diagnostic(`screenshot at failure: ${file}`);
      } catch {
        // The session may be what failed.
      }
    }
    const log = driver.log().trim();
    if (log) t.diagnostic(`tauri-driver log:\n${log}`);
    throw err;
  } finally {
    if (session.browser) await session.browser.deleteSession().catch(() => {});
    await driver.stop();
    if (ownsHome) removeHome(dirs.home);
  }
}

/** Saves a WebDriver screenshot of the window as docs/screenshots/<name>.png (E2E_SCREENSHOTS=0 skips). */
export async function screenshot(browser, name) {
  if (process.env.E2E_SCREENSHOTS === '0') return;
  mkdirSync(SHOTS, { recursive: true });
  // Let transitions and the strength meter settle so the picture shows the final state.
  await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/** Fills the first-run screen and creates the vault (at `path` if given); returns the vault's path as shown. */
export async function createVault(browser, { password = MASTER_PASSWORD, path: chosenPath, beforeCreate } = {}) {
  const pathInput = byTestId(browser, 'setup-path');
  await pathInput.waitForExist();
  // A path typed over the proposed one (the sync folder), as a user may do.
  if (chosenPath) await pathInput.setValue(chosenPath);
  const vaultPath = await pathInput.getValue();
  await byTestId(browser, 'setup-password').setValue(password);
  await byTestId(browser, 'setup-confirm').setValue(password);
  await byTestId(browser, 'setup-understand').click();
  if (beforeCreate) await beforeCreate();
  await byTestId(browser, 'setup-create').click();
  await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'the main screen did not appear after creating the vault' });
  return vaultPath;
}

/** Adds an entry through the editor; `generate` uses the generator for the password. Returns the password. */
export async function addEntry(browser, entry, { beforeSave } = {}) {
  await byTestId(browser, 'new-entry').click();
  const title = byTestId(browser, 'editor-title');
  await title.waitForExist();
  await title.setValue(entry.title);
  if (entry.username) await byTestId(browser, 'editor-username').setValue(entry.username);
  const passwordInput = byTestId(browser, 'editor-password');
  if (entry.generate) {
    // The generator opens in a popover from the password field; Use puts its password in.
    await byTestId(browser, 'editor-generator').click();
    const use = byTestId(browser, 'gen-use');
    await browser.waitUntil(async () => (await use.isExisting()) && (await use.isEnabled()), {
      timeoutMsg: 'the generator made no password',
    });
    await use.click();
    await browser.waitUntil(async () => (await passwordInput.getValue()) !== '', {
      timeoutMsg: 'the generator put no password in the field',
    });
  } else if (entry.password) {
    await passwordInput.setValue(entry.password);
  }
  const password = await passwordInput.getValue();
  if (entry.url) await byTestId(browser, 'editor-url').setValue(entry.url);
  if (entry.tags?.length) {
    const tags = byTestId(browser, 'editor-tags');
    for (const tag of entry.tags) {
      await tags.addValue(tag);
      await browser.keys('Enter');
    }
  }
  if (entry.notes) await byTestId(browser, 'editor-notes').setValue(entry.notes);
  if (beforeSave) await beforeSave({ password });
  // The "Entry saved." toast of the previous entry covers the Save button (it sits at the bottom
  // of the pane, under the toast, for 4 s): close the toast as a user would.
  await dismissToast(browser);
  await byTestId(browser, 'editor-save').click();
  await browser.waitUntil(
    async () => {
      const heading = byTestId(browser, 'detail-title');
      return (await heading.isExisting()) && (await heading.getText()) === entry.title;
    },
    { timeoutMsg: `the saved entry "${entry.title}" was not shown` },
  );
  return password;
}

/** Closes the toast, if one shows, with its × button. */
export async function dismissToast(browser) {
  const toast = byTestId(browser, 'toast');
  if (!(await toast.isExisting())) return;
  await toast.$('button.icon').click().catch(() => {});
  await toast.waitForExist({ reverse: true, timeout: 5_000 });
}

/** The titles of the rows in the entry list, in order. */
export async function rowTitles(browser) {
  // WebKitWebDriver's getText returns "" for the list's absolutely placed rows: read the DOM.
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="entry-row"]')].map((row) => row.querySelector('.title')?.textContent ?? ''),
  );
}

/** Waits until the list shows exactly `expected` (in order). */
export async function waitForRows(browser, expected, timeoutMsg) {
  let last = [];
  await browser
    .waitUntil(
      async () => {
        last = await rowTitles(browser);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      { timeout: 5_000 },
    )
    .catch(() => {
      throw new Error(`${timeoutMsg ?? 'the list did not show the expected entries'}: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(last)}`);
    });
}

export async function openEntry(browser, title) {
  const rows = await browser.$$('[data-testid="entry-row"]');
  for (const row of rows) {
    if ((await row.$('.title').getProperty('textContent')) === title) {
      await row.click();
      await browser.waitUntil(async () => (await byTestId(browser, 'detail-title').getText().catch(() => '')) === title, {
        timeoutMsg: `the details of "${title}" did not open`,
      });
      return;
    }
  }
  throw new Error(`no row titled "${title}"`);
}

/**
 * Types the master password on the unlock screen and presses Enter. `remember` ticks "remember
 * on this device" and chooses `pin` (typed twice) for quick unlock.
 */
export async function typeMasterPassword(browser, password, { remember = false, pin = QUICK_UNLOCK_PIN } = {}) {
  const input = byTestId(browser, 'unlock-password');
  await input.waitForExist();
  if (remember) {
    await byTestId(browser, 'unlock-remember').click();
    await byTestId(browser, 'unlock-new-pin').setValue(pin);
    await byTestId(browser, 'unlock-new-pin-again').setValue(pin);
  }
  await input.setValue(password);
  await browser.keys('Enter');
}

export async function unlock(browser, password = MASTER_PASSWORD, options = {}) {
  await typeMasterPassword(browser, password, options);
  await byTestId(browser, 'search').waitForExist({ timeoutMsg: 'the vault did not unlock' });
}

export async function lock(browser) {
  await byTestId(browser, 'lock').click();
  await byTestId(browser, 'unlock-password').waitForExist({ timeoutMsg: 'the lock button did not lock the vault' });
}

/**
 * Opens settings, lets `change` edit the general tab, and closes the dialog with Esc. Settings
 * apply at once: Tab leaves the last field changed (a number is saved then), and "Saved." shows.
 */
export async function changeSettings(browser, change, { shot } = {}) {
  await byTestId(browser, 'settings-open').click();
  await byTestId(browser, 'settings-saved').waitForExist();
  await change();
  await browser.keys('Tab');
  await browser.waitUntil(async () => (await byTestId(browser, 'settings-saved').getText()) !== '', {
    timeoutMsg: 'settings were not confirmed as saved',
  });
  if (shot) await screenshot(browser, shot);
  await browser.keys('Escape');
  await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeoutMsg: 'the settings dialog did not close on Esc' });
}

/**
 * Like `screenshot`, but grabs the app's window from the X server (ImageMagick's `import`), not
 * through WebDriver: on a loaded machine WebKitWebDriver's screenshot can stall for longer than a
 * command may take, while the X server always has the picture.
 */
export async function windowShot(browser, name, dir = SHOTS) {
  if (process.env.E2E_SCREENSHOTS === '0') return;
  mkdirSync(dir, { recursive: true });
  await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const ids = execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^CRM Vault$'], { encoding: 'utf8' }).trim().split('\n');
  execFileSync('import', ['-window', ids[ids.length - 1], path.join(dir, `${name}.png`)]);
}
