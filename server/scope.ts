/**
 * Row-level scope: what part of the district a caller sees, as query conditions for lists and as a
 * check for single records. The rule itself is contracts/authz.ts; this translates it to queries.
 */
import type { Actor } from '../contracts/roles';
import { maySeeCase } from '../contracts/authz';
import { forbidden } from './errors';
import { containsCondition, type Where } from './lists';

/** Conditions on a process row (town, village, departments). */
export function processScope(actor: Actor): Where {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return {};
  const or: Where[] = [];
  if (actor.roles.includes('town_officer') && actor.town) or.push({ town: actor.town });
  if (actor.roles.includes('village_cadre') && actor.town && actor.village) or.push({ town: actor.town, village: actor.village });
  if (actor.roles.includes('department_officer') && actor.department) or.push(containsCondition('departments', `"${actor.department}"`));
  return or.length ? { $or: or } : { id: { $in: [] } };
}

/** Conditions on a step row. */
export function stepScope(actor: Actor): Where {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return {};
  const or: Where[] = [];
  if (actor.roles.includes('town_officer') && actor.town) or.push({ town: actor.town });
  if (actor.roles.includes('village_cadre') && actor.town && actor.village) or.push({ town: actor.town, village: actor.village });
  if (actor.roles.includes('department_officer') && actor.department) or.push({ department: actor.department });
  return or.length ? { $or: or } : { id: { $in: [] } };
}

/** Steps this actor may complete (the inbox). Mirrors contracts/authz.ts mayCompleteStep. */
export function stepsICanComplete(actor: Actor): Where {
  if (actor.roles.includes('admin')) return {};
  const byRole: Where[] = [];
  if (actor.roles.includes('village_cadre') && actor.town && actor.village) byRole.push({ role: 'village_cadre', town: actor.town, village: actor.village });
  if (actor.roles.includes('town_officer') && actor.town) byRole.push({ role: 'town_officer', town: actor.town });
  if (actor.roles.includes('department_officer') && actor.department) byRole.push({ role: 'department_officer', department: actor.department });
  if (actor.roles.includes('district_supervisor')) byRole.push({ role: 'district_supervisor' });
  // A step for one named person (scope `assignee`) is theirs alone.
  const or: Where[] = [{ scope: 'assignee', assignee: actor.id }, { $and: [{ scope: 'assignee' }, containsCondition('team', `,${actor.id},`)] }];
  if (byRole.length) or.push({ scope: { $ne: 'assignee' }, $or: byRole });
  return { $or: or };
}

export function assertMaySee(actor: Actor, row: { town: string; village: string; departments?: string[] }): void {
  if (!maySeeCase(actor, row, row.departments ?? [])) {
    throw forbidden(`无权查看该流程（仅限本辖区）(not allowed: the case is outside your area)`);
  }
}
