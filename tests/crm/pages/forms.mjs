// Server-rendered login pages: classic form posts, the three-step login, frames and the
// look-alike. Each page posts to the server that served it, so the foreign origin's copies post
// to the foreign port and its log.

import { escapeHtml, layout } from './layout.mjs';

const error = (text) => (text ? `<p class="error" id="error">${escapeHtml(text)}</p>` : '');

/** 1. A classic form post. Also served (tampered) on the foreign origin as the look-alike. */
export function plainPage({ message = '', username = '', title = 'CRM · Log in', script = '' } = {}) {
  return layout(
    title,
    `<h1>Log in to the CRM</h1>
${error(message)}
<form method="post" action="/plain/login">
  <label for="username">User name</label>
  <input id="username" name="username" value="${escapeHtml(username)}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password">
  <label><input type="checkbox" name="remember" style="display:inline;width:auto"> Remember me</label>
  <button type="submit">Log in</button>
</form>`,
    script,
  );
}

/**
 * The look-alike on the foreign origin: the plain page, plus what a hostile page would do to
 * make a careless fill script believe it is on the right site.
 */
export function lookalikePage() {
  // (Array.prototype.includes is left alone only because chromedriver's own result serialiser
  // needs it to answer at all.)
  const tamper = `
Array.prototype.indexOf = function () { return 0; };
Array.prototype.some = function () { return true; };
Array.prototype.find = function () { return this[0]; };
window.origins = ['*'];`;
  return plainPage({ title: 'CRM · Log in', script: tamper });
}

/** 5. The three-step login, one page load per step: account, password, one-time code. */
export function threeStepPage(step, message = '') {
  if (step === 'user') {
    return layout(
      'CRM · 登录',
      `<h1>登录</h1>${error(message)}
<form method="post" action="/three-step/user">
  <label for="account">账号</label>
  <input id="account" name="account">
  <button type="submit">下一步</button>
</form>`,
    );
  }
  if (step === 'password') {
    return layout(
      'CRM · 密码',
      `<h1>输入密码</h1>${error(message)}
<form method="post" action="/three-step/password">
  <input type="password" name="pwd" aria-label="密码">
  <button>登录</button>
</form>`,
    );
  }
  return layout(
    'CRM · 动态码',
    `<h1>两步验证</h1>${error(message)}
<form method="post" action="/three-step/totp">
  <label for="otp">动态码</label>
  <input id="otp" name="otp" inputmode="numeric" autocomplete="off" maxlength="6">
  <button type="submit">验证</button>
</form>`,
  );
}

/** 7. The page that holds the login frame. */
export function iframeOuterPage() {
  return layout(
    'CRM · Portal',
    `<h1>Customer portal</h1>
<p>Please log in below.</p>
<iframe src="/iframe/form" title="Log in" width="420" height="320"></iframe>`,
  );
}

/** 7. The login form inside the frame, with the CSRF token the server checks. */
export function iframeFormPage(csrf, message = '') {
  return layout(
    'Log in',
    `${error(message)}
<form method="post" action="/iframe/login" target="_top">
  <input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
  <input name="login" placeholder="Email" aria-label="Email">
  <input name="secret" type="password" placeholder="Password">
  <button type="submit">Sign in</button>
</form>`,
  );
}

/** 8. A genuine page embedding a login form from the foreign origin. */
export function crossFramePage(foreignOrigin) {
  return layout(
    'CRM · Partner login',
    `<h1>Partner portal</h1>
<p>The form below belongs to another site.</p>
<iframe src="${escapeHtml(foreignOrigin)}/frame-login" title="Partner" width="420" height="320"></iframe>`,
  );
}

/** 8. The foreign origin's form shown in that frame. */
export function foreignFramePage() {
  return layout(
    'Partner log in',
    `<form method="post" action="/frame-login">
  <label for="u">User name</label><input id="u" name="username" autocomplete="username">
  <label for="p">Password</label><input id="p" name="password" type="password">
  <button type="submit">Log in</button>
</form>`,
  );
}

/** The list of login pages at `/`. */
export function indexPage(pages) {
  const items = pages.map(([path, text]) => `<li><a href="${path}">${path}</a>: ${escapeHtml(text)}</li>`);
  return layout('Mock CRM', `<h1>Mock CRM</h1>\n<ul>\n${items.join('\n')}\n</ul>`);
}
