import { defineEntity, p } from '@mikro-orm/core';

/**
 * A case's human number (contracts/case-number.ts), given once when the read model first sees the case
 * and never changed by later projections or a reprojection over the same read model.
 */
export const CaseNumber = defineEntity({
  name: 'CaseNumber',
  tableName: 'case_number',
  properties: {
    processId: p.string().primary(),
    caseNo: p.string().unique(),
  },
});

/** The last number taken per process and year (`认定-2026` → 12). */
export const CaseCounter = defineEntity({
  name: 'CaseCounter',
  tableName: 'case_counter',
  properties: {
    key: p.string().primary(),
    n: p.integer(),
  },
});
