// Reads the X11 clipboard with xclip, the way another program on the desktop would.

import { spawn } from 'node:child_process';

function xclip(args) {
  return new Promise((resolve) => {
    // No stdin, and our own pipes for its output: xclip must not inherit anything it could hold open.
    const child = spawn('xclip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 3_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, out: '', err: String(e) });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, out, err });
    });
  });
}

/** The clipboard's text, or null when it holds no text (empty, cleared or no owner). */
export async function readClipboard() {
  const { ok, out } = await xclip(['-o', '-selection', 'clipboard']);
  return ok ? out : null;
}

/** The formats the clipboard's owner offers (TARGETS). */
export async function clipboardTargets() {
  const { ok, out } = await xclip(['-o', '-selection', 'clipboard', '-t', 'TARGETS']);
  return ok ? out.split('\n').filter(Boolean) : [];
}
