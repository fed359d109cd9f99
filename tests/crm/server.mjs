#!/usr/bin/env node
// The mock CRM: a genuine site and a foreign look-alike origin on 127.0.0.1, each a plain
// node:http server. Success is decided only from what each page's own logic sends (form posts,
// fetch), and every request that carries values is logged with its outcome, per origin, at
// GET /__crm/log (POST /__crm/reset empties it).
//
//   node tests/crm/server.mjs --port 0 --foreign-port 0   # prints {"origin":…,"foreignOrigin":…}
//   import { startCrm } from './server.mjs'               # → {origin, foreignOrigin, received(), reset(), close()}

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { detectPage } from './pages/detect.mjs';
import * as forms from './pages/forms.mjs';
import { layout, signedInPage } from './pages/layout.mjs';
import * as scripted from './pages/scripted.mjs';
import { base32Decode, totpAccepts } from './totp.mjs';

export const CRM_USER = 'alice@example.com';
export const CRM_PASSWORD = 'Crm-pa55word!';
export const CRM_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
const TOTP_KEY = base32Decode(CRM_TOTP_SECRET);

export const PAGES = [
  ['/plain', 'classic form post'],
  ['/react', 'React-like controlled form, button disabled until the state is filled'],
  ['/vue', 'Element UI inputs without id or name, a div button, Enter on keyup'],
  ['/identifier-first', 'user name, Next, then the password field 500 ms later; an off-screen decoy'],
  ['/three-step', 'account, password and one-time code on three page loads'],
  ['/code-boxes', 'log in, then six one-digit boxes that submit themselves'],
  ['/iframe', 'the form in a same-origin frame with a CSRF token'],
  ['/cross-frame', 'a frame from the foreign origin (must get nothing)'],
  ['/spa', 'single-page app that routes to #login after a second'],
  ['/trusted-only', 'accepts trusted keystrokes only'],
  ['/lookalike', 'redirects to the foreign origin (must get nothing)'],
  ['/ipc-probe', 'tries the Tauri IPC and reports what happened'],
  ['/escape', 'tries to leave the web for the app\'s own pages and local files, and reports where it is'],
];

const credentialsProblem = (user, password) =>
  user === CRM_USER && password === CRM_PASSWORD ? null : 'wrong user name or password';

function token() {
  return randomBytes(12).toString('hex');
}

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] || '').includes('application/json')) {
    try {
      return JSON.parse(text);
    } catch {
      return { unparsable: text.slice(0, 200) };
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const html = (res, body, status = 200, headers = {}) =>
  send(res, status, body, { 'content-type': 'text/html; charset=utf-8', ...headers });
const json = (res, value, headers = {}) =>
  send(res, 200, JSON.stringify(value), { 'content-type': 'application/json', ...headers });
const redirect = (res, location, headers = {}) => send(res, 302, '', { location, ...headers });

/** One CRM: its state, its two request handlers. */
function createCrm() {
  const logs = { genuine: [], foreign: [] };
  const sessions = new Map(); // session id → { user, page }
  const flows = new Map(); // three-step and code-boxes progress, by flow cookie
  const csrfTokens = new Set();
  let foreignOrigin = '';

  function record(port, req, page, values, outcome) {
    logs[port].push({ method: req.method, path: req.url, page, values, outcome });
  }

  /** Logs the outcome, opens a session on success; returns the Set-Cookie header. */
  function conclude(req, page, values, problem) {
    record('genuine', req, page, values, problem ? `rejected: ${problem}` : 'signed-in');
    if (problem) return null;
    const sid = token();
    sessions.set(sid, { user: CRM_USER, page });
    return { 'set-cookie': `crm_session=${sid}; Path=/; HttpOnly; SameSite=Lax` };
  }

  function flowOf(req) {
    const id = cookies(req).crm_flow;
    return (id && flows.get(id)) || null;
  }

  function newFlow(page, stage) {
    const id = token();
    flows.set(id, { page, stage });
    return { 'set-cookie': `crm_flow=${id}; Path=/; HttpOnly; SameSite=Lax` };
  }

  async function genuine(req, res) {
    const url = new URL(req.url, 'http://crm');
    const route = `${req.method} ${url.pathname}`;
    const body = req.method === 'POST' ? await readBody(req) : {};
    switch (route) {
      case 'GET /':
        return html(res, forms.indexPage(PAGES));
      case 'GET /signed-in': {
        const session = sessions.get(cookies(req).crm_session);
        if (!session) return redirect(res, '/');
        return html(res, signedInPage(session.user, session.page));
      }
      case 'GET /plain':
        return html(res, forms.plainPage());
      case 'POST /plain/login': {
        const problem = credentialsProblem(body.username, body.password);
        const cookie = conclude(req, 'plain', body, problem);
        if (cookie) return redirect(res, '/signed-in', cookie);
        return html(res, forms.plainPage({ message: 'Wrong user name or password.', username: body.username }));
      }
      case 'GET /react':
        return html(res, scripted.reactPage());
      case 'GET /vue':
        return html(res, scripted.vuePage());
      case 'GET /identifier-first':
        return html(res, scripted.identifierFirstPage());
      case 'POST /api/identifier-first/identify': {
        const known = body.identifier === CRM_USER;
        record('genuine', req, 'identifier-first', body, known ? 'next: password' : 'rejected: unknown user');
        return json(res, known ? { ok: true } : { ok: false, error: 'No account with that name.' });
      }
      case 'POST /api/react/login':
      case 'POST /api/vue/login':
      case 'POST /api/identifier-first/login':
      case 'POST /api/spa/login':
      case 'POST /api/trusted-only/login':
        return apiLogin(req, res, url.pathname.split('/')[2], body);
      case 'GET /three-step':
        return html(res, forms.threeStepPage('user'));
      case 'POST /three-step/user': {
        if (body.account !== CRM_USER) {
          record('genuine', req, 'three-step', body, 'rejected: unknown user');
          return html(res, forms.threeStepPage('user', '账号不存在'));
        }
        record('genuine', req, 'three-step', body, 'next: password');
        return redirect(res, '/three-step/password', newFlow('three-step', 'password'));
      }
      case 'GET /three-step/password':
      case 'GET /three-step/totp': {
        const flow = flowOf(req);
        const stage = url.pathname.split('/')[2];
        if (!flow || flow.page !== 'three-step' || flow.stage !== stage) return redirect(res, '/three-step');
        return html(res, forms.threeStepPage(stage));
      }
      case 'POST /three-step/password': {
        const flow = flowOf(req);
        if (!flow || flow.stage !== 'password') return redirect(res, '/three-step');
        if (body.pwd !== CRM_PASSWORD) {
          record('genuine', req, 'three-step', body, 'rejected: wrong password');
          return html(res, forms.threeStepPage('password', '密码错误'));
        }
        flow.stage = 'totp';
        record('genuine', req, 'three-step', body, 'next: totp');
        return redirect(res, '/three-step/totp');
      }
      case 'POST /three-step/totp': {
        const flow = flowOf(req);
        if (!flow || flow.stage !== 'totp') return redirect(res, '/three-step');
        const cookie = conclude(req, 'three-step', body, totpAccepts(TOTP_KEY, body.otp) ? null : 'wrong code');
        if (!cookie) return html(res, forms.threeStepPage('totp', '动态码错误'));
        flows.delete(cookies(req).crm_flow);
        return redirect(res, '/signed-in', cookie);
      }
      case 'GET /code-boxes':
        return html(res, scripted.codeBoxesPage());
      case 'POST /api/code-boxes/login': {
        const problem = credentialsProblem(body.email, body.password);
        record('genuine', req, 'code-boxes', body, problem ? `rejected: ${problem}` : 'next: code');
        if (problem) return json(res, { ok: false, error: 'Wrong email or password.' });
        return json(res, { ok: true }, newFlow('code-boxes', 'code'));
      }
      case 'POST /api/code-boxes/code': {
        const flow = flowOf(req);
        const problem = !flow || flow.stage !== 'code' ? 'no login before the code'
          : totpAccepts(TOTP_KEY, body.code) ? null : 'wrong code';
        const cookie = conclude(req, 'code-boxes', body, problem);
        if (!cookie) return json(res, { ok: false, error: 'That code did not work.' });
        flows.delete(cookies(req).crm_flow);
        return json(res, { ok: true, next: '/signed-in' }, cookie);
      }
      case 'GET /iframe':
        return html(res, forms.iframeOuterPage());
      case 'GET /iframe/form': {
        const csrf = token();
        csrfTokens.add(csrf);
        return html(res, forms.iframeFormPage(csrf));
      }
      case 'POST /iframe/login': {
        const csrfOk = csrfTokens.delete(body.csrf);
        const problem = csrfOk ? credentialsProblem(body.login, body.secret) : 'missing or reused CSRF token';
        const cookie = conclude(req, 'iframe', body, problem);
        if (cookie) return redirect(res, '/signed-in', cookie);
        return redirect(res, '/iframe');
      }
      case 'GET /cross-frame':
        return html(res, forms.crossFramePage(foreignOrigin));
      case 'GET /spa':
        return html(res, scripted.spaPage());
      case 'GET /trusted-only':
        return html(res, scripted.trustedOnlyPage());
      case 'GET /lookalike':
        return redirect(res, `${foreignOrigin}/lookalike`);
      case 'GET /ipc-probe':
        return html(res, scripted.ipcProbePage());
      case 'POST /api/ipc-probe':
        record('genuine', req, 'ipc-probe', body, 'probe');
        return json(res, { ok: true });
      case 'GET /escape':
        return html(res, scripted.escapePage());
      case 'POST /api/escape':
        record('genuine', req, 'escape', body, 'probe');
        return json(res, { ok: true });
      default: {
        const fixture = url.pathname.startsWith('/detect/') && detectPage(url.pathname.slice(8));
        if (req.method === 'GET' && fixture) return html(res, fixture);
        if (req.method === 'POST') record('genuine', req, 'unknown', body, 'rejected: no such page');
        return html(res, layout('Not found', '<h1>Not found</h1>'), 404);
      }
    }
  }

  /** The JSON logins of the scripted pages: the body is what the page's own code sent. */
  function apiLogin(req, res, page, body) {
    let problem;
    if (page === 'react' || page === 'spa') problem = credentialsProblem(body.email, body.password);
    else if (page === 'vue') problem = credentialsProblem(body.username, body.password);
    else if (page === 'identifier-first') {
      problem = body.decoy ? 'the hidden user name field was filled' : credentialsProblem(body.identifier, body.password);
    } else if (page === 'trusted-only') {
      const untrusted = Array.isArray(body.problems) && body.problems.length > 0;
      problem = untrusted ? 'untrusted' : credentialsProblem(body.user, body.pass);
    }
    const cookie = conclude(req, page, body, problem);
    if (!cookie) return json(res, { ok: false, error: problem === 'untrusted' ? 'Please type your password.' : 'Wrong user name or password.' });
    return json(res, { ok: true, next: '/signed-in', user: CRM_USER }, cookie);
  }

  /** The look-alike: anything it receives is logged, and nothing ever succeeds there. */
  async function foreign(req, res) {
    const url = new URL(req.url, 'http://foreign');
    const body = req.method === 'POST' ? await readBody(req) : {};
    const page = url.pathname.replace(/^\//, '') || 'index';
    if (req.method !== 'GET' || url.search) record('foreign', req, page, { ...body, ...Object.fromEntries(url.searchParams) }, 'rejected: foreign origin');
    if (req.method === 'GET' && url.pathname === '/lookalike') return html(res, forms.lookalikePage());
    if (req.method === 'GET' && url.pathname === '/frame-login') return html(res, forms.foreignFramePage());
    return html(res, layout('Partner', '<h1>Thanks</h1>'), req.method === 'POST' ? 200 : 404);
  }

  /** The log endpoints, the same on both ports; each port answers with its own log. */
  function withLog(port, handler) {
    return async (req, res) => {
      try {
        if (req.url === '/__crm/log' && req.method === 'GET') return json(res, logs[port]);
        if (req.url === '/__crm/reset' && req.method === 'POST') {
          logs.genuine.length = 0;
          logs.foreign.length = 0;
          return json(res, { ok: true });
        }
        return await handler(req, res);
      } catch (error) {
        send(res, 500, String(error && error.message));
      }
    };
  }

  return {
    logs,
    setForeignOrigin: (origin) => {
      foreignOrigin = origin;
    },
    genuineHandler: withLog('genuine', genuine),
    foreignHandler: withLog('foreign', foreign),
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/** Starts both servers; port 0 picks a free one. */
export async function startCrm({ port = 0, foreignPort = 0 } = {}) {
  const crm = createCrm();
  const genuineServer = http.createServer(crm.genuineHandler);
  const foreignServer = http.createServer(crm.foreignHandler);
  const origin = await listen(genuineServer, port);
  const foreignOrigin = await listen(foreignServer, foreignPort);
  crm.setForeignOrigin(foreignOrigin);
  return {
    origin,
    foreignOrigin,
    /** Copies of both logs: what each origin received from pages. */
    received: () => structuredClone(crm.logs),
    reset: () => {
      crm.logs.genuine.length = 0;
      crm.logs.foreign.length = 0;
    },
    close: () =>
      Promise.all(
        [genuineServer, foreignServer].map(
          (server) =>
            new Promise((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ),
  };
}

function argument(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const crm = await startCrm({ port: argument('--port', 0), foreignPort: argument('--foreign-port', 0) });
  process.stdout.write(`${JSON.stringify({ origin: crm.origin, foreignOrigin: crm.foreignOrigin })}\n`);
  const stop = () => crm.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
