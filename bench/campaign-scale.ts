/**
 * P5 at district scale (NOT part of the test suite):
 *
 *   npx tsx bench/campaign-scale.ts [households]      (default 10,000)
 *   BENCH_TEMPORAL_STORE=memory npx tsx bench/campaign-scale.ts 10000   (dev server's database in memory)
 *
 * Runs a campaign over N households (脱贫户 spread over every village of the demo district) on a fresh
 * Temporal dev server and read model, through the app's own start logic and worker; prints the time to
 * start (until every visit step is open), to record every visit (10% find a water problem), to close
 * every problem (研判 → 整改 → 复核, one in ten rejected once) and the largest history of any workflow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli.mjs';
import { startDevServer } from '../scripts/lib/dev-server.mjs';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Household, Step, User, Village } from '../db';
import { seedDemo } from '../server/seed';
import { loadTemporalConfig } from '../server/config';
import { connectWorker } from '../server/temporal';
import type { Client } from '@temporalio/client';
import type { CompleteStepArgs } from '../contracts/steps';
import { createWorker } from '../server/worker';
import { startProcess } from '../server/processes/start';
import { activityDeps, createServices } from '../server/services';
import { completeStepUpdate } from '../contracts/messages';
import type { Actor } from '../contracts/roles';
import { CHECKLIST_KEYS, townCaseId } from '../processes/campaign/contract';
import { rectificationId } from '../processes/rectification/contract';

const N = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = 40;
/** BENCH_TEMPORAL_STORE=memory: the dev server keeps its SQLite database in memory (no disk writes). */
const MEMORY = process.env.BENCH_TEMPORAL_STORE === 'memory';
const admin: Actor = { kind: 'user', id: 'admin', name: '系统管理员', roles: ['admin'] };
const day = (plus = 0) => new Date(Date.now() + 8 * 3600_000 + plus * 86_400_000).toISOString().slice(0, 10);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * An update as a patient client sends it: with its own update id, repeated with the same id when the call
 * times out or Temporal is briefly unavailable (the server deduplicates by update id; the case by event id).
 */
async function update(client: Client, workflowId: string, updateId: string, args: Omit<CompleteStepArgs, 'eventId'>): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.workflow.getHandle(workflowId).executeUpdate(completeStepUpdate, { args: [{ ...args, eventId: updateId }], updateId });
    } catch (err) {
      const text = `${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`;
      if (attempt >= 20 || !/DEADLINE_EXCEEDED|UNAVAILABLE|deadline|unavailable/i.test(text)) throw err;
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
    }
  }
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-bench-'));
  const cliPath = await ensureTemporalCli({ log: () => undefined });
  const server = await startDevServer({ cliPath, ...(MEMORY ? {} : { dbFile: join(dir, 'temporal.db') }), headless: true, log: () => undefined });
  const cfg = { ...loadTemporalConfig({}), address: server.address, taskQueue: `bench-${randomUUID()}` };
  const services = await createServices({ database: join(dir, 'read.sqlite'), temporal: cfg, sessionHours: 1 });
  const { db, temporal: { client } } = services;
  try {
    await seedDemo(db, { password: 'bench1234' });
    const em = db.em();
    // The district's villages get N 脱贫户 between them; every town gets two bench users for its team.
    const villages = await em.find(Village, {}, { orderBy: { id: 'ASC' } });
    // The campaign visits every household of its towns: only the bench's.
    await em.nativeDelete(Household, {});
    const rows = Array.from({ length: N }, (_, i) => {
      const v = villages[i % villages.length];
      return { id: `B${String(i).padStart(8, '0')}`, headName: `压测户${i}`, idNumber: `BENCH${String(i).padStart(13, '0')}`, town: v.town, village: v.name, memberCount: 3, status: 'out_of_poverty' };
    });
    for (let i = 0; i < rows.length; i += 500) {
      const batch = db.em();
      for (const r of rows.slice(i, i + 500)) batch.create(Household, r);
      await batch.flush();
    }
    const towns = [...new Set(villages.map((v) => v.town))];
    towns.forEach((town, i) => [0, 1].forEach((k) => em.create(User, { id: `bench.${i}.${k}`, username: `bench.${i}.${k}`, name: `组员${i}-${k}`, passwordHash: 'x', roles: ['village_cadre'], town })));
    await em.flush();

    const worker = await createWorker({ connection: await connectWorker(cfg, server.address), cfg, deps: activityDeps(services) });
    const running = worker.run();
    const year = Number(day().slice(0, 4));
    const count = (where: object) => db.em().count(Step, where);
    let t0 = Date.now();
    let lastProgress = Date.now();
    const waitCount = async (where: object, n: number) => {
      for (let c = await count(where); c < n; c = await count(where)) {
        if (Date.now() - lastProgress > 60_000) {
          lastProgress = Date.now();
          console.log(`  … ${c} of ${n} (${JSON.stringify(where)}) after ${secs(Date.now() - t0)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    console.log(`campaign of ${N} households over ${towns.length} towns, ${villages.length} villages; Temporal dev server ${MEMORY ? 'in memory' : 'on a SQLite file'}`);
    t0 = Date.now();
    // The visits lie in the campaign's year (run in December, the phase ends on 31 December).
    const visitEndsOn = day(30) <= `${year}-12-31` ? day(30) : `${year}-12-31`;
    const started = await startProcess(services, admin, 'campaign', { year, towns, visitEndsOn, rectifyEndsOn: day(90) });
    await waitCount({ stepKey: 'formTeams', status: 'open' }, towns.length);
    await pool(towns, (town) => {
      const i = towns.indexOf(town);
      const vs = villages.filter((v) => v.town === town).map((v) => v.name);
      return update(client, townCaseId(year, town), `bench-teams-${town}`, { stepKey: 'formTeams', form: { teams: [{ members: [`bench.${i}.0`, `bench.${i}.1`], villages: vs }] }, actor: admin });
    });
    await waitCount({ stepKey: 'campaignVisit' }, N);
    const tStart = Date.now() - t0;
    console.log(`start (campaign → every visit step open): ${secs(tStart)}  [startProcess answered for ${started.id}]`);

    const t1 = Date.now();
    const visits = rows.map((h, i) => ({ id: `campaignVisit:${year}:${h.id}`, fail: i % 10 === 0, team: towns.indexOf(h.town) }));
    // One member records, the other confirms (两人一组).
    const member = (i: number, k: number): Actor => ({ kind: 'user', id: `bench.${i}.${k}`, name: `组员${i}-${k}`, roles: ['village_cadre'] });
    await pool(visits, async (v) => {
      await update(client, v.id, `bench-visit-${v.id}`, {
        stepKey: 'campaignVisit',
        actor: member(v.team, 0),
        form: { visitedOn: day(), items: Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, v.fail && k === 'water' ? { result: 'fail', note: '水量不足' } : { result: 'pass' }])) },
      });
      await update(client, v.id, `bench-confirm-${v.id}`, { stepKey: 'confirmVisit', actor: member(v.team, 1), form: { decision: 'confirm' } });
    });
    const tVisits = Date.now() - t1;
    console.log(`record all ${N} visits: ${secs(tVisits)} (${(N / (tVisits / 1000)).toFixed(0)} visits/s)`);

    const t2 = Date.now();
    const problems = rows.filter((_, i) => i % 10 === 0).map((h, j) => ({ id: rectificationId(year, h.id, 'water'), reject: j % 10 === 0 }));
    await waitCount({ processType: 'rectification', stepKey: 'analysis' }, problems.length);
    let seq = 0;
    const upd = (id: string, stepKey: string, form: Record<string, unknown>) => update(client, id, `bench-${stepKey}-${id}-${(seq += 1)}`, { stepKey, form, actor: admin });
    const fix = { fixedOn: day(), measureTaken: '已接通自来水', evidence: ['photo.jpg'] };
    await pool(problems, async (p) => {
      await upd(p.id, 'analysis', { category: 'water', measure: '接通自来水', deadline: day(20) });
      await upd(p.id, 'fix', fix);
      if (p.reject) {
        await upd(p.id, 'recheck', { decision: 'reject', checkedOn: day(), reason: '敷衍整改', accountability: { who: '区水利局', measure: '约谈', decidedOn: day() } });
        await upd(p.id, 'fix', fix);
      }
      await upd(p.id, 'recheck', { decision: 'pass', checkedOn: day() });
    });
    const result = (await client.workflow.getHandle(started.id).result()) as { status: string; outcome: { result: string } };
    const tProblems = Date.now() - t2;
    console.log(`close all ${problems.length} problems (and the campaign: ${result.status}, ${result.outcome.result}): ${secs(tProblems)}`);

    let largest = { id: '', type: '', length: 0 };
    const byType = new Map<string, number>();
    let workflows = 0;
    for await (const w of client.workflow.list()) {
      workflows += 1;
      const length = Number(w.historyLength ?? 0);
      byType.set(w.type, Math.max(byType.get(w.type) ?? 0, length));
      if (length > largest.length) largest = { id: w.workflowId, type: w.type, length };
    }
    console.log(`workflows: ${workflows}; largest history: ${largest.length} events (${largest.type} ${largest.id})`);
    console.log(`largest history by type: ${[...byType.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`total: ${secs(Date.now() - t0)}`);
    worker.shutdown();
    await running;
  } finally {
    await services.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
