/**
 * API keys of integrations (admins): create (the key is answered once, never again), list, show,
 * revoke. Keys are never deleted, so the audit log and dead letters keep pointing at them.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { InferEntity } from '@mikro-orm/core';
import { ApiKey } from '../../db';
import { may } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { forgetCachedActors, requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden, notFound } from '../errors';
import { ListQuery, bool, containsCondition, ids, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { allScopes, checkScopes, newApiKey } from '../api-keys';
import { nullable } from '../schema';

const KeyRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'ffk_<id>_<first characters>: to recognise a key; not usable as one' }),
  scopes: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: nullable(Type.String()),
  revokedBy: nullable(Type.String()),
  lastUsedAt: nullable(Type.String()),
});

const KeyDetail = Type.Object({ ...KeyRow.properties, allowedScopes: Type.Array(Type.String(), { description: 'every scope a key may hold' }) });

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Which system uses the key, e.g. 区医保结算系统' }),
    scopes: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), {
      minItems: 1,
      maxItems: 50,
      description: 'start:<type>, signal:<type>.<signal>, or an endpoint scope (alert …); see GET /api/api-keys/scopes in the catalogue',
    }),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

const spec: ListSpec = {
  resource: 'api-keys',
  filters: {
    q: (v) => ({ $or: [containsCondition('name', str('q')(v)), containsCondition('id', str('q')(v))] }),
    active: (v) => (bool('active')(v) ? { revokedAt: null } : { revokedAt: { $ne: null } }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { id: 'id', name: 'name', createdAt: 'createdAt', lastUsedAt: 'lastUsedAt', revokedAt: 'revokedAt' },
  defaultSort: ['createdAt', 'DESC'],
};

/** What a key looks like to an administrator: never the secret, never its hash. */
function keyRow(k: InferEntity<typeof ApiKey>) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: [...k.scopes],
    active: !k.revokedAt,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    revokedBy: k.revokedBy ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}

function mayManage(actor: Actor): void {
  if (!may(actor, 'apiKeys.manage')) throw forbidden('仅管理员可管理接口密钥 (admins only)');
}

export async function apiKeyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.get(
    '/api-keys',
    { schema: { tags: ['api-keys'], summary: 'API keys (admins; filters q, active, id); never the secret', querystring: ListQuery, response: { 200: Type.Array(KeyRow) } } },
    async (request, reply) => {
      mayManage(requireActor(request));
      const q = parseListQuery(request.query, spec);
      const [rows, total] = await db().em().findAndCount(ApiKey, q.where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'api-keys', rows.map(keyRow), total, q.offset);
    },
  );

  r.get(
    '/api-keys/:id',
    { schema: { tags: ['api-keys'], summary: 'One API key (admins); `scopes` a key may hold are listed in `allowedScopes`', params: IdParams, response: { 200: KeyDetail } } },
    async (request) => {
      mayManage(requireActor(request));
      const key = await db().em().findOne(ApiKey, { id: request.params.id });
      if (!key) throw notFound(`没有该接口密钥 (no API key ${request.params.id})`);
      return { ...keyRow(key), allowedScopes: allScopes() };
    },
  );

  r.post(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (admins). The answer carries the key, shown this once only',
        body: CreateBody,
        response: { 201: Type.Object({ ...KeyRow.properties, key: Type.String({ description: 'ffk_<id>_<secret>: store it now; it is never shown again' }) }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      mayManage(actor);
      const scopes = checkScopes(request.body.scopes);
      const made = newApiKey();
      const em = db().em();
      const key = em.create(ApiKey, {
        id: made.id,
        name: request.body.name.trim() || request.body.name,
        prefix: made.prefix,
        hash: made.hash,
        scopes,
        createdBy: actor.id,
        createdAt: new Date(),
        revokedAt: null,
        revokedBy: null,
        lastUsedAt: null,
      });
      await em.flush();
      await audit(db(), { actor, action: 'api_key_create', target: key.id, ip: request.ip, outcome: 'ok', detail: { name: key.name, scopes } });
      reply.header('Cache-Control', 'no-store');
      return reply.status(201).send({ ...keyRow(key), key: made.key });
    },
  );

  const revoke = async (actor: Actor, id: string, ip: string) => {
    mayManage(actor);
    const em = db().em();
    const key = await em.findOne(ApiKey, { id });
    if (!key) throw notFound(`没有该接口密钥 (no API key ${id})`);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      key.revokedBy = actor.id;
      await em.flush();
      forgetCachedActors(); // server/auth.ts: refused from the next request on
      await audit(db(), { actor, action: 'api_key_revoke', target: key.id, ip, outcome: 'ok', detail: { name: key.name } });
    }
    return keyRow(key);
  };

  r.delete(
    '/api-keys/:id',
    { schema: { tags: ['api-keys'], summary: 'Revoke an API key (admins); it stops working at once. The record stays', params: IdParams, response: { 200: KeyRow } } },
    async (request) => revoke(requireActor(request), request.params.id, request.ip),
  );

  r.post(
    '/api-keys/:id/revoke',
    { schema: { tags: ['api-keys'], summary: 'Revoke an API key (same as DELETE)', params: IdParams, response: { 200: KeyRow } } },
    async (request) => revoke(requireActor(request), request.params.id, request.ip),
  );
}
