/** The caller's language: `?lang=` where a route takes it, else `Accept-Language` (English only when it leads), else Chinese. */
import type { FastifyRequest } from 'fastify';
import type { Lang } from '../contracts/i18n';

export function langOf(query: { lang?: string }, header?: string): Lang {
  if (query.lang === 'en' || query.lang === 'zh') return query.lang;
  return header && /^en\b/i.test(header) ? 'en' : 'zh';
}

/** The language a request asks for by its `Accept-Language` header. */
export const requestLang = (request: FastifyRequest): Lang => langOf({}, request.headers['accept-language']);
