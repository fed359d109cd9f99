// The words for files held back beside the vault (not merged by themselves) and for the master
// password changed on another laptop, made from the codes Rust sends.
import { has, t, type MessageKey } from '../i18n/index.svelte';
import type { HeldCopy, PasswordChangeNotice } from '../ipc/types';
import { formatWhen } from './news';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** "10 years", "3 days", "26 hours": how far a copy's clock runs ahead of this computer's. */
export function aheadText(ms: number): string {
  const [unit, size] = ms >= YEAR ? (['years', YEAR] as const) : ms >= 2 * DAY ? (['days', DAY] as const) : (['hours', HOUR] as const);
  const count = Math.max(1, Math.floor(ms / size));
  return count === 1 ? t(`held.ahead.${unit}.one`) : t(`held.ahead.${unit}.many`, { count });
}

/**
 * Why a copy was held back, as the middle of a sentence: "made under an earlier master
 * password", "dated 10 years ahead of this computer's clock by LAPTOP-Z".
 */
export function reasonText(copy: Pick<HeldCopy, 'reason' | 'device' | 'aheadMs'>): string {
  const key = `held.reason.${copy.reason}`;
  if (!has(key)) return t('held.reason.generic', { code: copy.reason });
  const device = copy.device ?? t('held.unknownDevice');
  return t(key as MessageKey, { device, ahead: aheadText(copy.aheadMs ?? 0) });
}

/** The names Rust gives vault-wide settings in a merge preview, in the UI's words. */
const SETTING_KEYS: Record<string, MessageKey> = {
  name: 'held.setting.name',
  rotation_days: 'reportSettings.days',
  clipboard_clear_seconds: 'settings.clipboard',
  auto_lock_minutes: 'settings.autoLock',
  owner_name: 'reportSettings.ownerName',
  company: 'reportSettings.company',
};

export function settingText(name: string): string {
  const key = SETTING_KEYS[name];
  return key ? t(key) : name;
}

/** "The master password was changed on LAPTOP-A at 10:32. Enter the new master password." */
export function passwordChangeText(notice: PasswordChangeNotice | null, now = Date.now()): string {
  if (!notice) return t('passwordChanged.unknown');
  return t('passwordChanged.by', { device: notice.by, time: formatWhen(notice.at, now) });
}
