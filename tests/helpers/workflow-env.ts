/**
 * Workflow tests on Temporal's time-skipping test server: one environment per test file, a real
 * worker with the real activities (calendar, SQLite read model with the demo data), unique task queues.
 */
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { Worker } from '@temporalio/worker';
import type { Db } from '../../db';
import { loadCalendar, type WorkingCalendar } from '../../calendar';
import { createActivities } from '../../activities';
import { loadPolicy } from '../../policy';
import { loadTemporalConfig } from '../../server/config';
import { activityDeps, createServices, type Services } from '../../server/services';
import { workflowBundle } from '../../server/worker';
import { seedDemo } from '../../server/seed';
import { User } from '../../db';
import { actorOf } from '../../server/auth';
import type { Actor } from '../../contracts/roles';

export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  /** The app's Services on this server (for the API's own logic: startProcess, …). */
  services: Services;
  db: Db;
  taskQueue: string;
  worker: Worker;
  /** A demo account as the Actor the API would vouch for. */
  actor(username: string): Promise<Actor>;
  close(): Promise<void>;
}

/**
 * The Java time-skipping server. The SDK gives it 5 s to open its port; a JVM starting on a loaded 2-core
 * machine can take longer, so a start that timed out is tried again (each attempt is a new server).
 */
async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
      });
    } catch (err) {
      if (attempt >= 12 || !/did not start within/.test(String(err))) throw err;
    }
  }
}

export async function startWorkflowEnv(opts: { calendar?: () => WorkingCalendar; policyFile?: string } = {}): Promise<WorkflowTestEnv> {
  const env = await startTimeSkippingServer();
  const fixed = loadCalendar();
  const taskQueue = `wf-${randomUUID()}`;
  // Follow-up cases (P1 → P2, P3 → P1) start through the API's own start logic, on this server.
  const services = await createServices({
    database: join(mkdtempSync(join(tmpdir(), 'fangfan-wf-')), 'read.sqlite'),
    temporal: { ...loadTemporalConfig({}), namespace: 'default', taskQueue, client: env.client },
    policy: loadPolicy(opts.policyFile),
    calendar: opts.calendar ?? (() => fixed),
    sessionHours: 1,
  });
  const { db } = services;
  await seedDemo(db, { password: 'demo1234' });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(activityDeps(services)),
  });
  const running = worker.run();
  return {
    env,
    services,
    db,
    taskQueue,
    worker,
    async actor(username) {
      const user = await db.em().findOneOrFail(User, { username });
      return actorOf(user);
    },
    async close() {
      worker.shutdown();
      await running;
      await services.close();
      await env.teardown();
    },
  };
}

/** Poll a case's live state until `pred` holds (the case reacts asynchronously to signals and timers). */
export async function waitForState<S = CaseState>(handle: WorkflowHandle, pred: (s: S) => boolean, tries = 300): Promise<S> {
  for (let i = 0; i < tries; i++) {
    const s = (await handle.query(stateQuery)) as unknown as S;
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error('the case never reached the expected state');
}

/** The workflow validator's refusal of an update: its failure type (RuleViolation, Conflict, Forbidden…) and message. */
export async function refusal(p: Promise<unknown>): Promise<{ type?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    const cause = err.cause as ApplicationFailure;
    return { type: cause.type ?? undefined, message: cause.message };
  }
  throw new Error('expected the update to be refused');
}
