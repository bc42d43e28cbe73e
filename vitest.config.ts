import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts one real Temporal dev server for the run and provides
    // 'temporalAddress' and 'testServerPath' (see tests/setup/temporal-global-setup.ts).
    globalSetup: ['tests/setup/temporal-global-setup.ts'],
    setupFiles: ['tests/setup/quiet-runtime.ts'],
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2, // the machines have 2 cores
  },
});
