import { defineEntity, p } from '@mikro-orm/core';

/** Append-only audit log: who did what, when, from where, on which case. */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    id: p.integer().primary().autoincrement(),
    at: p.datetime().index(),
    actorKind: p.string(),
    actorId: p.string().index(),
    actorName: p.string(),
    action: p.string().index(),
    processId: p.string().nullable().index(),
    target: p.string().nullable(),
    ip: p.string().nullable(),
    outcome: p.string(),
    detail: p.json<Record<string, unknown>>().nullable(),
  },
});
