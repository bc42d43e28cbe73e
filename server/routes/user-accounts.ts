/**
 * Accounts made by administrators: a new user with a first password (`POST /api/users`, audited
 * `user_create`), and a new password for a user who forgot theirs (`POST /api/users/:id/password`,
 * audited `password_reset`, the user's sessions ended, a lock after failed logins lifted). The
 * password is never stored or logged, only its hash (server/passwords.ts). Either way the user must set
 * their own password at the next login before anything else (server/password-change.ts). Also the one check that a
 * user's place fits their roles and exists, used here and by `PUT /api/users/:id`.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Session, User, Village, type EntityManager } from '../../db';
import { DEPARTMENTS, ROLES, type Role } from '../../contracts/roles';
import { POSTS, POST_LEVELS, POST_TITLES, placeLevel, type Post } from '../../contracts/posts';
import { may } from '../../contracts/authz';
import { forgetCachedActors, requireActor } from '../auth';
import { audit } from '../audit';
import { conflict, forbidden, invalidFields, notFound, type ErrorDetail } from '../errors';
import { hashPassword } from '../passwords';
import { clearFailures } from '../login-throttle';
import { nullable } from '../schema';

export interface UserFields {
  name: string;
  roles: string[];
  town: string | null;
  village: string | null;
  department: string | null;
  post: string | null;
}

/** What is wrong with a user's name, roles, place and post: each field and its rule. */
export async function userFieldProblems(em: EntityManager, u: UserFields): Promise<ErrorDetail[]> {
  const details: ErrorDetail[] = [];
  const roles = u.roles as Role[];
  if (!u.name) details.push({ field: 'name', rule: 'minLength', message: '姓名不能为空 (must not be blank)' });
  if (roles.includes('village_cadre') && (!u.town || !u.village)) details.push({ field: 'village', rule: 'required', message: '村干部须填写所在镇和村 (a village cadre needs a town and a village)' });
  if (roles.includes('town_officer') && !u.town) details.push({ field: 'town', rule: 'required', message: '镇工作人员须填写所在镇 (a town officer needs a town)' });
  if (roles.includes('department_officer') && !u.department) details.push({ field: 'department', rule: 'required', message: '部门工作人员须选择部门 (a department officer needs a department)' });
  if (u.village && !u.town) details.push({ field: 'town', rule: 'required', message: '填写村时须同时填写镇 (a village needs its town)' });
  if (u.post) {
    const post = u.post as Post;
    const level = POST_LEVELS[post];
    const needs = { district: '不填写镇和村（区级）', town: '填写所在镇、不填写村', village: '填写所在镇和村' }[level];
    if (placeLevel(u) !== level) details.push({ field: 'post', rule: 'level', message: `职务“${POST_TITLES[post].zh}”须${needs} (a ${level}-level post needs a user placed at ${level} level)` });
  }
  if (u.town) {
    const places = await em.find(Village, { town: u.town }, { fields: ['name'] });
    if (!places.length) details.push({ field: 'town', rule: 'exists', message: `本区没有${u.town} (no town ${u.town} in the district)` });
    else if (u.village && !places.some((p) => p.name === u.village)) details.push({ field: 'village', rule: 'exists', message: `${u.town}没有${u.village} (no village ${u.village} in ${u.town})` });
  }
  return details;
}

const Password = Type.String({ minLength: 8, maxLength: 128, description: 'At least 8 characters' });

const CreateBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,39}$', description: '3–40 lower-case letters, digits, `.`, `_` or `-`' }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    roles: Type.Array(Type.Enum([...ROLES]), { minItems: 1, maxItems: ROLES.length, uniqueItems: true }),
    town: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 50 }))),
    village: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 50 }))),
    department: Type.Optional(nullable(Type.Enum([...DEPARTMENTS]))),
    post: Type.Optional(nullable(Type.Enum([...POSTS], { description: '职务 for the secretaries\' 遍访 (contracts/posts.ts); its level must fit the place' }))),
    password: Password,
  },
  { additionalProperties: false },
);

const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

/** A user as the API answers it (also the list's rows, server/routes/users.ts). */
export const USER_FIELDS = {
  id: Type.String(),
  name: Type.String(),
  username: Type.String(),
  roles: Type.Array(Type.String()),
  town: nullable(Type.String()),
  village: nullable(Type.String()),
  department: nullable(Type.String()),
  post: nullable(Type.String({ description: '职务: district_secretary, town_secretary, village_secretary, first_secretary, or null' })),
  active: Type.Boolean(),
};

const Created = Type.Object(USER_FIELDS);

export async function userAccountRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.services.db;

  r.post(
    '/users',
    { schema: { tags: ['directory'], summary: 'Create a user with a first password (admins; audited)', body: CreateBody, response: { 201: Created } } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!may(actor, 'users.manage')) throw forbidden('仅管理员可新建用户 (admins only)');
      const b = request.body;
      const fields: UserFields = { name: b.name.trim(), roles: [...b.roles], town: b.town ?? null, village: b.village ?? null, department: b.department ?? null, post: b.post ?? null };
      const em = db().em();
      const details = await userFieldProblems(em, fields);
      if (details.length) throw invalidFields(details);
      if (await em.findOne(User, { $or: [{ username: b.username }, { id: b.username }] })) {
        await audit(db(), { actor, action: 'user_create', target: b.username, ip: request.ip, outcome: 'refused', detail: { reason: 'exists' } });
        throw conflict(`用户名 ${b.username} 已被使用 (the username is taken)`);
      }
      const u = em.create(User, { id: b.username, username: b.username, passwordHash: await hashPassword(b.password), mustChangePassword: true, active: true, ...fields });
      await em.flush();
      await audit(db(), { actor, action: 'user_create', target: u.id, ip: request.ip, outcome: 'ok', detail: { username: u.username, ...fields } });
      reply.status(201);
      return { id: u.id, username: u.username, active: u.active, ...fields };
    },
  );

  r.post(
    '/users/:id/password',
    {
      schema: {
        tags: ['directory'],
        summary: "Set a new password for a user (admins; audited; the user's sessions end and a login lock is lifted)",
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: PasswordBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!may(actor, 'users.manage')) throw forbidden('仅管理员可重置密码 (admins only)');
      const em = db().em();
      const u = await em.findOne(User, { id: request.params.id });
      if (!u) throw notFound(`没有该用户 (no user ${request.params.id})`);
      u.passwordHash = await hashPassword(request.body.password);
      u.mustChangePassword = true; // server/password-change.ts: the user sets their own at the next login
      await em.flush();
      await db().em().nativeDelete(Session, { userId: u.id });
      forgetCachedActors(); // server/auth.ts: the ended sessions stop working at once
      await clearFailures(db(), u.username);
      await audit(db(), { actor, action: 'password_reset', target: u.id, ip: request.ip, outcome: 'ok', detail: { username: u.username } });
      return reply.status(204).send(null);
    },
  );
}
