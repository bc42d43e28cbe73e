/** The worker: runs every workflow of the catalogue and the activities, on the configured task queue. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { WORKFLOW_MODULES } from '../processes';
import type { TemporalConfig } from './config';
import { stuckRuns } from './stuck-runs';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per process (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleRegisteredWorkflows();
  return bundle;
}

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));

/**
 * The bundle's entry re-exports every registered process's workflows module (processes/index.ts), so
 * the sandbox gets the workflow functions and what they import, never a process's starter, schemas or
 * activities. Written for the bundler and removed once it has read it; it lies outside the project,
 * so the SDK's own modules (required by the entry the bundler wraps around it) are resolved from ours.
 */
async function bundleRegisteredWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-workflows-'));
  const workflowsPath = join(dir, 'index.ts');
  writeFileSync(workflowsPath, WORKFLOW_MODULES.map((url) => `export * from ${JSON.stringify(fileURLToPath(url))};\n`).join(''));
  try {
    return await bundleWorkflowCode({
      workflowsPath,
      logger: quietLogger,
      webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? []), NODE_MODULES] } }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never;

export async function createWorker(opts: {
  connection: NativeConnection;
  cfg: Pick<TemporalConfig, 'namespace' | 'taskQueue' | 'worker'>;
  deps: ActivityDeps;
  /** A prebuilt bundle (e.g. `{ codePath }` written by scripts/worker.ts); default: built in this process. */
  bundle?: WorkflowBundleWithSourceMap | { codePath: string };
}): Promise<Worker> {
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.cfg.namespace,
    taskQueue: opts.cfg.taskQueue,
    workflowBundle: opts.bundle ?? (await workflowBundle()),
    activities: createActivities(opts.deps),
    maxConcurrentActivityTaskExecutions: opts.cfg.worker.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: opts.cfg.worker.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: opts.cfg.worker.maxCachedWorkflows,
  });
  // A case this worker cannot replay is reported to the watchdog of this process (server/stuck-runs.ts).
  stuckRuns.watch(worker);
  return worker;
}
