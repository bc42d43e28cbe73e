/**
 * Policy versions: the rules in force, their versions, drafting one (admins) and activating it (another
 * admin or a district supervisor: four-eyes). The logic is server/policy-versions.ts; the schema of the
 * values policy/schema.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireActor } from '../auth';
import { ListQuery, containsCondition, ids, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { nullable } from '../schema';
import { PolicyVersion } from '../../db';
import { POLICY_SCHEMA } from '../../policy/schema';

const STATUS = Type.Union([Type.Literal('draft'), Type.Literal('scheduled'), Type.Literal('active'), Type.Literal('retired')], {
  description: 'draft; scheduled (activated, its day to come); active (in force now); retired (in force before)',
});

const VersionRow = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  name: Type.String({ description: 'v<version>: how a case names the version it runs under (with the digest)' }),
  status: STATUS,
  effectiveFrom: Type.String({ description: 'YYYY-MM-DD: in force from 00:00 Asia/Shanghai of this day' }),
  digest: Type.String(),
  createdBy: Type.String(),
  createdByName: Type.String(),
  createdAt: Type.String(),
  note: Type.String(),
  activatedBy: nullable(Type.String()),
  activatedByName: nullable(Type.String()),
  activatedAt: nullable(Type.String()),
});

const Change = Type.Object({
  path: Type.String({ description: 'key path, e.g. identification.noticeMinimum' }),
  title: Type.String({ description: "the field's Chinese title" }),
  from: Type.Unknown(),
  to: Type.Unknown(),
  fromText: Type.String({ description: 'the value in force, in people’s words (5 天)' }),
  toText: Type.String({ description: 'this version’s value, in people’s words (7 天)' }),
});

const VersionDetail = Type.Object({
  ...VersionRow.properties,
  values: Type.Unknown({ description: 'the values (validated by `schema` of GET /api/policy)' }),
  inForce: nullable(Type.Object({ id: Type.String(), version: Type.Integer() })),
  changes: Type.Array(Change, { description: 'what this version changes against the version in force (empty for the version in force)' }),
});

const InForce = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  effectiveFrom: Type.String(),
  digest: Type.String(),
  values: Type.Unknown(),
  schema: Type.Unknown({ description: 'JSON Schema of `values`: Chinese titles, x-planItem (the plan item), x-unit, x-editor (dueRule, duration, money, months, department)' }),
});

const DraftBody = Type.Object(
  {
    values: Type.Unknown({ description: 'every section, as `values` of GET /api/policy' }),
    effectiveFrom: Type.String({ maxLength: 10, description: 'YYYY-MM-DD, today or later (Asia/Shanghai)' }),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'why: shown to whoever confirms it' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

const spec: ListSpec = {
  resource: 'policy-versions',
  filters: {
    q: (v) => ({ $or: [containsCondition('note', str('q')(v)), containsCondition('created_by_name', str('q')(v))] }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { id: 'version', version: 'version', effectiveFrom: 'effectiveFrom', createdAt: 'createdAt', activatedAt: 'activatedAt' },
  defaultSort: ['version', 'DESC'],
};

export async function policyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const versions = () => app.services.policyVersions;

  r.get(
    '/policy',
    { schema: { tags: ['policy'], summary: 'The policy in force now, with the JSON Schema of its values (any signed-in user)', response: { 200: InForce } } },
    async (request) => {
      requireActor(request);
      const row = await versions().inForceRow();
      return { id: row.id, version: row.version, name: `v${row.version}`, effectiveFrom: row.effectiveFrom, digest: row.digest, values: row.values, schema: POLICY_SCHEMA };
    },
  );

  r.get(
    '/policy/versions',
    { schema: { tags: ['policy'], summary: 'Policy versions, newest first (admins and supervisors; filters q, id)', querystring: ListQuery, response: { 200: Type.Array(VersionRow) } } },
    async (request, reply) => {
      requireActor(request);
      const q = parseListQuery(request.query, spec);
      await versions().sync();
      const [rows, total] = await app.services.db.em().findAndCount(PolicyVersion, q.where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'policy-versions', rows.map((row) => versions().summary(row)), total, q.offset);
    },
  );

  r.get(
    '/policy/versions/:id',
    { schema: { tags: ['policy'], summary: 'A policy version with its values and its changes against the version in force', params: IdParams, response: { 200: VersionDetail } } },
    async (request) => {
      requireActor(request);
      await versions().sync();
      return versions().detail(await versions().find(request.params.id));
    },
  );

  r.post(
    '/policy/versions',
    {
      schema: {
        tags: ['policy'],
        summary: 'Draft a policy version (admins). Invalid values: 400 whose details name the key path; below the plan’s legal bounds (notice under 5 days, item 45): 400',
        body: DraftBody,
        response: { 201: VersionDetail },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const row = await versions().draft(actor, request.body, request.ip);
      return reply.status(201).send(versions().detail(row));
    },
  );

  r.post(
    '/policy/versions/:id/activate',
    {
      schema: {
        tags: ['policy'],
        summary:
          'Activate a draft (an admin or a district supervisor other than its drafter: four-eyes, else 403). In force from 00:00 Asia/Shanghai of effectiveFrom; cases started from then on snapshot it',
        params: IdParams,
        response: { 200: VersionDetail },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const row = await versions().activate(actor, request.params.id, request.ip);
      return versions().detail(row);
    },
  );
}
