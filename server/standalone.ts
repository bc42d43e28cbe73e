/** The standalone HTTP server: registers the app plugin, adds transport concerns, listens. */
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { fangfanApp } from './app';
import type { Services } from './services';

export async function buildServer(services: Services, { logger = true } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: process.env.LOG_LEVEL || 'info', redact: ['req.headers.authorization', 'body.password', 'body.idNumber'] } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === 'true',
  });
  await app.register(cors, { origin: process.env.CORS_ORIGIN?.split(',') ?? false, exposedHeaders: ['Content-Range', 'Content-Disposition', 'Idempotent-Replayed'] });
  await app.register(fangfanApp, services);
  return app;
}
