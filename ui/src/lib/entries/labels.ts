import { t, type MessageKey } from '../i18n/index.svelte';

const FIELDS: Record<string, MessageKey> = {
  title: 'field.title',
  username: 'field.username',
  password: 'field.password',
  urls: 'field.urls',
  notes: 'field.notes',
  totp: 'field.totp',
  tags: 'field.tags',
  expires: 'field.expires',
};

/** The name of a history item's (or a change's) field in the user's language; custom fields keep their own name. */
export function fieldLabel(field: string): string {
  if (field.startsWith('field:')) return field.slice(6);
  const key = FIELDS[field];
  return key ? t(key) : field;
}

/** Fields whose old values are secrets and stay masked until revealed. */
export function isSecretField(field: string, hiddenFields: Set<string>): boolean {
  if (field === 'password' || field === 'totp') return true;
  return field.startsWith('field:') && hiddenFields.has(field.slice(6));
}
