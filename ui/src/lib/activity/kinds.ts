// The kinds of event the vault's log holds, as Rust names them (vault::activity::EventKind::name),
// and their words in the user's language.
import { t, type MessageKey } from '../i18n/index.svelte';

export const KINDS = [
  'unlock',
  'unlock-failed',
  'reveal',
  'copy',
  'autofill',
  'autotype',
  'entry-created',
  'entry-edited',
  'entry-deleted',
  'entry-restored',
  'entry-purged',
  'import',
  'export',
  'merge',
  'password-changed',
  'settings-changed',
  'handover-made',
  'handover-received',
  'handover-expired',
  'backup-restored',
] as const;

export type Kind = (typeof KINDS)[number];

export function kindKey(kind: string): MessageKey {
  return `activity.kind.${kind}` as MessageKey;
}

/** The kind in words; a kind this build does not know (from a newer laptop) shows its name. */
export function kindLabel(kind: string): string {
  const key = kindKey(kind);
  const text = t(key);
  return text === key ? kind : text;
}
