// The mock's stand-in for Rust's name collation and pinyin search (vault::order, vault::find):
// the same rules, with readings for the Han characters the mock's sample data and the UI tests
// use. Rust reads every character through the `pinyin` crate; a character missing here sorts and
// searches by itself, as a character the crate does not know does in Rust.

const READINGS: Record<string, string> = {
  纷: 'fen', 享: 'xiang', 销: 'xiao', 客: 'ke', 户: 'hu', 金: 'jin', 蝶: 'die', 云: 'yun',
  钉: 'ding', 企: 'qi', 业: 'ye', 微: 'wei', 信: 'xin', 用: 'yong', 友: 'you', 李: 'li',
  伟: 'wei', 售: 'shou', 上: 'shang', 海: 'hai', 北: 'bei', 京: 'jing', 邮: 'you', 箱: 'xiang',
  国: 'guo', 内: 'nei', 王: 'wang', 芳: 'fang', 张: 'zhang', 伙: 'huo', 伴: 'ban', 门: 'men',
  站: 'zhan', 财: 'cai', 务: 'wu', 系: 'xi', 统: 'tong', 淘: 'tao', 宝: 'bao',
  东: 'dong', 阿: 'a', 里: 'li', 腾: 'teng', 讯: 'xun', 百: 'bai', 度: 'du',
};

function reading(c: string): string | undefined {
  return READINGS[c];
}

export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/** [full pinyin, initials] of text with Han characters ("fenxiangxiaoke crm", "fxxk crm"), or null. */
export function pinyinForms(text: string): [string, string] | null {
  if (!hasHan(text)) return null;
  let full = '';
  let initials = '';
  for (const c of text) {
    const r = reading(c);
    full += r ?? c.toLowerCase();
    initials += r ? r[0] : c.toLowerCase();
  }
  return [full, initials];
}

type Part = { num: string } | { text: string };

/** The title's collation key, as vault::order::collation_key builds it. */
export function collationKey(title: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  const chars = [...title.trim()];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c >= '0' && c <= '9') {
      if (text) parts.push({ text });
      text = '';
      let run = c;
      while (i + 1 < chars.length && chars[i + 1] >= '0' && chars[i + 1] <= '9') run += chars[++i];
      parts.push({ num: run });
    } else {
      text += reading(c) ?? c.toLowerCase();
    }
  }
  if (text) parts.push({ text });
  return parts;
}

function cmpStr(a: string, b: string): number {
  // By code point, as Rust compares strings.
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpPart(a: Part, b: Part): number {
  if ('num' in a && 'num' in b) {
    const [x, y] = [a.num.replace(/^0+/, ''), b.num.replace(/^0+/, '')];
    return x.length - y.length || cmpStr(x, y) || (a.num.length - x.length) - (b.num.length - y.length);
  }
  if ('num' in a) return -1;
  if ('num' in b) return 1;
  return cmpStr(a.text, b.text);
}

/** Orders two titles (then ids) as Rust's name sort does. */
export function compareByName(a: { title: string; id: string }, b: { title: string; id: string }): number {
  const [ka, kb] = [collationKey(a.title), collationKey(b.title)];
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = cmpPart(ka[i], kb[i]);
    if (c) return c;
  }
  return ka.length - kb.length || cmpStr(a.title, b.title) || cmpStr(a.id, b.id);
}
