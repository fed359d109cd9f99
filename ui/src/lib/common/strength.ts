import type { Strength } from '../ipc/types';
import type { Backend } from '../ipc/backend';
import { has, t, type MessageKey } from '../i18n/index.svelte';

/**
 * Whether a master password rated `strength` is too easy to guess. The minimum score is Rust's
 * (the session policy), which refuses the same passwords when the vault is made or changed.
 */
export async function tooWeakForMaster(backend: Backend, strength: Strength): Promise<boolean> {
  const policy = await backend.policy();
  return strength.score < policy.minMasterScore;
}

/**
 * zxcvbn scores below this are weak: the security report lists such passwords, and Rust refuses
 * such a master password (as the core's `STRONG_SCORE` and the session's `MIN_MASTER_SCORE`).
 */
export const STRONG_SCORE = 3;

/** Whether a password of this score is too easy to guess. */
export function isWeak(score: number): boolean {
  return score < STRONG_SCORE;
}

/**
 * The one word for a score. Every score the report calls weak reads "weak" or "very weak", so the
 * meter never says "fair" over a warning that the password is weak.
 */
export function strengthKey(score: number): MessageKey {
  const s = Math.max(0, Math.min(4, Math.round(score)));
  if (s === 0) return 'strength.0';
  if (isWeak(s)) return 'strength.1';
  return s === 3 ? 'strength.3' : 'strength.4';
}

export function strengthLabel(score: number): string {
  return t(strengthKey(score));
}

/** zxcvbn codes come from Rust; an unknown one still says something useful. */
export function warningText(code: string): string {
  const key = `strength.warning.${code}`;
  return has(key) ? t(key) : t('strength.warning.generic');
}

export function suggestionTexts(s: Strength): string[] {
  return s.suggestions
    .map((code) => `strength.suggestion.${code}`)
    .filter((key) => has(key))
    .map((key) => t(key as MessageKey));
}
