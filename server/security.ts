/**
 * Transport-level protection the app brings wherever it is mounted, for its own routes only (registered
 * first, before authentication, inside the app's scope: `fp` makes its hooks the app's, not the host's): a request context for the audit log, the route registry the authorization table
 * is checked against, security headers, body size limits, rate limits on login (per address and per
 * username, on top of the account lockout kept in the database), refusal of NUL characters and hostile
 * nesting in any value, `Cache-Control: no-store` on API answers, and `Idempotency-Key` on every write
 * (server/idempotency.ts).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Db } from '../db';
import { auditContext } from './audit';
import { HttpError } from './errors';
import { idempotentWrites } from './idempotency';
import { refuseUnsafeValues } from './client-input';

export interface Limits {
  /** Login attempts per client address per minute. */
  loginPerIp: number;
  /** Login attempts per username per minute (whatever the address). */
  loginPerUser: number;
  /** Requests per API key per minute. */
  perKey: number;
  /** JSON bodies (bytes); uploads are limited by the multipart plugin (10 MiB). */
  bodyBytes: number;
  /** One evidence upload (bytes, `POST /api/files`): larger ones are refused with 413. */
  fileBytes: number;
  /** Failed API key attempts per client address in a window (server/key-failures.ts)… */
  keyFailuresPerIp: number;
  /** … of this many milliseconds (also how often their aggregated audit entry is written). */
  keyFailureWindowMs: number;
}

export const DEFAULT_LIMITS: Limits = { loginPerIp: 60, loginPerUser: 10, perKey: 300, bodyBytes: 1024 * 1024, fileBytes: 20 * 1024 * 1024, keyFailuresPerIp: 10, keyFailureWindowMs: 60_000 };

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the security plugin (method, URL pattern from the app's mount point), HEAD excluded. */
    routeRegistry: RouteEntry[];
  }
  interface FastifyRequest {
    /** The matched route's pattern from the app's mount point (`/api/processes/:id` under any prefix); the path when none matched. */
    appPath: string;
  }
}

/**
 * A URL under the app as the app sees it: without the prefix the host mounted it at (`/fangfan/api/x` →
 * `/api/x`), so that the app's own rules (the authorization table, public paths) hold wherever it is.
 */
export function pathInApp(app: FastifyInstance, url: string): string {
  return app.prefix && url.startsWith(app.prefix) ? url.slice(app.prefix.length) : url;
}

/**
 * Content-Security-Policy for the console served at the app's root (and every API answer). `'unsafe-eval'`:
 * the console validates forms with Ajv, which compiles JSON Schemas into functions at run time.
 * `'unsafe-inline'` styles: MUI (emotion) injects style elements. No inline scripts, no other origin.
 * Swagger UI at <prefix>/documentation sets its own policy (staticCSP) for its pages.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-eval'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function rateLimited(seconds: number): HttpError {
  return new HttpError(429, 'rate_limited', `请求过于频繁，请 ${seconds} 秒后再试 (too many requests; retry in ${seconds} s)`, [], { retryAfterSeconds: seconds });
}

export const securityPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; limits: Limits }) => {
    const { limits } = opts;
    app.decorateRequest('appPath', '');
    // Every request runs in its own audit context (server/authorization.ts audits what no handler did).
    app.addHook('onRequest', (request, _reply, done) => {
      // The matched route decides (a percent-encoded path reaches the same route as its plain form).
      request.appPath = pathInApp(app, request.routeOptions.url ?? request.url.split('?')[0]);
      auditContext.run({ written: 0 }, done);
    });

    await app.register(rateLimit, { global: false });
    const loginPerIp = app.createRateLimit({ max: limits.loginPerIp, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `login-ip:${req.ip}` });
    const loginPerUser = app.createRateLimit({
      max: limits.loginPerUser,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `login-user:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
    });
    const loginLimit = async (request: FastifyRequest, reply: { header(k: string, v: string): unknown }) => {
      const username = (request.body as { username?: unknown } | undefined)?.username;
      for (const limiter of typeof username === 'string' ? [loginPerIp, loginPerUser] : [loginPerIp]) {
        const r = await limiter(request);
        if (!r.isAllowed && r.isExceeded) {
          reply.header('Retry-After', String(r.ttlInSeconds));
          throw rateLimited(r.ttlInSeconds);
        }
      }
    };

    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'no-referrer' },
    });

    // Empty path parameters, or with control characters (`%00`…), are never ids of ours: refuse them before
    // they reach a query or Temporal (which would fail on them with an internal error). Query and body:
    // no NUL, no hostile depth (server/client-input.ts).
    app.addHook('preValidation', async (request) => {
      for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
        // eslint-disable-next-line no-control-regex
        if (typeof value === 'string' && /[\u0000-\u001f\u007f]/.test(value)) {
          throw new HttpError(400, 'invalid_request', `${name}: contains control characters`, [{ field: name, rule: 'pattern', message: 'contains control characters' }]);
        }
        if (value === '') throw new HttpError(400, 'invalid_request', `${name}: must not be empty`, [{ field: name, rule: 'minLength', message: 'must not be empty' }]);
      }
      refuseUnsafeValues(request.query, '');
      refuseUnsafeValues(request.body, '');
    });

    // API answers carry personal data: neither the browser nor a proxy keeps them (an answer with its own policy keeps it).
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.appPath.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
      return payload;
    });

    const registry: RouteEntry[] = [];
    app.decorate('routeRegistry', registry);
    // A path the API has, with a method it does not take there: 405 and the methods it does take (before
    // any body is read: a method that must carry one is answered the same).
    app.addHook('onRequest', (request, reply, done) => {
      const unrouted = request.is404 || (request.routeOptions.config as { consoleFallback?: boolean } | undefined)?.consoleFallback;
      const allowed = unrouted ? methodsAt(registry, pathInApp(app, request.url.split('?')[0])) : [];
      if (!allowed.length) return done();
      void reply
        .status(405)
        .header('Allow', allowed.join(', '))
        .send({ error: { code: 'method_not_allowed', message: `此路径不接受 ${request.method} 请求 (allowed: ${allowed.join(', ')})`, details: [] } });
    });
    const idempotency = idempotentWrites(opts.db);
    app.addHook('onSend', idempotency.onSend);
    app.addHook('onResponse', idempotency.onResponse);
    const add = (r: RouteOptions, hook: 'preHandler' | 'preValidation', fn: (...args: any[]) => unknown) => {
      const existing = r[hook];
      r[hook] = (existing ? [...(Array.isArray(existing) ? existing : [existing]), fn] : [fn]) as never;
    };
    app.addHook('onRoute', (r) => {
      const methods = (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
      const url = pathInApp(app, r.url);
      for (const m of methods) if (m !== 'HEAD') registry.push({ method: m, url });
      if (!url.startsWith('/api/')) return;
      r.bodyLimit ??= limits.bodyBytes;
      if (methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))) add(r, 'preHandler', idempotency.preHandler);
      if (methods.includes('POST') && url === '/api/auth/login') add(r, 'preValidation', loginLimit);
    });
  },
  { name: 'fangfan-security' },
);

/** The methods the API's routes take at this path (a `:param` segment matches any one segment). */
function methodsAt(routes: readonly RouteEntry[], path: string): string[] {
  if (!path.startsWith('/api/')) return [];
  const segments = path.split('/');
  const matches = (url: string) => {
    const pattern = url.split('/');
    return pattern.length === segments.length && pattern.every((p, i) => (p.startsWith(':') ? segments[i] !== '' : p === segments[i]));
  };
  return [...new Set(routes.filter((r) => r.url.startsWith('/api/') && matches(r.url)).map((r) => r.method))].sort();
}
