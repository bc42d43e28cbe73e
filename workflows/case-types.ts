/**
 * The shapes a case hands to others: what a child answers its parent, what a long-lived case carries
 * into its next run, and an open step the process body waits on.
 */
import type { CaseState, StepInstance } from '../contracts/steps';
import type { DueRule } from '../contracts/due';
import type { Deadline } from './deadline';
import type { StepOptions, Submission } from './offers';

/**
 * What a child case answers its parent when it ends: how it ended, not its whole state (the parent's
 * history keeps every child's answer; a village part's hundred visits would carry ~3 KB each).
 */
export interface CaseEnd {
  processId: string;
  status: CaseState['status'];
  outcome?: CaseState['outcome'];
}
export const endOf = (state: CaseState<any>): CaseEnd => ({ processId: state.processId, status: state.status, outcome: state.outcome });

/** What a long-lived case carries into its next run (continue-as-new). */
export interface CarriedCase<D> {
  state: CaseState<D>;
  seenEventIds: string[];
  counters: [string, number][];
}

/** An open step: the main flow awaits `completion()`; the update handler fills it. */
export class OpenStep<F> {
  submission?: Submission<F>;
  timer?: Deadline;
  constructor(
    readonly instance: StepInstance,
    readonly rule: DueRule,
    readonly options: StepOptions<F>,
    /** The instant the due rule counts from (the opening time unless the process says otherwise). */
    readonly dueFrom: string = instance.openedAt,
  ) {}
  get isOpen(): boolean {
    return this.instance.status === 'open';
  }
  get isSubmitted(): boolean {
    return this.submission !== undefined;
  }
}

