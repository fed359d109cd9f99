// One-time codes: the code the app shows is RFC 6238's, Ctrl+T copies it, and a setup can come
// from a QR code in a picture file or on the clipboard.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addEntry, byTestId, createVault, dismissToast, screenshot, withApp } from './lib/app.mjs';
import { readClipboard } from './lib/clipboard.mjs';
import { base32Decode, hotp, totp } from './lib/totp.mjs';

// RFC 6238's SHA-1 test secret, "12345678901234567890".
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('RFC 6238 reference values (the test\'s own HOTP)', () => {
  assert.equal(hotp(base32Decode(SECRET), Math.floor(59 / 30), 8), '94287082');
  assert.equal(hotp(base32Decode(SECRET), Math.floor(1111111109 / 30), 8), '07081804');
});

/** Types a link into the editor's TOTP box and waits until Rust has read it. */
async function pasteTotp(browser, link, expect) {
  await byTestId(browser, 'totp-input').setValue(link);
  await byTestId(browser, 'totp-set').click();
  await browser.waitUntil(async () => (await byTestId(browser, 'totp-status').getText()).includes(expect), {
    timeoutMsg: `the TOTP setup was not read (expected "${expect}")`,
  });
}

/** The code shown now, once it is not about to change (more than 3 s left), with when it was read. */
async function shownCode(browser) {
  await browser.waitUntil(async () => Number(await byTestId(browser, 'totp-seconds').getProperty('textContent')) > 3, {
    timeout: 8_000,
    timeoutMsg: 'the countdown never showed more than 3 s left',
  });
  const at = Date.now();
  const code = await byTestId(browser, 'totp-code').getProperty('textContent');
  return { code, at };
}

test('TOTP: the shown code is RFC 6238\'s for its window, counts down, and Ctrl+T copies the code', { timeout: 90_000 }, (t) =>
  withApp(t, async ({ browser }) => {
    await createVault(browser);
    await addEntry(
      browser,
      { title: 'Salesforce', username: 'li.wei@example.com', password: 'Quartz-Lantern-Meadow-2031' },
      { beforeSave: () => pasteTotp(browser, `otpauth://totp/Salesforce:li.wei%40example.com?secret=${SECRET}&issuer=Salesforce`, 'Salesforce') },
    );
    await byTestId(browser, 'totp-code').waitForExist({ timeoutMsg: 'no code in the entry detail' });
    const { code, at } = await shownCode(browser);
    assert.match(code, /^\d{6}$/);
    assert.equal(code, totp(SECRET, at), 'the code is RFC 6238\'s for the current 30 s window');

    const before = Number(await byTestId(browser, 'totp-seconds').getProperty('textContent'));
    await browser.pause(1_200);
    const after = Number(await byTestId(browser, 'totp-seconds').getProperty('textContent'));
    assert.ok(after < before || after > 25, `the countdown moves (${before} then ${after})`);

    // Ctrl+T copies the code (not the otpauth link) through Rust's clipboard.
    await shownCode(browser);
    await browser.keys(['Control', 't']);
    let copied = null;
    await browser.waitUntil(async () => (copied = await readClipboard()) !== null && /^\d{6}$/.test(copied), {
      timeout: 5_000,
      timeoutMsg: `Ctrl+T did not put a code on the clipboard (it holds ${JSON.stringify(copied)})`,
    });
    const now = Date.now();
    assert.ok([totp(SECRET, now), totp(SECRET, now - 5_000)].includes(copied), `the copied ${copied} is the current code`);
    assert.ok(!copied.includes('otpauth'), 'the setup link never reaches the clipboard');

    await dismissToast(browser);
    await byTestId(browser, 'totp-qr-toggle').click();
    await byTestId(browser, 'totp-qr').waitForExist({ timeoutMsg: 'no QR code after "Show as QR code"' });
    assert.ok((await browser.$$('[data-testid="totp-qr"] rect').length) > 50, 'the QR code is drawn as SVG rectangles');
    await screenshot(browser, 'totp');
    // Leaving the entry hides the QR code.
    await browser.keys('Escape');
    await byTestId(browser, 'totp-qr').waitForExist({ reverse: true, timeoutMsg: 'the QR code stayed after closing the entry' });
  }));

function qrPng(dir, name, text) {
  const file = path.join(dir, name);
  execFileSync('qrencode', ['-s', '6', '-o', file, text]);
  return file;
}

test('TOTP from a QR code: a picture file chosen in the dialog, and a picture on the clipboard', { timeout: 90_000 }, async (t) => {
  const pictures = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-qr-'));
  const fileSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const clipSecret = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
  const filePng = qrPng(pictures, 'erp.png', `otpauth://totp/Kingdee%20ERP:li.wei?secret=${fileSecret}&issuer=Kingdee%20ERP`);
  const clipPng = qrPng(pictures, 'mail.png', `otpauth://totp/Mail:li?secret=${clipSecret}&issuer=Mail`);
  let xclip = null;
  try {
    // The end-to-end build takes the dialog's answer from CRM_VAULT_E2E_PICK.
    await withApp(t, { env: { CRM_VAULT_E2E_PICK: filePng } }, async ({ browser }) => {
      await createVault(browser);
      await addEntry(
        browser,
        { title: 'ERP', username: 'li.wei', password: 'Granite-Harbor-Violet-77' },
        {
          beforeSave: async () => {
            await byTestId(browser, 'totp-import-file').click();
            await browser.waitUntil(async () => (await byTestId(browser, 'totp-status').getText()).includes('Kingdee ERP · li.wei'), {
              timeoutMsg: 'the QR code in the picture file was not read',
            });
          },
        },
      );
      const fromFile = await shownCode(browser);
      assert.equal(fromFile.code, totp(fileSecret, fromFile.at), 'the code of the setup read from the picture file');

      xclip = spawn('xclip', ['-selection', 'clipboard', '-t', 'image/png', '-i', clipPng], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 300));
      await addEntry(
        browser,
        { title: 'Mail', username: 'li', password: 'Ember-Falcon-Willow-58' },
        {
          beforeSave: async () => {
            await byTestId(browser, 'totp-import-clipboard').click();
            await browser.waitUntil(async () => (await byTestId(browser, 'totp-status').getText()).includes('Mail · li'), {
              timeoutMsg: 'the QR code on the clipboard was not read',
            });
          },
        },
      );
      const fromClipboard = await shownCode(browser);
      assert.equal(fromClipboard.code, totp(clipSecret, fromClipboard.at), 'the code of the setup read from the clipboard');
    });
  } finally {
    if (xclip && xclip.exitCode === null) xclip.kill('SIGTERM');
    rmSync(pictures, { recursive: true, force: true });
  }
});
