import type { CompanyPolicyView } from '../ipc/bindings/CompanyPolicyView';
import type { RequiredKinds } from '../ipc/bindings/RequiredKinds';
import { t, type MessageKey } from '../i18n/index.svelte';

/** The required kinds of character, in the UI's language: "capital letters, digits". */
export function kindsText(required: RequiredKinds): string {
  const kinds = (['lower', 'upper', 'digits', 'symbols'] as const).filter((k) => required[k]);
  return kinds.map((k) => t(`company.kind.${k}` as MessageKey)).join(', ');
}

/** What the generator must make under the policy, or null when the policy says nothing about it. */
export function generatorNote(view: CompanyPolicyView | null): string | null {
  if (!view || !view.locked.generator) return null;
  const kinds = kindsText(view.required);
  return t('company.generator', {
    length: view.minLength ?? 8,
    kinds: kinds ? t('company.generatorKinds', { kinds }) : '',
  });
}

/** The policy's state in one sentence: none, in force (from where), or its mistake and line. */
export function statusText(view: CompanyPolicyView): string {
  if (view.state === 'in-force') return t('company.inForce', { path: view.path });
  if (view.state === 'none') return t('company.none', { path: view.path });
  const error = view.error;
  if (error && error.line !== null) {
    return t('company.malformed', { path: view.path, line: error.line, column: error.column ?? 1, message: error.message });
  }
  return t('company.unreadable', { path: view.path, message: error?.message ?? '' });
}

/** The rules the policy sets, one line each, for the Company tab. */
export function ruleLines(view: CompanyPolicyView): string[] {
  const lines: string[] = [];
  if (view.minLength !== null) lines.push(t('company.minLength', { length: view.minLength }));
  const kinds = kindsText(view.required);
  if (kinds) lines.push(t('company.required', { kinds }));
  if (view.rotationDays !== null) lines.push(t('company.rotation', { days: view.rotationDays }));
  if (view.maxAutoLockMinutes !== null) lines.push(t('company.atMostMinutes', { max: view.maxAutoLockMinutes }));
  if (view.maxClipboardClearSeconds !== null) lines.push(t('company.atMostSeconds', { max: view.maxClipboardClearSeconds }));
  if (!view.quickUnlockAllowed) lines.push(t('company.quickNotAllowed'));
  else if (view.quickUnlockMaxHours !== null) lines.push(t('company.atMostHours', { max: view.quickUnlockMaxHours }));
  if (view.totpRequiredTags.length > 0) lines.push(t('company.totpTags', { tags: view.totpRequiredTags.join(', ') }));
  if (view.companyTag !== null) lines.push(t('company.companyTag', { tag: view.companyTag }));
  return lines;
}
