/**
 * Login, logout and "who am I". Five consecutive failed logins lock an account for 15 minutes; the
 * counter lives in the database (app_user.failed_logins / locked_until) so every API instance sees it.
 * Unknown users and wrong passwords get the same answer, in about the same time.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { raw } from '@mikro-orm/core';
import { Session, User } from '../../db';
import type { Actor } from '../../contracts/roles';
import { actorOf, createSession, forgetCachedActors, hashToken, requireActor } from '../auth';
import { audit } from '../audit';
import { HttpError, unauthorized } from '../errors';
import { hashPassword, verifyPassword } from '../passwords';

const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;

const BAD_CREDENTIALS = '用户名或密码错误 (wrong username or password)';

const UserInfo = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    roles: Type.Array(Type.String()),
    town: Type.Optional(Type.String()),
    village: Type.Optional(Type.String()),
    department: Type.Optional(Type.String()),
  },
  { description: 'The logged-in user and their scope' },
);

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const LoginResponse = Type.Object({ token: Type.String(), user: UserInfo });

function userInfo(actor: Actor) {
  return {
    id: actor.id,
    name: actor.name,
    roles: [...actor.roles],
    ...(actor.town ? { town: actor.town } : {}),
    ...(actor.village ? { village: actor.village } : {}),
    ...(actor.department ? { department: actor.department } : {}),
  };
}

function locked(until: Date, now: Date): HttpError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new HttpError(
    429,
    'rate_limited',
    `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试 (too many failed logins: the account is locked; try again in ${minutes} minutes)`,
    [],
    { retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) },
  );
}

/** A hash to check unknown usernames against, so that they cost as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; returns a bearer token',
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const db = app.services.db;
      const em = db.em();
      const now = new Date();
      const ip = request.ip;
      const anonymous = { kind: 'anonymous' as const, id: username, name: username };
      const user = await em.findOne(User, { username });

      if (user?.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
        await audit(db, { actor: anonymous, action: 'login_failed', target: user.id, ip, outcome: 'refused', detail: { reason: 'locked' } });
        const err = locked(user.lockedUntil, now);
        reply.header('Retry-After', String(err.extra.retryAfterSeconds));
        throw err;
      }

      dummyHash ??= hashPassword('not-a-password');
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
      if (!user || !user.active || !ok) {
        let lockedUntil: Date | undefined;
        if (user) {
          // Atomic in SQL, so concurrent attempts on several instances all count.
          await em.nativeUpdate(User, { id: user.id }, { failedLogins: raw('failed_logins + 1') });
          const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
          const lockedNow = await em.nativeUpdate(User, { id: user.id, failedLogins: { $gte: LOCK_AFTER_FAILURES } }, { failedLogins: 0, lockedUntil: until });
          if (lockedNow > 0) lockedUntil = until;
        }
        await audit(db, {
          actor: anonymous,
          action: 'login_failed',
          target: user?.id,
          ip,
          outcome: 'refused',
          detail: { reason: !user ? 'unknown_user' : !user.active ? 'inactive' : 'wrong_password', ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
        });
        if (lockedUntil) {
          const err = locked(lockedUntil, now);
          reply.header('Retry-After', String(err.extra.retryAfterSeconds));
          throw err;
        }
        throw unauthorized(BAD_CREDENTIALS);
      }

      if (user.failedLogins !== 0 || user.lockedUntil) {
        await em.nativeUpdate(User, { id: user.id }, { failedLogins: 0, lockedUntil: null });
      }
      const token = await createSession(db, user.id, app.services.sessionHours);
      const actor = actorOf(user);
      await audit(db, { actor, action: 'login', target: user.id, ip, outcome: 'ok' });
      return { token, user: userInfo(actor) };
    },
  );

  r.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session (the token stops working)', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (token) await app.services.db.em().nativeDelete(Session, { tokenHash: hashToken(token) });
      forgetCachedActors();
      await audit(app.services.db, { actor, action: 'logout', target: actor.id, ip: request.ip, outcome: 'ok' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: UserInfo } } },
    async (request) => userInfo(requireActor(request)),
  );
}
