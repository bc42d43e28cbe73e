/**
 * The API's one error shape: `{"error": {"code", "message", "details"}}` with a status that means it.
 * A 5xx never carries internal messages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorDetail {
  field?: string;
  rule: string;
  message: string;
}

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

export const badRequest = (message: string, details: ErrorDetail[] = []) => new HttpError(400, 'invalid_request', message, details);
export const unauthorized = (message = '请先登录 (authentication required)') => new HttpError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new HttpError(409, 'conflict', message, [], extra);
export const ruleViolation = (message: string, details: ErrorDetail[] = []) => new HttpError(422, 'rule_violation', message, details);
export const unavailable = (message: string) => new HttpError(503, 'unavailable', message);

/** A field-level 400 in one line. */
export const invalidField = (field: string, rule: string, message: string) => badRequest(`${field}: ${message}`, [{ field, rule, message }]);

/** A 400 listing several fields' problems. */
export const invalidFields = (details: ErrorDetail[]) => badRequest(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

interface AjvError {
  instancePath?: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turn Ajv errors into details naming each field and the rule it broke. */
export function ajvDetails(errors: AjvError[], root = ''): ErrorDetail[] {
  return errors.map((e) => {
    let field = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required' && e.params?.missingProperty) field = [field, e.params.missingProperty].filter(Boolean).join('.');
    if (e.keyword === 'additionalProperties' && e.params?.additionalProperty) field = [field, e.params.additionalProperty].filter(Boolean).join('.');
    field = [root, field].filter(Boolean).join('.');
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') message = 'is not a known field';
    if (e.keyword === 'required') message = 'is required';
    return { field: field || root || undefined, rule: e.keyword, message };
  });
}

export function errorBody(err: HttpError) {
  return { error: { code: err.code, message: err.message, details: err.details, ...err.extra } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send(errorBody(error));
    }
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
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, details: [] } });
  });
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
