/**
 * `Idempotency-Key`: a retried request (same caller, same key) takes effect once and is answered as
 * the first was — across API restarts, since answers live in the database. Concurrent duplicates wait
 * for the first to finish. Reusing a key for a different request is refused.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { IdempotencyRecord } from '../db';
import type { Db } from '../db';
import type { Actor } from '../contracts/roles';
import { HttpError, invalidField, ruleViolation } from './errors';

const PENDING = 0;

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(key)) throw invalidField('Idempotency-Key', 'format', 'must be 1–128 characters of letters, digits, . _ : -');
  return key;
}

/**
 * Run `action` once per (caller, key). `action` returns the status and body to send; an HttpError
 * below 500 is remembered too (the retry gets the same refusal), anything else is not.
 */
export async function once(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  action: (eventId: string | undefined) => Promise<{ status: number; body: unknown }>,
): Promise<unknown> {
  const key = idempotencyKey(request);
  if (!key) {
    const r = await action(undefined);
    return reply.status(r.status).send(r.body);
  }
  const id = `${actor.kind}:${actor.id}:${key}`;
  const hash = createHash('sha256').update(`${request.method} ${request.url.split('?')[0]} ${JSON.stringify(request.body ?? null)}`).digest('hex');
  try {
    const em = db.em();
    em.create(IdempotencyRecord, { id, requestHash: hash, status: PENDING, body: null, createdAt: new Date() });
    await em.flush();
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const done = await waitForAnswer(db, id);
    if (done.requestHash !== hash) throw ruleViolation('同一 Idempotency-Key 已用于另一个请求 (this Idempotency-Key was used for a different request)');
    reply.header('Idempotent-Replayed', 'true');
    return reply.status(done.status).send(done.body);
  }
  const eventId = `${actor.id}:${key}`;
  let result: { status: number; body: unknown };
  try {
    result = await action(eventId);
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) {
      await remember(db, id, err.status, { error: { code: err.code, message: err.message, details: err.details, ...err.extra } });
    } else {
      await db.em().nativeDelete(IdempotencyRecord, { id });
    }
    throw err;
  }
  await remember(db, id, result.status, result.body);
  return reply.status(result.status).send(result.body);
}

async function remember(db: Db, id: string, status: number, body: unknown): Promise<void> {
  await db.em().nativeUpdate(IdempotencyRecord, { id }, { status, body: body as object });
}

async function waitForAnswer(db: Db, id: string): Promise<{ status: number; body: unknown; requestHash: string }> {
  for (let i = 0; i < 300; i++) {
    const rec = await db.em().findOne(IdempotencyRecord, { id });
    if (!rec) throw new HttpError(409, 'conflict', '同一请求正在处理，请重试 (the same request is being processed; retry)');
    if (rec.status !== PENDING) return { status: rec.status, body: rec.body, requestHash: rec.requestHash };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new HttpError(409, 'conflict', '同一请求仍在处理，请稍后重试 (the same request is still being processed)');
}
