// Several "laptops" side by side on one machine: each is the real app with its own home and
// settings folder (CRM_VAULT_CONFIG_DIR makes it an instance of its own), its own device name,
// and its own tauri-driver and WebDriver session. They share a folder, as a sync service would
// make them share one.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAILURES, launch, rowTitles } from './app.mjs';
import { freshHome, removeHome, startDriver } from './driver.mjs';

/**
 * A settings folder for a laptop called `name`: its device identity written beforehand (the
 * app reads it and stamps every write with the name), and optionally the vault it opens.
 */
function prepareConfig(dir, name, vaultPath) {
  mkdirSync(dir, { recursive: true });
  const identity = { id: randomBytes(8).toString('hex'), name };
  writeFileSync(path.join(dir, 'device.json'), JSON.stringify(identity, null, 2));
  if (vaultPath) writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ vault_path: vaultPath }, null, 2));
}

/**
 * Runs `body({ folder, laptops })` with one laptop per entry of `specs` ({ name, vaultPath? }),
 * all apps started; `folder` is the shared "sync folder". On failure keeps a screenshot of every
 * window and every driver's log; always quits the apps and stops the drivers.
 */
export async function withLaptops(t, specs, body) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-e2e-sync-'));
  const laptops = specs.map((spec) => {
    const dirs = freshHome();
    const config = path.join(dirs.home, 'crm-vault-settings');
    const vaultPath = typeof spec.vaultPath === 'function' ? spec.vaultPath(folder) : spec.vaultPath;
    prepareConfig(config, spec.name, vaultPath);
    return { name: spec.name, dirs, config, driver: null, browser: null };
  });
  try {
    // Side by side: the drivers and apps start at the same time.
    await Promise.all(
      laptops.map(async (laptop) => {
        laptop.driver = await startDriver({ dirs: laptop.dirs, env: { CRM_VAULT_CONFIG_DIR: laptop.config } });
        laptop.browser = await launch(laptop.driver);
      }),
    );
    await body({ folder, laptops });
  } catch (err) {
    mkdirSync(FAILURES, { recursive: true });
    for (const laptop of laptops) {
      if (laptop.browser) {
        const file = path.join(FAILURES, `${t.name.replace(/[^\w-]+/g, '_')}-${laptop.name}.png`);
        await laptop.browser
          .saveScreenshot(file)
          .then(() => t.diagnostic(`screenshot of ${laptop.name} at failure: ${file}`))
          .catch(() => {});
      }
      const log = laptop.driver?.log().trim();
      if (log) t.diagnostic(`tauri-driver log of ${laptop.name}:\n${log}`);
    }
    throw err;
  } finally {
    await Promise.all(
      laptops.map(async (laptop) => {
        if (laptop.browser) await laptop.browser.deleteSession().catch(() => {});
        if (laptop.driver) await laptop.driver.stop();
        removeHome(laptop.dirs.home);
      }),
    );
    removeHome(folder);
  }
}

// Changes arrive through a file the apps look at every second: a few seconds is plenty.
export const ARRIVES = { timeout: 8_000, interval: 100 };

/** The element's text, "" if it is not there. (WebKitWebDriver's getText misses some of it: read the DOM.) */
export async function textOf(browser, testid) {
  return browser.execute(
    (id) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    testid,
  );
}

/** Waits until the element's text matches `pattern`; the message says what was seen instead. */
export async function waitForText(browser, testid, pattern, what) {
  let seen = '';
  await browser
    .waitUntil(async () => pattern.test((seen = await textOf(browser, testid))), ARRIVES)
    .catch(() => {
      throw new Error(`${what}: [data-testid=${testid}] should match ${pattern}, shows ${JSON.stringify(seen)}`);
    });
}

/** Waits until the entry list shows exactly `expected`, as it arrives from another laptop. */
export async function waitForRowsOn(browser, expected, what) {
  let seen = [];
  await browser
    .waitUntil(async () => JSON.stringify((seen = await rowTitles(browser))) === JSON.stringify(expected), ARRIVES)
    .catch(() => {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(seen)}`);
    });
}
