/** The worker: runs every workflow of the catalogue and the activities, on the configured task queue. */
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { TemporalConfig } from './config';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per process (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never;

export async function createWorker(opts: {
  connection: NativeConnection;
  cfg: Pick<TemporalConfig, 'namespace' | 'taskQueue' | 'worker'>;
  deps: ActivityDeps;
  /** A prebuilt bundle (e.g. `{ codePath }` written by scripts/worker.ts); default: built in this process. */
  bundle?: WorkflowBundleWithSourceMap | { codePath: string };
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.cfg.namespace,
    taskQueue: opts.cfg.taskQueue,
    workflowBundle: opts.bundle ?? (await workflowBundle()),
    activities: createActivities(opts.deps),
    maxConcurrentActivityTaskExecutions: opts.cfg.worker.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: opts.cfg.worker.maxConcurrentWorkflowTaskExecutions,
    maxCachedWorkflows: opts.cfg.worker.maxCachedWorkflows,
  });
}
