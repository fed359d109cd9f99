// Both string tables against GLOSSARY.md: one word per thing, the same thing named in the same
// key in both languages, Chinese punctuation, the same placeholders.
import { describe, expect, it } from 'vitest';
import glossaryText from './GLOSSARY.md?raw';
import en from './en';
import zhCN from './zh-CN';

interface Term {
  concept: string;
  en: string[];
  notEn: string[];
  zh: string[];
  notZh: string[];
  sameKey: boolean;
}

/** The glossary's table: one row per concept, "—" for an empty cell, " / " between forms. */
function parseGlossary(md: string): Term[] {
  const forms = (cell: string) =>
    cell
      .split(' / ')
      .map((f) => f.trim())
      .filter((f) => f && f !== '—');
  const rows = md
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.lastIndexOf('|'))
        .split('|')
        .map((c) => c.trim()),
    );
  const [header, , ...body] = rows;
  expect(header?.[0]).toBe('Concept');
  return body.map(([concept, enCell, notEn, zhCell, notZh, same]) => ({
    concept,
    en: forms(enCell),
    notEn: forms(notEn),
    zh: forms(zhCell),
    notZh: forms(notZh),
    sameKey: same === '⇄',
  }));
}

const terms = parseGlossary(glossaryText);
const keys = Object.keys(en) as (keyof typeof en)[];

/**
 * What the check reads of a string: without the product's name, placeholders, web addresses,
 * command lines and column lists, which name things in their own words.
 */
function prose(text: string): string {
  return text
    .replace(/CRM Vault/g, ' ')
    .replace(/\{\w+\}|\{\w+,\s*plural,/g, ' ')
    .replace(/\w+:\/\/\S*/g, ' ')
    .replace(/crm-vault \w+|\.crmvault/g, ' ')
    .replace(/[\w.-]+(?:,[\w.-]+)+/g, ' ');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An English word or phrase, whole, in any case; "-" and " " in a term match either. */
function englishHas(text: string, term: string): boolean {
  const pattern = escape(term).replace(/[- ]/g, '[- ]');
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}
const chineseHas = (text: string, term: string) => text.includes(term);

describe('GLOSSARY.md', () => {
  it('has a row for each concept the issue names', () => {
    const zh = terms.flatMap((t) => t.zh);
    for (const word of ['保险库', '主密码', '条目', '用户名', '两步验证码', '回收站', '收藏', '删除', '移除', '快速解锁', '电脑', '同步', '交接', '活动记录', '安全报告', '防破解强度']) {
      expect(zh, word).toContain(word);
    }
  });

  it('no English string uses a word the glossary rules out', () => {
    const found: string[] = [];
    for (const key of keys) {
      const text = prose(en[key]);
      for (const term of terms) {
        for (const bad of term.notEn) if (englishHas(text, bad)) found.push(`${key}: "${bad}" (use "${term.en[0]}")`);
      }
    }
    expect(found.join('\n')).toBe('');
  });

  it('no Chinese string uses a word the glossary rules out', () => {
    const found: string[] = [];
    for (const key of keys) {
      const text = prose(zhCN[key]);
      for (const term of terms) {
        for (const bad of term.notZh) if (chineseHas(text, bad)) found.push(`${key}: “${bad}”（用“${term.zh[0]}”）`);
      }
    }
    expect(found.join('\n')).toBe('');
  });

  it('names the same thing in the same key in both languages', () => {
    const found: string[] = [];
    for (const term of terms.filter((t) => t.sameKey)) {
      for (const key of keys) {
        const inEnglish = term.en.some((w) => englishHas(prose(en[key]), w));
        const inChinese = term.zh.some((w) => chineseHas(prose(zhCN[key]), w));
        if (inEnglish !== inChinese) {
          found.push(`${key}: ${inEnglish ? `"${term.en[0]}" in English, no “${term.zh[0]}” in Chinese` : `“${term.zh[0]}” in Chinese, no "${term.en[0]}" in English`}`);
        }
      }
    }
    expect(found.join('\n')).toBe('');
  });
});

describe('Chinese punctuation', () => {
  const han = '\\u4e00-\\u9fff';

  it('has no ASCII space after a full-width mark', () => {
    const found = keys.filter((k) => /[。，：；！？）] /.test(zhCN[k]));
    expect(found.join('\n')).toBe('');
  });

  it('has no half-width punctuation between Chinese characters', () => {
    const between = new RegExp(`[${han}][,.;:!?()][${han}]`);
    const afterHan = new RegExp(`[${han}][,;:!?]`);
    const found = keys.filter((k) => between.test(zhCN[k]) || afterHan.test(zhCN[k]));
    expect(found.join('\n')).toBe('');
  });

  it('quotes with “ ” rather than straight quotes', () => {
    const found = keys.filter((k) => zhCN[k].includes('"'));
    expect(found.join('\n')).toBe('');
  });
});

describe('placeholders', () => {
  it('are the same in both languages for every key', () => {
    const names = (s: string) => [...new Set([...s.matchAll(/(?<!(?:one|other|few|many|two|zero|=\d+) )\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]))].sort();
    const found = keys.filter((k) => JSON.stringify(names(en[k])) !== JSON.stringify(names(zhCN[k])));
    expect(found.join('\n')).toBe('');
  });
});
