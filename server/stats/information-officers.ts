/**
 * 信息员 staffing against the plan (item 16: 区级 2 名, 每镇 2 名, 每村 1 名): how many active information
 * officers each level has, and the shortfall, over the part of the district the caller may see (a
 * village cadre their village, a town officer their town, the district and departments everything).
 */
import type { EntityManager } from '@mikro-orm/core';
import { User, Village } from '../../db';
import type { Actor } from '../../contracts/roles';
import { containsCondition } from '../lists';

/** Information officers the plan asks for at each level (item 16). */
export const INFORMATION_OFFICER_PLAN = { district: 2, town: 2, village: 1 } as const;

interface Staffing {
  required: number;
  staffed: number;
  shortfall: number;
}
const staffing = (required: number, staffed: number): Staffing => ({ required, staffed, shortfall: Math.max(0, required - staffed) });

export async function informationOfficerStaffing(em: EntityManager, actor: Actor) {
  const wide = actor.roles.some((r) => r === 'admin' || r === 'district_supervisor' || r === 'department_officer');
  const villageOnly = !wide && !actor.roles.includes('town_officer');
  const villages = await em.find(Village, wide ? {} : villageOnly ? { town: actor.town ?? '', name: actor.village ?? '' } : { town: actor.town ?? '' }, { orderBy: { town: 'ASC', name: 'ASC' } });
  const officers = await em.find(User, { $and: [{ active: true }, containsCondition('roles', '"information_officer"')] } as never, { fields: ['town', 'village'] as never });
  const at = (town: string | null, village: string | null) => officers.filter((o) => (o.town ?? null) === town && (o.village ?? null) === village).length;
  const towns = [...new Set(villages.map((v) => v.town))].map((town) => ({
    town,
    ...(villageOnly ? { required: 0, staffed: 0, shortfall: 0 } : staffing(INFORMATION_OFFICER_PLAN.town, at(town, null))),
    villages: villages.filter((v) => v.town === town).map((v) => ({ village: v.name, ...staffing(INFORMATION_OFFICER_PLAN.village, at(town, v.name)) })),
  }));
  const district = wide ? staffing(INFORMATION_OFFICER_PLAN.district, at(null, null)) : null;
  const parts = [...(district ? [district] : []), ...towns, ...towns.flatMap((t) => t.villages)];
  return {
    plan: { ...INFORMATION_OFFICER_PLAN },
    district,
    towns,
    total: { required: parts.reduce((s, p) => s + p.required, 0), staffed: parts.reduce((s, p) => s + p.staffed, 0), shortfall: parts.reduce((s, p) => s + p.shortfall, 0) },
  };
}
