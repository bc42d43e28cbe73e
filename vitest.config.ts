import { defineConfig } from 'vitest/config';

/**
 * The API test files run again with the read model on PostgreSQL ('api-postgres'). Not all of tests/api:
 * that doubled the API tests' time (SQLite alone 4 min, both 11 min on the shared 2-core machine). These
 * nine go through every read-model query path: case and step lists, the inbox (`mine`, teams), overdue
 * lists and the GROUP BY summary (identification); due-soon filters, the head-of-household search and
 * the open/soon/overdue summary (steps); the household register, its search, import, export
 * and the directory (households); department-scoped JSON searches and masked exports (privacy); the
 * audit log, its filters, export and the append-only trigger (audit); idempotency records, leases and the
 * one-open-case guard under races (idempotency); API keys and dead letters (api-keys); campaign progress's
 * raw SQL (campaign); LIKE escaping of `%`, `_`, `\` and quotes (hostile-input); the statistics' grouped
 * sums and joins (stats). Left out: the
 * authorization matrix (status codes of the same queries), and files that test the processes' own rules
 * (auth, calendar-api, helper-assignment, house-rebuild, illness-relief, observability), whose reads and
 * writes go through the same projection and list code.
 */
const API_POSTGRES_FILES = ['identification', 'steps', 'households', 'privacy', 'audit', 'idempotency', 'api-keys', 'campaign', 'hostile-input', 'stats'].map((f) => `tests/api/${f}.test.ts`);

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
      { extends: true, test: { name: 'suite', include: ['tests/**/*.test.ts'], exclude: ['tests/postgres-tls.test.ts'], fileParallelism: true, sequence: { groupOrder: 0 } } },
      // The API tests a second time with the read model on PostgreSQL (a new database per test app on
      // the server of TEST_DATABASE_URL; scripts/test.mjs says so when it is not set). API_POSTGRES_FILES
      // picks the files (above); with TEST_DATABASE_CA (the CA of that server's TLS certificate) also
      // tests/postgres-tls.test.ts.
      ...(process.env.TEST_DATABASE_URL
        ? [{ extends: true as const, test: { name: 'api-postgres', include: [...API_POSTGRES_FILES, ...(process.env.TEST_DATABASE_CA ? ['tests/postgres-tls.test.ts'] : [])], provide: { testDatabaseUrl: process.env.TEST_DATABASE_URL }, fileParallelism: true, sequence: { groupOrder: 0 } } }]
        : []),
      // The fault tests alone (`npm run test:faults`, one file at a time, with FAULT_CASES, FAULT_KILLS,
      // FAULT_KILL_EVERY_MS for heavier runs); they are part of 'suite' as well.
      ...(process.env.FANGFAN_FAULTS === '1'
        ? [{ extends: true as const, test: { name: 'faults', include: ['tests/faults/**/*.test.ts'], fileParallelism: false, testTimeout: 400_000, sequence: { groupOrder: 1 } } }]
        : []),
    ],
  },
});
