/**
 * Start a case: `POST /api/processes` by a user or an API key, a dead letter replayed, a follow-up
 * started by another case (as the system). One open case per subject: a second start is refused with
 * the open one's id (`CaseAlreadyOpen` from server/processes/start.ts).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { processType } from '../../processes';
import { mayStart } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { Services } from '../services';
import { startProcess, type Started } from '../processes/start';
import { validateAgainst } from '../processes/validate';
import { fromTemporal } from '../processes/temporal-errors';
import type { Attempt, Ready } from './command';
import { forbidden, notFound } from './refusal';
import { attachEvidence, stepEvidence } from '../files/step-files';
import type { EvidenceRef } from '../../contracts/steps';

export interface StartInput {
  type: string;
  /** Checked against the type's start schema. */
  input: unknown;
}

export async function start(services: Services, actor: Actor, { type, input }: StartInput): Promise<Ready<Started>> {
  const def = processType(type);
  if (!def) throw notFound(`未知流程类型 ${type} (unknown process type)`);
  if (!mayStart(actor, def)) {
    throw forbidden(actor.kind === 'integration' ? `接口密钥无权发起${def.title.zh} (the API key lacks start:${def.type})` : `无权发起${def.title.zh} (your role may not start this process)`);
  }
  validateAgainst(def.startSchema, input, 'input');
  // Files the start form names (e.g. a rebuilding's photos): the starter's own uploads, then the new case's.
  const use = { processId: '', type: def.type, stepKey: 'start' };
  const files = await stepEvidence(services, actor, use, def.startSchema, input as Record<string, unknown>, 'input.');
  return {
    async run(attempt = {}) {
      const started = await startOnce(services, actor, def.type, input, attempt, files);
      await attachEvidence(services, { ...use, processId: started.id }, files);
      return started;
    },
  };
}

/**
 * Safe to repeat after a crash: an attempt taking over from a crashed one answers with the case that
 * one reserved, if Temporal has it, instead of starting another.
 */
export async function startOnce(services: Services, actor: Actor, type: string, input: Record<string, unknown>, attempt: Attempt, files: EvidenceRef[] = []): Promise<Started> {
  const reserved = typeof attempt.reserved?.processId === 'string' ? attempt.reserved.processId : undefined;
  if (reserved) {
    try {
      const desc = await services.temporal.client.workflow.getHandle(reserved).describe();
      return { id: reserved, runId: desc.runId, type };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && (err as Error).name !== 'WorkflowNotFoundError') throw fromTemporal(err);
      // Reserved but never started: start now (the stale open-case guard is cleared by startProcess).
    }
  }
  return startProcess(services, actor, type, input, { reserve: (processId) => attempt.reserve?.({ processId }) ?? Promise.resolve(), files });
}

/** Who starts a follow-up case: the system, on behalf of the person whose decision it follows. */
export function systemActor(onBehalfOf: { name: string }): Actor {
  return { kind: 'user', id: 'system', name: `系统（代 ${onBehalfOf.name}）`, roles: ['admin'] };
}
