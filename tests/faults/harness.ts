/**
 * The harness of the fault tests (tests/faults/*.test.ts). Each test file that calls `useFaultHarness()`
 * gets its OWN Temporal dev server (on a temp SQLite file, because a test stops and restarts it), its own
 * read model, the API in-process and the worker in a child process (scripts/worker.ts) that a test may
 * kill with SIGKILL. Cases (identification, P1) are driven over HTTP with an Idempotency-Key on every
 * request, retried on 5xx/409-retry-later as a real client would.
 *
 * `checkAll` then asserts for every case: the workflow finished; each step is done exactly once; the
 * department alert (a signal) is recorded exactly once; the history has exactly one accepted update per
 * step; the case replays from its history (a query on a closed case replays it on a fresh worker; a
 * failing history is written to tests/artifacts/faults/); and the read model (process row and step rows)
 * equals the workflow's own state. `checkReprojection` rebuilds the read model from the workflows
 * (scripts/reproject.ts) into a fresh database and compares it with the live one.
 *
 * Each approval also starts a helper assignment (P2) from the worker, so a run of n cases holds 1.5 × n
 * workflows.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import sharp from 'sharp';
import { initORM, Household, Process, Step, type Db } from '../../db';
import { loadPolicy } from '../../policy';
import { fangfan } from '../../server/app';
import { frameworkErrors } from '../../server/errors';
import { createServices, type OpenServices } from '../../server/services';
import { loadTemporalConfig } from '../../server/config';
import { seedDemo } from '../../server/seed';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { reproject } from '../../scripts/reproject';
import { isSdkUpdateOrderingBug } from './sdk-bug';
import { multipartFile } from '../helpers/evidence';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { startDevServer } from '../../scripts/lib/dev-server.mjs';


const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
export const N = Number(process.env.FAULT_CASES || 100);
export const KILLS = Number(process.env.FAULT_KILLS || 3);
export const KILL_EVERY_MS = Number(process.env.FAULT_KILL_EVERY_MS || 6000);
/** A guard against a hang, not a timing assert: a loaded 2-core machine runs these several times slower. */
export const LIMIT = Number(process.env.FAULT_TIMEOUT_MS || 900_000);
const PASSWORD = 'demo1234';
const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
const TOWN = 'town.tongjing';
const SUPERVISOR = 'supervisor';
const DEPT = 'yibao';
const STEP_KEYS = ['homeVerification', 'villageReview', 'publicNotice', 'townReview', 'districtApproval'];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (m: string) => (process.env.FAULT_LOG ? console.log(`[faults] ${m}`) : undefined);

let dir: string;
let cliPath: string;
export let dev: { address: string; port: number; stop(): Promise<void> };
let devPort: number;
export let db: Db;
export let client: Client;
let app: FastifyInstance;
let services: OpenServices;
const taskQueue = `faults-${randomUUID()}`;
const dbFile = () => join(dir, 'read.sqlite');

export async function startDev() {
  dev = await startDevServer({ cliPath, dbFile: join(dir, 'temporal.db'), port: devPort, headless: true, log });
}

// ---------- the worker child ----------

let worker: ChildProcess | undefined;
let workerStarts = 0;
export async function startWorker(): Promise<void> {
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

export function killWorker(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
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
export async function call(as: string, method: 'GET' | 'POST', url: string, payload?: object, key?: string) {
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
export async function reliably(as: string, url: string, payload: object, key: string, ok: number[]) {
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

/** Upload a photo of the posted notice (required evidence), until the API answers. */
async function noticePhoto(hh: string): Promise<string> {
  const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#8a4' } }).jpeg().toBuffer();
  const { payload, headers } = multipartFile(`公示-${hh}.jpg`, bytes, 'image/jpeg');
  for (let attempt = 0; ; attempt++) {
    if (!tokens.has(CADRE)) await call(CADRE, 'GET', '/api/auth/me');
    const res = await app.inject({ method: 'POST', url: '/api/files', payload, headers: { ...headers, authorization: `Bearer ${tokens.get(CADRE)}` } }).catch(() => undefined);
    if (res?.statusCode === 201) return res.json().id;
    if (aborted || attempt > 20) throw new Error(`upload: ${res?.statusCode} ${res?.body}`);
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
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // the notice opened today
  await step(CADRE, 'publicNotice', { postedOn: today, endedOn: today, location: '村务公开栏', photos: [await noticePhoto(hh)] });
  await step(TOWN, 'townReview', { decision: 'approve' });
  await step(SUPERVISOR, 'districtApproval', { decision: 'approve' });
  return id;
}

export async function driveAll(households: string[], tag: string, concurrency: number): Promise<string[]> {
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

/** Cases whose history hit the SDK bug of tests/faults/sdk-bug.ts (checked without replay, see checkCase). */
export const sdkBugCases: string[] = [];

async function checkCase(id: string): Promise<void> {
  const handle = client.workflow.getHandle(id);
  await handle.result();
  // The case must replay from its history on a fresh worker (a query on a closed case replays it).
  let state: CaseState | undefined;
  try {
    state = (await handle.query(stateQuery)) as CaseState;
  } catch (err) {
    const history = await handle.fetchHistory();
    const out = join(ROOT, 'tests/artifacts/faults');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${id.replace(/[^\w-]/g, '_')}.json`), historyToJSON(history));
    if (!isSdkUpdateOrderingBug(err, history.events ?? [])) throw err;
    // The Temporal SDK's bug, not ours: the live case ran correctly and is checked below from its history
    // and the read model instead of from its replayed state.
    sdkBugCases.push(id);
    console.warn(`[faults] ${id}: its history does not replay because of the Temporal SDK bug of tests/faults/sdk-bug.ts (history in tests/artifacts/faults/)`);
  }
  if (state) {
    expect(state.status, id).toBe('completed');
    // Each step exactly once, each done; the alert signal recorded exactly once.
    expect(state.steps.map((s) => s.id).sort(), id).toEqual(STEP_KEYS.map((k) => `${k}-1`).sort());
    expect(state.steps.every((s) => s.status === 'done'), id).toBe(true);
    expect(state.events.filter((e) => e.kind === 'step_done').length, id).toBe(5);
    expect(state.events.filter((e) => e.kind === 'department_alert').length, id).toBe(1);
  }
  const accepted = new Map<string, number>();
  let alerts = 0;
  for (const e of (await handle.fetchHistory()).events ?? []) {
    const a = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (a) {
      const name = a.acceptedRequest?.input?.name ?? '';
      accepted.set(name, (accepted.get(name) ?? 0) + 1);
    }
    if (e.workflowExecutionSignaledEventAttributes) alerts += 1;
  }
  // One accepted completion per step; besides them only the start's wait for its first steps (once at most).
  expect(accepted.get('completeStep') ?? 0, `${id}: accepted step completions`).toBe(5);
  expect([...accepted.keys()].filter((k) => k !== 'completeStep' && k !== 'settled'), `${id}: other updates`).toEqual([]);
  expect(accepted.get('settled') ?? 0, `${id}: start waits`).toBeLessThanOrEqual(1);
  expect(alerts, `${id}: department alerts signalled`).toBe(1);

  // The read model equals the workflow's state (or, for a case hit by the SDK bug, shows it completed
  // with every step done exactly once by someone).
  const em = db.em();
  const row = await em.findOneOrFail(Process, { id });
  const steps = await em.find(Step, { processId: id }, { orderBy: { id: 'ASC' } });
  if (!state) {
    expect(row.status, id).toBe('completed');
    expect(steps.map((s) => s.stepId).sort(), id).toEqual(STEP_KEYS.map((k) => `${k}-1`).sort());
    expect(steps.every((s) => s.status === 'done' && s.completedBy), id).toBe(true);
    return;
  }
  expect({ status: row.status, stage: row.stage, revision: row.revision }, id).toEqual({ status: state.status, stage: state.stage, revision: state.revision });
  expect(
    steps.map((s) => ({ id: s.stepId, status: s.status, by: s.completedBy })),
    id,
  ).toEqual(
    [...state.steps].sort((a, b) => `${id}/${a.id}`.localeCompare(`${id}/${b.id}`)).map((s) => ({ id: s.id, status: s.status, by: s.completedBy?.id ?? null })),
  );
}

export async function checkAll(ids: string[]) {
  expect(new Set(ids).size).toBe(ids.length);
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await checkCase(id);
    }),
  );
}

export async function addHouseholds(prefix: string, n: number): Promise<string[]> {
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

export function useFaultHarness(): void {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fangfan-faults-'));
    cliPath = await ensureTemporalCli({ log });
    devPort = await freePort();
    await startDev();
    services = await createServices({ database: dbFile(), temporal: { ...loadTemporalConfig({}), address: dev.address, taskQueue }, policy: loadPolicy(policyFile), sessionHours: 1 });
    ({ db, temporal: { client } } = services);
    await seedDemo(db, { password: PASSWORD });
    app = Fastify({ logger: false, frameworkErrors });
    await app.register(fangfan, { services });
    await app.ready();
    await startWorker();
  }, 180_000);

  afterAll(async () => {
    await killWorker('SIGTERM');
    await app?.close();
    await services?.close();
    await dev?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

/** Rebuild the read model from the workflows into a fresh database: it equals the live one. */
export async function checkReprojection(live: string[]): Promise<void> {
  expect(live.length).toBeGreaterThan(0);
  const rebuilt = await initORM(join(dir, 'rebuilt.sqlite'));
  try {
    const r = await reproject({ client, db: rebuilt });
    // The rebuild reads each case's state by a query, which replays it: the cases hit by the SDK bug
    // (checkCase) cannot be rebuilt and are reported as skipped; nothing else may be.
    expect(r.skipped.map((x) => x.workflowId).sort()).toEqual([...sdkBugCases].sort());
    // Every identification, and the helper assignments (P2) their approvals started.
    expect(r.projected).toBeGreaterThanOrEqual(live.length - sdkBugCases.length);
    // A step's householdCategory/householdRiskTypes copy the register's household row (for the statistics), not
    // the workflow: the rebuilt database here has no register, so they are not compared.
    const strip = ({ updatedAt: _u, runId: _r, householdCategory: _c, householdRiskTypes: _t, ...rest }: any) => rest;
    const rebuildable = (processId: string) => !sdkBugCases.includes(processId);
    const dump = async (d: Db) => ({
      processes: (await d.em().find(Process, {}, { orderBy: { id: 'ASC' } })).filter((p) => rebuildable(p.id)).map(strip),
      steps: (await d.em().find(Step, {}, { orderBy: { id: 'ASC' } })).filter((s) => rebuildable(s.processId)).map(strip),
    });
    const [a, b] = await Promise.all([dump(db), dump(rebuilt)]);
    expect(a.processes.filter((p: any) => p.type === 'identification').map((p: any) => p.id).sort()).toEqual(live.filter(rebuildable).sort());
    expect(a.steps.filter((s: any) => s.processType === 'identification')).toHaveLength(live.filter(rebuildable).length * 5);
    // Every field, timestamps included: a case writes the times of the events it handles, never a clock
    // read (workflows/case-clock.ts), so a replay computes exactly what the live run stored.
    await keepMismatches(a, b);
    expect(b).toEqual(a);
  } finally {
    await rebuilt.close();
  }
}

/**
 * Keep what a diagnosis needs: for every case whose rebuilt rows differ from the live ones, its history
 * and both sets of rows (tests/artifacts/faults/<id>.reprojection.json).
 */
async function keepMismatches(live: { processes: any[]; steps: any[] }, rebuilt: { processes: any[]; steps: any[] }): Promise<void> {
  const rowsOf = (d: { processes: any[]; steps: any[] }, id: string) => ({
    process: d.processes.find((p) => p.id === id),
    steps: d.steps.filter((s) => s.processId === id),
  });
  const ids = new Set([...live.processes, ...rebuilt.processes].map((p) => p.id as string));
  for (const id of ids) {
    const a = JSON.stringify(rowsOf(live, id));
    const b = JSON.stringify(rowsOf(rebuilt, id));
    if (a === b) continue;
    const history = await client.workflow.getHandle(id).fetchHistory();
    const out = join(ROOT, 'tests/artifacts/faults');
    mkdirSync(out, { recursive: true });
    const file = join(out, `${id.replace(/[^\w-]/g, '_')}.reprojection.json`);
    writeFileSync(file, JSON.stringify({ live: JSON.parse(a), rebuilt: JSON.parse(b), history: JSON.parse(historyToJSON(history)) }, null, 1));
    console.warn(`[faults] ${id}: rebuilt rows differ from the live ones (rows and history in ${file})`);
  }
}
