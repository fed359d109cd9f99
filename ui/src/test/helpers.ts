import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { createMockBackend, type MockBackend, type MockOptions } from '../lib/ipc/mock';

export interface Rendered {
  backend: MockBackend;
  user: ReturnType<typeof userEvent.setup>;
}

/** The whole app on a fresh mock vault, as the user would see it. */
export async function renderApp(options: MockOptions = {}, backend = createMockBackend(options)): Promise<Rendered> {
  // The app loads these screens when first shown; under vitest the first load also compiles them,
  // which can take longer than a test's wait. Loaded here once, the app's own load is immediate.
  await Promise.all([import('../lib/entries/MainScreen.svelte'), import('../lib/setup/SetupScreen.svelte')]);
  // No pause between keystrokes: the UI must cope with typing as fast as events come.
  const user = userEvent.setup({ delay: null });
  render(App, { props: { backend } });
  const stage = options.stage ?? 'locked';
  const marker = stage === 'setup' ? 'setup-password' : stage === 'locked' ? 'unlock-password' : 'search';
  await screen.findByTestId(marker);
  return { backend, user };
}

/** The app unlocked with its list loaded. */
export async function renderUnlocked(options: MockOptions = {}): Promise<Rendered> {
  const r = await renderApp({ ...options, stage: 'unlocked' });
  await waitFor(() => {
    if (screen.queryAllByTestId('entry-row').length === 0 && screen.queryByTestId('no-results') === null && screen.queryByTestId('empty-vault') === null) {
      throw new Error('list not loaded');
    }
  });
  return r;
}

export function rowTitles(): string[] {
  return screen.queryAllByTestId('entry-row').map((r) => r.querySelector('.title')?.textContent ?? '');
}

/** A promise with its resolver, to hold a backend answer back until the test says so. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
