/**
 * Designed processes (API.md "Designed processes"): drafts of BPMN definitions with their forms, their
 * versions, and publishing one (admins). The logic is server/processes/definitions.ts; the interpreter
 * processes/designed/.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { ListQuery, containsCondition, ids, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { nullable } from '../schema';
import { ProcessDefinition } from '../../db';
import { definitionSummary, draftDefinition, findDefinition, publishDefinition } from '../processes/definitions';

const Text = Type.Object({ zh: Type.String({ minLength: 1, maxLength: 100 }), en: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

const DefinitionRow = Type.Object({
  id: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('retired')], { description: 'draft; active (new cases start with it); retired (a later version was published)' }),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  startRoles: Type.Array(Type.String()),
  startForm: nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  publishedAt: nullable(Type.String()),
});

const DefinitionDetail = Type.Object({
  ...DefinitionRow.properties,
  bpmn: Type.String({ description: 'the BPMN 2.0 XML as drawn' }),
  forms: Type.Record(Type.String(), Type.Unknown(), { description: 'form key → JSON Schema' }),
});

const DraftBody = Type.Object(
  {
    key: Type.String({ maxLength: 41, description: '[a-z][a-zA-Z0-9]{2,40}; never a built-in type' }),
    title: Text,
    bpmn: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'BPMN 2.0 XML with ff: attributes (namespace https://fangfan.example/bpmn)' }),
    forms: Type.Optional(Type.Record(Type.String({ maxLength: 41 }), Type.Unknown(), { description: 'form key → JSON Schema (type object)' })),
    startRoles: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 10 }),
    startForm: Type.Optional(Type.String({ maxLength: 41, description: 'a key of forms: the start form' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

const spec: ListSpec = {
  resource: 'process-definitions',
  filters: {
    q: (v) => ({ $or: [containsCondition('key', str('q')(v)), containsCondition('title_zh', str('q')(v))] }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
    key: (v) => ({ key: str('key')(v) }),
    status: (v) => ({ status: str('status')(v) }),
  },
  sorts: { id: 'createdAt', key: 'key', version: 'version', createdAt: 'createdAt', publishedAt: 'publishedAt' },
  defaultSort: ['createdAt', 'DESC'],
};

export async function processDefinitionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/process-definitions',
    { schema: { tags: ['process-definitions'], summary: 'Designed process definitions, every version (admins; filters q, id, key, status)', querystring: ListQuery, response: { 200: Type.Array(DefinitionRow) } } },
    async (request, reply) => {
      requireActor(request);
      const q = parseListQuery(request.query, spec);
      const [rows, total] = await app.services.db.em().findAndCount(ProcessDefinition, q.where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'process-definitions', rows.map(definitionSummary), total, q.offset);
    },
  );

  r.get(
    '/process-definitions/:id',
    { schema: { tags: ['process-definitions'], summary: 'A designed process definition with its BPMN and forms', params: IdParams, response: { 200: DefinitionDetail } } },
    async (request) => {
      requireActor(request);
      const row = await findDefinition(app.services, request.params.id);
      return { ...definitionSummary(row), bpmn: row.bpmn, forms: row.forms };
    },
  );

  r.post(
    '/process-definitions',
    {
      schema: {
        tags: ['process-definitions'],
        summary:
          'Draft a designed process (admins): the next version of its key. A bad key: 400; a built-in type’s key: 409; BPMN the engine cannot run, or bad forms: 422 whose details name each element id (or forms.<key>) and why',
        body: DraftBody,
        response: { 201: Type.Object({ id: Type.String(), key: Type.String(), version: Type.Integer(), status: Type.Literal('draft') }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const row = await draftDefinition(app.services, actor, request.body, request.ip);
      return reply.status(201).send({ id: row.id, key: row.key, version: row.version, status: 'draft' as const });
    },
  );

  r.post(
    '/process-definitions/:id/publish',
    {
      schema: {
        tags: ['process-definitions'],
        summary: 'Publish a draft (admins): it becomes the key’s active version, in GET /api/process-types; running cases keep the version they started with. Not a draft: 409',
        params: IdParams,
        response: { 200: DefinitionRow },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return definitionSummary(await publishDefinition(app.services, actor, request.params.id, request.ip));
    },
  );
}
