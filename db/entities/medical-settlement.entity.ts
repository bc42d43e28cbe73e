import { defineEntity, p } from '@mikro-orm/core';

/**
 * 医保结算: settlements the medical insurance system reported for a household (P3). They accumulate per
 * household and calendar year (Asia/Shanghai, the settlement date's year) to decide whether a relief
 * case starts. `eventKey` is unique (`e:<eventId>` of the settlement system, else `k:<caller>:<Idempotency-Key>`),
 * so a repeated delivery never counts twice. Amounts are whole fen (分); a re-settlement supersedes the
 * settlement it replaces, which then no longer counts.
 */
export const MedicalSettlement = defineEntity({
  name: 'MedicalSettlement',
  tableName: 'medical_settlement',
  properties: {
    id: p.integer().primary().autoincrement(),
    eventKey: p.string().unique(),
    eventId: p.string().nullable(),
    householdId: p.string(),
    year: p.integer(),
    patientName: p.string(),
    patientRelation: p.string(),
    disease: p.string(),
    settlementDate: p.string(),
    totalCostFen: p.bigint('number'),
    basicInsuranceFen: p.bigint('number'),
    criticalIllnessInsuranceFen: p.bigint('number'),
    medicalAssistanceFen: p.bigint('number'),
    outOfPocketFen: p.bigint('number'),
    /** The event key of the settlement this one replaces (a re-settlement). */
    replacesEventKey: p.string().nullable(),
    /** Set when a later re-settlement replaced this one. */
    supersededBy: p.string().nullable(),
    /** The relief case it was passed to, if any. */
    processId: p.string().nullable(),
    receivedBy: p.string(),
    receivedAt: p.datetime(),
  },
  indexes: [{ properties: ['householdId', 'year'] }],
});
