/**
 * The watchdog (server/watchdog.ts) repairs a running case whose history no longer replays, with nothing
 * lost or doubled. The shape of the SDK bug (docs/known-issues.md) is reproduced deterministically: a
 * test-only workflow (watchdog-workflows/) runs on worker A (version 1: a timer at the fork) and takes a
 * signal and an update; A stops; worker B runs version 2 (an activity at the fork), so its replay fails
 * with a non-determinism error at the timer event, and keeps failing. One sweep resets the case to the
 * task before that event with signals and updates reapplied; B then runs it to the end.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { AuditEntry } from '../../db';
import { HttpMetrics } from '../../server/metrics';
import { RESET_REASON, resetPoint, startWatchdog, sweepStuckCases, type WatchdogLog } from '../../server/watchdog';
import { StuckRuns } from '../../server/stuck-runs';
import { caseHistory } from '../../server/processes/history';
import { startTestServices } from '../helpers/app';
import { noteSignal, noteUpdate } from './watchdog-workflows/notes';

type Services = Awaited<ReturnType<typeof startTestServices>>;

const bundle = (version: string): Promise<WorkflowBundleWithSourceMap> =>
  bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL(`./watchdog-workflows/${version}.ts`, import.meta.url)), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });

const counted = (outcome: string) => Number(new RegExp(`^fangfan_case_resets_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(new HttpMetrics().render())?.[1] ?? 0);
const until = async (done: () => Promise<boolean>) => {
  while (!(await done())) await new Promise((r) => setTimeout(r, 250));
};

const lines: string[] = [];
const log: WatchdogLog = { info: (_o, msg) => void lines.push(msg), error: (_o, msg) => void lines.push(msg) };

describe('the reset point', () => {
  it('is the task before the event the SDK bug names, in the captured history of the bug', () => {
    // tests/histories-upstream-bug: the replay fails at event 36 (ActivityTaskScheduled), which the task completed at 35 produced.
    const file = fileURLToPath(new URL('../histories-upstream-bug/identification-update-with-timer-after-worker-kill.json', import.meta.url));
    const events = historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))).events ?? [];
    const E = temporal.api.enums.v1.EventType;
    expect(Number(events.find((e) => Number(e.eventId) === 35)?.eventType)).toBe(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const last = Number(events.at(-1)?.eventId);
    // As a live case hit by the bug ends: a new task that a cold worker failed with the replay's error.
    const failed = [
      { eventId: last + 1, eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED },
      { eventId: last + 2, eventType: E.EVENT_TYPE_WORKFLOW_TASK_STARTED },
      {
        eventId: last + 3,
        eventType: E.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        workflowTaskFailedEventAttributes: {
          cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR,
          failure: { message: '[TMPRL1100] Nondeterminism error: Update machine does not handle this event: HistoryEvent(id: 36, ActivityTaskScheduled)' },
        },
      },
    ];
    expect(resetPoint([...events, ...failed] as never)).toBe(35);
    // A failure of another kind is not the watchdog's to repair.
    const other = { ...failed[2], workflowTaskFailedEventAttributes: { cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE } };
    expect(resetPoint([...events, failed[0], failed[1], other] as never)).toBeUndefined();
  });
});

describe('watchdog', () => {
  let services: Services;
  let connection: NativeConnection;
  const taskQueue = `watchdog-${randomUUID()}`;

  beforeAll(async () => {
    services = await startTestServices();
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection?.close();
    await services?.close();
    await services?.drop();
  });

  /**
   * A worker of that version on the test's queue, with no cache: every task replays the history. With
   * `runs`, a cache as in production, and its evictions for non-determinism reported to `runs`.
   */
  async function runWorker(version: 'v1' | 'v2', runs?: StuckRuns) {
    const worker = await Worker.create({
      connection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundle: await bundle(version),
      activities: { forkReached: async () => undefined },
      maxCachedWorkflows: runs ? 10 : 0,
    });
    runs?.watch(worker);
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
    };
  }

  const sweep = (workflowId: string) => sweepStuckCases({ client: services.temporal.client, namespace: inject('temporalNamespace'), db: services.db, log, query: `WorkflowId="${workflowId}"` });
  /** Stuck: the run's workflow task failed and is being tried again. */
  const stuck = (workflowId: string, runId: string) =>
    until(async () => {
      const desc = await services.temporal.client.workflowService.describeWorkflowExecution({ namespace: inject('temporalNamespace'), execution: { workflowId, runId } });
      return Number(desc.pendingWorkflowTask?.attempt ?? 0) > 1;
    });

  it('resets a case stuck on a non-determinism failure, and the case finishes with every note once', { timeout: 240_000 }, async () => {
    const client = services.temporal.client;
    const namespace = inject('temporalNamespace');
    const workflowId = `watchdog-case-${randomUUID()}`;

    const stopA = await runWorker('v1');
    const handle = await client.workflow.start('noteRecorder', { workflowId, taskQueue });
    await handle.signal(noteSignal, 'a'); // v1 reaches the fork: its timer is in the history
    expect(await handle.executeUpdate(noteUpdate, { args: ['u'] })).toBe(2);
    await handle.signal(noteSignal, 'b');
    await stopA();

    const stopB = await runWorker('v2');
    try {
      await handle.signal(noteSignal, 'c'); // B must replay the history of v1: its activity is not the timer
      const { runId } = await handle.describe();
      await stuck(workflowId, runId);

      const before = counted('reset');
      const repairs = await sweep(workflowId);
      expect(repairs).toEqual([expect.objectContaining({ workflowId, runId, outcome: 'reset' })]);
      expect(counted('reset')).toBe(before + 1);
      expect(lines).toContain('watchdog: reset a case stuck on a non-determinism failure');

      const current = client.workflow.getHandle(workflowId);
      await current.signal(noteSignal, 'done');
      const notes = await current.result();
      // Nothing lost, nothing doubled: the signals and the update after the reset point were delivered again, once.
      expect([...notes].sort()).toEqual(['a', 'b', 'c', 'done', 'u']);

      // The update came back as an admitted update of the new run (the server reapplied it), not as a new request.
      const events = (await current.fetchHistory()).events ?? [];
      const admitted = events.filter((e) => Number(e.eventType) === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED);
      expect(admitted.map((e) => e.workflowExecutionUpdateAdmittedEventAttributes?.request?.input?.name)).toEqual(['noteUpdate']);
      // The new run carries the watchdog's reason: should it fail again, the watchdog leaves it to an operator instead of looping.
      const reset = events.find((e) => Number(e.workflowTaskFailedEventAttributes?.cause) === temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
      expect(reset?.workflowTaskFailedEventAttributes?.failure?.message).toBe(RESET_REASON);

      const rows = await services.db.em().find(AuditEntry, { action: 'case_reset', processId: workflowId });
      expect(rows).toEqual([expect.objectContaining({ actorId: 'system', target: runId, outcome: 'ok' })]);
      const timeline = await caseHistory(client, workflowId, 'noteRecorder');
      expect(timeline.filter((e) => e.kind === 'repaired')).toHaveLength(1);

      // A second sweep finds nothing more to do.
      expect(await sweep(workflowId)).toEqual([]);
    } finally {
      await stopB();
    }
  });

  it('leaves a run its reset made that fails again to an operator, reported once, and the case goes on once fixed', { timeout: 240_000 }, async () => {
    const client = services.temporal.client;
    const workflowId = `watchdog-case-${randomUUID()}`;
    let stop = await runWorker('v1');
    const handle = await client.workflow.start('noteRecorder', { workflowId, taskQueue });
    await handle.signal(noteSignal, 'a');
    await handle.executeUpdate(noteUpdate, { args: ['u'] }); // by now v1's timer is in the history
    await stop();
    stop = await runWorker('v2');
    try {
      await handle.signal(noteSignal, 'b');
      const { runId } = await handle.describe();
      await stuck(workflowId, runId);
      const [repair] = await sweep(workflowId);
      expect(repair).toEqual(expect.objectContaining({ outcome: 'reset' }));
      const current = client.workflow.getHandle(workflowId);
      // v2 runs the new run past the fork; then a worker of the old code comes back and cannot replay it.
      const E = temporal.api.enums.v1.EventType;
      await until(async () => ((await current.fetchHistory()).events ?? []).some((e) => Number(e.eventType) === E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED));
      await stop();
      stop = await runWorker('v1');
      await current.signal(noteSignal, 'x');
      await stuck(workflowId, repair.newRunId!);

      const before = counted('gave_up');
      expect(await sweep(workflowId)).toEqual([expect.objectContaining({ runId: repair.newRunId, outcome: 'gave_up' })]);
      expect(counted('gave_up')).toBe(before + 1);
      expect(lines).toContain('watchdog: a case stuck on a non-determinism failure needs an operator (docs/known-issues.md)');
      expect(await sweep(workflowId)).toEqual([]); // reported once, not reset again
      const rows = await services.db.em().find(AuditEntry, { action: 'case_reset', processId: workflowId }, { orderBy: { at: 'ASC' } });
      expect(rows.map((r) => [r.target, r.outcome])).toEqual([
        [runId, 'ok'],
        [repair.newRunId, 'error'],
      ]);

      // The operator puts the right code back: the case runs on, every note once.
      await stop();
      stop = await runWorker('v2');
      await current.signal(noteSignal, 'done');
      expect([...(await current.result())].sort()).toEqual(['a', 'b', 'done', 'u', 'x']);
    } finally {
      await stop();
    }
  });

  it('looks at the run its worker could not replay, without sweeping every case, and resets it', { timeout: 240_000 }, async () => {
    const client = services.temporal.client;
    const workflowId = `watchdog-case-${randomUUID()}`;
    let stop = await runWorker('v1');
    const handle = await client.workflow.start('noteRecorder', { workflowId, taskQueue });
    await handle.signal(noteSignal, 'a');
    await handle.executeUpdate(noteUpdate, { args: ['u'] });
    await stop();
    // The worker of this process reports what it evicts for non-determinism (server/worker.ts does the same).
    const runs = new StuckRuns();
    stop = await runWorker('v2', runs);
    // Full sweeps never come (their interval is endless): only the reported run can be found.
    const stopWatchdog = startWatchdog(services, log, 1, { runs, fullSweepMs: Number.POSITIVE_INFINITY });
    try {
      await handle.signal(noteSignal, 'b');
      const { runId } = await handle.describe();
      await until(async () => (await client.workflow.getHandle(workflowId).describe()).runId !== runId);
      const rows = await services.db.em().find(AuditEntry, { action: 'case_reset', processId: workflowId });
      expect(rows).toEqual([expect.objectContaining({ target: runId, outcome: 'ok' })]);
      await client.workflow.getHandle(workflowId).signal(noteSignal, 'done');
      expect([...(await client.workflow.getHandle(workflowId).result())].sort()).toEqual(['a', 'b', 'done', 'u']);
      expect(runs.size).toBe(0); // repaired: no candidate any more
    } finally {
      await stopWatchdog();
      await stop();
    }
  });
});
