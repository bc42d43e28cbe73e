import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts one real Temporal dev server for the run and provides
    // 'temporalAddress' and 'testServerPath' (see tests/setup/temporal-global-setup.ts).
    globalSetup: ['tests/setup/temporal-global-setup.ts'],
    setupFiles: ['tests/setup/quiet-runtime.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2, // the machines have 2 cores
    projects: [
      { extends: true, test: { name: 'suite', include: ['tests/**/*.test.ts'], exclude: ['tests/faults/**'], fileParallelism: true, sequence: { groupOrder: 0 } } },
      // Fault tests kill workers and restart a Temporal server: they run after the rest, alone, so
      // their timing is not at the mercy of the other files on 2 cores.
      { extends: true, test: { name: 'faults', include: ['tests/faults/**/*.test.ts'], fileParallelism: false, testTimeout: 400_000, sequence: { groupOrder: 1 } } },
    ],
  },
});
