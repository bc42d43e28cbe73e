/**
 * The embedded default (`npm start`) on a data directory of its own, for the backup, restore and upgrade
 * tests (tests/ops/): its own Temporal dev server on `DATA_DIR/temporal.sqlite`, the read model on
 * `DATA_DIR/fangfan.sqlite`, evidence files under `DATA_DIR/files`, the API in-process and a worker.
 * `start()` does what the app's start does after a restore (catchUpAfterRestore); `stop()` stops it all,
 * leaving the files as a stopped app leaves them. The API is called as the demo users (password demo1234).
 */
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import { initORM, Process, Step, type Db } from '../../db';
import { loadPolicy } from '../../policy';
import { fangfan } from '../../server/app';
import { frameworkErrors } from '../../server/errors';
import { activityDeps, createServices, type OpenServices } from '../../server/services';
import { loadTemporalConfig } from '../../server/config';
import { connectWorker } from '../../server/temporal';
import { createWorker } from '../../server/worker';
import { seedDemo } from '../../server/seed';
import { catchUpAfterRestore, type DataFiles } from '../../server/backup';
import { stateQuery } from '../../contracts/messages';
import type { CaseState } from '../../contracts/steps';
import { reproject } from '../../scripts/reproject';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { startDevServer } from '../../scripts/lib/dev-server.mjs';
import { DEMO_PASSWORD } from './app';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Running {
  dev: { address: string; stop(): Promise<void> };
  services: OpenServices;
  app: FastifyInstance;
  worker: Worker;
  run: Promise<void>;
  connection: NativeConnection;
}

export class EmbeddedApp {
  readonly files: DataFiles;
  private cliPath?: string;
  private port?: number;
  private running?: Running;
  private readonly tokens = new Map<string, string>();

  constructor(
    dataDir: string,
    private readonly policyFile: string,
  ) {
    this.files = { dataDir, temporal: join(dataDir, 'temporal.sqlite'), readModel: join(dataDir, 'fangfan.sqlite'), evidence: join(dataDir, 'files') };
  }

  get services(): OpenServices {
    if (!this.running) throw new Error('the app is stopped');
    return this.running.services;
  }

  async start(): Promise<void> {
    this.cliPath ??= await ensureTemporalCli({ log: () => {} });
    this.port ??= await freePort();
    const dev = await startDevServer({ cliPath: this.cliPath, dbFile: this.files.temporal, port: this.port, headless: true, log: () => {} });
    // The default task queue, as `npm start` uses: the cases of a restored data directory run on it.
    const temporal = { ...loadTemporalConfig({}), address: dev.address };
    const services = await createServices({ database: this.files.readModel, temporal, policy: loadPolicy(this.policyFile), sessionHours: 1 });
    await seedDemo(services.db, { password: DEMO_PASSWORD });
    const app = Fastify({ logger: false, frameworkErrors });
    await app.register(fangfan, { services });
    await app.ready();
    const connection = await connectWorker(temporal, dev.address);
    const worker = await createWorker({ connection, cfg: temporal, deps: activityDeps(services) });
    this.running = { dev, services, app, worker, run: worker.run(), connection };
    this.tokens.clear();
    await catchUpAfterRestore(services, this.files, () => {});
  }

  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    r.worker.shutdown();
    await r.run;
    await r.connection.close();
    await r.app.close();
    await r.services.close();
    await r.dev.stop();
  }

  /** `app.inject` as a demo user (a username), or without a token for `null`. */
  async call(as: string | null, opts: InjectOptions) {
    const app = this.running!.app;
    const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
    if (as) {
      if (!this.tokens.has(as)) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: as, password: DEMO_PASSWORD } });
        expect(res.statusCode, res.body).toBe(200);
        this.tokens.set(as, res.json().token);
      }
      headers.authorization = `Bearer ${this.tokens.get(as)}`;
    }
    if (opts.method === 'POST') headers['idempotency-key'] ??= randomUUID();
    return app.inject({ ...opts, headers });
  }

  detail(as: string, id: string) {
    return this.call(as, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}` });
  }

  /** Waits until the case lists `key` among its open steps (as `as` sees it). */
  async whenOpen(as: string, id: string, key: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const res = await this.detail(as, id);
      if (res.statusCode === 200 && res.json().openSteps?.some((s: { key: string }) => s.key === key)) return;
      await sleep(100);
    }
    throw new Error(`${id}: step ${key} never opened`);
  }

  /** Completes the open step `key` as `as`, expecting it accepted; returns the response's body. */
  async complete(as: string, id: string, key: string, form: object) {
    await this.whenOpen(as, id, key);
    const res = await this.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: form });
    expect(res.statusCode, `${id} ${key}: ${res.body}`).toBe(200);
    return res.json();
  }

  /** The case's state from its workflow, waiting for a case being started (e.g. a campaign's visits). */
  async state(id: string): Promise<CaseState> {
    for (let i = 0; ; i++) {
      try {
        return (await this.services.temporal.client.workflow.getHandle(id).query(stateQuery)) as CaseState;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) || i >= 300) throw err;
        await sleep(100);
      }
    }
  }

  /** Step completions the case accepted, in its history (one per completed step: nothing done twice). */
  async acceptedUpdates(id: string): Promise<number> {
    let n = 0;
    for (const e of (await this.services.temporal.client.workflow.getHandle(id).fetchHistory()).events ?? []) {
      if (e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'completeStep') n += 1;
    }
    return n;
  }

  /** The read model's cases and steps, and the same rebuilt from the workflows into `rebuiltFile` (scripts/reproject.ts). */
  async readModelAndReprojection(rebuiltFile: string): Promise<{ live: unknown; rebuilt: unknown }> {
    const rebuilt: Db = await initORM(rebuiltFile);
    try {
      await reproject({ client: this.services.temporal.client, db: rebuilt });
      return { live: await dumpCases(this.services.db), rebuilt: await dumpCases(rebuilt) };
    } finally {
      await rebuilt.close();
    }
  }
}

/**
 * Cases and steps as the read model holds them, without when a row was written or by which run, and without
 * the steps' copy of their household's category and risk types (taken from the register, which a database
 * rebuilt from the workflows alone does not hold).
 */
async function dumpCases(d: Db) {
  const strip = ({ updatedAt: _u, runId: _r, householdCategory: _c, householdRiskTypes: _t, ...rest }: Record<string, unknown>) => rest;
  return {
    processes: (await d.em().find(Process, {}, { orderBy: { id: 'ASC' } })).map((p) => strip({ ...p })),
    steps: (await d.em().find(Step, {}, { orderBy: { id: 'ASC' } })).map((s) => strip({ ...s })),
  };
}
