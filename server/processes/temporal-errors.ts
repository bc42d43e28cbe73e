/**
 * What Temporal answers, as the commands' refusals: the workflow's own refusals by their type
 * (contracts/steps.ts FAILURE), a closed or unknown case, the engine out of reach. Anything else is
 * not the caller's doing: it is passed on as it is, so that the API logs it and answers a generic 500
 * (server/errors.ts), never with Temporal's message.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE } from '../../contracts/steps';
import { Refusal, conflict, forbidden, notFound, ruleViolation, unavailable, type ErrorDetail } from '../commands/refusal';

const UNAVAILABLE = '流程引擎暂不可用，请稍后重试，本次操作未生效 (the workflow engine is unavailable; nothing was accepted)';

/** Temporal itself is out of reach (not: the workflow is unknown, or has no worker to answer a query). */
export function isUnavailable(err: unknown): boolean {
  return (err as { code?: number })?.code === 14 /* UNAVAILABLE */ || /UNAVAILABLE|ECONNREFUSED/.test((err as Error)?.message ?? '');
}

/** A call Temporal did not answer in time (the caller is told to send it again: events are taken once). */
const timedOut = (err: unknown) => (err as { code?: number })?.code === 4 /* DEADLINE_EXCEEDED */ || /deadline/i.test((err as Error)?.message ?? '');

/** The workflow's refusal of an update, by the failure type its validator gave. */
function refusalOfWorkflow(cause: ApplicationFailure): Refusal {
  switch (cause.type) {
    case FAILURE.conflict:
      return conflict(cause.message);
    case FAILURE.notFound:
      return notFound(cause.message);
    case FAILURE.forbidden:
      return forbidden(cause.message);
    default:
      // FAILURE.rule, and any other refusal by the workflow's own code: a business rule said no.
      return ruleViolation(cause.message, fieldsOf(cause.details));
  }
}

/** The field and rule a validator named (contracts/steps.ts FieldRefusal), as the answer's details. */
function fieldsOf(details: unknown[] | null | undefined): ErrorDetail[] {
  return (details ?? []).filter((d): d is ErrorDetail => typeof d === 'object' && d !== null && typeof (d as ErrorDetail).field === 'string' && typeof (d as ErrorDetail).rule === 'string' && typeof (d as ErrorDetail).message === 'string').map(({ field, rule, message }) => ({ field, rule, message }));
}

export function fromTemporal(err: unknown): Error {
  if (err instanceof Refusal) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    if (err.cause instanceof ApplicationFailure) return refusalOfWorkflow(err.cause);
    // Not the workflow's answer (a timed-out or cancelled update, a worker that lost it): nothing was accepted.
    return unavailable('本次操作未完成，请重试，本次操作未生效 (the update did not complete; nothing was accepted)');
  }
  const message = (err as Error)?.message ?? '';
  if (/already completed/i.test(message)) return conflict('流程已结束 (the case is closed)');
  if (err instanceof WorkflowNotFoundError) return notFound('流程不存在 (no such case)');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnavailable(err) || timedOut(err)) return unavailable(UNAVAILABLE);
  return err instanceof Error ? err : new Error(String(err));
}
