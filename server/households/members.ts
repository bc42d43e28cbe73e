/**
 * 家庭成员: a household's members as the register keeps them — checked (each field, one head whose ID
 * number is the household's, no person twice), shown with ID numbers masked like the head's
 * (server/privacy.ts), and written as a whole list (the PUT route and the Excel import share it).
 */
import type { EntityManager, InferEntity } from '@mikro-orm/core';
import { Household, HouseholdMember } from '../../db';
import type { Actor } from '../../contracts/roles';
import { DISABILITY_GRADES, LABOUR_CAPACITIES, MEMBER_RELATIONS, type HouseholdMemberView, type LabourCapacity, type MemberRelation } from '../../contracts/members';
import type { ErrorDetail } from '../commands/refusal';
import { conflict } from '../errors';
import { personalFields } from '../privacy';
import { validateIdNumber } from '../validation/id-number';
import { HEAD_NAME_MAX, MEMBER_COUNT, NAME_RE } from '../validation/household';
import type { HouseholdRow } from './view';

export type MemberRow = InferEntity<typeof HouseholdMember>;

/** A member as written: by a client (PUT) or read from a ledger row. */
export type MemberInput = Omit<HouseholdMemberView, 'id'>;

/**
 * Checks a whole member list for a household (`at`: the field prefix of each member, e.g.
 * `members[2]`); returns the normalised members and the details of every rule broken.
 */
export function checkMembers(
  input: Partial<Record<keyof MemberInput, unknown>>[],
  household: Pick<HouseholdRow, 'idNumber'>,
  today: string,
  at: (i: number) => string = (i) => `members[${i}]`,
): { value: MemberInput[]; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const value: MemberInput[] = [];
  const fail = (field: string, rule: string, message: string) => details.push({ field, rule, message });
  if (input.length > MEMBER_COUNT.max) fail('members', 'maxItems', `a household has at most ${MEMBER_COUNT.max} members (家庭人口)`);
  input.forEach((m, i) => {
    const f = (k: string) => `${at(i)}.${k}`;
    const before = details.length;
    const name = typeof m.name === 'string' ? m.name.trim() : '';
    if (!name) fail(f('name'), 'required', 'must not be empty (姓名必填)');
    else if ([...name].length > HEAD_NAME_MAX) fail(f('name'), 'maxLength', `must be at most ${HEAD_NAME_MAX} characters`);
    else if (!NAME_RE.test(name)) fail(f('name'), 'format', 'may contain letters (汉字), spaces and · only');
    const id = validateIdNumber(typeof m.idNumber === 'string' ? m.idNumber : String(m.idNumber ?? ''), today);
    if (!id.ok) fail(f('idNumber'), id.rule, id.message);
    const relation = String(m.relation ?? '');
    if (!Object.hasOwn(MEMBER_RELATIONS, relation)) fail(f('relation'), 'enum', `must be one of ${Object.keys(MEMBER_RELATIONS).join(', ')} (与户主关系)`);
    const grade = m.disabilityGrade ?? null;
    if (grade !== null && !DISABILITY_GRADES.includes(grade as never)) fail(f('disabilityGrade'), 'enum', 'must be 1–4 (残疾等级一至四级) or empty');
    const labour = String(m.labourCapacity ?? 'full');
    if (!Object.hasOwn(LABOUR_CAPACITIES, labour)) fail(f('labourCapacity'), 'enum', `must be one of ${Object.keys(LABOUR_CAPACITIES).join(', ')} (劳动能力)`);
    for (const k of ['student', 'insured'] as const) {
      if (m[k] !== undefined && typeof m[k] !== 'boolean') fail(f(k), 'type', 'must be true or false');
    }
    if (details.length > before || !id.ok) return;
    value.push({
      name,
      idNumber: id.value,
      relation: relation as MemberRelation,
      student: m.student === true,
      disabilityGrade: grade as number | null,
      labourCapacity: labour as LabourCapacity,
      insured: m.insured !== false,
    });
  });
  if (details.length) return { value, details };
  const heads = value.filter((m) => m.relation === 'head');
  if (value.length && heads.length !== 1) fail('members', 'oneHead', `must name exactly one head (户主), not ${heads.length}`);
  else if (heads.length && heads[0].idNumber !== household.idNumber) {
    fail(`${at(value.indexOf(heads[0]))}.idNumber`, 'head', "the head's ID number must be the household's (户主身份证号须与农户登记一致)");
  }
  const seen = new Map<string, number>();
  value.forEach((m, i) => {
    if (seen.has(m.idNumber)) fail(`${at(i)}.idNumber`, 'unique', `lists the same person as ${at(seen.get(m.idNumber)!)} (同一身份证号重复)`);
    seen.set(m.idNumber, i);
  });
  return { value, details };
}

/** The household's members, head first, then in the order they were registered. */
export async function loadMembers(em: EntityManager, householdId: string): Promise<MemberRow[]> {
  const rows = await em.find(HouseholdMember, { householdId }, { orderBy: { id: 'ASC' } });
  return [...rows.filter((m) => m.relation === 'head'), ...rows.filter((m) => m.relation !== 'head')];
}

/** A member for this caller: the ID number masked exactly when the head's is. */
export function memberView(actor: Actor, h: HouseholdRow, m: MemberRow, involved = false): HouseholdMemberView {
  return {
    id: m.id,
    name: m.name,
    idNumber: personalFields(actor, { town: h.town, village: h.village, idNumber: m.idNumber }, involved).idNumber,
    relation: m.relation as MemberRelation,
    student: m.student,
    disabilityGrade: m.disabilityGrade ?? null,
    labourCapacity: m.labourCapacity as LabourCapacity,
    insured: m.insured,
  };
}

export interface MemberChanges {
  added: number;
  changed: number;
  removed: number;
}

/**
 * Makes the household's members exactly `members` (matched by ID number: a kept person keeps their
 * record), and its 家庭人口 their number. A person registered with another household (as a member or
 * its head) is a 409 naming nobody. Not flushed: the caller flushes with its other writes.
 */
export async function replaceMembers(em: EntityManager, h: HouseholdRow, members: MemberInput[]): Promise<MemberChanges> {
  const ids = members.map((m) => m.idNumber);
  if (ids.length) {
    const [elsewhere, heads] = await Promise.all([
      em.count(HouseholdMember, { idNumber: { $in: ids }, householdId: { $ne: h.id } }),
      em.count(Household, { idNumber: { $in: ids }, id: { $ne: h.id } }),
    ]);
    if (elsewhere || heads) throw conflict('该身份证号已登记在其他农户 (a member is already registered with another household)');
  }
  const existing = await em.find(HouseholdMember, { householdId: h.id });
  const byId = new Map(existing.map((m) => [m.idNumber, m]));
  const changes: MemberChanges = { added: 0, changed: 0, removed: 0 };
  for (const m of members) {
    const row = byId.get(m.idNumber);
    byId.delete(m.idNumber);
    if (!row) {
      em.create(HouseholdMember, { householdId: h.id, ...m });
      changes.added++;
    } else if ((Object.keys(m) as (keyof MemberInput)[]).some((k) => (row[k] ?? null) !== (m[k] ?? null))) {
      em.assign(row, m);
      changes.changed++;
    }
  }
  for (const gone of byId.values()) {
    em.remove(gone);
    changes.removed++;
  }
  if (members.length && h.memberCount !== members.length) h.memberCount = members.length;
  return changes;
}
