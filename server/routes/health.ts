/** Liveness for load balancers and operators: is Temporal reachable, is the database? Public. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';

export const HEALTH_TIMEOUT_MS = 3000;

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
