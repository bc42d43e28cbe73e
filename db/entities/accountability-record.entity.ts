import { defineEntity, p } from '@mikro-orm/core';

/**
 * 约谈 and 问责 records (plan item 6: supervision, talks and accountability): who (a person or a unit), why,
 * when, the measure, and the cases it concerns. Written by district supervisors (source `supervisor`,
 * never changed), or by the read model from a rectification whose re-check judged a fix false or
 * perfunctory (source `rectification`, one per rejected round: processes/rectification/accountability.ts).
 */
export const AccountabilityRecord = defineEntity({
  name: 'AccountabilityRecord',
  tableName: 'accountability_record',
  properties: {
    id: p.string().primary(),
    /** `talk` (约谈) or `accountability` (问责). */
    kind: p.string(),
    /** The person or unit, as written (e.g. 统景镇人民政府, 区医保局 张某). */
    target: p.string(),
    reason: p.text(),
    /** The day it took place (YYYY-MM-DD). */
    decidedOn: p.string().index(),
    measure: p.text(),
    /** The cases it concerns (their ids). */
    processIds: p.json<string[]>(),
    recordedBy: p.string(),
    recordedByName: p.string(),
    createdAt: p.datetime().index(),
    /** Where it came from: `supervisor` (recorded on the supervision page) or `rectification` (a rejected re-check). */
    source: p.string().default('supervisor'),
    /** Towns it concerns (its cases' towns): their officers read it (server/supervision/records.ts). */
    towns: p.json<string[]>().default('[]'),
    /** Departments it concerns (the fixing department; one a supervisor's record names): their officers read it. */
    departments: p.json<string[]>().default('[]'),
  },
});
