(function crmVaultFill(request) {
  /*
   * CRM Vault's page-side fill script: ONE step of signing in per call ("tick").
   *
   * The caller (the login window in Rust, later a browser extension) has already checked the
   * document's origin; it evaluates `(<this function>)(<request JSON>)` about every 250 ms and
   * reads back the report this returns. Each call looks at the page as it is now, so forms that
   * render late, re-render, or move on to the next step need no special waiting here.
   *
   * The page runs before us and may have replaced any global or prototype method: the origin
   * check therefore uses only plain loops and `===` on the unforgeable `location`, and the DOM
   * methods that matter are taken from the prototypes at call time.
   *
   * Progress between ticks (when something was filled, how many times each step was submitted)
   * is kept in the tab's sessionStorage for this origin, so that a form the server sends back
   * after a wrong password (a new document) still counts as the same step: two submits of a
   * step within a minute and the form still there means "stuck". Never a secret value.
   */
  'use strict';

  /**
   * `attempt` (optional) names one sign-in attempt: progress saved under another attempt is
   * ignored, so "Log in" clicked again in the same window starts afresh; without it, progress
   * simply expires after a minute.
   * @typedef {{origins: string[], username: string, password: string, totp: (string|null),
   *            submit: boolean, attempt: (string|undefined)}} FillRequest
   * @typedef {'identifier'|'password'|'totp'} Step
   * @typedef {{state: string, step: (Step|null), filled: string[], skippedFrames: number,
   *            needsTotp: boolean}} FillReport
   */

  /** Time between filling and submitting: pages debounce their own state updates. */
  const SUBMIT_DELAY_MS = 300;
  /** Time to let the page answer a submit before deciding it did not take. */
  const SUBMIT_SETTLE_MS = 2500;
  /** Submits of one step after which, with the form still there, we stop (wrong password). */
  const MAX_SUBMITS = 2;
  /** Progress older than this belongs to an earlier attempt. */
  const PROGRESS_TTL_MS = 60000;
  const PROGRESS_KEY = 'crmVaultFillProgress';

  const NOT_TEXT_TYPES = ['checkbox', 'radio', 'submit', 'button', 'image', 'reset', 'file', 'hidden',
    'search', 'range', 'color', 'date', 'datetime-local', 'month', 'week', 'time', 'url'];
  const USER_WORDS = /user|login|e-?mail|account|acct|phone|mobile|identifier|\buid\b|用户|用戶|账号|帐号|賬號|帳號|账户|帐户|手机|手機|邮箱|郵箱|工号|登录名|电话|電話/;
  const PASSWORD_WORDS = /pass|pwd|密码|密碼|口令/;
  const CODE_WORDS = /otp|2fa|mfa|one.?time|verif|\bcode\b|auth.?code|security.?code|\btoken\b|验证码|驗證碼|动态码|動態碼|校验码|校驗碼|动态口令|安全码/;
  const CAPTCHA_WORDS = /captcha|图形|图片|圖形|圖片|image/;
  const SEARCH_WORDS = /search|query|keyword|filter|搜索|搜尋|查询|查詢/;

  const LOGIN_WORDS = /^(登录|登陆|登入|登錄|立即登录|安全登录|账号登录|login|log-?in|signin|sign-?in|next|下一步|continue|继续|繼續|verify|验证|驗證|确定|確定|确认|確認|submit|提交|ok)$/;
  const BUTTONISH = 'button, input[type="button"], input[type="submit"], [role="button"], a, div, span';
  const NOT_LOGIN_WORDS = /forgot|忘记|忘記|register|注册|註冊|signup|cancel|取消|返回|back|短信|扫码|掃碼|qr/;

  /** @type {FillReport} */
  const report = { state: 'no-form', step: null, filled: [], skippedFrames: 0, needsTotp: false };

  const origins = request && request.origins;
  if (!isAllowedOrigin(window)) {
    report.state = 'refused';
    return report;
  }

  // Natives taken now, from the prototypes rather than from the elements (which the page may
  // have given own properties, as React does for `value`).
  const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  const focusNative = HTMLElement.prototype.focus;
  const blurNative = HTMLElement.prototype.blur;
  const clickNative = HTMLElement.prototype.click;
  const dispatchNative = EventTarget.prototype.dispatchEvent;
  const now = Date.now();

  const documents = collectDocuments(window, 0);
  let form = null;
  for (const doc of documents) {
    form = findLoginForm(doc);
    if (form) break;
  }
  if (!form) return report;

  report.step = form.step;
  const view = form.doc.defaultView;
  const progress = loadProgress(view);
  const submits = progress.submits[form.step] || 0;
  const sinceSubmit = now - (progress.submittedAt || 0);

  const hasCode = isText(request.totp);
  if (form.step === 'totp' && !hasCode) {
    report.needsTotp = true;
    report.state = 'waiting';
    return report;
  }

  // The page had its chances with this step: do not fill or submit again.
  if (submits >= MAX_SUBMITS) {
    report.state = sinceSubmit >= SUBMIT_SETTLE_MS ? 'stuck' : 'waiting';
    return report;
  }

  if (form.code && !hasCode) report.needsTotp = true;
  const filledNow = fillForm(form);
  if (filledNow.length > 0) {
    report.filled = filledNow;
    report.state = 'filled';
    progress.filledAt = now;
    if (form.boxes) {
      // Code boxes submit themselves once full: count that as the submit, never click as well.
      progress.submits.totp = submits + 1;
      progress.submittedAt = now;
    }
    saveProgress(view, progress);
    return report;
  }

  report.state = 'waiting';
  if (!request.submit) return report;
  if (now - (progress.filledAt || 0) < SUBMIT_DELAY_MS) return report;
  if (submits > 0 && sinceSubmit < SUBMIT_SETTLE_MS) return report;

  const submitted = submitForm(form);
  if (submitted) {
    report.state = 'submitted';
    progress.submits[form.step] = submits + 1;
    progress.submittedAt = now;
    saveProgress(view, progress);
  }
  return report;

  // ---------------------------------------------------------------------------------------
  // Origins and frames

  /** @param {Window} win */
  function isAllowedOrigin(win) {
    let origin;
    try {
      origin = win.location.origin;
    } catch (_) {
      return false;
    }
    if (!origins || typeof origins.length !== 'number') return false;
    for (let i = 0; i < origins.length; i++) {
      if (typeof origins[i] === 'string' && origins[i] === origin && origin !== 'null') return true;
    }
    return false;
  }

  /**
   * This document and the documents of its visible same-origin frames, depth first. A frame
   * from another origin (or one we cannot read) is counted and left alone.
   * @param {Window} win
   * @param {number} depth
   * @returns {Document[]}
   */
  function collectDocuments(win, depth) {
    const out = [win.document];
    if (depth > 4) return out;
    const frames = win.document.querySelectorAll('iframe, frame');
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i];
      let child = null;
      try {
        child = frame.contentWindow;
        // Reading the document of a cross-origin frame throws; that is the test we want.
        if (!child || !child.document) throw new Error('no document');
      } catch (_) {
        if (frame.contentWindow) report.skippedFrames++;
        continue;
      }
      if (!isAllowedOrigin(child)) {
        report.skippedFrames++;
        continue;
      }
      if (!isVisible(frame)) continue;
      const nested = collectDocuments(child, depth + 1);
      for (let j = 0; j < nested.length; j++) out.push(nested[j]);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Finding the login fields

  /**
   * What the visible form in `doc` asks for, with the fields to fill, or null.
   * @param {Document} doc
   */
  function findLoginForm(doc) {
    const inputs = visibleInputs(doc);
    const kinds = inputs.map(classify);
    const passwords = [];
    const codes = [];
    const users = [];
    const boxes = [];
    for (let i = 0; i < inputs.length; i++) {
      const kind = kinds[i];
      if (kind === 'password') passwords.push(inputs[i]);
      else if (kind === 'code') codes.push(inputs[i]);
      else if (kind === 'user') users.push(inputs[i]);
      else if (kind === 'box') boxes.push(inputs[i]);
    }

    if (passwords.length > 0) {
      const password = passwords[0];
      const user = userBefore(inputs, kinds, password);
      const code = codes.find((c) => sameForm(c, password)) || null;
      return { doc, step: 'password', user, password, code, boxes: null, last: code || password };
    }
    // Without a password field, a lone code or user name field is a login step only if the page
    // says so (autocomplete) or offers to go on with a login word (Next, Verify, 登录...): the
    // CRM's own pages have promo-code, phone and e-mail fields that must never be filled.
    for (const code of codes) {
      if (hasAutocomplete(code, /one-time-code/) || hasLoginControl(code)) {
        return { doc, step: 'totp', user: null, password: null, code, boxes: null, last: code };
      }
    }
    if (boxes.length >= 4 && boxes.length <= 8) {
      return { doc, step: 'totp', user: null, password: null, code: null, boxes, last: boxes[boxes.length - 1] };
    }
    for (const user of users) {
      if (hasAutocomplete(user, /\busername\b/) || hasLoginControl(user)) {
        return { doc, step: 'identifier', user, password: null, code: null, boxes: null, last: user };
      }
    }
    return null;
  }

  function hasAutocomplete(input, pattern) {
    return pattern.test((input.getAttribute('autocomplete') || '').toLowerCase());
  }

  /** A control near the field whose text is a login word (a form's "Save" is not). */
  function hasLoginControl(field) {
    const submit = formSubmitButton(field);
    return (submit !== null && isLoginControl(submit)) || loginControlNear(field) !== null;
  }

  /**
   * The user name field that goes with `password`: a field that says it is one, in the same
   * form and before it; otherwise the nearest plain text field before it.
   */
  function userBefore(inputs, kinds, password) {
    const at = inputs.indexOf(password);
    for (let i = at - 1; i >= 0; i--) {
      if (kinds[i] === 'user' && sameForm(inputs[i], password)) return inputs[i];
    }
    for (let i = at - 1; i >= 0; i--) {
      if (kinds[i] === 'password') break;
      if (kinds[i] === 'text' && sameForm(inputs[i], password)) return inputs[i];
    }
    return null;
  }

  /** Both in the same <form>, or both outside any form (pages built from divs). */
  function sameForm(a, b) {
    return a.form === b.form;
  }

  /**
   * What a visible input is: 'password', 'code', 'box' (one character of a code), 'user',
   * 'text' (no hint, maybe a user name if it stands before a password) or 'other'.
   * @param {HTMLInputElement} input
   */
  function classify(input) {
    const type = (input.getAttribute('type') || '').toLowerCase();
    const auto = (input.getAttribute('autocomplete') || '').toLowerCase();
    const hints = describe(input);
    if (auto.indexOf('one-time-code') >= 0) return 'code';
    if (SEARCH_WORDS.test(hints) || input.getAttribute('role') === 'searchbox') return 'other';
    if (CAPTCHA_WORDS.test(hints)) return 'other';
    if (type === 'password') {
      if (auto.indexOf('new-password') >= 0) return 'other';
      if (CODE_WORDS.test(hints) && !PASSWORD_WORDS.test(hints)) return 'code';
      return 'password';
    }
    if (input.maxLength === 1) return 'box';
    if (/\b(username|email)\b/.test(auto) || type === 'email') return 'user';
    if (CODE_WORDS.test(hints) && !USER_WORDS.test(hints)) return 'code';
    if (USER_WORDS.test(hints)) return 'user';
    return 'text';
  }

  /** Everything a page uses to say what a field is, lower-cased in one string. */
  function describe(input) {
    const doc = input.ownerDocument;
    const parts = [
      input.getAttribute('name'),
      input.getAttribute('id'),
      input.getAttribute('placeholder'),
      input.getAttribute('aria-label'),
      input.getAttribute('title'),
      input.getAttribute('autocomplete'),
      input.getAttribute('inputmode') === 'search' ? 'search' : '',
    ];
    const labelledBy = input.getAttribute('aria-labelledby');
    if (labelledBy) {
      for (const id of labelledBy.split(/\s+/)) {
        const label = id && doc.getElementById(id);
        if (label) parts.push(label.textContent);
      }
    }
    const labels = input.labels;
    if (labels) for (let i = 0; i < labels.length; i++) parts.push(labels[i].textContent);
    // Component libraries put the label in the form item around the input, not in a <label>.
    const item = input.closest('[class*="form-item"], .form-group, .field');
    if (item && item.querySelectorAll('input').length === 1) {
      const text = item.textContent || '';
      if (text.length < 60) parts.push(text);
    }
    return parts.filter(Boolean).join(' ').toLowerCase();
  }

  /** @param {Document} doc @returns {HTMLInputElement[]} */
  function visibleInputs(doc) {
    const all = doc.querySelectorAll('input');
    const out = [];
    for (let i = 0; i < all.length; i++) {
      const input = all[i];
      // Unknown types render as text fields; check boxes, search boxes and the like do not count.
      const type = (input.getAttribute('type') || '').toLowerCase();
      if (NOT_TEXT_TYPES.indexOf(type) >= 0) continue;
      if (input.disabled || input.readOnly) continue;
      if (!isVisible(input)) continue;
      out.push(input);
    }
    return out;
  }

  /**
   * Shown to the user: laid out, with size, not transparent or hidden, on the page (not moved
   * off its left or top edge) and not hidden from assistive technology. Decoy fields fail one.
   * @param {Element} el
   */
  function isVisible(el) {
    const view = el.ownerDocument.defaultView;
    const rect = el.getBoundingClientRect();
    if (rect.width < 4 || rect.height < 4) return false;
    if (rect.right + view.scrollX <= 0 || rect.bottom + view.scrollY <= 0) return false;
    if (el.closest('[aria-hidden="true"], [inert]')) return false;
    const style = view.getComputedStyle(el);
    if (style.visibility !== 'visible') return false;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const s = view.getComputedStyle(node);
      if (parseFloat(s.opacity) < 0.1) return false;
      if (s.clip === 'rect(0px, 0px, 0px, 0px)') return false;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Filling

  /** Fills what the step needs and is not already there; returns what it filled. */
  function fillForm(form) {
    const filled = [];
    // An entry without a user name (a password-only login) leaves the field to the user.
    if (form.user && isText(request.username) && valueOf(form.user) !== request.username) {
      setValue(form.user, request.username);
      filled.push('username');
    }
    if (form.password && isText(request.password) && valueOf(form.password) !== request.password) {
      setValue(form.password, request.password);
      filled.push('password');
    }
    if (form.code && hasCode && valueOf(form.code) !== request.totp) {
      setValue(form.code, request.totp);
      filled.push('totp');
    }
    if (form.boxes && hasCode) {
      const code = request.totp;
      let current = '';
      for (const box of form.boxes) current += valueOf(box);
      if (current !== code.slice(0, form.boxes.length)) {
        // One digit per box, in order, each with its own events: the page moves the focus and,
        // after the last one, submits by itself.
        for (let i = 0; i < form.boxes.length && i < code.length; i++) setValue(form.boxes[i], code[i]);
        filled.push('totp');
      }
    }
    return filled;
  }

  function isText(value) {
    return typeof value === 'string' && value !== '';
  }

  function valueOf(input) {
    return inputValue.get.call(input);
  }

  /**
   * Sets the value the way typing would look to the page's framework: focus, the native value
   * setter (React's own setter on the element would swallow the change), then bubbling `input`
   * and `change` events, then blur (frameworks that validate or update on blur).
   * @param {HTMLInputElement} input
   * @param {string} value
   */
  function setValue(input, value) {
    focusNative.call(input);
    inputValue.set.call(input, value);
    const view = input.ownerDocument.defaultView;
    dispatchNative.call(input, new view.InputEvent('input', {
      bubbles: true, composed: true, inputType: 'insertText', data: value,
    }));
    dispatchNative.call(input, new view.Event('change', { bubbles: true }));
    blurNative.call(input);
  }

  // ---------------------------------------------------------------------------------------
  // Submitting

  /** Clicks the form's button, or presses Enter in its last field; false when it must wait. */
  function submitForm(form) {
    const button = findButton(form.last);
    if (button && isDisabled(button)) return false;
    if (button) {
      press(button);
      return true;
    }
    pressEnter(form.last);
    return true;
  }

  /**
   * The control that submits: a submit button of the field's form, else a visible control whose
   * text is a login word, looked for in ever larger containers around the last field.
   * It may be disabled still (the page enables it once its state holds the values).
   * @param {HTMLInputElement} field
   * @returns {HTMLElement|null}
   */
  function findButton(field) {
    return formSubmitButton(field) || loginControlNear(field);
  }

  /** The first visible submit button of the field's <form>, unless it says "Register" or such. */
  function formSubmitButton(field) {
    if (field.form) {
      const candidates = field.form.querySelectorAll('button, input[type="submit"], input[type="image"]');
      for (let i = 0; i < candidates.length; i++) {
        const el = candidates[i];
        const type = (el.getAttribute('type') || 'submit').toLowerCase();
        if (type !== 'submit' && type !== 'image') continue;
        if (!isVisible(el) || NOT_LOGIN_WORDS.test(normalise(labelOf(el)))) continue;
        return el;
      }
    }
    return null;
  }

  /** The innermost visible control whose text is a login word, nearest to the field first. */
  function loginControlNear(field) {
    let container = field.parentElement;
    for (let depth = 0; container && depth < 8; depth++, container = container.parentElement) {
      const candidates = container.querySelectorAll(BUTTONISH);
      for (let i = 0; i < candidates.length; i++) {
        const el = candidates[i];
        if (!isLoginControl(el)) continue;
        // A wrapper whose text is its child's (div > span "登 录"): click the innermost one, the
        // click bubbles up to whichever of them has the handler.
        if (!isButtonLike(el) && hasLoginControlInside(el)) continue;
        if (!isVisible(el)) continue;
        return el;
      }
    }
    return null;
  }

  function isLoginControl(el) {
    const text = normalise(labelOf(el));
    return LOGIN_WORDS.test(text);
  }

  function isButtonLike(el) {
    return /^(BUTTON|INPUT|A)$/.test(el.tagName) || el.getAttribute('role') === 'button';
  }

  function hasLoginControlInside(el) {
    const inside = el.querySelectorAll(BUTTONISH);
    for (let i = 0; i < inside.length; i++) if (isLoginControl(inside[i])) return true;
    return false;
  }

  function labelOf(el) {
    if (el.tagName === 'INPUT') return el.value || el.getAttribute('aria-label') || '';
    return el.getAttribute('aria-label') || el.textContent || '';
  }

  function normalise(text) {
    return text.toLowerCase().replace(/[\s\u00a0\u3000>→›»…．.!！:：]+/g, '');
  }

  /** Disabled, or inside a component button that says it is (Element's is-disabled...). */
  function isDisabled(el) {
    for (let node = el, up = 0; node && up < 3; node = node.parentElement, up++) {
      if (up === 0 || isButtonLike(node) || /btn|button/.test(String(node.className))) {
        if (isDisabledItself(node)) return true;
      }
    }
    return false;
  }

  function isDisabledItself(el) {
    if (el.disabled) return true;
    if (el.getAttribute('aria-disabled') === 'true') return true;
    return /(^|\s)(is-disabled|disabled|ant-btn-disabled)(\s|$)/.test(String(el.className || ''));
  }

  /** A mouse press as far as script can make one: pointer and mouse events, then click. */
  function press(el) {
    const view = el.ownerDocument.defaultView;
    const init = { bubbles: true, cancelable: true, composed: true, view, button: 0 };
    dispatchNative.call(el, new view.PointerEvent('pointerdown', init));
    dispatchNative.call(el, new view.MouseEvent('mousedown', init));
    dispatchNative.call(el, new view.PointerEvent('pointerup', init));
    dispatchNative.call(el, new view.MouseEvent('mouseup', init));
    clickNative.call(el);
  }

  /** Enter on the field, for pages listening on keydown, keypress or keyup. */
  function pressEnter(field) {
    const view = field.ownerDocument.defaultView;
    focusNative.call(field);
    for (const type of ['keydown', 'keypress', 'keyup']) {
      const event = new view.KeyboardEvent(type, {
        key: 'Enter', code: 'Enter', keyCode: 13, which: 13, charCode: type === 'keypress' ? 13 : 0,
        bubbles: true, cancelable: true, composed: true, view,
      });
      // Engines that ignore keyCode in the init dictionary still give listeners 13.
      if (event.keyCode !== 13) {
        Object.defineProperty(event, 'keyCode', { get: () => 13 });
        Object.defineProperty(event, 'which', { get: () => 13 });
      }
      dispatchNative.call(field, event);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Progress between ticks

  function loadProgress(view) {
    const attempt = typeof request.attempt === 'string' ? request.attempt : null;
    const fresh = { attempt, filledAt: 0, submittedAt: 0, submits: {} };
    let saved = null;
    try {
      const text = view.sessionStorage.getItem(PROGRESS_KEY);
      saved = text ? JSON.parse(text) : null;
    } catch (_) {
      // Storage can be off (sandboxed frames, privacy settings): keep it on the window instead.
      saved = view[PROGRESS_KEY] || null;
    }
    if (!saved || typeof saved !== 'object' || !saved.submits) return fresh;
    if ((saved.attempt || null) !== fresh.attempt) return fresh;
    const last = Math.max(Number(saved.filledAt) || 0, Number(saved.submittedAt) || 0);
    if (now - last > PROGRESS_TTL_MS) return fresh;
    return {
      attempt,
      filledAt: Number(saved.filledAt) || 0,
      submittedAt: Number(saved.submittedAt) || 0,
      submits: {
        identifier: Number(saved.submits.identifier) || 0,
        password: Number(saved.submits.password) || 0,
        totp: Number(saved.submits.totp) || 0,
      },
    };
  }

  /** Stores counts and times only, never a value that was filled. */
  function saveProgress(view, progress) {
    const text = JSON.stringify(progress);
    try {
      view.sessionStorage.setItem(PROGRESS_KEY, text);
    } catch (_) {
      try {
        Object.defineProperty(view, PROGRESS_KEY, {
          value: JSON.parse(text), enumerable: false, configurable: true, writable: true,
        });
      } catch (_) {
        // The page made the property its own: we lose the debounce, not the fill.
      }
    }
  }
})
