/**
 * 约谈 and 问责 records, one list from two sources: those district supervisors write (PERMISSIONS
 * `supervision.record`, each write audited; the cases a record names must exist in the read model), and
 * the 问责 of rectifications whose re-check judged a fix false or perfunctory (written by the read model:
 * processes/rectification/accountability.ts). Read (`supervision.records`) by the district's supervision,
 * and by a town's officers for their town's cases and a department's for those naming their department.
 */
import { randomUUID } from 'node:crypto';
import type { InferEntity } from '@mikro-orm/core';
import Type, { type Static } from 'typebox';
import { t } from '../../contracts/i18n';
import { DEPARTMENTS, type Actor } from '../../contracts/roles';
import { AccountabilityRecord, Process, type EntityManager } from '../../db';
import { invalidField } from '../commands/refusal';
import { containsCondition, ids, str, type ListSpec, type Where } from '../lists';
import { ACCOUNTABILITY_SOURCE } from '../../processes/rectification/accountability';

export const RECORD_KINDS = { talk: t('约谈', 'Talk (约谈)'), accountability: t('问责', 'Accountability (问责)') } as const;
export type RecordKind = keyof typeof RECORD_KINDS;

/** Where a record came from, as people read it. */
export const RECORD_SOURCES = {
  supervisor: t('督办记录', 'Recorded by the supervision'),
  [ACCOUNTABILITY_SOURCE]: t('问题整改复核（虚假整改、敷衍整改）', 'Rectification re-check (false or perfunctory fix)'),
} as const;

export const RecordBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('talk'), Type.Literal('accountability')], { description: 'talk (约谈) or accountability (问责)' }),
    target: Type.String({ minLength: 1, maxLength: 200, description: 'who: the person or unit (e.g. 统景镇人民政府)' }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'why' }),
    decidedOn: Type.String({ format: 'date', description: 'when (YYYY-MM-DD), not after today' }),
    measure: Type.String({ minLength: 1, maxLength: 1000, description: 'the measure (e.g. 约谈提醒, 通报批评, 诫勉谈话)' }),
    processIds: Type.Array(Type.String({ minLength: 1, maxLength: 160 }), { maxItems: 50, uniqueItems: true, description: 'the cases it concerns' }),
  },
  { additionalProperties: false },
);
export type RecordInput = Static<typeof RecordBody>;

export const RecordRow = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  target: Type.String(),
  reason: Type.String(),
  decidedOn: Type.String(),
  measure: Type.String(),
  processIds: Type.Array(Type.String()),
  recordedBy: Type.String(),
  recordedByName: Type.String(),
  createdAt: Type.String(),
  source: Type.String({ description: 'supervisor (recorded by the supervision) | rectification (a re-check that judged a fix false or perfunctory)' }),
  sourceTitle: Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'where it came from, as people read it' }),
  towns: Type.Array(Type.String(), { description: 'the towns it concerns' }),
  departments: Type.Array(Type.String(), { description: 'the departments it concerns' }),
});

export const recordSpec: ListSpec = {
  resource: 'accountability',
  filters: {
    q: (v) => ({ $or: [containsCondition('target', str('q')(v)), containsCondition('reason', str('q')(v))] }),
    kind: (v) => ({ kind: str('kind')(v) }),
    source: (v) => ({ source: str('source')(v) }),
    id: (v) => ({ id: { $in: ids('id')(v) } }),
  },
  sorts: { decidedOn: 'decidedOn', createdAt: 'createdAt', target: 'target' },
  defaultSort: ['decidedOn', 'DESC'],
};

export const recordRow = (r: InferEntity<typeof AccountabilityRecord>) => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  reason: r.reason,
  decidedOn: r.decidedOn,
  measure: r.measure,
  processIds: [...r.processIds],
  recordedBy: r.recordedBy,
  recordedByName: r.recordedByName,
  createdAt: r.createdAt.toISOString(),
  source: r.source,
  sourceTitle: RECORD_SOURCES[r.source as keyof typeof RECORD_SOURCES] ?? RECORD_SOURCES.supervisor,
  towns: [...r.towns],
  departments: [...r.departments],
});

/**
 * The records a caller reads: every one for the district's supervision; a town officer's those
 * concerning its town, a department officer's those concerning its department.
 */
export function recordScope(actor: Actor): Where {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return {};
  const or: Where[] = [];
  if (actor.roles.includes('town_officer') && actor.town) or.push(containsCondition('towns', `"${actor.town}"`));
  if (actor.roles.includes('department_officer') && actor.department) or.push(containsCondition('departments', `"${actor.department}"`));
  return or.length ? { $or: or } : { id: { $in: [] } };
}

export async function createRecord(em: EntityManager, actor: Actor, input: RecordInput, today: string) {
  if (input.decidedOn > today) throw invalidField('decidedOn', 'range', `不能晚于今天 ${today} (not after today)`);
  for (const field of ['target', 'reason', 'measure'] as const) if (!input[field].trim()) throw invalidField(field, 'minLength', '不能为空 (required)');
  const cases = await em.find(Process, { id: { $in: input.processIds } });
  const known = new Set(cases.map((p) => p.id));
  input.processIds.forEach((id, i) => {
    if (!known.has(id)) throw invalidField(`processIds.${i}`, 'unknown', `没有此案件 ${id} (no such case)`);
  });
  const record = em.create(AccountabilityRecord, {
    id: `AR${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    kind: input.kind,
    target: input.target.trim(),
    reason: input.reason.trim(),
    decidedOn: input.decidedOn,
    measure: input.measure.trim(),
    processIds: input.processIds,
    recordedBy: actor.id,
    recordedByName: actor.name,
    createdAt: new Date(),
    source: 'supervisor',
    // Read by the officers of its cases' towns, and of a department it names as the one held to account.
    towns: [...new Set(cases.map((p) => p.town))].sort(),
    departments: DEPARTMENTS.filter((d) => input.target.includes(d)),
  });
  await em.flush();
  return recordRow(record);
}
