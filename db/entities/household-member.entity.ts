import { defineEntity, p } from '@mikro-orm/core';

/**
 * 家庭成员: the people of a registered household (the head is one of them, relation `head`). ID numbers are
 * stored whole, unique across the register, and masked on the way out like the head's.
 */
export const HouseholdMember = defineEntity({
  name: 'HouseholdMember',
  tableName: 'household_member',
  properties: {
    id: p.integer().primary().autoincrement(),
    householdId: p.string().index(),
    name: p.string(),
    idNumber: p.string().unique(),
    /** head | spouse | child | parent | grandchild | sibling | other */
    relation: p.string(),
    /** In school (义务教育 or beyond). */
    student: p.boolean().default(false),
    /** 残疾等级 1–4, none when not disabled. */
    disabilityGrade: p.integer().nullable(),
    /** full | partial | none (劳动能力: 有 / 弱 / 无) */
    labourCapacity: p.string().default('full'),
    /** 参加城乡居民基本医疗保险 */
    insured: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
