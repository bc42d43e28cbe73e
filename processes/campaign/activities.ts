/**
 * P5 activities: the campaign's scope snapshot (households of the towns, active users for teams), a
 * case's status for a rectification waiting on P4, and progress by town from the read model.
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import type { Db } from '../../db';
import { Process, User, Village } from '../../db';
import type { CampaignHousehold, CampaignHouseholdGroup, CampaignTownScope } from './contract';

/** The campaign's households as a condition on the household table: every one, or those in any of `groups`. */
function inScope(groups: CampaignHouseholdGroup[] | 'all'): { sql: string; params: string[] } {
  if (groups === 'all') return { sql: '1 = 1', params: [] };
  const parts = groups.map((g) => {
    if (g === 'out_of_poverty') return { sql: `status = 'out_of_poverty'`, params: [] };
    if (g === 'monitored' || g === 'eliminated') return { sql: 'monitoring_status = ?', params: [g] };
    return { sql: 'cast(low_income_groups as text) like ?', params: [`%"${g}"%`] };
  });
  return { sql: `(${parts.map((p) => p.sql).join(' or ')})`, params: parts.flatMap((p) => p.params) };
}

export interface TownProgress {
  town: string;
  households: number;
  visited: number;
  visitsOverdue: number;
  problems: number;
  problemsByCategory: Record<string, number>;
  closed: number;
  reopened: number;
  overdue: number;
}
export interface CampaignProgress {
  year: number;
  towns: TownProgress[];
  totals: Omit<TownProgress, 'town'>;
  /** Re-check rejections (reopened fixes) by responsible department (item 49). */
  reopenedByDepartment: Record<string, number>;
}

/** Progress of a year's campaign by town, from the read model (step and process rows, a few grouped queries). */
export async function campaignProgress(em: EntityManager, year: number): Promise<CampaignProgress> {
  const conn = em.getConnection();
  const towns = new Map<string, TownProgress>();
  const row = (town: string) => {
    let r = towns.get(town);
    if (!r) towns.set(town, (r = { town, households: 0, visited: 0, visitsOverdue: 0, problems: 0, problemsByCategory: {}, closed: 0, reopened: 0, overdue: 0 }));
    return r;
  };
  // Per household's visit case: visited once a visit is recorded and nothing is open (the second
  // member's confirmation included); overdue while a late visit or confirmation is open.
  const visits = await conn.execute<{ town: string; n: number; visited: number; late: number }[]>(
    `select town, count(*) as n, sum(visited) as visited, sum(late) as late from (
       select town, process_id,
         case when max(case when step_key = 'campaignVisit' and status = 'done' then 1 else 0 end) = 1
               and max(case when status = 'open' then 1 else 0 end) = 0 then 1 else 0 end as visited,
         max(case when status = 'open' and escalated_at is not null then 1 else 0 end) as late
       from step where process_type = 'campaign' and step_key in ('campaignVisit', 'confirmVisit') and status <> 'cancelled' and process_id like ?
       group by town, process_id) v
     group by town`,
    [`campaignVisit:${year}:%`],
  );
  for (const v of visits) {
    const r = row(v.town);
    r.households += Number(v.n);
    r.visited += Number(v.visited);
    r.visitsOverdue += Number(v.late);
  }
  const problems = await conn.execute<{ id: string; town: string; status: string; fixes: number; late: number }[]>(
    `select p.id, p.town, p.status,
       (select count(*) from step s where s.process_id = p.id and s.step_key = 'fix') as fixes,
       (select count(*) from step s where s.process_id = p.id and s.status = 'open' and s.escalated_at is not null) as late
     from process p where p.type = 'rectification' and p.id like ?`,
    [`rectification:${year}:%`],
  );
  for (const p of problems) {
    const r = row(p.town);
    r.problems += 1;
    const item = p.id.slice(p.id.lastIndexOf(':') + 1);
    r.problemsByCategory[item] = (r.problemsByCategory[item] ?? 0) + 1;
    if (p.status !== 'running') r.closed += 1;
    if (Number(p.fixes) > 1) r.reopened += 1;
    if (p.status === 'running' && Number(p.late) > 0) r.overdue += 1;
  }
  const byDept = await conn.execute<{ department: string; n: number }[]>(
    `select department, count(*) as n from step where process_type = 'rectification' and step_key = 'fix' and step_id <> 'fix-1' and process_id like ? group by department`,
    [`rectification:${year}:%`],
  );
  const list = [...towns.values()].sort((a, b) => a.town.localeCompare(b.town));
  const totals = list.reduce(
    (t, r) => {
      for (const k of ['households', 'visited', 'visitsOverdue', 'problems', 'closed', 'reopened', 'overdue'] as const) t[k] += r[k];
      for (const [c, n] of Object.entries(r.problemsByCategory)) t.problemsByCategory[c] = (t.problemsByCategory[c] ?? 0) + n;
      return t;
    },
    { households: 0, visited: 0, visitsOverdue: 0, problems: 0, problemsByCategory: {} as Record<string, number>, closed: 0, reopened: 0, overdue: 0 },
  );
  return { year, towns: list, totals, reopenedByDepartment: Object.fromEntries(byDept.map((d) => [d.department ?? '', Number(d.n)])) };
}

export function campaignActivities({ db }: { db: Db }) {
  return {
    /** The campaign's scope at start: per town, its villages with households in scope and its active users. */
    async campaignScope({ towns, groups }: { towns: string[]; groups: CampaignHouseholdGroup[] | 'all' }): Promise<CampaignTownScope[]> {
      const em = db.em();
      const out: CampaignTownScope[] = [];
      const scope = inScope(groups);
      for (const town of towns) {
        const counts = await em.getConnection().execute<{ village: string; n: number }[]>(
          `select village, count(*) as n from household where town = ? and ${scope.sql} group by village order by village`,
          [town, ...scope.params],
        );
        const users = await em.find(User, { town, active: true }, { fields: ['id', 'name'], orderBy: { id: 'ASC' } });
        out.push({ town, villages: counts.map((c) => ({ village: c.village, households: Number(c.n) })), users: users.map((u) => ({ id: u.id, name: u.name })) });
      }
      return out;
    },
    /** The village's households in scope, each with its students' names (snapshotted when the village's visits open). */
    async campaignHouseholds({ town, village, groups }: { town: string; village: string; groups: CampaignHouseholdGroup[] | 'all' }): Promise<CampaignHousehold[]> {
      const scope = inScope(groups);
      const rows = await db
        .em()
        .getConnection()
        .execute<{ id: string; head_name: string }[]>(`select id, head_name from household where town = ? and village = ? and ${scope.sql} order by id`, [town, village, ...scope.params]);
      // The students of these households, by name only (the visit asks about each; no ID numbers in a workflow).
      const students = await db
        .em()
        .getConnection()
        .execute<{ household_id: string; name: string }[]>(
          `select household_id, name from household_member where student and household_id in (select id from household where town = ? and village = ? and ${scope.sql}) order by household_id, id`,
          [town, village, ...scope.params],
        );
      const byHousehold = new Map<string, { name: string }[]>();
      for (const s of students) byHousehold.set(s.household_id, [...(byHousehold.get(s.household_id) ?? []), { name: s.name }]);
      return rows.map((h) => ({ id: h.id, headName: h.head_name, town, village, ...(byHousehold.has(h.id) ? { students: byHousehold.get(h.id) } : {}) }));
    },
    /** A case's status in the read model (`unknown` before its first projection). */
    async caseStatus({ processId }: { processId: string }): Promise<string> {
      const row = await db.em().findOne(Process, { id: processId }, { fields: ['status'] });
      return row?.status ?? 'unknown';
    },
    async campaignProgress({ year }: { year: number }): Promise<CampaignProgress> {
      return campaignProgress(db.em(), year);
    },
    /** Towns known to the directory (the starter checks the request against it). */
    async knownTowns(): Promise<string[]> {
      const rows = await db.em().find(Village, {}, { fields: ['town'] });
      return [...new Set(rows.map((r) => r.town))];
    },
  };
}
