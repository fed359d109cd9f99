/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Tauri serves ui/dist from its own origin, so the default base is right.
// The dev server port is fixed because src-tauri's devUrl points at it.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // One jsdom per worker rather than per file: the files share no state but
    // the language, which setup.ts resets after every test.
    isolate: false,
    // Whole dialogs are driven keystroke by keystroke; on a shared 2-core machine a long test can
    // take several seconds. The tests assert what the user sees, never how fast.
    testTimeout: 30_000,
  },
});
