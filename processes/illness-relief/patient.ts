/**
 * P3 names its patient among the household's members (家庭成员, server/households/members.ts): once the
 * register keeps the household's members, an application's patient must be one of them, and the
 * relation is the register's. A household whose members are not registered yet keeps the patient as
 * written.
 */
import type { EntityManager } from '@mikro-orm/core';
import { HouseholdMember } from '../../db';
import { MEMBER_RELATIONS, type MemberRelation } from '../../contracts/members';
import { invalidField } from '../../server/commands/refusal';

export async function memberPatient(em: EntityManager, householdId: string, patient: { name: string; relation: string }, field: string): Promise<{ name: string; relation: string }> {
  const members = await em.find(HouseholdMember, { householdId }, { fields: ['name', 'relation'] });
  if (!members.length) return patient;
  const member = members.find((m) => m.name === patient.name.trim());
  if (!member) {
    const names = members.map((m) => m.name).join('、');
    throw invalidField(field, 'member', `患者须为该户登记的家庭成员（${names}）(the patient must be a registered member of the household)`);
  }
  return { name: member.name, relation: MEMBER_RELATIONS[member.relation as MemberRelation]?.zh ?? patient.relation };
}
