/**
 * `Idempotency-Key`: a retried request (same caller, same key) takes effect once and is answered as
 * the first was — across API restarts, since answers live in the database. Concurrent duplicates wait
 * for the first to finish. Reusing a key for a different request is refused (422 naming the header).
 *
 * Every write route (POST, PUT, PATCH, DELETE under /api/) honours it, in one of two ways:
 * - by default, the `idempotentWrites` hooks (registered for every route by server/security.ts): the
 *   record is taken before the handler runs and the handler's success is stored as the answer; a
 *   refusal or failure lets the key go (nothing changed: correct and send again). An upload
 *   (multipart: `POST /api/households/import`) is left out: its body is not known before the handler
 *   reads it, and its rows match the register by ID number, so a repeated file changes nothing twice;
 * - the case commands and integration events, whose effects reach Temporal, take the record in the
 *   handler after their own checks (`once`, route config `IDEMPOTENT_IN_HANDLER`), with the
 *   crash safety below.
 *
 * Crash safety. The first request takes a pending record with a lease (LEASE_MS), renewed while it
 * works. If the instance dies between taking the record and answering, the record stays pending with
 * a lapsing lease; the next retry after the lease ran out takes it over and runs the action again
 * with the same event id. Running it again is safe because every effect is deduplicated downstream:
 * - signals and step completions carry the event id, and the case ignores an id it has seen
 *   (workflows/case.ts firstDelivery); step updates also use it as Temporal's update id;
 * - a start first reserves the new case's id in the record (`Attempt.reserve`) before asking Temporal to
 *   start it; the takeover finds the reservation and, if Temporal has that case, answers with it
 *   instead of starting another (even if the case has since closed and released its open-case
 *   guard). Without a reservation nothing was started, and the open-case guard (server/processes/
 *   start.ts) clears a guard whose workflow never started, so the retry starts the one case;
 * - a cancellation is a Temporal update with the event id as update id; repeated on a case that is
 *   already closed it answers 409.
 */
import { createHash } from 'node:crypto';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import { IdempotencyRecord } from '../db';
import type { Db } from '../db';
import type { Actor } from '../contracts/roles';
import { HttpError, asHttpError, errorBody, invalidField, ruleViolation } from './errors';
import type { Attempt } from './commands/command';
import { audit, auditRow, type AuditInput } from './audit';
import { batchedLookup, groupWrite } from './group-commit';
import { failpoint } from './failpoints';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler takes the idempotency record itself (`once`), after its own checks. */
    idempotentInHandler?: boolean;
    /** … and replays stored answers itself too (`replayIfAnswered`), see `idempotentWrites`. */
    replayInHandler?: boolean;
  }
  interface FastifyRequest {
    /** The record `idempotentWrites` took for this request, until its answer is stored. */
    idempotencyRecord?: { id: string; hash: string };
  }
}

const PENDING = 0;
/** How long a pending record is held without renewal before another instance may take it over (`IDEMPOTENCY_LEASE_MS`). */
export const LEASE_MS = Number(process.env.IDEMPOTENCY_LEASE_MS) > 0 ? Number(process.env.IDEMPOTENCY_LEASE_MS) : 60_000;
/** How long a duplicate waits for the first request's answer before answering 409 (retry later). */
const MAX_WAIT_MS = 30_000;

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(key)) throw invalidField('Idempotency-Key', 'format', 'must be 1–128 characters of letters, digits, . _ : -');
  return key;
}

/** The record of (caller, key); also the business event id handed to the workflow. */
export const recordId = (actor: Pick<Actor, 'kind' | 'id'>, key: string) => `${actor.kind}:${actor.id}:${key}`;

const requestHash = (request: FastifyRequest) =>
  createHash('sha256').update(`${request.method} ${request.url.split('?')[0]} ${JSON.stringify(request.body ?? null)}`).digest('hex');

type Claim = { kind: 'new' } | { kind: 'answered'; status: number; body: unknown } | { kind: 'takenOver'; reserved?: Record<string, unknown> };

/** What an action answers: status and body, and the audit entry of what it did (if it writes one). */
export interface Outcome {
  status: number;
  body: unknown;
  /**
   * Written in the same transaction as the stored answer (one commit, not two), and in any case
   * committed before the answer is sent.
   */
  audit?: AuditInput;
}

/**
 * Run `action` once per (caller, key): its attempt carries the record id as the event id, and what a
 * crashed earlier attempt reserved. `action` returns the status and body to send; a refusal (a 4xx) is
 * remembered too (the retry gets the same refusal), anything else is not.
 */
export async function once(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  action: (attempt: Attempt) => Promise<Outcome>,
): Promise<void> {
  if (request.idempotencyRecord) throw new Error(`${request.routeOptions.url} calls once(): give its route config IDEMPOTENT_IN_HANDLER`);
  const key = idempotencyKey(request);
  if (!key) {
    const r = await action({});
    if (r.audit) await audit(db, r.audit);
    return answer(reply, r.status, r.body);
  }
  const id = recordId(actor, key);
  const hash = requestHash(request);
  const claim = await claimRecord(db, id, hash);
  if (claim.kind === 'answered') {
    reply.header('Idempotent-Replayed', 'true');
    return answer(reply, claim.status, claim.body);
  }
  const attempt: Attempt = {
    eventId: id,
    ...(claim.kind === 'takenOver' && claim.reserved ? { reserved: claim.reserved } : {}),
    reserve: async (data) => {
      await db.em().nativeUpdate(IdempotencyRecord, { id, status: PENDING }, { body: { reserved: data } });
    },
  };
  const renew = setInterval(() => {
    void db
      .em()
      .nativeUpdate(IdempotencyRecord, { id, status: PENDING }, { leaseUntil: new Date(Date.now() + LEASE_MS) })
      .catch(() => undefined);
  }, LEASE_MS / 3);
  renew.unref();
  let result: Outcome;
  try {
    result = await action(attempt);
    failpoint('after-accept'); // fault tests only: die here, as a crash between taking effect and answering
  } catch (err) {
    clearInterval(renew);
    const refusal = asHttpError(err);
    if (refusal && refusal.status < 500) {
      await remember(db, id, hash, refusal.status, errorBody(refusal));
    } else {
      await db.em().nativeDelete(IdempotencyRecord, { id });
    }
    throw err;
  }
  clearInterval(renew);
  await remember(db, id, hash, result.status, result.body, result.audit);
  return answer(reply, result.status, result.body);
}

async function claimRecord(db: Db, id: string, hash: string): Promise<Claim> {
  const until = Date.now() + MAX_WAIT_MS;
  for (;;) {
    const now = new Date();
    // Committed (with the claims and answers of concurrent requests, server/group-commit.ts) before
    // the action runs, as a transaction of its own would be.
    const inserted = await groupWrite(db, { kind: 'claim', row: { id, requestHash: hash, status: PENDING, body: null, createdAt: now, leaseUntil: new Date(now.getTime() + LEASE_MS) } });
    if (inserted) return { kind: 'new' };
    // Read again on every turn (the request's EntityManager would answer from its identity map).
    const rec = await db.em().findOne(IdempotencyRecord, { id }, { refresh: true });
    if (rec) {
      if (rec.requestHash !== hash) throw keyReused();
      if (rec.status !== PENDING) return { kind: 'answered', status: rec.status, body: rec.body };
      // Pending: its owner is working on it, or died. A lapsed lease is taken over (by one taker only).
      const lapsed = { $or: [{ leaseUntil: { $lt: now } }, { leaseUntil: null, createdAt: { $lt: new Date(now.getTime() - LEASE_MS) } }] };
      const taken = await db.em().nativeUpdate(IdempotencyRecord, { id, status: PENDING, ...lapsed }, { leaseUntil: new Date(now.getTime() + LEASE_MS) });
      if (taken === 1) {
        const reserved = (rec.body as { reserved?: Record<string, unknown> } | null)?.reserved;
        return { kind: 'takenOver', ...(reserved ? { reserved } : {}) };
      }
    }
    // else: the first attempt failed and let go of the key a moment ago; try to take it again.
    if (Date.now() > until) throw new HttpError(409, 'conflict', '同一请求仍在处理，请稍后重试 (the same request is still being processed; retry later)');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Store the answer, and the action's audit entry in the same transaction; resolves once it is committed
 * (with other requests' writes, server/group-commit.ts).
 */
async function remember(db: Db, id: string, hash: string, status: number, body: unknown, entry?: AuditInput): Promise<void> {
  await groupWrite(db, {
    kind: 'answer',
    row: { id, requestHash: hash, status, body: body ?? null, createdAt: new Date(), leaseUntil: null },
    ...(entry ? { audit: auditRow(entry) } : {}),
  });
}

/** The record of an id, read together with the look-ups of concurrent requests. */
const findRecord = batchedLookup(
  (db, ids) => db.em().find(IdempotencyRecord, { id: { $in: ids } }),
  (r) => r.id,
);

/** The 422 for a key reused with another request. */
function keyReused() {
  const message = '同一 Idempotency-Key 已用于另一个请求 (this Idempotency-Key was used for a different request)';
  return ruleViolation(message, [{ field: 'Idempotency-Key', rule: 'sameRequest', message: 'was used for a different request (method, path or body)' }]);
}

/**
 * Hooks for every write route (server/security.ts registers them). Routes whose handler calls `once()`
 * (`IDEMPOTENT_IN_HANDLER`): a retry of a request already answered gets the stored answer before the
 * route's own checks run (they may no longer hold: a cancelled case refuses a second cancel, but the
 * retry of the first must get its 200) — unless the route also replays itself (`REPLAY_IN_HANDLER`,
 * only when its checks refuse: with the checks passing, `once()` meets the stored answer anyway).
 * Every other write route: the record is taken here, before the handler (a duplicate meanwhile waits
 * for the answer, or replays it), and the handler's success stored as the answer when it is sent.
 */
export function idempotentWrites(db: Db) {
  const letGo = (id: string) => db.em().nativeDelete(IdempotencyRecord, { id, status: PENDING });
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      const config = request.routeOptions.config;
      if (config?.idempotentInHandler) {
        if (!config.replayInHandler && (await replayIfAnswered(db, request, reply))) return reply;
        return;
      }
      if (request.headers['idempotency-key'] === undefined || !request.actor || request.isMultipart()) return;
      const id = recordId(request.actor, idempotencyKey(request)!);
      const hash = requestHash(request);
      const claim = await claimRecord(db, id, hash);
      if (claim.kind === 'answered') {
        reply.header('Idempotent-Replayed', 'true');
        await answer(reply, claim.status, claim.body);
        return reply;
      }
      request.idempotencyRecord = { id, hash };
    },
    /** Store a success as the answer (before it is sent); anything else lets the key go. */
    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const rec = request.idempotencyRecord;
      if (!rec) return payload;
      request.idempotencyRecord = undefined;
      const body = reply.statusCode < 300 ? storable(payload) : undefined;
      if (body === undefined) await letGo(rec.id);
      else await remember(db, rec.id, rec.hash, reply.statusCode, body);
      return payload;
    },
    /** A request that ended without sending (the client went away): let the key go. */
    async onResponse(request: FastifyRequest) {
      const rec = request.idempotencyRecord;
      if (!rec) return;
      request.idempotencyRecord = undefined;
      await letGo(rec.id);
    },
  };
}

/** A JSON answer (or none) as stored; undefined when it cannot be stored (then it is not remembered). */
function storable(payload: unknown): unknown {
  if (payload === undefined || payload === null || payload === '') return null;
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

/** Route config for a route whose handler calls `once()` after its own checks. */
export const IDEMPOTENT_IN_HANDLER: FastifyContextConfig = { idempotentInHandler: true };
/** … and calls `replayIfAnswered` itself when its checks refuse. */
export const REPLAY_IN_HANDLER: FastifyContextConfig = { idempotentInHandler: true, replayInHandler: true };

/**
 * Send the stored answer to a retry of a request already answered (true), or nothing (false): no
 * key, no record, or one still being worked on. A key reused for a different request is 422.
 */
export async function replayIfAnswered(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (request.headers['idempotency-key'] === undefined || !request.actor) return false;
  const key = idempotencyKey(request)!;
  const rec = await findRecord(db, recordId(request.actor, key));
  if (!rec || rec.status === PENDING) return false;
  if (rec.requestHash !== requestHash(request)) throw keyReused();
  reply.header('Idempotent-Replayed', 'true');
  await answer(reply, rec.status, rec.body);
  return true;
}

/**
 * Send an answer and wait until it is out: the route handler then returns nothing, whatever its
 * response schemas (a stored answer may be a refusal).
 */
async function answer(reply: FastifyReply, status: number, body: unknown): Promise<void> {
  await reply.status(status).send(body);
}
