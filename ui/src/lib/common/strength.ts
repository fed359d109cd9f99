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

const LEVELS: MessageKey[] = [
  'strength.0',
  'strength.1',
  'strength.2',
  'strength.3',
  'strength.4',
];

export function strengthLabel(score: number): string {
  return t(LEVELS[Math.max(0, Math.min(4, Math.round(score)))]);
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
