/** Picking the language of the API's two-language labels, and the policy vocabularies as choices. */
import type { Text } from '../../../contracts/i18n';

export const langOf = (locale: string): keyof Text => (locale.startsWith('en') ? 'en' : 'zh');

export function pick(text: Text | string | null | undefined, locale: string): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[langOf(locale)] || text.zh;
}

/** A vocabulary (code → Text) as react-admin choices `{id, name}` in a language. */
export function choicesOf(vocabulary: Record<string, Text>, locale: string): { id: string; name: string }[] {
  return Object.entries(vocabulary).map(([id, t]) => ({ id, name: pick(t, locale) }));
}

/** A code's label in a vocabulary (the code itself when unknown). */
export function labelOf(vocabulary: Record<string, Text>, code: string | null | undefined, locale: string): string {
  if (!code) return '';
  return vocabulary[code] ? pick(vocabulary[code], locale) : code;
}

/** A vocabulary's labels in one language, as translation messages (code → label). */
export function messagesOf<K extends string>(vocabulary: Record<K, Text>, lang: keyof Text): Record<K, string> {
  return Object.fromEntries(Object.entries<Text>(vocabulary).map(([k, t]) => [k, t[lang]])) as Record<K, string>;
}

/**
 * A workflow's two-language sentence, written `中文 (English)` (a case's outcome, e.g. `认定为监测户 (included
 * in monitoring)`), in one language: the Chinese before the bracket, or the English inside it.
 */
export function pickSentence(text: string | null | undefined, locale: string): string {
  if (!text) return '';
  const m = /^(.*\S)\s*\(([\x20-\x7e]+)\)$/s.exec(text);
  if (!m) return text;
  return langOf(locale) === 'en' ? m[2] : m[1];
}
