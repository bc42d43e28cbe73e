/**
 * The district's villages (镇 / 村) for pickers, and their registration by admins. The users for
 * pickers are server/routes/users.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Village } from '../../db';
import { requireActor } from '../auth';
import { conflict, forbidden } from '../errors';
import { audit } from '../audit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ListQuery, bool, containsCondition, ids, parseListQuery, sendList, str, type ListSpec } from '../lists';

const VillageRow = Type.Object({ id: Type.Integer(), town: Type.String(), name: Type.String(), key: Type.Boolean() });
const villageRow = (v: { id: number; town: string; name: string; key: boolean }) => ({ id: v.id, town: v.town, name: v.name, key: v.key });

const villageSpec: ListSpec = {
  resource: 'villages',
  filters: {
    town: (v) => ({ town: str('town')(v) }),
    key: (v) => ({ key: bool('key')(v) }),
    q: (v) => ({ $or: [containsCondition('name', str('q')(v)), containsCondition('town', str('q')(v))] }),
    id: (v) => ({ id: { $in: ids('id')(v).map(Number).filter(Number.isInteger) } }),
  },
  sorts: { id: 'id', town: 'town', name: 'name', key: 'key' },
  defaultSort: ['id', 'ASC'],
};

export async function directoryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/villages',
    {
      schema: {
        tags: ['directory'],
        summary: 'Villages and their towns (filters: town, key, q, id)',
        querystring: ListQuery,
        response: { 200: Type.Array(VillageRow) },
      },
    },
    async (request, reply) => {
      requireActor(request);
      const q = parseListQuery(request.query, villageSpec);
      const [rows, total] = await app.services.db.em().findAndCount(Village, q.where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'villages', rows.map(villageRow), total, q.offset);
    },
  );

  // The district's towns and villages: seeded with the demo data, registered by admins otherwise
  // (SEED_DEMO=false starts with none, and households need them).
  r.post(
    '/villages',
    {
      schema: {
        tags: ['directory'],
        summary: 'Register a village of a town (admins); 409 when it exists',
        body: Type.Object(
          {
            town: Type.String({ minLength: 1, maxLength: 40, pattern: '^\\S(.*\\S)?$' }),
            name: Type.String({ minLength: 1, maxLength: 40, pattern: '^\\S(.*\\S)?$' }),
            key: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: VillageRow },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.roles.includes('admin')) throw forbidden('仅管理员可登记村镇 (admins only)');
      const { town, name, key = false } = request.body;
      const em = app.services.db.em();
      if (await em.findOne(Village, { town, name })) throw conflict(`${town}${name} 已登记 (the village exists)`);
      const village = em.create(Village, { town, name, key });
      try {
        await em.flush();
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException) throw conflict(`${town}${name} 已登记 (the village exists)`);
        throw err;
      }
      await audit(app.services.db, { actor, action: 'village_create', target: `${town}/${name}`, ip: request.ip, outcome: 'ok' });
      return reply.status(201).send(villageRow(village));
    },
  );
}
