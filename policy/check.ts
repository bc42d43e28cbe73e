/** Small checkers for policy sections: each failure names the key path and the rule. */
import { parseIsoDuration, validateDueRule } from '../calendar';
import type { DueRule } from '../contracts/due';
import { DEFAULT_BACKDATE_DAYS } from '../contracts/review';

export class PolicyError extends Error {
  constructor(readonly key: string, rule: string, file?: string) {
    super(`${file ? `policy ${file}: ` : ''}${key}: ${rule}`);
  }
}

export const fail = (key: string, rule: string): never => {
  throw new PolicyError(key, rule);
};

export function mapping(v: unknown, key: string, keys?: readonly string[]): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(key, 'must be a mapping');
  const o = v as Record<string, unknown>;
  if (keys) for (const k of Object.keys(o)) if (!keys.includes(k)) fail(key === '(root)' ? k : `${key}.${k}`, `unknown key (expected one of ${keys.join(', ')})`);
  return o;
}

export function required<T>(o: Record<string, unknown>, k: string, key: string, check: (v: unknown, key: string) => T): T {
  const path = key ? `${key}.${k}` : k;
  if (o[k] === undefined || o[k] === null) return fail(path, 'is required');
  return check(o[k], path);
}

export function dueRule(v: unknown, key: string): DueRule {
  try {
    return validateDueRule(v, key);
  } catch (err) {
    return fail(key, (err as Error).message.replace(`${key}: `, ''));
  }
}

export function duration(v: unknown, key: string): string {
  if (typeof v !== 'string') return fail(key, 'must be an ISO 8601 duration such as P5D');
  let ms: number;
  try {
    ms = parseIsoDuration(v);
  } catch (err) {
    return fail(key, (err as Error).message);
  }
  if (ms <= 0) fail(key, 'must be longer than zero');
  return v;
}

export function number(v: unknown, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return fail(key, `must be a number from ${min} to ${max}`);
  return v;
}

export function integer(v: unknown, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(v)) return fail(key, 'must be a whole number');
  return number(v, key, min, max);
}

/** How many days before the approval day a review's decision may take effect (optional: DEFAULT_BACKDATE_DAYS). */
export function backdateDays(o: Record<string, unknown>, key: string): number {
  return o.backdateDays === undefined || o.backdateDays === null ? DEFAULT_BACKDATE_DAYS : integer(o.backdateDays, `${key}.backdateDays`, 0, MAX_BACKDATE_DAYS);
}
/** A decision backdated further than this is no longer the approval's date. */
export const MAX_BACKDATE_DAYS = 30;

/** A mapping of named due rules, every name required, no others. */
export function dueRules<K extends string>(v: unknown, key: string, names: readonly K[]): Record<K, DueRule> {
  const o = mapping(v, key, names);
  return Object.fromEntries(names.map((k) => [k, required(o, k, key, dueRule)])) as Record<K, DueRule>;
}

/** A non-empty list of distinct values, each one of `allowed` (levels, household groups, causes). */
export function choices<K extends string>(v: unknown, key: string, allowed: readonly K[]): K[] {
  if (!Array.isArray(v) || v.length === 0) return fail(key, `must be a list of one or more of ${allowed.join(', ')}`);
  v.forEach((x, i) => {
    if (!allowed.includes(x as K)) fail(`${key}[${i}]`, `must be one of ${allowed.join(', ')}`);
  });
  if (new Set(v).size !== v.length) fail(key, `must be a list of one or more of ${allowed.join(', ')} (each once)`);
  return v as K[];
}
