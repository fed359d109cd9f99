import { describe, expect, it, afterEach, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import en from './en';
import zhCN from './zh-CN';
import { formatMessage, resolveLocale, setLanguage, systemLocale, t } from './index.svelte';
import { renderUnlocked } from '../../test/helpers';
import { errorText } from '../errors';

describe('dictionaries', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty strings', () => {
    for (const dict of [en, zhCN]) {
      for (const [key, text] of Object.entries(dict)) {
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...new Set([...s.matchAll(/(?<!(?:one|other|few|many|two|zero|=\d+) )\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]))].sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  it('Chinese texts are in Chinese', () => {
    // Full-width marks count: "{place}：{reason}" is the Chinese way to join two parts.
    const latinOnly = Object.entries(zhCN).filter(([, text]) => !/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(text));
    expect(latinOnly).toEqual([]);
  });
});

describe('error messages', () => {
  it('word every code Rust sends in the UI language, not in Rust\'s English', () => {
    setLanguage('zh-CN');
    const fromRust = { code: 'not-a-vault', message: 'this is not a CRM Vault file' } as const;
    expect(errorText(fromRust)).toBe('这个文件不是 CRM Vault 保险库。请确认选择的文件正确（以 .crmvault 结尾）。');
    setLanguage('en');
    expect(errorText(fromRust)).toMatch(/^This file is not a CRM Vault vault/);
    // A code a newer Rust side may add falls back to its English message.
    expect(errorText({ code: 'brand-new', message: 'something new' })).toBe('something new');
  });
});

describe('t', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fills placeholders and follows the language', () => {
    setLanguage('en');
    expect(t('unlock.failedMany', { count: 3 })).toBe('3 failed attempts since your last unlock.');
    setLanguage('zh-CN');
    expect(t('unlock.failedMany', { count: 3 })).toBe('自上次解锁以来有 3 次失败的尝试。');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('follows the OS locale for "system": any zh variant is Simplified Chinese', () => {
    vi.stubGlobal('navigator', { language: 'zh-TW', languages: ['zh-TW', 'en'] });
    expect(systemLocale()).toBe('zh-CN');
    expect(resolveLocale('system')).toBe('zh-CN');
    expect(resolveLocale('en')).toBe('en');
    vi.stubGlobal('navigator', { language: 'de-DE', languages: ['de-DE'] });
    expect(resolveLocale('system')).toBe('en');
  });
});

describe('switching the language in settings', () => {
  it('applies at once and is saved with the settings', async () => {
    const { user, backend } = await renderUnlocked();
    await user.click(screen.getByTestId('settings-open'));
    await user.selectOptions(screen.getByTestId('settings-language'), 'zh-CN');
    // Settings apply at once: the whole window speaks Chinese, and it is saved.
    await waitFor(() => expect(screen.getByTestId('lock').textContent).toContain('锁定'));
    await waitFor(async () => expect((await backend.appState()).settings.language).toBe('zh-CN'));
  });

  it('is kept when the dialog closes with Esc', async () => {
    const { user, backend } = await renderUnlocked();
    await user.click(screen.getByTestId('settings-open'));
    await user.selectOptions(screen.getByTestId('settings-language'), 'zh-CN');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByTestId('lock').textContent).toContain('锁定'));
    expect((await backend.appState()).settings.language).toBe('zh-CN');
  });
});

describe('plural forms', () => {
  it('pick the English form for the number, and leave Chinese alone', () => {
    setLanguage('en');
    expect(t('quick.days', { count: 1 })).toBe('1 day');
    expect(t('quick.days', { count: 7 })).toBe('7 days');
    expect(t('report.summary', { checked: 1, count: 1 })).toBe('1 password checked, 1 finding.');
    expect(t('report.summary', { checked: 3000, count: 0 })).toBe('3,000 passwords checked, 0 findings.');
    expect(t('report.detail.breached', { seen: 1 })).toBe('Found in data breaches once: attackers try it first.');
    setLanguage('zh-CN');
    expect(t('quick.days', { count: 1 })).toBe('1 天');
    expect(t('report.summary', { checked: 3000, count: 2 })).toMatch(/3,000/);
  });

  it('English never says "1 days": every key filled with 1 reads as singular', () => {
    // Keys with a separate "one" key next to them are only used from 2 up.
    const keys = Object.keys(en) as (keyof typeof en)[];
    const one = (key: string) => [`${key}One`, key.replace(/Many$/, 'One'), key.replace(/\.many$/, '.one'), key.replace(/([A-Z]\w*)?$/, (m) => `One${m}`)];
    const hasOne = (key: string) => one(key).some((k) => k !== key && k in en);
    const names = (s: string) => [...new Set([...s.matchAll(/(?<!(?:one|other|few|many|two|zero|=\d+) )\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]))];
    const plural = /\b1 (days|hours|minutes|seconds|entries|findings|passwords|times|characters|rounds|files|years|attempts|processor cores)\b/;
    const wrong = keys.filter((key) => {
      if (hasOne(key) || /many|Many$/.test(key)) return false;
      const params = Object.fromEntries(names(en[key]).map((n) => [n, 1]));
      return plural.test(formatMessage(en[key], params, 'en'));
    });
    expect(wrong).toEqual([]);
  });
});
