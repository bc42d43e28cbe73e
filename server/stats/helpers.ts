/**
 * P2 figures from its steps: helpers named in the period (and within the 10 working days), and visit
 * compliance, months visited over months due, for the months whose visit opened in the period (a
 * month is due once its visit was made or its deadline passed; visits stopped by an elimination are
 * not due). Each query reads the period's steps only (indexed by when they were done or opened).
 */
import type { EntityManager } from '../../db';
import { HELPER_ASSIGNMENT } from '../../processes/helper-assignment/contract';
import type { Where } from '../lists';
import { groupedCounts, instant, type GroupBy, type Period } from './query';

export const HELPER_FIGURES = ['helpersAssigned', 'helpersAssignedOnTime', 'visitsDue', 'visitsDone'] as const;
const { assignHelper, monthlyVisit } = HELPER_ASSIGNMENT.steps;
const type = HELPER_ASSIGNMENT.type;

/** `scope()`: the caller's step conditions, built afresh for each query (they may hold a raw fragment, used once). */
export async function helperFigures(em: EntityManager, groupBy: GroupBy, scope: () => Where, p: Period, now: Date) {
  const assignments = await groupedCounts(
    em,
    'step',
    groupBy,
    { $and: [scope(), { processType: type, stepKey: assignHelper.key, status: 'done', completedAt: { $gte: p.start, $lt: p.end } }] },
    { helpersAssigned: ['1 = 1'], helpersAssignedOnTime: ['s.completed_at <= s.due_at'] },
  );
  const visits = await groupedCounts(
    em,
    'step',
    groupBy,
    { $and: [scope(), { processType: type, stepKey: monthlyVisit.key, status: { $ne: 'cancelled' }, openedAt: { $gte: p.start, $lt: p.end } }] },
    { visitsDue: [`s.status = 'done' or s.due_at < ?`, [instant(em, now)]], visitsDone: [`s.status = 'done'`] },
  );
  return [...assignments, ...visits];
}
