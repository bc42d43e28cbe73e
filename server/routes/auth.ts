/**
 * Login, logout and "who am I". Failed logins slow a username down progressively (server/login-throttle.ts),
 * counted per username whether or not the user exists: unknown users, inactive ones and wrong
 * passwords get the same answers (401, then 429 while locked), in about the same time (an unknown
 * username's password is checked against a stand-in hash). Every failure and every lock is audited.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Session, User } from '../../db';
import type { Actor } from '../../contracts/roles';
import { actorOf, createSession, forgetCachedActors, hashToken, requireActor } from '../auth';
import { audit } from '../audit';
import { HttpError, forbidden, invalidField, unauthorized } from '../errors';
import { hashPassword, verifyPassword } from '../passwords';
import { clearFailures, countFailure, lockedUntil as lockOf } from '../login-throttle';

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

const LoginResponse = Type.Object({
  token: Type.String(),
  user: UserInfo,
  mustChangePassword: Type.Optional(Type.Boolean({ description: 'true: an administrator set the password; the session may only change it (POST /api/auth/password) or log out' })),
});

const NewPassword = Type.String({ minLength: 8, maxLength: 128, description: 'At least 8 characters' });
const PasswordChangeBody = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: NewPassword }, { additionalProperties: false });

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
      const refuseLocked = (until: Date) => {
        const err = locked(until, now);
        reply.header('Retry-After', String(err.extra.retryAfterSeconds));
        return err;
      };

      // Locked: refused before the password is looked at, known username or not.
      const until = await lockOf(db, username, now);
      if (until) {
        await audit(db, { actor: anonymous, action: 'login_failed', target: user?.id, ip, outcome: 'refused', detail: { reason: 'locked', lockedUntil: until.toISOString() } });
        throw refuseLocked(until);
      }

      dummyHash ??= hashPassword('not-a-password');
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
      if (!user || !user.active || !ok) {
        const counted = await countFailure(db, username, now);
        const reason = !user ? 'unknown_user' : !user.active ? 'inactive' : 'wrong_password';
        await audit(db, { actor: anonymous, action: 'login_failed', target: user?.id, ip, outcome: 'refused', detail: { reason, failures: counted.failures } });
        if (counted.lockedUntil) {
          await audit(db, {
            actor: anonymous,
            action: 'login_locked',
            target: user?.id,
            ip,
            outcome: 'ok',
            detail: { username, known: !!user, failures: counted.failures, lockedUntil: counted.lockedUntil.toISOString() },
          });
          throw refuseLocked(counted.lockedUntil);
        }
        throw unauthorized(BAD_CREDENTIALS);
      }

      await clearFailures(db, username, now);
      const token = await createSession(db, user.id, app.services.sessionHours);
      const actor = actorOf(user);
      await audit(db, { actor, action: 'login', target: user.id, ip, outcome: 'ok' });
      return { token, user: userInfo(actor), ...(user.mustChangePassword ? { mustChangePassword: true } : {}) };
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

  r.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change one\'s own password (the current one is asked again); required first after an administrator set it (audited)',
        body: PasswordChangeBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (actor.kind !== 'user') throw forbidden('接口密钥没有密码 (an API key has no password)');
      const db = app.services.db;
      const em = db.em();
      const user = await em.findOne(User, { id: actor.id, active: true });
      if (!user) throw unauthorized('账号已停用 (account disabled)');
      const { currentPassword, newPassword } = request.body;
      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        await audit(db, { actor, action: 'password_change', target: user.id, ip: request.ip, outcome: 'refused', detail: { reason: 'wrong_password' } });
        throw invalidField('currentPassword', 'matches', '当前密码不正确 (the current password is wrong)');
      }
      if (newPassword === currentPassword) throw invalidField('newPassword', 'different', '新密码不能与当前密码相同 (the new password must differ from the current one)');
      user.passwordHash = await hashPassword(newPassword);
      user.mustChangePassword = false;
      await em.flush();
      forgetCachedActors(); // server/auth.ts: the session is let through at once
      await audit(db, { actor, action: 'password_change', target: user.id, ip: request.ip, outcome: 'ok' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: UserInfo } } },
    async (request) => userInfo(requireActor(request)),
  );
}
