import { defineEntity, p } from '@mikro-orm/core';

/**
 * A version of the policy's values (server/policy-versions.ts). An administrator drafts one; a second
 * administrator or a supervisor activates it (four-eyes); it is in force from 00:00 Asia/Shanghai of
 * `effectiveFrom` until a later activated version's day comes. Versions are never deleted or edited after
 * activation: a case names the one it started under (`v<version>#<digest>`).
 */
export const PolicyVersion = defineEntity({
  name: 'PolicyVersion',
  tableName: 'policy_version',
  properties: {
    id: p.string().primary(),
    version: p.integer().unique(),
    /**
     * `draft`, or what the version was when last written (`scheduled`, `active`, `retired`): answers derive
     * the status from the dates, since a scheduled version becomes active at its day without a write.
     */
    status: p.string().index(),
    /** YYYY-MM-DD (Asia/Shanghai). */
    effectiveFrom: p.string(),
    values: p.json<Record<string, unknown>>(),
    /** sha256 of the values (canonical JSON), first 12 hex digits. */
    digest: p.string(),
    createdBy: p.string(),
    createdByName: p.string(),
    createdAt: p.datetime(),
    note: p.text(),
    activatedBy: p.string().nullable(),
    activatedByName: p.string().nullable(),
    activatedAt: p.datetime().nullable().index(),
  },
});
