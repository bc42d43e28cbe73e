/**
 * A case as commands and pages read it: its read-model row, or, for a case started a moment ago and
 * not projected yet, the workflow's own state. A user sees the cases of their area (contracts/authz.ts
 * maySeeCase) and, beyond it, a case with a step named for them (a helper, a visit team member: open
 * or done, the case they work on); 403 otherwise. An API key sees none as such, its scopes say what
 * it may do to a case, and each command checks them.
 */
import type { InferEntity } from '@mikro-orm/core';
import { Process, Step } from '../../db';
import { stateQuery } from '../../contracts/messages';
import { mayCompleteStep, maySeeCase } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import type { Services } from '../services';
import { batchedLookup } from '../group-commit';
import { assignedTo } from '../scope';
import { fromTemporal, isUnavailable } from '../processes/temporal-errors';
import { unknown } from './refusal';

export interface VisibleCase {
  id: string;
  type: string;
  status: string;
  stage: string;
  town: string;
  village: string;
  departments: string[];
  /** The read model's row, when the case is projected. */
  row?: InferEntity<typeof Process>;
  /** The workflow's state, when the case was read from it (not projected yet). */
  state?: CaseState;
}

/** A case's read-model row, read together with those of concurrent requests (server/group-commit.ts). */
const findProcess = batchedLookup(
  (db, ids) => db.em().find(Process, { id: { $in: ids } }),
  (p) => p.id,
);

export async function visibleCase(services: Services, actor: Actor, id: string): Promise<VisibleCase> {
  const found = await readCase(services, id);
  if (!(await maySee(services, actor, found))) throw unknown.case(id, true);
  return found;
}

async function maySee(services: Services, actor: Actor, found: VisibleCase): Promise<boolean> {
  if (actor.kind === 'integration') return (actor.scopes ?? []).some((s) => s === `start:${found.type}` || s.startsWith(`signal:${found.type}.`));
  return maySeeCase(actor, found, found.departments) || (await isAssignedIn(services, actor, found));
}

/** Has the case a step named for this actor (scope `assignee`)? From the read model, or the state not projected yet. */
async function isAssignedIn(services: Services, actor: Actor, found: VisibleCase): Promise<boolean> {
  if (found.state) return found.state.steps.some((s) => s.scope === 'assignee' && mayCompleteStep(actor, s, found));
  return (await services.db.em().count(Step, { $and: [{ processId: found.id }, assignedTo(actor)] })) > 0;
}

async function readCase(services: Services, id: string): Promise<VisibleCase> {
  const row = await findProcess(services.db, id);
  if (row) return { id, type: row.type, status: row.status, stage: row.stage, town: row.town, village: row.village, departments: row.departments ?? [], row };
  let state: CaseState;
  try {
    state = await services.temporal.client.workflow.getHandle(id).query(stateQuery);
  } catch (err) {
    // A case the read model does not know and whose state cannot be read (no such workflow, or one
    // this deployment runs no worker for) is unknown here; only Temporal out of reach is passed on.
    if (isUnavailable(err)) throw fromTemporal(err);
    throw unknown.case(id);
  }
  return { id, type: state.type, status: state.status, stage: state.stage, town: state.town, village: state.village, departments: state.departments ?? [], state };
}

/** The case's live state: the one read with it, or the workflow's answer now. */
export async function liveState(services: Services, found: VisibleCase): Promise<CaseState> {
  if (found.state) return found.state;
  try {
    return await services.temporal.client.workflow.getHandle(found.id).query(stateQuery);
  } catch (err) {
    throw fromTemporal(err);
  }
}

/** The departments of the case's steps (who works on it: they see its health details). */
export async function stepDepartments(services: Services, found: VisibleCase): Promise<{ department?: string | null }[]> {
  return found.state ? found.state.steps : services.db.em().find(Step, { processId: found.id }, { fields: ['department'] });
}
