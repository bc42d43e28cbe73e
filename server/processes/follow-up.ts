/**
 * How one case starts another (P1 approval → P2; P3 → P1 for an unmonitored household): an activity
 * calls this with the system as the actor. Idempotent: if the follow-up is already open (a retried
 * activity, or someone started it by hand), its id is the answer.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../../contracts/roles';
import type { Services } from '../services';
import { HttpError } from '../errors';
import { startProcess } from './start';

export type StartCase = (type: string, input: Record<string, unknown>, startedBy: { id: string; name: string }) => Promise<{ id: string; existing: boolean }>;

export function caseStarter(services: () => Services): StartCase {
  return async (type, input, startedBy) => {
    const actor: Actor = { kind: 'user', id: 'system', name: `系统（代 ${startedBy.name}）`, roles: ['admin'] };
    try {
      const started = await startProcess(services(), actor, type, input);
      return { id: started.id, existing: false };
    } catch (err) {
      if (err instanceof HttpError && err.status === 409 && typeof err.extra.id === 'string') return { id: err.extra.id, existing: true };
      if (err instanceof HttpError && err.status < 500) {
        throw ApplicationFailure.nonRetryable(`${type}: ${err.message}`, 'FollowUpRefused');
      }
      throw err;
    }
  };
}
