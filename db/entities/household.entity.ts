import { defineEntity, p } from '@mikro-orm/core';

/** 农户: the household register. ID numbers are stored whole and masked on the way out. */
export const Household = defineEntity({
  name: 'Household',
  tableName: 'household',
  properties: {
    id: p.string().primary(),
    headName: p.string(),
    idNumber: p.string().unique(),
    phone: p.string().nullable(),
    town: p.string().index(),
    village: p.string().index(),
    memberCount: p.integer(),
    /** 一般农户 or 脱贫户 */
    status: p.string().default('ordinary'),
    /** Low-income groups (低保户, 特困人员 …) the household belongs to. */
    lowIncomeGroups: p.json<string[]>().default('[]'),
    /** none | monitored | eliminated */
    monitoringStatus: p.string().default('none').index(),
    monitoringCategory: p.string().nullable(),
    riskTypes: p.json<string[]>().default('[]'),
    monitoredSince: p.string().nullable(),
    monitoringProcessId: p.string().nullable(),
    /** When the risk was last eliminated (YYYY-MM-DD); cleared when the elimination is reverted. */
    eliminatedOn: p.string().nullable(),
    /** When the household was last included again after an elimination (返贫, YYYY-MM-DD). */
    returnedOn: p.string().nullable(),
    /** 住房安全状况: unknown | safe | grade_c | grade_d (set by P4 农村危房改造; history in housing_record). */
    housingStatus: p.string().default('unknown'),
    /** 包户干部: the cadre (user id, name) who answers for this household, and since when (history: contact_cadre_change). */
    contactCadreId: p.string().nullable().index(),
    contactCadreName: p.string().nullable(),
    contactCadreSince: p.datetime().nullable(),
    /** Numbers the household's cases (workflow ids `<type>:<household>:<n>`). */
    caseSeq: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
