/**
 * The one Ajv configuration (request schemas and catalogue schemas alike) and validation of bodies
 * against catalogue schemas (start forms, step forms, signal payloads): a refusal naming each field.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { badRequest, type ErrorDetail } from '../commands/refusal';
import { FILE_ID_FORMAT, FILE_ID_PATTERN } from '../../contracts/schemas/common';

/** Every error reported, unknown fields refused (never silently dropped). */
export function createAjv() {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: false, strict: false });
  addFormats(ajv);
  ajv.addFormat(FILE_ID_FORMAT, FILE_ID_PATTERN);
  return ajv;
}

export interface AjvError {
  instancePath?: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Ajv's errors as details naming each field and the rule it broke. */
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

const ajv = createAjv();
const cache = new WeakMap<object, ValidateFunction>();

export function validateAgainst(schema: object, value: unknown, root: string): asserts value is Record<string, unknown> {
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
