/**
 * How one case starts another (P1 approval → P2; P3 → P1 for an unmonitored household; P2/P5 → P4): an
 * activity starts it through the start command, as the system on behalf of the person who decided.
 * Idempotent: if the follow-up exists already (a retried activity, or someone started it by hand), its
 * id is the answer.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Services } from '../services';
import { Refusal } from '../commands/refusal';
import { start, systemActor } from '../commands/start';
import { alert } from '../commands/alert';
import type { RaiseAlert } from '../../activities';
import { CaseExists } from './start';

export type StartCase = (type: string, input: Record<string, unknown>, startedBy: { id: string; name: string }) => Promise<{ id: string; existing: boolean }>;

export function caseStarter(services: () => Services): StartCase {
  return async (type, input, startedBy) => {
    try {
      const started = await (await start(services(), systemActor(startedBy), { type, input })).run();
      return { id: started.id, existing: false };
    } catch (err) {
      if (err instanceof CaseExists && err.processId) return { id: err.processId, existing: true };
      // Retrying will not change the answer; the workflow records the refusal and goes on.
      if (err instanceof Refusal && err.kind !== 'unavailable') throw ApplicationFailure.nonRetryable(`${type}: ${err.message}`, 'FollowUpRefused');
      throw err;
    }
  };
}

/**
 * How a case raises a department alert (a confirmed data-exchange warning): through the alert command,
 * as the system on behalf of the person who confirmed it; the event id makes a retried activity count once.
 */
export function alertRaiser(services: () => Services): RaiseAlert {
  return async ({ alert: input, eventId, onBehalfOf }) => {
    try {
      return await (await alert(services(), systemActor(onBehalfOf), input)).run({ eventId });
    } catch (err) {
      if (err instanceof Refusal && err.kind !== 'unavailable') throw ApplicationFailure.nonRetryable(`alert: ${err.message}`, 'AlertRefused');
      throw err;
    }
  };
}
