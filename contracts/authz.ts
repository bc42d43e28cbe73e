/**
 * Who may act on what: the one authorization table the workflows (as a second line of defence),
 * the API and the UI all use.
 */
import { coversPlace, type Actor, type Place, type Role } from './roles';
import type { StepInstance } from './steps';

/** May this actor complete this step of a case at this place? */
export function mayCompleteStep(actor: Actor, step: Pick<StepInstance, 'role' | 'scope' | 'department'>, place: Place): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.roles.includes('admin')) return true;
  if (!actor.roles.includes(step.role)) return false;
  switch (step.scope) {
    case 'village':
      return actor.town === place.town && actor.village === place.village;
    case 'town':
      return actor.town === place.town;
    case 'department':
      return actor.department === step.department;
    case 'district':
      return true;
  }
}

/** May this actor see a case at this place? Department officers see cases their department has steps in. */
export function maySeeCase(actor: Actor, place: Place, departments: string[] = []): boolean {
  if (coversPlace(actor, place)) return true;
  return actor.roles.includes('department_officer') && !!actor.department && departments.includes(actor.department);
}

/** Actions on cases beyond steps, by role. */
export const CASE_ACTIONS: Record<'start' | 'cancel' | 'signal', Role[]> = {
  start: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'],
  cancel: ['district_supervisor', 'admin'],
  signal: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
};

export function mayDo(actor: Pick<Actor, 'roles'>, action: keyof typeof CASE_ACTIONS): boolean {
  return actor.roles.some((r) => CASE_ACTIONS[action].includes(r));
}

/**
 * Integration scopes: an API key may do exactly what it lists. `start:<type>` starts a process,
 * `signal:<type>.<signal>` sends one signal, other words name integration endpoints (`alert`, …).
 */
export function integrationAllows(actor: Pick<Actor, 'kind' | 'scopes'>, scope: string): boolean {
  return actor.kind === 'integration' && !!actor.scopes?.includes(scope);
}
