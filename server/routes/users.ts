/**
 * Users: the list for pickers (assigning helpers, co-verifiers, teams), one user (for react-admin's
 * show/edit) and the administrators' changes to a user's roles, scope, post (职务) and active flag. Users never
 * come with password hashes; village cadres and town officers see the users of their own town,
 * department officers those of their department, the supervisor and admins everyone (server/scope.ts).
 * Changes are administrators' only. Every change is audited as `role_change` with what it was and what it became; a
 * change of rights or a deactivation ends the user's sessions. An administrator cannot take away
 * their own admin role or deactivate themselves (someone must be left to undo mistakes).
 * Administrators also see whether a user's login is locked (`lockedUntil`, server/login-throttle.ts)
 * and lift the lock (`POST /api/users/:id/unlock`, audited as `login_unlock`). Creating users and
 * resetting passwords: routes/user-accounts.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { InferEntity } from '@mikro-orm/core';
import { LoginThrottle, Session, User } from '../../db';
import { DEPARTMENTS, ROLES, type Actor, type Role } from '../../contracts/roles';
import { POSTS } from '../../contracts/posts';
import { may } from '../../contracts/authz';
import { forgetCachedActors, requireActor } from '../auth';
import { audit } from '../audit';
import { forbidden, invalidFields, notFound, ruleViolation } from '../errors';
import { ListQuery, bool, containsCondition, ids, oneOf, parseListQuery, sendList, str, type ListSpec } from '../lists';
import { userScope } from '../scope';
import { nullable } from '../schema';
import { clearFailures } from '../login-throttle';
import { USER_FIELDS, userAccountRoutes, userFieldProblems } from './user-accounts';

const UserRow = Type.Object({
  ...USER_FIELDS,
  lockedUntil: Type.Optional(Type.String({ format: 'date-time', description: 'Administrators only: the end of the lock after failed logins, while locked' })),
});

const UpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    roles: Type.Optional(Type.Array(Type.Enum([...ROLES]), { minItems: 1, maxItems: ROLES.length, uniqueItems: true })),
    town: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 50 }))),
    village: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 50 }))),
    department: Type.Optional(nullable(Type.Enum([...DEPARTMENTS]))),
    post: Type.Optional(nullable(Type.Enum([...POSTS], { description: '职务 (contracts/posts.ts); its level must fit the place' }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, description: 'The fields to change (null clears town, village, department or post)' },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

const listSpec: ListSpec = {
  resource: 'users',
  filters: {
    // roles is a JSON array of role names: match the quoted name inside it.
    role: (v) => containsCondition('roles', `"${oneOf('role', ROLES)(v)}"`),
    town: (v) => ({ town: str('town')(v) }),
    village: (v) => ({ village: str('village')(v) }),
    department: (v) => ({ department: str('department')(v) }),
    post: (v) => ({ post: oneOf('post', POSTS)(v) }),
    active: (v) => ({ active: bool('active')(v) }),
    q: (v) => ({ $or: [containsCondition('name', str('q')(v)), containsCondition('username', str('q')(v))] }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { id: 'id', name: 'name', username: 'username', town: 'town', village: 'village', department: 'department' },
  defaultSort: ['id', 'ASC'],
};

const row = (u: InferEntity<typeof User>) => ({
  id: u.id,
  name: u.name,
  username: u.username,
  roles: [...u.roles],
  town: u.town ?? null,
  village: u.village ?? null,
  department: u.department ?? null,
  post: u.post ?? null,
  active: u.active,
});

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;
  await userAccountRoutes(app);

  /** The rows, with their logins' locks for an administrator. */
  const rows = async (actor: Actor, users: InferEntity<typeof User>[]) => {
    if (!may(actor, 'users.manage') || !users.length) return users.map(row);
    const now = new Date();
    const locks = await db().em().find(LoginThrottle, { username: { $in: users.map((u) => u.username) }, lockedUntil: { $gt: now } });
    const until = new Map(locks.map((l) => [l.username, l.lockedUntil!.toISOString()]));
    return users.map((u) => ({ ...row(u), ...(until.has(u.username) ? { lockedUntil: until.get(u.username) } : {}) }));
  };

  r.get(
    '/users',
    {
      schema: {
        tags: ['directory'],
        summary: 'Users for pickers (filters: role, town, village, department, post, active, q, id); scoped to the caller',
        querystring: ListQuery,
        response: { 200: Type.Array(UserRow) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const scope = userScope(actor);
      if (!scope) throw forbidden('无权查看用户 (your role may not list users)');
      const q = parseListQuery(request.query, listSpec);
      const [found, total] = await db().em().findAndCount(User, { $and: [scope, q.where] }, { orderBy: q.orderBy, offset: q.offset, limit: q.limit });
      return sendList(reply, 'users', await rows(actor, found), total, q.offset);
    },
  );

  r.get('/users/:id', { schema: { tags: ['directory'], summary: 'One user, within the caller\'s scope (as the list)', params: IdParams, response: { 200: UserRow } } }, async (request) => {
    const actor = requireActor(request);
    const scope = userScope(actor);
    if (!scope) throw forbidden('无权查看用户 (your role may not list users)');
    const u = await db().em().findOne(User, { $and: [{ id: request.params.id }, scope] });
    if (!u) throw notFound(`没有该用户 (no user ${request.params.id})`);
    return (await rows(actor, [u]))[0];
  });

  r.post(
    '/users/:id/unlock',
    { schema: { tags: ['directory'], summary: "Lift the lock failed logins put on a user's login (admins; audited)", params: IdParams, response: { 200: UserRow } } },
    async (request) => {
      const actor = requireActor(request);
      if (!may(actor, 'users.manage')) throw forbidden('仅管理员可解除登录锁定 (admins only)');
      const u = await db().em().findOne(User, { id: request.params.id });
      if (!u) throw notFound(`没有该用户 (no user ${request.params.id})`);
      const wasLocked = await clearFailures(db(), u.username);
      await audit(db(), { actor, action: 'login_unlock', target: u.id, ip: request.ip, outcome: 'ok', detail: { username: u.username, wasLocked } });
      return row(u);
    },
  );

  r.put(
    '/users/:id',
    { schema: { tags: ['directory'], summary: 'Change a user\'s roles, scope, name, post or active flag (admins; audited)', params: IdParams, body: UpdateBody, response: { 200: UserRow } } },
    async (request) => {
      const actor = requireActor(request);
      if (!may(actor, 'users.manage')) throw forbidden('仅管理员可修改用户角色 (admins only)');
      const em = db().em();
      const u = await em.findOne(User, { id: request.params.id });
      if (!u) throw notFound(`没有该用户 (no user ${request.params.id})`);
      const before = row(u);
      const b = request.body;
      const after = {
        ...before,
        ...(b.name !== undefined ? { name: b.name.trim() } : {}),
        ...(b.roles !== undefined ? { roles: [...b.roles] } : {}),
        ...(b.town !== undefined ? { town: b.town } : {}),
        ...(b.village !== undefined ? { village: b.village } : {}),
        ...(b.department !== undefined ? { department: b.department } : {}),
        ...(b.post !== undefined ? { post: b.post } : {}),
        ...(b.active !== undefined ? { active: b.active } : {}),
      };
      // The scope must fit the roles, and name real places.
      const roles = after.roles as Role[];
      const details = await userFieldProblems(em, after);
      if (details.length) throw invalidFields(details);
      if (u.id === actor.id && (!roles.includes('admin') || !after.active)) {
        await audit(db(), { actor, action: 'role_change', target: u.id, ip: request.ip, outcome: 'refused', detail: { reason: 'self', before, after } });
        throw ruleViolation('管理员不能取消自己的管理员角色或停用自己 (you cannot remove your own admin role or deactivate yourself)');
      }
      const fields = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
      if (!fields.length) return before;
      em.assign(u, { name: after.name, roles: after.roles, town: after.town, village: after.village, department: after.department, post: after.post, active: after.active });
      await em.flush();
      // A name or a post is no right: the user's sessions go on.
      const rights = fields.some((f) => f !== 'name' && f !== 'post');
      if (rights) await db().em().nativeDelete(Session, { userId: u.id });
      forgetCachedActors(); // server/auth.ts: the next request reads the user as changed
      await audit(db(), {
        actor,
        action: 'role_change',
        target: u.id,
        ip: request.ip,
        outcome: 'ok',
        detail: { fields, before: Object.fromEntries(fields.map((f) => [f, before[f]])), after: Object.fromEntries(fields.map((f) => [f, after[f]])), sessionsEnded: rights },
      });
      return row(u);
    },
  );
}
