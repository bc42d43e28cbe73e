/**
 * Pickers' data: the district's villages (镇 / 村) and the users (for assigning helpers, co-verifiers,
 * teams). Users never come with password hashes; village cadres and town officers see the users of
 * their own town, department officers those of their department, the supervisor and admins everyone.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { User, Village } from '../../db';
import { ROLES, type Actor } from '../../contracts/roles';
import { requireActor } from '../auth';
import { conflict, forbidden } from '../errors';
import { audit } from '../audit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ListQuery, bool, containsCondition, ids, oneOf, parseListQuery, sendList, str, type ListSpec, type Where } from '../lists';

const VillageRow = Type.Object({ id: Type.Integer(), town: Type.String(), name: Type.String(), key: Type.Boolean() });

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

const UserRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  username: Type.String(),
  roles: Type.Array(Type.String()),
  town: Type.Union([Type.String(), Type.Null()]),
  village: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});

const userSpec: ListSpec = {
  resource: 'users',
  filters: {
    // roles is a JSON array of role names: match the quoted name inside it.
    role: (v) => containsCondition('roles', `"${oneOf('role', ROLES)(v)}"`),
    town: (v) => ({ town: str('town')(v) }),
    village: (v) => ({ village: str('village')(v) }),
    department: (v) => ({ department: str('department')(v) }),
    active: (v) => ({ active: bool('active')(v) }),
    q: (v) => ({ $or: [containsCondition('name', str('q')(v)), containsCondition('username', str('q')(v))] }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { id: 'id', name: 'name', username: 'username', town: 'town', village: 'village', department: 'department' },
  defaultSort: ['id', 'ASC'],
};

/** Which users an actor may list: null when none. */
export function userScope(actor: Actor): Where | null {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return {};
  const parts: Where[] = [];
  if ((actor.roles.includes('town_officer') || actor.roles.includes('village_cadre')) && actor.town) parts.push({ town: actor.town });
  if (actor.roles.includes('department_officer') && actor.department) parts.push({ department: actor.department });
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { $or: parts };
}

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
      return sendList(reply, 'villages', rows.map((v) => ({ id: v.id, town: v.town, name: v.name, key: v.key })), total, q.offset);
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
      return reply.status(201).send({ id: village.id, town: village.town, name: village.name, key: village.key });
    },
  );

  r.get(
    '/users',
    {
      schema: {
        tags: ['directory'],
        summary: 'Users for pickers (filters: role, town, village, department, active, q, id); scoped to the caller',
        querystring: ListQuery,
        response: { 200: Type.Array(UserRow) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = userScope(actor);
      if (!scope) throw forbidden('无权查看用户 (your role may not list users)');
      const q = parseListQuery(request.query, userSpec);
      const where = { $and: [scope, q.where] };
      const [rows, total] = await app.services.db.em().findAndCount(User, where, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(
        reply,
        'users',
        rows.map((u) => ({
          id: u.id,
          name: u.name,
          username: u.username,
          roles: [...u.roles],
          town: u.town ?? null,
          village: u.village ?? null,
          department: u.department ?? null,
          active: u.active,
        })),
        total,
        q.offset,
      );
    },
  );
}
