import { defineEntity, p } from '@mikro-orm/core';

/**
 * 约谈 and 问责 records (plan item 6: supervision, talks and accountability): who (a person or a unit), why,
 * when, the measure, and the cases it concerns; written by district supervisors, never changed.
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
  },
});
