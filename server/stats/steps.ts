/**
 * Step figures: open steps, those due soon (within two working days) and those overdue, as the step
 * list shows them to the same caller (GET /api/steps with status, overdue and dueBefore filters).
 */
import type { EntityManager } from '../../db';
import type { Where } from '../lists';
import { groupedCounts, instant, type GroupBy } from './query';

export const STEP_FIGURES = ['openSteps', 'dueSoonSteps', 'overdueSteps'] as const;

/**
 * `now`: the moment of the count; `dueSoonBefore`: the end of the last day that counts as due soon
 * (server/stats/monitoring.ts computes it from the working-day calendar). An open step is overdue once
 * its due time has passed, due soon until then if it falls before `dueSoonBefore`.
 */
export async function stepFigures(em: EntityManager, groupBy: GroupBy, scope: Where, now: Date, dueSoonBefore: Date) {
  const rows = await groupedCounts(em, 'step', groupBy, { $and: [scope, { status: 'open' }] }, {
    openSteps: ['1 = 1'],
    overdueSteps: ['s.due_at < ?', [instant(em, now)]],
    dueSoonSteps: ['s.due_at >= ? and s.due_at < ?', [instant(em, now), instant(em, dueSoonBefore)]],
  });
  return rows;
}
