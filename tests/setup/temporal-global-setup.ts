// Vitest globalSetup: runs once per `vitest run`, in the main process.
//
// Makes sure the real Temporal servers exist (building/downloading them the
// first time), starts ONE Temporal CLI dev server for the whole run on free
// ports with a throw-away SQLite file, and hands the tests:
//   inject('temporalAddress')  → '127.0.0.1:PORT' of that dev server
//   inject('testServerPath')   → launcher of the Java time-skipping test server, for
//     TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-ignore -- plain .mjs helper without type declarations (typed by its JSDoc only)
import { ensureTemporalCli, ensureTestServer, startDevServer } from '../../scripts/lib/tools.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    testServerPath: string;
  }
}

const log = (msg: string) => console.log(`[temporal-global-setup] ${msg}`);

export default async function setup(project: TestProject) {
  const cliPath: string = await ensureTemporalCli({ log });
  const testServerPath: string = await ensureTestServer({ log });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangfan-temporal-'));
  const server = await startDevServer({
    cliPath,
    dbFile: path.join(dir, 'temporal.db'),
    headless: true,
    log,
  });

  project.provide('temporalAddress', server.address);
  project.provide('testServerPath', testServerPath);

  return async function teardown() {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
