/**
 * Drops optional nested objects the user left empty (e.g. a start form's optional "department alert"
 * section), so an untouched optional section is absent rather than an invalid `{}`.
 */
import type { RJSFSchema } from '@rjsf/utils';

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function pruneEmpty(schema: RJSFSchema, data: unknown): unknown {
  if (!isPlainObject(data)) return data;
  const props = (schema.properties ?? {}) as Record<string, RJSFSchema>;
  const required = new Set(schema.required ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    const sub = props[k];
    const value = sub && typeof sub === 'object' && isPlainObject(v) ? pruneEmpty(sub, v) : v;
    if (isPlainObject(value) && !Object.keys(value).length && !required.has(k)) continue;
    out[k] = value;
  }
  return out;
}
