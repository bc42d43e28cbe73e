/**
 * Recognises ONE known bug of the Temporal SDK's core (1.24.0, the newest release; the same shape as
 * temporalio/sdk-rust #943 and #1146), in the two ways the worker-kill fault test has met it, so that
 * the test can tell it apart from any failure of ours: a history that no longer replays
 * (isSdkUpdateOrderingBug) and a case projected with a stale clock (isSdkStaleClock, below).
 * tests/replay.test.ts keeps a captured history of each and checks the recognisers on them.
 *
 * What happens: the worker is killed while a case has a workflow task pending that carries both new
 * events (a timer fired, an activity completed) and a step update. The task times out on the dead
 * worker's sticky queue and a new (cold) worker takes it: it runs the events first, which schedules an
 * activity (event N, ActivityTaskScheduled), and accepts the update after (event N+1,
 * WorkflowExecutionUpdateAccepted). Replaying that history later delivers the update first, and the
 * replay fails with "[TMPRL1100] … Update machine does not handle this event: HistoryEvent(id: N,
 * ActivityTaskScheduled)". The live case is correct; only its replay fails.
 *
 * The recogniser is strict: the error must name event N as ActivityTaskScheduled, the history must have
 * the update accepted right after it, in a workflow task completed by another worker than the one before,
 * after a workflow task that timed out or failed (the kill). Anything else is not this bug.
 */
import { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;
const T = {
  activityScheduled: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  updateAccepted: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  taskCompleted: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  taskTimedOut: E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  taskFailed: E.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  taskStarted: E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  timerFired: E.EVENT_TYPE_TIMER_FIRED,
  activityCompleted: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
};

const MESSAGE = /Update machine does not handle this event: HistoryEvent\(id: (\d+), ActivityTaskScheduled\)/;

export function isSdkUpdateOrderingBug(error: unknown, events: Event[]): boolean {
  const m = MESSAGE.exec(String((error as Error)?.message ?? error));
  if (!m) return false;
  const n = Number(m[1]);
  const at = (id: number) => events.find((e) => Number(e.eventId) === id);
  if (Number(at(n)?.eventType) !== T.activityScheduled || Number(at(n + 1)?.eventType) !== T.updateAccepted) return false;
  const completed = at(n - 1);
  if (Number(completed?.eventType) !== T.taskCompleted) return false;
  // The workflow task before it: completed by another worker, with a timed-out or failed task between.
  const before = events.filter((e) => Number(e.eventId) < n - 1);
  const previous = [...before].reverse().find((e) => Number(e.eventType) === T.taskCompleted);
  if (!previous) return false;
  const between = before.filter((e) => Number(e.eventId) > Number(previous.eventId));
  const lost = between.some((e) => Number(e.eventType) === T.taskTimedOut || Number(e.eventType) === T.taskFailed);
  const identity = (e: Event | undefined) => e?.workflowTaskCompletedEventAttributes?.identity ?? '';
  return lost && identity(previous) !== identity(completed);
}

/**
 * The same bug seen from the read model (recorded in tests/histories-upstream-bug/
 * identification-stale-clock-after-worker-kill.json): a workflow task carried a timer or an activity
 * result together with a step update (the trigger above); later a cold worker took the case over, and in
 * its first activation the workflow clock (`Date.now()`, which only the SDK sets) still read the
 * completion time of a local activity the worker had replayed, from before the kill: the timer that
 * fired 26 s later stamped the case overdue at that stale time. The live case projected that time; a
 * replay of the whole history computes the task's real start time. So the rows rebuilt by replay differ
 * from the live ones in timestamps only.
 *
 * Strict: every differing field holds a timestamp on both sides; each live value is, to the
 * millisecond, the completion time of a local activity recorded before the first workflow task of
 * another worker, and each rebuilt value is the start time of a later workflow task; and the history has
 * the trigger: a workflow task whose new events include a timer fired or an activity completed and that
 * accepted an update, completed by another worker than a later task. Anything else is not this bug.
 */
type Rows = { process?: Record<string, unknown>; steps: Record<string, unknown>[] };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

function differences(live: Rows, rebuilt: Rows): { live: unknown; rebuilt: unknown }[] | undefined {
  const out: { live: unknown; rebuilt: unknown }[] = [];
  const compare = (a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean => {
    if (!a || !b) return a === b;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push({ live: a[k], rebuilt: b[k] });
    }
    return true;
  };
  if (!compare(live.process, rebuilt.process) || live.steps.length !== rebuilt.steps.length) return undefined;
  for (let i = 0; i < live.steps.length; i++) {
    if (live.steps[i].stepId !== rebuilt.steps[i].stepId || !compare(live.steps[i], rebuilt.steps[i])) return undefined;
  }
  return out;
}

export function isSdkStaleClock(live: Rows, rebuilt: Rows, events: Event[]): boolean {
  const diffs = differences(live, rebuilt);
  if (!diffs?.length || !diffs.every((d) => typeof d.live === 'string' && ISO.test(d.live) && typeof d.rebuilt === 'string' && ISO.test(d.rebuilt))) return false;
  const identity = (e: Event) => e.workflowTaskCompletedEventAttributes?.identity ?? '';
  const completed = events.filter((e) => Number(e.eventType) === T.taskCompleted);
  // The trigger: a task with a timer fired or an activity result among its new events that accepted an update.
  const trigger = completed.find((task, i) => {
    const before = i > 0 ? Number(completed[i - 1].eventId) : 0;
    const news = events.filter((e) => Number(e.eventId) > before && Number(e.eventId) < Number(task.eventId));
    const next = events.find((e) => Number(e.eventId) === Number(task.eventId) + 1);
    return Number(next?.eventType) === T.updateAccepted && news.some((e) => Number(e.eventType) === T.timerFired || Number(e.eventType) === T.activityCompleted);
  });
  if (!trigger) return false;
  const takeover = completed.find((e) => Number(e.eventId) > Number(trigger.eventId) && identity(e) !== identity(trigger));
  if (!takeover) return false;
  const staleTimes = new Set(
    events
      .filter((e) => Number(e.eventId) < Number(takeover.eventId) && e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => {
        const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
        const marker = data ? JSON.parse(Buffer.from(data).toString('utf8')) : {};
        return ms(marker.complete_time);
      }),
  );
  const taskStarts = new Set(events.filter((e) => Number(e.eventType) === T.taskStarted && Number(e.eventId) > Number(trigger.eventId)).map((e) => ms(e.eventTime)));
  return diffs.every((d) => staleTimes.has(Date.parse(d.live as string)) && taskStarts.has(Date.parse(d.rebuilt as string)) && Date.parse(d.rebuilt as string) > Date.parse(d.live as string));
}
