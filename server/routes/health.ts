/** Liveness for load balancers and operators: is Temporal reachable, is the database? Public. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';

const HEALTH_TIMEOUT_MS = 3000;

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  temporal: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});

/** Resolves true when `check` succeeds within the timeout, false on error or timeout. */
async function within(ms: number, check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Are Temporal and the database reachable? 200 when both are, 503 otherwise',
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const { temporal, db } = app.services;
      const [temporalOk, databaseOk] = await Promise.all([
        within(HEALTH_TIMEOUT_MS, () =>
          temporal.client.connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, () => temporal.client.workflowService.getSystemInfo({})),
        ),
        within(HEALTH_TIMEOUT_MS, () => db.em().getConnection().execute('select 1')),
      ]);
      const body = {
        status: temporalOk && databaseOk ? ('ok' as const) : ('degraded' as const),
        temporal: temporalOk ? ('ok' as const) : ('unavailable' as const),
        database: databaseOk ? ('ok' as const) : ('unavailable' as const),
      };
      return reply.status(temporalOk && databaseOk ? 200 : 503).send(body);
    },
  );
}

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('migrations_pending')]),
  temporal: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  worker: Type.Union([Type.Literal('ok'), Type.Literal('none'), Type.Literal('unknown')]),
});

/** A worker polled the task queue within this long: it counts as running. */
const POLLER_FRESH_MS = 90_000;

/**
 * Readiness (`/api/ready`: send traffic here?) and liveness (`/api/live`: is the process alive? never
 * depends on Temporal or the database, so an outage of those does not make an orchestrator restart
 * every API instance). Both public, like /api/health.
 */
export async function readinessRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/live',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers (no dependency is checked)', security: [], response: { 200: Type.Object({ status: Type.Literal('ok'), uptimeSeconds: Type.Number() }) } } },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );
  r.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the read model is migrated, Temporal answers and a worker polls the task queue; 200 or 503',
        security: [],
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const { temporal, db } = app.services;
      const found: { database: 'ok' | 'unavailable' | 'migrations_pending'; worker: 'ok' | 'none' | 'unknown' } = { database: 'unavailable', worker: 'unknown' };
      const [, temporalOk] = await Promise.all([
        within(HEALTH_TIMEOUT_MS, async () => {
          const pending = await db.orm.getMigrator().getPendingMigrations();
          found.database = pending.length ? 'migrations_pending' : 'ok';
        }),
        within(HEALTH_TIMEOUT_MS, () =>
          temporal.client.connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, async () => {
            const res = await temporal.client.workflowService.describeTaskQueue({
              namespace: temporal.namespace,
              taskQueue: { name: temporal.taskQueue },
              taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
            });
            const now = Date.now();
            const fresh = (res.pollers ?? []).some((p) => {
              const s = p.lastAccessTime?.seconds;
              return s != null && now - Number(s) * 1000 < POLLER_FRESH_MS;
            });
            found.worker = fresh ? 'ok' : 'none';
          }),
        ),
      ]);
      const body = { database: found.database, temporal: temporalOk ? ('ok' as const) : ('unavailable' as const), worker: found.worker };
      const ready = found.database === 'ok' && temporalOk && found.worker === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', ...body });
    },
  );
}
