/**
 * Authentication: `Authorization: Bearer <token>` resolves to the Actor every handler uses. Tokens
 * are random, stored hashed, and expire. Everything under /api needs one except login and health.
 * A bearer value starting `ffk_` is an integration's API key (server/api-keys.ts).
 *
 * Sessions expire a fixed time after login (SESSION_HOURS, a working day by default), not on a
 * sliding window: a sliding expiry would keep a stolen token alive for as long as it is used and
 * cost a database write per request; officers log in once a day.
 */
import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../contracts/roles';
import { Session, User } from '../db';
import type { Db } from '../db';
import { unauthorized } from './errors';
import { audit } from './audit';
import { KEY_PREFIX, actorOfApiKey, looksLikeApiKey } from './api-keys';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface UserLike {
  id: string;
  name: string;
  roles: string[];
  town?: string | null;
  village?: string | null;
  department?: string | null;
}

export function actorOf(user: UserLike): Actor {
  return {
    kind: 'user',
    id: user.id,
    name: user.name,
    roles: user.roles as Role[],
    ...(user.town ? { town: user.town } : {}),
    ...(user.village ? { village: user.village } : {}),
    ...(user.department ? { department: user.department } : {}),
  };
}

export async function createSession(db: Db, userId: string, hours: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const em = db.em();
  const now = new Date();
  em.create(Session, { tokenHash: hashToken(token), userId, createdAt: now, expiresAt: new Date(now.getTime() + hours * 3600_000) });
  await em.flush();
  return token;
}

/** The caller, or a 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; publicPaths: RegExp[] }) => {
    app.decorateRequest('actor', undefined);
    app.addHook('onRequest', async (request) => {
      // The matched route decides (a percent-encoded path reaches the same route as its plain form).
      const path = request.routeOptions.url ?? request.url.split('?')[0];
      if (!path.startsWith('/api/') || opts.publicPaths.some((re) => re.test(path))) return;
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      if (!token) throw unauthorized();
      if (looksLikeApiKey(token)) {
        // An integration's API key (server/api-keys.ts): `ffk_<id>_<secret>`.
        const found = await actorOfApiKey(opts.db, token);
        if (!found.actor) {
          const id = found.keyId ? `${KEY_PREFIX}${found.keyId}` : 'api-key';
          await audit(opts.db, { actor: { kind: 'anonymous', id, name: id }, action: 'api_key_failed', target: found.keyId, ip: request.ip, outcome: 'refused', detail: { reason: found.reason } });
          throw unauthorized('接口密钥无效或已吊销 (unknown or revoked API key)');
        }
        request.actor = found.actor;
        return;
      }
      const em = opts.db.em();
      const session = await em.findOne(Session, { tokenHash: hashToken(token) });
      if (!session || session.expiresAt.getTime() < Date.now()) throw unauthorized('登录已过期，请重新登录 (session expired or unknown token)');
      const user = await em.findOne(User, { id: session.userId, active: true });
      if (!user) throw unauthorized('账号已停用 (account disabled)');
      request.actor = actorOf(user);
    });
  },
  { name: 'fangfan-auth' },
);
