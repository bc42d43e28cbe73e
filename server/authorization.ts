/**
 * The authorization table (contracts/authz.ts PERMISSIONS and ENDPOINTS) applied to every request,
 * right after authentication: a role without the endpoint's permission gets 403, and an API key may
 * use only what its scopes open (deny by default: an endpoint missing from the table is closed to
 * keys). Row-level rules (which village, which step) stay in the handlers, which use the same file.
 * Integrations are rate limited per key here.
 *
 * Every refusal is audited: handlers audit their own outcomes; whatever reaches the error path
 * without an audit entry of its request (a 403 anywhere; a 404 standing for a case or household out
 * of the caller's scope; a 404, 409 or 422 on a write) is audited
 * here with the endpoint's audit action.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ENDPOINTS, PERMISSIONS, integrationMay, may, type Permission } from '../contracts/authz';
import type { Db } from '../db';
import { audit, auditContext } from './audit';
import { asHttpError, forbidden } from './errors';
import { Refusal } from './commands/refusal';
import { rateLimited, type Limits } from './security';

/** `METHOD /url/:pattern` of the matched route, from the app's mount point as in ENDPOINTS (HEAD answers as GET). */
export function endpointOf(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.url) return undefined;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return `${method} ${request.appPath}`;
}

export const authorizationPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; limits: Limits }) => {
    const perKey = app.createRateLimit({ max: opts.limits.perKey, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `key:${req.actor?.id ?? ''}` });

    app.addHook('onRequest', async (request, reply) => {
      const endpoint = endpointOf(request);
      const actor = request.actor;
      if (!endpoint || !actor || !request.appPath.startsWith('/api/')) return;
      const permission = ENDPOINTS[endpoint];
      if (permission === 'public') return;
      if (actor.kind === 'integration') {
        const limit = await perKey(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('Retry-After', String(limit.ttlInSeconds));
          throw rateLimited(limit.ttlInSeconds);
        }
        if (!permission || !integrationMay(actor, permission)) throw forbidden('该接口密钥无权使用此接口 (this API key may not use this endpoint: see its scopes)');
        return;
      }
      // Not in the table: the route's own checks decide (and tests/api/authorization-matrix.test.ts fails).
      if (!permission) return;
      if (!may(actor, permission)) {
        const rule = PERMISSIONS[permission as Permission];
        throw forbidden(`无权${rule.title.zh} (your role may not: ${rule.title.en})`);
      }
    });

    app.addHook('onError', async (request, _reply, error) => {
      const actor = request.actor;
      const endpoint = endpointOf(request);
      if (!actor || !endpoint || !request.appPath.startsWith('/api/')) return;
      if ((auditContext.getStore()?.written ?? 0) > 0) return; // the handler audited its outcome
      const status = asHttpError(error)?.status ?? (error as { statusCode?: number }).statusCode ?? 500;
      const write = !['GET', 'HEAD'].includes(request.method);
      // A case or household the caller may not see is answered as unknown (404), and audited as the refusal it is.
      const outOfScope = error instanceof Refusal && error.outOfScope;
      if (!(status === 403 || outOfScope || (write && [404, 409, 422].includes(status)))) return;
      const permission = ENDPOINTS[endpoint];
      const action = permission && permission !== 'public' ? PERMISSIONS[permission].audit : 'request';
      const params = (request.params ?? {}) as Record<string, string | undefined>;
      const onCase = request.appPath.startsWith('/api/processes/:id');
      await audit(opts.db, {
        actor,
        action,
        ...(onCase && params.id ? { processId: params.id } : {}),
        target: params.stepKey ?? params.signal ?? (onCase ? undefined : params.id),
        ip: request.ip,
        outcome: 'refused',
        detail: { endpoint, status, error: error.message, ...(outOfScope ? { reason: 'out_of_scope' } : {}) },
      }).catch((err) => request.log.error({ err }, 'audit of a refusal failed'));
    });

    app.addHook('onReady', async () => {
      const missing = app.routeRegistry.filter((r) => r.url.startsWith('/api/') && !(`${r.method} ${r.url}` in ENDPOINTS));
      if (missing.length) app.log.warn({ missing: missing.map((r) => `${r.method} ${r.url}`) }, 'endpoints missing from contracts/authz.ts ENDPOINTS: closed to API keys, unchecked for roles');
    });
  },
  { name: 'fangfan-authorization', dependencies: ['fangfan-security', 'fangfan-auth'] },
);
