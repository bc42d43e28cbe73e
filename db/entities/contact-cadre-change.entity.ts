import { defineEntity, p } from '@mikro-orm/core';

/**
 * 包户干部变更: each time a household's contact cadre is named or changed — who it was before, who it
 * is now, who decided and when, and why. The household row holds the current one.
 */
export const ContactCadreChange = defineEntity({
  name: 'ContactCadreChange',
  tableName: 'contact_cadre_change',
  properties: {
    id: p.integer().primary().autoincrement(),
    householdId: p.string().index(),
    fromId: p.string().nullable(),
    fromName: p.string().nullable(),
    toId: p.string(),
    toName: p.string(),
    byId: p.string(),
    byName: p.string(),
    reason: p.string().nullable(),
    at: p.datetime(),
  },
});
