import type { Strength } from '../ipc/types';
import { has, t, type MessageKey } from '../i18n/index.svelte';

/** What a master password must reach: zxcvbn's "safely unguessable" (about 10^8 guesses). */
export const MIN_MASTER_SCORE = 3;

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
