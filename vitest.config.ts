import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/wallet/web/e2e/**/*.test.ts',
      'packages/wallet/web/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // One throwaway PostgreSQL server per run, exported to the tests as TEST_DATABASE_URL.
    globalSetup: ['./test/postgres/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './.ci/summary-reporter.ts'],
  },
});
