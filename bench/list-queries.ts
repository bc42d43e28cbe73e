/**
 * List-query benchmark (not part of the test suite): p50/p95 of the inbox
 * (`GET /api/steps?filter={"mine":true,"status":"open"}`) and the overdue views
 * (`filter={"overdue":true}` and `GET /api/steps/overdue/summary`) for a village cadre, a town officer
 * and the district supervisor, with BENCH_STEPS (100,000) steps and BENCH_HOUSEHOLDS (10,000)
 * households inserted directly into a fresh read model. Requests go through the whole app
 * (authentication, authorization, scope, validation, serialisation) with `app.inject`, so the figures
 * are the server's time without the network. Goal: p95 < 50 ms.
 *
 *   npx tsx bench/list-queries.ts
 *   BENCH_STEPS=100000 BENCH_HOUSEHOLDS=10000 BENCH_ITERATIONS=200 npx tsx bench/list-queries.ts
 */
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { Household, Process, Step } from '../db';
import { fangfan } from '../server/app';
import { loadTemporalConfig } from '../server/config';
import { createServices } from '../server/services';
import { frameworkErrors } from '../server/errors';
import { seedDemo } from '../server/seed';
import { DEMO_TOWNS } from '../server/demo-data';

const STEPS = Number(process.env.BENCH_STEPS || 100_000);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS || 10_000);
const ITER = Number(process.env.BENCH_ITERATIONS || 200);
const PASSWORD = 'bench1234';
const DEPARTMENTS = ['区医保局', '区卫生健康委', '区民政局', '区住房城乡建委', '区水利局', '区教委', '区财政局'];

// A small deterministic PRNG, so two runs insert the same data.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-bench-lists-'));
  // Lists read the read model only: a client that never connects stands in for Temporal.
  const services = await createServices({ database: join(dir, 'read.sqlite'), temporal: { ...loadTemporalConfig({}), taskQueue: 'bench', client: new Client() }, sessionHours: 1 });
  const { db } = services;
  await seedDemo(db, { password: PASSWORD });
  const places = DEMO_TOWNS.flatMap((t) => t.villages.map((v) => ({ town: t.town, village: v.name })));

  let t0 = Date.now();
  const households: { id: string; town: string; village: string }[] = [];
  for (let i = 0; i < HOUSEHOLDS; i++) households.push({ id: `B${String(i).padStart(8, '0')}`, ...pick(places) });
  for (let i = 0; i < households.length; i += 1000) {
    await db.em().insertMany(
      Household,
      households.slice(i, i + 1000).map((h, j) => ({ ...h, headName: `样本${i + j}`, idNumber: `BENCH${h.id}`, phone: null, memberCount: 3, status: 'ordinary', lowIncomeGroups: [], monitoringStatus: 'none', riskTypes: [], housingStatus: 'unknown', caseSeq: 1, createdAt: new Date(), updatedAt: new Date() })) as never,
    );
  }
  // One case per household, the steps spread over the cases.
  const now = Date.now();
  const processes = households.map((h) => ({ id: `identification:${h.id}:1`, h }));
  for (let i = 0; i < processes.length; i += 1000) {
    await db.em().insertMany(
      Process,
      processes.slice(i, i + 1000).map(({ id, h }) => ({
        id, runId: null, type: 'identification', status: 'running', stage: 'townReview', subject: h.id, householdId: h.id, title: h.id, town: h.town, village: h.village,
        departments: [], startedAt: new Date(now - 20 * 86_400_000), closedAt: null, dueAt: new Date(now + 86_400_000), dueDate: '2026-12-31', dueProvisional: false,
        overdueSince: null, outcome: null, outcomeReasons: null, revision: 1, updatedAt: new Date(),
      })) as never,
    );
  }
  const perCase = Math.ceil(STEPS / processes.length);
  const rows: Record<string, unknown>[] = [];
  for (let n = 0; n < STEPS; n++) {
    const { id: processId, h } = processes[Math.floor(n / perCase) % processes.length];
    const k = n % perCase;
    const r = rnd();
    const role = r < 0.5 ? 'village_cadre' : r < 0.75 ? 'town_officer' : r < 0.85 ? 'district_supervisor' : 'department_officer';
    const s = rnd();
    const status = s < 0.7 ? 'done' : s < 0.95 ? 'open' : 'cancelled';
    const dueAt = new Date(now + (rnd() < 0.4 ? -1 : 1) * Math.floor(rnd() * 30 * 86_400_000));
    const openedAt = new Date(dueAt.getTime() - 10 * 86_400_000);
    rows.push({
      id: `${processId}/step${k}-1`, processId, stepId: `step${k}-1`, processType: pick(['identification', 'helperAssignment', 'houseRebuild', 'illnessRelief']), stepKey: `step${k}`,
      titleZh: `环节${k}`, titleEn: `Step ${k}`, role, scope: role === 'department_officer' ? 'department' : 'area', department: role === 'department_officer' ? pick(DEPARTMENTS) : null,
      assignee: null, town: h.town, village: h.village, householdId: h.id, openedAt, dueAt, dueDate: dueAt.toISOString().slice(0, 10), provisional: false, escalatedAt: null,
      status, completedAt: status === 'open' ? null : dueAt, completedBy: status === 'done' ? 'cadre.rongguang' : null, completedByName: null,
    });
    if (rows.length === 1000) await db.em().insertMany(Step, rows.splice(0) as never);
  }
  if (rows.length) await db.em().insertMany(Step, rows.splice(0) as never);
  await db.em().getConnection().execute('ANALYZE');
  const insertMs = Date.now() - t0;
  const counts = await db.em().getConnection().execute(`select (select count(*) from step) steps, (select count(*) from household) households,
    (select count(*) from step where status = 'open') open, (select count(*) from step where status = 'open' and due_at < ${Date.now()}) overdue`);

  const app = Fastify({ logger: false, frameworkErrors });
  await app.register(fangfan, { services });
  await app.ready();
  const tokens = new Map<string, string>();
  for (const u of ['cadre.rongguang', 'town.tongjing', 'supervisor', 'yibao']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: PASSWORD } });
    tokens.set(u, res.json().token);
  }
  const q = (filter: object, extra = '&range=[0,24]') => `/api/steps?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`;
  const cases: [string, string, string][] = [
    ['inbox (mine, open)', 'cadre.rongguang', q({ mine: true, status: 'open' })],
    ['inbox (mine, open)', 'town.tongjing', q({ mine: true, status: 'open' })],
    ['inbox (mine, open)', 'yibao', q({ mine: true, status: 'open' })],
    ['inbox (mine, open)', 'supervisor', q({ mine: true, status: 'open' })],
    ['overdue list', 'town.tongjing', q({ overdue: true })],
    ['overdue list', 'supervisor', q({ overdue: true })],
    ['overdue summary by town', 'town.tongjing', '/api/steps/overdue/summary'],
    ['overdue summary by town', 'supervisor', '/api/steps/overdue/summary'],
    ['overdue summary by department', 'supervisor', '/api/steps/overdue/summary?groupBy=department'],
  ];
  console.log(`fangfan list-query benchmark — ${new Date().toISOString()}, Node ${process.version}`);
  console.log(`read model: ${JSON.stringify(counts[0])} (inserted in ${Math.round(insertMs / 1000)} s), SQLite ${join(dir, 'read.sqlite')}`);
  console.log(`${ITER} sequential requests each (after 20 warm-up), in-process (app.inject)\n`);
  console.log(`${'query'.padEnd(32)} ${'as'.padEnd(16)} ${'rows'.padStart(6)} ${'total'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}  goal p95<50`);
  const results: { name: string; as: string; p50: number; p95: number }[] = [];
  for (const [name, as, url] of cases) {
    const headers = { authorization: `Bearer ${tokens.get(as)}` };
    const times: number[] = [];
    let last: any;
    for (let i = 0; i < ITER + 20; i++) {
      t0 = performance.now();
      last = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - t0;
      if (last.statusCode !== 200) throw new Error(`${url} as ${as}: ${last.statusCode} ${last.body}`);
      if (i >= 20) times.push(ms);
    }
    const body = last.json();
    const nrows = Array.isArray(body) ? body.length : (body.groups?.length ?? 0);
    const total = Array.isArray(body) ? Number(String(last.headers['content-range']).split('/')[1]) : body.total;
    const p50 = pct(times, 50);
    const p95 = pct(times, 95);
    results.push({ name, as, p50, p95 });
    console.log(`${name.padEnd(32)} ${as.padEnd(16)} ${String(nrows).padStart(6)} ${String(total).padStart(7)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${Math.max(...times).toFixed(1).padStart(8)}  ${p95 < 50 ? 'ok' : 'MISSED'}`);
  }
  console.log(`\nrepeat: BENCH_STEPS=${STEPS} BENCH_HOUSEHOLDS=${HOUSEHOLDS} BENCH_ITERATIONS=${ITER} npx tsx bench/list-queries.ts`);
  await app.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(results.every((r) => r.p95 < 50) ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
