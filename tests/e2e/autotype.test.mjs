// Auto-type: the global shortcut (Ctrl+Alt+A) types the entry that fits the focused window into
// it, through XTest, under the same Xvfb as the app: into a GTK form (zenity) with the entry's
// own sequence, into Chromium on the mock CRM's page that accepts only real keystrokes (which the
// login window's script filling cannot pass), through the chooser when two entries fit, and from
// the entry view's "Auto-type" into the window used before CRM Vault.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, byTestId, openEntry, unlock, withApp } from './lib/app.mjs';
import { ROOT, freshHome, removeHome } from './lib/driver.mjs';
import { CRM_PASSWORD, CRM_USER, startMockCrm } from './lib/crm.mjs';

const CLI = path.resolve(process.env.CRM_VAULT_CLI ?? path.join(ROOT, 'target/release/crm-vault'));
const DESK_PASSWORD = 'Pä55!~"{} 销售';

function makeVault(home, crm) {
  const vault = path.join(home, 'work.crmvault');
  const env = { ...process.env, HOME: home, CRM_VAULT_CONFIG_DIR: path.join(home, 'cli') };
  const run = (args, input) => execFileSync(CLI, args, { input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  run(['init', '--kdf-memory-mib', '19', '--kdf-iterations', '2', '--kdf-parallelism', '1', vault], `${MASTER_PASSWORD}\n${MASTER_PASSWORD}\n`);
  // zenity's form takes Enter only on its OK button: this entry's own sequence tabs there.
  run(
    ['add', '--title', 'Desk CRM', '--username', '销售员 alice', '--autotype', '{USERNAME}{TAB}{PASSWORD}{TAB}{TAB}{ENTER}', vault],
    `${MASTER_PASSWORD}\n${DESK_PASSWORD}\n`,
  );
  run(['add', '--title', 'Secure log in', '--username', CRM_USER, '--url', `${crm.origin}/trusted-only`, vault], `${MASTER_PASSWORD}\n${CRM_PASSWORD}\n`);
  // Two entries for the "Twin" window: the chooser asks which.
  for (const [title, user] of [['Twin ERP', 'first.user'], ['Twin ERP backup', 'second.user']]) {
    run(
      ['add', '--title', title, '--username', user, '--autotype', '{USERNAME}{TAB}{PASSWORD}{TAB}{TAB}{ENTER}', '--autotype-window', 'Twin*', vault],
      `${MASTER_PASSWORD}\nTwin-pass-1\n`,
    );
  }
  return vault;
}

/** A zenity login form titled `title`; `closed` resolves with what it printed when it closed. */
function zenityForm(dirs, title) {
  const child = spawn('zenity', ['--forms', `--title=${title}`, '--text=Log in', '--add-entry=User', '--add-password=Password'], {
    env: { ...process.env, HOME: dirs.home, GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1', LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  zenityForm.opened.push(child);
  const closed = new Promise((resolve) => child.once('exit', () => resolve(out.replace(/\n$/, ''))));
  return { child, closed };
}

/** Waits for a window whose title contains `name` and gives it the keyboard focus. */
async function focusWindow(name, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const id = execFileSync('xdotool', ['search', '--onlyvisible', '--name', name]).toString().trim().split('\n').pop();
      if (id) {
        execFileSync('xdotool', ['windowfocus', '--sync', id]);
        return id;
      }
    } catch {
      // Not mapped yet.
    }
    if (Date.now() > deadline) throw new Error(`no window named like "${name}" appeared`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Every form opened, so a test that fails midway leaves none behind (its pipe would keep the run alive).
zenityForm.opened = [];

function pressShortcut() {
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+alt+a']);
}

async function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('auto-type: the shortcut types into a GTK form and into Chromium, the chooser and the entry view type too', { timeout: 240_000 }, async (t) => {
  const crm = await startMockCrm();
  const dirs = freshHome();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-chromium-'));
  let chromium = null;
  try {
    const vault = makeVault(dirs.home, crm);
    await withApp(t, { dirs, args: ['--vault', vault] }, async ({ browser }) => {
      await unlock(browser);

      // The shortcut in a GTK form: the entry whose title is in the window's, with its own sequence.
      const desk = zenityForm(dirs, 'Desk CRM login');
      await focusWindow('Desk CRM login');
      await new Promise((r) => setTimeout(r, 500));
      pressShortcut();
      const typed = await within(desk.closed, 20_000, 'the zenity form was not filled and sent');
      assert.equal(typed, `销售员 alice|${DESK_PASSWORD}`, 'Chinese, symbols and spaces typed as they are');

      // The shortcut in Chromium, on a page that takes real keystrokes only.
      chromium = spawn(
        'chromium',
        ['--no-sandbox', `--user-data-dir=${profile}`, '--no-first-run', '--password-store=basic', '--disable-gpu', `--app=${crm.origin}/trusted-only`],
        { env: { ...process.env, HOME: dirs.home }, stdio: 'ignore' },
      );
      await focusWindow('Secure log in', 30_000);
      // The page's own script (its key listeners, the autofocus) runs once it has loaded.
      await new Promise((r) => setTimeout(r, 2_500));
      pressShortcut();
      const trusted = async () => (await crm.received()).genuine.filter((r) => r.page === 'trusted-only');
      await browser
        .waitUntil(async () => (await trusted()).some((r) => r.outcome === 'signed-in'), { timeout: 20_000 })
        .catch(async () => {
          const toast = await browser.execute(() => document.querySelector('[role="status"], .toast')?.textContent ?? '');
          throw new Error(`Chromium: the trusted-keystrokes page did not sign in from auto-type; the CRM got ${JSON.stringify(await trusted())}; the app said: ${toast}`);
        });

      // Two entries fit the window: the chooser asks, and the picked one is typed.
      const twin = zenityForm(dirs, 'Twin ERP');
      await focusWindow('Twin ERP');
      await new Promise((r) => setTimeout(r, 500));
      pressShortcut();
      await byTestId(browser, 'autotype-chooser').waitForExist({ timeout: 10_000, timeoutMsg: 'no chooser for two fitting entries' });
      const candidates = await browser.$$('[data-testid="autotype-candidate"]');
      assert.equal(candidates.length, 2);
      await candidates[1].click();
      assert.equal(await within(twin.closed, 20_000, 'the chooser\'s pick was not typed'), 'second.user|Twin-pass-1');

      // "Auto-type" in the entry view types into the window used before CRM Vault.
      const again = zenityForm(dirs, 'Back office');
      await focusWindow('Back office');
      await new Promise((r) => setTimeout(r, 800));
      await openEntry(browser, 'Desk CRM');
      await byTestId(browser, 'auto-type').click();
      assert.equal(await within(again.closed, 20_000, 'the entry view\'s Auto-type did not type'), `销售员 alice|${DESK_PASSWORD}`);
    });
    assert.deepEqual((await crm.received()).foreign, []);
  } finally {
    // Chromium's helpers may still write to the profile for a moment after it is told to go:
    // wait for it to exit, then remove the profile, retrying while the last writes land.
    if (chromium && chromium.exitCode === null && chromium.signalCode === null) {
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      chromium.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      chromium.kill('SIGKILL');
    }
    for (const form of zenityForm.opened) form.kill('SIGKILL');
    await crm.stop();
    removeHome(dirs.home);
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  }
});
