/**
 * Faults on the real dev server. This file starts its OWN Temporal dev server (on a temp SQLite file,
 * because it stops and restarts it) and runs the worker in a child process (scripts/worker.ts) that it
 * kills with SIGKILL; the API runs in-process. Cases are driven over HTTP with an Idempotency-Key on
 * every request, retried on 5xx/409-retry-later as a real client would.
 *
 * Then for every case: the workflow finished; each step is done exactly once; the department alert
 * (a signal) is recorded exactly once; the history has exactly one accepted update per step; and the
 * read model (process row and step rows) equals the workflow's own state. Finally the read model is
 * rebuilt from the workflows (scripts/reproject.ts) into a fresh database and compared with the live one.
 *
 * FAULT_CASES (default 60) sets the size of the worker-kill run; the restart run uses half. Each approval
 * also starts a helper assignment (P2) from the worker, so the runs hold 1.5 × FAULT_CASES workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { initORM, Household, Process, Step, type Db } from '../../db';
import { loadCalendar } from '../../calendar';
import { loadPolicy } from '../../policy';
import { fangfanApp } from '../../server/app';
import { frameworkErrors } from '../../server/errors';
import { connectClient } from '../../server/temporal';
import { loadTemporalConfig } from '../../server/config';
import { seedDemo } from '../../server/seed';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { reproject } from '../../scripts/reproject';
// @ts-expect-error plain ESM helper without types
import { ensureTemporalCli, freePort, startDevServer } from '../../scripts/lib/tools.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const N = Number(process.env.FAULT_CASES || 60);
const PASSWORD = 'demo1234';
const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
const TOWN = 'town.tongjing';
const SUPERVISOR = 'supervisor';
const DEPT = 'yibao';
const STEP_KEYS = ['homeVerification', 'villageReview', 'publicNotice', 'townReview', 'districtApproval'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => (process.env.FAULT_LOG ? console.log(`[faults] ${m}`) : undefined);

let dir: string;
let cliPath: string;
let dev: { address: string; port: number; stop(): Promise<void> };
let devPort: number;
let db: Db;
let client: Client;
let app: FastifyInstance;
const taskQueue = `faults-${randomUUID()}`;
const dbFile = () => join(dir, 'read.sqlite');

async function startDev() {
  dev = await startDevServer({ cliPath, dbFile: join(dir, 'temporal.db'), port: devPort, headless: true, log });
}

// ---------- the worker child ----------

let worker: ChildProcess | undefined;
let workerStarts = 0;
async function startWorker(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: dev.address,
      DB_FILE: dbFile(),
      TASK_QUEUE: taskQueue,
      POLICY_FILE: policyFile,
      WORKFLOW_BUNDLE: join(dir, 'workflow-bundle.js'),
      TEMPORAL_METRICS_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker = child;
  workerStarts += 1;
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', (c) => {
      out += c;
      if (out.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (c) => {
      out += c;
      if (process.env.FAULT_LOG) process.stderr.write(c);
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? sig}) before it was ready:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
}

function killWorker(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const child = worker;
  worker = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

// ---------- the API, in-process ----------

const tokens = new Map<string, string>();
async function call(as: string, method: 'GET' | 'POST', url: string, payload?: object, key?: string) {
  if (!tokens.has(as)) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: as, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${as}: ${res.statusCode} ${res.body}`);
    tokens.set(as, res.json().token);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(as)}` };
  if (key) headers['idempotency-key'] = key;
  return app.inject({ method, url, payload, headers });
}

/** What a real client does: the same request with the same Idempotency-Key until it gets an answer. */
async function reliably(as: string, url: string, payload: object, key: string, ok: number[]) {
  const until = Date.now() + 150_000;
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let body = '';
    try {
      const res = await call(as, 'POST', url, payload, key);
      status = res.statusCode;
      body = res.body;
      if (ok.includes(status)) return res.json();
    } catch (err) {
      body = String(err);
    }
    const retryable = status === 0 || status >= 500 || (status === 409 && body.includes('retry later'));
    if (aborted) throw new Error('aborted');
    if (!retryable || Date.now() > until) throw new Error(`${url} (${key}): ${status} ${body}`);
    await sleep(Math.min(2000, 100 * 2 ** attempt));
  }
}

/**
 * Wait until the case shows the step open, as a user acting from the inbox would. (A start accepted
 * while no worker runs is answered 201 before the first step exists; completing a step that is not
 * open yet is a 409, remembered under its Idempotency-Key.)
 */
async function whenOpen(id: string, key: string): Promise<void> {
  const until = Date.now() + 150_000;
  for (let i = 0; ; i++) {
    try {
      const res = await call(SUPERVISOR, 'GET', `/api/processes/${encodeURIComponent(id)}`);
      if (res.statusCode === 200 && res.json().openSteps?.some((s: { key: string }) => s.key === key)) return;
    } catch {
      /* Temporal unavailable: try again */
    }
    if (Date.now() > until) throw new Error(`${id}: step ${key} never opened`);
    await sleep(Math.min(1000, 50 * 2 ** i));
  }
}

let aborted = false;

async function driveCase(hh: string, tag: string): Promise<string> {
  const started = await reliably(
    CADRE,
    '/api/processes',
    { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '故障测试' } },
    `${tag}-start-${hh}`,
    [201],
  );
  const id: string = started.id;
  const joined = await reliably(DEPT, '/api/alerts', { householdId: hh, department: '区医保局', reference: `YB-${hh}`, riskTypes: ['illness'], description: '自付医疗费用高' }, `${tag}-alert-${hh}`, [201, 202]);
  expect(joined.processId).toBe(id);
  const step = async (as: string, key: string, body: object) => {
    await whenOpen(id, key);
    return reliably(as, `/api/processes/${encodeURIComponent(id)}/steps/${key}`, body, `${tag}-${key}-${hh}`, [200]);
  };
  await step(CADRE, 'homeVerification', {
    verifiedOn: '2026-11-20',
    coVerifierId: CADRE2,
    memberCount: 3,
    perCapitaIncome: 5600,
    guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
    findings: '住院费用高',
  });
  await step(CADRE2, 'villageReview', { heldOn: '2026-11-21', participants: 30, result: 'pass', minutes: '同意纳入' });
  await sleep(2300); // the short policy's notice minimum is 2 s
  await step(CADRE, 'publicNotice', { postedOn: '2026-11-22', endedOn: '2026-11-27', location: '村务公开栏' });
  await step(TOWN, 'townReview', { decision: 'approve' });
  await step(SUPERVISOR, 'districtApproval', { decision: 'approve' });
  return id;
}

async function driveAll(households: string[], tag: string, concurrency: number): Promise<string[]> {
  const queue = [...households];
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let hh = queue.shift(); hh && !aborted; hh = queue.shift()) {
        try {
          ids.push(await driveCase(hh, tag));
        } catch (err) {
          aborted = true; // stop the other drivers: the test fails with this error
          throw err;
        }
      }
    }),
  );
  return ids;
}

// ---------- the checks ----------

async function checkCase(id: string): Promise<void> {
  const handle = client.workflow.getHandle(id);
  await handle.result();
  const state = (await handle.query(stateQuery)) as CaseState;
  expect(state.status, id).toBe('completed');
  // Each step exactly once, each done; the alert signal recorded exactly once.
  expect(state.steps.map((s) => s.id).sort(), id).toEqual(STEP_KEYS.map((k) => `${k}-1`).sort());
  expect(state.steps.every((s) => s.status === 'done'), id).toBe(true);
  expect(state.events.filter((e) => e.kind === 'step_done').length, id).toBe(5);
  expect(state.events.filter((e) => e.kind === 'department_alert').length, id).toBe(1);
  const accepted = new Map<string, number>();
  for (const e of (await handle.fetchHistory()).events ?? []) {
    const a = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (a) {
      const name = a.acceptedRequest?.input?.name ?? '';
      accepted.set(name, (accepted.get(name) ?? 0) + 1);
    }
  }
  expect([...accepted.values()].reduce((a, b) => a + b, 0), `${id}: accepted updates`).toBe(5);

  // The read model equals the workflow's state.
  const em = db.em();
  const row = await em.findOneOrFail(Process, { id });
  expect({ status: row.status, stage: row.stage, revision: row.revision }, id).toEqual({ status: state.status, stage: state.stage, revision: state.revision });
  const steps = await em.find(Step, { processId: id }, { orderBy: { id: 'ASC' } });
  expect(
    steps.map((s) => ({ id: s.stepId, status: s.status, by: s.completedBy })),
    id,
  ).toEqual(
    [...state.steps].sort((a, b) => `${id}/${a.id}`.localeCompare(`${id}/${b.id}`)).map((s) => ({ id: s.id, status: s.status, by: s.completedBy?.id ?? null })),
  );
}

async function checkAll(ids: string[]) {
  expect(new Set(ids).size).toBe(ids.length);
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await checkCase(id);
    }),
  );
}

async function addHouseholds(prefix: string, n: number): Promise<string[]> {
  const em = db.em();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}${String(i).padStart(6, '0')}`;
    ids.push(id);
    em.create(Household, { id, headName: `故障${i}`, idNumber: `FAULT-${id}`, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] } as never);
  }
  await em.flush();
  return ids;
}

// ---------- set-up ----------

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangfan-faults-'));
  cliPath = await ensureTemporalCli({ log });
  devPort = await freePort();
  await startDev();
  db = await initORM(dbFile());
  await seedDemo(db, { password: PASSWORD });
  const cfg = { ...loadTemporalConfig({}), address: dev.address, taskQueue };
  client = await connectClient(cfg, dev.address);
  const policy = loadPolicy(policyFile);
  const calendar = loadCalendar();
  app = Fastify({ logger: false, frameworkErrors });
  await app.register(fangfanApp, {
    db,
    temporal: { client, taskQueue, namespace: cfg.namespace },
    policy: () => policy,
    calendar: () => calendar,
    sessionHours: 1,
  });
  await app.ready();
  await startWorker();
}, 180_000);

afterAll(async () => {
  await killWorker('SIGTERM');
  await app?.close();
  await client?.connection.close();
  await db?.close();
  await dev?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const live: string[] = [];

describe('faults', () => {
  it(`SIGKILLs the worker 3 times during ${N} cases: every case finishes, nothing lost or doubled`, async () => {
    const households = await addHouseholds('K', N);
    const started = Date.now();
    const run = driveAll(households, 'k', 25);
    let kills = 0;
    const killer = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(6000);
        await killWorker('SIGKILL');
        kills += 1;
        log(`worker killed (${kills})`);
        await sleep(500);
        await startWorker();
      }
    })();
    const [ids] = await Promise.all([run, killer]);
    log(`${ids.length} cases in ${Date.now() - started} ms, ${kills} kills`);
    expect(kills).toBe(3);
    expect(ids).toHaveLength(N);
    await checkAll(ids);
    live.push(...ids);
  }, 240_000);

  it('stops and restarts the dev server on its SQLite file mid-run: the same', async () => {
    const n = Math.max(10, Math.floor(N / 2));
    const households = await addHouseholds('R', n);
    const run = driveAll(households, 'r', 25);
    const restart = (async () => {
      await sleep(4000);
      await dev.stop();
      log('dev server stopped');
      await sleep(1000);
      await startDev();
      log('dev server restarted');
    })();
    const [ids] = await Promise.all([run, restart]);
    expect(ids).toHaveLength(n);
    await checkAll(ids);
    live.push(...ids);
  }, 240_000);

  it('rebuilds the read model from the workflows: it matches the live one', async () => {
    expect(live.length).toBeGreaterThan(0);
    const rebuilt = await initORM(join(dir, 'rebuilt.sqlite'));
    try {
      const r = await reproject({ client, db: rebuilt });
      expect(r.skipped).toEqual([]);
      // Every identification, and the helper assignments (P2) their approvals started.
      expect(r.projected).toBeGreaterThanOrEqual(live.length);
      const strip = ({ updatedAt: _u, runId: _r, ...rest }: any) => rest;
      const dump = async (d: Db) => ({
        processes: (await d.em().find(Process, {}, { orderBy: { id: 'ASC' } })).map(strip),
        steps: (await d.em().find(Step, {}, { orderBy: { id: 'ASC' } })).map(strip),
      });
      const [a, b] = await Promise.all([dump(db), dump(rebuilt)]);
      expect(a.processes.filter((p: any) => p.type === 'identification').map((p: any) => p.id).sort()).toEqual([...live].sort());
      expect(a.steps.filter((s: any) => s.processType === 'identification')).toHaveLength(live.length * 5);
      expect(b).toEqual(a);
    } finally {
      await rebuilt.close();
    }
  }, 120_000);
});
