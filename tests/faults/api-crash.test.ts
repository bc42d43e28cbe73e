/**
 * The API process killed between accepting a request and answering it. The API runs as its own process
 * (scripts/api.ts) with the `after-accept` failpoint armed (server/failpoints.ts): it dies the moment
 * Temporal has the start, the step update or the signal, before the answer is stored or sent. The client
 * sees the connection drop, and retries with the same Idempotency-Key on a fresh API process: the retry
 * gets the answer of the first attempt and the effect happened once — one case, one completed step, one
 * recorded alert. The worker runs in its own process too (scripts/worker.ts); Temporal is the suite's
 * dev server.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { initORM, Household, Process, type Db } from '../../db';
import { seedDemo } from '../../server/seed';
import { connectClient } from '../../server/temporal';
import { loadTemporalConfig } from '../../server/config';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { freePort } from '../../scripts/lib/ports.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const PASSWORD = 'demo1234';
const LIMIT = Number(process.env.FAULT_TIMEOUT_MS || 900_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let db: Db;
let client: Client;
let address: string;
let namespace: string;
const taskQueue = `api-crash-${randomUUID()}`;
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Start a child process and wait for its ready line. */
async function startChild(script: string, ready: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, DB_FILE: join(dir, 'read.sqlite'), TASK_QUEUE: taskQueue, POLICY_FILE: policyFile, TEMPORAL_METRICS_ADDRESS: '', METRICS: 'false', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c;
      if (out.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c) => (out += c));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? sig}) before it was ready:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', () => children.delete(child));
  return child;
}

let api: { child: ChildProcess; url: string } | undefined;
async function startApi(failpoint?: string): Promise<void> {
  const port = await freePort();
  const child = await startChild('scripts/api.ts', 'api ready', {
    HOST: '127.0.0.1',
    PORT: String(port),
    // A crashed attempt's pending record may be taken over after this lease (default 60 s).
    IDEMPOTENCY_LEASE_MS: '1500',
    FANGFAN_FAILPOINT: failpoint ?? '',
    ENSURE_SCHEDULES: 'false', // the suite's dev server is shared: no schedules on it from here
  });
  api = { child, url: `http://127.0.0.1:${port}` };
}
function stopApi(): Promise<void> {
  const child = api?.child;
  api = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, sig) => resolve(sig ?? code)));
}

const tokens = new Map<string, string>();
async function token(user: string): Promise<string> {
  if (!tokens.has(user)) {
    const res = await fetch(`${api!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }) });
    expect(res.status, `login ${user}`).toBe(200);
    tokens.set(user, ((await res.json()) as { token: string }).token);
  }
  return tokens.get(user)!;
}
async function post(user: string, path: string, body: object, key: string): Promise<{ status: number; body: any; replayed: boolean }> {
  const res = await fetch(`${api!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(user)}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') === 'true' };
}

/**
 * The crash: the request reaches an API armed to die after Temporal accepted it; the client sees the
 * connection drop (no answer). Then a fresh API takes the retry, as a load balancer would send it.
 */
async function crashThenRetry(user: string, path: string, body: object, key: string) {
  await startApi('after-accept');
  const dying = api!.child;
  await token(user); // log in before arming matters: logins are not idempotent writes
  const first = await post(user, path, body, key).then(
    (r) => ({ answered: r.status }),
    (err: Error) => ({ dropped: err.message }),
  );
  expect(first, 'the first attempt gets no answer').toHaveProperty('dropped');
  expect(await exited(dying)).toBe('SIGKILL');
  api = undefined;
  await startApi();
  // A retry inside the dead attempt's lease is told to retry later (409); a real client backs off.
  for (let i = 0; ; i++) {
    const r = await post(user, path, body, key);
    if (!(r.status === 409 && JSON.stringify(r.body).includes('retry later')) || i > 50) return r;
    await sleep(300);
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
const stateOf = (id: string) => client.workflow.getHandle(id).query(stateQuery) as Promise<CaseState>;

beforeAll(async () => {
  address = inject('temporalAddress');
  namespace = inject('temporalNamespace');
  dir = mkdtempSync(join(tmpdir(), 'fangfan-api-crash-'));
  db = await initORM(join(dir, 'read.sqlite'));
  await seedDemo(db, { password: PASSWORD });
  const em = db.em();
  for (const id of ['C000001', 'C000002']) {
    em.create(Household, { id, headName: `崩溃${id}`, idNumber: `CRASH-${id}`, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [] } as never);
  }
  await em.flush();
  client = await connectClient({ ...loadTemporalConfig({}), address, namespace, taskQueue }, address);
  await startChild('scripts/worker.ts', 'worker ready', { WORKFLOW_BUNDLE: join(dir, 'workflow-bundle.js') });
}, LIMIT);

afterAll(async () => {
  await stopApi();
  for (const c of [...children]) c.kill('SIGKILL');
  await client?.connection.close();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the API killed between accepting and answering', () => {
  let caseId: string;

  it('a start: the retry answers with the case the first attempt started, and there is one case', async () => {
    const body = { type: 'identification', input: { householdId: 'C000001', channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '进程崩溃测试' } };
    const r = await crashThenRetry('cadre.rongguang', '/api/processes', body, 'crash-start-C000001');
    expect(r.status).toBe(201);
    caseId = r.body.id;
    // The workflow was started by the first attempt (before the retry was sent), not by the retry.
    const desc = await client.workflow.getHandle(caseId).describe();
    expect(desc.status.name).toBe('RUNNING');
    const processes = await waitFor('the projection', async () => {
      const rows = await db.em().fork().find(Process, { householdId: 'C000001' });
      return rows.length > 0 ? rows : undefined;
    });
    expect(processes.map((p) => p.id)).toEqual([caseId]);
    // Any later retry gets the same answer from the store.
    const again = await post('cadre.rongguang', '/api/processes', body, 'crash-start-C000001');
    expect({ status: again.status, id: again.body.id, replayed: again.replayed }).toEqual({ status: 201, id: caseId, replayed: true });
  }, LIMIT);

  it('a step: the retry answers 200 and the step was completed once', async () => {
    await waitFor('the first step', async () => ((await stateOf(caseId)).steps.some((s) => s.key === 'homeVerification' && s.status === 'open') ? true : undefined));
    const form = {
      verifiedOn: '2026-11-20',
      coVerifierId: 'cadre.rongguang2',
      memberCount: 3,
      perCapitaIncome: 5600,
      guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
      findings: '住院费用高',
    };
    const r = await crashThenRetry('cadre.rongguang', `/api/processes/${encodeURIComponent(caseId)}/steps/homeVerification`, form, 'crash-step-C000001');
    expect(r.status).toBe(200);
    const state = await stateOf(caseId);
    expect(state.events.filter((e) => e.kind === 'step_done')).toHaveLength(1);
    expect(state.steps.filter((s) => s.key === 'homeVerification').map((s) => s.status)).toEqual(['done']);
    let accepted = 0;
    for (const e of (await client.workflow.getHandle(caseId).fetchHistory()).events ?? []) if (e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'completeStep') accepted += 1;
    expect(accepted).toBe(1);
  }, LIMIT);

  it('a department alert (a signal to the open case): the retry answers 2xx and the alert is recorded once', async () => {
    const body = { householdId: 'C000001', department: '区医保局', reference: 'YB-CRASH-1', riskTypes: ['illness'], description: '自付医疗费用高' };
    const r = await crashThenRetry('yibao', '/api/alerts', body, 'crash-alert-C000001');
    expect([201, 202]).toContain(r.status);
    expect(r.body.processId).toBe(caseId);
    // Queries see every event in history when they are asked (Temporal's queries are consistent), and
    // both attempts' signals were in history before the retry was answered.
    const state = await stateOf(caseId);
    expect(state.events.filter((e) => e.kind === 'department_alert')).toHaveLength(1);
    expect(state.departments).toContain('区医保局');
  }, LIMIT);
});
