/**
 * The uiSchema of a catalogue form, derived from its JSON Schema alone (nothing about a particular
 * process): long texts as text areas, small enumerations as radio buttons, sets as checkboxes, and
 * fields whose name says what they hold (a household, a co-verifier) with their picker widgets.
 */
import type { RJSFSchema, UiSchema } from '@rjsf/utils';

/** Field name → widget, for fields that hold a reference to a record the API can list. */
export const FIELD_WIDGETS: Record<string, string> = {
  householdId: 'household',
  coVerifierId: 'villageCadre',
};

const RADIO_MAX_OPTIONS = 4;

/** Uploaded files (`format: "file-id"`, or an array of them): the camera and file picker widget. */
export const isFileIds = (s: RJSFSchema | undefined): boolean =>
  !!s && (s.format === 'file-id' || (s.type === 'array' && !!s.items && !Array.isArray(s.items) && typeof s.items === 'object' && (s.items as RJSFSchema).format === 'file-id'));
const TEXTAREA_MIN_LENGTH = 500;

type Node = RJSFSchema & { 'x-widget'?: string };

const isEnum = (s: Node | undefined) => !!s && (Array.isArray(s.enum) || (Array.isArray(s.oneOf) && s.oneOf.every((o) => typeof o === 'object' && o !== null && 'const' in o)));
const optionCount = (s: Node) => (Array.isArray(s.enum) ? s.enum.length : Array.isArray(s.oneOf) ? s.oneOf.length : 0);

type Editor = { 'x-editor'?: string; anyOf?: { properties?: Record<string, unknown> }[] };

function fieldUi(name: string | undefined, schema: Node): UiSchema {
  if (schema['x-widget']) return { 'ui:widget': schema['x-widget'] };
  // The policy's editors (policy/schema.ts): a duration as a number and a unit, also as a deadline rule's last choice.
  const editor = (schema as unknown as Editor)['x-editor'];
  if (editor === 'duration') return { 'ui:widget': 'duration' };
  const options = (schema as unknown as Editor).anyOf;
  if (editor === 'dueRule' && Array.isArray(options)) {
    return { anyOf: options.map((o) => (o.properties && 'duration' in o.properties ? { duration: { 'ui:widget': 'duration' } } : {})) };
  }
  if (name && FIELD_WIDGETS[name]) return { 'ui:widget': FIELD_WIDGETS[name] };
  if (isFileIds(schema)) return { 'ui:widget': 'fileIds' };
  if (schema.type === 'object' && schema.properties) return buildUiSchema(schema);
  // A list of answers (one per student of a visited household): each entry's fields as above.
  if (schema.type === 'array' && schema.items && !Array.isArray(schema.items) && (schema.items as Node).type === 'object' && (schema.items as Node).properties) {
    return { items: buildUiSchema(schema.items as RJSFSchema) };
  }
  if (schema.type === 'array' && schema.items && !Array.isArray(schema.items) && isEnum(schema.items as Node)) {
    return { 'ui:widget': 'checkboxes', 'ui:options': { inline: true } };
  }
  if (isEnum(schema) && optionCount(schema) <= RADIO_MAX_OPTIONS) return { 'ui:widget': 'radio', 'ui:options': { inline: true } };
  if (schema.type === 'string' && !schema.format && !isEnum(schema) && typeof schema.maxLength === 'number' && schema.maxLength >= TEXTAREA_MIN_LENGTH) {
    return { 'ui:widget': 'textarea', 'ui:options': { rows: 3 } };
  }
  return {};
}

/**
 * A choice among literals (TypeBox's Union of Literals, as the policy's schema writes them: `anyOf` of
 * `const`s without a type) as the enumeration rjsf renders: `type: string` and `oneOf` of titled
 * constants (a constant without a title, e.g. a department's name, is its own title).
 */
export function literalChoicesAsEnums(schema: RJSFSchema): RJSFSchema {
  const visit = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(visit);
    if (!s || typeof s !== 'object') return s;
    const { anyOf, ...rest } = s as Node;
    if (Array.isArray(anyOf) && anyOf.length && anyOf.every((o) => !!o && typeof o === 'object' && typeof (o as Node).const === 'string')) {
      return { ...rest, type: 'string', oneOf: (anyOf as Node[]).map((o) => ({ const: o.const, title: typeof o.title === 'string' ? o.title : o.const })) };
    }
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, visit(v)]));
  };
  return visit(schema) as RJSFSchema;
}

export function buildUiSchema(schema: RJSFSchema): UiSchema {
  const ui: UiSchema = {};
  const props = (schema as Node).properties ?? {};
  for (const [name, sub] of Object.entries(props)) {
    if (typeof sub !== 'object' || sub === null) continue;
    const u = fieldUi(name, sub as Node);
    if (Object.keys(u).length) ui[name] = u;
  }
  return ui;
}

/** The step form field that carries a decision, if any (used to name decisions in the timeline). */
export function enumTitle(schema: RJSFSchema | undefined, value: string): string | undefined {
  if (!schema) return undefined;
  const visit = (s: Node | undefined): string | undefined => {
    if (!s || typeof s !== 'object') return undefined;
    if (Array.isArray(s.oneOf)) {
      for (const o of s.oneOf as Node[]) if (o && typeof o === 'object' && o.const === value && typeof o.title === 'string') return o.title;
    }
    for (const sub of Object.values(s.properties ?? {})) {
      const hit = visit(sub as Node);
      if (hit) return hit;
    }
    return undefined;
  };
  return visit(schema as Node);
}
