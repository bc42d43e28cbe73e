/**
 * The API's one error shape: `{"error": {"code", "message", "details"}}` with a status that means it.
 * A 5xx never carries internal messages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal, badRequest, type ErrorDetail, type RefusalKind } from './commands/refusal';
import { ajvDetails, type AjvError } from './processes/validate';

export { badRequest, conflict, forbidden, invalidField, notFound, ruleViolation, unavailable, type ErrorDetail } from './commands/refusal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = '请先登录 (authentication required)') => new HttpError(401, 'unauthenticated', message);

/** The status of each kind of refusal. */
const REFUSAL_STATUS: Record<RefusalKind, number> = {
  invalid_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 422,
  unavailable: 503,
};

/** A 400 listing several fields' problems. */
export const invalidFields = (details: ErrorDetail[]) => badRequest(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

export const refusalStatus = (refusal: Refusal) => REFUSAL_STATUS[refusal.kind];

/** A command's refusal as the API answers it; an HttpError as it is; anything else: undefined (a 500). */
export function asHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof Refusal) return new HttpError(refusalStatus(err), err.kind, err.message, err.details, err.extra);
  return undefined;
}

export function errorBody(err: HttpError | Refusal) {
  const code = err instanceof Refusal ? err.kind : err.code;
  return { error: { code, message: err.message, details: err.details, ...err.extra } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Refusal, request, reply) => {
    const known = asHttpError(error);
    if (known) return reply.status(known.status).send(errorBody(known));
    const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
    if (fe.validation) {
      const details = ajvDetails(fe.validation, fe.validationContext === 'body' ? '' : fe.validationContext);
      const message = details.map((d) => `${d.field ?? fe.validationContext}: ${d.message}`).join('; ');
      return reply.status(400).send(errorBody(badRequest(message, details)));
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'invalid_request';
      return reply.status(status).send({ error: { code, message: fe.message, details: [] } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误 (internal error)', details: [] } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    // A path the API has, with a method it does not take there: 405 and the methods it takes.
    const allowed = methodsAt(app.routeRegistry ?? [], request.appPath ?? path);
    if (allowed.length) {
      return reply
        .status(405)
        .header('Allow', allowed.join(', '))
        .send({ error: { code: 'method_not_allowed', message: `${path} 不接受 ${request.method} 请求 (allowed: ${allowed.join(', ')})`, details: [] } });
    }
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${path}`, details: [] } });
  });
}

/** The methods the API's routes take at this path (`:param` segments match any one segment). */
function methodsAt(routes: readonly { method: string; url: string }[], path: string): string[] {
  if (!path.startsWith('/api/')) return [];
  const segments = path.split('/');
  const matches = (url: string) => {
    const pattern = url.split('/');
    return pattern.length === segments.length && pattern.every((p, i) => (p.startsWith(':') ? segments[i] !== '' : p === segments[i]));
  };
  return [...new Set(routes.filter((r) => r.url.startsWith('/api/') && matches(r.url)).map((r) => r.method))].sort();
}

/**
 * For the host's Fastify options (`frameworkErrors`): the router answers malformed URLs (a stray `%`)
 * and over-long parameters before any plugin runs; this gives them the API's error shape too. The
 * standalone server (standalone.ts) and the tests' app set it.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  const code = status === 414 ? 'uri_too_long' : status === 400 ? 'invalid_request' : 'internal';
  const message = status === 500 ? '服务器内部错误 (internal error)' : status === 414 ? '路径参数过长 (a path parameter is too long)' : `URL 无效 (malformed URL: ${error.message})`;
  void reply.status(status).send({ error: { code, message, details: [] } });
}
