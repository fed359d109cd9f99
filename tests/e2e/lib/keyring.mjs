// Looks into the real keyring (gnome-keyring on this run's private session bus) the way any
// program of the user could, through the Secret Service's D-Bus API.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const QUICK_UNLOCK_SERVICE = 'CRM Vault quick unlock';
export const SESSION_COLLECTION = '/org/freedesktop/secrets/collection/session/';

/** Object paths of the Secret Service items whose attributes include all of `attributes`. */
export function keyringItems(attributes) {
  // dbus-send takes the pairs as they are: no quotes (none of ours holds a comma).
  const dict = Object.entries(attributes).flat().join(',');
  const out = execFileSync(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.SearchItems', `dict:string:string:${dict}`],
    { encoding: 'utf8' },
  );
  return [...out.matchAll(/object path "([^"]+)"/g)].map((m) => m[1]);
}

/** The keyring items holding the device key of quick-unlock `record` (from the settings file). */
export function deviceKeyItems(record) {
  return keyringItems({ service: QUICK_UNLOCK_SERVICE, username: `${record.device} ${record.vault_id}` });
}

/** This device's settings file, as the app keeps it in the test's home. */
export function settingsFile(dirs) {
  return path.join(dirs.config, 'crm-vault', 'settings.json');
}

/** The quick-unlock record in this device's settings, or null. */
export function quickUnlockRecord(dirs) {
  return JSON.parse(readFileSync(settingsFile(dirs), 'utf8')).quick_unlock ?? null;
}
