/**
 * A step form's starting data from the step's context: where the context lists names under a key the
 * form holds as a list of answers by `name` (the campaign visit's students), the form starts with one
 * answer per name, so that each is answered and none has to be typed.
 */
import type { RJSFSchema } from '@rjsf/utils';

export function prefillFromContext(schema: RJSFSchema | undefined, context: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    const field = schema?.properties?.[key] as RJSFSchema | undefined;
    const item = field?.type === 'array' && field.items && !Array.isArray(field.items) ? (field.items as RJSFSchema) : undefined;
    if (!item?.properties?.name || !Array.isArray(value) || !value.every((v) => typeof v === 'string')) continue;
    out[key] = value.map((name) => ({ name }));
  }
  return Object.keys(out).length ? out : undefined;
}
