/**
 * rjsf's (Ajv's) validation messages in the console's language, one message per field and rule:
 * an enumeration value that matches none of the `oneOf` constants is one "choose from the list".
 */
import type { RJSFValidationError } from '@rjsf/utils';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const ENUM_NOISE = new Set(['const', 'oneOf', 'anyOf', 'enum']);

export function localizeErrors(errors: RJSFValidationError[], translate: Translate): RJSFValidationError[] {
  const out: RJSFValidationError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const name = e.name ?? '';
    let key = ENUM_NOISE.has(name) ? 'enum' : name;
    const params = (e.params ?? {}) as Record<string, unknown>;
    if (name === 'format' && params.format === 'date') key = 'format_date';
    // "At least 1 character" is what a person calls required.
    if (name === 'minLength' && params.limit === 1) key = 'required';
    const id = `${e.property ?? ''}|${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const message = translate(`fangfan.validation.${key}`, { limit: params.limit, _: e.message ?? name });
    out.push({ ...e, message, stack: `${e.property ?? ''} ${message}`.trim() });
  }
  return out;
}
