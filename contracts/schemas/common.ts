/**
 * Schema building blocks. Schemas carry Chinese titles with English ones beside them (`x-title-en`);
 * `localizeSchema` picks a language for the catalogue. Enumerations are `oneOf` of titled constants,
 * so a generated form shows the policy's words, not codes.
 */
import Type, { type TSchema, type Static } from 'typebox';
import type { Text, Lang } from '../i18n';
import type { Vocabulary } from '../vocabulary';

export { Type };
export type { TSchema, Static };

/** Title annotations in both languages. */
export const titled = (text: Text, description?: Text) => ({
  title: text.zh,
  'x-title-en': text.en,
  ...(description ? { description: description.zh, 'x-description-en': description.en } : {}),
});

/** A coded value from a vocabulary, shown by its titles. */
export function enumOf<K extends string>(vocabulary: Record<K, Text>, label: Text) {
  const keys = Object.keys(vocabulary) as K[];
  return Type.Unsafe<K>({
    type: 'string',
    ...titled(label),
    oneOf: keys.map((k) => ({ const: k, title: vocabulary[k].zh, 'x-title-en': vocabulary[k].en })),
  });
}

/** Several coded values (checkboxes). */
export function setOf<K extends string>(vocabulary: Vocabulary<K>, label: Text, minItems = 0) {
  const keys = Object.keys(vocabulary) as K[];
  return Type.Unsafe<K[]>({
    type: 'array',
    ...titled(label),
    uniqueItems: true,
    minItems,
    items: { type: 'string', oneOf: keys.map((k) => ({ const: k, title: vocabulary[k].zh, 'x-title-en': vocabulary[k].en })) },
  });
}

export const Day = (label: Text) => Type.String({ format: 'date', ...titled(label) });
export const Words = (label: Text, max = 2000, min = 1) => Type.String({ minLength: min, maxLength: max, ...titled(label) });
export const Id = (label: Text) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$', ...titled(label) });

/** An uploaded file's id (`POST /api/files`): evidence a step form references. */
export const FILE_ID_FORMAT = 'file-id';
export const FILE_ID_PATTERN = /^F[0-9a-f]{32}$/;
export const FileId = (label: Text) => Type.String({ format: FILE_ID_FORMAT, ...titled(label) });
/** Several uploaded files (photos, scans), at most 20; which steps need some is policy (contracts/evidence.ts). */
export const FileIds = (label: Text, description?: Text) =>
  Type.Array(Type.String({ format: FILE_ID_FORMAT }), { maxItems: 20, uniqueItems: true, ...titled(label, description) });

/** Pick the language of every title in a schema (for `GET /api/process-types?lang=en`). */
export function localizeSchema<T>(schema: T, lang: Lang): T {
  if (Array.isArray(schema)) return schema.map((s) => localizeSchema(s, lang)) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  const src = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'x-title-en' || k === 'x-description-en') continue;
    out[k] = localizeSchema(v, lang);
  }
  if (lang === 'en') {
    if (typeof src['x-title-en'] === 'string') out.title = src['x-title-en'];
    if (typeof src['x-description-en'] === 'string') out.description = src['x-description-en'];
  }
  return out as T;
}
