/**
 * Builds the real app for API tests: a fresh read model with the demo data, a worker on its own task
 * queue, and the Fastify app, all against the run's real Temporal dev server. The read model is a new
 * SQLite file, or, in the 'api-postgres' project (vitest.config.ts), a new PostgreSQL database on the
 * server of TEST_DATABASE_URL, dropped again when the app closes.
 */
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { scratchDatabase } from '../../db/scratch';
import { initORM, type Db } from '../../db';
import { loadCalendar } from '../../calendar';
import { loadPolicy } from '../../policy';
import { fangfanApp } from '../../server/app';
import { frameworkErrors } from '../../server/errors';
import { connectClient, connectWorker } from '../../server/temporal';
import { createWorker } from '../../server/worker';
import { loadTemporalConfig } from '../../server/config';
import { seedDemo } from '../../server/seed';
import { recomputeProvisionalDeadlines } from '../../server/processes/deadlines';
import type { Services } from '../../server/services';
import { caseStarter } from '../../server/processes/follow-up';

export const DEMO_PASSWORD = 'demo1234';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the 'api-postgres' project: the PostgreSQL server (any database on it) for the read models. */
    testDatabaseUrl?: string;
  }
}

/**
 * Where this app's read model lives, new and empty: a SQLite file in a fresh temporary folder, or a
 * uniquely named database created on the test PostgreSQL server (in the C locale, so that text sorts
 * and compares by code point as on SQLite) and dropped by `drop()`.
 */
async function freshDatabase(): Promise<{ database: string; drop(): Promise<void> }> {
  const server = inject('testDatabaseUrl');
  if (!server) return { database: join(mkdtempSync(join(tmpdir(), 'fangfan-api-')), 'read.sqlite'), drop: async () => undefined };
  const scratch = await scratchDatabase(server, 'fangfan_test');
  return { database: scratch.url, drop: scratch.drop };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  client: Client;
  taskQueue: string;
  /** Log in a demo account; returns its bearer token. */
  login(username: string): Promise<string>;
  /** `app.inject` with the token of `as` (a username) when given. */
  call(as: string | null, opts: InjectOptions): Promise<Awaited<ReturnType<FastifyInstance['inject']>>>;
  close(): Promise<void>;
}

export async function startTestApp(opts: { policyFile?: string; worker?: boolean; limits?: Services['limits'] } = {}): Promise<TestApp> {
  const address = inject('temporalAddress');
  const store = await freshDatabase();
  let db: Db;
  try {
    db = await initORM(store.database);
  } catch (err) {
    await store.drop();
    throw err;
  }
  await seedDemo(db, { password: DEMO_PASSWORD });
  const cfg = { ...loadTemporalConfig({}), address, taskQueue: `test-${randomUUID()}` };
  const client = await connectClient(cfg, address);
  let calendar = loadCalendar();
  const policy = loadPolicy(opts.policyFile);
  // eslint-disable-next-line prefer-const
  let app: FastifyInstance;
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker !== false) {
    worker = await createWorker({ connection: await connectWorker(cfg, address), cfg, deps: { db, calendar: () => calendar, startCase: caseStarter(() => app.services) } });
    running = worker.run();
  }
  app = Fastify({ logger: process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false, frameworkErrors });
  await app.register(fangfanApp, {
    db,
    temporal: { client, taskQueue: cfg.taskQueue, namespace: cfg.namespace },
    policy: () => policy,
    calendar: () => calendar,
    reloadCalendar: async () => {
      calendar = loadCalendar();
      return { years: calendar.officialYears(), recomputed: await recomputeProvisionalDeadlines(app.services) };
    },
    sessionHours: 1,
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  await app.ready();
  const tokens = new Map<string, string>();
  const login = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const token = res.json().token as string;
    tokens.set(username, token);
    return token;
  };
  return {
    app,
    db,
    client,
    taskQueue: cfg.taskQueue,
    login,
    async call(as, o) {
      const headers = { ...(o.headers ?? {}) } as Record<string, string>;
      if (as) headers.authorization = `Bearer ${await login(as)}`;
      return app.inject({ ...o, headers });
    },
    async close() {
      await app.close();
      if (worker) {
        worker.shutdown();
        await running;
      }
      await client.connection.close();
      await db.close();
      await store.drop();
    },
  };
}
