/**
 * Household figures: monitored now, eliminated now, included in the period, eliminated in the period,
 * returned to monitoring after an elimination (返贫) ever and in the period. The same households the
 * register lists (GET /api/households with the matching filters) for the same caller.
 */
import type { EntityManager } from '../../db';
import type { Where } from '../lists';
import { groupedCounts, type GroupBy, type Period } from './query';

export const HOUSEHOLD_FIGURES = ['monitored', 'eliminated', 'includedInPeriod', 'eliminatedInPeriod', 'returned', 'returnedInPeriod'] as const;
export type HouseholdFigure = (typeof HOUSEHOLD_FIGURES)[number];

export async function householdFigures(em: EntityManager, groupBy: GroupBy, scope: Where, p: Period) {
  // Dates are YYYY-MM-DD texts: compared as text, the same on both databases.
  const within = (column: string): [string, unknown[]] => [`h.${column} >= ? and h.${column} <= ?`, [p.from, p.to]];
  return groupedCounts(em, 'household', groupBy, { $and: [scope, { monitoringStatus: { $in: ['monitored', 'eliminated'] } }] }, {
    monitored: [`h.monitoring_status = 'monitored'`],
    eliminated: [`h.monitoring_status = 'eliminated'`],
    includedInPeriod: within('monitored_since'),
    eliminatedInPeriod: within('eliminated_on'),
    returned: ['h.returned_on is not null'],
    returnedInPeriod: within('returned_on'),
  });
}
