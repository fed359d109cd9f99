// Field-detection fixtures served at /detect/<name>. Each real field says what must land in it
// (`data-expect="username|password|totp"`); every other field must keep its value, which is
// what tests/e2e/fill-page.test.mjs checks after one call of the fill script.

import { layout } from './layout.mjs';

const fixtures = {
  // Every kind of decoy a page may carry, around the two real fields.
  decoys: `
<header><input type="search" name="q" placeholder="Search customers"><input name="query" placeholder="搜索客户"></header>
<form>
  <input type="hidden" name="username" value="">
  <input name="username" style="display:none">
  <input name="username" style="position:absolute;left:-9999px">
  <input name="username" style="width:0;height:0;border:0;padding:0">
  <input name="username" aria-hidden="true">
  <div aria-hidden="true"><input name="email"></div>
  <input name="username" disabled>
  <input name="username" readonly value="kept">
  <input name="username" style="opacity:0">
  <input name="username" style="visibility:hidden">
  <label for="real-user">Email</label><input id="real-user" name="login_email" data-expect="username">
  <input type="password" name="password" style="display:none">
  <input type="password" name="pw2" style="position:absolute;top:-9999px;left:-9999px">
  <label for="real-pass">Password</label><input id="real-pass" type="password" data-expect="password">
  <label><input type="checkbox" name="remember"> Remember me</label>
  <button type="submit">Log in</button>
</form>`,

  // Element UI in Chinese: no id, no name, a phone-number placeholder, an image captcha.
  'element-zh': `
<div class="top-bar"><input class="el-input__inner" placeholder="搜索客户"></div>
<div class="el-form">
  <div class="el-form-item"><div class="el-input"><input class="el-input__inner" placeholder="请输入手机号" data-expect="username"></div></div>
  <div class="el-form-item"><div class="el-input"><input type="password" class="el-input__inner" placeholder="请输入密码" data-expect="password"></div></div>
  <div class="el-form-item"><div class="el-input"><input class="el-input__inner" placeholder="图形验证码"></div><img alt="" width="80" height="30"></div>
  <div class="el-button"><span>登 录</span></div>
</div>`,

  // Labels the other ways: aria-labelledby, a wrapping <label>, an unrelated field first.
  labels: `
<form>
  <label>公司 <input name="company"></label>
  <span id="lbl-user">账号</span><input aria-labelledby="lbl-user" data-expect="username">
  <label>密码 <input type="password" data-expect="password"></label>
  <button>登录</button>
</form>`,

  // Ant Design: classes only, the label in the form item.
  antd: `
<form class="ant-form">
  <div class="ant-form-item"><input class="ant-input" placeholder="Account" data-expect="username"></div>
  <div class="ant-form-item"><span class="ant-input-affix-wrapper"><input class="ant-input" type="password" placeholder="Password" data-expect="password"></span></div>
  <button type="submit" class="ant-btn ant-btn-primary"><span>Log in</span></button>
</form>`,

  // No hint at all: the visible text field just before the password is the user name.
  'before-password': `
<header><input name="q" placeholder="Search"></header>
<form>
  <input name="f1" data-expect="username">
  <input name="f2" type="password" data-expect="password">
  <input type="submit" value="Go">
</form>`,

  // A code field named only by the text of its form item.
  'code-label': `
<form>
  <div class="form-item"><span>校验码</span><input name="c" inputmode="numeric" data-expect="totp"></div>
  <button>验证</button>
</form>`,

  // A code field named by autocomplete only.
  'code-autocomplete': `
<form>
  <input name="x" autocomplete="one-time-code" data-expect="totp">
  <button>Verify</button>
</form>`,

  // No button anywhere: Enter in the last field, handled on keydown and keyup.
  'enter-only': `
<div class="login">
  <input placeholder="Username" data-expect="username">
  <input type="password" placeholder="Password" data-expect="password" id="pw">
</div>
<script>
  window.enterKeys = [];
  for (const type of ['keydown', 'keypress', 'keyup']) {
    document.getElementById('pw').addEventListener(type, (e) => {
      if (e.keyCode === 13 && e.key === 'Enter') window.enterKeys.push(type);
    });
  }
</script>`,

  // A button disabled until the page says so.
  'disabled-button': `
<form onsubmit="event.preventDefault(); window.submits = (window.submits || 0) + 1">
  <input name="username" data-expect="username">
  <input name="password" type="password" data-expect="password">
  <button type="submit" id="go" disabled>Sign in</button>
</form>`,

  // After the login: a question for the user, not for the script.
  'stay-signed-in': `
<form>
  <h1>Stay signed in?</h1>
  <label><input type="checkbox" name="dont-ask"> Don't show this again</label>
  <button type="button" onclick="window.answered = 'no'">No</button>
  <button type="submit" onclick="event.preventDefault(); window.answered = 'yes'">Yes</button>
</form>`,

  // The CRM's own pages: e-mail, phone and code fields that are not a login.
  'not-login': `
<form><input type="search" name="q" placeholder="Search"><button>Search</button></form>
<form><label>New customer e-mail <input name="customer_email" type="email"></label>
  <label>Phone <input name="phone"></label><button type="submit">Save</button></form>
<form><label>Promo code <input name="promo_code"></label><button type="submit">Apply</button></form>
<div class="newsletter"><input placeholder="Your email"><span class="btn">Subscribe</span></div>`,
};

export const detectNames = Object.keys(fixtures);

export function detectPage(name) {
  const body = fixtures[name];
  return body === undefined ? null : layout(`Fixture ${name}`, body);
}
