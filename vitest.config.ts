import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores on CI: native work (sharp, sqlite, chromium) competes with the workers.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
