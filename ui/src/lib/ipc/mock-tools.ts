// The mock backend's stand-ins for what Rust computes: rules, generation, TOTP codes, the
// report. Fake where only the shape matters (codes are not RFC 6238), real where the UI's logic
// depends on it (periods and countdowns, rule breaks, reuse).
import type { GeneratorOptions, RuleBreakView, RulesView, TotpKind, TotpPreview } from './types';

export const SYMBOLS = '!#$%&*+-=?@^_~.,:;';
const LOOK_ALIKES = 'Il1|O0o`\'"';
const WORDS = ['otter', 'lantern', 'meadow', 'granite', 'harbor', 'violet', 'canyon', 'ember', 'maple', 'quartz', 'willow', 'falcon'];

export const DEFAULT_GENERATOR: GeneratorOptions = {
  kind: 'characters',
  length: 20,
  lower: true,
  upper: true,
  digits: true,
  symbols: true,
  symbolSet: SYMBOLS,
  excludeSimilar: false,
  words: 5,
  separator: '-',
  capitalise: false,
  addDigit: false,
};

export function ipcFail(code: string, message: string): never {
  throw { code, message };
}

function randomInt(n: number): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0] % n;
}

function isSymbol(c: string): boolean {
  return !/[\p{L}\p{N}\s\p{Cc}]/u.test(c);
}

/** As `vault::generate`: one of each chosen kind, the rest from all of them; entropy of the recipe. */
export function generate(o: GeneratorOptions): { password: string; entropyBits: number } {
  if (o.kind === 'passphrase') {
    if (o.words < 3 || o.words > 20) ipcFail('generate-word-count', 'a passphrase has from 3 to 20 words');
    if ([...o.separator].length > 3 || [...o.separator].some((c) => /[\p{L}\p{N}]/u.test(c))) ipcFail('generate-separator', 'bad separator');
    const words = Array.from({ length: o.words }, () => WORDS[randomInt(WORDS.length)]).map((w) =>
      o.capitalise ? w[0].toUpperCase() + w.slice(1) : w,
    );
    if (o.addDigit) words[randomInt(words.length)] += String(randomInt(10));
    const bits = o.words * Math.log2(7776) + (o.addDigit ? Math.log2(10 * o.words) : 0);
    return { password: words.join(o.separator), entropyBits: bits };
  }
  if (o.symbols && [...o.symbolSet].some((c) => !isSymbol(c))) ipcFail('generate-not-a-symbol', 'not a symbol');
  if (o.length < 8 || o.length > 128) ipcFail('generate-length', 'length out of range');
  const drop = (set: string) => [...new Set(set)].filter((c) => !(o.excludeSimilar && LOOK_ALIKES.includes(c))).join('');
  const classes = [
    o.lower ? drop('abcdefghijklmnopqrstuvwxyz') : '',
    o.upper ? drop('ABCDEFGHIJKLMNOPQRSTUVWXYZ') : '',
    o.digits ? drop('0123456789') : '',
    o.symbols ? drop(o.symbolSet) : '',
  ].filter((c) => c);
  if (classes.length === 0) ipcFail('generate-no-characters', 'choose at least one kind of character');
  const all = classes.join('');
  const chars = Array.from({ length: o.length }, () => all[randomInt(all.length)]);
  classes.forEach((c, i) => (chars[i] = c[randomInt(c.length)]));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return { password: chars.join(''), entropyBits: o.length * Math.log2(all.length) };
}

export function validateRules(r: RulesView): void {
  if (r.maxLength < 8 || r.maxLength > 128) ipcFail('rules-max-length', 'the longest length must be from 8 to 128');
  if (r.minLength > r.maxLength) ipcFail('rules-min-above-max', 'the shortest length is longer than the longest');
  if ([...r.symbols].some((c) => !isSymbol(c))) ipcFail('rules-not-a-symbol', 'not a symbol');
  if (r.required.symbols && r.symbols === '') ipcFail('rules-symbols-required', 'symbols are required but none are allowed');
}

export function generateForRules(r: RulesView): { password: string; entropyBits: number } {
  validateRules(r);
  const length = Math.min(Math.max(20, r.minLength, 8), r.maxLength);
  return generate({ ...DEFAULT_GENERATOR, length, symbols: r.symbols !== '', symbolSet: r.symbols });
}

/** As `PasswordRules::check`. */
export function checkRules(r: RulesView, password: string): RuleBreakView[] {
  const out: RuleBreakView[] = [];
  const chars = [...password];
  if (chars.length < r.minLength) out.push({ kind: 'too-short', min: r.minLength });
  if (chars.length > r.maxLength) out.push({ kind: 'too-long', max: r.maxLength });
  if (r.required.lower && !/[a-z]/.test(password)) out.push({ kind: 'missing-lower' });
  if (r.required.upper && !/[A-Z]/.test(password)) out.push({ kind: 'missing-upper' });
  if (r.required.digits && !/[0-9]/.test(password)) out.push({ kind: 'missing-digit' });
  if (r.required.symbols && !chars.some((c) => r.symbols.includes(c))) out.push({ kind: 'missing-symbol' });
  const seen = new Set<string>();
  for (const c of chars) {
    if (/[a-zA-Z0-9]/.test(c) || r.symbols.includes(c) || seen.has(c)) continue;
    seen.add(c);
    out.push({ kind: 'not-allowed', character: c });
  }
  return out;
}

export interface MockTotp {
  kind: TotpKind;
  issuer: string | null;
  account: string | null;
  digits: number;
  period: number;
}

/** Reads what `Totp::parse` reads, with its error codes; the secret itself is not kept. */
export function parseTotp(text: string): MockTotp {
  const s = text.trim();
  const lower = s.toLowerCase();
  if (lower.startsWith('otpauth://hotp/')) ipcFail('totp-hotp', 'a counter-based link');
  if (lower.startsWith('steam://')) return { kind: 'steam', issuer: 'Steam', account: null, digits: 5, period: 30 };
  if (lower.startsWith('otpauth://')) {
    if (!lower.startsWith('otpauth://totp/')) ipcFail('totp-unknown-type', 'unknown type');
    const url = new URL(s.replace(/^otpauth:/i, 'https:'));
    const secret = url.searchParams.get('secret');
    if (!secret) ipcFail('totp-missing-secret', 'no secret');
    if (!/^[A-Za-z2-7=\s]+$/.test(secret)) ipcFail('totp-invalid-base32', 'not base32');
    const label = decodeURIComponent(url.pathname.slice(1));
    const [labelIssuer, account] = label.includes(':') ? label.split(':', 2) : [null, label];
    const digits = Number(url.searchParams.get('digits') ?? 6);
    if (digits < 6 || digits > 8) ipcFail('totp-digits', 'digits must be 6 to 8');
    const steam = url.searchParams.get('encoder') === 'steam';
    return {
      kind: steam ? 'steam' : 'standard',
      issuer: url.searchParams.get('issuer') ?? labelIssuer,
      account: account || null,
      digits: steam ? 5 : digits,
      period: Number(url.searchParams.get('period') ?? 30),
    };
  }
  const key = s.replace(/[\s-]/g, '');
  if (!/^[A-Za-z2-7]+=*$/.test(key)) ipcFail(key.includes('://') ? 'totp-not-otpauth' : 'totp-invalid-base32', 'not base32');
  if (key.replace(/=+$/, '').length < 16) ipcFail('totp-secret-too-short', 'too short');
  return { kind: 'standard', issuer: null, account: null, digits: 6, period: 30 };
}

export function preview(token: number, t: MockTotp): TotpPreview {
  return { token, kind: t.kind, issuer: t.issuer, account: t.account, digits: t.digits, period: t.period };
}

const STEAM = '23456789BCDFGHJKMNPQRTVWXY';

/** A fake but stable code for an entry and a period. */
export function fakeCode(seed: string, counter: number, t: MockTotp): string {
  let h = 2166136261;
  for (const c of `${seed}/${counter}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  if (t.kind === 'steam') {
    let out = '';
    for (let i = 0; i < 5; i++) {
      out += STEAM[h % STEAM.length];
      h = Math.floor(h / STEAM.length) + i * 7919;
    }
    return out;
  }
  return String(h % 10 ** t.digits).padStart(t.digits, '0');
}

/** A small fake QR-like matrix: finder squares in three corners and noise from the seed. */
export function fakeMatrix(seed: string): { size: number; dark: boolean[] } {
  const size = 25;
  const dark: boolean[] = [];
  let h = 7;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const finder = (fx: number, fy: number) => {
        const dx = x - fx;
        const dy = y - fy;
        if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return null;
        const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
        return ring !== 2;
      };
      const f = finder(0, 0) ?? finder(size - 7, 0) ?? finder(0, size - 7);
      h = (Math.imul(h, 1103515245) + 12345) >>> 0;
      dark.push(f ?? (h >>> 16) % 2 === 0);
    }
  }
  return { size, dark };
}
