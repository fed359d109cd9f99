// Generated from the command list in src-tauri/src/ipc.rs by `cargo test -p crm-vault-app`. Do not edit.
import { invoke } from '@tauri-apps/api/core';
import type { ActivityDevice } from './ActivityDevice';
import type { ActivityEvent } from './ActivityEvent';
import type { ActivityFilter } from './ActivityFilter';
import type { ActivityPage } from './ActivityPage';
import type { AppState } from './AppState';
import type { BackupOffer } from './BackupOffer';
import type { BackupView } from './BackupView';
import type { CompanyPolicyView } from './CompanyPolicyView';
import type { CopyPreview } from './CopyPreview';
import type { EntryDetail } from './EntryDetail';
import type { EntryDraft } from './EntryDraft';
import type { EntrySummary } from './EntrySummary';
import type { ExportDone } from './ExportDone';
import type { Generated } from './Generated';
import type { GeneratorOptions } from './GeneratorOptions';
import type { GivenHandover } from './GivenHandover';
import type { HandoverMade } from './HandoverMade';
import type { HandoverReceived } from './HandoverReceived';
import type { ImportDone } from './ImportDone';
import type { ImportPreview } from './ImportPreview';
import type { InventoryRowView } from './InventoryRowView';
import type { KdfChoice } from './KdfChoice';
import type { KdfCost } from './KdfCost';
import type { ListSort } from './ListSort';
import type { LoginOpen } from './LoginOpen';
import type { PasswordCheck } from './PasswordCheck';
import type { PasswordCheckRequest } from './PasswordCheckRequest';
import type { Policy } from './Policy';
import type { QrView } from './QrView';
import type { RulesView } from './RulesView';
import type { SecretText } from './SecretText';
import type { SecurityReport } from './SecurityReport';
import type { Settings } from './Settings';
import type { Strength } from './Strength';
import type { SyncStatus } from './SyncStatus';
import type { TotpCode } from './TotpCode';
import type { TotpPreview } from './TotpPreview';
import type { UnlockNotice } from './UnlockNotice';

/** Every command of the desktop app, by its name in Rust (in camelCase). */
export const commands = {
  appState: (): Promise<AppState> => invoke<AppState>('app_state'),
  chooseVaultFile: (): Promise<string | null> => invoke<string | null>('choose_vault_file'),
  chooseVaultLocation: (): Promise<string | null> => invoke<string | null>('choose_vault_location'),
  createVault: (args: { path: string; password: SecretText }): Promise<AppState> => invoke<AppState>('create_vault', args),
  openVault: (args: { path: string }): Promise<AppState> => invoke<AppState>('open_vault', args),
  unlock: (args: { password: SecretText; rememberPin: SecretText | null }): Promise<AppState> => invoke<AppState>('unlock', args),
  quickUnlock: (args: { pin: string }): Promise<AppState> => invoke<AppState>('quick_unlock', args),
  lock: (): Promise<AppState> => invoke<AppState>('lock'),
  listEntries: (args: { sort: ListSort | null }): Promise<Array<EntrySummary>> => invoke<Array<EntrySummary>>('list_entries', args),
  search: (args: { query: string }): Promise<Array<number>> => invoke<Array<number>>('search', args),
  entryDetail: (args: { id: string }): Promise<EntryDetail> => invoke<EntryDetail>('entry_detail', args),
  reveal: (args: { id: string; what: string }): Promise<SecretText> => invoke<SecretText>('reveal', args),
  copy: (args: { id: string; what: string }): Promise<void> => invoke<void>('copy', args),
  openUrl: (args: { id: string }): Promise<void> => invoke<void>('open_url', args),
  openLogin: (args: { id: string }): Promise<LoginOpen> => invoke<LoginOpen>('open_login', args),
  autoType: (args: { id: string; window: number | null }): Promise<void> => invoke<void>('auto_type', args),
  addToDesktop: (args: { id: string }): Promise<string> => invoke<string>('add_to_desktop', args),
  saveEntry: (args: { id: string | null; draft: EntryDraft }): Promise<string> => invoke<string>('save_entry', args),
  deleteEntry: (args: { id: string }): Promise<void> => invoke<void>('delete_entry', args),
  restoreEntry: (args: { id: string }): Promise<void> => invoke<void>('restore_entry', args),
  listTrash: (): Promise<Array<EntrySummary>> => invoke<Array<EntrySummary>>('list_trash'),
  setFavourite: (args: { id: string; favourite: boolean }): Promise<void> => invoke<void>('set_favourite', args),
  purgeEntry: (args: { id: string }): Promise<void> => invoke<void>('purge_entry', args),
  emptyTrash: (): Promise<number> => invoke<number>('empty_trash'),
  restoreHistory: (args: { id: string; index: number }): Promise<EntryDetail> => invoke<EntryDetail>('restore_history', args),
  generatePassword: (args: { options: GeneratorOptions }): Promise<Generated> => invoke<Generated>('generate_password', args),
  generatorOptions: (): Promise<GeneratorOptions> => invoke<GeneratorOptions>('generator_options'),
  policy: (): Promise<Policy> => invoke<Policy>('policy'),
  generateForRules: (args: { rules: RulesView }): Promise<Generated> => invoke<Generated>('generate_for_rules', args),
  checkPassword: (args: { request: PasswordCheckRequest }): Promise<PasswordCheck> => invoke<PasswordCheck>('check_password', args),
  passwordStrength: (args: { password: SecretText; userInputs: Array<string> }): Promise<Strength> => invoke<Strength>('password_strength', args),
  totpCode: (args: { id: string }): Promise<TotpCode> => invoke<TotpCode>('totp_code', args),
  totpQr: (args: { id: string }): Promise<QrView> => invoke<QrView>('totp_qr', args),
  parseTotp: (args: { text: SecretText }): Promise<TotpPreview> => invoke<TotpPreview>('parse_totp', args),
  importTotpFile: (): Promise<TotpPreview | null> => invoke<TotpPreview | null>('import_totp_file'),
  importTotpClipboard: (): Promise<TotpPreview> => invoke<TotpPreview>('import_totp_clipboard'),
  securityReport: (): Promise<SecurityReport> => invoke<SecurityReport>('security_report'),
  chooseHibpFile: (): Promise<AppState> => invoke<AppState>('choose_hibp_file'),
  clearHibpFile: (): Promise<AppState> => invoke<AppState>('clear_hibp_file'),
  updateSettings: (args: { settings: Settings }): Promise<AppState> => invoke<AppState>('update_settings', args),
  measureKdf: (args: { choice: KdfChoice }): Promise<KdfCost> => invoke<KdfCost>('measure_kdf', args),
  currentKdf: (): Promise<KdfChoice> => invoke<KdfChoice>('current_kdf'),
  changeMasterPassword: (args: { current: SecretText; new: SecretText; kdf: KdfChoice | null }): Promise<void> => invoke<void>('change_master_password', args),
  setQuickUnlock: (args: { enabled: boolean; hours: number; pin: string | null }): Promise<AppState> => invoke<AppState>('set_quick_unlock', args),
  syncStatus: (): Promise<SyncStatus> => invoke<SyncStatus>('sync_status'),
  adoptNewPassword: (args: { password: string }): Promise<SyncStatus> => invoke<SyncStatus>('adopt_new_password', args),
  previewHeldCopy: (args: { name: string; password: string | null }): Promise<CopyPreview> => invoke<CopyPreview>('preview_held_copy', args),
  mergeHeldCopy: (args: { name: string; password: string | null }): Promise<SyncStatus> => invoke<SyncStatus>('merge_held_copy', args),
  touch: (): Promise<void> => invoke<void>('touch'),
  chooseHandoverLocation: (): Promise<string | null> => invoke<string | null>('choose_handover_location'),
  chooseHandoverFile: (): Promise<string | null> => invoke<string | null>('choose_handover_file'),
  suggestHandoverPassphrase: (): Promise<string> => invoke<string>('suggest_handover_passphrase'),
  makeHandover: (args: { ids: Array<string>; to: string; hours: number; passphrase: SecretText; path: string }): Promise<HandoverMade> => invoke<HandoverMade>('make_handover', args),
  receiveHandover: (args: { path: string; passphrase: SecretText }): Promise<HandoverReceived> => invoke<HandoverReceived>('receive_handover', args),
  handOverCompanyAccounts: (args: { to: string; passphrase: SecretText; path: string }): Promise<HandoverMade> => invoke<HandoverMade>('hand_over_company_accounts', args),
  givenHandovers: (): Promise<Array<GivenHandover>> => invoke<Array<GivenHandover>>('given_handovers'),
  companyPolicy: (): Promise<CompanyPolicyView> => invoke<CompanyPolicyView>('company_policy'),
  inventory: (): Promise<Array<InventoryRowView>> => invoke<Array<InventoryRowView>>('inventory'),
  saveInventoryCsv: (): Promise<string | null> => invoke<string | null>('save_inventory_csv'),
  activity: (args: { filter: ActivityFilter }): Promise<ActivityPage> => invoke<ActivityPage>('activity', args),
  entryActivity: (args: { id: string }): Promise<Array<ActivityEvent>> => invoke<Array<ActivityEvent>>('entry_activity', args),
  activityDevices: (): Promise<Array<ActivityDevice>> => invoke<Array<ActivityDevice>>('activity_devices'),
  takeUnlockNotices: (): Promise<Array<UnlockNotice>> => invoke<Array<UnlockNotice>>('take_unlock_notices'),
  backupOffer: (): Promise<BackupOffer | null> => invoke<BackupOffer | null>('backup_offer'),
  listBackups: (): Promise<Array<BackupView>> => invoke<Array<BackupView>>('list_backups'),
  restoreBackup: (args: { name: string }): Promise<AppState> => invoke<AppState>('restore_backup', args),
  restoreBackupAtUnlock: (args: { name: string; password: SecretText }): Promise<AppState> => invoke<AppState>('restore_backup_at_unlock', args),
  chooseImportFile: (): Promise<string | null> => invoke<string | null>('choose_import_file'),
  previewImport: (args: { path: string; format: string | null; password: SecretText | null; keyFile: string | null; keepNotes: boolean }): Promise<ImportPreview> => invoke<ImportPreview>('preview_import', args),
  applyImport: (args: { token: number }): Promise<ImportDone> => invoke<ImportDone>('apply_import', args),
  chooseExportLocation: (args: { format: string }): Promise<string | null> => invoke<string | null>('choose_export_location', args),
  exportVault: (args: { path: string; format: string; password: SecretText | null; plainTextOk: boolean }): Promise<ExportDone> => invoke<ExportDone>('export_vault', args),
};
