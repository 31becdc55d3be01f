import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // A net for a hung test, not a speed limit: a loaded machine (two suites at once) takes its time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // A poll waits for something to become true (a screen, a row): on a loaded machine that can take
    // seconds, and waiting longer only delays a real failure. It never times anything.
    expect: { poll: { timeout: 20_000 } },
    // Two cores on CI: native work (sharp, sqlite, chromium) competes with the workers.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
