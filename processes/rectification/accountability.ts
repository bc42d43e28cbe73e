/**
 * A rectification's 问责 in the district's 约谈/问责 list (GET /api/accountability): every re-check that
 * judged the fix false or perfunctory and recorded who is held accountable becomes one record (source
 * `rectification`, id `<case>#<round>`), written by the read model with the case (activities/read-model.ts),
 * for the case's town and the fixing department. Idempotent: a record is rewritten from the case's state.
 */
import type { CaseState, StepInstance } from '../../contracts/steps';
import { AccountabilityRecord, type EntityManager } from '../../db';
import type { Accountability, RecheckForm } from './contract';

type Entry = Accountability & { round: number; department?: string };

export const ACCOUNTABILITY_SOURCE = 'rectification';

/** The records of the case's rejected re-checks, oldest first (each with its round's re-check, where the case still holds it). */
export function rectificationRecords(state: CaseState) {
  const entries = (state.data.accountability as Entry[] | undefined) ?? [];
  const rejections = state.steps.filter((s): s is StepInstance & { result: RecheckForm } => s.key === 'recheck' && s.status === 'done' && (s.result as RecheckForm | undefined)?.decision === 'reject');
  return entries.map((a) => {
    const recheck = rejections[a.round - 1];
    return {
      id: `${state.processId}#${a.round}`,
      kind: 'accountability',
      source: ACCOUNTABILITY_SOURCE,
      target: a.who,
      reason: `整改复核不通过（第 ${a.round} 次，${a.department ?? '责任部门'}整改）：${recheck?.result.reason ?? '虚假整改、敷衍整改'}`,
      decidedOn: a.decidedOn,
      measure: a.measure,
      processIds: [state.processId],
      recordedBy: recheck?.completedBy?.id ?? '',
      recordedByName: recheck?.completedBy?.name ?? '',
      createdAt: new Date(recheck?.completedAt ?? `${a.decidedOn}T00:00:00+08:00`),
      towns: [state.town],
      departments: a.department ? [a.department] : [],
    };
  });
}

/** Store the case's records (inside the projection's transaction). */
export async function projectRectificationAccountability(em: EntityManager, state: CaseState): Promise<void> {
  const records = rectificationRecords(state);
  if (!records.length) return;
  const stored = new Map((await em.find(AccountabilityRecord, { id: { $in: records.map((r) => r.id) } })).map((r) => [r.id, r]));
  for (const r of records) {
    const found = stored.get(r.id);
    if (found) em.assign(found, r);
    else em.create(AccountabilityRecord, r);
  }
  await em.flush();
}
