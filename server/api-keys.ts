/**
 * API keys for integrations: `ffk_<id>_<secret>`, the id (12 hex digits) to find the key, the secret
 * (32 random bytes, base64url) to prove it. Only SHA-256 of the secret is stored.
 *
 * Why SHA-256 and not scrypt like passwords: a slow KDF protects guessable secrets (people's
 * passwords) against offline guessing after a database leak. A 256-bit random secret cannot be
 * guessed at any hashing speed, so a fast hash loses nothing, and it keeps the check cheap on every
 * request an integration makes (a KDF per request would be a denial-of-service lever).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { ApiKey } from '../db';
import type { Actor } from '../contracts/roles';
import { knownScopes } from '../contracts/authz';
import { catalogue } from '../processes';
import { invalidField } from './errors';

export const KEY_PREFIX = 'ffk_';
const KEY_RE = /^ffk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function newApiKey(): { id: string; secret: string; key: string; prefix: string; hash: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `${KEY_PREFIX}${id}_${secret}`, prefix: `${KEY_PREFIX}${id}_${secret.slice(0, 4)}`, hash: sha256(secret) };
}

export const looksLikeApiKey = (token: string) => token.startsWith(KEY_PREFIX);

/** The integration behind a key, or undefined for a malformed, unknown or revoked key. */
export async function actorOfApiKey(db: Db, token: string): Promise<{ actor?: Actor; keyId?: string; reason?: string }> {
  const m = KEY_RE.exec(token);
  if (!m) return { reason: 'malformed' };
  const [, id, secret] = m;
  const em = db.em();
  const key = await em.findOne(ApiKey, { id });
  if (!key) return { keyId: id, reason: 'unknown' };
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(key.hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return { keyId: id, reason: 'wrong_secret' };
  if (key.revokedAt) return { keyId: id, reason: 'revoked' };
  // Last use, at most once a minute (no write per request).
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
    await em.nativeUpdate(ApiKey, { id }, { lastUsedAt: now }).catch(() => undefined);
  }
  return { actor: { kind: 'integration', id: key.id, name: key.name, roles: [], scopes: [...key.scopes] }, keyId: id };
}

/** The actor a key stands for, whatever its state (for replaying its dead letters). */
export function actorOfKeyRow(key: { id: string; name: string; scopes: string[] }): Actor {
  return { kind: 'integration', id: key.id, name: key.name, roles: [], scopes: [...key.scopes] };
}

/** Every scope a key may be given, from the catalogue and the endpoint scopes (contracts/authz.ts). */
export const allScopes = () => knownScopes(catalogue());

/** 400 naming each unknown scope. */
export function checkScopes(scopes: string[]): string[] {
  const known = new Set(allScopes());
  const bad = scopes.map((s, i) => [s, i] as const).filter(([s]) => !known.has(s));
  if (bad.length) {
    const [s, i] = bad[0];
    throw invalidField(`scopes.${i}`, 'enum', `未知的权限范围“${s}” (allowed: start:<type>, signal:<type>.<signal> from the catalogue, department:<部门>, or ${allScopes().filter((x) => !x.includes(':')).join(', ')})`);
  }
  return [...new Set(scopes)];
}
