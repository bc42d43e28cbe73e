/**
 * When an administrator loads a newly published official holiday schedule, every open deadline that
 * was computed provisionally is recomputed by its own case (which records the change in its history).
 */
import { Process, Step } from '../../db';
import { recomputeDeadlinesSignal } from '../../contracts/messages';
import type { Services } from '../services';

const SYSTEM = { kind: 'user' as const, id: 'system', name: '系统 (system)', roles: ['admin' as const] };

export async function recomputeProvisionalDeadlines(services: Services): Promise<number> {
  const em = services.db.em();
  const steps = await em.find(Step, { status: 'open', provisional: true }, { fields: ['processId'] });
  const cases = await em.find(Process, { status: 'running', dueProvisional: true }, { fields: ['id'] });
  const ids = [...new Set([...steps.map((s) => s.processId), ...cases.map((c) => c.id)])];
  for (const id of ids) {
    await services.temporal.client.workflow
      .getHandle(id)
      .signal(recomputeDeadlinesSignal, { payload: {}, actor: SYSTEM, receivedAt: new Date().toISOString() })
      .catch(() => undefined); // a case that closed meanwhile needs nothing
  }
  return ids.length;
}
