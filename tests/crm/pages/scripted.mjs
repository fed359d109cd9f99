// Login pages built by script, the way framework apps are: state held in JavaScript, posted
// with fetch, fields rendered late or re-rendered. Each imitates one framework's behaviour
// that a fill script has to get right, without depending on the framework.

import { layout, POST_JSON } from './layout.mjs';

/**
 * 2. React-like controlled form. The state changes only from `input` events, and only when the
 * element's value differs from the value last set through the element's own `value` property
 * (React's value tracker): `input.value = x` plus an event is ignored, the native setter is not.
 * The button stays disabled until the state holds both values; the post sends the state.
 */
export function reactPage() {
  return layout(
    'CRM · Log in',
    `<h1>Log in</h1>
<form id="login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password">
  <p class="error" id="error"></p>
  <button type="submit" id="submit" disabled>Log in</button>
</form>`,
    `${POST_JSON}
const state = { email: '', password: '', error: '', busy: false };
const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
const trackers = new Map();
function track(input) {
  let last = native.get.call(input);
  Object.defineProperty(input, 'value', {
    configurable: true,
    get() { return native.get.call(this); },
    set(v) { last = String(v); native.set.call(this, v); },
  });
  trackers.set(input, { changed() { const now = native.get.call(input); if (now === last) return false; last = now; return true; } });
}
function setState(patch) { Object.assign(state, patch); render(); }
function render() {
  for (const name of ['email', 'password']) {
    const input = document.getElementById(name);
    if (input.value !== state[name]) input.value = state[name];
  }
  document.getElementById('error').textContent = state.error;
  document.getElementById('submit').disabled = state.busy || !state.email || !state.password;
}
for (const name of ['email', 'password']) {
  const input = document.getElementById(name);
  track(input);
  input.addEventListener('input', () => {
    if (trackers.get(input).changed()) setState({ [name]: native.get.call(input) });
  });
}
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  setState({ busy: true });
  const answer = await postJson('/api/react/login', { email: state.email, password: state.password });
  if (answer.ok) location.href = answer.next;
  else setState({ busy: false, error: answer.error });
});
render();`,
  );
}

/**
 * 3. Vue with Element UI: inputs without id or name, a div as the button, Enter on keyup.
 * v-model updates the model from each `input` event; the post sends the model.
 */
export function vuePage() {
  return layout(
    'CRM 系统',
    `<div id="app" class="login-card">
  <h1>CRM 系统</h1>
  <div class="el-form-item"><div class="el-input"><input type="text" autocomplete="off" placeholder="用户名" class="el-input__inner"></div></div>
  <div class="el-form-item"><div class="el-input"><input type="password" autocomplete="off" placeholder="密码" class="el-input__inner"></div></div>
  <div class="el-form-item"><label class="el-checkbox"><input type="checkbox" class="el-checkbox__original" style="display:inline;width:auto"> 记住我</label></div>
  <p class="error" id="error"></p>
  <div class="actions"><div class="el-button el-button--primary"><span>登 录</span></div></div>
</div>`,
    `${POST_JSON}
const model = { username: '', password: '' };
const [user, pass] = document.querySelectorAll('.el-input__inner');
user.addEventListener('input', (e) => { model.username = e.target.value; });
pass.addEventListener('input', (e) => { model.password = e.target.value; });
let busy = false;
async function login() {
  if (busy) return;
  busy = true;
  const answer = await postJson('/api/vue/login', { username: model.username, password: model.password });
  busy = false;
  if (answer.ok) location.href = answer.next;
  else document.getElementById('error').textContent = answer.error;
}
document.querySelector('.el-button').addEventListener('click', login);
pass.addEventListener('keyup', (e) => { if (e.keyCode === 13) login(); });`,
  );
}

/**
 * 4. Identifier first: user name and Next; the password field appears 500 ms after Next, in the
 * same page. An off-screen copy of the user name field (a honeypot) travels with the post and
 * must stay empty.
 */
export function identifierFirstPage() {
  return layout(
    'CRM · Sign in',
    `<h1>Sign in</h1>
<form id="login">
  <input name="username" autocomplete="username" tabindex="-1" style="position:absolute;left:-9999px;top:0">
  <div id="step-user">
    <label for="identifier">Email or phone</label>
    <input id="identifier" name="identifier" autocomplete="username">
    <button type="button" id="next">Next</button>
  </div>
  <div id="step-password"></div>
  <p class="error" id="error"></p>
</form>`,
    `${POST_JSON}
const form = document.getElementById('login');
let identifier = '';
document.getElementById('next').addEventListener('click', async () => {
  identifier = document.getElementById('identifier').value;
  const answer = await postJson('/api/identifier-first/identify', { identifier });
  if (!answer.ok) { document.getElementById('error').textContent = answer.error; return; }
  document.getElementById('step-user').remove();
  setTimeout(() => {
    document.getElementById('step-password').innerHTML =
      '<p>' + identifier.replace(/[<&]/g, '') + '</p>' +
      '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">' +
      '<button type="submit">Sign in</button>';
  }, 500);
});
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await postJson('/api/identifier-first/login', {
    identifier, password: document.getElementById('password').value, decoy: form.elements.username.value,
  });
  if (answer.ok) location.href = answer.next;
  else document.getElementById('error').textContent = answer.error;
});`,
  );
}

/**
 * 6. Log in, then six one-digit boxes: each digit moves the focus on, the sixth submits by
 * itself. The Verify button is there for people; the server counts every code post.
 */
export function codeBoxesPage() {
  return layout(
    'CRM · Log in',
    `<h1>Log in</h1>
<form id="login">
  <label for="email">Work email</label>
  <input id="email" name="email" type="email">
  <label for="password">Password</label>
  <input id="password" name="password" type="password">
  <button type="submit">Log in</button>
</form>
<div id="code" hidden>
  <p>Enter the 6-digit code from your authenticator app.</p>
  <div class="digits">${'<input inputmode="numeric" maxlength="1" autocomplete="off">'.repeat(6)}</div>
  <button type="button" id="verify">Verify</button>
</div>
<p class="error" id="error"></p>`,
    `${POST_JSON}
const boxes = [...document.querySelectorAll('.digits input')];
let sent = false;
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await postJson('/api/code-boxes/login', {
    email: document.getElementById('email').value, password: document.getElementById('password').value,
  });
  if (!answer.ok) { document.getElementById('error').textContent = answer.error; return; }
  document.getElementById('login').remove();
  document.getElementById('code').hidden = false;
  boxes[0].focus();
});
async function sendCode() {
  if (sent) return;
  sent = true;
  const answer = await postJson('/api/code-boxes/code', { code: boxes.map((b) => b.value).join('') });
  if (answer.ok) { location.href = answer.next; return; }
  sent = false;
  document.getElementById('error').textContent = answer.error;
  for (const box of boxes) box.value = '';
  boxes[0].focus();
}
boxes.forEach((box, i) => box.addEventListener('input', () => {
  box.value = box.value.replace(/\\D/g, '').slice(-1);
  if (box.value && i + 1 < boxes.length) boxes[i + 1].focus();
  if (boxes.every((b) => b.value.length === 1)) sendCode();
}));
document.getElementById('verify').addEventListener('click', sendCode);`,
  );
}

/** 9. A single-page app: routes to #login after a second, then renders the form. */
export function spaPage() {
  return layout(
    'CRM',
    `<div id="app">Loading…</div>`,
    `${POST_JSON}
const app = document.getElementById('app');
function route() {
  if (location.hash !== '#login') return;
  app.innerHTML = '<h1>Welcome back</h1><form id="login">' +
    '<label>Email <input type="email" id="email"></label>' +
    '<label>Password <input type="password" id="pw"></label>' +
    '<button type="submit">Sign in</button><p class="error" id="error"></p></form>';
  document.getElementById('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await postJson('/api/spa/login', {
      email: document.getElementById('email').value, password: document.getElementById('pw').value,
    });
    if (!answer.ok) { document.getElementById('error').textContent = answer.error; return; }
    document.title = 'Signed in';
    app.innerHTML = '<h1 id="signed-in">Welcome, ' + answer.user + '</h1>';
    history.replaceState(null, '', '#home');
  });
}
window.addEventListener('hashchange', route);
setTimeout(() => { location.hash = '#login'; }, 1000);`,
  );
}

/**
 * 10. Accepts only what a keyboard typed: every `input` event must be trusted and follow a
 * trusted key press, and the value posted must be the one the last such event left.
 */
export function trustedOnlyPage() {
  return layout(
    'CRM · Secure log in',
    `<h1>Secure log in</h1>
<form id="login">
  <label for="user">User name</label>
  <input id="user" name="user" autocomplete="username" autofocus>
  <label for="pass">Password</label>
  <input id="pass" name="pass" type="password" autocomplete="current-password">
  <button type="submit">Log in</button>
  <p class="error" id="error"></p>
</form>`,
    `${POST_JSON}
const untrustedEvents = [];
const typed = new Map(); // the value each field had after its last trusted keystroke
for (const input of document.querySelectorAll('#login input')) {
  let keyDown = false;
  input.addEventListener('keydown', (e) => { keyDown = e.isTrusted; });
  input.addEventListener('input', (e) => {
    if (!e.isTrusted) untrustedEvents.push(input.name + ': input event not from the keyboard');
    else if (keyDown || e.inputType === 'insertFromPaste') typed.set(input, input.value);
  });
}
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = document.getElementById('user');
  const pass = document.getElementById('pass');
  const problems = untrustedEvents.splice(0);
  for (const input of [user, pass]) {
    if ((typed.get(input) ?? '') !== input.value) problems.push(input.name + ': value not typed');
  }
  const answer = await postJson('/api/trusted-only/login', { user: user.value, pass: pass.value, problems });
  if (answer.ok) location.href = answer.next;
  else document.getElementById('error').textContent = answer.error;
});`,
  );
}

/**
 * 12. Tries the Tauri IPC from the CRM's page and reports each outcome to the server: in CRM
 * Vault's login window every attempt must come to nothing.
 */
export function ipcProbePage() {
  return layout(
    'CRM · Dashboard',
    `<h1>Dashboard</h1>
<ul id="ipc-results"></ul>`,
    `${POST_JSON}
const commands = ['list_entries', 'entry_detail', 'reveal', 'reveal_secret', 'copy', 'totp_code',
  'lock', 'open_url', 'save_entry', 'delete_entry', 'update_settings', 'plugin:window|close'];
const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in ' + ms + ' ms')), ms));
const describe = (v) => { try { return JSON.stringify(v).slice(0, 300); } catch (_) { return String(v).slice(0, 300); } };
async function probe(command) {
  const internals = window.__TAURI_INTERNALS__;
  if (!internals || typeof internals.invoke !== 'function') return 'no ipc';
  try {
    return 'resolved: ' + describe(await Promise.race([internals.invoke(command, { id: 'x', entryId: 'x' }), timeout(3000)]));
  } catch (e) {
    return 'error: ' + String((e && e.message) || e).slice(0, 300);
  }
}
(async () => {
  const globals = {
    __TAURI_INTERNALS__: typeof window.__TAURI_INTERNALS__,
    __TAURI__: typeof window.__TAURI__,
    ipc: typeof window.ipc,
  };
  const outcomes = [];
  for (const command of commands) {
    const outcome = await probe(command);
    outcomes.push({ command, outcome });
    const li = document.createElement('li');
    li.textContent = command + ': ' + outcome;
    document.getElementById('ipc-results').append(li);
  }
  await postJson('/api/ipc-probe', { globals, outcomes });
  document.getElementById('ipc-results').dataset.done = 'true';
})();`,
  );
}

/**
 * 13. Tries to take its window out of the web: to the app's own page (`tauri://localhost`, whose
 * window would then be a CRM Vault page) and to a local file. After each try it reports where it
 * still is; in CRM Vault's login window both tries must leave it here.
 */
export function escapePage() {
  return layout(
    'CRM · Reports',
    `<h1>Reports</h1>`,
    `${POST_JSON}
(async () => {
  const reports = [];
  for (const target of ['tauri://localhost/index.html', 'file:///etc/hostname']) {
    try {
      location.href = target;
    } catch (e) {
      reports.push({ target, thrown: String(e) });
    }
    await new Promise((r) => setTimeout(r, 1500));
    reports.push({ target, stillAt: location.href });
  }
  await postJson('/api/escape', { reports });
})();`,
  );
}
