/**
 * List endpoints speak react-admin's `ra-data-simple-rest` dialect: `sort=["field","ASC"]`,
 * `range=[0,24]`, `filter={...}` in the query; the page as a JSON array; the total in
 * `Content-Range: <resource> 0-24/319`. Unknown filter or sort keys are a 400.
 */
import type { FastifyReply } from 'fastify';
import { raw } from '@mikro-orm/core';
import Type, { type Static } from 'typebox';
import { isIsoDate } from '../calendar/dates';
import { invalidField } from './errors';
import { refuseUnsafeValues } from './client-input';

export type Where = Record<string, unknown>;

export interface ListSpec {
  resource: string;
  /** Filter key → translate a value into a MikroORM condition (throw invalidField on a bad value). */
  filters: Record<string, (value: unknown) => Where>;
  sorts: Record<string, string>; // API field → entity property
  defaultSort: [string, 'ASC' | 'DESC'];
  maxPage?: number;
}

export interface ListQuery {
  where: Where;
  orderBy: Record<string, 'ASC' | 'DESC'>;
  offset: number;
  limit: number;
  filter: Record<string, unknown>;
}

/**
 * The list querystring (sort, range, filter as JSON texts). `x-json` is what the text holds: the
 * OpenAPI document describes each as a JSON-encoded parameter with that schema (server/openapi.ts).
 */
export const ListQuery = Type.Object(
  {
    sort: Type.Optional(
      Type.String({
        description: 'JSON ["field","ASC"|"DESC"]',
        'x-json': { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string' }, example: ['id', 'ASC'] },
      }),
    ),
    range: Type.Optional(
      Type.String({
        description: 'JSON [from,to] (inclusive)',
        'x-json': { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, example: [0, 24] },
      }),
    ),
    filter: Type.Optional(Type.String({ description: 'JSON object of filters', 'x-json': { type: 'object', example: {} } })),
  },
  { additionalProperties: false },
);
export type ListQuerystring = Static<typeof ListQuery>;

function json(name: string, text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidField(name, 'json', 'must be valid JSON');
  }
  refuseUnsafeValues(value, name);
  return value;
}

export function parseListQuery(q: ListQuerystring, spec: ListSpec, { unpaged = false } = {}): ListQuery {
  const maxPage = spec.maxPage ?? 1000;
  const parsed = json('filter', q.filter);
  const filter = parsed === undefined ? {} : parsed;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw invalidField('filter', 'type', 'must be a JSON object');
  const where: Where[] = [];
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    const build = Object.prototype.hasOwnProperty.call(spec.filters, key) ? spec.filters[key] : undefined;
    if (!build) throw invalidField(`filter.${key}`, 'unknown', `不能按此条件筛选 (allowed: ${Object.keys(spec.filters).join(', ')})`);
    if (value === undefined || value === null || value === '') continue;
    where.push(build(value));
  }
  const sort = json('sort', q.sort) ?? spec.defaultSort;
  if (!Array.isArray(sort) || sort.length !== 2 || typeof sort[0] !== 'string' || !['ASC', 'DESC'].includes(String(sort[1]).toUpperCase())) {
    throw invalidField('sort', 'format', 'must be ["field","ASC"|"DESC"]');
  }
  const prop = Object.prototype.hasOwnProperty.call(spec.sorts, sort[0]) ? spec.sorts[sort[0]] : undefined;
  if (!prop) throw invalidField('sort', 'unknown', `不能按 ${sort[0]} 排序 (allowed: ${Object.keys(spec.sorts).join(', ')})`);
  let offset = 0;
  let limit = unpaged ? 100_000 : 25;
  const range = json('range', q.range);
  if (range !== undefined) {
    // Checked on exports too (which ignore it): a malformed query is a 400, never silently ignored.
    // Safe integers only: beyond 2^53 JSON numbers lose digits, print as 1e+21 and overflow the database's LIMIT.
    if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isSafeInteger(n) && n >= 0) || range[1] < range[0]) {
      throw invalidField('range', 'format', `must be [from,to] with 0 ≤ from ≤ to ≤ ${Number.MAX_SAFE_INTEGER}`);
    }
  }
  if (range !== undefined && !unpaged) {
    offset = range[0];
    limit = Math.min(range[1] - range[0] + 1, maxPage);
  }
  const orderBy: Record<string, 'ASC' | 'DESC'> = { [prop]: String(sort[1]).toUpperCase() as 'ASC' | 'DESC' };
  return { where: where.length ? { $and: where } : {}, orderBy, offset, limit, filter: filter as Record<string, unknown> };
}

export function sendList<T>(reply: FastifyReply, resource: string, rows: T[], total: number, offset: number): T[] {
  const end = rows.length ? offset + rows.length - 1 : offset;
  reply.header('Content-Range', `${resource} ${offset}-${end}/${total}`);
  return rows;
}

// ---- filter value helpers ----
export const str = (field: string) => (v: unknown): string => {
  if (typeof v !== 'string' || v.length > 200) throw invalidField(`filter.${field}`, 'type', 'must be a string of at most 200 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw invalidField(`filter.${field}`, 'pattern', 'must not contain control characters');
  return v;
};
export const oneOf = <T extends string>(field: string, values: readonly T[]) => (v: unknown): T => {
  if (typeof v !== 'string' || !values.includes(v as T)) throw invalidField(`filter.${field}`, 'enum', `must be one of ${values.join(', ')}`);
  return v as T;
};
export const bool = (field: string) => (v: unknown): boolean => {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalidField(`filter.${field}`, 'type', 'must be true or false');
};
export const ids = (field: string) => (v: unknown): string[] => {
  const arr = Array.isArray(v) ? v : [v];
  if (arr.length > 1000 || !arr.every((x) => typeof x === 'string' || typeof x === 'number')) throw invalidField(`filter.${field}`, 'type', 'must be an array of ids');
  return arr.map(String);
};
export const isoDate = (field: string) => (v: unknown): string => {
  // A real calendar day (no month 13, no 30 February): JavaScript would roll those over or fail later.
  if (!isIsoDate(v)) throw invalidField(`filter.${field}`, 'format', 'must be a date YYYY-MM-DD');
  return v;
};
/**
 * `column` (the database column name) contains `term`, literally: LIKE with an explicit escape
 * character, so `_`, `%` and `\` in the term match themselves (SQLite has no default escape).
 * Written to mean the same on SQLite and PostgreSQL: ASCII letters match either case (SQLite's LIKE;
 * PostgreSQL's LIKE is case-sensitive, hence lower() on both sides), and JSON columns are compared
 * as their text (PostgreSQL has no LIKE on json).
 */
export function containsCondition(column: string, term: string): Where {
  return { [raw((alias: string) => `lower(cast(${alias}.${column} as text)) like lower(?) escape '\\'`, [likePattern(term)])]: [] };
}

/** `%term%` for `like … escape '\'`: `_`, `%` and `\` in the term match themselves. */
export function likePattern(term: string): string {
  // (NUL would end the statement text in SQLite: never part of a search.)
  return `%${term.replace(/\u0000/g, '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
