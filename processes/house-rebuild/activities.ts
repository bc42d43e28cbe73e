/**
 * P4's writes to the read model: the household's housing history (housing_record) and its housing
 * status. Idempotent: each row is keyed by the case and its step, so a retried activity finds the row
 * it wrote before and only re-applies the same values.
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { Household, HousingRecord, type Db } from '../../db';

export interface HousingAppraisal {
  /** `<processId>/<stepId>`: one row per appraisal step. */
  id: string;
  householdId: string;
  processId: string;
  grade: string;
  appraisedOn: string;
  appraiser: string;
  reportNo?: string;
  findings?: string;
}

export interface HousingRenovation {
  /** `<processId>/renovation`: one row per case. */
  id: string;
  householdId: string;
  processId: string;
  grade: string;
  method: string;
  /** The day the works were accepted. */
  completedOn: string;
  subsidy: number;
  voucherNo: string;
  notes?: string;
}

const STATUS_BY_GRADE: Record<string, string> = { A: 'safe', B: 'safe', C: 'grade_c', D: 'grade_d' };

async function upsert(tx: EntityManager, row: { id: string } & Record<string, unknown>): Promise<void> {
  const found = await tx.findOne(HousingRecord, { id: row.id });
  if (found) tx.assign(found, row as never);
  else tx.create(HousingRecord, row as never);
}

/** An appraisal: kept in the history; the household's housing status follows its grade. */
async function recordHousingAppraisal(em: EntityManager, a: HousingAppraisal): Promise<void> {
  await em.transactional(async (tx) => {
    await upsert(tx, {
      id: a.id,
      householdId: a.householdId,
      kind: 'appraisal',
      processId: a.processId,
      grade: a.grade,
      date: a.appraisedOn,
      year: Number(a.appraisedOn.slice(0, 4)),
      appraiser: a.appraiser,
      reportNo: a.reportNo ?? null,
      notes: a.findings ?? null,
    });
    const household = await tx.findOneOrFail(Household, { id: a.householdId });
    household.housingStatus = STATUS_BY_GRADE[a.grade] ?? 'unknown';
  });
}

/** A finished, accepted and paid renovation: kept in the history (it decides re-eligibility); the house is safe. */
async function recordHousingRenovation(em: EntityManager, r: HousingRenovation): Promise<void> {
  await em.transactional(async (tx) => {
    await upsert(tx, {
      id: r.id,
      householdId: r.householdId,
      kind: 'renovation',
      processId: r.processId,
      grade: r.grade,
      date: r.completedOn,
      year: Number(r.completedOn.slice(0, 4)),
      method: r.method,
      subsidy: r.subsidy,
      voucherNo: r.voucherNo,
      notes: r.notes ?? null,
    });
    const household = await tx.findOneOrFail(Household, { id: r.householdId });
    household.housingStatus = 'safe';
  });
}

export function houseRebuildActivities({ db }: { db: Db }) {
  return {
    /** An appraisal into the housing history; the household's housing status follows its grade. */
    async recordHousingAppraisal(a: HousingAppraisal): Promise<void> {
      await recordHousingAppraisal(db.em(), a);
    },
    /** A finished renovation into the housing history; the house is safe. */
    async recordHousingRenovation(r: HousingRenovation): Promise<void> {
      await recordHousingRenovation(db.em(), r);
    },
  };
}
