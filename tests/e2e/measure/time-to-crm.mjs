// Time to the CRM: from a locked CRM Vault to the CRM's signed-in page, in user actions and
// seconds, on the mock CRM's plain page and its three-step page (user name, password, one-time
// code). Run by scripts/time-to-crm under Xvfb; prints a Markdown table for docs/PERFORMANCE.md.
//
// The user's actions: (1) start "CRM" from its desktop launcher (`crm-vault-app --vault V --login
// ENTRY`), (2) type the master password and press Enter. The clock runs from the start of the
// app to the moment the mock CRM accepts the page's own sign-in request. The vault uses the
// app's default key derivation (Argon2id, 64 MiB, 3 passes), as a user's does.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { MASTER_PASSWORD, launch, typeMasterPassword } from '../lib/app.mjs';
import { ROOT, freshHome, removeHome, startDriver } from '../lib/driver.mjs';
import { CRM_PASSWORD, CRM_TOTP_SECRET, CRM_USER, startMockCrm } from '../lib/crm.mjs';

const CLI = path.resolve(process.env.CRM_VAULT_CLI ?? path.join(ROOT, 'target/release/crm-vault'));
const RUNS = Number(process.env.RUNS ?? 3);

const PAGES = [
  ['Plain CRM', 'plain', false],
  ['Three-step CRM', 'three-step', true],
];

function makeVault(home, crm) {
  const vault = path.join(home, 'work.crmvault');
  const env = { ...process.env, HOME: home, CRM_VAULT_CONFIG_DIR: path.join(home, 'cli') };
  const run = (args, input) => execFileSync(CLI, args, { input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  run(['init', vault], `${MASTER_PASSWORD}\n${MASTER_PASSWORD}\n`);
  for (const [title, page, withTotp] of PAGES) {
    const link = `otpauth://totp/CRM:${encodeURIComponent(CRM_USER)}?secret=${CRM_TOTP_SECRET}&issuer=CRM`;
    const args = ['add', '--title', title, '--username', CRM_USER, '--url', `${crm.origin}/${page}`];
    if (withTotp) args.push('--totp', '-');
    run([...args, vault], `${MASTER_PASSWORD}\n${CRM_PASSWORD}\n${withTotp ? `${link}\n` : ''}`);
  }
  return vault;
}

async function once(crm, vault, title, page) {
  const dirs = freshHome();
  const driver = await startDriver({ dirs });
  let browser = null;
  try {
    await crm.reset();
    const started = performance.now();
    browser = await launch(driver, ['--vault', vault, '--login', title]);
    await typeMasterPassword(browser, MASTER_PASSWORD);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { genuine } = await crm.received();
      if (genuine.some((r) => r.page === page && r.outcome === 'signed-in')) break;
      if (Date.now() > deadline) throw new Error(`${title}: not signed in within 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return (performance.now() - started) / 1000;
  } finally {
    if (browser) await browser.deleteSession().catch(() => {});
    await driver.stop();
    removeHome(dirs.home);
  }
}

const crm = await startMockCrm();
const home = freshHome();
try {
  const vault = makeVault(home.home, crm);
  console.log('| page | user actions | seconds, each run | median |');
  console.log('|---|---:|---|---:|');
  for (const [title, page] of PAGES) {
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(await once(crm, vault, title, page));
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`| ${page} | 2 (start from the launcher; master password + Enter) | ${times.map((s) => s.toFixed(2)).join(', ')} | ${median.toFixed(2)} |`);
  }
} finally {
  await crm.stop();
  removeHome(home.home);
}
