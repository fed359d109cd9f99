// Starts the mock CRM (tests/crm/server.mjs) as its own process and asks it what it received.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CRM_SERVER = path.join(ROOT, 'tests/crm/server.mjs');
export { CRM_USER, CRM_PASSWORD, CRM_TOTP_SECRET } from '../../crm/server.mjs';

/**
 * Starts both origins on free ports. Returns { origin, foreignOrigin, received(), reset(), stop() };
 * `received()` resolves to { genuine: [...], foreign: [...] }, each entry
 * { method, path, page, values, outcome } for a request a page's own logic sent.
 */
export async function startMockCrm() {
  const child = spawn(process.execPath, [CRM_SERVER, '--port', '0', '--foreign-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origins = await new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`mock CRM exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line));
    });
  });
  child.removeAllListeners('exit');
  const log = async (origin) => (await fetch(`${origin}/__crm/log`)).json();
  return {
    ...origins,
    async received() {
      return { genuine: await log(origins.origin), foreign: await log(origins.foreignOrigin) };
    },
    async reset() {
      await fetch(`${origins.origin}/__crm/reset`, { method: 'POST' });
    },
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
