import type { KdfChoice } from '../ipc/types';
import type { MessageKey } from '../i18n/index.svelte';

export interface KdfPreset {
  label: MessageKey;
  choice: KdfChoice;
}

/** RFC 9106's second recommendation first; the others trade unlock time for guessing cost. */
export const KDF_PRESETS: readonly KdfPreset[] = [
  { label: 'kdf.standard', choice: { memoryMib: 64, iterations: 3, parallelism: 4 } },
  { label: 'kdf.strong', choice: { memoryMib: 128, iterations: 3, parallelism: 4 } },
  { label: 'kdf.strongest', choice: { memoryMib: 256, iterations: 4, parallelism: 4 } },
];

export function sameKdf(a: KdfChoice | null, b: KdfChoice | null): boolean {
  return !!a && !!b && a.memoryMib === b.memoryMib && a.iterations === b.iterations && a.parallelism === b.parallelism;
}

export function kdfKey(c: KdfChoice): string {
  return `${c.memoryMib}/${c.iterations}/${c.parallelism}`;
}
