/**
 * The application as a Fastify plugin: a host platform registers it with its Services; the standalone
 * server (standalone.ts) does the same. API under /api, OpenAPI at /documentation, the admin UI at /.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import { registerErrorHandler } from './errors';
import { createAjv } from './processes/validate';
import { authPlugin } from './auth';
import { DEFAULT_LIMITS, securityPlugin } from './security';
import { authorizationPlugin } from './authorization';
import type { Services } from './services';
import { authRoutes } from './routes/auth';
import { processTypeRoutes } from './routes/process-types';
import { processRoutes } from './routes/processes';
import { stepRoutes } from './routes/steps';
import { householdRoutes } from './routes/households';
import { calendarRoutes } from './routes/calendar';
import { healthRoutes, readinessRoutes } from './routes/health';
import { directoryRoutes } from './routes/directory';
import { userRoutes } from './routes/users';
import { apiKeyRoutes } from './routes/api-keys';
import { deadLetterRoutes } from './routes/dead-letters';
import { auditRoutes } from './routes/audit';
import { noticeRoutes } from './routes/notice';
import { integrationRoutes } from './routes/integrations';
import { campaignRoutes } from './routes/campaigns';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

const ADMIN_DIST = fileURLToPath(new URL('../admin/dist', import.meta.url));

async function fangfan(app: FastifyInstance, services: Services) {
  app.decorate('services', services);
  const ajv = createAjv();
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  registerErrorHandler(app);
  const limits = { ...DEFAULT_LIMITS, ...services.limits };
  // First: security headers, body and login limits, the audit request context, the route registry.
  await app.register(securityPlugin, { db: services.db, limits });

  await app.register(swagger, {
    openapi: {
      info: { title: '防返贫监测帮扶 API (fangfan)', version: '0.1.0', description: 'Processes to prevent large-scale return to poverty. See API.md for the contract.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/documentation', staticCSP: true });
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 200 } });
  await app.register(authPlugin, { db: services.db, publicPaths: [/^\/api\/health$/, /^\/api\/(ready|live)$/, /^\/api\/auth\/login$/] });
  // Right after authentication: the authorization table (contracts/authz.ts) and per-key rate limits.
  await app.register(authorizationPlugin, { db: services.db, limits });

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(processTypeRoutes);
      await api.register(processRoutes);
      await api.register(stepRoutes);
      await api.register(householdRoutes);
      await api.register(calendarRoutes);
      await api.register(healthRoutes);
      await api.register(readinessRoutes);
      await api.register(directoryRoutes);
      await api.register(userRoutes);
      await api.register(apiKeyRoutes);
      await api.register(deadLetterRoutes);
      await api.register(auditRoutes);
      await api.register(noticeRoutes);
      await api.register(integrationRoutes);
      await api.register(campaignRoutes);
    },
    { prefix: '/api' },
  );

  if (existsSync(ADMIN_DIST)) {
    await app.register(fastifyStatic, { root: ADMIN_DIST, prefix: '/', wildcard: false });
    app.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
}

export const fangfanApp = fp(fangfan, { name: 'fangfan', fastify: '5.x' });
export default fangfanApp;
