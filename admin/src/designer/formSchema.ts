/**
 * The form designer's model: a step's form as a list of fields, and the JSON Schema the console's form
 * renderer (forms/SchemaForm.tsx with lib/schemaUi.ts) already draws: `format: "date"` as the date
 * field, `format: "file-id"` as the camera/file picker, `householdId` as the household search, `oneOf`
 * of titled constants as radio buttons or a select, money as a number whose title says 元 (shown as
 * ¥80,000.00 once completed). Our own designer rather than a JSON-schema builder package
 * (@ginkgo-bioworks/react-json-schema-form-builder, form-js): those offer the generic JSON Schema widget
 * set and would let an administrator build forms our renderer, our validation and our read-only view do
 * not draw the same way; these eight kinds are exactly the widgets the console has.
 */
import type { RJSFSchema } from '@rjsf/utils';

export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'boolean', 'choice', 'file', 'household'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface ChoiceOption {
  /** The value the form stores and a gateway condition compares (`approve.decision = "同意"`). */
  value: string;
  label: string;
}

export interface DesignedField {
  key: string;
  title: string;
  type: FieldType;
  required: boolean;
  options?: ChoiceOption[];
}

export interface DesignedForm {
  key: string;
  title: string;
  fields: DesignedField[];
}

/** A form's or a field's key: a name a FEEL condition can use (`approve.decision`). */
export const FORM_KEY_PATTERN = /^[a-z][a-zA-Z0-9]{0,40}$/;
export const FIELD_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,40}$/;

/** The renderer's household search is bound to this field name (lib/schemaUi.ts FIELD_WIDGETS). */
export const HOUSEHOLD_KEY = 'householdId';

const TEXT_MAX = 200;
const MONEY_UNIT = '（元）';

/** One option a line: `同意`, or `approve=同意` for a value other than its label. */
export function parseOptions(text: string): ChoiceOption[] {
  const seen = new Set<string>();
  const out: ChoiceOption[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const value = (eq > 0 ? trimmed.slice(0, eq) : trimmed).trim();
    const label = (eq > 0 ? trimmed.slice(eq + 1) : trimmed).trim() || value;
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ value, label });
  }
  return out;
}

export const optionsText = (options: ChoiceOption[] = []) => options.map((o) => (o.value === o.label ? o.label : `${o.value}=${o.label}`)).join('\n');

function fieldSchema(f: DesignedField): RJSFSchema {
  const title = f.title.trim();
  switch (f.type) {
    case 'text':
      return { type: 'string', title, ...(f.required ? { minLength: 1 } : {}), maxLength: TEXT_MAX };
    case 'number':
      return { type: 'number', title };
    case 'money':
      return { type: 'number', title: title.includes('元') ? title : `${title}${MONEY_UNIT}`, minimum: 0, multipleOf: 0.01 };
    case 'date':
      return { type: 'string', title, format: 'date' };
    case 'boolean':
      return { type: 'boolean', title };
    case 'choice':
      return { type: 'string', title, oneOf: (f.options ?? []).map((o) => ({ const: o.value, title: o.label })) };
    case 'file':
      return { type: 'string', title, format: 'file-id' };
    case 'household':
      return { type: 'string', title, minLength: 1, maxLength: 64 };
  }
}

/** The JSON Schema of a designed form (the `forms` of POST /api/process-definitions). */
export function formSchema(form: DesignedForm): RJSFSchema {
  const properties: Record<string, RJSFSchema> = {};
  for (const f of form.fields) properties[f.type === 'household' ? HOUSEHOLD_KEY : f.key] = fieldSchema(f);
  const required = form.fields.filter((f) => f.required).map((f) => (f.type === 'household' ? HOUSEHOLD_KEY : f.key));
  return { type: 'object', title: form.title.trim(), properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

function fieldOf(key: string, s: RJSFSchema, required: boolean): DesignedField {
  const title = typeof s.title === 'string' ? s.title : key;
  const base = { key, title, required };
  if (s.format === 'file-id') return { ...base, type: 'file' };
  if (key === HOUSEHOLD_KEY) return { ...base, type: 'household' };
  if (s.format === 'date') return { ...base, type: 'date' };
  if (s.type === 'boolean') return { ...base, type: 'boolean' };
  if (Array.isArray(s.oneOf)) {
    const options = (s.oneOf as RJSFSchema[]).map((o) => ({ value: String(o.const), label: typeof o.title === 'string' ? o.title : String(o.const) }));
    return { ...base, type: 'choice', options };
  }
  if (Array.isArray(s.enum)) return { ...base, type: 'choice', options: s.enum.map((v) => ({ value: String(v), label: String(v) })) };
  if (s.type === 'number' || s.type === 'integer') {
    return title.includes('元') ? { ...base, type: 'money', title: title.replace(MONEY_UNIT, '') } : { ...base, type: 'number' };
  }
  return { ...base, type: 'text' };
}

/** A saved definition's form back in the designer (what it cannot draw becomes a text field). */
export function formOfSchema(key: string, schema: RJSFSchema): DesignedForm {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const props = (schema.properties ?? {}) as Record<string, RJSFSchema>;
  return {
    key,
    title: typeof schema.title === 'string' ? schema.title : key,
    fields: Object.entries(props).map(([k, s]) => fieldOf(k, s, required.has(k))),
  };
}

export type FormProblem = 'form_key' | 'form_key_taken' | 'form_title' | 'field_key' | 'field_key_taken' | 'field_title' | 'options' | 'no_fields';

/** What keeps a form from being saved, for the designer to show beside it (message keys). */
export function formProblems(form: DesignedForm, otherKeys: string[] = []): { field?: number; problem: FormProblem }[] {
  const out: { field?: number; problem: FormProblem }[] = [];
  if (!FORM_KEY_PATTERN.test(form.key)) out.push({ problem: 'form_key' });
  else if (otherKeys.includes(form.key)) out.push({ problem: 'form_key_taken' });
  if (!form.title.trim()) out.push({ problem: 'form_title' });
  if (!form.fields.length) out.push({ problem: 'no_fields' });
  const seen = new Set<string>();
  form.fields.forEach((f, i) => {
    const key = f.type === 'household' ? HOUSEHOLD_KEY : f.key;
    if (!FIELD_KEY_PATTERN.test(key)) out.push({ field: i, problem: 'field_key' });
    else if (seen.has(key)) out.push({ field: i, problem: 'field_key_taken' });
    seen.add(key);
    if (!f.title.trim()) out.push({ field: i, problem: 'field_title' });
    if (f.type === 'choice' && (f.options ?? []).length < 2) out.push({ field: i, problem: 'options' });
  });
  return out;
}
