// The desktop app's figures for docs/PERFORMANCE.md, measured on the real release binary under
// Xvfb. Run by scripts/measure-app, which prepares the vaults and the X server; see there.
//
//   node measure.mjs OUT_DIR
//
// Environment (set by scripts/measure-app):
//   APP            the app binary           TAURI_DRIVER  tauri-driver
//   VAULT          10,000-entry vault       KDBX          the same entries for KeePassXC
//   PASSWORD       master password of both  ENTRIES_JSON  searchable text per entry (gen.mjs)
//   FRAMEBUFFER    Xvfb's -fbdir screen file (XWD), read to see what is on screen
//   LAUNCH_RUNS, WD_RUNS, MEM_RUNS, IDLE_SECONDS
//
// Writes OUT_DIR/results.json (every run) and OUT_DIR/figures.md (the figures as markdown).

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const OUT = path.resolve(process.argv[2] ?? '.');
const APP = process.env.APP;
const TAURI_DRIVER = process.env.TAURI_DRIVER;
const VAULT = process.env.VAULT;
const KDBX = process.env.KDBX;
const PASSWORD = process.env.PASSWORD;
const ENTRIES = JSON.parse(readFileSync(process.env.ENTRIES_JSON, 'utf8'));
const N = ENTRIES.length;
const LAUNCH_RUNS = Number(process.env.LAUNCH_RUNS ?? 7);
const WD_RUNS = Number(process.env.WD_RUNS ?? 3);
const MEM_RUNS = Number(process.env.MEM_RUNS ?? 3);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);

// The app's modes: each sets some environment for the app (src-tauri/src/memory.rs reads
// CRM_VAULT_MEMORY_LEVERS: which of the app's memory levers to apply; without it, the kept ones).
// MEASURE_MODES (comma-separated names of this table) picks the modes to measure, the first one is
// the one measured through WebDriver launches and first in every comparison; SEARCH_MODES the
// modes whose unlock and search are measured (default: all of MEASURE_MODES).
const NONE = { CRM_VAULT_MEMORY_LEVERS: 'none' };
const MODE_TABLE = {
  kept: { env: {}, name: 'the app as built (its kept levers)' },
  none: { env: NONE, name: 'no lever (as before issue 14)' },
  nocompositing: { env: { ...NONE, WEBKIT_DISABLE_COMPOSITING_MODE: '1' }, name: 'no lever, WEBKIT_DISABLE_COMPOSITING_MODE=1 set by hand' },
  compositing: { env: { CRM_VAULT_MEMORY_LEVERS: 'compositing' }, name: 'compositing off on software rendering (detected)' },
  arenas: { env: { CRM_VAULT_MEMORY_LEVERS: 'arenas' }, name: 'malloc arenas: 2' },
  cache: { env: { CRM_VAULT_MEMORY_LEVERS: 'cache' }, name: 'cache model: document viewer' },
  trim: { env: { CRM_VAULT_MEMORY_LEVERS: 'trim' }, name: 'malloc mmap threshold fixed at 128 KiB' },
  arenastrim: { env: { CRM_VAULT_MEMORY_LEVERS: 'arenas,trim' }, name: 'arenas and trim together' },
  nojit: { env: { ...NONE, JSC_useJIT: 'false' }, name: 'JavaScriptCore without JIT (JSC_useJIT=false)' },
  jsram: { env: { ...NONE, JSC_forceRAMSize: String(256 * 1024 * 1024) }, name: 'JavaScriptCore heap sized for 256 MiB of RAM (JSC_forceRAMSize)' },
  skiacpu: { env: { ...NONE, WEBKIT_SKIA_ENABLE_CPU_RENDERING: '1' }, name: 'Skia paints on the CPU (WEBKIT_SKIA_ENABLE_CPU_RENDERING=1)' },
  nodmabuf: { env: { ...NONE, WEBKIT_DISABLE_DMABUF_RENDERER: '1' }, name: 'no DMA-BUF renderer (WEBKIT_DISABLE_DMABUF_RENDERER=1)' },
  all: { env: { CRM_VAULT_MEMORY_LEVERS: 'all' }, name: 'every lever of the app' },
  // Another build of the app (APP_BEFORE: e.g. one from before a UI change), without levers.
  before: { env: { ...NONE }, name: 'APP_BEFORE, another build of the app', app: process.env.APP_BEFORE },
};
const MODE_LIST = (process.env.MEASURE_MODES ?? 'kept,none').split(',').map((m) => m.trim()).filter(Boolean);
for (const m of MODE_LIST) if (!MODE_TABLE[m]) throw new Error(`unknown mode ${m}; known: ${Object.keys(MODE_TABLE).join(', ')}`);
const SEARCH_MODES = (process.env.SEARCH_MODES ?? MODE_LIST.join(',')).split(',').map((m) => m.trim()).filter((m) => MODE_LIST.includes(m));
if (MODE_LIST.includes('before') && !MODE_TABLE.before.app) throw new Error('mode before needs APP_BEFORE');
const MODES = Object.fromEntries(MODE_LIST.map((m) => [m, MODE_TABLE[m].env]));
/** The binary a mode runs. */
const appOf = (env) => Object.values(MODE_TABLE).find((m) => m.env === env)?.app ?? APP;
// Every variable some mode sets: taken out of the inherited environment, so only the mode's count.
const MODE_VARS = new Set(Object.values(MODE_TABLE).flatMap((m) => Object.keys(m.env)));
const modeName = Object.fromEntries(Object.entries(MODE_TABLE).map(([k, m]) => [k, `${k}: ${m.name}`]));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.now();
const say = (...a) => console.error(`measure-app [${Math.round((Date.now() - T0) / 1000)} s]:`, ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');
const ms1 = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
// Wall clock in ms since the epoch with sub-ms resolution: comparable with a page's timeOrigin.
const epochNow = () => performance.timeOrigin + performance.now();

// --- processes ------------------------------------------------------------------------------

function processTable() {
  const rows = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.push({ pid: Number(name), ppid: Number(rest[1]), state: rest[0], comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // Gone meanwhile.
    }
  }
  return rows;
}

/** `pid` and every live process below it. */
function tree(pid) {
  const rows = processTable().filter((p) => p.state !== 'Z');
  const out = rows.filter((p) => p.pid === pid);
  for (let i = 0; i < out.length; i++) out.push(...rows.filter((p) => p.ppid === out[i].pid));
  return out;
}

/** RSS, PSS and USS (private) in KiB of each process, from /proc/PID/smaps_rollup. */
function memory(procs) {
  const per = procs.map((p) => {
    const text = readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pid: p.pid, comm: p.comm, rss: field('Rss'), pss: field('Pss'), uss: field('Private_Clean') + field('Private_Dirty') };
  });
  const sum = (k) => per.reduce((a, p) => a + p[k], 0);
  return { rss: sum('rss'), pss: sum('pss'), uss: sum('uss'), processes: per };
}

function alive(pid) {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitGone(pids, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** SIGTERM to `child` (never SIGKILL), then waits for it and everything it started. */
async function stopTree(child) {
  const pids = tree(child.pid).map((p) => p.pid);
  child.kill('SIGTERM');
  if (!(await waitGone(pids))) {
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pids))) throw new Error(`processes ${pids.filter(alive)} did not exit`);
  }
}

// --- a fresh home for every launch ------------------------------------------------------------------

function freshHome(label) {
  const home = mkdtempSync(path.join(OUT, `home-${label}-`));
  for (const d of ['.config', '.local/share', '.cache', '.local/state', 'crm-vault']) mkdirSync(path.join(home, d), { recursive: true });
  // The device settings the app reads at start: the vault to open (the unlock screen comes first).
  writeFileSync(path.join(home, 'crm-vault', 'settings.json'), JSON.stringify({ vault_path: VAULT }));
  return home;
}

function appEnv(home, extra = {}) {
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    CRM_VAULT_CONFIG_DIR: path.join(home, 'crm-vault'),
    LANG: 'C.UTF-8',
    LANGUAGE: 'en',
    GDK_BACKEND: 'x11',
    NO_AT_BRIDGE: '1',
    ...extra,
  };
  delete env.LC_ALL;
  for (const k of MODE_VARS) delete env[k];
  Object.assign(env, extra);
  for (const k of ['APP', 'TAURI_DRIVER', 'VAULT', 'KDBX', 'PASSWORD', 'ENTRIES_JSON', 'FRAMEBUFFER']) delete env[k];
  return env;
}

// --- the screen, read from Xvfb's framebuffer file (-fbdir) ------------------------------------------

class Screen {
  constructor(file) {
    this.fd = openSync(file, 'r');
    const h = Buffer.alloc(100);
    readSync(this.fd, h, 0, 100, 0);
    // XWD header (big-endian): header_size, ..., width 16, height 20, bytes_per_line 48, ncolors 76.
    this.width = h.readUInt32BE(16);
    this.height = h.readUInt32BE(20);
    this.bpl = h.readUInt32BE(48);
    this.offset = h.readUInt32BE(0) + h.readUInt32BE(76) * 12;
    this.buf = Buffer.alloc(this.bpl * this.height);
  }
  /** Every 4th pixel of every 4th row: 1/16 of the screen, ~1.5 ms to read. */
  sample() {
    readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
    const out = new Uint32Array(Math.ceil(this.width / 4) * Math.ceil(this.height / 4));
    let k = 0;
    for (let y = 0; y < this.height; y += 4) for (let x = 0; x < this.width; x += 4) out[k++] = this.buf.readUInt32LE(y * this.bpl + x * 4) & 0xffffff;
    return out;
  }
  /** Every 3rd pixel of every 3rd row of a rectangle; reads only those pixels' rows (~0.2 ms). */
  sampleRect({ x, y, w, h }) {
    const row = (this.rowBuf ??= Buffer.alloc(this.bpl));
    const out = new Uint32Array(Math.ceil(w / 3) * Math.ceil(h / 3));
    let k = 0;
    for (let yy = y; yy < y + h; yy += 3) {
      readSync(this.fd, row, 0, w * 4, this.offset + yy * this.bpl + x * 4);
      for (let xx = 0; xx < w; xx += 3) out[k++] = row.readUInt32LE(xx * 4) & 0xffffff;
    }
    return out;
  }
  /** Waits until the rectangle has not changed for 100 ms (at most 2 s); returns its last sample. */
  async settled(rect) {
    let last = this.sampleRect(rect);
    for (let since = Date.now(), end = Date.now() + 2000; Date.now() - since < 100 && Date.now() < end; ) {
      await sleep(10);
      const now = this.sampleRect(rect);
      if (diff(now, last) > 0) [last, since] = [now, Date.now()];
    }
    return last;
  }
  /** The screen as a PNG (ImageMagick), for the record. */
  savePng(file) {
    readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
    spawnSync('convert', ['-size', `${this.bpl / 4}x${this.height}`, '-depth', '8', 'bgra:-', '-alpha', 'off', file], { input: this.buf });
  }
}
/** Share of sampled pixels that differ. */
function diff(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d / a.length;
}
const screen = new Screen(process.env.FRAMEBUFFER);

/** Polls the screen every ~8 ms until `done(frame)` or `timeout`; returns [{t, frame}] (t: ms since `t0`). */
async function watchScreen(t0, done, timeout) {
  const frames = [];
  while (performance.now() - t0 < timeout) {
    const t = performance.now() - t0;
    const frame = screen.sample();
    frames.push({ t, frame });
    if (done(frame, frames)) return { frames, ok: true };
    await sleep(8);
  }
  return { frames, ok: false };
}

// --- WebDriver (W3C, over HTTP, through tauri-driver) -------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
const canConnect = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

async function startDriver(env, logFile) {
  const [port, nativePort] = [await freePort(), await freePort()];
  const fd = openSync(logFile, 'a');
  const child = spawn(TAURI_DRIVER, ['--port', String(port), '--native-port', String(nativePort)], { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const end = Date.now() + 15_000;
  // tauri-driver listens at once; WebKitWebDriver (the native port) a little later.
  while (!(await canConnect(port)) || !(await canConnect(nativePort))) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`tauri-driver did not start: ${readFileSync(logFile, 'utf8')}`);
    await sleep(20);
  }
  const call = async (method, url, body) => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${url}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  return {
    child,
    async session(app = APP) {
      const value = await call('POST', '/session', {
        capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application: app } } },
      });
      const base = `/session/${value.sessionId}`;
      const s = {
        find: async (css) => call('POST', `${base}/elements`, { using: 'css selector', value: css }),
        exec: async (script, ...args) => call('POST', `${base}/execute/sync`, { script, args }),
        execAsync: async (script, ...args) => call('POST', `${base}/execute/async`, { script, args }),
        async type(css, text) {
          const [el] = await s.find(css);
          if (!el) throw new Error(`no element ${css}`);
          await call('POST', `${base}/element/${Object.values(el)[0]}/value`, { text });
        },
        async waitFor(css, timeout = 15_000) {
          const end = Date.now() + timeout;
          while ((await s.find(css)).length === 0) {
            if (Date.now() > end) throw new Error(`${css} did not appear within ${timeout} ms`);
          }
          return epochNow();
        },
        end: () => call('DELETE', base),
      };
      return s;
    },
    /** The app processes this driver started (WebKitWebDriver's children). */
    appPid() {
      return tree(child.pid).find((p) => p.comm === path.basename(APP).slice(0, 15))?.pid;
    },
    stop: () => stopTree(child),
  };
}

// --- app launches without WebDriver ------------------------------------------------------------------------

function launchApp(home, extra, label) {
  const log = openSync(path.join(OUT, `app-${label}.log`), 'a');
  const t0 = performance.now();
  const child = spawn(appOf(extra), [], { env: appEnv(home, extra), stdio: ['ignore', log, log] });
  closeSync(log);
  return { child, t0 };
}

const results = { machine: {}, launch: {}, webdriver: [], unlock: [], search: {}, memory: [] };

// 1. Launch breakdown and the unlock screen's picture, through WebDriver ------------------------------------

const UNLOCK = '[data-testid="unlock-password"]';
let unlockRef = null;
let mainRef = null;

async function webdriverLaunches() {
  for (let run = 0; run < WD_RUNS; run++) {
    const home = freshHome(`wd${run}`);
    const driver = await startDriver(appEnv(home, MODES[MODE_LIST[0]]), path.join(OUT, `tauri-driver-wd${run}.log`));
    try {
      const post = epochNow();
      const s = await driver.session(appOf(MODES[MODE_LIST[0]]));
      const sessionReady = epochNow();
      const found = await s.waitFor(UNLOCK);
      const page = await s.exec(
        'return { origin: performance.timeOrigin, fcp: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime, dcl: (performance.getEntriesByType("navigation")[0] || {}).domContentLoadedEventEnd }',
      );
      const pid = driver.appPid();
      const r = {
        sessionMs: sessionReady - post,
        navigationStartMs: page.origin - post,
        domContentLoadedMs: page.origin + page.dcl - post,
        fcpMs: page.fcp === undefined ? NaN : page.origin + page.fcp - post,
        unlockFieldFoundMs: found - post,
      };
      results.webdriver.push(r);
      say(`webdriver launch ${run + 1}/${WD_RUNS}:`, JSON.stringify(r, (k, v) => (typeof v === 'number' ? Math.round(v) : v)));
      if (run === WD_RUNS - 1) {
        await sleep(1500);
        unlockRef = screen.sample();
        screen.savePng(path.join(OUT, 'unlock-screen.png'));
      }
      await s.end();
      if (pid) await waitGone([pid]);
    } finally {
      await driver.stop();
    }
  }
}

// 2. Launch to unlock screen on screen, plain launches ---------------------------------------------------------

async function plainLaunches() {
  const home = freshHome('launch');
  const runs = [];
  for (let run = 0; run < LAUNCH_RUNS; run++) {
    await sleep(500);
    const before = screen.sample();
    // The modes in turn, all in the same home (run 1 is its first launch).
    const mode = MODE_LIST[run % MODE_LIST.length];
    const { child, t0 } = launchApp(home, MODES[mode], 'launch');
    // Done when the screen shows the unlock screen (as WebDriver saw it) and has not changed for 0.8 s.
    let lastPicture = before;
    let lastChange = 0;
    const { frames, ok } = await watchScreen(
      t0,
      (f, fs) => {
        const t = fs[fs.length - 1].t;
        if (diff(f, lastPicture) > 0.003) [lastPicture, lastChange] = [f, t];
        return diff(f, unlockRef) < 0.03 && t - lastChange >= 800;
      },
      15_000,
    );
    const final = frames[frames.length - 1].frame;
    const mapped = frames.find((x) => diff(x.frame, before) > 0.01);
    const shown = frames[frames.findLastIndex((x) => diff(x.frame, final) > 0.003) + 1];
    // Distinct pictures on the way (window background, "Loading…", the unlock screen).
    const stages = [];
    let prev = before;
    for (const x of frames) {
      if (diff(x.frame, prev) > 0.003) {
        stages.push(Math.round(x.t));
        prev = x.frame;
      }
    }
    const r = { mode, ok, windowMs: mapped?.t ?? NaN, unlockScreenMs: ok ? shown.t : NaN, stages, toRefDiff: diff(final, unlockRef) };
    runs.push(r);
    say(`launch ${run + 1}/${LAUNCH_RUNS}:`, JSON.stringify(r, (k, v) => (typeof v === 'number' && k !== 'toRefDiff' ? Math.round(v) : v)));
    await stopTree(child);
  }
  results.launch = { runs };
}

// 3. Unlock and search with 10,000 entries, through WebDriver ------------------------------------------------

/** Same rule as the vault's search (crates/vault/src/find.rs): every word in any field, ignoring case. */
function expectedCount(query) {
  const words = query.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  return words.length === 0 ? N : ENTRIES.filter((h) => words.every((w) => h.includes(w))).length;
}

/** Search-box contents after every keystroke: type each query, then delete it character by character. */
function typingPlan() {
  const plan = [];
  for (const q of ['salesforce', '#1234', 'umbrella west 03', '华东 acme', 'li.wei 2027', 'zzz']) {
    const chars = [...q];
    for (let i = 1; i <= chars.length; i++) plan.push({ key: chars[i - 1], value: chars.slice(0, i).join('') });
    for (let i = chars.length - 1; i >= 0; i--) plan.push({ key: '\uE003', value: chars.slice(0, i).join('') });
  }
  let prev = N;
  for (const step of plan) {
    step.expected = expectedCount(step.value);
    // The list changes only when the number of matches does (a longer query matches a subset).
    step.changes = step.expected !== prev;
    prev = step.expected;
  }
  return plan;
}

// Installed in the page: times the first change of the list pane (not its footer) after a mark,
// and the end of the next frame (requestAnimationFrame, then a task: after style, layout, paint).
const RECORDER = `
  if (window.__measure) return;
  const m = (window.__measure = { keys: [], pending: null, done: [] });
  addEventListener('keydown', (e) => { m.keys.push({ key: e.key, t: e.timeStamp, now: performance.now() }); }, true);
  const pane = () => document.querySelector('.list-pane');
  const observer = new MutationObserver((records) => {
    const p = m.pending;
    if (!p) return;
    const footer = pane()?.querySelector('footer');
    if (!records.some((r) => !(footer && footer.contains(r.target)))) return;
    m.pending = null;
    p.dom = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      p.frame = performance.now();
      p.rows = document.querySelectorAll('[data-testid="entry-row"]').length;
      p.footer = pane()?.querySelector('footer')?.textContent.trim();
      m.done.push(p);
    }, 0));
  });
  m.observe = () => observer.observe(pane(), { subtree: true, childList: true, characterData: true, attributes: true });
`;


async function unlockAndSearch(mode) {
  const home = freshHome(`search-${mode}`);
  const driver = await startDriver(appEnv(home, MODES[mode]), path.join(OUT, `tauri-driver-search-${mode}.log`));
  try {
    const s = await driver.session(appOf(MODES[mode]));
    await s.waitFor(UNLOCK);
    await s.exec(RECORDER);
    // Unlock: the Enter key's keydown to the main screen listing all entries (Argon2id, decryption,
    // the list over IPC and the first render), timed in the page.
    await s.type(UNLOCK, PASSWORD);
    await s.exec(`window.__measure.unlockStart = window.__measure.keys.length;
      // A 5 ms timer: the longest pause between its ticks shows how long the page's main thread was busy.
      const ticks = (window.__measure.ticks = []);
      const timer = setInterval(() => { ticks.push(performance.now()); if (window.__measure.unlocked) clearInterval(timer); }, 5);
      const o = new MutationObserver(() => {
        const f = document.querySelector('.list-pane footer');
        if (f && f.textContent.replace(/[^0-9]/g, '').includes(${JSON.stringify(String(N))})) {
          o.disconnect();
          const t = performance.now();
          const rows = document.querySelectorAll('[data-testid="entry-row"]').length;
          requestAnimationFrame(() => {
            const raf = performance.now();
            setTimeout(() => (window.__measure.unlocked = { dom: t, raf, frame: performance.now(), rows, footer: f.textContent.trim() }), 0);
          });
        }
      });
      o.observe(document.body, { subtree: true, childList: true, characterData: true });`);
    await s.type(UNLOCK, '\uE007');
    let u;
    for (const end = Date.now() + 20_000; !(u = await s.exec('return window.__measure.unlocked && { ...window.__measure.unlocked, key: window.__measure.keys.filter((k) => k.key === "Enter").pop() }')); ) {
      if (Date.now() > end) {
        screen.savePng(path.join(OUT, 'unlock-failed.png'));
        throw new Error(`the vault did not unlock within 20 s; page: ${await s.exec('return document.body.innerText.slice(0, 300)')}`);
      }
      await sleep(20);
    }
    const gaps = await s.exec(`const t = window.__measure.ticks, out = [];
      for (let i = 1; i < t.length; i++) if (t[i] - t[i - 1] > 50) out.push([Math.round(t[i - 1] - arguments[0]), Math.round(t[i] - t[i - 1])]);
      return out;`, u.key.t);
    results.unlock.push({ mode, domMs: u.dom - u.key.t, rafMs: u.raf - u.key.t, frameMs: u.frame - u.key.t, rows: u.rows, footer: u.footer, busy: gaps });
    say('unlock:', JSON.stringify(results.unlock.at(-1)));
    await sleep(1500);
    if (!mainRef) {
      mainRef = screen.sample();
      screen.savePng(path.join(OUT, 'main-screen.png'));
    }

    const plan = typingPlan();
    await s.exec('window.__measure.observe()');

    // a) Synthetic: set the box's value and dispatch the input event a keystroke causes, in the page.
    //    Meanwhile the list pane's rectangle (rows and the count under them) on the X screen is
    //    watched (the window sits at 0,0: no window manager): "screen" is when its final picture
    //    appeared, on the wall clock the page's times are on too.
    //    The right 16 px are left out: GTK's overlay scrollbar fades in and out there on its own time.
    const rect = await s.exec(`const l = document.querySelector('.list-pane').getBoundingClientRect();
      return { x: Math.round(l.left), y: Math.round(l.top), w: Math.round(l.width) - 16, h: Math.round(l.height), origin: performance.timeOrigin };`);
    const synthetic = [];
    for (const step of plan) {
      let answered = Infinity;
      const pictures = [];
      const watching = (async () => {
        if (!step.changes) return;
        const first = await screen.settled(rect);
        pictures.push({ t: epochNow(), frame: first });
        // Every ~2 ms until the page has answered and the picture then stayed the same for 200 ms.
        for (let end = epochNow() + 5000; epochNow() < end; await sleep(1)) {
          const t = epochNow();
          const frame = screen.sampleRect(rect);
          if (diff(frame, pictures.at(-1).frame) > 0.0005) pictures.push({ t, frame });
          else if (t - Math.max(pictures.at(-1).t, answered) > 200) return;
        }
      })();
      // Let the watcher take its first picture before the keystroke.
      while (step.changes && pictures.length === 0) await sleep(1);
      const r = await s.execAsync(
        `const [value, changes, done] = arguments;
         const m = window.__measure, input = document.querySelector('[data-testid="search"]');
         const p = { value };
         m.pending = changes ? p : null;
         input.value = value;
         p.t0 = performance.now();
         input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
         if (!changes) { setTimeout(() => done({ skipped: true }), 100); return; }
         const start = Date.now();
         (function wait() {
           if (m.done.includes(p)) done(p);
           else if (Date.now() - start > 5000) { m.pending = null; done({ timeout: true, value }); }
           else setTimeout(wait, 5);
         })();`,
        step.value,
        step.changes,
      );
      answered = epochNow();
      await watching;
      // The last distinct picture is the updated list; a single picture means no visible change.
      if (step.changes) synthetic.push({ ...check(step, r), screenMs: pictures.length > 1 ? pictures.at(-1).t - (rect.origin + r.t0) : NaN });
      await sleep(60);
    }
    // b) Real keystrokes: WebDriver's Element Send Keys, one key at a time, timed from the keydown
    //    event's timestamp in the page.
    const real = [];
    for (const step of plan) {
      await s.exec('const m = window.__measure; m.pending = arguments[0] ? { value: arguments[1], keyIndex: m.keys.length } : null', step.changes, step.value);
      await s.type('[data-testid="search"]', step.key);
      if (!step.changes) {
        await sleep(100);
        continue;
      }
      let r;
      for (const end = Date.now() + 5000; ; await sleep(5)) {
        r = await s.exec('const m = window.__measure, p = m.done.at(-1); return p && p.value === arguments[0] && p.frame ? { ...p, t0: m.keys[p.keyIndex].t } : null', step.value);
        if (r || Date.now() > end) break;
      }
      real.push(check(step, r ?? { timeout: true }));
      await sleep(60);
    }
    // c) The search command alone: the same queries through the IPC (Rust's search, the answer's
    //    JSON), without the UI, three times each.
    const queries = [...new Set(plan.filter((p) => p.changes && p.value.trim() !== '').map((p) => p.value))];
    const ipc = await s.execAsync(
      `const [queries, done] = arguments;
       (async () => {
         const out = [];
         for (let i = 0; i < 3; i++)
           for (const query of queries) {
             const t = performance.now();
             const r = await window.__TAURI_INTERNALS__.invoke('search', { query });
             out.push({ query, ms: performance.now() - t, n: r.length });
           }
         done(out);
       })().catch((e) => done({ error: String(e) }));`,
      queries,
    );
    results.search[mode] = { synthetic, real, ipc, keystrokes: plan.length };
    say(`search (${mode}): input event to screen median ${ms1(median(synthetic.map((r) => r.screenMs)))}, WebDriver key to frame median ${ms1(median(real.map((r) => r.frameMs)))}`);
    await s.end();
  } finally {
    await driver.stop();
  }
}

function check(step, r) {
  // "1,667 of 10,000 entries" (numbers in the UI language's format).
  const shown = Number(/^([\d,. ]+)/.exec(r?.footer ?? '')?.[1].replace(/\D/g, '') ?? (r?.rows === 0 ? 0 : NaN));
  const out = { value: step.value, expected: step.expected, shown, domMs: r.dom - r.t0, frameMs: r.frame - r.t0, timeout: !!r.timeout };
  if (out.timeout || (step.expected !== N && shown !== step.expected && !(step.expected === 0 && r.rows === 0)))
    say(`search "${step.value}": expected ${step.expected}, page says ${r?.footer} ${out.timeout ? '(timed out)' : ''}`);
  return out;
}

// 4. Idle memory with 10,000 entries open: the app (two ways) and KeePassXC -----------------------------------

async function appMemory(label, extra) {
  const home = freshHome(`mem-${label}`);
  const { child, t0 } = launchApp(home, extra, `mem-${label}`);
  try {
    const up = await watchScreen(t0, (f) => diff(f, unlockRef) < 0.03, 15_000);
    if (!up.ok) throw new Error(`${label}: the unlock screen did not show`);
    // For comparison: the same process tree at the unlock screen, before any entry is loaded.
    await sleep(2000);
    const locked = memory(tree(child.pid));
    // Type the master password like a user: X key events (XTEST) to the focused window.
    const wid = spawnSync('xdotool', ['search', '--pid', String(child.pid), '--name', '^CRM Vault$'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    spawnSync('xdotool', ['windowfocus', '--sync', wid]);
    spawnSync('xdotool', ['type', '--delay', '10', PASSWORD]);
    spawnSync('xdotool', ['key', 'Return']);
    const t1 = performance.now();
    // The main screen as WebDriver saw it after unlocking (text is drawn a little differently
    // without compositing: hence the tolerance; the unlock screen differs from it far more).
    const unlocked = await watchScreen(t1, (f) => diff(f, mainRef) < 0.1, 20_000);
    if (!unlocked.ok) {
      screen.savePng(path.join(OUT, `mem-${label}-failed.png`));
      throw new Error(`${label}: the main screen with ${N} entries did not show after typing the password`);
    }
    await sleep(IDLE_SECONDS * 1000);
    const m = memory(tree(child.pid));
    if (label === MODE_LIST[0]) screen.savePng(path.join(OUT, 'memory-app.png'));
    return { what: label, ...m, locked, size: windowSize(wid) };
  } finally {
    await stopTree(child);
  }
}

function windowSize(wid) {
  const out = spawnSync('xdotool', ['getwindowgeometry', wid], { encoding: 'utf8' }).stdout;
  return /Geometry: (\S+)/.exec(out)?.[1];
}

async function keepassxcMemory() {
  const home = freshHome('mem-keepassxc');
  const env = appEnv(home, { XDG_RUNTIME_DIR: path.join(home, 'run') });
  mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  const log = openSync(path.join(OUT, 'keepassxc.log'), 'a');
  const child = spawn('keepassxc', ['--pw-stdin', KDBX], { env, stdio: ['pipe', log, log] });
  closeSync(log);
  child.stdin.end(`${PASSWORD}\n`);
  try {
    // The database is open when the window's title is the database's name (not "[Locked]").
    let wid = '';
    for (const end = Date.now() + 30_000; !wid; await sleep(50)) {
      if (Date.now() > end) throw new Error('KeePassXC did not open the database within 30 s');
      wid = spawnSync('xdotool', ['search', '--pid', String(child.pid), '--name', '^measure - KeePassXC$'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    }
    // The same window size as the app's (KeePassXC opens at 800x600 on a first run).
    spawnSync('xdotool', ['windowsize', '--sync', wid, '1100', '720']);
    await sleep(IDLE_SECONDS * 1000);
    const m = memory(tree(child.pid));
    screen.savePng(path.join(OUT, 'memory-keepassxc.png'));
    return { what: 'keepassxc', ...m, size: windowSize(wid) };
  } finally {
    await stopTree(child);
  }
}

async function memoryRuns() {
  for (let run = 0; run < MEM_RUNS; run++) {
    for (const [label, fn] of [
      ...MODE_LIST.map((m) => [m, () => appMemory(m, MODES[m])]),
      ...(process.env.MEASURE_KEEPASSXC === '0' ? [] : [['keepassxc', keepassxcMemory]]),
    ]) {
      const r = await fn();
      results.memory.push({ run, ...r });
      say(`memory ${label} ${run + 1}/${MEM_RUNS}: PSS ${mib(r.pss)}, RSS ${mib(r.rss)} (${r.processes.map((p) => `${p.comm} ${mib(p.pss)}`).join(', ')})`);
    }
  }
}

// --- the report -----------------------------------------------------------------------------------

function report() {
  const lines = [];
  const L = (x = '') => lines.push(x);
  const worst = (xs) => (xs.length ? Math.max(...xs) : NaN);
  const verdict = (value, goal) => (!Number.isFinite(value) ? 'n/a' : value < goal ? 'met' : 'missed');

  const launch = results.launch.runs;
  const later = (mode) => launch.filter((r, i) => i > 0 && r.mode === mode && r.ok).map((r) => r.unlockScreenMs);
  const launchMed = (mode) => median(later(mode));
  const timed = (mode, kind, k) => (results.search[mode]?.[kind] ?? []).filter((r) => !r.timeout && Number.isFinite(r[k])).map((r) => r[k]);
  const frames = (mode, kind) => timed(mode, kind, 'frameMs');
  const doms = (mode, kind) => timed(mode, kind, 'domMs');
  const screens = (mode) => timed(mode, 'synthetic', 'screenMs');
  const mem = (what) => {
    const rows = results.memory.filter((r) => r.what === what);
    const med = (f) => median(rows.map(f));
    return {
      rows,
      pss: med((r) => r.pss),
      rss: med((r) => r.rss),
      uss: med((r) => r.uss),
      lockedPss: med((r) => r.locked?.pss ?? NaN),
      lockedRss: med((r) => r.locked?.rss ?? NaN),
    };
  };
  const M = Object.fromEntries([...MODE_LIST, 'keepassxc'].map((m) => [m, mem(m)]));
  const kpx = M.keepassxc;
  const memVerdict = (m) => (!Number.isFinite(m.pss) ? 'n/a' : m.pss <= 200 * 1024 ? 'met' : `missed by ${mib(m.pss - 200 * 1024)}`);
  const lockedVerdict = (m) => (!Number.isFinite(m.lockedPss) ? 'n/a' : m.lockedPss <= 160 * 1024 ? 'met' : `missed by ${mib(m.lockedPss - 160 * 1024)}`);

  L('#### Each mode side by side');
  L();
  L(`Memory: median of ${MEM_RUNS} runs; launch: median of the later plain launches in that mode; search: input event to the list's pixels on the X screen, median / worst (modes whose search was measured).`);
  L();
  L('| mode | PSS unlocked (goal <= 200 MiB) | PSS locked (goal <= 160 MiB) | launch (< 1 s) | search keystroke (< 50 ms) |');
  L('|---|---:|---:|---:|---:|');
  for (const m of MODE_LIST) {
    const sc = screens(m);
    L(`| ${modeName[m]} | ${mib(M[m].pss)} (${memVerdict(M[m])}) | ${mib(M[m].lockedPss)} (${lockedVerdict(M[m])}) | ${ms(launchMed(m))} | ${sc.length ? `${ms1(median(sc))} / ${ms1(worst(sc))}` : 'not measured'} |`);
  }
  if (kpx.rows.length) L(`| KeePassXC ${process.env.KEEPASSXC_VERSION ?? ''}, same entries open | ${mib(kpx.pss)} | | | |`);
  L();
  L(`Launch 1 (the first launch of a fresh home, mode ${MODE_LIST[0]}): ${ms(launch[0]?.unlockScreenMs)}. Search keystrokes through WebDriver, key to the page's frame, median / worst: ${SEARCH_MODES.map((m) => `${m} ${ms1(median(frames(m, 'real')))} / ${ms1(worst(frames(m, 'real')))}`).join('; ')}.`);
  L();

  L('### Launch to the unlock screen');
  L();
  L('Plain launches of the release binary (no WebDriver), the modes in turn, one home for all (launch 1 is its first). Times from spawning the process to the picture on the X screen (Xvfb framebuffer, polled every ~10 ms): the window appears, then "Loading…", then the unlock screen; "unlock screen" is the first frame identical to the settled unlock screen (text cursor aside).');
  L();
  L('| launch | mode | window on screen | unlock screen on screen | pictures seen (ms) |');
  L('|---|---|---:|---:|---|');
  launch.forEach((r, i) => L(`| ${i + 1} | ${modeName[r.mode]} | ${ms(r.windowMs)} | ${r.ok ? ms(r.unlockScreenMs) : 'not seen'} | ${r.stages.join(', ')} |`));
  L();
  const wd = results.webdriver;
  const wdm = (k) => ms(median(wd.map((r) => r[k])));
  L(`Inside the page, through WebDriver (${wd.length} launches, mode ${MODE_LIST[0]}, median ms from the new-session request, which spawns the app): session ready ${wdm('sessionMs')}, page navigation starts ${wdm('navigationStartMs')}, DOMContentLoaded ${wdm('domContentLoadedMs')}, first contentful paint ("Loading…") ${wdm('fcpMs')}, unlock field found in the DOM ${wdm('unlockFieldFoundMs')} (polled).`);
  L();

  L('### Unlock and search with 10,000 entries');
  L();
  L('Unlock (Argon2id 64 MiB t=3 p=4, decryption, the entry list over IPC, first render), from the Enter keydown, in the page:');
  L();
  L('| mode | list in the DOM | next frame starts | frame done | page main thread blocked (start ms: ms) |');
  L('|---|---:|---:|---:|---|');
  for (const u of results.unlock) L(`| ${modeName[u.mode]} | ${ms(u.domMs)} | ${ms(u.rafMs)} | ${ms(u.frameMs)} | ${u.busy.map(([a, b]) => `${a}: ${b}`).join(', ')} |`);
  L();
  const plan = results.search[SEARCH_MODES[0]];
  L(`Search: ${plan?.keystrokes} keystrokes (6 queries typed, then deleted character by character); the keystrokes that change the list (the number of matches changes) are timed, the others change nothing on screen. "input event": the page sets the box's value and dispatches the \`input\` event, timed from just before it; "WebDriver key": Element Send Keys, timed from the keydown event's timestamp. "DOM": until the list pane's DOM changed (MutationObserver); "frame": until the page's rendering of the next frame was done (requestAnimationFrame, then a task); "screen": until the list's pixels changed in the X server's framebuffer (polled every ~2 ms; the wall clock of the page and of the poller). Every timed keystroke was checked to show the expected number of matches.`);
  L();
  L('| mode | keystrokes | DOM median / worst | frame median / worst | screen median / worst |');
  L('|---|---|---:|---:|---:|');
  for (const mode of SEARCH_MODES)
    for (const [kind, name] of [['synthetic', 'input event'], ['real', 'WebDriver key']]) {
      const f = frames(mode, kind);
      const d = doms(mode, kind);
      const sc = kind === 'synthetic' ? screens(mode) : [];
      L(`| ${modeName[mode]} | ${name} (${f.length}) | ${ms1(median(d))} / ${ms1(worst(d))} | ${ms1(median(f))} / ${ms1(worst(f))} | ${sc.length ? `${ms1(median(sc))} / ${ms1(worst(sc))}` : ''} |`);
    }
  L();
  for (const mode of SEARCH_MODES) {
    const ipc = Array.isArray(results.search[mode]?.ipc) ? results.search[mode].ipc : [];
    if (!ipc.length) continue;
    const big = ipc.filter((r) => r.n >= 1000).map((r) => r.ms);
    const syn = (results.search[mode]?.synthetic ?? []).filter((r) => !r.timeout);
    L(`${modeName[mode]}: the \`search\` command alone (invoked from the page, the same queries 3 times, no UI work) takes median ${ms1(median(ipc.map((r) => r.ms)))}, worst ${ms1(worst(ipc.map((r) => r.ms)))} (${ms1(median(big))} median with 1,000 or more matches). Slowest keystrokes to the screen: ${[...syn].sort((a, b) => b.screenMs - a.screenMs).slice(0, 4).map((r) => `"${r.value}" (${r.shown} matches) ${ms(r.screenMs)}`).join(', ')}.`);
    L();
  }

  L('### Idle memory');
  L();
  L(`${IDLE_SECONDS} s after the list of ${N.toLocaleString('en')} entries showed, median of ${MEM_RUNS} runs; summed over the process and all its children from /proc/PID/smaps_rollup. The app is launched plainly and unlocked by typing the password (xdotool); KeePassXC ${process.env.KEEPASSXC_VERSION ?? ''} opens the same entries with \`keepassxc --pw-stdin\`, its window resized to the app's 1100x720. "locked" is the app's tree at the unlock screen, 2 s after it showed.`);
  L();
  L('| | PSS | RSS | USS (private) | PSS per process | locked: PSS (RSS) | locked: PSS per process |');
  L('|---|---:|---:|---:|---|---:|---|');
  const perProc = (procs) =>
    Object.entries(procs.reduce((acc, p) => ((acc[p.comm] ??= []).push(p.pss), acc), {}))
      .map(([comm, v]) => `${comm} ${mib(median(v))}`)
      .join(' + ');
  for (const [name, m] of [...MODE_LIST.map((k) => [`CRM Vault, ${modeName[k]}`, M[k]]), ['KeePassXC', kpx]]) {
    if (!m.rows.length) continue;
    const locked = Number.isFinite(m.lockedPss) ? `${mib(m.lockedPss)} (${mib(m.lockedRss)}) | ${perProc(m.rows.flatMap((r) => r.locked.processes))}` : ' | ';
    L(`| ${name} | ${mib(m.pss)} | ${mib(m.rss)} | ${mib(m.uss)} | ${perProc(m.rows.flatMap((r) => r.processes))} | ${locked} |`);
  }
  return lines.join('\n');
}

const started = Date.now();
mkdirSync(OUT, { recursive: true });
results.machine = { loadBefore: readFileSync('/proc/loadavg', 'utf8').trim() };
say(`${N} entries; phases: WebDriver launches, plain launches, unlock + search, memory`);
// PHASES (for trying things out): a comma-separated subset of wd,launch,search,memory.
const phases = (process.env.PHASES ?? 'wd,launch,search,memory').split(',');
if (phases.includes('wd')) await webdriverLaunches();
if (phases.includes('launch')) await plainLaunches();
if (phases.includes('search')) for (const mode of SEARCH_MODES) await unlockAndSearch(mode);
if (phases.includes('memory')) await memoryRuns();
if (phases.length < 4) {
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 1));
  process.exit(0);
}
results.machine.loadAfter = readFileSync('/proc/loadavg', 'utf8').trim();
results.machine.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 1));
writeFileSync(path.join(OUT, 'figures.md'), report() + '\n');
