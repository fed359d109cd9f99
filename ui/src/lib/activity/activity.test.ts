import { describe, expect, it, beforeEach } from 'vitest';
import en from '../i18n/en';
import zhCN from '../i18n/zh-CN';
import { setLanguage } from '../i18n/index.svelte';
import { KINDS, kindLabel, kindKey } from './kinds';
import { noticeText, when } from './words';
import { dayStart, emptyForm, isEmpty, toFilter } from './filters';
import type { UnlockNotice } from '../ipc/bindings/UnlockNotice';

// 30 November 2026, 10:00 local time.
const NOW = new Date(2026, 10, 30, 10, 0).getTime();
const YESTERDAY_2214 = new Date(2026, 10, 29, 22, 14).getTime();
const TODAY_0912 = new Date(2026, 10, 30, 9, 12).getTime();

const failed: UnlockNotice = { kind: 'failed-attempts', device: 'LAPTOP-2', deviceId: '0000000000000002', count: 3, atMs: YESTERDAY_2214 };
const newDevice: UnlockNotice = { kind: 'new-device', device: 'LAPTOP-3', deviceId: '0000000000000003', count: 1, atMs: TODAY_0912 };

describe('activity kinds', () => {
  it('has an English and a Chinese label for every kind Rust records', () => {
    for (const kind of KINDS) {
      const key = kindKey(kind);
      expect(en[key], `en ${kind}`).toBeTruthy();
      expect(zhCN[key], `zh-CN ${kind}`).toBeTruthy();
      expect(zhCN[key]).not.toBe(en[key]);
    }
  });

  it('words a kind in the chosen language, and shows an unknown kind by its name', () => {
    setLanguage('en');
    expect(kindLabel('unlock-failed')).toBe('Failed unlock');
    setLanguage('zh-CN');
    expect(kindLabel('unlock-failed')).toBe('解锁失败');
    expect(kindLabel('teleport')).toBe('teleport');
  });
});

describe('unlock notices', () => {
  beforeEach(() => setLanguage('en'));

  it('say how many failed attempts, where and when, in English', () => {
    expect(noticeText(failed, NOW)).toBe('3 failed attempts on LAPTOP-2, yesterday 22:14');
    expect(noticeText({ ...failed, count: 1 }, NOW)).toBe('1 failed attempt on LAPTOP-2, yesterday 22:14');
    expect(noticeText(newDevice, NOW)).toBe('Unlocked on LAPTOP-3 for the first time, today 09:12');
  });

  it('say the same in Chinese', () => {
    setLanguage('zh-CN');
    expect(noticeText(failed, NOW)).toBe('LAPTOP-2 上有 3 次解锁失败，最近一次在昨天 22:14');
    expect(noticeText(newDevice, NOW)).toBe('LAPTOP-3 首次解锁，时间：今天 09:12');
  });

  it('give the date for anything before yesterday', () => {
    const older = new Date(2026, 10, 28, 23, 59).getTime();
    expect(when(older, NOW)).not.toMatch(/today|yesterday/);
    expect(when(older, NOW)).toContain('28');
    expect(when(new Date(2026, 10, 29, 0, 0).getTime(), NOW)).toBe('yesterday 00:00');
  });
});

describe('activity filters', () => {
  it('send nothing for an empty form', () => {
    const form = emptyForm();
    expect(isEmpty(form)).toBe(true);
    expect(toFilter(form)).toEqual({ entryId: null, kinds: [], deviceId: null, sinceMs: null, untilMs: null });
  });

  it('take the whole of the last day and start at local midnight', () => {
    const filter = toFilter({ entryId: 'abc', kind: 'copy', deviceId: 'd1', from: '2026-11-29', to: '2026-11-30' });
    expect(filter.entryId).toBe('abc');
    expect(filter.kinds).toEqual(['copy']);
    expect(filter.deviceId).toBe('d1');
    expect(filter.sinceMs).toBe(new Date(2026, 10, 29).getTime());
    expect(filter.untilMs).toBe(new Date(2026, 11, 1).getTime());
    expect(YESTERDAY_2214).toBeGreaterThanOrEqual(filter.sinceMs!);
    expect(NOW).toBeLessThan(filter.untilMs!);
  });

  it('ignore a malformed date rather than filter on it', () => {
    expect(dayStart('30.11.2026')).toBeNull();
    expect(toFilter({ ...emptyForm(), from: 'soon' }).sinceMs).toBeNull();
    expect(isEmpty(emptyForm('entry-1'))).toBe(false);
  });
});
