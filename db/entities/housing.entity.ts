import { defineEntity, p } from '@mikro-orm/core';

/**
 * 住房档案: a household's housing history, written by P4 (农村危房改造) activities. An `appraisal` row
 * is a house safety appraisal (grade, date, appraiser); a `renovation` row a finished reinforcement or
 * rebuilding with its subsidy. It decides re-eligibility (plan item 22). Rows are keyed by the case and
 * its step (`<processId>/appraisal-1`, `<processId>/renovation`), so a retried activity never adds one twice.
 */
export const HousingRecord = defineEntity({
  name: 'HousingRecord',
  tableName: 'housing_record',
  properties: {
    id: p.string().primary(),
    householdId: p.string().index(),
    /** appraisal | renovation */
    kind: p.string(),
    processId: p.string().nullable(),
    /** A | B | C | D */
    grade: p.string().nullable(),
    /** The day it happened (appraised, or accepted as finished), YYYY-MM-DD. */
    date: p.string(),
    /** For renovations: the year counted by the re-eligibility rule. */
    year: p.integer().nullable(),
    appraiser: p.string().nullable(),
    reportNo: p.string().nullable(),
    /** For renovations: reinforcement (C) | rebuild (D). */
    method: p.string().nullable(),
    /** Subsidy paid, yuan. */
    subsidy: p.integer().nullable(),
    voucherNo: p.string().nullable(),
    notes: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
