/**
 * Which relief case a household's settlement belongs to (一事一议: one deliberation per matter). One
 * OPEN case per household; once it has closed, a new matter starts a new case, numbered within the
 * year (`illnessRelief:<household>:<year>`, then `…:<year>-2`, …). Settlements a case took are its
 * own: what a new case counts is what no case took yet.
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { MedicalSettlement, Process } from '../../db';
import type { Services } from '../../server/services';
import { openCaseOf } from '../../server/processes/start';
import { ILLNESS_RELIEF, illnessReliefId, illnessReliefSubject, reliefCaseOf } from './contract';

const TYPE = ILLNESS_RELIEF.type;

/** The household's open relief case, with the year it relieves. */
export async function openReliefCase(services: Services, householdId: string): Promise<{ id: string; year: number } | undefined> {
  const open = await openCaseOf(services, TYPE, illnessReliefSubject(householdId));
  if (open) return { id: open, year: reliefCaseOf(open).year };
  // A case started before one open case per household holds its guard per household and year.
  for (const row of await runningLegacyCases(services.db.em(), householdId)) {
    const id = await openCaseOf(services, TYPE, row.subject);
    if (id) return { id, year: reliefCaseOf(id).year };
  }
  return undefined;
}

/** Running cases whose guard is per household and year (the read model's view, for the application's check too). */
export async function runningLegacyCases(em: EntityManager, householdId: string): Promise<{ id: string; subject: string }[]> {
  const rows = await em.find(Process, { type: TYPE, householdId, status: 'running' }, { fields: ['id', 'subject'] });
  return rows.filter((r) => r.subject !== illnessReliefSubject(householdId)).map((r) => ({ id: r.id, subject: r.subject }));
}

/** The id of the household's next case of the year: one more than the highest number it has. */
export async function nextReliefId(em: EntityManager, householdId: string, year: number): Promise<string> {
  const rows = await em.find(Process, { type: TYPE, householdId }, { fields: ['id'] });
  const taken = rows.map((r) => reliefCaseOf(r.id)).filter((c) => c.year === year).map((c) => c.n);
  return illnessReliefId(householdId, year, taken.length ? Math.max(...taken) + 1 : 1);
}

/** The year's settlements no case took yet (the new matter's), not superseded: their out-of-pocket in fen. */
export async function untakenOutOfPocketFen(em: EntityManager, householdId: string, year: number): Promise<number> {
  const rows = await em.find(MedicalSettlement, { householdId, year, supersededBy: null, processId: null }, { fields: ['outOfPocketFen'] });
  return rows.reduce((s, r) => s + Number(r.outOfPocketFen), 0);
}

/** The case takes the year's settlements no case took yet. */
export async function takeSettlements(em: EntityManager, householdId: string, year: number, processId: string): Promise<void> {
  await em.nativeUpdate(MedicalSettlement, { householdId, year, processId: null }, { processId });
}
