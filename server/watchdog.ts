/**
 * The watchdog: finds running cases whose history no longer replays and repairs them on its own.
 *
 * Why: a known bug of the Temporal SDK's core (docs/known-issues.md) can leave a live case whose history
 * a cold worker cannot replay; from then on every workflow task of the case fails with a non-determinism
 * error and the case is stuck until someone resets it. Every `WATCHDOG_INTERVAL_SECONDS` (default 60,
 * 0 turns it off) the watchdog looks at the runs this process's worker evicted for non-determinism
 * (server/stuck-runs.ts), and once a day at every running workflow of the namespace (a visibility list
 * query); for each whose pending workflow task is on its second attempt or later (describe) it reads the
 * history: when the latest `WorkflowTaskFailed` has the cause NON_DETERMINISTIC_ERROR, the case is reset
 * to the last completed workflow task before the first event the failure names (before the failure,
 * when it names none), with signals AND updates received after that point reapplied. Each repair is
 * audited (`case_reset`, actor system), logged (ids only, no personal data), counted
 * (`fangfan_case_resets_total`, server/metrics.ts), and shows in the case's timeline (the reset's
 * `WorkflowTaskFailed` event, server/processes/history.ts). A run that a watchdog reset produced and that
 * fails again is left to an operator (outcome `gave_up`, reported once per process): resetting it again would loop.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import proto, { type temporal as protoTypes } from '@temporalio/proto';

// (a CommonJS module: Node's ESM loader sees its default export only, not its named ones)
const { temporal } = proto;
import { audit } from './audit';
import { countCaseReset, type CaseResetOutcome } from './metrics';
import type { Services } from './services';
import { stuckRuns, type StuckRuns } from './stuck-runs';

type Event = protoTypes.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;
const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;

/** The reason recorded on the reset (Temporal UI, the case's timeline); it marks the watchdog's own resets. */
export const RESET_REASON = '看护程序自动修复：案件的工作流任务因非确定性错误反复失败 (watchdog: reset after a non-determinism failure)';
const SYSTEM = { kind: 'user' as const, id: 'system', name: '系统看护 (watchdog)' };
/** Runs this process already reported as given up: they stay stuck until an operator acts, reported once. */
const givenUp = new Set<string>();
/** How many cases are described at once: the sweep must not crowd the API's own calls to Temporal. */
const CONCURRENCY = 4;

export interface WatchdogLog {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface CaseRepair {
  workflowId: string;
  runId: string;
  outcome: CaseResetOutcome;
  /** The WorkflowTaskCompleted event reset to (`reset`). */
  resetToEventId?: number;
  newRunId?: string;
  error?: string;
}

export interface SweepOptions {
  client: Client;
  namespace: string;
  db: Services['db'];
  log: WatchdogLog;
  /** Visibility query of the workflows to look at. Default: every running one of the namespace. */
  query?: string;
}

const num = (v: unknown) => Number(v ?? 0);
const isType = (e: Event, t: number) => num(e.eventType) === t;
const failedAttrs = (e: Event) => e.workflowTaskFailedEventAttributes;
const isNonDeterminism = (e: Event) => isType(e, E.EVENT_TYPE_WORKFLOW_TASK_FAILED) && num(failedAttrs(e)?.cause) === Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR;

/** "… HistoryEvent(id: 9, TimerStarted)": the first history event the SDK could not match to the code. */
const NAMED_EVENT = /HistoryEvent\(id: (\d+)/;

/**
 * The WorkflowTaskCompleted event to reset to, or undefined when the history is not one to repair.
 * The non-determinism failures at the end of the history (the task's first attempts; later attempts are
 * not written) follow the last good task; the first of them names the event the code no longer matches
 * (the command that task produced): reset to the last task completed before that event, so that the task
 * that produced it runs again on the code of today.
 */
export function resetPoint(events: Event[]): number | undefined {
  const failed = events.filter((e) => isType(e, E.EVENT_TYPE_WORKFLOW_TASK_FAILED));
  const latest = failed.at(-1);
  if (!latest || !isNonDeterminism(latest)) return undefined;
  const lastCompleted = [...events].reverse().find((e) => isType(e, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
  const firstFailure = failed.find((e) => isNonDeterminism(e) && num(e.eventId) > num(lastCompleted?.eventId)) ?? latest;
  const named = NAMED_EVENT.exec(failedAttrs(firstFailure)?.failure?.message ?? '');
  const before = named ? Number(named[1]) : num(firstFailure.eventId);
  const point = [...events].reverse().find((e) => isType(e, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) && num(e.eventId) < before);
  return point ? num(point.eventId) : undefined;
}

/** This run was made by a watchdog reset (its history holds the reset's failed workflow task with our reason). */
function madeByWatchdog(events: Event[]): boolean {
  return events.some((e) => isType(e, E.EVENT_TYPE_WORKFLOW_TASK_FAILED) && num(failedAttrs(e)?.cause) === Cause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW && failedAttrs(e)?.failure?.message === RESET_REASON);
}

/** Look at one running workflow; repair it when it is stuck on a non-determinism failure. */
async function inspect(opts: SweepOptions, wf: Pick<WorkflowExecutionInfo, 'workflowId' | 'runId'>): Promise<CaseRepair | undefined> {
  const { client, namespace } = opts;
  const execution = { workflowId: wf.workflowId, runId: wf.runId };
  const desc = await client.workflowService.describeWorkflowExecution({ namespace, execution });
  if (num(desc.pendingWorkflowTask?.attempt) <= 1) return undefined;
  const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
  const events = history.events ?? [];
  const point = resetPoint(events);
  if (point === undefined) return undefined;
  if (madeByWatchdog(events)) {
    if (givenUp.has(wf.runId)) return undefined;
    givenUp.add(wf.runId);
    return { ...execution, outcome: 'gave_up', error: 'the run a watchdog reset made fails again' };
  }
  let newRunId: string;
  try {
    // fromObject: the event id as the int64 the request carries.
    const request = temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest.fromObject({
      namespace,
      workflowExecution: execution,
      reason: RESET_REASON,
      workflowTaskFinishEventId: point,
      // The same request from two API instances (or a retried sweep) is one reset.
      requestId: `watchdog-${wf.runId}-${point}`,
      // Signals and updates received after the reset point are delivered again (none is lost); only those
      // after the point are, so none is doubled. Nothing is excluded (the server's default excludes nothing).
      resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
      resetReapplyExcludeTypes: [],
    });
    const reset = await client.workflowService.resetWorkflowExecution(request);
    newRunId = reset.runId ?? '';
  } catch (err) {
    return { ...execution, outcome: 'failed', resetToEventId: point, error: err instanceof Error ? err.message : String(err) };
  }
  return { ...execution, outcome: 'reset', resetToEventId: point, newRunId };
}

async function record(opts: SweepOptions, r: CaseRepair): Promise<void> {
  countCaseReset(r.outcome);
  const ids = { workflowId: r.workflowId, runId: r.runId };
  if (r.outcome === 'reset') opts.log.info({ ...ids, resetToEventId: r.resetToEventId, newRunId: r.newRunId }, 'watchdog: reset a case stuck on a non-determinism failure');
  else opts.log.error({ ...ids, error: r.error }, 'watchdog: a case stuck on a non-determinism failure needs an operator (docs/known-issues.md)');
  await audit(opts.db, {
    actor: SYSTEM,
    action: 'case_reset',
    processId: r.workflowId,
    target: r.runId,
    outcome: r.outcome === 'reset' ? 'ok' : 'error',
    detail: { outcome: r.outcome, ...(r.resetToEventId ? { resetToEventId: r.resetToEventId } : {}), ...(r.newRunId ? { newRunId: r.newRunId } : {}), ...(r.error ? { error: r.error } : {}) },
  });
}

/** One sweep over the running workflows: the repairs it made (or could not make). */
export async function sweepStuckCases(opts: SweepOptions): Promise<CaseRepair[]> {
  const repairs: CaseRepair[] = [];
  const pending = new Set<Promise<void>>();
  const one = async (wf: WorkflowExecutionInfo) => {
    let r: CaseRepair | undefined;
    try {
      r = await inspect(opts, wf);
    } catch (err) {
      // A case that closed meanwhile answers NotFound: the next sweep sees how it is now.
      opts.log.error({ workflowId: wf.workflowId, runId: wf.runId, error: err instanceof Error ? err.message : String(err) }, 'watchdog: could not look at a case');
      return;
    }
    if (!r) return;
    repairs.push(r);
    await record(opts, r);
  };
  for await (const wf of opts.client.workflow.list({ query: opts.query ?? 'ExecutionStatus="Running"' })) {
    const p = one(wf).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= CONCURRENCY) await Promise.race(pending);
  }
  await Promise.all(pending);
  return repairs;
}

/** How often the watchdog looks at every running case, beside the runs this process's worker reported. */
export const FULL_SWEEP_MS = 24 * 3_600_000;

/** The visibility query of some runs (run ids are UUIDs: nothing to escape). */
export const runsQuery = (runIds: string[]) => `ExecutionStatus="Running" AND RunId IN (${runIds.map((r) => `'${r}'`).join(', ')})`;

/**
 * Every `intervalSeconds` (one turn at a time) until the returned stop is called: the runs the worker of
 * this process evicted for non-determinism (server/stuck-runs.ts) are looked at; every running case is
 * looked at on the first turn and then once a day (FULL_SWEEP_MS), for cases a worker elsewhere saw. A
 * sweep over every case costs one DescribeWorkflowExecution per case: at a district's tens of thousands
 * of open cases, not something to do every minute.
 */
export function startWatchdog(
  services: Services,
  log: WatchdogLog,
  intervalSeconds: number,
  { runs = stuckRuns, fullSweepMs = FULL_SWEEP_MS }: { runs?: StuckRuns; fullSweepMs?: number } = {},
): () => Promise<void> {
  const opts: SweepOptions = { client: services.temporal.client, namespace: services.temporal.namespace, db: services.db, log };
  let running: Promise<unknown> | undefined;
  let lastFullSweep = 0;
  const turn = async () => {
    const full = Date.now() - lastFullSweep >= fullSweepMs;
    const candidates = runs.turn();
    if (!full && !candidates.length) return;
    if (full) lastFullSweep = Date.now();
    const repairs = await sweepStuckCases(full ? opts : { ...opts, query: runsQuery(candidates) });
    for (const r of repairs) runs.settled(r.runId);
  };
  const go = () => {
    if (running) return; // the last turn is still going: skip this one
    running = turn()
      .catch((err) => log.error({ error: err instanceof Error ? err.message : String(err) }, 'watchdog: the sweep failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(go, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
