/**
 * The Temporal message contract every case speaks. Defined once; the workflows, the worker, the API
 * and the tests import these definitions, so no message name is ever repeated as a string.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelArgs, CaseState, CompleteStepArgs, SignalEnvelope } from './steps';

/** Live state of a case (`GET /api/processes/{id}` → `state`). */
export const stateQuery = defineQuery<CaseState>('state');

/** Complete an open step with its form. Validator refusals come back as 422/409/403 (see FAILURE). */
export const completeStepUpdate = defineUpdate<CaseState, [CompleteStepArgs]>('completeStep');

/**
 * Answered once the case is quiet: its body has begun and every flow waits (its first steps are open, or it
 * waits on time or a message, or it has ended), and the read model has stored it. Sent with the start
 * (update-with-start), so a 201 means the steps it opened can be completed at once.
 */
export const settledUpdate = defineUpdate<CaseSettled, []>('settled');

export interface CaseSettled {
  status: CaseState['status'];
  openSteps: string[];
}

/** Close a running case as cancelled, with the reason audited. */
export const cancelCaseUpdate = defineUpdate<CaseState, [CancelArgs]>('cancelCase');

/**
 * Re-run the deadline computation of every open step whose deadline is provisional (sent when an
 * administrator loads a newly published official holiday schedule).
 */
export const recomputeDeadlinesSignal = defineSignal<[SignalEnvelope<Record<string, never>>]>('recomputeDeadlines');
