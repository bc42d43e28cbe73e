/**
 * A refused request, ready for a form: the API's 400 `details[].field` become rjsf `extraErrors` on the
 * fields the form has (nested paths like `guarantees.water`, array items like `riskTypes.0`), anything
 * that names no field of the form is listed on the form, and 403/409/422 keep their message (a 422 is
 * a business rule refusing the action, and its message says which rule).
 */
import type { ErrorSchema, RJSFSchema } from '@rjsf/utils';
import { isApiErrorBody, type ApiErrorDetail } from '../api/http';

export interface FormFailure {
  status?: number;
  code?: string;
  message: string;
  /** Errors by field, for `<Form extraErrors>`. */
  extraErrors: ErrorSchema;
  /** Messages that belong to no field of this form. */
  formErrors: string[];
  /** On a 409 for an already open case, that case's id. */
  existingId?: string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

type SchemaNode = { type?: unknown; properties?: Record<string, SchemaNode>; items?: SchemaNode | SchemaNode[] };

/** The longest prefix of `segments` that names a field of `schema`. */
export function resolvePath(schema: RJSFSchema, segments: string[]): string[] {
  const out: string[] = [];
  let node = schema as SchemaNode | undefined;
  for (const seg of segments) {
    if (!node) break;
    if (node.properties && Object.prototype.hasOwnProperty.call(node.properties, seg)) {
      node = node.properties[seg];
      out.push(seg);
    } else if (/^\d+$/.test(seg) && node.items) {
      node = Array.isArray(node.items) ? node.items[Number(seg)] : node.items;
      out.push(seg);
    } else break;
  }
  return out;
}

function localizeDetail(d: ApiErrorDetail, translate?: Translate): string {
  if (!translate) return d.message;
  if (d.rule === 'required') return translate('fangfan.validation.required');
  if (d.rule === 'additionalProperties') return translate('fangfan.validation.unknown_field');
  return d.message;
}

/** Strip the API's root (e.g. `input` for a start form) from a detail's field path. */
function relativeField(field: string | undefined, root: string): string {
  if (!field) return '';
  if (!root) return field;
  if (field === root) return '';
  return field.startsWith(`${root}.`) ? field.slice(root.length + 1) : field;
}

export function toFormFailure(err: unknown, schema: RJSFSchema, opts: { root?: string; translate?: Translate } = {}): FormFailure {
  const e = err as { status?: number; body?: unknown; message?: string };
  const failure: FormFailure = { status: e?.status, message: e?.message || String(err), extraErrors: {}, formErrors: [] };
  if (!isApiErrorBody(e?.body)) return failure;
  const body = e.body.error;
  failure.code = body.code;
  failure.message = body.message;
  if (typeof body.id === 'string') failure.existingId = body.id;
  for (const d of body.details ?? []) {
    const message = localizeDetail(d, opts.translate);
    const field = relativeField(d.field, opts.root ?? '');
    const segments = field ? field.split('.') : [];
    const path = segments.length ? resolvePath(schema, segments) : [];
    if (!path.length) {
      failure.formErrors.push(field ? `${field}: ${message}` : message);
      continue;
    }
    const rest = segments.slice(path.length);
    let node = failure.extraErrors as Record<string, unknown>;
    for (const seg of path) {
      node[seg] ??= {};
      node = node[seg] as Record<string, unknown>;
    }
    const list = ((node.__errors as string[] | undefined) ??= []);
    list.push(rest.length ? `${rest.join('.')}: ${message}` : message);
  }
  return failure;
}

/** True when the failure put at least one message on a field. */
export const hasFieldErrors = (f: FormFailure) => Object.keys(f.extraErrors).length > 0;
