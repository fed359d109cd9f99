// The mock backend's stand-ins for what Rust computes. Strength, password checks, generation and
// the security report are not computed here: they are looked up among answers the session layer
// gave, recorded by crates/session/tests/ui_fixtures.rs into ./fixtures/. TOTP codes and QR
// matrices are fakes where only the shape matters (codes are not RFC 6238).
import type { ErrorCode, Generated, GeneratorOptions, PasswordCheck, PasswordCheckRequest, RulesView, SecurityReport, Strength, TotpKind, TotpPreview } from './types';
import strengthFixture from './fixtures/strength.json';
import generatorFixture from './fixtures/generator.json';
import checksFixture from './fixtures/checks.json';
import reportsFixture from './fixtures/reports.json';
import autofillFixture from './fixtures/autofill.json';

export function ipcFail(code: string, message: string): never {
  throw { code, message };
}

/** JSON with object keys sorted, so a request matches its recording whatever order it was built in. */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * A call the session layer was never asked in the fixtures: the mock does not invent an answer,
 * so a test cannot come to rely on a rule Rust does not have.
 */
export class NoRecording extends Error {
  constructor(call: string) {
    super(`no recording for ${call}: add it to crates/session/tests/ui_fixtures.rs`);
    this.name = 'NoRecording';
    // Components catch a failed call and show nothing: say it where the test run shows it.
    console.error(this.message);
  }
}

type Recorded<T> = T | { error: ErrorCode };

function answered<T>(answer: Recorded<T>): T {
  if (answer && typeof answer === 'object' && 'error' in answer) ipcFail(answer.error, `refused: ${answer.error}`);
  return structuredClone(answer) as T;
}

export function recordedStrength(password: string, userInputs: string[]): Strength {
  const key = canon({ password, userInputs });
  const hit = strengthFixture.find((r) => canon({ password: r.password, userInputs: r.userInputs }) === key);
  if (!hit) throw new NoRecording(`passwordStrength(${JSON.stringify(password)}, ${JSON.stringify(userInputs)})`);
  return structuredClone(hit.answer) as Strength;
}

/** The generator options of a device that has not generated anything yet. */
export const DEFAULT_GENERATOR = generatorFixture.defaults as GeneratorOptions;

/** A password generated once by Rust for these options (or its refusal), with Rust's entropy. */
export function recordedGenerated(options: GeneratorOptions): Generated {
  const key = canon(options);
  const hit = generatorFixture.samples.find((r) => canon(r.options) === key);
  if (!hit) throw new NoRecording(`generatePassword(${key})`);
  return answered(hit.answer as Recorded<Generated>);
}

export function recordedForRules(rules: RulesView): Generated {
  const key = canon(rules);
  const hit = generatorFixture.forRules.find((r) => canon(r.rules) === key);
  if (!hit) throw new NoRecording(`generateForRules(${key})`);
  return answered(hit.answer as Recorded<Generated>);
}

/** An entry's login window and auto-type settings, as a draft sends them and the detail shows them. */
export interface AutofillSettings {
  alsoFillOn: string[];
  autotypeSequence: string | null;
  autotypeWindows: string[];
}

/**
 * The settings as Rust stores them (origins normalised, blanks dropped), or its refusal with the
 * position a sequence error has. Settings left empty need no recording: nothing is stored.
 */
export function recordedAutofill(settings: AutofillSettings): AutofillSettings {
  if (settings.alsoFillOn.length === 0 && settings.autotypeSequence === null && settings.autotypeWindows.length === 0) {
    return { alsoFillOn: [], autotypeSequence: null, autotypeWindows: [] };
  }
  const key = canon(settings);
  const hit = autofillFixture.find((r) => canon(r.settings) === key);
  if (!hit) throw new NoRecording(`saveEntry with ${key}`);
  const answer = hit.answer as AutofillSettings | { error: ErrorCode; position: number | null };
  if ('error' in answer) {
    const position = answer.position ?? undefined;
    throw { code: answer.error, message: `refused: ${answer.error}`, ...(position ? { position } : {}) };
  }
  return structuredClone(answer);
}

/** What of an entry the recorded answers depend on. */
export interface VaultEntryKey {
  id: string;
  title: string;
  username: string;
  password: string;
  urls: string[];
  expires: string | null;
  /** Whole days since the password was set. */
  ageDays: number;
}

/** The vault settings a recorded answer was given under. */
export interface VaultSettingsKey {
  rotationDays: number | null;
  ownerName: string;
  company: string;
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

export function recordedCheck(entries: VaultEntryKey[], settings: VaultSettingsKey, request: PasswordCheckRequest): PasswordCheck {
  const vault = byId(entries).map((e) => ({ id: e.id, title: e.title, password: e.password }));
  const key = canon({ vault, ownerName: settings.ownerName, company: settings.company, request });
  const hit = checksFixture.find(
    (r) => canon({ vault: r.vault, ownerName: r.settings.ownerName, company: r.settings.company, request: r.request }) === key,
  );
  if (!hit) throw new NoRecording(`checkPassword(${canon(request)}) in the vault ${canon(vault)}`);
  return answered(hit.answer as Recorded<PasswordCheck>);
}

function findReport(entries: VaultEntryKey[], settings: VaultSettingsKey, breachList: boolean) {
  const vault = byId(entries);
  const key = canon({ vault, settings, breachList });
  const hit = reportsFixture.find((r) => r.vault.length === vault.length && canon({ vault: r.vault, settings: r.settings, breachList: r.breachList }) === key);
  return { hit, key };
}

export function recordedReport(entries: VaultEntryKey[], settings: VaultSettingsKey, breachList: boolean): SecurityReport {
  const { hit, key } = findReport(entries, settings, breachList);
  if (!hit) throw new NoRecording(`securityReport() of ${key}`);
  return answered(hit.answer as Recorded<SecurityReport>);
}

/** Passwords due for a change, as Rust counted them for this vault; null when it was not recorded. */
export function recordedRotationDue(entries: VaultEntryKey[], settings: VaultSettingsKey, breachList: boolean): number | null {
  if (!reportsFixture.some((r) => r.vault.length === entries.length)) return null;
  return findReport(entries, settings, breachList).hit?.rotationDue ?? null;
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
