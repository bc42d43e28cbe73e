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
      // Fault tests kill workers and restart a Temporal server; they run alone, after the rest, with
      // `npm run test:faults`. Not yet in `npm test`: killing the worker while updates are in flight
      // intermittently leaves a case that no longer replays ("Update machine does not handle this
      // event"), under investigation on the reliability issue.
      ...(process.env.FANGFAN_FAULTS === '1'
        ? [{ extends: true as const, test: { name: 'faults', include: ['tests/faults/**/*.test.ts'], fileParallelism: false, testTimeout: 400_000, sequence: { groupOrder: 1 } } }]
        : []),
    ],
  },
});
