/**
 * The append-only audit log: every action, who did it, from where, on which case, and how it ended.
 * Append-only: entries are only ever created (no update or delete path here or in any route, and the
 * database refuses both, see Migration20261201ApiKeys). Refusals that no handler audited itself are
 * audited by server/authorization.ts, which uses the per-request counter below to know.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../db';
import { groupWrite, type AuditRow } from './group-commit';
import type { Actor } from '../contracts/roles';

export interface AuditInput {
  actor: Pick<Actor, 'kind' | 'id' | 'name'> | { kind: 'anonymous'; id: string; name: string };
  action: string; // login, login_failed, start, step, signal, cancel, household_create, household_update, import, export…
  processId?: string;
  target?: string;
  ip?: string;
  outcome: 'ok' | 'refused' | 'error';
  detail?: Record<string, unknown>;
}

/** Per request: how many audit entries it wrote (entered by server/security.ts for every request). */
export const auditContext = new AsyncLocalStorage<{ written: number }>();

/**
 * The row of an entry, counted as written by the current request: for writing it together with
 * something else in one transaction (server/idempotency.ts writes an action's entry with its answer).
 */
export function auditRow(entry: AuditInput): AuditRow {
  const store = auditContext.getStore();
  if (store) store.written += 1;
  return {
    at: new Date(),
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    processId: entry.processId ?? null,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  };
}

/**
 * Append an entry; resolves once it is committed. Entries of concurrent requests are committed
 * together in one transaction (server/group-commit.ts): each caller still waits for its own entry to
 * be durable before it answers, so an accepted action is never answered without its entry.
 */
export async function audit(db: Db, entry: AuditInput): Promise<void> {
  await groupWrite(db, { kind: 'audit', row: auditRow(entry) });
}
