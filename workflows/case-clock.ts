/**
 * The case's clock: every time a case writes (a step opened, completed or overdue, an event in its
 * timeline, the case closed) is the time of the event it is handling — the case's start, a person's
 * submission (stamped by the API when it was received), a signal's arrival, the due time a timer was
 * set for — never a clock read inside the workflow. Those times are in the history, so a replay, a
 * retried workflow task or a rebuild of the read model computes exactly the same values.
 *
 * (`Date.now()` in a workflow is the start time of the workflow task being run; a task retried after a
 * server restart or a worker's death starts at another time, and its local projection may already
 * have been stored with the first one.) Never goes backwards: a submission stamped by a server whose
 * clock is a little behind does not move the case into the past.
 *
 * Cases started before this clock existed keep reading the workflow clock (patched('case-clock')).
 */
import { patched, workflowInfo } from '@temporalio/workflow';

export class CaseClock {
  /** False for cases started before this clock existed: they read the workflow clock. */
  readonly logical: boolean;
  private ms: number;

  /** Starts at the time this run was started (its WorkflowExecutionStarted event: in the history). */
  constructor() {
    this.logical = patched('case-clock');
    this.ms = workflowInfo().startTime.getTime();
  }

  /** The time of the event being handled (ISO 8601). */
  now(): string {
    return new Date(this.logical ? this.ms : Date.now()).toISOString();
  }

  nowMs(): number {
    return this.logical ? this.ms : Date.now();
  }

  /** The case handles an event that happened at `at` (ISO 8601 or epoch ms); earlier times are ignored. */
  advanceTo(at: string | number | undefined): void {
    if (at === undefined) return;
    const t = typeof at === 'number' ? at : Date.parse(at);
    if (Number.isFinite(t) && t > this.ms) this.ms = t;
  }
}
