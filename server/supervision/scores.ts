/**
 * Scores per town and per department for a year (plan item 6: evaluation), from the read model, with
 * every component and the formula, so that a score can be argued with:
 *
 * - on-time rate: of the steps due in the year that are done or past their due time (not withdrawn),
 *   those done by their due time; a town's are its area's steps (not a department's), a department's
 *   its own; nothing due counts as 100%;
 * - visit compliance (towns): P2 monthly visits opened in the year, made over due (made, or past their
 *   deadline), as the monitoring statistics count them;
 * - reopened fixes: rectification fixes opened again after a rejected re-check (false or perfunctory
 *   fixes), opened in the year, by the case's town and by the fixing department;
 * - 督办 received: supervision notices sent to the town or the department in the year.
 */
import { DEPARTMENTS } from '../../contracts/roles';
import type { Actor } from '../../contracts/roles';
import type { SupervisionScoreRow as ScoreRow } from '../../contracts/supervision-scores';
import { t, type Text } from '../../contracts/i18n';
import { Village, type EntityManager } from '../../db';
import { beijingMidnight, instant } from '../stats/query';

export const WEIGHTS = { onTime: 60, visits: 40, department: 100, reopened: 2, notices: 1 } as const;

export const FORMULA: { town: Text; department: Text } = {
  town: t(
    `镇得分 = 按期办结率 × ${WEIGHTS.onTime} + 走访完成率 × ${WEIGHTS.visits} − 整改退回次数 × ${WEIGHTS.reopened} − 收到督办次数 × ${WEIGHTS.notices}（最低 0 分；当年无到期事项的比率按 100% 计）`,
    `Town score = on-time rate × ${WEIGHTS.onTime} + visit compliance × ${WEIGHTS.visits} − reopened fixes × ${WEIGHTS.reopened} − supervision notices × ${WEIGHTS.notices} (at least 0; a rate with nothing due counts as 100%)`,
  ),
  department: t(
    `部门得分 = 按期办结率 × ${WEIGHTS.department} − 整改退回次数 × ${WEIGHTS.reopened} − 收到督办次数 × ${WEIGHTS.notices}（最低 0 分；当年无到期事项的比率按 100% 计）`,
    `Department score = on-time rate × ${WEIGHTS.department} − reopened fixes × ${WEIGHTS.reopened} − supervision notices × ${WEIGHTS.notices} (at least 0; nothing due counts as 100%)`,
  ),
};

type Counts = Map<string, Record<string, number>>;

/** Whose scores to count: every town and department (the district's supervision), or some of them. */
export interface ScoreUnits {
  towns: 'all' | string[];
  departments: 'all' | string[];
}
const ALL: ScoreUnits = { towns: 'all', departments: 'all' };

/**
 * Counts by `key` (town or department) of the steps matching `where`, for the given units only (an
 * empty list asks nothing). The `?` of the sums come before those of the where clause.
 */
async function grouped(em: EntityManager, key: 'town' | 'department', where: string, sums: Record<string, string>, params: unknown[], only: 'all' | string[]): Promise<Counts> {
  if (only !== 'all' && !only.length) return new Map();
  const names = Object.keys(sums);
  const select = names.map((n, i) => `sum(case when ${sums[n]} then 1 else 0 end) as s${i}`).join(', ');
  const units = only === 'all' ? '' : ` and ${key} in (${only.map(() => '?').join(', ')})`;
  const rows = (await em.getConnection().execute(`select ${key} as k, ${select} from step where ${where}${units} group by ${key}`, [...params, ...(only === 'all' ? [] : only)])) as Record<string, unknown>[];
  return new Map(rows.map((r) => [String(r.k), Object.fromEntries(names.map((n, i) => [n, Number(r[`s${i}`] ?? 0)]))]));
}

const rate = (part: number, whole: number) => (whole ? part / whole : 1);
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function supervisionScores(em: EntityManager, year: number, now = new Date(), units: ScoreUnits = ALL): Promise<ScoreRow[]> {
  const [start, end] = [instant(em, beijingMidnight(`${year}-01-01`)), instant(em, beijingMidnight(`${year + 1}-01-01`))];
  const at = instant(em, now);
  const dueSums = { due: `status = 'done' or due_at < ?`, onTime: `status = 'done' and completed_at <= due_at` };
  const dueWhere = `due_at >= ? and due_at < ? and status <> 'cancelled'`;
  // Steps due in the year: step_scores_due_index (town, department, due time) covers both counts.
  const townSteps = await grouped(em, 'town', `${dueWhere} and department is null`, dueSums, [at, start, end], units.towns);
  const deptSteps = await grouped(em, 'department', `${dueWhere} and department is not null`, dueSums, [at, start, end], units.departments);
  const visits = await grouped(em, 'town', `process_type = 'helperAssignment' and step_key = 'monthlyVisit' and status <> 'cancelled' and opened_at >= ? and opened_at < ?`, { due: `status = 'done' or due_at < ?`, done: `status = 'done'` }, [at, start, end], units.towns);
  const reopenedWhere = `process_type = 'rectification' and step_key = 'fix' and step_id <> 'fix-1' and opened_at >= ? and opened_at < ?`;
  const townReopened = await grouped(em, 'town', reopenedWhere, { n: '1 = 1' }, [start, end], units.towns);
  const deptReopened = await grouped(em, 'department', `${reopenedWhere} and department is not null`, { n: '1 = 1' }, [start, end], units.departments);
  const noticeWhere = `process_type = 'supervisionNotice' and opened_at >= ? and opened_at < ?`;
  const townNotices = await grouped(em, 'town', `${noticeWhere} and step_key = 'townReply'`, { n: '1 = 1' }, [start, end], units.towns);
  const deptNotices = await grouped(em, 'department', `${noticeWhere} and step_key = 'departmentReply'`, { n: '1 = 1' }, [start, end], units.departments);

  const towns = [...new Set((await em.find(Village, {}, { orderBy: { id: 'ASC' } })).map((v) => v.town))].filter((u) => units.towns === 'all' || units.towns.includes(u));
  const departments = DEPARTMENTS.filter((u) => units.departments === 'all' || units.departments.includes(u));
  const get = (m: Counts, k: string, f: string) => m.get(k)?.[f] ?? 0;
  const townRows = towns.map((unit): ScoreRow => {
    const [stepsDue, stepsOnTime] = [get(townSteps, unit, 'due'), get(townSteps, unit, 'onTime')];
    const [visitsDue, visitsDone] = [get(visits, unit, 'due'), get(visits, unit, 'done')];
    const [reopenedFixes, noticesReceived] = [get(townReopened, unit, 'n'), get(townNotices, unit, 'n')];
    const [onTimeRate, visitRate] = [rate(stepsOnTime, stepsDue), rate(visitsDone, visitsDue)];
    const score = onTimeRate * WEIGHTS.onTime + visitRate * WEIGHTS.visits - reopenedFixes * WEIGHTS.reopened - noticesReceived * WEIGHTS.notices;
    return { kind: 'town', unit, stepsDue, stepsOnTime, onTimeRate, visitsDue, visitsDone, visitRate, reopenedFixes, noticesReceived, score: Math.max(0, round1(score)) };
  });
  const deptRows = departments.map((unit): ScoreRow => {
    const [stepsDue, stepsOnTime] = [get(deptSteps, unit, 'due'), get(deptSteps, unit, 'onTime')];
    const [reopenedFixes, noticesReceived] = [get(deptReopened, unit, 'n'), get(deptNotices, unit, 'n')];
    const onTimeRate = rate(stepsOnTime, stepsDue);
    const score = onTimeRate * WEIGHTS.department - reopenedFixes * WEIGHTS.reopened - noticesReceived * WEIGHTS.notices;
    return { kind: 'department', unit, stepsDue, stepsOnTime, onTimeRate, reopenedFixes, noticesReceived, score: Math.max(0, round1(score)) };
  });
  return [...townRows, ...deptRows];
}

/**
 * Whose scores a caller reads (contracts/authz.ts `supervision.scores`): every one for the district's
 * supervision, a town officer's own town, a department officer's own department (counted for them alone).
 */
export function scoreUnits(actor: Actor): ScoreUnits {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return ALL;
  return {
    towns: actor.roles.includes('town_officer') && actor.town ? [actor.town] : [],
    departments: actor.roles.includes('department_officer') && actor.department ? [actor.department] : [],
  };
}
