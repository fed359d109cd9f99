// Debian's Chromium through chromedriver, and a driver loop that calls the login window's fill
// script the way the Rust side does: every 250 ms, on the current top document, with a fresh
// one-time code, until the page is taken over by the CRM, the script is stuck, or time is up.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { totp } from './totp.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FILL_JS = readFileSync(path.join(ROOT, 'crates/session/src/login/fill.js'), 'utf8');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`chromedriver did not listen on ${port}`);
}

/** Starts chromedriver and a Chromium session with a throw-away profile: { browser, stop() }. */
export async function startChromium({ headless = true } = {}) {
  const port = await freePort();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-chromium-'));
  const driver = spawn('/usr/bin/chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  await waitForPort(port, 10000);
  const args = [
    '--no-sandbox',
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-dev-shm-usage',
    '--disable-gpu',
    '--password-store=basic',
    // Tabs the tests open must keep running their timers at full speed.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    '--window-size=1100,800',
  ];
  if (headless) args.push('--headless=new');
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': { binary: '/usr/bin/chromium', args },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  return {
    browser,
    async stop() {
      await browser.deleteSession().catch(() => {});
      await new Promise((resolve) => {
        if (driver.exitCode !== null) return resolve();
        driver.once('exit', resolve);
        driver.kill('SIGTERM');
      });
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
    },
  };
}

/** One call of the fill script on the current top document, as the login window makes it. */
export function fillOnce(browser, request) {
  return browser.executeScript(`return (${FILL_JS})(arguments[0])`, [request]);
}

/**
 * The login window's loop. `request` is the contract's request; with `totpSecret` each tick
 * carries the code of that moment. Stops after `quietMs` of "no-form" once something was
 * filled or submitted, on "stuck" or "refused", or after `timeoutMs`.
 * Returns { reports, last, states } (states: the distinct states in order of first sight).
 */
export async function runFill(browser, request, { totpSecret = null, timeoutMs = 20000, quietMs = 2000 } = {}) {
  const reports = [];
  const start = Date.now();
  let acted = false;
  let noFormSince = null;
  while (Date.now() - start < timeoutMs) {
    const tick = { ...request, totp: totpSecret ? totp(totpSecret) : (request.totp ?? null) };
    let report;
    try {
      report = await fillOnce(browser, tick);
    } catch (error) {
      // A navigation in progress: the next tick meets the new document.
      report = { state: 'unavailable', error: String(error.message).split('\n')[0] };
    }
    if (!report) report = { state: 'unavailable' };
    reports.push(report);
    if (report.state === 'stuck' || report.state === 'refused') break;
    if (report.state === 'filled' || report.state === 'submitted') acted = true;
    if (report.state === 'no-form' && acted) {
      noFormSince ??= Date.now();
      if (Date.now() - noFormSince >= quietMs) break;
    } else if (report.state !== 'unavailable') {
      noFormSince = null;
    }
    await sleep(250);
  }
  const states = [...new Set(reports.map((r) => r.state))];
  return { reports, last: reports.at(-1), states };
}
