/**
 * A household as the API shows it to one caller: personal data masked for whoever may not see it
 * (server/privacy.ts), instants in Shanghai time, and in the detail its cases and housing history.
 */
import type { EntityManager, InferEntity } from '@mikro-orm/core';
import { Household, Process } from '../../db';
import type { Actor } from '../../contracts/roles';
import { maySeeCase } from '../../contracts/authz';
import { toShanghaiIso } from '../../calendar/dates';
import { personalFields } from '../privacy';
import { housingHistory } from '../housing-history';
import { contactCadreView } from './contact-cadre';

export type HouseholdRow = InferEntity<typeof Household>;

/** `involved`: a case of the household concerns the caller's department (server/privacy.ts). */
export function householdView(actor: Actor, h: HouseholdRow, involved = false) {
  const p = personalFields(actor, h, involved);
  return {
    id: h.id,
    headName: h.headName,
    idNumber: p.idNumber,
    idNumberMasked: p.idNumberMasked,
    phone: p.phone,
    town: h.town,
    village: h.village,
    memberCount: h.memberCount,
    status: h.status,
    lowIncomeGroups: [...(h.lowIncomeGroups ?? [])],
    monitoringStatus: h.monitoringStatus,
    monitoringCategory: h.monitoringCategory ?? null,
    riskTypes: p.riskTypes ?? [],
    monitoredSince: h.monitoredSince ?? null,
    eliminatedOn: h.eliminatedOn ?? null,
    returnedOn: h.returnedOn ?? null,
    monitoringProcessId: h.monitoringProcessId ?? null,
    contactCadre: contactCadreView(h),
    createdAt: toShanghaiIso(h.createdAt),
    updatedAt: toShanghaiIso(h.updatedAt),
  };
}

/** One household with the cases the caller may see and its housing history. */
export async function householdDetail(em: EntityManager, actor: Actor, h: HouseholdRow) {
  const cases = await em.find(Process, { householdId: h.id }, { orderBy: { startedAt: 'DESC' } });
  const dept = actor.roles.includes('department_officer') ? actor.department : undefined;
  return {
    ...householdView(actor, h, !!dept && cases.some((c) => (c.departments ?? []).includes(dept))),
    // The same rule as the process API: a department officer sees the cases their department works on.
    cases: cases.filter((c) => maySeeCase(actor, c, c.departments ?? [])).map((c) => ({
      id: c.id,
      type: c.type,
      status: c.status,
      stage: c.stage,
      startedAt: toShanghaiIso(c.startedAt),
      closedAt: c.closedAt ? toShanghaiIso(c.closedAt) : null,
      dueDate: c.dueDate ?? null,
    })),
    // 住房档案 (P4): appraisals and renovations; it decides re-eligibility for rebuilding.
    housingHistory: await housingHistory(em, h),
  };
}
