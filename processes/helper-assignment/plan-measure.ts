/**
 * A measure into a household's 一户一策 plan from another process (illness relief's medical measure, a
 * department's warning for a household already monitored): P2's `addMeasure` signal to the household's
 * open P2 case, deduplicated there by event id, so a retried activity adds it once. Without an open P2
 * case the answer says why, and the caller keeps the measure for a person to carry over.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../db';
import { OpenCase } from '../../db';
import type { Actor } from '../../contracts/roles';
import type { SignalEnvelope } from '../../contracts/steps';
import { HELPER_ASSIGNMENT, type MeasureInput } from './contract';

const systemActor = (name: string): Actor => ({ kind: 'user', id: 'system', name, roles: ['admin'] });

export function systemEnvelope<P>(payload: P, name: string, eventId: string): SignalEnvelope<P> {
  return { payload, actor: systemActor(name), eventId, receivedAt: new Date().toISOString() };
}

const closedOrGone = (err: unknown) => {
  const e = err as Error;
  return e?.name === 'WorkflowNotFoundError' || /not found|already completed/i.test(e?.message ?? '');
};

export interface PlanMeasureResult {
  helperProcessId?: string;
  reason?: string;
}

/** `client` is asked for only when there is a case to signal. */
export async function addMeasureToPlan(db: Db, client: () => Pick<Client, 'workflow'>, m: { householdId: string; eventId: string; source: string; measure: MeasureInput }): Promise<PlanMeasureResult> {
  const guard = await db.em().findOne(OpenCase, { type: HELPER_ASSIGNMENT.type, subject: m.householdId });
  if (!guard) return { reason: '该户没有办理中的帮扶流程 (no open helper assignment case)' };
  try {
    await client().workflow.getHandle(guard.processId).signal(HELPER_ASSIGNMENT.signals.addMeasure.definition, systemEnvelope(m.measure, m.source, m.eventId));
  } catch (err) {
    if (closedOrGone(err)) return { reason: `帮扶流程 ${guard.processId} 已结束 (the helper assignment case is closed)` };
    throw err;
  }
  return { helperProcessId: guard.processId };
}
