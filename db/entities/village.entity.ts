import { defineEntity, p } from '@mikro-orm/core';

/** 镇 / 村: the district's towns and their villages (a village belongs to one town). */
export const Village = defineEntity({
  name: 'Village',
  tableName: 'village',
  properties: {
    id: p.integer().primary().autoincrement(),
    town: p.string().index(),
    name: p.string(),
    /** 重点镇 / 重点村 of plan item 4. */
    key: p.boolean().default(false),
  },
  uniques: [{ properties: ['town', 'name'] }],
});
