/** Maps what Temporal answers to the API's statuses: validator refusals, closed cases, outages. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE } from '../../contracts/steps';
import { HttpError, conflict, forbidden, notFound, ruleViolation, unavailable } from '../errors';

export function fromTemporal(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      switch (cause.type) {
        case FAILURE.rule:
          return ruleViolation(cause.message);
        case FAILURE.conflict:
          return conflict(cause.message);
        case FAILURE.notFound:
          return notFound(cause.message);
        case FAILURE.forbidden:
          return forbidden(cause.message);
      }
    }
    // Any other refusal by the workflow's own code is a business refusal; a failure that is not the
    // workflow's (a timed-out or cancelled update, a worker that lost it) means nothing was accepted.
    if (cause instanceof ApplicationFailure) return ruleViolation(cause.message);
    return unavailable(`本次操作未完成，请重试 (the update did not complete: ${cause?.message ?? err.message}; nothing was accepted)`);
  }
  if (err instanceof WorkflowNotFoundError) return conflict('流程已结束或不存在 (the case is closed or unknown)');
  const message = (err as Error)?.message ?? String(err);
  if (/workflow execution already completed|already completed/i.test(message)) return conflict('流程已结束 (the case is closed)');
  const code = (err as { code?: number })?.code;
  if (code === 14 /* UNAVAILABLE */ || code === 4 /* DEADLINE_EXCEEDED */ || /UNAVAILABLE|ECONNREFUSED|deadline/i.test(message)) {
    return unavailable('流程引擎暂不可用，请稍后重试，本次操作未生效 (Temporal is unavailable; nothing was accepted)');
  }
  return new HttpError(500, 'internal', message);
}
