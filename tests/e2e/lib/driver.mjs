// Starts tauri-driver (which starts WebKitWebDriver, which starts the app) with a fresh home
// folder, so every test begins as a first run on a new laptop, and stops it cleanly.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const APP = path.resolve(process.env.CRM_VAULT_APP ?? path.join(ROOT, 'target/release/crm-vault-app'));

function tauriDriverPath() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const cargoBin = path.join(process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo'), 'bin', 'tauri-driver');
  return existsSync(cargoBin) ? cargoBin : 'tauri-driver';
}
// Resolved once, before any test changes HOME for its children.
const TAURI_DRIVER = tauriDriverPath();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every live process below `pid`, read from /proc (Linux only, like the rest of this suite). */
export function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(name), comm });
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Every live process named `comm`, with the HOME its environment gives it. */
function processesNamed(comm) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== comm) continue;
      const home = readFileSync(`/proc/${name}/environ`, 'utf8')
        .split('\0')
        .find((v) => v.startsWith('HOME='))
        ?.slice(5);
      found.push({ pid: Number(name), home });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Processes named `comm` whose environment has HOME=`home`. */
function appsWithHome(comm, home) {
  return processesNamed(comm)
    .filter((p) => p.home === home)
    .map((p) => p.pid);
}

const APP_COMM = path.basename(APP).slice(0, 15);
// The homes of the drivers running now: an app with any other test home is a straggler.
const activeHomes = new Set();

/** Ends `pids` with SIGTERM, then SIGKILL what is still there after `ms`. */
async function endProcesses(pids, ms = 3_000) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  if (await waitGone(pids, ms)) return;
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await waitGone(pids, ms);
}

/**
 * Ends apps left running by an earlier test (its home is gone or no driver of it runs). One
 * straggler holds the single-instance name on the shared D-Bus session, and every later app
 * would hand over to it and exit, so no WebDriver session could open. Returns what it ended.
 */
export async function reapStrayApps() {
  const prefix = path.join(os.tmpdir(), 'crm-vault-e2e-');
  const strays = processesNamed(APP_COMM).filter((p) => p.home?.startsWith(prefix) && !activeHomes.has(p.home));
  if (strays.length) await endProcesses(strays.map((p) => p.pid));
  return strays;
}

/** The apps running now and their homes, for a failure message. */
export function runningApps() {
  return processesNamed(APP_COMM)
    .map((p) => `${p.pid} (HOME=${p.home})`)
    .join(', ') || 'none';
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie has exited; only its parent has not collected it yet.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitGone(pids, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pids.some(alive)) return true;
    await sleep(50);
  }
  return !pids.some(alive);
}

/**
 * Removes a test's home. A WebKit helper that has just let go of the app may still be writing
 * its shader cache there: retry, and leave a straggler in the temp folder rather than fail.
 */
export function removeHome(home) {
  try {
    rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  } catch (err) {
    process.stderr.write(`note: could not remove ${home}: ${err.message}\n`);
  }
}

/** A fresh home with the XDG folders inside it: settings, vaults and window state stay per test. */
export function freshHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'crm-vault-e2e-'));
  const dirs = {
    home,
    config: path.join(home, '.config'),
    data: path.join(home, '.local', 'share'),
    cache: path.join(home, '.cache'),
    state: path.join(home, '.local', 'state'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/**
 * Starts a tauri-driver whose environment (which the app inherits) points at `dirs`, a fresh
 * home unless given. `env` adds variables for the app, e.g. CRM_VAULT_IDLE_LOCK_SECONDS.
 */
export async function startDriver({ dirs = freshHome(), env = {} } = {}) {
  const strays = await reapStrayApps();
  if (strays.length) {
    process.stderr.write(`note: ended apps left by an earlier test: ${strays.map((p) => `${p.pid} (HOME=${p.home})`).join(', ')}\n`);
  }
  activeHomes.add(dirs.home);
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const logFile = path.join(dirs.home, `tauri-driver-${port}.log`);
  const childEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    // English unless a test switches: the UI follows the OS language.
    LANG: 'C.UTF-8',
    LANGUAGE: 'en',
    GDK_BACKEND: 'x11',
    NO_AT_BRIDGE: '1',
    ...env,
  };
  delete childEnv.LC_ALL;
  // A file, not a pipe: a pipe held open by a straggler would keep the test runner waiting.
  const fd = openSync(logFile, 'a');
  const proc = spawn(TAURI_DRIVER, ['--port', String(port), '--native-port', String(nativePort)], {
    env: childEnv,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited = false;
  proc.once('exit', () => (exited = true));
  const spawnError = new Promise((_, reject) => proc.once('error', reject));
  spawnError.catch(() => {});

  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`tauri-driver exited at start; log:\n${readLog(logFile)}`);
    if (Date.now() > deadline) throw new Error(`tauri-driver did not listen on ${port}; log:\n${readLog(logFile)}`);
    await Promise.race([sleep(50), spawnError]);
  }

  return {
    port,
    dirs,
    env: childEnv,
    log: () => readLog(logFile),
    /** The app's processes right now (the app, not its WebKit helpers). */
    appPids: () => {
      const ours = descendants(proc.pid).filter((p) => p.comm === APP_COMM).map((p) => p.pid);
      // One that left the driver's process tree (handed over to, or reparented while quitting)
      // still holds the single-instance lock: found by its home folder.
      return [...new Set([...ours, ...appsWithHome(APP_COMM, dirs.home)])];
    },
    /** Waits until no app started by this driver is running (the single-instance lock is free). */
    async waitAppExit(ms = 10_000) {
      const pids = this.appPids();
      if (!(await waitGone(pids, ms))) throw new Error(`the app (pids ${pids}) did not exit within ${ms} ms`);
    },
    /** SIGTERM, never SIGKILL: on SIGKILL tauri-driver leaves WebKitWebDriver running. */
    async stop() {
      const tree = descendants(proc.pid).map((p) => p.pid);
      if (!exited) {
        proc.kill('SIGTERM');
        await waitGone([proc.pid], 10_000);
      }
      if (!(await waitGone(tree, 5_000))) {
        // Our own stragglers (a WebKit helper or the app): ask them to end, by process id.
        for (const pid of tree.filter(alive)) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
        }
        await waitGone(tree, 5_000);
      }
      // An app that left the tree (reparented while quitting) would outlive the test and keep
      // the single-instance name: end it too, by its home, with SIGKILL if it will not go.
      const left = [...tree.filter(alive), ...appsWithHome(APP_COMM, dirs.home)];
      if (left.length) await endProcesses([...new Set(left)]);
      activeHomes.delete(dirs.home);
    },
  };
}

function readLog(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no log)';
  }
}
