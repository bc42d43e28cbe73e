/**
 * The application as an encapsulated Fastify plugin: a host platform registers it with its Services and
 * a prefix of its choosing (`app.register(fangfan, { prefix: '/fangfan', services })` serves
 * /fangfan/api/…); the standalone server (standalone.ts) registers it at the root. Everything it brings
 * (error format, validator, security headers, limits, authentication, authorization, one database fork
 * per request) stays inside its scope: the host's own routes are untouched. API under <prefix>/api,
 * OpenAPI at <prefix>/documentation, the console at <prefix>/.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RequestContext } from '@mikro-orm/core';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import { registerErrorHandler } from './errors';
import { registerErrorLanguage } from './error-language';
import { createAjv } from './processes/validate';
import { authPlugin } from './auth';
import { DEFAULT_LIMITS, pathInApp, securityPlugin } from './security';
import { authorizationPlugin } from './authorization';
import { ensureSchedules } from './schedules';
import { startWatchdog } from './watchdog';
import type { Services } from './services';
import { authRoutes } from './routes/auth';
import { processTypeRoutes } from './routes/process-types';
import { processRoutes } from './routes/processes';
import { stepRoutes } from './routes/steps';
import { householdRoutes } from './routes/households';
import { householdMemberRoutes } from './routes/household-members';
import { contactCadreRoutes } from './routes/contact-cadres';
import { informationOfficerRoutes } from './routes/information-officers';
import { secretaryVisitRoutes } from './routes/secretary-visits';
import { calendarRoutes } from './routes/calendar';
import { healthRoutes, readinessRoutes } from './routes/health';
import { directoryRoutes } from './routes/directory';
import { userRoutes } from './routes/users';
import { apiKeyRoutes } from './routes/api-keys';
import { deadLetterRoutes } from './routes/dead-letters';
import { auditRoutes } from './routes/audit';
import { noticeRoutes } from './routes/notice';
import { documentRoutes } from './routes/documents';
import { integrationRoutes } from './routes/integrations';
import { exactDocument } from './openapi';
import { campaignRoutes } from './routes/campaigns';
import { policyRoutes } from './routes/policy';
import { statsRoutes } from './routes/stats';
import { reportRoutes } from './routes/reports';
import { supervisionRoutes } from './routes/supervision';
import { fileRoutes } from './routes/files';
import { fileUploadRoutes } from './routes/file-uploads';
import { dataExchangeRoutes } from './routes/data-exchange';
import { processDefinitionRoutes } from './routes/process-definitions';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface FangfanOptions {
  services: Services;
  /**
   * The console (admin/dist, built by `npm run build`) at the plugin's root, index.html for its own
   * routes. Default false. The console is built for the root of its origin (admin/vite.config.ts `base`,
   * admin/src/api/http.ts `API_URL`): under a prefix, serve one built for that prefix.
   */
  console?: boolean;
  /** OpenAPI of the API and Swagger UI at <prefix>/documentation. Default true. */
  docs?: boolean;
  /** CORS for the plugin's routes (@fastify/cors options). Default: none (same origin only). */
  cors?: FastifyCorsOptions;
  /** Create, or bring up to date, the Temporal Schedules of the policy (visit rounds, campaign) once the server is ready. Default false. */
  ensureSchedules?: boolean;
  /**
   * Every so many seconds, find and reset the cases stuck on a non-determinism failure (server/watchdog.ts),
   * from when the server is ready until it closes. Default 0: off (one process of a deployment runs it).
   */
  watchdogSeconds?: number;
}

export const ADMIN_DIST = fileURLToPath(new URL('../admin/dist', import.meta.url));

async function api(app: FastifyInstance) {
  for (const routes of [
    authRoutes, processTypeRoutes, processRoutes, stepRoutes, householdRoutes, householdMemberRoutes, contactCadreRoutes, calendarRoutes, healthRoutes, readinessRoutes,
    directoryRoutes, userRoutes, apiKeyRoutes, deadLetterRoutes, auditRoutes, noticeRoutes, documentRoutes, integrationRoutes, campaignRoutes, policyRoutes,
    statsRoutes, informationOfficerRoutes, secretaryVisitRoutes, reportRoutes, fileRoutes, fileUploadRoutes, dataExchangeRoutes, processDefinitionRoutes, supervisionRoutes,
  ]) {
    await app.register(routes);
  }
}

/** Called on the plugin's own instance (not registered as a child): the OpenAPI generator must see every route of the scope. */
async function docs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: { title: '防返贫监测帮扶 API (fangfan)', version: '0.1.0', description: 'Processes to prevent large-scale return to poverty. The contract is docs/api.md in the repository.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transformObject: exactDocument,
  });
  await app.register(swaggerUi, { routePrefix: '/documentation', staticCSP: true });
}

/**
 * The console's files, and its index.html for any other path under the plugin except the API's (which answer 404).
 * Sent as the build compressed them (.br, .gz: admin/precompress.ts) when the browser takes it; the
 * hashed assets cached for a year, index.html asked again each time (it names the current assets).
 */
async function consoleApp(app: FastifyInstance) {
  if (!existsSync(ADMIN_DIST)) return;
  await app.register(fastifyStatic, {
    root: ADMIN_DIST,
    prefix: '/',
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => reply.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  // Not part of the API: hidden from its OpenAPI document; an API path reaching it is answered as one
  // the router did not find (404, or 405 with the methods the path takes: server/security.ts).
  app.get('/*', { schema: { hide: true }, config: { consoleFallback: true } }, (request, reply) => {
    if (pathInApp(app, request.url).startsWith('/api/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}

export const fangfan: FastifyPluginAsync<FangfanOptions> = async (app, opts) => {
  const { services } = opts;
  app.decorate('services', services);
  // One EntityManager per request: db.em() answers the request's own fork inside it (db/index.ts).
  app.addHook('onRequest', (_request, _reply, done) => RequestContext.create(services.db.orm.em, done));
  const ajv = createAjv();
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  registerErrorHandler(app);
  registerErrorLanguage(app);
  if (opts.cors) await app.register(cors, opts.cors);
  const limits = { ...DEFAULT_LIMITS, ...services.limits };
  // First: security headers, body and login limits, the audit request context, the route registry.
  await app.register(securityPlugin, { db: services.db, limits });
  // Requests about one case carry its workflow id in every log line (next to Fastify's reqId).
  app.addHook('onRequest', async (request) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && request.appPath.startsWith('/api/processes/:id')) request.log = request.log.child({ workflowId: id });
  });
  if (opts.docs !== false) await docs(app);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 200 } });
  await app.register(authPlugin, { db: services.db, limits, publicPaths: [/^\/api\/health$/, /^\/api\/(ready|live)$/, /^\/api\/auth\/login$/, /^\/api\/files\/:id\/signed$/] });
  // Right after authentication: the authorization table (contracts/authz.ts) and per-key rate limits.
  await app.register(authorizationPlugin, { db: services.db, limits });

  await app.register(api, { prefix: '/api' });
  if (opts.console) await app.register(consoleApp);
  if (opts.ensureSchedules) {
    // The schedules follow the policy in force: at start, after an activation that takes effect at once,
    // and, for a version scheduled for a later day, at the first hourly look after its day has come.
    let ensuredFor = '';
    const ensure = async () => {
      const policy = services.policy();
      const version = `${policy.version}#${policy.digest}`;
      if (version === ensuredFor) return;
      const created = await ensureSchedules(services);
      ensuredFor = version;
      for (const name of created) app.log.info(`created the schedule of ${name}`);
      app.log.info(`schedules follow policy ${version}`);
    };
    const quietly = () => ensure().catch((err) => app.log.error({ err }, 'updating the schedules to the policy in force failed'));
    app.addHook('onReady', ensure);
    services.policyVersions.onActivated(quietly);
    const hourly = setInterval(quietly, 3_600_000);
    hourly.unref();
    app.addHook('onClose', async () => clearInterval(hourly));
  }
  if (opts.watchdogSeconds) {
    const seconds = opts.watchdogSeconds;
    let stop: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stop = startWatchdog(services, app.log, seconds);
      app.log.info(`watchdog: looking for stuck cases every ${seconds} s`);
    });
    app.addHook('onClose', async () => stop?.());
  }
};

export default fangfan;
