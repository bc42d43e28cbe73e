/**
 * Group commit and batched look-ups for the API's per-request database work (idempotency records,
 * audit entries, the case a request is about).
 *
 * Why: on SQLite the read model has one connection per process, so every statement of every request
 * queues on it, and every transaction waits for its commit to reach the disk. Under concurrent
 * requests that queue, not Temporal, limited how many signals the API could take
 * (bench/signal-ingestion.ts: ~10% of the bare Temporal client, see docs/benchmarks.md).
 *
 * How: the first item submitted to a Batcher runs at once (in the next turn of the event loop, so that
 * requests that arrived together go together); items submitted while a batch runs wait and go
 * together in the next batch. Nothing waits on a timer, so an idle server adds no latency, and a busy
 * one makes one transaction (one disk flush) or one query for many requests.
 *
 * Durability is unchanged: a write's promise resolves only after the transaction that carries it has
 * committed, exactly when its own transaction would have. If a batch fails, its items are run again
 * one by one, so one bad item fails alone and an error reaches only the caller it belongs to.
 *
 * Everything here goes through MikroORM's query builder (no SQL of one database), so the same code
 * runs on PostgreSQL.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Db, EntityManager } from '../db';
import { AuditEntry, IdempotencyRecord } from '../db';

/**
 * Where batches run: outside any request's async context (this was made at load time), because a batch
 * serves many requests; its database work gets a fresh EntityManager (db.em()), not the request fork of
 * whichever request happened to come first.
 */
const detached = new AsyncResource('fangfan.batch');

/** The most items one batch carries (bounded so a statement stays well within bound-parameter limits). */
const MAX_BATCH = 100;

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = false;

  /** `run` gets a batch and answers one result per item, in the same order. */
  constructor(private readonly run: (items: I[]) => Promise<O[]>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => detached.runInAsyncScope(() => void this.loop()));
      }
    });
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const out = await this.run(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(out[i]));
        } catch (err) {
          if (batch.length === 1) {
            batch[0].reject(err);
            continue;
          }
          // One by one, so that each caller gets its own outcome.
          for (const w of batch) {
            try {
              w.resolve((await this.run([w.item]))[0]);
            } catch (e) {
              w.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** One row of the audit log, as server/audit.ts builds it. */
export interface AuditRow {
  at: Date;
  actorKind: string;
  actorId: string;
  actorName: string;
  action: string;
  processId: string | null;
  target: string | null;
  ip: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
}

/** The idempotency record's columns, as server/idempotency.ts writes them. */
export interface RecordRow {
  id: string;
  requestHash: string;
  status: number;
  body: unknown;
  createdAt: Date;
  leaseUntil: Date | null;
}

export type Write =
  /** Insert a pending record unless one with its id exists: `true` when this one was inserted. */
  | { kind: 'claim'; row: RecordRow }
  /** Store the answer of a record (status, body; the lease ends), with the action's audit entry if any. */
  | { kind: 'answer'; row: RecordRow; audit?: AuditRow }
  | { kind: 'audit'; row: AuditRow };

/**
 * All the writes of a batch, in one transaction: claims, then answers, then audit entries (one
 * statement each). A batch of one kind is one statement, committed on its own (no BEGIN/COMMIT round
 * trips around it), which is as atomic.
 */
async function commitWrites(db: Db, writes: Write[]): Promise<boolean[]> {
  const result = writes.map(() => true);
  // Claims: the first of several claims of one id in a batch may win; the others lose as they would
  // against a committed record.
  const claimIdx = new Map<string, number>();
  writes.forEach((w, i) => {
    if (w.kind !== 'claim') return;
    if (claimIdx.has(w.row.id)) result[i] = false;
    else claimIdx.set(w.row.id, i);
  });
  const claims = [...claimIdx.values()].map((i) => writes[i].row as RecordRow);
  const answers = writes.filter((w): w is Extract<Write, { kind: 'answer' }> => w.kind === 'answer').map((w) => w.row);
  const audits = writes.flatMap((w) => (w.kind === 'audit' ? [w.row] : w.kind === 'answer' && w.audit ? [w.audit] : []));
  const statements: ((em: EntityManager) => Promise<void>)[] = [];
  if (claims.length) {
    statements.push(async (em) => {
      const inserted = (await em.createQueryBuilder(IdempotencyRecord).insert(claims).onConflict('id').ignore().returning('id').execute('all')) as { id: string }[];
      const won = new Set(inserted.map((r) => r.id));
      for (const [id, i] of claimIdx) result[i] = won.has(id);
    });
  }
  if (answers.length) {
    // An upsert, to store many answers in one statement; the record exists (its claim committed before
    // its action ran), so this only ever updates it.
    statements.push(async (em) => {
      await em.createQueryBuilder(IdempotencyRecord).insert(answers).onConflict('id').merge(['status', 'body', 'leaseUntil']).execute();
    });
  }
  if (audits.length) {
    statements.push(async (em) => {
      await em.createQueryBuilder(AuditEntry).insert(audits).execute();
    });
  }
  if (statements.length === 1) await statements[0](db.em());
  else {
    await db.em().transactional(async (em) => {
      for (const run of statements) await run(em);
    });
  }
  return result;
}

const writers = new WeakMap<Db, Batcher<Write, boolean>>();

/** Commit `write` (with whatever else is waiting): resolves once it is committed. */
export function groupWrite(db: Db, write: Write): Promise<boolean> {
  let w = writers.get(db);
  if (!w) {
    w = new Batcher((writes) => commitWrites(db, writes));
    writers.set(db, w);
  }
  return w.submit(write);
}

/**
 * A batched look-up by primary key: the keys asked for while a query runs are read together in the
 * next one (`where id in (…)`). Each caller gets the row as it was when its query ran, never older
 * than its own request: nothing is cached.
 */
export function batchedLookup<T extends object>(load: (db: Db, ids: string[]) => Promise<T[]>, idOf: (row: T) => string) {
  const batchers = new WeakMap<Db, Batcher<string, T | null>>();
  return (db: Db, id: string): Promise<T | null> => {
    let b = batchers.get(db);
    if (!b) {
      b = new Batcher(async (ids) => {
        const rows = await load(db, [...new Set(ids)]);
        const byId = new Map(rows.map((r) => [idOf(r), r]));
        return ids.map((i) => byId.get(i) ?? null);
      });
      batchers.set(db, b);
    }
    return b.submit(id);
  };
}
