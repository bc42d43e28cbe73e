/**
 * Error messages in the caller's language. The server writes a message for people as Chinese with an
 * English gloss in parentheses at its end (`核实日期不能晚于今天 (the verification date cannot be in the
 * future)`); this hook answers the Chinese alone, or with `Accept-Language: en` the gloss alone, so that
 * no English tail reaches a Chinese screen. A list of allowed values stays, in the language's brackets.
 * Every error answer passes here (refusals, validation, 404/405, rate limits, 5xx).
 */
import type { FastifyInstance } from 'fastify';
import type { Lang } from '../contracts/i18n';
import { requestLang } from './lang';

const CJK = /[\u3400-\u9fff]/;
/**
 * An English gloss: ` (…)` starting with a Latin letter (one level of parentheses inside), closing the
 * sentence or a clause of it (before `；`, `，` or `。`).
 */
const GLOSS = / \(([A-Za-z][^()]*(?:\([^()]*\)[^()]*)*)\)(?=[；，。]|$)/g;

/** One sentence (messages of several fields are joined with `; `) in the language asked for. */
function sentenceIn(sentence: string, lang: Lang): string {
  if (!CJK.test(sentence.replace(GLOSS, ''))) return sentence; // an English message: nothing to choose between
  const glosses = [...sentence.matchAll(GLOSS)].map((m) => m[1]);
  if (!glosses.length) return sentence;
  if (lang === 'zh') return sentence.replace(GLOSS, (_, gloss: string) => (gloss.startsWith('allowed: ') ? `（可选：${gloss.slice(9)}）` : ''));
  const own = glosses.filter((g) => !g.startsWith('allowed: '));
  if (!own.length) return sentence; // only a list of values: the sentence as it is
  // English: the glosses, after the field the sentence names (`memberCount: 须为正整数 (…)`).
  const field = /^([\w.[\]-]+: )/.exec(sentence);
  return `${field?.[1] ?? ''}${own.join('; ')}`;
}

/** The sentences of a message: split at `; ` outside parentheses (a gloss may hold one). */
function sentences(message: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && message[i + 1] === ' ' && depth === 0) {
      out.push(message.slice(start, i));
      start = i + 2;
    }
  }
  out.push(message.slice(start));
  return out;
}

export function messageIn(message: string, lang: Lang): string {
  return sentences(message)
    .map((s) => sentenceIn(s, lang))
    .join('; ');
}

interface ErrorBody {
  error?: { message?: unknown; details?: { message?: unknown }[] };
}

export function registerErrorLanguage(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.startsWith('{"error"')) return payload;
    let body: ErrorBody;
    try {
      body = JSON.parse(payload) as ErrorBody;
    } catch {
      return payload;
    }
    const lang = requestLang(request);
    const error = body.error;
    if (!error) return payload;
    if (typeof error.message === 'string') error.message = messageIn(error.message, lang);
    for (const d of Array.isArray(error.details) ? error.details : []) {
      if (d && typeof d.message === 'string') d.message = messageIn(d.message, lang);
    }
    return JSON.stringify(body);
  });
}
