import { describe, expect, it, vi } from 'vitest';
import { AppModel } from './app.svelte';
import { createMockBackend } from './ipc/mock';

describe('AppModel', () => {
  it('tells Rust about activity at most every 5 seconds, and only while unlocked', async () => {
    const backend = createMockBackend({ stage: 'locked' });
    const touch = vi.spyOn(backend, 'touch');
    const app = new AppModel(backend);
    await app.refresh();
    app.touch(1_000);
    expect(touch).not.toHaveBeenCalled();
    app.apply(await backend.unlock(backend.masterPassword, null));
    app.touch(10_000);
    app.touch(12_000);
    app.touch(14_999);
    app.touch(15_000);
    expect(touch).toHaveBeenCalledTimes(2);
  });

  it('remembers the failed attempts from before an unlock, since Rust resets its count', async () => {
    const backend = createMockBackend({ stage: 'locked', failedAttempts: 4 });
    const app = new AppModel(backend);
    await app.refresh();
    app.apply(await backend.unlock(backend.masterPassword, null));
    expect(app.state?.failedAttempts).toBe(0);
    expect(app.failedBeforeUnlock).toBe(4);
  });

  it('applies language and theme from the settings', async () => {
    const backend = createMockBackend({ stage: 'locked', settings: { language: 'zh-CN', theme: 'dark' } });
    const app = new AppModel(backend);
    await app.refresh();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
