import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { inTauri, tauriBackend, type Backend } from './lib/ipc/backend';

async function pickBackend(): Promise<Backend> {
  if (inTauri()) return tauriBackend;
  // Only the dev server falls back to the mock; the check lets a production
  // build drop the mock (and its sample data) from the bundle.
  if (import.meta.env.DEV) {
    const { createMockBackend } = await import('./lib/ipc/mock');
    const params = new URLSearchParams(location.search);
    return createMockBackend({
      live: true,
      latency: Number(params.get('latency') ?? 15),
      stage: (params.get('stage') as 'setup' | 'locked' | 'unlocked' | null) ?? 'locked',
      entries: Number(params.get('entries') ?? 10_000),
      failedAttempts: Number(params.get('failed') ?? 0),
    });
  }
  return tauriBackend;
}

void pickBackend().then((backend) => {
  mount(App, { target: document.getElementById('app')!, props: { backend } });
});
