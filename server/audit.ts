/** The append-only audit log: every action, who did it, from where, on which case, and how it ended. */
import type { Db } from '../db';
import { AuditEntry } from '../db';
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

export async function audit(db: Db, entry: AuditInput): Promise<void> {
  const em = db.em();
  em.create(AuditEntry, {
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
  });
  await em.flush();
}
