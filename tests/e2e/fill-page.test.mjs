// The login window's fill script (crates/session/src/login/fill.js) in real Chromium against
// the mock CRM: every login style signs in through the page's own requests, foreign origins and
// frames get nothing, a wrong password ends in "stuck", decoy fields stay empty.
//
// Run: cd tests/e2e && xvfb-run -a node --test fill-page.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base32Decode, totpAccepts, totpAt } from '../crm/totp.mjs';
import { fillOnce, runFill, startChromium } from './lib/chromium.mjs';
import { CRM_PASSWORD, CRM_TOTP_SECRET, CRM_USER, startMockCrm } from './lib/crm.mjs';

let crm;
let chromium;
let browser;
let firstTab;

before(async () => {
  crm = await startMockCrm();
  chromium = await startChromium();
  browser = chromium.browser;
  firstTab = await browser.getWindowHandle();
});

after(async () => {
  await chromium?.stop();
  await crm?.stop();
});

const request = (overrides = {}) => ({
  origins: [crm.origin],
  username: CRM_USER,
  password: CRM_PASSWORD,
  totp: null,
  submit: true,
  ...overrides,
});

/**
 * Opens `path` in a new tab (its own sessionStorage, as a new login window has) after closing
 * the previous test's tab, and empties the CRM's logs.
 */
async function open(path) {
  const handles = await browser.getWindowHandles();
  const { handle } = await browser.createWindow('tab');
  await browser.switchToWindow(handle);
  for (const old of handles) {
    if (old === firstTab) continue;
    await browser.switchToWindow(old);
    await browser.closeWindow();
  }
  await browser.switchToWindow(handle);
  await crm.reset();
  await browser.url(`${crm.origin}${path}`);
}

async function isSignedIn() {
  return browser.execute(() => document.title === 'Signed in' && !!document.getElementById('signed-in'));
}

describe('signs in on every login style', () => {
  /** What each page must show besides being signed in, from the reports and the server's log. */
  const alsoCheck = {
    'identifier-first': (run, log) => {
      const steps = run.reports.filter((r) => r.state === 'filled').map((r) => `${r.step}: ${r.filled}`);
      assert.deepEqual(steps, ['identifier: username', 'password: password']);
      const login = log.find((e) => e.outcome === 'signed-in');
      assert.equal(login.values.decoy, '', 'the off-screen copy of the user name field stayed empty');
    },
    'three-step': (run, log) => {
      const submitted = run.reports.filter((r) => r.state === 'submitted').map((r) => r.step);
      assert.deepEqual(submitted, ['identifier', 'password', 'totp']);
      assert.deepEqual(log.map((e) => e.outcome), ['next: password', 'next: totp', 'signed-in']);
    },
    'code-boxes': (run, log) => {
      // One digit per box; the page submits by itself, exactly once, and nothing clicks after it.
      const codePosts = log.filter((e) => e.path === '/api/code-boxes/code');
      assert.equal(codePosts.length, 1);
      assert.match(codePosts[0].values.code, /^\d{6}$/);
      assert.ok(!run.reports.some((r) => r.step === 'totp' && r.state === 'submitted'));
    },
    iframe: (run) => {
      assert.ok(run.reports.some((r) => r.state === 'filled' && r.filled.join() === 'username,password'));
    },
  };

  const pages = ['plain', 'react', 'vue', 'identifier-first', 'three-step', 'code-boxes', 'iframe', 'spa'];
  for (const page of pages) {
    test(`/${page}`, async () => {
      await open(`/${page}`);
      const run = await runFill(browser, request(), { totpSecret: CRM_TOTP_SECRET });
      const { genuine, foreign } = await crm.received();
      const outcomes = genuine.map((entry) => `${entry.page}: ${entry.outcome}`);
      assert.ok(outcomes.includes(`${page}: signed-in`), `server log: ${JSON.stringify(outcomes)}; states ${run.states}`);
      assert.deepEqual(outcomes.filter((o) => o.includes('rejected')), [], 'signed in at the first attempt');
      assert.ok(await isSignedIn(), 'the browser shows the signed-in page');
      assert.equal(run.last.state, 'no-form', 'the loop ends with the CRM in charge');
      assert.deepEqual(foreign, []);
      alsoCheck[page]?.(run, genuine);
    });
  }
});

test('the React-like page ignores values set the naive way (so its sign-in above means something)', async () => {
  await open('/react');
  const disabled = await browser.execute((user, password) => {
    for (const [id, value] of [['email', user], ['password', password]]) {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    return document.getElementById('submit').disabled;
  }, CRM_USER, CRM_PASSWORD);
  assert.equal(disabled, true);
});

describe('origins', () => {
  test('a look-alike reached through a redirect gets nothing, even with its prototypes tampered with', async () => {
    await open('/lookalike');
    assert.ok((await browser.getUrl()).startsWith(crm.foreignOrigin));
    const run = await runFill(browser, request(), { timeoutMs: 3000 });
    assert.equal(run.last.state, 'refused');
    assert.deepEqual(run.states, ['refused']);
    const values = await browser.execute(() => [...document.querySelectorAll('input')].map((i) => i.value));
    assert.deepEqual(values, ['', '', 'on'], 'no field touched');
    assert.deepEqual((await crm.received()).foreign, []);
  });

  test('a login form in a cross-origin frame gets nothing', async () => {
    await open('/cross-frame');
    await browser.waitUntil(() => browser.execute(() => {
      try {
        return !document.querySelector('iframe').contentWindow.document;
      } catch {
        return true; // the frame has its foreign document now
      }
    }), { timeout: 5000 });
    const run = await runFill(browser, request(), { timeoutMs: 3000 });
    assert.ok(run.reports.every((r) => r.state === 'no-form' && r.filled.length === 0), JSON.stringify(run.states));
    assert.ok(run.reports.some((r) => r.skippedFrames > 0), 'the frame was seen and skipped');
    assert.deepEqual((await crm.received()).foreign, []);
  });

  test('an empty or missing list of origins refuses', async () => {
    await open('/plain');
    assert.equal((await fillOnce(browser, request({ origins: [] }))).state, 'refused');
    assert.equal((await fillOnce(browser, request({ origins: [crm.foreignOrigin] }))).state, 'refused');
    assert.equal((await fillOnce(browser, request({ origins: [`${crm.origin}/`] }))).state, 'refused');
    const values = await browser.execute(() => [...document.querySelectorAll('input')].map((i) => i.value));
    assert.deepEqual(values, ['', '', 'on']);
  });
});

describe('pages that must not be signed in', () => {
  test('a page that accepts only trusted keystrokes rejects script filling', async () => {
    await open('/trusted-only');
    const run = await runFill(browser, request());
    const outcomes = (await crm.received()).genuine.map((e) => e.outcome);
    assert.ok(outcomes.length > 0 && outcomes.every((o) => o === 'rejected: untrusted'), JSON.stringify(outcomes));
    assert.equal(run.last.state, 'stuck');
    assert.ok(!(await isSignedIn()));
  });

  test('a wrong password ends in "stuck" after two submits', async () => {
    await open('/plain');
    const run = await runFill(browser, request({ password: 'not-the-password' }));
    assert.equal(run.last.state, 'stuck', JSON.stringify(run.states));
    const outcomes = (await crm.received()).genuine.map((e) => e.outcome);
    assert.deepEqual(outcomes, ['rejected: wrong user name or password', 'rejected: wrong user name or password']);
    assert.equal(run.reports.filter((r) => r.state === 'submitted').length, 2);
    // "Log in" again in the same window is a new attempt: it fills again.
    assert.equal((await fillOnce(browser, request())).state, 'stuck');
    assert.equal((await fillOnce(browser, request({ attempt: 'again' }))).state, 'filled');
  });
});

describe('field detection', () => {
  /** Every input's value and checked state, and what it should hold after one fill. */
  async function fields() {
    return browser.execute(() => [...document.querySelectorAll('input')].map((input) => ({
      where: input.outerHTML.slice(0, 120),
      value: input.value,
      checked: input.checked,
      expect: input.dataset.expect || null,
      initial: input.getAttribute('value') ?? (input.type === 'checkbox' ? 'on' : ''),
    })));
  }

  const fixtures = ['decoys', 'element-zh', 'labels', 'antd', 'before-password', 'code-label', 'code-autocomplete'];
  for (const name of fixtures) {
    test(`fills only the real fields: ${name}`, async () => {
      await open(`/detect/${name}`);
      const values = { username: CRM_USER, password: CRM_PASSWORD, totp: '246810' };
      const report = await fillOnce(browser, request({ totp: values.totp, submit: false }));
      assert.equal(report.state, 'filled');
      const expected = [];
      const actual = [];
      for (const field of await fields()) {
        expected.push([field.where, field.expect ? values[field.expect] : field.initial, false]);
        actual.push([field.where, field.value, field.checked]);
      }
      assert.deepEqual(actual, expected);
      const again = await fillOnce(browser, request({ totp: values.totp, submit: false }));
      assert.deepEqual([again.state, again.filled], ['waiting', []], 'nothing filled twice');
    });
  }

  for (const name of ['stay-signed-in', 'not-login']) {
    test(`leaves pages that are no login alone: ${name}`, async () => {
      await open(`/detect/${name}`);
      const run = await runFill(browser, request({ totp: '246810' }), { timeoutMs: 1000 });
      assert.deepEqual(run.states, ['no-form']);
      for (const field of await fields()) assert.deepEqual([field.value, field.checked], [field.initial, false], field.where);
      assert.equal(await browser.execute(() => window.answered ?? null), null, 'no button pressed');
    });
  }

  test('a code field with no code to give: needsTotp, nothing filled', async () => {
    await open('/detect/code-autocomplete');
    const report = await fillOnce(browser, request({ totp: null }));
    assert.deepEqual([report.state, report.step, report.needsTotp, report.filled], ['waiting', 'totp', true, []]);
    assert.equal(await browser.execute(() => document.querySelector('input').value), '');
  });

  test('no button: Enter on the last field, keydown, keypress and keyup', async () => {
    await open('/detect/enter-only');
    const run = await runFill(browser, request(), { timeoutMs: 1500 });
    assert.ok(run.states.includes('submitted'), JSON.stringify(run.states));
    assert.deepEqual(await browser.execute(() => window.enterKeys), ['keydown', 'keypress', 'keyup']);
  });

  test('a disabled button: waits, then clicks it once the page enables it', async () => {
    await open('/detect/disabled-button');
    assert.equal((await fillOnce(browser, request())).state, 'filled');
    await browser.pause(400);
    assert.equal((await fillOnce(browser, request())).state, 'waiting');
    assert.equal(await browser.execute(() => window.submits ?? 0), 0);
    await browser.execute(() => {
      document.getElementById('go').disabled = false;
    });
    assert.equal((await fillOnce(browser, request())).state, 'submitted');
    assert.equal(await browser.execute(() => window.submits ?? 0), 1);
  });

  test('keeps no secret on the page', async () => {
    await open('/plain');
    await fillOnce(browser, request());
    const kept = await browser.execute(() => {
      const out = [];
      for (let i = 0; i < sessionStorage.length; i++) out.push(sessionStorage.getItem(sessionStorage.key(i)));
      for (const name of Object.getOwnPropertyNames(window)) {
        if (/crm/i.test(name)) out.push(JSON.stringify(window[name]));
      }
      return out.join('\n');
    });
    assert.ok(kept.length > 0, 'the progress is kept');
    assert.ok(!kept.includes(CRM_PASSWORD) && !kept.includes(CRM_USER), kept);
  });
});

test('the IPC probe page reports to the server (no Tauri in Chromium)', async () => {
  await open('/ipc-probe');
  await browser.waitUntil(() => browser.execute(() => document.getElementById('ipc-results').dataset.done === 'true'), { timeout: 5000 });
  const probe = (await crm.received()).genuine.find((e) => e.page === 'ipc-probe');
  assert.ok(probe.values.outcomes.length >= 4);
  assert.ok(probe.values.outcomes.every((o) => o.outcome === 'no ipc'));
});

test('the mock CRM checks codes with RFC 6238 (test vectors, SHA-1), one step either way', () => {
  const key = Buffer.from('12345678901234567890');
  assert.equal(totpAt(key, 59000, 8), '94287082');
  assert.equal(totpAt(key, 1111111109000, 8), '07081804');
  assert.equal(base32Decode('JBSWY3DPEHPK3PXP').toString('hex'), '48656c6c6f21deadbeef');
  const secret = base32Decode(CRM_TOTP_SECRET);
  const at = 1_800_000_015_000;
  assert.ok(totpAccepts(secret, totpAt(secret, at - 30000), at));
  assert.ok(totpAccepts(secret, totpAt(secret, at + 30000), at));
  assert.ok(!totpAccepts(secret, totpAt(secret, at - 60000), at));
  assert.ok(!totpAccepts(secret, totpAt(secret, at + 60000), at));
});
