/**
 * Statistics benchmark (not part of the test suite): p50/p95 of `GET /api/stats/monitoring` by town,
 * village, category and risk type for the district supervisor, a town officer, a village cadre and a
 * department officer, and of `GET /api/stats/scores` (this year) for the supervisor, a town officer
 * and a department officer, over BENCH_HOUSEHOLDS (100,000) households and about BENCH_STEPS (1,000,000)
 * steps inserted directly into a fresh SQLite read model: a third of the households monitored or
 * eliminated, with categories, risk types and dates over two years; each monitored household's helper
 * assignment and monthly visits, the others' identification and campaign steps. Requests go through
 * the whole app with `app.inject` (authentication, scope, validation, serialisation; no network).
 * Goal: p95 < 100 ms.
 *
 *   npx tsx bench/monitoring-stats.ts
 *   BENCH_HOUSEHOLDS=100000 BENCH_STEPS=1000000 BENCH_ITERATIONS=50 npx tsx bench/monitoring-stats.ts
 *   BENCH_KEEP=1 …   keeps the database (its path is printed) to look at query plans;
 *   BENCH_DB=<path> npx tsx bench/monitoring-stats.ts   times a kept database again without seeding
 */
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { Household, Step, type Db } from '../db';
import { fangfan } from '../server/app';
import { loadTemporalConfig } from '../server/config';
import { createServices } from '../server/services';
import { frameworkErrors } from '../server/errors';
import { seedDemo } from '../server/seed';
import { DEMO_TOWNS } from '../server/demo-data';
import { MONITORING_CATEGORIES, RISK_TYPES } from '../contracts/vocabulary';
import { DEPARTMENTS } from '../contracts/roles';
import { addDays, shanghaiDate } from '../calendar/dates';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS || 100_000);
const STEPS = Number(process.env.BENCH_STEPS || 1_000_000);
const ITER = Number(process.env.BENCH_ITERATIONS || 50);
const PASSWORD = 'bench1234';
const DAY = 86_400_000;

let state = 7;
const rnd = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/** The district: households with monitoring states and dates, and their steps (see the header). */
async function seed(db: Db) {
  await seedDemo(db, { password: PASSWORD });
  const now = Date.now();
  const today = shanghaiDate(new Date(now));
  const places = DEMO_TOWNS.flatMap((t) => t.villages.map((v) => ({ town: t.town, village: v.name })));
  const categories = Object.keys(MONITORING_CATEGORIES);
  const risks = Object.keys(RISK_TYPES);

  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => {
    const r = rnd();
    const status = r < 0.2 ? 'monitored' : r < 0.33 ? 'eliminated' : 'none';
    const since = status === 'none' ? null : addDays(today, -Math.floor(rnd() * 730));
    const eliminatedOn = status === 'eliminated' || (status === 'monitored' && rnd() < 0.1) ? addDays(since!, Math.floor(rnd() * 200)) : null;
    return {
      id: `B${String(i).padStart(8, '0')}`, ...pick(places), status,
      monitoringCategory: status === 'none' ? null : pick(categories), riskTypes: status === 'none' ? [] : [pick(risks), ...(rnd() < 0.3 ? [pick(risks)] : [])],
      monitoredSince: since, eliminatedOn, returnedOn: status === 'monitored' && eliminatedOn ? since : null,
    };
  });
  for (let i = 0; i < households.length; i += 1000) {
    await db.em().insertMany(
      Household,
      households.slice(i, i + 1000).map((h, j) => ({
        id: h.id, town: h.town, village: h.village, headName: `样本${i + j}`, idNumber: `BENCH${h.id}`, phone: null, memberCount: 3, status: 'ordinary', lowIncomeGroups: [],
        monitoringStatus: h.status, monitoringCategory: h.monitoringCategory, riskTypes: h.riskTypes, monitoredSince: h.monitoredSince, monitoringProcessId: null,
        eliminatedOn: h.eliminatedOn, returnedOn: h.returnedOn, housingStatus: 'unknown', caseSeq: 1, createdAt: new Date(), updatedAt: new Date(),
      })) as never,
    );
  }
  const perHousehold = STEPS / HOUSEHOLDS;
  let rows: Record<string, unknown>[] = [];
  let n = 0;
  for (const h of households) {
    const count = Math.round(perHousehold * (h.status === 'none' ? 0.4 : 2.2) * (0.5 + rnd()));
    for (let k = 0; k < count; k++, n++) {
      const p2 = h.status !== 'none';
      const stepKey = p2 ? (k === 0 ? 'assignHelper' : 'monthlyVisit') : pick(['homeVerification', 'villageReview', 'campaignVisit', 'fix']);
      const processType = p2 ? 'helperAssignment' : stepKey === 'campaignVisit' ? 'campaign' : stepKey === 'fix' ? 'rectification' : 'identification';
      // A rectification's fix is a department's (its second and later fixes: reopened, counted in the scores).
      const department = stepKey === 'fix' ? pick(DEPARTMENTS) : null;
      const openedAt = new Date(now - Math.floor(rnd() * 700) * DAY);
      const dueAt = new Date(openedAt.getTime() + Math.floor(rnd() * 30) * DAY);
      const s = rnd();
      const status = dueAt.getTime() > now || s < 0.08 ? 'open' : s < 0.95 ? 'done' : 'cancelled';
      rows.push({
        id: `${processType}:${h.id}:1/${stepKey}-${k}`, processId: `${processType}:${h.id}:1`, stepId: `${stepKey}-${k}`, processType, stepKey, titleZh: stepKey, titleEn: stepKey,
        role: stepKey === 'assignHelper' ? 'town_officer' : department ? 'department_officer' : 'village_cadre',
        scope: stepKey === 'assignHelper' ? 'town' : stepKey === 'monthlyVisit' ? 'assignee' : department ? 'department' : 'village',
        department, assignee: stepKey === 'monthlyVisit' ? 'cadre.rongguang2' : null, team: null, town: h.town, village: h.village, householdId: h.id,
        householdCategory: h.monitoringCategory, householdRiskTypes: JSON.stringify(h.riskTypes),
        openedAt, dueAt, dueDate: shanghaiDate(dueAt), provisional: false, escalatedAt: null, status,
        completedAt: status === 'done' ? new Date(openedAt.getTime() + Math.floor(rnd() * 35) * DAY) : null, completedBy: null, completedByName: null,
      });
      if (rows.length === 1000) {
        await db.em().insertMany(Step, rows as never);
        rows = [];
      }
    }
  }
  if (rows.length) await db.em().insertMany(Step, rows as never);
  await db.em().getConnection().execute('ANALYZE');
}

async function main() {
  // BENCH_DB: a database a run kept (BENCH_KEEP) is timed again as it is, without seeding.
  const reuse = process.env.BENCH_DB;
  const dir = reuse ? '' : mkdtempSync(join(tmpdir(), 'fangfan-bench-stats-'));
  const file = reuse ?? join(dir, 'read.sqlite');
  const services = await createServices({ database: file, temporal: { ...loadTemporalConfig({}), taskQueue: 'bench', client: new Client() }, sessionHours: 1 });
  const { db } = services;
  const t0 = Date.now();
  if (!reuse) await seed(db);
  const insertMs = Date.now() - t0;
  const counts = await db.em().getConnection().execute(`select (select count(*) from household) households, (select count(*) from household where monitoring_status = 'monitored') monitored,
    (select count(*) from step) steps, (select count(*) from step where status = 'open') open`);

  const app = Fastify({ logger: false, frameworkErrors });
  await app.register(fangfan, { services });
  await app.ready();
  const tokens = new Map<string, string>();
  for (const u of ['supervisor', 'town.tongjing', 'cadre.rongguang', 'yibao']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: PASSWORD } });
    tokens.set(u, res.json().token);
  }
  const today = shanghaiDate(new Date());
  const period = `from=${today.slice(0, 8)}01&to=${today}`;
  const monitoring = (groupBy: string) => [groupBy, `/api/stats/monitoring?groupBy=${groupBy}&${period}`];
  const scores = ['scores', `/api/stats/scores?year=${today.slice(0, 4)}`];
  const cases: [string, string, string][] = [
    ['supervisor', ...monitoring('town')], ['supervisor', ...monitoring('village')], ['supervisor', ...monitoring('category')], ['supervisor', ...monitoring('riskType')],
    ['town.tongjing', ...monitoring('town')], ['town.tongjing', ...monitoring('village')], ['cadre.rongguang', ...monitoring('village')], ['yibao', ...monitoring('town')],
    ['supervisor', ...scores], ['town.tongjing', ...scores], ['yibao', ...scores],
  ] as [string, string, string][];
  console.log(`fangfan statistics benchmark — ${new Date().toISOString()}, Node ${process.version}`);
  console.log(`read model: ${JSON.stringify(counts[0])} (${reuse ? 'kept from an earlier run' : `inserted in ${Math.round(insertMs / 1000)} s`}), SQLite ${file}`);
  const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');
  console.log(`${ITER} sequential requests each (after 5 warm-up), in-process (app.inject); load average ${load()}\n`);
  console.log(`${'as'.padEnd(16)} ${'query'.padEnd(9)} ${'rows'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}  goal p95<100`);
  const results: number[] = [];
  for (const [as, query, url] of cases) {
    const headers = { authorization: `Bearer ${tokens.get(as)}` };
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < ITER + 5; i++) {
      const start = performance.now();
      last = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - start;
      if (last.statusCode !== 200) throw new Error(`${url} as ${as}: ${last.statusCode} ${last.body}`);
      if (i >= 5) times.push(ms);
    }
    const p95 = pct(times, 95);
    results.push(p95);
    const body = last!.json();
    console.log(`${as.padEnd(16)} ${query.padEnd(9)} ${String((Array.isArray(body) ? body : body.rows).length).padStart(5)} ${pct(times, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${Math.max(...times).toFixed(1).padStart(8)}  ${p95 < 100 ? 'ok' : 'MISSED'}`);
  }
  console.log(`\nload average at the end ${load()}`);
  console.log(`repeat: BENCH_HOUSEHOLDS=${HOUSEHOLDS} BENCH_STEPS=${STEPS} BENCH_ITERATIONS=${ITER} npx tsx bench/monitoring-stats.ts`);
  await app.close();
  await services.close();
  if (!reuse && !process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  process.exit(results.every((p) => p < 100) ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
