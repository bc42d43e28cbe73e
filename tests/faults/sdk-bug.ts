/**
 * Recognises ONE known bug of the Temporal SDK's core (1.24.0, the newest release; the same shape as
 * temporalio/sdk-rust #943 and #1146), in the two ways the worker-kill fault test has met it, so that
 * the test can tell it apart from any failure of ours: a history that no longer replays
 * (isSdkUpdateOrderingBug). tests/replay.test.ts keeps a captured history and checks the recogniser on it.
 * (The same bug once also showed as a stale workflow clock in a projected timestamp; the cases no longer
 * read the workflow clock for what they write — workflows/case-clock.ts — so that face cannot show.)
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
