/**
 * Worker memory with N open cases (NOT part of the test suite):
 *
 *   npx tsx bench/worker-memory.ts [cases]            (default 10,000)
 *   BENCH_START=client BENCH_CONCURRENCY=16 BENCH_IDLE_S=30 BENCH_EVERY=2000 BENCH_METRICS=1 npx tsx bench/worker-memory.ts 2000
 *
 * On a fresh Temporal dev server (file-backed) and read model, N households are inserted in bulk and an
 * identification (P1) is started for each with the app's own workflow input (identificationStarter;
 * BENCH_START=process goes through `startProcess` itself), a bounded number at a time. Each case then
 * stays open: it waits on its first step (入户核实) with timers for its due dates,
 * which are days away. The worker runs alone in a child process (`scripts/worker.ts`, with the env the
 * fault tests give it, but the default policy file), and its resident set (VmRSS from /proc/<pid>/status) is printed: before any
 * case, every BENCH_EVERY cases (and when the number of cases reaches maxCachedWorkflows), at the end,
 * after BENCH_IDLE_S seconds idle, after a restart of the worker (its cache is empty then), and after
 * every case has been queried once (each needs a replay, as its workflow is no longer in the cache).
 * "peak" is the largest VmRSS sampled every 250 ms since the previous line. "heap" is the V8 heap used
 * by the main thread + the workflow thread(s), from a Node diagnostic report (`--report-on-signal`,
 * SIGUSR2; no heap snapshot, cheap); the rest of RSS is V8's reserved but unused pages, code, the
 * Rust core (histories and state machines of the cached runs) and native buffers.
 *
 * How the figure relates to the sticky workflow cache: an open case costs the worker memory only while
 * its run is in the worker's cache (a workflow's JavaScript state in the workflow thread's V8 heap plus
 * its state machines in the core). The worker keeps at most `maxCachedWorkflows` runs (temporal.yaml
 * `worker.maxCachedWorkflows`, 1,000 here); past that the least recently used run is evicted, and a
 * later task for it (a timer, a signal, a step, a query) fetches its history and replays it. So RSS
 * should grow with the first maxCachedWorkflows cases and then plateau, whatever N is; a restarted
 * worker starts with an empty cache and grows back only as cases are touched. Measured
 * (docs/benchmarks.md, "Worker memory"): it does plateau, at ~0.75–0.8 GB with 1,000 cached runs from 10,000 open cases; a
 * burst of replays (the touch after a restart) peaks higher, as evicted runs' garbage waits for GC. With
 * BENCH_METRICS=1 the worker's SDK metrics are turned on and its `sticky_cache_size` gauge is printed
 * beside RSS (off by default: the fault tests' env turns metrics off).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli.mjs';
import { freePort } from '../scripts/lib/ports.mjs';
import { startDevServer } from '../scripts/lib/dev-server.mjs';
import { Household, Step, Village } from '../db';
import { seedDemo } from '../server/seed';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../policy';
import { loadConfig } from '../server/config';
import { startProcess } from '../server/processes/start';
import { identificationStarter } from '../processes/identification/starter';
import { workflowBundle } from '../server/worker';
import { processType } from '../processes';
import { processIdOf } from '../contracts/ids';
import { createServices } from '../server/services';
import type { Actor } from '../contracts/roles';
import { stateQuery } from '../contracts/messages';

const N = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const EVERY = Number(process.env.BENCH_EVERY || 2000);
const IDLE_S = Number(process.env.BENCH_IDLE_S || 30);
const METRICS = process.env.BENCH_METRICS === '1';
/**
 * `client` (default): the workflow input the API would build (identificationStarter.prepare), started
 * with the bare client, at most 4 × BENCH_CONCURRENCY cases started and not yet open; `process`: the
 * API's startProcess (guard row, start, then a state query every 25 ms until the first step is open),
 * whose queries add load on the worker and made starts ~40% slower here.
 */
const START = process.env.BENCH_START === 'process' ? 'process' : 'client';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const admin: Actor = { kind: 'user', id: 'admin', name: '系统管理员', roles: ['admin'] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

async function pool<T>(items: T[], fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** VmRSS / VmHWM of a process, in bytes. */
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** CPU seconds (user + system) a process has used. */
function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fangfan-bench-memory-'));
  const reports = join(dir, 'reports');
  mkdirSync(reports);
  const cliPath = await ensureTemporalCli({ log: () => undefined });
  const dev = await startDevServer({ cliPath, dbFile: join(dir, 'temporal.db'), headless: true, log: () => undefined });
  const dbFile = join(dir, 'read.sqlite');
  // The workflow bundle is built below and handed to the child as WORKFLOW_BUNDLE, so that the child
  // never runs webpack and every worker start (the first and the restart) loads the same file.
  const bundleFile = join(dir, 'workflow-bundle.js');
  const taskQueue = `bench-memory-${randomUUID()}`;
  const metricsPort: number | undefined = METRICS ? await freePort() : undefined;
  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: dev.address,
    DB_FILE: dbFile,
    DATABASE_URL: '', // the read model is this run's SQLite file, whatever the shell says
    TASK_QUEUE: taskQueue,
    POLICY_FILE: process.env.POLICY_FILE || DEFAULT_POLICY_FILE,
    WORKFLOW_BUNDLE: bundleFile,
    TEMPORAL_METRICS_ADDRESS: metricsPort ? `127.0.0.1:${metricsPort}` : '',
  };
  // The settings the child will run with (it reads the same temporal.yaml and env).
  const cfg = loadConfig({ ...workerEnv, TEMPORAL_TASK_QUEUE: taskQueue }).temporal;
  const policy = loadPolicy(workerEnv.POLICY_FILE);
  const services = await createServices({ database: dbFile, temporal: { ...cfg, address: dev.address }, policy, sessionHours: 1 });
  const { db, temporal: { client } } = services;
  let worker: ChildProcess | undefined;
  try {
    await seedDemo(db, { password: 'bench1234' });
    const villages = await db.em().find(Village, {}, { orderBy: { id: 'ASC' } });
    const ids = Array.from({ length: N }, (_, i) => `M${String(i).padStart(8, '0')}`);
    for (let i = 0; i < N; i += 500) {
      const em = db.em();
      for (let j = i; j < Math.min(N, i + 500); j++) {
        const v = villages[j % villages.length];
        em.create(Household, { id: ids[j], headName: `压测户${j}`, idNumber: `MEM${String(j).padStart(15, '0')}`, phone: null, town: v.town, village: v.name, memberCount: 3, status: 'ordinary' } as never);
      }
      await em.flush();
    }
    writeFileSync(bundleFile, (await workflowBundle()).code);

    // ---------- the worker child and its memory ----------
    let tail: string[] = [];
    const startWorker = async () => {
      const child = spawn(process.execPath, ['--report-on-signal', `--report-directory=${reports}`, '--report-compact', '--import', 'tsx', join(ROOT, 'scripts/worker.ts')], {
        cwd: ROOT,
        env: workerEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (c: Buffer) => {
        tail.push(...String(c).split('\n').filter((l) => l && !l.includes('Node.js report')));
        tail = tail.slice(-30);
      };
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start:\n${tail.join('\n')}`)), 120_000);
        child.stdout!.on('data', (c) => {
          keep(c);
          out += c;
          if (out.includes('worker ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr!.on('data', keep);
        child.once('exit', (code, sig) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code ?? sig}):\n${tail.join('\n')}`));
        });
      });
      child.removeAllListeners('exit');
      child.once('exit', (code, sig) => {
        if (worker === child) console.error(`worker exited unexpectedly (${code ?? sig}):\n${tail.join('\n')}`);
      });
      process.once('exit', () => child.kill('SIGKILL'));
      worker = child;
    };
    const stopWorker = async () => {
      const child = worker!;
      worker = undefined;
      await new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      });
    };
    let peak = 0;
    const sampler = setInterval(() => {
      if (worker?.pid) peak = Math.max(peak, procMemory(worker.pid).rss);
    }, 250);
    /** V8 heap used (main thread + workflow threads) from a diagnostic report. */
    const heapUsed = async (): Promise<{ main: number; threads: number } | undefined> => {
      const before = new Set(readdirSafe(reports));
      worker!.kill('SIGUSR2');
      for (let i = 0; i < 100; i++) {
        await sleep(100);
        const file = readdirSafe(reports).find((f) => !before.has(f));
        if (!file) continue;
        try {
          const r = JSON.parse(readFileSync(join(reports, file), 'utf8'));
          rmSync(join(reports, file));
          return { main: r.javascriptHeap.usedMemory, threads: (r.workers ?? []).reduce((s: number, w: any) => s + (w.javascriptHeap?.usedMemory ?? 0), 0) };
        } catch {
          // still being written
        }
      }
      return undefined;
    };
    const cacheSize = async (): Promise<string> => {
      if (!metricsPort) return '';
      try {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const line = text.split('\n').find((l) => /^temporal_sticky_cache_size\b/.test(l));
        return line ? `  cached ${line.split(' ').pop()}` : '';
      } catch {
        return '';
      }
    };
    const rows: { label: string; rss: number; peak: number; heap?: { main: number; threads: number } }[] = [];
    const report = async (label: string) => {
      const { rss } = procMemory(worker!.pid!);
      const p = Math.max(peak, rss);
      const cached = await cacheSize();
      const heap = await heapUsed();
      rows.push({ label, rss, peak: p, heap });
      const h = heap ? `  heap ${mb(heap.main + heap.threads)} (main ${mb(heap.main)}, workflow thread ${mb(heap.threads)})` : '';
      console.log(`  ${label.padEnd(44)} RSS ${mb(rss).padStart(7)}  peak ${mb(p).padStart(7)}${h}${cached}  cpu ${procCpu(worker!.pid!).toFixed(0)} s`);
      peak = 0;
    };

    console.log(`fangfan worker-memory benchmark — ${new Date().toISOString()}, Node ${process.version}`);
    console.log(`${N} identification cases, started by ${START === 'process' ? 'startProcess' : 'the bare client'}, ${CONCURRENCY} starts in flight, over ${villages.length} villages; worker in its own process (scripts/worker.ts)`);
    console.log(
      `worker settings (temporal.yaml, server/worker.ts): maxCachedWorkflows ${cfg.worker.maxCachedWorkflows}, maxConcurrentWorkflowTaskExecutions ${cfg.worker.maxConcurrentWorkflowTaskExecutions}, ` +
        `maxConcurrentActivityTaskExecutions ${cfg.worker.maxConcurrentActivityTaskExecutions}; not set, so SDK 1.24 defaults: reuseV8Context true, workflowThreadPoolSize 1`,
    );
    const t0 = Date.now();
    await startWorker();
    console.log(`worker started in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${worker!.pid})`);
    await sleep(3000);
    await report('before any case');

    // ---------- open N cases ----------
    const tStart = Date.now();
    let done = 0;
    let retried = 0;
    let latency = 0;
    const marks = new Set<number>([...Array.from({ length: Math.floor(N / EVERY) }, (_, k) => (k + 1) * EVERY), cfg.worker.maxCachedWorkflows].filter((m) => m < N));
    const reporting: Promise<void>[] = [];
    const openSteps = () => db.em().count(Step, { processType: 'identification', stepKey: 'homeVerification', status: 'open' });
    let projected = 0;
    let starting = true;
    const poller = (async () => {
      while (starting) {
        projected = await openSteps();
        await sleep(500);
      }
    })();
    const workflowType = processType('identification')!.workflowType;
    await pool(ids, async (householdId) => {
      const s = Date.now();
      const request = { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '压测' };
      for (let attempt = 0; ; attempt++) {
        try {
          if (START === 'process') {
            await startProcess(services, admin, 'identification', request);
          } else {
            // No more than 4 × CONCURRENCY cases started and not yet open, so the worker is never far behind.
            while (done - projected > 4 * CONCURRENCY) await sleep(100);
            const prepared = await identificationStarter.prepare(db.em(), admin, request as never, policy);
            const id = processIdOf('identification', prepared.subject, 1);
            await client.workflow.start(workflowType, { workflowId: id, taskQueue, args: prepared.workflowArgs(id) });
          }
          break;
        } catch (err) {
          // an earlier attempt started it
          if ((err as { status?: number }).status === 409 || (err as Error).name === 'WorkflowExecutionAlreadyStartedError') break;
          if (attempt >= 10) throw err;
          retried += 1;
          await sleep(200 * (attempt + 1));
        }
      }
      latency += Date.now() - s;
      done += 1;
      if (marks.has(done)) reporting.push(report(`after ${done} cases (${((Date.now() - tStart) / 1000).toFixed(0)} s)`));
    });
    starting = false;
    await poller;
    await Promise.all(reporting);
    const startSeconds = (Date.now() - tStart) / 1000;
    // Until every case has projected its first step into the read model (the worker is then idle).
    for (let n = 0; (n = await openSteps()) < N; ) {
      if (Date.now() - tStart > startSeconds * 1000 + 300_000) throw new Error(`only ${n}/${N} first steps open`);
      await sleep(1000);
    }
    console.log(`started ${N} cases in ${startSeconds.toFixed(0)} s (${(N / startSeconds).toFixed(1)}/s, ${(latency / N / 1000).toFixed(1)} s per start, ${retried} starts retried); every first step open after ${((Date.now() - tStart) / 1000).toFixed(0)} s`);
    await report(`after all ${N} cases`);
    await sleep(IDLE_S * 1000);
    await report(`after ${IDLE_S} s idle`);

    // ---------- restart: empty cache, then touch every case once ----------
    await stopWorker();
    const tRestart = Date.now();
    await startWorker();
    await sleep(3000);
    await report(`worker restarted (cache empty; ${((Date.now() - tRestart) / 1000).toFixed(0)} s)`);
    const tTouch = Date.now();
    let queried = 0;
    const touchMarks = new Set(marks);
    const touchReports: Promise<void>[] = [];
    await pool(ids, async (householdId) => {
      const id = `identification:${householdId}:1`;
      for (let attempt = 0; ; attempt++) {
        try {
          const state = await client.workflow.getHandle(id).query(stateQuery);
          if (state.status !== 'running') throw new Error(`${id} is ${state.status}`);
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          await sleep(500);
        }
      }
      queried += 1;
      if (touchMarks.has(queried)) touchReports.push(report(`touching: ${queried} cases queried (${((Date.now() - tTouch) / 1000).toFixed(0)} s)`));
    });
    await Promise.all(touchReports);
    const touchSeconds = (Date.now() - tTouch) / 1000;
    await report(`after querying all ${N} (${touchSeconds.toFixed(0)} s, ${(N / touchSeconds).toFixed(0)}/s)`);
    await sleep(IDLE_S * 1000);
    await report(`after ${IDLE_S} s idle`);
    clearInterval(sampler);

    const open = await client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`);
    console.log(`open cases in Temporal at the end: ${open.count}`);
    console.log(`total: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const env = ['BENCH_START', 'BENCH_CONCURRENCY', 'BENCH_IDLE_S', 'BENCH_EVERY', 'BENCH_METRICS', 'SQLITE_SYNCHRONOUS'].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `).join('');
    console.log(`repeat: ${env}npx tsx bench/worker-memory.ts ${N}`);
    await stopWorker();
  } finally {
    if (worker) worker.kill('SIGKILL');
    await services.close();
    await dev.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
