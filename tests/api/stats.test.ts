/**
 * GET /api/stats/monitoring: over a seeded random district (households in several towns and villages,
 * monitored, eliminated and returned on dates inside and outside the period; steps open, done and
 * cancelled, overdue, due soon and later, in areas, for a department, assigned to a cadre elsewhere),
 * every figure of every group equals the total of the list it summarises (GET /api/households,
 * GET /api/steps with the matching filters) for the same caller. No expected number is written here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Household, Step, Village } from '../../db';
import { recordMonitoringInclusion, recordMonitoringStatus } from '../../activities/read-model';
import { MONITORING_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import { addDays, shanghaiDate } from '../../calendar/dates';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const DAY = 86_400_000;
const q = (o: unknown) => encodeURIComponent(JSON.stringify(o));
const total = (res: { headers: Record<string, unknown> }) => Number(String(res.headers['content-range']).split('/')[1]);
const get = (as: string, url: string) => t.call(as, { method: 'GET', url });

/** mulberry32: the same district on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(20261207);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const now = Date.now();
const today = shanghaiDate(new Date(now));
const dayOffset = (n: number) => addDays(today, n);
/** The period asked for: from 180 to 30 days ago. */
const FROM = dayOffset(-180);
const TO = dayOffset(-30);
const periodQuery = `from=${FROM}&to=${TO}`;

const CALLERS = ['supervisor', 'admin', 'town.tongjing', 'town.gulu', 'cadre.rongguang', 'yibao'];

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  const em = t.db.em();
  const villages = await em.find(Village, {});
  const categories = Object.keys(MONITORING_CATEGORIES);
  const risks = Object.keys(RISK_TYPES);
  const households: { id: string; town: string; village: string }[] = [];
  for (let i = 0; i < 90; i++) {
    const v = i < 20 ? pick(villages.filter((x) => x.town === '统景镇')) : pick(villages);
    const id = `S${String(i).padStart(8, '0')}`;
    em.create(Household, { id, headName: `统计户${i}`, idNumber: `STAT-${id}`, town: v.town, village: v.name, memberCount: int(1, 6) });
    households.push({ id, town: v.town, village: v.name });
  }
  await em.flush();
  // Steps first, as in the district (a household's steps exist before its inclusion, which copies its
  // category and risk types onto them). P1 and P2 steps by area, 区医保局's department steps, visits assigned to a 荣光村 cadre anywhere.
  const steps = t.db.em();
  for (let i = 0; i < 400; i++) {
    const h = pick(households);
    const kind = pick(['identification', 'assignHelper', 'monthlyVisit', 'monthlyVisit', 'department'] as const);
    const status = pick(['open', 'open', 'done', 'cancelled'] as const);
    // Never within an hour of now (the lists are read a moment after the figures).
    const dueOffsetHours = pick([-1, 1]) * int(1, 24 * 15) + (rnd() < 0.5 ? 0.5 : 0);
    const dueAt = new Date(now + dueOffsetHours * 3600_000);
    const openedAt = new Date(now - int(1, 300) * DAY - int(0, 23) * 3600_000);
    const completedAt = status === 'done' ? new Date(Math.min(now - 3600_000, openedAt.getTime() + int(0, 20) * DAY)) : null;
    const processType = kind === 'identification' || kind === 'department' ? 'identification' : 'helperAssignment';
    const assigned = kind === 'monthlyVisit' && rnd() < 0.3;
    steps.create(Step, {
      id: `${processType}:${h.id}:1/${i}`,
      processId: `${processType}:${h.id}:1`,
      stepId: String(i),
      processType,
      stepKey: kind === 'department' ? 'departmentOpinion' : kind === 'identification' ? 'homeVerification' : kind,
      titleZh: '统计测试环节',
      titleEn: 'Statistics test step',
      role: kind === 'department' ? 'department_officer' : kind === 'assignHelper' ? 'town_officer' : 'village_cadre',
      scope: kind === 'department' ? 'department' : assigned ? 'assignee' : kind === 'assignHelper' ? 'town' : 'village',
      department: kind === 'department' ? pick(['区医保局', '区民政局']) : null,
      assignee: assigned ? 'cadre.rongguang' : null,
      town: h.town,
      village: h.village,
      householdId: rnd() < 0.9 ? h.id : null,
      openedAt,
      dueAt,
      dueDate: shanghaiDate(dueAt),
      status,
      completedAt,
    });
  }
  await steps.flush();
  for (const h of households) {
    const roll = rnd();
    if (roll < 0.25) continue; // never monitored
    const included = int(-400, -1);
    const riskTypes = [...new Set([pick(risks), ...(rnd() < 0.4 ? [pick(risks)] : [])])];
    const inclusion = { householdId: h.id, processId: `helperAssignment:${h.id}:1`, category: pick(categories), riskTypes };
    await recordMonitoringInclusion(t.db.em(), { ...inclusion, includedOn: dayOffset(included) });
    if (roll < 0.55) continue; // monitored
    const eliminated = int(included, 0);
    await recordMonitoringStatus(t.db.em(), { householdId: h.id, processId: inclusion.processId, status: 'eliminated', on: dayOffset(eliminated) });
    if (roll < 0.7) continue; // eliminated
    if (roll < 0.8) {
      // An elimination reverted by the supervisor: monitored again, not a return to poverty.
      await recordMonitoringStatus(t.db.em(), { householdId: h.id, processId: inclusion.processId, status: 'monitored', on: dayOffset(int(eliminated, 0)) });
      continue;
    }
    // Included again after the elimination (返贫).
    await recordMonitoringInclusion(t.db.em(), { ...inclusion, processId: `helperAssignment:${h.id}:2`, includedOn: dayOffset(int(eliminated, 0)) });
  }
});
afterAll(async () => t?.close());

type Row = Record<string, number | string | undefined> & { key: string; label: string };
const stats = async (as: string, query: string): Promise<Row[]> => {
  const res = await get(as, `/api/stats/monitoring?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const households = async (as: string, filter: object) => {
  const res = await get(as, `/api/households?filter=${q(filter)}&range=[0,0]`);
  expect(res.statusCode, res.body).toBe(200);
  return total(res);
};
const stepCount = async (as: string, filter: object) => {
  const res = await get(as, `/api/steps?filter=${q(filter)}&range=[0,0]`);
  expect(res.statusCode, res.body).toBe(200);
  return total(res);
};
const stepRows = async (as: string, filter: object): Promise<{ stepKey: string; status: string; openedAt: string; dueAt: string; completedAt?: string }[]> => {
  const res = await get(as, `/api/steps?filter=${q(filter)}&range=[0,999]`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().length).toBe(total(res));
  return res.json();
};

/** The last day that counts as due soon: two working days after today, by the API's own calendar. */
async function dueSoonLastDay(): Promise<string> {
  const res = await get('supervisor', `/api/calendar/add?from=${today}&workingDays=2`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().date;
}

/** Every figure of a row, from the lists, for the households and steps `where` selects. */
async function fromLists(as: string, where: Record<string, string>) {
  const start = new Date(`${FROM}T00:00:00+08:00`).getTime();
  const end = new Date(`${addDays(TO, 1)}T00:00:00+08:00`).getTime();
  const inPeriod = (iso?: string) => !!iso && Date.parse(iso) >= start && Date.parse(iso) < end;
  const p2 = await stepRows(as, { ...where, processType: 'helperAssignment' });
  const assignments = p2.filter((s) => s.stepKey === 'assignHelper' && s.status === 'done' && inPeriod(s.completedAt));
  const visits = p2.filter((s) => s.stepKey === 'monthlyVisit' && s.status !== 'cancelled' && inPeriod(s.openedAt) && (s.status === 'done' || Date.parse(s.dueAt) < Date.now()));
  return {
    monitored: await households(as, { ...where, monitoringStatus: 'monitored' }),
    eliminated: await households(as, { ...where, monitoringStatus: 'eliminated' }),
    includedInPeriod: await households(as, { ...where, includedFrom: FROM, includedTo: TO }),
    eliminatedInPeriod: await households(as, { ...where, eliminatedFrom: FROM, eliminatedTo: TO }),
    returned: await households(as, { ...where, returned: true }),
    returnedInPeriod: await households(as, { ...where, returnedFrom: FROM, returnedTo: TO }),
    openSteps: await stepCount(as, { ...where, status: 'open' }),
    overdueSteps: await stepCount(as, { ...where, overdue: true }),
    dueSoonSteps: await stepCount(as, { ...where, status: 'open', overdue: false, dueBefore: addDays(await dueSoonLastDay(), 1) }),
    helpersAssigned: assignments.length,
    helpersAssignedOnTime: assignments.filter((s) => Date.parse(s.completedAt!) <= Date.parse(s.dueAt)).length,
    visitsDue: visits.length,
    visitsDone: visits.filter((s) => s.status === 'done').length,
  };
}

const figures = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => !['key', 'label', 'town', 'village'].includes(k)));

describe('GET /api/stats/monitoring', () => {
  it.each(CALLERS)('by town, %s: every figure equals the list behind it, and the towns add up to the lists', async (as) => {
    const rows = await stats(as, `groupBy=town&${periodQuery}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.label).toBe(row.key);
      expect(figures(row), `${as} ${row.key}`).toEqual(await fromLists(as, { town: row.key }));
    }
    const whole = await fromLists(as, {});
    for (const [figure, n] of Object.entries(whole)) expect(rows.reduce((sum, r) => sum + Number(r[figure]), 0), figure).toBe(n);
  });

  it('the random district is not trivial: the supervisor sees every kind of figure', async () => {
    const rows = await stats('supervisor', `groupBy=town&${periodQuery}`);
    for (const figure of Object.keys(figures(rows[0]))) expect(rows.some((r) => Number(r[figure]) > 0), figure).toBe(true);
  });

  it('by village, category and risk type: each group equals its filtered lists; labels are Chinese', async () => {
    for (const row of await stats('town.tongjing', `groupBy=village&${periodQuery}`)) {
      expect(row.label).toBe(`${row.town}${row.village}`);
      expect(figures(row)).toEqual(await fromLists('town.tongjing', { town: row.town as string, village: row.village as string }));
    }
    const byCategory = await stats('supervisor', `groupBy=category&${periodQuery}`);
    for (const [code, label] of Object.entries(MONITORING_CATEGORIES)) {
      const row = byCategory.find((r) => r.key === code)!;
      expect(row.label).toBe(label.zh);
      expect(row.monitored).toBe(await households('supervisor', { monitoringCategory: code, monitoringStatus: 'monitored' }));
      expect(row.eliminatedInPeriod).toBe(await households('supervisor', { monitoringCategory: code, eliminatedFrom: FROM, eliminatedTo: TO }));
    }
    const byRisk = await stats('supervisor', `groupBy=riskType&${periodQuery}`);
    for (const [code, label] of Object.entries(RISK_TYPES)) {
      const row = byRisk.find((r) => r.key === code)!;
      expect(row.label).toBe(label.zh);
      expect(row.monitored).toBe(await households('supervisor', { riskType: code, monitoringStatus: 'monitored' }));
      expect(row.includedInPeriod).toBe(await households('supervisor', { riskType: code, includedFrom: FROM, includedTo: TO }));
    }
    for (const row of [...byCategory, ...byRisk]) expect(row.label).toMatch(/[\u4e00-\u9fff]/);
  });

  it('counts steps under their household\'s category and risk types, and moves them when an inclusion re-categorises the household', async () => {
    /** The open steps of households of each category, read through the join the figures no longer make. */
    const joined = async () => {
      const rows = (await t.db.em().getConnection().execute(
        `select h.monitoring_category c, count(*) n from step s join household h on h.id = s.household_id where s.status = 'open' group by h.monitoring_category`,
      )) as { c: string | null; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.c ?? 'none', Number(r.n)]));
    };
    const byCategory = async () => Object.fromEntries((await stats('supervisor', 'groupBy=category')).map((r) => [r.key, Number(r.openSteps)]));
    const expected = await joined();
    const figures = await byCategory();
    for (const code of Object.keys(MONITORING_CATEGORIES)) expect(figures[code] ?? 0, code).toBe(expected[code] ?? 0);
    const byRisk = await stats('supervisor', 'groupBy=riskType');
    expect(byRisk.reduce((n, r) => n + Number(r.openSteps), 0)).toBeGreaterThanOrEqual(Object.values(expected).reduce((n, x) => n + x, 0));

    // A monitored household with open steps is included again under another category.
    const [moved] = (await t.db.em().getConnection().execute(
      `select h.id, h.monitoring_category c, count(*) n from step s join household h on h.id = s.household_id
        where s.status = 'open' and h.monitoring_category is not null group by h.id, h.monitoring_category order by count(*) desc limit 1`,
    )) as { id: string; c: string; n: number }[];
    const other = Object.keys(MONITORING_CATEGORIES).find((c) => c !== moved.c)!;
    await recordMonitoringInclusion(t.db.em(), { householdId: moved.id, processId: `helperAssignment:${moved.id}:9`, category: other, riskTypes: ['other'], includedOn: today });
    const after = await byCategory();
    expect(after[moved.c]).toBe(figures[moved.c] - Number(moved.n));
    expect(after[other]).toBe(figures[other] + Number(moved.n));
  });

  it('is scoped: a town officer sees its town, a cadre its village, a department the register and its own steps', async () => {
    expect((await stats('town.tongjing', 'groupBy=town')).map((r) => r.key)).toEqual(['统景镇']);
    // A cadre's households are its village's; the visits assigned to it elsewhere count in their villages.
    const villages = await stats('cadre.rongguang', 'groupBy=village');
    expect(villages[0].key).toBe('统景镇/荣光村');
    expect(villages.filter((r) => Number(r.monitored) + Number(r.eliminated) + Number(r.includedInPeriod) > 0).map((r) => r.key)).toEqual(['统景镇/荣光村']);
    expect(villages.slice(1).every((r) => Object.values(figures(r)).some((n) => Number(n) > 0))).toBe(true);
    const district = await stats('supervisor', `groupBy=town&${periodQuery}`);
    const cadre = (await stats('cadre.rongguang', `groupBy=town&${periodQuery}`)).find((r) => r.key === '统景镇')!;
    const town = district.find((r) => r.key === '统景镇')!;
    expect(cadre.monitored).toBeLessThan(Number(town.monitored));
    const dept = await stats('yibao', `groupBy=town&${periodQuery}`);
    expect(dept.map((r) => [r.key, r.monitored])).toEqual(district.map((r) => [r.key, r.monitored]));
    const deptSteps = dept.reduce((n, r) => n + Number(r.openSteps), 0);
    expect(deptSteps).toBe(await stepCount('yibao', { status: 'open' }));
    expect(deptSteps).toBeLessThan(district.reduce((n, r) => n + Number(r.openSteps), 0));
  });

  it.each([
    ['groupBy=household', 'groupBy'],
    ['from=2026-02-30', 'from'],
    ['to=2026/01/31', 'to'],
    ['from=2026-03-02&to=2026-03-01', 'from'],
    ['month=2026-03', 'querystring.month'],
  ])('refuses %s (400 naming %s)', async (query, field) => {
    const res = await get('supervisor', `/api/stats/monitoring?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
