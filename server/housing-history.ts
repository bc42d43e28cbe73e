/**
 * A household's housing history (住房档案) as the API shows it (`GET /api/households/:id`) and the P4
 * starter reads it to know earlier renovations. Written only by P4's activities (processes/house-rebuild/activities.ts).
 */
import Type, { type Static } from 'typebox';
import type { EntityManager } from '@mikro-orm/core';
import { HousingRecord } from '../db';
import { nullable } from './schema';

/** Response schema of `housingHistory`. */
export const HousingHistorySchema = Type.Object(
  {
    status: Type.String({ description: 'unknown | safe | grade_c | grade_d (住房安全状况)' }),
    appraisals: Type.Array(
      Type.Object({ processId: nullable(Type.String()), grade: nullable(Type.String()), appraisedOn: Type.String(), appraiser: nullable(Type.String()), reportNo: nullable(Type.String()) }),
    ),
    renovations: Type.Array(
      Type.Object({
        processId: nullable(Type.String()),
        year: nullable(Type.Integer()),
        grade: nullable(Type.String()),
        method: nullable(Type.String({ description: 'reinforcement (C) | rebuild (D)' })),
        completedOn: Type.String(),
        subsidy: nullable(Type.Integer({ description: 'yuan' })),
        voucherNo: nullable(Type.String()),
      }),
    ),
  },
  { description: '住房档案: house safety appraisals and renovations (decides re-eligibility, plan item 22)' },
);

export type HousingHistory = Static<typeof HousingHistorySchema>;

/** The household's housing history as the API shows it and the P4 starter reads it, oldest first. */
export async function housingHistory(em: EntityManager, household: { id: string; housingStatus?: string | null }): Promise<HousingHistory> {
  const rows = await em.find(HousingRecord, { householdId: household.id }, { orderBy: { date: 'ASC', createdAt: 'ASC' } });
  return {
    status: household.housingStatus ?? 'unknown',
    appraisals: rows
      .filter((r) => r.kind === 'appraisal')
      .map((r) => ({ processId: r.processId ?? null, grade: r.grade ?? null, appraisedOn: r.date, appraiser: r.appraiser ?? null, reportNo: r.reportNo ?? null })),
    renovations: rows
      .filter((r) => r.kind === 'renovation')
      .map((r) => ({
        processId: r.processId ?? null,
        year: r.year ?? null,
        grade: r.grade ?? null,
        method: r.method ?? null,
        completedOn: r.date,
        subsidy: r.subsidy ?? null,
        voucherNo: r.voucherNo ?? null,
      })),
  };
}
