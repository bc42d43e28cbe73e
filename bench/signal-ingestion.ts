/**
 * Signal-ingestion benchmark (not part of the test suite): signals per second and p50/p99 latency
 * through the HTTP API (a real listening server, an HTTP/1.1 keep-alive client, BENCH_CONCURRENCY
 * requests in flight) versus the bare Temporal client sending the same signal to the same cases on
 * the same dev server, in one run; reported as a ratio (goal: the API delivers ≥ 80% of the bare
 * client's throughput).
 *
 * The signal is identification's `departmentAlert` (`POST /api/processes/{id}/signals/departmentAlert`
 * as the 区医保局 officer, with an Idempotency-Key, as integrations send it). The API does per
 * request: session lookup, authorization, read-model lookup of the case, schema validation, the
 * idempotency record (claim + answer), the signal, an audit row. The bare client does only the signal.
 * Phases alternate (bare, API, bare, API) so that neither gets a quieter machine; both use the same
 * Temporal client connection, cases, payloads and number in flight.
 *
 * Every alert is a new revision of its case, which the worker projects into the read model. The bare
 * client never waits for the read model, the API's writes (idempotency records, audit rows) share it
 * with those projections: on SQLite, one write lock for both processes. So the bench also prints how
 * fast the read model caught up with each phase (signals projected per second, from the phase's start
 * until the read model stopped changing); before each phase it waits until the read model has caught up
 * with the previous one.
 *
 *   npx tsx bench/signal-ingestion.ts
 *   BENCH_SIGNALS=2000 BENCH_CONCURRENCY=32 BENCH_CASES=50 BENCH_ROUNDS=2 npx tsx bench/signal-ingestion.ts
 *   SQLITE_SYNCHRONOUS=NORMAL …                         the read model's SQLite without fsync at commit
 *   BENCH_DATABASE_URL=postgresql://user:pw@host:5432/postgres …   the read model on PostgreSQL (a new
 *                                                        database on that server, dropped at the end)
 *   BENCH_WORKER=paused …   ingestion alone: the worker process is frozen (SIGSTOP) while a phase sends
 *                           and resumed (SIGCONT) for the read model to catch up after it, as when workers
 *                           run on other machines: on one 2-core machine the worker's projections otherwise
 *                           take the cores and the read model's write lock from the API while it ingests.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { scratchDatabase } from '../db/scratch';
import { Household } from '../db';
import { buildServer } from '../server/standalone';
import { connectWorker } from '../server/temporal';
import { createWorker } from '../server/worker';
import { loadTemporalConfig } from '../server/config';
import { seedDemo } from '../server/seed';
import { IDENTIFICATION, type DepartmentAlertPayload } from '../processes/identification/contract';
import type { SignalEnvelope } from '../contracts/steps';
import { activityDeps, createServices } from '../server/services';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli.mjs';
import { startDevServer } from '../scripts/lib/dev-server.mjs';

const SIGNALS = Number(process.env.BENCH_SIGNALS || 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 32);
const CASES = Number(process.env.BENCH_CASES || 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const PASSWORD = 'bench1234';
const PG_SERVER = process.env.BENCH_DATABASE_URL || '';

/** CPU time (ms, user + system) a process has used so far, from /proc (Linux; 0 elsewhere or once it is gone). */
const cpuMs = (pid: number | undefined) => {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return 0;
  }
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cliPath = await ensureTemporalCli({ log: () => undefined });
  const dev = await startDevServer({ cliPath, headless: true, log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-bench-signals-'));
  // The read model: a SQLite file, or a new database on BENCH_DATABASE_URL's PostgreSQL server.
  let database = join(dir, 'read.sqlite');
  const scratch = PG_SERVER ? await scratchDatabase(PG_SERVER, 'fangfan_bench') : undefined;
  if (scratch) database = scratch.url;
  const cfg = { ...loadTemporalConfig({}), address: dev.address, taskQueue: `bench-${randomUUID()}` };
  const services = await createServices({ database, temporal: cfg, sessionHours: 12 });
  const { db, temporal: { client } } = services;
  await seedDemo(db, { password: PASSWORD });
  // The worker runs in its own process (scripts/worker.ts), as in production, so that the API process
  // measured here does only the API's work; BENCH_WORKER=inprocess puts it beside the API instead.
  let stopWorker: () => Promise<void>;
  let workerPid: number | undefined;
  const paused = process.env.BENCH_WORKER === 'paused';
  if (process.env.BENCH_WORKER === 'inprocess') {
    const worker = await createWorker({ connection: await connectWorker(cfg, dev.address), cfg, deps: activityDeps(services) });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
    };
  } else {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../scripts/worker.ts', import.meta.url))], {
      env: { ...process.env, TEMPORAL_ADDRESS: dev.address, ...(PG_SERVER ? { DATABASE_URL: database } : { DB_FILE: database }), TASK_QUEUE: cfg.taskQueue, TEMPORAL_METRICS_ADDRESS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workerPid = child.pid;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('worker ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
    });
    process.once('exit', () => child.kill('SIGKILL'));
    stopWorker = async () => {
      child.removeAllListeners('exit');
      await new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      });
    };
  }
  const server = await buildServer(services, { logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(data);
    });
  const login = async (u: string) => JSON.parse((await request('POST', '/api/auth/login', { username: u, password: PASSWORD })).body).token as string;
  const cadre = await login('cadre.rongguang');
  const officer = await login('yibao');

  // The cases: identifications of households added for the run.
  const em = db.em();
  for (let i = 0; i < CASES; i++) {
    em.create(Household, { id: `S${String(i).padStart(6, '0')}`, headName: `基准${i}`, idNumber: `SIG-${i}`, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] } as never);
  }
  await em.flush();
  const ids: string[] = [];
  for (let i = 0; i < CASES; i++) {
    let res = { status: 0, body: '' };
    for (let attempt = 0; attempt < 10 && res.status !== 201; attempt++) {
      res = await request('POST', '/api/processes', { type: 'identification', input: { householdId: `S${String(i).padStart(6, '0')}`, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '基准' } }, { authorization: `Bearer ${cadre}`, 'idempotency-key': `start-${i}` });
      if (res.status >= 500) await new Promise((r) => setTimeout(r, 200));
      else break;
    }
    if (res.status !== 201) throw new Error(`start: ${res.status} ${res.body}`);
    ids.push(JSON.parse(res.body).id);
  }
  const me = JSON.parse((await request('GET', '/api/auth/me', undefined, { authorization: `Bearer ${officer}` })).body);
  const actor = { kind: 'user' as const, id: me.id ?? 'yibao', name: me.name ?? '赵敏', roles: me.roles ?? ['department_officer'], department: '区医保局' };
  const payload = (n: number) => ({ department: '区医保局', reference: `B-${n}`, description: '基准预警' });

  let seq = 0;
  let retried = 0;
  const viaApi = async () => {
    const n = seq++;
    const key = `bench-${n}-${randomUUID()}`;
    // As a client does: a 5xx is retried with the same Idempotency-Key (counted; on SQLite a second
    // writer process makes some transactions fail with SQLITE_BUSY).
    for (let attempt = 0; ; attempt++) {
      const res = await request('POST', `/api/processes/${encodeURIComponent(ids[n % ids.length])}/signals/departmentAlert`, payload(n), {
        authorization: `Bearer ${officer}`,
        ...(process.env.BENCH_IDEMPOTENCY === '0' ? {} : { 'idempotency-key': key }),
      });
      if (res.status === 202) return;
      if (res.status < 500 || attempt >= 10) throw new Error(`API signal: ${res.status} ${res.body}`);
      retried += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const viaClient = async () => {
    const n = seq++;
    const env: SignalEnvelope<DepartmentAlertPayload> = { payload: payload(n), actor, eventId: `bench-${n}-${randomUUID()}`, receivedAt: new Date().toISOString() };
    await client.workflow.getHandle(ids[n % ids.length]).signal(IDENTIFICATION.signals.departmentAlert.definition, env);
  };
  // Between phases: let the worker finish projecting what the previous phase sent (each alert is a new
  // revision of its case), so that neither path pays for the other's deferred work. Answers when the
  // read model last changed (it is taken as caught up after 1.5 s without a change).
  const drain = async () => {
    let last = -1;
    let changedAt = performance.now();
    for (;;) {
      const [{ n }] = await db.em().getConnection().execute(`select coalesce(sum(revision), 0) as n from process`);
      if (Number(n) !== last) {
        last = Number(n);
        changedAt = performance.now();
      } else if (performance.now() - changedAt > 1500) return changedAt;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // Where the CPU goes, per process: this one (the API and both clients), the worker, the dev server and
  // (on PostgreSQL) the database's server processes of this run's database.
  const backends = async (): Promise<number[]> =>
    PG_SERVER ? ((await db.em().getConnection().execute(`select pid from pg_stat_activity where datname = current_database()`)) as { pid: number }[]).map((r) => Number(r.pid)) : [];
  const cpuNow = async () => {
    const db = new Map((await backends()).map((pid) => [pid, cpuMs(pid)]));
    return { self: cpuMs(process.pid), worker: cpuMs(workerPid), temporal: cpuMs(dev.process.pid), db };
  };
  const phase = async (send: () => Promise<void>, count: number) => {
    await drain();
    const cpu0 = await cpuNow();
    const latencies: number[] = [];
    let left = count;
    const t0 = performance.now();
    if (paused && workerPid) process.kill(workerPid, 'SIGSTOP');
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (left > 0) {
          left -= 1;
          const s = performance.now();
          await send();
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    if (paused && workerPid) process.kill(workerPid, 'SIGCONT');
    const projected = ((await drain()) - t0) / 1000;
    const cpu1 = await cpuNow();
    // A database backend that ended meanwhile is left out (its last figures are gone); one that started counts in full.
    const dbCpu = [...cpu1.db].reduce((s, [pid, ms]) => s + ms - (cpu0.db.get(pid) ?? 0), 0);
    const cpu = { self: cpu1.self - cpu0.self, worker: cpu1.worker - cpu0.worker, temporal: cpu1.temporal - cpu0.temporal, db: dbCpu };
    return { seconds, latencies, projected, cpu };
  };

  // Warm-up of both paths. The bare client's alerts of 区医保局 come first: they involve the department
  // in every case, which is what lets its officer see the cases and signal them through the API.
  await phase(viaClient, 200);
  await phase(viaApi, 200);
  const zero = () => ({ self: 0, worker: 0, temporal: 0, db: 0 });
  const all = { bare: { seconds: 0, projected: 0, latencies: [] as number[], cpu: zero() }, api: { seconds: 0, projected: 0, latencies: [] as number[], cpu: zero() } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, send] of [['bare', viaClient], ['api', viaApi]] as const) {
      const p = await phase(send, SIGNALS);
      all[k].seconds += p.seconds;
      all[k].projected += p.projected;
      for (const c of ['self', 'worker', 'temporal', 'db'] as const) all[k].cpu[c] += p.cpu[c];
      all[k].latencies.push(...p.latencies);
      console.error(`  round ${r + 1} ${k}: ${Math.round(SIGNALS / p.seconds)}/s, p50 ${pct(p.latencies, 50).toFixed(0)} ms; read model caught up after ${p.projected.toFixed(1)} s`);
    }
  }
  const fig = (k: 'bare' | 'api') => ({ perSecond: all[k].latencies.length / all[k].seconds, p50: pct(all[k].latencies, 50), p99: pct(all[k].latencies, 99), projected: all[k].latencies.length / all[k].projected });
  const bare = fig('bare');
  const api = fig('api');
  const ratio = api.perSecond / bare.perSecond;
  console.log(`fangfan signal-ingestion benchmark — ${new Date().toISOString()}, Node ${process.version}`);
  const readModel = PG_SERVER ? 'PostgreSQL' : `SQLite, synchronous=${process.env.SQLITE_SYNCHRONOUS?.toUpperCase() || 'FULL (default)'}`;
  console.log(`${SIGNALS} signals × ${ROUNDS} rounds per path, ${CONCURRENCY} in flight, over ${CASES} running identification cases, dev server in memory, worker ${process.env.BENCH_WORKER === 'inprocess' ? 'in the API process' : paused ? 'in its own process, frozen while a phase sends' : 'in its own process'}, read model on ${readModel}`);
  console.log(`${'path'.padEnd(34)} ${'signals/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'read model caught up at (signals/s)'.padStart(38)}`);
  console.log(`${'bare Temporal client'.padEnd(34)} ${bare.perSecond.toFixed(0).padStart(10)} ${bare.p50.toFixed(1).padStart(8)} ${bare.p99.toFixed(1).padStart(8)} ${bare.projected.toFixed(0).padStart(38)}`);
  console.log(`${'HTTP API (keep-alive)'.padEnd(34)} ${api.perSecond.toFixed(0).padStart(10)} ${api.p50.toFixed(1).padStart(8)} ${api.p99.toFixed(1).padStart(8)} ${api.projected.toFixed(0).padStart(38)}`);
  console.log(`ratio API / bare: ${(ratio * 100).toFixed(0)}% (goal ≥ 80%: ${ratio >= 0.8 ? 'met' : 'MISSED'})`);
  const perSignal = (k: 'bare' | 'api', c: 'self' | 'worker' | 'temporal' | 'db') => (all[k].cpu[c] / all[k].latencies.length).toFixed(2);
  console.log(`CPU ms per signal, from a phase's start until the read model caught up (user + system; 2 cores, shared):`);
  console.log(`${''.padEnd(34)} ${'this process'.padStart(13)} ${'worker'.padStart(8)} ${'dev server'.padStart(11)}${PG_SERVER ? ' postgres'.padStart(10) : ''}`);
  for (const [k, name] of [['bare', 'bare Temporal client'], ['api', 'HTTP API (keep-alive)']] as const) {
    console.log(`${name.padEnd(34)} ${perSignal(k, 'self').padStart(13)} ${perSignal(k, 'worker').padStart(8)} ${perSignal(k, 'temporal').padStart(11)}${PG_SERVER ? perSignal(k, 'db').padStart(10) : ''}`);
  }
  console.log(`API requests retried after a 5xx: ${retried}`);
  console.log(`Idempotency-Key on API requests: ${process.env.BENCH_IDEMPOTENCY === '0' ? 'no' : 'yes'}`);
  const env = [
    process.env.SQLITE_SYNCHRONOUS ? `SQLITE_SYNCHRONOUS=${process.env.SQLITE_SYNCHRONOUS}` : '',
    PG_SERVER ? `BENCH_DATABASE_URL=${PG_SERVER.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:*****@')}` : '',
    process.env.BENCH_WORKER ? `BENCH_WORKER=${process.env.BENCH_WORKER}` : '',
    process.env.BENCH_IDEMPOTENCY === '0' ? 'BENCH_IDEMPOTENCY=0' : '',
  ].filter(Boolean);
  console.log(`repeat: ${[...env, `BENCH_SIGNALS=${SIGNALS} BENCH_CONCURRENCY=${CONCURRENCY} BENCH_CASES=${CASES} BENCH_ROUNDS=${ROUNDS} npx tsx bench/signal-ingestion.ts`].join(' ')}`);

  agent.destroy();
  await server.close();
  await stopWorker();
  await services.close();
  await dev.stop();
  await scratch?.drop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
