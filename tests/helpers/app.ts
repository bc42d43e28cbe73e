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
import type { Db } from '../../db';
import { loadPolicy } from '../../policy';
import { fangfan } from '../../server/app';
import { frameworkErrors, MAX_PARAM_LENGTH } from '../../server/errors';
import { connectWorker } from '../../server/temporal';
import { createWorker } from '../../server/worker';
import { loadTemporalConfig } from '../../server/config';
import { seedDemo } from '../../server/seed';
import type { RouteEntry } from '../../server/security';
import { activityDeps, createServices, type OpenServices, type Services } from '../../server/services';

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
  services: Services;
  db: Db;
  client: Client;
  taskQueue: string;
  /** Every route the app registered (method, URL pattern), HEAD excluded. */
  routes: RouteEntry[];
  /** Log in a demo account; returns its bearer token. */
  login(username: string): Promise<string>;
  /** `app.inject` with the token of `as` (a username) when given. */
  call(as: string | null, opts: InjectOptions): Promise<Awaited<ReturnType<FastifyInstance['inject']>>>;
  close(): Promise<void>;
}

/** The app's Services on a fresh read model with the demo data, against the run's Temporal dev server. */
export async function startTestServices(opts: { policyFile?: string; limits?: Services['limits']; clock?: () => Date; files?: Services['files'] } = {}): Promise<OpenServices & { drop(): Promise<void> }> {
  const address = inject('temporalAddress');
  const store = await freshDatabase();
  let services: OpenServices;
  try {
    services = await createServices({
      database: store.database,
      temporal: { ...loadTemporalConfig({}), address, namespace: inject('temporalNamespace'), taskQueue: `test-${randomUUID()}` },
      policy: loadPolicy(opts.policyFile),
      sessionHours: 1,
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.files ? { files: opts.files } : {}),
    });
  } catch (err) {
    await store.drop();
    throw err;
  }
  await seedDemo(services.db, { password: DEMO_PASSWORD });
  return Object.assign(services, { drop: store.drop });
}

/** A worker for the services' task queue, with the real activities; `stop()` shuts it down. */
export async function startTestWorker(services: Services): Promise<{ stop(): Promise<void> }> {
  const cfg = { ...loadTemporalConfig({}), namespace: services.temporal.namespace, taskQueue: services.temporal.taskQueue };
  const worker = await createWorker({ connection: await connectWorker(cfg, inject('temporalAddress')), cfg, deps: activityDeps(services) });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

export async function startTestApp(opts: { policyFile?: string; worker?: boolean; limits?: Services['limits']; clock?: () => Date; files?: Services['files'] } = {}): Promise<TestApp> {
  const services = await startTestServices(opts);
  const worker = opts.worker !== false ? await startTestWorker(services) : undefined;
  const app = Fastify({ logger: process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false, frameworkErrors, routerOptions: { maxParamLength: MAX_PARAM_LENGTH } });
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  // As the standalone server mounts it (CORS and metrics aside, which are the server's).
  await app.register(fangfan, { services, console: true, docs: true });
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
    services,
    db: services.db,
    client: services.temporal.client,
    taskQueue: services.temporal.taskQueue,
    routes,
    login,
    async call(as, o) {
      const headers = { ...(o.headers ?? {}) } as Record<string, string>;
      if (as) headers.authorization = `Bearer ${await login(as)}`;
      return app.inject({ ...o, headers });
    },
    async close() {
      await app.close();
      await worker?.stop();
      await services.close();
      await services.drop();
    },
  };
}
