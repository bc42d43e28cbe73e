/** Cases' human numbers (contracts/case-number.ts) for lists, the case page and search. */
import { raw } from '@mikro-orm/core';
import { CaseNumber, type EntityManager } from '../../db';
import { likePattern, type Where } from '../lists';

/** The numbers of these cases, by case id (a case not numbered yet is absent), in chunks the database takes. */
export async function caseNumbersOf(em: EntityManager, processIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(processIds)];
  const numbers = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await em.find(CaseNumber, { processId: { $in: ids.slice(i, i + 500) } })) numbers.set(r.processId, r.caseNo);
  }
  return numbers;
}

/** Rows whose case (`column` holds its id) has a number containing the term (`认定-2026-0012`, `0012`). */
export function caseNumberCondition(column: string, term: string): Where {
  return {
    [raw((alias: string) => `${alias}.${column} in (select n.process_id from case_number n where lower(n.case_no) like lower(?) escape '\\')`, [likePattern(term)])]: [],
  };
}
