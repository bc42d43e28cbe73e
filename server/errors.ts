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
    reply.status(404).send({ error: { code: 'not_found', message: `没有此接口 ${request.method} ${request.url.split('?')[0]} (no route)`, details: [] } });
  });
}

/**
 * For the host's Fastify options (`frameworkErrors`): the router answers malformed URLs (a stray `%`)
 * and over-long parameters before any plugin runs; this gives them the API's error shape too. The
 * standalone server (standalone.ts) and the tests' app set it.
 */
/**
 * The router's limit on one path parameter, for the host's Fastify options (`maxParamLength`): above the
 * routes' own limits (ids ≤ 200 characters), so that a route answers an over-long id itself — after
 * authentication, as a 400 naming the parameter — rather than the router before anything else.
 */
export const MAX_PARAM_LENGTH = 256;

export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(400).send(errorBody(badRequest('路径参数过长 (a path parameter is too long)', [{ field: 'path', rule: 'maxLength', message: `a path parameter is at most ${MAX_PARAM_LENGTH} characters` }])));
    return;
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(errorBody(badRequest(`URL 无效 (malformed URL: ${error.message})`, [{ field: 'path', rule: 'format', message: 'malformed URL' }])));
    return;
  }
  void reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误 (internal error)', details: [] } });
}
