// The login window: "Log in" on an entry opens its CRM in a window of CRM Vault's own, fills
// it and signs in, step by step (identifier first, one-time codes), on the mock CRM of
// tests/crm. The mock server decides success from what each page's own script sent; a second
// port plays the look-alike, which must never receive anything. Also `crm-vault-app --vault
// --login` (first start, running app, locked vault) and the page calling the app's IPC.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { MASTER_PASSWORD, byTestId, lock, openEntry, screenshot, unlock, withApp } from './lib/app.mjs';
import { APP, ROOT, freshHome, removeHome } from './lib/driver.mjs';
import { CRM_PASSWORD, CRM_TOTP_SECRET, CRM_USER, startMockCrm } from './lib/crm.mjs';

const CLI = path.resolve(process.env.CRM_VAULT_CLI ?? path.join(ROOT, 'target/release/crm-vault'));

/** The entries of the test vault: title, page of the mock CRM, whether it has the CRM's TOTP. */
const SIGN_INS = [
  ['Plain CRM', '/plain', false],
  ['React CRM', '/react', false],
  ['Vue CRM', '/vue', false],
  ['Identifier-first CRM', '/identifier-first', false],
  ['Three-step CRM', '/three-step', true],
  ['Code-box CRM', '/code-boxes', true],
  ['Framed CRM', '/iframe', false],
  ['Late CRM', '/spa', false],
];
const REFUSED = [
  ['Look-alike CRM', '/lookalike'],
  ['Cross-frame CRM', '/cross-frame'],
  ['IPC probe', '/ipc-probe'],
  ['Escape probe', '/escape'],
];

/** A vault made with the command line (cheap key derivation), holding an entry per page. */
function makeVault(home, crm) {
  const vault = path.join(home, 'work.crmvault');
  const env = { ...process.env, HOME: home, CRM_VAULT_CONFIG_DIR: path.join(home, 'cli') };
  const run = (args, input) => execFileSync(CLI, args, { input, env, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim();
  run(['init', '--kdf-memory-mib', '19', '--kdf-iterations', '2', '--kdf-parallelism', '1', vault], `${MASTER_PASSWORD}\n${MASTER_PASSWORD}\n`);
  for (const [title, page, withTotp] of SIGN_INS) {
    const args = ['add', '--title', title, '--username', CRM_USER, '--url', `${crm.origin}${page}`];
    const link = `otpauth://totp/CRM:${encodeURIComponent(CRM_USER)}?secret=${CRM_TOTP_SECRET}&issuer=CRM`;
    if (withTotp) args.push('--totp', '-');
    run([...args, vault], withTotp ? `${MASTER_PASSWORD}\n${CRM_PASSWORD}\n${link}\n` : `${MASTER_PASSWORD}\n${CRM_PASSWORD}\n`);
  }
  for (const [title, page] of REFUSED) {
    run(['add', '--title', title, '--username', CRM_USER, '--url', `${crm.origin}${page}`, vault], `${MASTER_PASSWORD}\n${CRM_PASSWORD}\n`);
  }
  return vault;
}

/** What the entry's login status says, once it is `state` (a data-state value). */
async function waitForLogin(browser, states, timeout = 30_000) {
  let last = '';
  await browser.waitUntil(
    async () => {
      // State and words read together: the status may change between two WebDriver calls.
      const now = await browser.execute(() => {
        const status = document.querySelector('[data-testid="login-status"]');
        return status ? { state: status.getAttribute('data-state'), text: status.textContent.trim() } : null;
      });
      if (!now) return false;
      last = `${now.state}: ${now.text}`;
      return states.includes(now.state);
    },
    { timeout, interval: 200, timeoutMsg: `the login did not reach ${states.join(' or ')} (last: ${last})` },
  );
  return last;
}

/** The page's own sign-in requests the mock CRM accepted, for `page`. */
async function signedIn(crm, page) {
  const { genuine } = await crm.received();
  return genuine.filter((r) => r.page === page.replace(/^\//, '') && r.outcome === 'signed-in');
}

async function logIn(browser, crm, title, page) {
  await openEntry(browser, title);
  await byTestId(browser, 'login').click();
  const said = await waitForLogin(browser, ['signed-in', 'refused', 'no-login-form', 'timed-out', 'needs-totp']);
  assert.match(said, /^signed-in/, `${title}: ${said}`);
  assert.ok((await signedIn(crm, page)).length >= 1, `${title}: the mock CRM accepted no sign-in on ${page}`);
}

/** The environment of the app under test, for a second start from outside. */
function appEnv(dirs) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    LANG: 'C.UTF-8',
    LANGUAGE: 'en',
    GDK_BACKEND: 'x11',
    NO_AT_BRIDGE: '1',
  };
}

/** Starts the app a second time with `args`; the running instance does the work, this one exits. */
async function secondStart(dirs, args) {
  const child = spawn(APP, args, { env: appEnv(dirs), stdio: 'ignore' });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running after 15 s');
    }, 15_000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0, 'the second start hands over to the running app and exits');
}

test('Log in signs in on every kind of login page, and the look-alike gets nothing', { timeout: 420_000 }, async (t) => {
  const crm = await startMockCrm();
  const dirs = freshHome();
  try {
    const vault = makeVault(dirs.home, crm);
    await withApp(t, { dirs, args: ['--vault', vault] }, async ({ browser }) => {
      await unlock(browser);
      for (const [title, page] of SIGN_INS) {
        await t.test(title, () => logIn(browser, crm, title, page));
      }
      await screenshot(browser, 'login-window');

      // Redirected from the genuine site to the look-alike on another port: nothing is filled, and
      // the entry says why, naming both origins.
      await openEntry(browser, 'Look-alike CRM');
      await byTestId(browser, 'login').click();
      const said = await waitForLogin(browser, ['not-filled']);
      assert.ok(said.includes(`this page is on ${crm.foreignOrigin}`) && said.includes(crm.origin), said);
      await screenshot(browser, 'login-not-filled');
      // A frame from the look-alike inside the genuine page is left alone.
      await openEntry(browser, 'Cross-frame CRM');
      await byTestId(browser, 'login').click();
      await browser.pause(4_000);

      // The CRM page calls the app's IPC: every call is refused, and the vault stays as it was.
      await openEntry(browser, 'IPC probe');
      await byTestId(browser, 'login').click();
      let probes = [];
      await browser.waitUntil(
        async () => (probes = (await crm.received()).genuine.filter((r) => r.page === 'ipc-probe')).length > 0,
        { timeout: 20_000, timeoutMsg: 'the IPC probe page never reported' },
      );
      for (const { command, outcome } of probes[0].values.outcomes) {
        assert.ok(outcome === 'no ipc' || outcome.startsWith('error:'), `the CRM page's call of ${command} got: ${outcome}`);
      }
      assert.ok(await byTestId(browser, 'search').isExisting(), 'the vault is still unlocked (the page could not lock it)');

      // The CRM page tries to turn its window into one of the app's pages, or a local file: it stays.
      await openEntry(browser, 'Escape probe');
      await byTestId(browser, 'login').click();
      let escape = [];
      await browser.waitUntil(
        async () => (escape = (await crm.received()).genuine.filter((r) => r.page === 'escape')).length > 0,
        { timeout: 20_000, timeoutMsg: 'the escape probe never reported (its window left the web?)' },
      );
      for (const report of escape[0].values.reports.filter((r) => 'stillAt' in r)) {
        assert.ok(report.stillAt.startsWith(`${crm.origin}/escape`), `the login window went to ${report.target}: ${JSON.stringify(report)}`);
      }

      const { foreign } = await crm.received();
      assert.deepEqual(foreign, [], `the look-alike origin received: ${JSON.stringify(foreign)}`);
    });
  } finally {
    await crm.stop();
    removeHome(dirs.home);
  }
});

test('crm-vault-app --vault --login signs in: at first start while locked, and through the running app', { timeout: 240_000 }, async (t) => {
  const crm = await startMockCrm();
  const dirs = freshHome();
  try {
    const vault = makeVault(dirs.home, crm);
    // First start, vault locked: the sign-in waits for the master password, then goes on by itself.
    await withApp(t, { dirs, args: ['--vault', vault, '--login', 'react crm'] }, async ({ browser }) => {
      await unlock(browser);
      await browser.waitUntil(async () => (await signedIn(crm, '/react')).length >= 1, {
        timeout: 30_000,
        timeoutMsg: 'the first start did not sign in to the React CRM after the unlock',
      });

      // A second start while unlocked: the running app signs in at once.
      await secondStart(dirs, ['--vault', vault, '--login', 'Plain CRM']);
      await browser.waitUntil(async () => (await signedIn(crm, '/plain')).length >= 1, {
        timeout: 30_000,
        timeoutMsg: 'the running app did not sign in to the plain CRM for the second start',
      });

      // A second start while locked: unlock first, then the sign-in.
      await lock(browser);
      await secondStart(dirs, ['--vault', vault, '--login', 'three-step']);
      await browser.pause(1_500);
      assert.equal((await signedIn(crm, '/three-step')).length, 0, 'nothing is signed in while the vault is locked');
      await unlock(browser);
      await browser.waitUntil(async () => (await signedIn(crm, '/three-step')).length >= 1, {
        timeout: 40_000,
        timeoutMsg: 'the three-step CRM (with its one-time code) was not signed in after the unlock',
      });
    });
    const { foreign } = await crm.received();
    assert.deepEqual(foreign, []);
  } finally {
    await crm.stop();
    removeHome(dirs.home);
  }
});

test('crm-vault-app --help documents --vault and --login', () => {
  const help = execFileSync(APP, ['--help']).toString();
  assert.match(help, /--vault <PATH>/);
  assert.match(help, /--login <ENTRY>/);
});
