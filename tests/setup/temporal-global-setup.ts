// Vitest globalSetup: runs once per `vitest run`, in the main process.
//
// Makes sure the real Temporal servers exist (building/downloading them the
// first time), starts ONE Temporal CLI dev server for the whole run (all projects) on free
// ports with a throw-away SQLite file, and hands the tests:
//   inject('temporalAddress')  → '127.0.0.1:PORT' of that dev server
//   inject('temporalNamespace') → the project's own namespace on it: the projects run at the same time and
//     their cases have the same ids (campaign:2026, identification:H00000001:1), so each has its own
//   inject('testServerPath')   → launcher of the Java time-skipping test server, for
//     TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.mjs';
import { ensureTestServer } from '../../scripts/lib/test-server.mjs';
import { startDevServer } from '../../scripts/lib/dev-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    testServerPath: string;
  }
}

const log = (msg: string) => console.log(`[temporal-global-setup] ${msg}`);

// Every vitest project ('suite', 'api-postgres', 'faults') inherits this global setup and vitest calls
// it once per project (and once for the root), in this one process but not always from one instance of
// this module: they share one dev server through the process's globals, stopped after the last one.
// Each project works in a namespace of its own, created with the server (a namespace registered later
// takes a while to be served).
const NAMESPACES = ['suite', 'api-postgres', 'faults'];
type Shared = { address: string; testServerPath: string; stop: () => Promise<void> };
const state = ((globalThis as { __fangfanTemporal?: { shared: Promise<Shared> | null; users: number } }).__fangfanTemporal ??= { shared: null, users: 0 });

async function startShared() {
  const cliPath: string = await ensureTemporalCli({ log });
  const testServerPath: string = await ensureTestServer({ log });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangfan-temporal-'));
  const server = await startDevServer({
    cliPath,
    dbFile: path.join(dir, 'temporal.db'),
    headless: true,
    extraArgs: NAMESPACES.flatMap((n) => ['--namespace', n]),
    log,
  });
  return {
    address: server.address as string,
    testServerPath,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  state.users++;
  state.shared ??= startShared();
  const server = await state.shared;
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', NAMESPACES.includes(project.name) ? project.name : 'default');
  project.provide('testServerPath', server.testServerPath);

  return async function teardown() {
    if (--state.users === 0) {
      state.shared = null;
      await server.stop();
    }
  };
}
