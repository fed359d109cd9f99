import { describe, expect, it } from 'vitest';
import { hoursOf, markText, receivedText } from './handover';
import { setLanguage } from '../i18n/index.svelte';

describe('hand-over dialog', () => {
  it('takes 1 hour to 30 days, in whole hours or days', () => {
    expect(hoursOf(8, 'hours')).toBe(8);
    expect(hoursOf(3, 'days')).toBe(72);
    expect(hoursOf(1, 'hours')).toBe(1);
    expect(hoursOf(30, 'days')).toBe(720);
    expect(hoursOf(720, 'hours')).toBe(720);
    for (const [amount, unit] of [
      [0, 'hours'],
      [31, 'days'],
      [721, 'hours'],
      [1.5, 'days'],
      [-2, 'days'],
      [Number.NaN, 'hours'],
    ] as const) {
      expect(hoursOf(amount, unit), `${amount} ${unit}`).toBeNull();
    }
  });

  it('words the mark and the answer in both languages, with and without expiry', () => {
    setLanguage('en');
    expect(markText({ giver: 'Li Wei', expires: null })).toBe('Handed over by Li Wei');
    expect(markText({ giver: 'Li Wei', expires: 1_796_000_000_000 })).toMatch(/^Handed over by Li Wei until .*2026/);
    expect(receivedText({ added: 2, alreadyReceived: false, giver: 'Li Wei', expires: null })).toBe('2 entries arrived from Li Wei, without expiry.');
    expect(receivedText({ added: 0, alreadyReceived: true, giver: 'Li Wei', expires: null })).toMatch(/already/);
    setLanguage('zh-CN');
    expect(markText({ giver: '李伟', expires: null })).toBe('由 李伟 交接');
    expect(receivedText({ added: 2, alreadyReceived: false, giver: '李伟', expires: 1_796_000_000_000 })).toMatch(/^已从 李伟 收到 2 个条目/);
    setLanguage('en');
  });
});
