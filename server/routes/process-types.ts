/** `GET /api/process-types`: the catalogue with the due rules in force, in the caller's language. */
import type { FastifyInstance } from 'fastify';
import { CATALOGUE } from '../../processes';
import { localizeSchema } from '../../contracts/schemas/common';
import { describeDueRule, type DueRule } from '../../contracts/due';
import type { Lang } from '../../contracts/i18n';

function policyValue(policy: object, path: string): DueRule | undefined {
  return path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), policy);
}

export function langOf(query: { lang?: string }, header?: string): Lang {
  if (query.lang === 'en' || query.lang === 'zh') return query.lang;
  return header && /^en\b/i.test(header) ? 'en' : 'zh';
}

export async function processTypeRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { lang?: 'zh' | 'en' } }>(
    '/process-types',
    {
      schema: {
        tags: ['processes'],
        summary: 'The process catalogue: start forms, steps and signals with their JSON Schemas',
        querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['zh', 'en'] } }, additionalProperties: false },
      },
    },
    async (request) => {
      const lang = langOf(request.query, request.headers['accept-language']);
      const policy = app.services.policy();
      return CATALOGUE.map((p) => ({
        type: p.type,
        title: p.title,
        description: p.description,
        startRoles: p.startRoles,
        startSchema: localizeSchema(p.startSchema, lang),
        steps: p.steps.map((s) => {
          const due = policyValue(policy, s.duePolicyKey);
          return {
            key: s.key,
            title: s.title,
            role: s.role,
            scope: s.scope,
            department: s.department,
            due: due ? { rule: due, text: describeDueRule(due) } : undefined,
            form: localizeSchema(s.form, lang),
          };
        }),
        signals: p.signals.map((s) => ({ name: s.name, title: s.title, roles: s.roles, stages: s.stages, schema: localizeSchema(s.schema, lang) })),
      }));
    },
  );
}
