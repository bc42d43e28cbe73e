/** Validates bodies against catalogue schemas (start forms, step forms, signal payloads) → 400 naming fields. */
import { createAjv } from '../app';
import { ajvDetails, badRequest } from '../errors';
import type { ValidateFunction } from 'ajv';

const ajv = createAjv();
const cache = new WeakMap<object, ValidateFunction>();

export function validateAgainst(schema: object, value: unknown, root: string): void {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`${root || 'body'}: must be an object`, [{ field: root || undefined, rule: 'type', message: 'must be an object' }]);
  }
  if (!validate(value)) {
    const details = ajvDetails(validate.errors ?? [], root);
    throw badRequest(details.map((d) => `${d.field ?? root}: ${d.message}`).join('; '), details);
  }
}
