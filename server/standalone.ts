/** The standalone HTTP server: registers the app plugin at the root with everything on, adds transport concerns, listens. */
import Fastify, { type FastifyInstance } from 'fastify';
import { fangfan } from './app';
import { loggerOptions } from './privacy';
import { frameworkErrors, MAX_PARAM_LENGTH } from './errors';
import type { Services } from './services';
import { metricsPlugin } from './metrics';

/** CORS_ORIGIN: comma-separated origins allowed to call the API from a browser; none when unset or empty. */
function corsOrigins(setting: string | undefined): string[] | false {
  const origins = (setting ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  return origins.length ? origins : false;
}

export async function buildServer(services: Services, { logger = true, ensureSchedules = false, watchdogSeconds = 0 } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Redacted: credentials, ID numbers, phones and health details, also in URLs and errors (server/privacy.ts).
    logger: logger ? loggerOptions(process.env.LOG_LEVEL || 'info') : false,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    trustProxy: process.env.TRUST_PROXY === 'true',
  });
  // Prometheus metrics of every request, at GET /metrics (outside the app): this machine only, unless METRICS_TOKEN
  // or METRICS=open; METRICS=false to omit.
  if (process.env.METRICS !== 'false') await app.register(metricsPlugin);
  await app.register(fangfan, {
    services,
    console: true,
    docs: true,
    // The origins as operators write lists (`a, b`): an entry with a space would match no browser's Origin.
    cors: { origin: corsOrigins(process.env.CORS_ORIGIN), exposedHeaders: ['Content-Range', 'Content-Disposition', 'Idempotent-Replayed'] },
    ensureSchedules,
    watchdogSeconds,
  });
  return app;
}
