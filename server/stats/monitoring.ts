/**
 * The monitoring statistics (GET /api/stats/monitoring): one row per town, village, category or risk
 * type, every figure counted by the database over what the caller may see, as the lists show it:
 *
 * - household figures over the households the caller's register lists (server/scope.ts
 *   householdScope: own village, own town, the district; a department officer reads the whole register,
 *   so its household figures are the district's);
 * - step figures over the steps the caller's step list shows (stepScope: the area's steps and those
 *   assigned to the caller; a department officer's are its department's steps).
 *
 * Grouped by town or village, every place of the directory in the caller's area has a row, zeros
 * included. By category or risk type, a step counts under its household's; steps of households not
 * monitored fall under `none` (未纳入监测), steps of no household are left out; a household with several
 * risk types counts under each, so those rows do not add up to the district's total.
 */
import { coversPlace, type Actor } from '../../contracts/roles';
import { MONITORING_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import { addDays, shanghaiDate } from '../../calendar/dates';
import type { WorkingCalendar } from '../../calendar';
import { Village, type EntityManager } from '../../db';
import { householdScope, stepScope } from '../scope';
import { HOUSEHOLD_FIGURES, householdFigures } from './households';
import { STEP_FIGURES, stepFigures } from './steps';
import { HELPER_FIGURES, helperFigures } from './helpers';
import { NONE, beijingMidnight, type GroupBy, type Period } from './query';

export const FIGURES = [...HOUSEHOLD_FIGURES, ...STEP_FIGURES, ...HELPER_FIGURES] as const;
export type Figure = (typeof FIGURES)[number];

export interface StatsRow extends Record<Figure, number> {
  key: string;
  label: string;
  town?: string;
  village?: string;
}

/** Open steps due by the end of this many working days after today count as due soon. */
export const DUE_SOON_WORKING_DAYS = 2;

/**
 * The first instant that is no longer "due soon": 00:00 Beijing time after the second working day
 * from today. (No shared due-soon helper exists yet; the inbox may grow one, and this should then use it.)
 */
export function dueSoonBefore(calendar: WorkingCalendar, now: Date): Date {
  const last = calendar.addWorkingDays(shanghaiDate(now), DUE_SOON_WORKING_DAYS).date;
  return beijingMidnight(addDays(last, 1));
}

const NOT_MONITORED = '未纳入监测';

/** The rows every caller sees even at zero: places of their area, or the whole vocabulary. */
async function baseRows(em: EntityManager, actor: Actor, groupBy: GroupBy): Promise<Omit<StatsRow, Figure>[]> {
  if (groupBy === 'category') return Object.entries(MONITORING_CATEGORIES).map(([key, l]) => ({ key, label: l.zh }));
  if (groupBy === 'riskType') return Object.entries(RISK_TYPES).map(([key, l]) => ({ key, label: l.zh }));
  const wide = actor.roles.includes('department_officer');
  const villages = (await em.find(Village, {}, { orderBy: { id: 'ASC' } })).filter((v) => wide || coversPlace(actor, { town: v.town, village: v.name }));
  if (groupBy === 'village') return villages.map((v) => ({ key: `${v.town}/${v.name}`, label: `${v.town}${v.name}`, town: v.town, village: v.name }));
  return [...new Set(villages.map((v) => v.town))].map((town) => ({ key: town, label: town, town }));
}

/** A row for a key the directory or vocabulary lacks (a place not registered, an old code). */
function extraRow(groupBy: GroupBy, key: string): Omit<StatsRow, Figure> {
  if (groupBy === 'town') return { key, label: key, town: key };
  if (groupBy === 'village') {
    const [town, village] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    return { key, label: `${town}${village}`, town, village };
  }
  return { key, label: key === NONE ? NOT_MONITORED : key };
}

export async function monitoringStats(em: EntityManager, actor: Actor, groupBy: GroupBy, p: Period, calendar: WorkingCalendar, now = new Date()): Promise<StatsRow[]> {
  const households = householdScope(actor);
  const steps = stepScope(actor);
  // One after the other: a request's EntityManager runs one query at a time.
  const counted = [
    ...(households ? await householdFigures(em, groupBy, households, p) : []),
    ...(await stepFigures(em, groupBy, steps, now, dueSoonBefore(calendar, now))),
    ...(await helperFigures(em, groupBy, () => stepScope(actor), p, now)),
  ];
  const zero = Object.fromEntries(FIGURES.map((f) => [f, 0])) as Record<Figure, number>;
  const rows = new Map<string, StatsRow>((await baseRows(em, actor, groupBy)).map((r) => [r.key, { ...r, ...zero }]));
  for (const { keys, counts } of counted) {
    for (const key of keys) {
      let row = rows.get(key);
      // Places outside the caller's area appear only for what counts there (steps assigned to the caller).
      if (!row && !Object.values(counts).some((n) => n > 0)) continue;
      if (!row) rows.set(key, (row = { ...extraRow(groupBy, key), ...zero }));
      for (const [figure, n] of Object.entries(counts)) row[figure as Figure] += n;
    }
  }
  return [...rows.values()];
}
