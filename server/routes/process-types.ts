/** `GET /api/process-types`: the catalogue with the due rules in force, in the caller's language. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { catalogue } from '../../processes';
import { localizeSchema } from '../../contracts/schemas/common';
import { describeDueRule } from '../../contracts/due';
import { policyDueRule } from '../processes/due-rules';
import { langOf } from '../lang';


const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const JsonSchema = Type.Unknown({ description: 'A JSON Schema, its titles in the caller\'s language' });

/** One process type of the catalogue (processes/index.ts), as clients build their forms from it. */
const ProcessTypeItem = Type.Object({
  type: Type.String(),
  title: Text,
  description: Text,
  startRoles: Type.Array(Type.String()),
  startSchema: JsonSchema,
  steps: Type.Array(
    Type.Object({
      key: Type.String(),
      title: Text,
      role: Type.String(),
      scope: Type.String(),
      department: Type.Optional(Type.String()),
      due: Type.Optional(Type.Object({ rule: Type.Unknown({ description: 'contracts/due.ts DueRule' }), text: Text })),
      form: JsonSchema,
    }),
  ),
  signals: Type.Array(Type.Object({ name: Type.String(), title: Text, roles: Type.Array(Type.String()), stages: Type.Optional(Type.Array(Type.String())), schema: JsonSchema })),
});

export async function processTypeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/process-types',
    {
      schema: {
        tags: ['processes'],
        summary: 'The process catalogue: start forms, steps and signals with their JSON Schemas',
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])) }, { additionalProperties: false }),
        response: { 200: Type.Array(ProcessTypeItem) },
      },
    },
    async (request) => {
      const lang = langOf(request.query, request.headers['accept-language']);
      const policy = app.services.policy();
      return catalogue().map((p) => ({
        type: p.type,
        title: p.title,
        description: p.description,
        startRoles: p.startRoles,
        startSchema: localizeSchema(p.startSchema, lang),
        steps: p.steps.map((s) => {
          const due = policyDueRule(policy, s.duePolicyKey);
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
