/**
 * 信息员 staffing against the policy's targets (`staffing.informationOfficers`, plan item 16: 2 district,
 * 2 per town, 1 per village by default): how many active information officers each level has, and the
 * shortfall, over the part of the district the caller may see (a village cadre their village, a town
 * officer their town, the district and departments everything).
 */
import type { EntityManager } from '@mikro-orm/core';
import { User, Village } from '../../db';
import type { Actor } from '../../contracts/roles';
import type { StaffingPolicy } from '../../policy/staffing';
import { containsCondition } from '../lists';

interface Staffing {
  required: number;
  staffed: number;
  shortfall: number;
}
const staffing = (required: number, staffed: number): Staffing => ({ required, staffed, shortfall: Math.max(0, required - staffed) });

/** `targets`: the policy in force's `staffing.informationOfficers`. */
export async function informationOfficerStaffing(em: EntityManager, actor: Actor, targets: StaffingPolicy['informationOfficers']) {
  const wide = actor.roles.some((r) => r === 'admin' || r === 'district_supervisor' || r === 'department_officer');
  const villageOnly = !wide && !actor.roles.includes('town_officer');
  const villages = await em.find(Village, wide ? {} : villageOnly ? { town: actor.town ?? '', name: actor.village ?? '' } : { town: actor.town ?? '' }, { orderBy: { town: 'ASC', name: 'ASC' } });
  const officers = await em.find(User, { $and: [{ active: true }, containsCondition('roles', '"information_officer"')] } as never, { fields: ['town', 'village'] as never });
  const at = (town: string | null, village: string | null) => officers.filter((o) => (o.town ?? null) === town && (o.village ?? null) === village).length;
  const towns = [...new Set(villages.map((v) => v.town))].map((town) => ({
    town,
    ...(villageOnly ? { required: 0, staffed: 0, shortfall: 0 } : staffing(targets.town, at(town, null))),
    villages: villages.filter((v) => v.town === town).map((v) => ({ village: v.name, ...staffing(targets.village, at(town, v.name)) })),
  }));
  const district = wide ? staffing(targets.district, at(null, null)) : null;
  const parts = [...(district ? [district] : []), ...towns, ...towns.flatMap((t) => t.villages)];
  return {
    plan: { ...targets },
    district,
    towns,
    total: { required: parts.reduce((s, p) => s + p.required, 0), staffed: parts.reduce((s, p) => s + p.staffed, 0), shortfall: parts.reduce((s, p) => s + p.shortfall, 0) },
  };
}
