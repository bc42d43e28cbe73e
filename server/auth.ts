/**
 * Authentication: `Authorization: Bearer <token>` resolves to the Actor every handler uses. Tokens
 * are random, stored hashed, and expire. Everything under the app's /api needs one except login and
 * health (`publicPaths`, from the app's mount point).
 * A bearer value starting `ffk_` is an integration's API key (server/api-keys.ts); failed key attempts
 * are limited per client address and audited in aggregate (server/key-failures.ts).
 *
 * Sessions expire a fixed time after login (SESSION_HOURS, a working day by default), not on a
 * sliding window: a sliding expiry would keep a stolen token alive for as long as it is used and
 * cost a database write per request; officers log in once a day.
 *
 * Who a token stands for is remembered for AUTH_CACHE_MS (2 s) after it was read from the database,
 * so that a busy caller (an integration, a console polling) costs no look-up per request. Whatever
 * ends or changes a token's rights in this process forgets every remembered token at once, before it
 * answers: logout, revoking an API key, changing a user (`forgetCachedActors()`, called by
 * routes/auth.ts, routes/api-keys.ts, routes/users.ts), so that a revoked key or a deactivated user is
 * refused by the next request. Another API instance sharing the database notices within AUTH_CACHE_MS.
 * A session's expiry is checked on every request, remembered or not. Unknown tokens are never
 * remembered.
 */
import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../contracts/roles';
import { Session, User } from '../db';
import type { Db } from '../db';
import { unauthorized } from './errors';
import { actorOfApiKey, looksLikeApiKey } from './api-keys';
import { keyFailureLimit } from './key-failures';
import { rateLimited, type Limits } from './security';
import { refuseUntilPasswordChanged } from './password-change';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    /** The user must set their own password before anything else (an administrator chose the current one). */
    passwordChangeDue?: boolean;
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** How long an actor read for a token is used without reading it again. */
export const AUTH_CACHE_MS = 2_000;
const CACHE_MAX = 10_000;
/** SHA-256 of the whole bearer value → whom it stands for (only valid tokens are put here). */
const actorCache = new Map<string, { actor: Actor; readAt: number; expiresAt: number; passwordChangeDue: boolean }>();
/** Bumped by every forget, so that a look-up that read the database before it is not remembered. */
let generation = 0;

/** Forget every remembered token: call it before answering whatever revoked or changed rights. */
export function forgetCachedActors(): void {
  generation += 1;
  actorCache.clear();
  inFlight.clear();
}

function remembered(tokenHash: string, now: number): { actor: Actor; passwordChangeDue: boolean } | undefined {
  const hit = actorCache.get(tokenHash);
  if (!hit) return undefined;
  if (now - hit.readAt > AUTH_CACHE_MS || hit.expiresAt <= now) {
    actorCache.delete(tokenHash);
    return undefined;
  }
  return hit;
}

function remember(tokenHash: string, actor: Actor, readAt: number, readInGeneration: number, expiresAt = Infinity, passwordChangeDue = false): void {
  if (readInGeneration !== generation) return;
  if (actorCache.size >= CACHE_MAX) actorCache.delete(actorCache.keys().next().value!);
  actorCache.set(tokenHash, { actor, readAt, expiresAt, passwordChangeDue });
}

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

type LookUp = { actor: Actor; passwordChangeDue?: boolean; apiKey?: undefined; refusal?: undefined } | { actor?: undefined; apiKey?: { keyId?: string; reason?: string }; refusal?: string };

/** Look-ups under way, shared by the requests that bring the same token meanwhile (one query, not one each). */
const inFlight = new Map<string, { generation: number; result: Promise<LookUp> }>();

/** Whom a token stands for, from the database (remembered for AUTH_CACHE_MS when valid). */
function lookUp(db: Db, token: string, tokenHash: string): Promise<LookUp> {
  const running = inFlight.get(tokenHash);
  // Joined only if nothing was revoked since it started (a forget bumps the generation).
  if (running && running.generation === generation) return running.result;
  const gen = generation;
  const now = Date.now();
  const result = (async (): Promise<LookUp> => {
    if (looksLikeApiKey(token)) {
      // An integration's API key (server/api-keys.ts): `ffk_<id>_<secret>`.
      const found = await actorOfApiKey(db, token);
      if (!found.actor) return { apiKey: { keyId: found.keyId, reason: found.reason } };
      remember(tokenHash, found.actor, now, gen);
      return { actor: found.actor };
    }
    const em = db.em();
    const session = await em.findOne(Session, { tokenHash });
    if (!session || session.expiresAt.getTime() < Date.now()) return { refusal: '登录已过期，请重新登录 (session expired or unknown token)' };
    const user = await em.findOne(User, { id: session.userId, active: true });
    if (!user) return { refusal: '账号已停用 (account disabled)' };
    const actor = actorOf(user);
    remember(tokenHash, actor, now, gen, session.expiresAt.getTime(), user.mustChangePassword);
    return { actor, passwordChangeDue: user.mustChangePassword };
  })();
  const entry = { generation: gen, result };
  inFlight.set(tokenHash, entry);
  const done = () => {
    if (inFlight.get(tokenHash) === entry) inFlight.delete(tokenHash);
  };
  result.then(done, done);
  return result;
}

/** The caller, or a 401. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; publicPaths: RegExp[]; limits: Limits }) => {
    app.decorateRequest('actor', undefined);
    const keyFailures = keyFailureLimit(opts.db, { max: opts.limits.keyFailuresPerIp, windowMs: opts.limits.keyFailureWindowMs });
    app.addHook('onClose', async () => keyFailures.close());
    app.addHook('onRequest', async (request, reply) => {
      // The matched route, from the app's mount point (server/security.ts).
      const path = request.appPath;
      if (!path.startsWith('/api/') || opts.publicPaths.some((re) => re.test(path))) return;
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      if (!token) throw unauthorized();
      const now = Date.now();
      const tokenHash = hashToken(token);
      const known = remembered(tokenHash, now);
      if (known) {
        request.actor = known.actor;
        request.passwordChangeDue = known.passwordChangeDue;
        return refuseUntilPasswordChanged(known.passwordChangeDue, path);
      }
      // An address that has failed with keys too often waits, without a look-up (nor an audit row of its own).
      const wait = looksLikeApiKey(token) ? keyFailures.limited(request.ip) : 0;
      if (wait) {
        reply.header('Retry-After', String(wait));
        throw rateLimited(wait);
      }
      const found = await lookUp(opts.db, token, tokenHash);
      if (found.actor) {
        request.actor = found.actor;
        request.passwordChangeDue = found.passwordChangeDue ?? false;
        return refuseUntilPasswordChanged(found.passwordChangeDue, path);
      }
      if (found.apiKey) {
        await keyFailures.failed(request.ip, found.apiKey.keyId, found.apiKey.reason);
        throw unauthorized('接口密钥无效或已吊销 (unknown or revoked API key)');
      }
      throw unauthorized(found.refusal);
    });
  },
  { name: 'fangfan-auth', dependencies: ['fangfan-security'] },
);
