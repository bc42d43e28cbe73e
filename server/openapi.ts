/**
 * The OpenAPI document as the API really answers (`transformObject` of @fastify/swagger): the routes
 * declare their successes; the errors every route shares are added here, from what the route takes
 * (a body, path parameters, a login), in the one error shape (server/errors.ts). Query parameters sent
 * as JSON texts (the lists' `sort`, `range`, `filter`) are described as JSON, with their schema.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'stable code: invalid_request, unauthenticated, forbidden, not_found, conflict, rule_violation, rate_limited, unavailable…' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;

const WHY: Record<string, string> = {
  '400': 'invalid body or query: `details` name each field and the rule it broke',
  '401': 'not signed in (no, an expired or a revoked token or API key)',
  '403': 'signed in, but this role, area or key scope may not do this',
  '404': 'no such route, or nothing of this id that the caller may see',
  '405': 'the path exists, not with this method',
  '409': 'conflicts with the current state (already open, closed, done)',
  '413': 'the body is too large',
  '415': 'the body is not of a type this route reads',
  '422': 'a business rule refuses it: the message says which',
  '429': 'too many requests: retry after the time in Retry-After',
  '503': 'Temporal or the database is unavailable: nothing was accepted',
};

/**
 * Routes that read a multipart upload themselves (the body is streamed, so Fastify has no body schema to
 * document): the part they read.
 */
const UPLOADS: Record<string, { field: string; description: string }> = {
  'post /api/households/import': { field: 'file', description: 'the register as CSV (UTF-8) or XLSX' },
  'post /api/files': { field: 'file', description: 'a photo (JPEG, PNG, WebP, HEIC) or a PDF, 20 MB at most' },
};

/** Statuses a route answers that its shape does not tell (e.g. a public route that still refuses). */
const ALSO: Record<string, string[]> = {
  'get /api/files/{id}/signed': ['403'], // a lapsed or altered link
};

type Operation = {
  parameters?: { in: string; name: string; schema?: Record<string, unknown>; content?: unknown; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
  security?: unknown[];
  responses?: Record<string, unknown>;
};
type Doc = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

/** The status codes a route may answer besides its own, from its shape. */
function errorStatuses(method: string, path: string, op: Operation): string[] {
  const open = Array.isArray(op.security) && op.security.length === 0; // health, readiness, login
  const codes = ['405', '429', '503'];
  if (op.requestBody || (op.parameters?.length ?? 0) > 0 || path.includes('{')) codes.push('400');
  if (path.includes('{')) codes.push('404');
  if (!open || method !== 'get') codes.push('401'); // (a failed login is a 401 too)
  if (!open) codes.push('403');
  if (!open && method !== 'get') codes.push('404', '409', '422'); // (404: an unknown type, step or signal too)
  if (method === 'post' || method === 'put') codes.push('413', '415');
  return [...new Set(codes)].sort();
}

export const exactDocument: SwaggerTransformObject = (input) => {
  if (!('openapiObject' in input)) return input.swaggerObject;
  const doc = input.openapiObject as Doc;
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, Error: ERROR_SCHEMA };
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      op.responses ??= {};
      const upload = UPLOADS[`${method} ${path}`];
      if (upload && !op.requestBody) {
        op.requestBody = {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', required: [upload.field], properties: { [upload.field]: { type: 'string', format: 'binary', description: upload.description } } } } },
        } as Operation['requestBody'];
      }
      for (const code of [...errorStatuses(method, path, op), ...(ALSO[`${method} ${path}`] ?? [])]) {
        op.responses[code] ??= { description: WHY[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
      for (const p of op.parameters ?? []) {
        const json = p.schema?.['x-json'];
        if (p.in !== 'query' || !json) continue;
        delete p.schema;
        p.content = { 'application/json': { schema: json } };
      }
    }
  }
  return input.openapiObject;
};
