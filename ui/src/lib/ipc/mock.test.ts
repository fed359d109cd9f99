import { describe, expect, it, vi } from 'vitest';
import { createMockBackend } from './mock';
import { DEFAULT_GENERATOR } from './mock-tools';

describe('mock backend', () => {
  it("answers what Rust computes only from Rust's recorded answers", async () => {
    const backend = createMockBackend({ stage: 'unlocked', entries: [] });
    expect((await backend.passwordStrength('password1', [])).warning).toBe('this-is-a-common-password');
    // The recorded refusal comes back as the error Rust gave.
    await expect(backend.generatePassword({ ...DEFAULT_GENERATOR, excludeSimilar: true, symbolSet: 'ab' })).rejects.toMatchObject({
      code: 'generate-not-a-symbol',
    });
  });

  it('fails a call nobody recorded, naming the case to add, instead of inventing an answer', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const backend = createMockBackend({ stage: 'unlocked', entries: [{ id: 'a', title: 'A', password: 'xyz' }] });
    await expect(backend.passwordStrength('xyz', [])).rejects.toThrow(
      'no recording for passwordStrength("xyz", []): add it to crates/session/tests/ui_fixtures.rs',
    );
    await expect(backend.generatePassword({ ...DEFAULT_GENERATOR, length: 33 })).rejects.toThrow(/no recording for generatePassword/);
    await expect(backend.securityReport()).rejects.toThrow(/no recording for securityReport/);
    // No report recorded for this vault: no reminder either, rather than a count of the mock's own.
    expect((await backend.appState()).rotationDue).toBe(0);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
