import { describe, expect, it } from 'vitest';
import { buildDraft, draftKey, formFromDetail, hasAutofillSettings, validateForm } from './draft';
import type { EntryDetail } from '../ipc/types';

const detail: EntryDetail = {
  id: 'a',
  title: 'CRM',
  username: 'li.wei',
  urls: ['https://crm.example.com'],
  notes: 'n',
  tags: ['crm'],
  hasPassword: true,
  hasTotp: false,
  rules: null,
  expires: null,
  alsoFillOn: [],
  autotypeSequence: null,
  autotypeWindows: [],
  fields: [
    { name: 'PIN', value: null, hidden: true },
    { name: 'Region', value: 'East', hidden: false },
  ],
  history: [],
  changes: [],
  created: 0,
  modified: 0,
  passwordChanged: 0,
};

describe('buildDraft', () => {
  it('an untouched form keeps the password and the hidden field (null)', () => {
    expect(buildDraft(formFromDetail(detail))).toEqual({
      title: 'CRM',
      username: 'li.wei',
      password: null,
      urls: ['https://crm.example.com'],
      notes: 'n',
      tags: ['crm'],
      fields: [
        { name: 'PIN', value: null, hidden: true },
        { name: 'Region', value: 'East', hidden: false },
      ],
      rules: null,
      expires: null,
      alsoFillOn: [],
      autotypeSequence: null,
      autotypeWindows: [],
      totp: { action: 'keep' },
    });
  });

  it('sends the login window and auto-type settings without blanks, the sequence as typed', () => {
    const form = formFromDetail({ ...detail, autotypeSequence: '{PASSWORD}{ENTER}', autotypeWindows: ['*CRM*'] });
    expect([form.alsoFillOn, form.autotypeSequence, form.autotypeWindows]).toEqual([[''], '{PASSWORD}{ENTER}', ['*CRM*']]);
    expect(hasAutofillSettings(form)).toBe(true);
    form.alsoFillOn = [' https://sso.example.com ', '  '];
    form.autotypeSequence = '{USERNAME}{ENTER} ';
    form.autotypeWindows = ['', ' Login - * '];
    expect(buildDraft(form)).toMatchObject({
      alsoFillOn: ['https://sso.example.com'],
      autotypeSequence: '{USERNAME}{ENTER} ',
      autotypeWindows: ['Login - *'],
    });
    form.autotypeSequence = '   ';
    expect(buildDraft(form).autotypeSequence).toBeNull();
    expect(hasAutofillSettings(formFromDetail(detail))).toBe(false);
  });

  it('a revealed but unedited password is still "unchanged"', () => {
    const form = formFromDetail(detail);
    form.password = form.revealedPassword = 'current';
    expect(buildDraft(form).password).toBeNull();
    form.password = 'current2';
    expect(buildDraft(form).password).toBe('current2');
  });

  it('takes typed values, trims, drops blank URLs and duplicate tags', () => {
    const form = formFromDetail(detail);
    form.title = '  CRM (new)  ';
    form.password = 'n3w-Secret';
    form.urls = ['https://crm.example.com', '  ', 'https://crm2.example.com '];
    form.tags = ['crm', 'CRM', ' vip '];
    form.fields[0].value = '1234';
    const d = buildDraft(form);
    expect(d.title).toBe('CRM (new)');
    expect(d.password).toBe('n3w-Secret');
    expect(d.urls).toEqual(['https://crm.example.com', 'https://crm2.example.com']);
    expect(d.tags).toEqual(['crm', 'vip']);
    expect(d.fields[0]).toEqual({ name: 'PIN', value: '1234', hidden: true });
  });

  it('a new entry with no password sends null', () => {
    const form = formFromDetail(null);
    form.title = 'Mail';
    expect(buildDraft(form)).toEqual({
      title: 'Mail',
      username: '',
      password: null,
      urls: [],
      notes: '',
      tags: [],
      fields: [],
      rules: null,
      expires: null,
      alsoFillOn: [],
      autotypeSequence: null,
      autotypeWindows: [],
      totp: { action: 'keep' },
    });
  });

  it('sends rules with cleared numbers defaulted, the expiry date and the TOTP action', () => {
    const form = formFromDetail({ ...detail, hasTotp: true, expires: '2026-12-31' });
    expect(form.expires).toBe('2026-12-31');
    form.rules = { minLength: Number.NaN, maxLength: 16, symbols: '! @', required: { lower: true, upper: false, digits: true, symbols: true } };
    form.totp = { had: true, action: 'set', preview: { token: 7, kind: 'standard', issuer: null, account: null, digits: 6, period: 30 } };
    const d = buildDraft(form);
    expect(d.rules).toEqual({ minLength: 8, maxLength: 16, symbols: '!@', required: { lower: true, upper: false, digits: true, symbols: true } });
    expect(d.expires).toBe('2026-12-31');
    expect(d.totp).toEqual({ action: 'set', token: 7 });
    form.totp = { had: true, action: 'remove', preview: null };
    form.expires = '';
    expect(buildDraft(form).totp).toEqual({ action: 'remove' });
    expect(buildDraft(form).expires).toBeNull();
  });
});

describe('validateForm', () => {
  it('needs a title, field names, unique names', () => {
    const form = formFromDetail(detail);
    expect(validateForm(form)).toBeNull();
    form.title = ' ';
    expect(validateForm(form)).toBe('editor.errorTitle');
    form.title = 'x';
    form.fields[1].name = 'pin';
    expect(validateForm(form)).toBe('editor.errorFieldDuplicate');
    form.fields[1].name = '';
    expect(validateForm(form)).toBe('editor.errorFieldName');
  });

  it('refuses renaming a hidden field whose value it never saw', () => {
    const form = formFromDetail(detail);
    form.fields[0].name = 'Door PIN';
    expect(validateForm(form)).toBe('editor.errorRenameHidden');
    form.fields[0].value = '9999';
    expect(validateForm(form)).toBeNull();
  });
});

describe('draftKey: what counts as an unsaved change', () => {
  it('an untouched form, a revealed password typed back as it was, and trimmed blanks are no change', () => {
    const form = formFromDetail(detail);
    const opened = draftKey(form);
    form.revealedPassword = 'old-Secret-1';
    form.password = 'old-Secret-1';
    expect(draftKey(form)).toBe(opened);
    form.title = 'CRM ';
    form.urls.push('  ');
    expect(draftKey(form)).toBe(opened);
  });

  it('one character of the password fixed, a generated password, or a TOTP setup read are changes', () => {
    const form = formFromDetail(detail);
    const opened = draftKey(form);
    form.revealedPassword = 'old-Secret-1';
    form.password = 'old-Secret-2';
    expect(draftKey(form)).not.toBe(opened);
    expect(buildDraft(form).password).toBe('old-Secret-2');

    const fresh = formFromDetail(null);
    const empty = draftKey(fresh);
    fresh.password = 'Gen3rated!';
    expect(draftKey(fresh)).not.toBe(empty);

    const totp = formFromDetail(null);
    totp.totp = { had: false, action: 'set', preview: { token: 3, kind: 'standard', issuer: null, account: null, digits: 6, period: 30 } };
    expect(draftKey(totp)).not.toBe(empty);
  });
});
