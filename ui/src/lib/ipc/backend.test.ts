import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { inTauri, tauriBackend, toIpcError } from './backend';

afterEach(() => clearMocks());

const GEN = {
  kind: 'passphrase' as const,
  length: 20,
  lower: true,
  upper: true,
  digits: true,
  symbols: false,
  symbolSet: '!#',
  excludeSimilar: true,
  words: 5,
  separator: '-',
  capitalise: true,
  addDigit: true,
};
const CHECK = { id: null, password: 'pw', title: 'CRM', username: 'li', urls: [], rules: null };

describe('tauriBackend', () => {
  it('calls the contract\'s command names with its argument names', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    expect(inTauri()).toBe(true);
    const kdf = { memoryMib: 128, iterations: 3, parallelism: 4 };
    await tauriBackend.unlock('pw', '2468');
    await tauriBackend.search('crm');
    await tauriBackend.reveal('id1', 'history:2');
    await tauriBackend.copy('id1', 'field:PIN');
    await tauriBackend.saveEntry(null, { title: 't', username: '', password: null, urls: [], notes: '', tags: [], fields: [], rules: null, expires: null, alsoFillOn: [], autotypeSequence: null, autotypeWindows: [], totp: { action: 'keep' as const } });
    await tauriBackend.passwordStrength('pw', ['li']);
    await tauriBackend.changeMasterPassword('old', 'new', kdf);
    await tauriBackend.setQuickUnlock(true, 24, '2468');
    await tauriBackend.quickUnlock('2468');
    await tauriBackend.restoreHistory('id1', 0);
    await tauriBackend.generatePassword(GEN);
    await tauriBackend.parseTotp('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
    await tauriBackend.importTotpFile();
    await tauriBackend.totpCode('id1');
    await tauriBackend.checkPassword(CHECK);
    await tauriBackend.measureKdf(kdf);
    await tauriBackend.touch();
    await tauriBackend.adoptNewPassword('new pw');
    await tauriBackend.previewHeldCopy('v (Bob\'s conflicted copy).crmvault', null);
    await tauriBackend.mergeHeldCopy('v (Bob\'s conflicted copy).crmvault', 'bob');
    expect(calls).toEqual([
      ['unlock', { password: 'pw', rememberPin: '2468' }],
      ['search', { query: 'crm' }],
      ['reveal', { id: 'id1', what: 'history:2' }],
      ['copy', { id: 'id1', what: 'field:PIN' }],
      ['save_entry', { id: null, draft: { title: 't', username: '', password: null, urls: [], notes: '', tags: [], fields: [], rules: null, expires: null, alsoFillOn: [], autotypeSequence: null, autotypeWindows: [], totp: { action: 'keep' as const } } }],
      ['password_strength', { password: 'pw', userInputs: ['li'] }],
      ['change_master_password', { current: 'old', new: 'new', kdf }],
      ['set_quick_unlock', { enabled: true, hours: 24, pin: '2468' }],
      ['quick_unlock', { pin: '2468' }],
      ['restore_history', { id: 'id1', index: 0 }],
      ['generate_password', { options: GEN }],
      ['parse_totp', { text: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' }],
      ['import_totp_file', {}],
      ['totp_code', { id: 'id1' }],
      ['check_password', { request: CHECK }],
      ['measure_kdf', { choice: kdf }],
      ['touch', {}],
      ['adopt_new_password', { password: 'new pw' }],
      ['preview_held_copy', { name: "v (Bob's conflicted copy).crmvault", password: null }],
      ['merge_held_copy', { name: "v (Bob's conflicted copy).crmvault", password: 'bob' }],
    ]);
  });

  it('rejects with an IpcError whatever Rust threw', async () => {
    mockIPC((cmd) => {
      if (cmd === 'unlock') throw { code: 'wrong-password', message: 'wrong password' };
      throw 'command lock not found';
    });
    await expect(tauriBackend.unlock('x', null)).rejects.toEqual({ code: 'wrong-password', message: 'wrong password' });
    await expect(tauriBackend.lock()).rejects.toEqual({ code: 'io', message: 'command lock not found' });
  });

  it('passes the lock reason of the vault-locked event', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const reasons: string[] = [];
    const cleared = vi.fn();
    const un1 = await tauriBackend.onVaultLocked((r) => reasons.push(r));
    const un2 = await tauriBackend.onClipboardCleared(cleared);
    await emit('vault-locked', { reason: 'screen' });
    await emit('clipboard-cleared', null);
    expect(reasons).toEqual(['screen']);
    expect(cleared).toHaveBeenCalledOnce();
    un1();
    un2();
  });

  it('asks sync_status and passes the vault-synced event\'s news and status', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return cmd === 'sync_status' ? { lastMerge: null, lastCheck: 5, lastNews: null, copiesMerged: 0, copiesLeftAlone: [], error: null } : null;
    }, { shouldMockEvents: true });
    expect((await tauriBackend.syncStatus()).lastCheck).toBe(5);
    expect(calls).toEqual(['sync_status']);
    const events: unknown[] = [];
    const un = await tauriBackend.onVaultSynced((e) => events.push(e));
    const news = { added: 1, updated: 0, deleted: 0, restored: 0, from: ['LAPTOP-A'], settingsChanged: false, passwordChangedBy: null, copiesMerged: 0 };
    const status = { lastMerge: 9, lastCheck: 9, lastNews: news, copiesMerged: 0, copiesLeftAlone: [], error: null };
    await emit('vault-synced', { news, status });
    expect(events).toEqual([{ news, status }]);
    un();
  });
});

describe('toIpcError', () => {
  it('keeps code and message, and turns anything else into "io"', () => {
    expect(toIpcError({ code: 'locked', message: 'm' })).toEqual({ code: 'locked', message: 'm' });
    expect(toIpcError(new Error('boom'))).toEqual({ code: 'io', message: 'boom' });
    expect(toIpcError(42)).toEqual({ code: 'io', message: '42' });
  });
});
