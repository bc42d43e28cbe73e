/**
 * Row-level scope: what part of the district a caller sees, as query conditions for lists and as a
 * check for single records. The rule itself is contracts/roles.ts (`coversPlace`) and
 * contracts/authz.ts; this translates it to queries, in one place for cases, steps and households.
 */
import { coversPlace, reportsFor, type Actor, type Place } from '../contracts/roles';
import { containsCondition, type Where } from './lists';

const isDistrictWide = (actor: Pick<Actor, 'roles'>) => actor.roles.includes('admin') || actor.roles.includes('district_supervisor');

/**
 * The places an actor's area covers, as conditions on a row's `town` and `village`: their town
 * (town officer), their village (village cadre); 'district' for the supervisor and admins. The same
 * rule as `coversPlace`.
 */
function areaParts(actor: Actor): Where[] | 'district' {
  if (isDistrictWide(actor)) return 'district';
  const parts: Where[] = [];
  if (actor.roles.includes('town_officer') && actor.town) parts.push({ town: actor.town });
  if (actor.roles.includes('village_cadre') && actor.town && actor.village) parts.push({ town: actor.town, village: actor.village });
  return parts;
}

/** Area parts plus the actor's department's rows (`department`: its condition), or nothing at all. */
function areaOrDepartment(actor: Actor, department: (d: string) => Where): Where {
  const area = areaParts(actor);
  if (area === 'district') return {};
  const or = [...area];
  if (actor.roles.includes('department_officer') && actor.department) or.push(department(actor.department));
  return or.length ? { $or: or } : { id: { $in: [] } };
}

/** Conditions on a process row (town, village, departments). */
export const processScope = (actor: Actor): Where => areaOrDepartment(actor, (d) => containsCondition('departments', `"${d}"`));

/**
 * Steps named for this actor (scope `assignee`): a household's helper, a member of a visit team. They
 * are theirs wherever the household lives, even outside the actor's own area.
 */
export const assignedTo = (actor: Actor): Where => ({
  scope: 'assignee',
  $or: [{ assignee: actor.id }, containsCondition('team', `,${actor.id},`)],
});

/** Conditions on a step row: the actor's area or department, and the steps assigned to them anywhere. */
export function stepScope(actor: Actor): Where {
  const own = areaOrDepartment(actor, (department) => ({ department }));
  return isDistrictWide(actor) ? own : { $or: [own, assignedTo(actor)] };
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
  const or: Where[] = [assignedTo(actor)];
  if (byRole.length) or.push({ scope: { $ne: 'assignee' }, $or: byRole });
  return { $or: or };
}

/** Which users an actor may list (pickers): their town's, their department's, or all. Null: none. */
export function userScope(actor: Actor): Where | null {
  if (isDistrictWide(actor)) return {};
  const parts: Where[] = [];
  if ((actor.roles.includes('town_officer') || actor.roles.includes('village_cadre')) && actor.town) parts.push({ town: actor.town });
  if (actor.roles.includes('department_officer') && actor.department) parts.push({ department: actor.department });
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { $or: parts };
}

// ---------------------------------------------------------------- the household register

/** Households in the actor's area, as a condition (null: none). Whose ID numbers they see and which they edit. */
export function householdAreaScope(actor: Actor): Where | null {
  const area = areaParts(actor);
  if (area === 'district') return {};
  if (!area.length) return null;
  return area.length === 1 ? area[0] : { $or: area };
}

/** Households an actor may read: their area, or the whole register for department officers. Null: none (403). */
export function householdScope(actor: Actor): Where | null {
  if (actor.roles.includes('department_officer')) return {};
  const area = householdAreaScope(actor);
  const reports = reportingArea(actor);
  if (!reports) return area;
  return area ? { $or: [area, reports] } : reports;
}

/** The households an information officer reports for (contracts/roles.ts reportsFor), as a condition. */
function reportingArea(actor: Actor): Where | null {
  if (!actor.roles.includes('information_officer')) return null;
  if (!actor.town) return {};
  return actor.village ? { town: actor.town, village: actor.village } : { town: actor.town };
}

/** `householdScope` for one household. */
export const maySeeHousehold = (actor: Actor, place: Place) => coversPlace(actor, place) || actor.roles.includes('department_officer') || reportsFor(actor, place);

/** May the actor edit the register anywhere (a user with an area)? Integrations never do. */
export const mayEditRegister = (actor: Actor) => actor.kind === 'user' && householdAreaScope(actor) !== null;

/** May the actor edit a household at this place (`householdAreaScope` for one household)? */
export const mayEditHousehold = (actor: Actor, place: Place) => actor.kind === 'user' && coversPlace(actor, place);
