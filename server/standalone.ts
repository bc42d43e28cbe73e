/** The standalone HTTP server: registers the app plugin at the root with everything on, adds transport concerns, listens. */
import Fastify, { type FastifyInstance } from 'fastify';
import { fangfan } from './app';
import { loggerOptions } from './privacy';
import { frameworkErrors } from './errors';
import type { Services } from './services';
import { metricsPlugin } from './metrics';

export async function buildServer(services: Services, { logger = true, ensureSchedules = false } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Redacted: credentials, ID numbers, phones and health details, also in URLs and errors (server/privacy.ts).
    logger: logger ? loggerOptions(process.env.LOG_LEVEL || 'info') : false,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    trustProxy: process.env.TRUST_PROXY === 'true',
  });
  // Prometheus metrics of every request, at GET /metrics (outside the app; METRICS_TOKEN to protect, METRICS=false to omit).
  if (process.env.METRICS !== 'false') await app.register(metricsPlugin);
  await app.register(fangfan, {
    services,
    console: true,
    docs: true,
    cors: { origin: process.env.CORS_ORIGIN?.split(',') ?? false, exposedHeaders: ['Content-Range', 'Content-Disposition', 'Idempotent-Replayed'] },
    ensureSchedules,
  });
  return app;
}
