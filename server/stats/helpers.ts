/**
 * P2 figures from its steps: helpers named in the period (and within the 10 working days), and visit
 * compliance, months visited over months due, for the months whose visit opened in the period (a
 * month is due once its visit was made or its deadline passed; visits stopped by an elimination are
 * not due).
 */
import type { EntityManager } from '../../db';
import { HELPER_ASSIGNMENT } from '../../processes/helper-assignment/contract';
import type { Where } from '../lists';
import { groupedCounts, instant, type GroupBy, type Period } from './query';

export const HELPER_FIGURES = ['helpersAssigned', 'helpersAssignedOnTime', 'visitsDue', 'visitsDone'] as const;
const { assignHelper, monthlyVisit } = HELPER_ASSIGNMENT.steps;

export async function helperFigures(em: EntityManager, groupBy: GroupBy, scope: Where, p: Period, now: Date) {
  const [start, end, at] = [instant(em, p.start), instant(em, p.end), instant(em, now)];
  const completed = `s.status = 'done' and s.completed_at >= ? and s.completed_at < ?`;
  const opened = `s.opened_at >= ? and s.opened_at < ?`;
  const where = { $and: [scope, { processType: HELPER_ASSIGNMENT.type, stepKey: { $in: [assignHelper.key, monthlyVisit.key] }, status: { $ne: 'cancelled' } }] };
  const rows = await groupedCounts(
    em,
    'step',
    groupBy,
    where,
    {
      completed: [completed, [start, end]],
      completedOnTime: [`${completed} and s.completed_at <= s.due_at`, [start, end]],
      openedDue: [`${opened} and (s.status = 'done' or s.due_at < ?)`, [start, end, at]],
      openedDone: [`${opened} and s.status = 'done'`, [start, end]],
    },
    ['s.step_key'],
  );
  return rows.map(({ keys, row, counts }) => {
    const assignment = row.x0 === assignHelper.key;
    return {
      keys,
      counts: assignment
        ? { helpersAssigned: counts.completed, helpersAssignedOnTime: counts.completedOnTime, visitsDue: 0, visitsDone: 0 }
        : { helpersAssigned: 0, helpersAssignedOnTime: 0, visitsDue: counts.openedDue, visitsDone: counts.openedDone },
    };
  });
}
