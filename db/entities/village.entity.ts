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
    /** Where the village is (WGS 84), for flagging a photo taken far from it; unknown: no such flag. */
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
  },
  uniques: [{ properties: ['town', 'name'] }],
});
