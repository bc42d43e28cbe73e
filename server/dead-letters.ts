/**
 * Dead letters: an integration event that matched no case and could not start one is kept, with the
 * reason, for an administrator to replay once the cause is fixed (routes/dead-letters.ts). The
 * sender still gets the proper 4xx, naming the letter (`deadLetterId`). Malformed events (400 from
 * schema validation) and refusals of the key itself (401/403/429) are not kept: there is nothing to
 * replay, the sender must fix its request.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { DeadLetter } from '../db';
import type { Actor } from '../contracts/roles';
import { audit } from './audit';
import { Refusal, type RefusalKind } from './commands/refusal';
import { refusalStatus } from './errors';

export interface Delivery {
  /** `METHOD path` as the route is registered, e.g. `POST /api/alerts`. */
  endpoint: string;
  params?: Record<string, string>;
  body: unknown;
}

/** Business refusals worth keeping: no such household or case, a closed case, a rule, a state (400 from the command). */
export const KEEPABLE: readonly RefusalKind[] = ['invalid_request', 'not_found', 'conflict', 'rule_violation'];

async function keepDeadLetter(db: Db, actor: Actor, delivery: Delivery, err: Refusal, ip?: string): Promise<string> {
  const status = refusalStatus(err);
  const fingerprint = createHash('sha256').update(JSON.stringify([actor.id, delivery.endpoint, delivery.params ?? {}, delivery.body])).digest('hex');
  const em = db.em();
  const same = (await em.find(DeadLetter, { fingerprint }, { orderBy: { receivedAt: 'DESC' } })).find((l) => !l.replayResult?.ok);
  if (same) {
    await em.nativeUpdate(DeadLetter, { id: same.id }, { attempts: same.attempts + 1, reason: err.message, status });
    return same.id;
  }
  const id = randomUUID();
  em.create(DeadLetter, {
    id,
    source: actor.id,
    sourceName: actor.name,
    endpoint: delivery.endpoint,
    payload: { ...(delivery.params ? { params: delivery.params } : {}), body: delivery.body },
    reason: err.message,
    status,
    fingerprint,
    attempts: 1,
    receivedAt: new Date(),
  });
  await em.flush();
  await audit(db, { actor, action: 'dead_letter', target: id, ip, outcome: 'refused', detail: { endpoint: delivery.endpoint, status, reason: err.message } });
  return id;
}

/**
 * Run an integration's delivery; a refusal of a kept kind is kept as a dead letter and answered with
 * its id. Users' requests pass through untouched (they see the refusal in the UI and act on it).
 */
export async function withDeadLetter<T>(db: Db, actor: Actor, delivery: Delivery, run: () => Promise<T>, opts: { ip?: string; keep?: readonly RefusalKind[] } = {}): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (actor.kind !== 'integration' || !(err instanceof Refusal) || !(opts.keep ?? KEEPABLE).includes(err.kind)) throw err;
    const id = await keepDeadLetter(db, actor, delivery, err, opts.ip);
    throw new Refusal(
      err.kind,
      `${err.message}；已存为死信 ${id}，原因排除后可由管理员重放 (kept as dead letter ${id}; an administrator can replay it once the cause is fixed)`,
      err.details,
      { ...err.extra, deadLetterId: id },
    );
  }
}
