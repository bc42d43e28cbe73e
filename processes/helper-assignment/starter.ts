/** How the API opens a P2 follow-up case: for a household under monitoring, with the policy snapshot. */
import type { EntityManager } from '@mikro-orm/sqlite';
import type { Actor } from '../../contracts/roles';
import { HELPER_ASSIGNMENT, type HelperAssignmentInput, type HelperAssignmentRequest } from './contract';
import type { MonitoringCategory, RiskType } from '../../contracts/vocabulary';
import type { Policy } from '../../policy';
import { invalidField } from '../../server/commands/refusal';
import { visibleHousehold } from '../../server/commands/visible-household';
import type { Starter } from '../../server/processes/start';
import type { Services } from '../../server/services';
import { fromTemporal } from '../../server/processes/temporal-errors';

export const helperAssignmentStarter: Starter<HelperAssignmentRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: HelperAssignmentRequest, policy: Policy) {
    const household = await visibleHousehold(em, actor, request.householdId);
    if (household.monitoringStatus !== 'monitored') {
      throw invalidField('input.householdId', 'state', '该户不是监测户，帮扶须在认定为监测户后开始 (the household is not under monitoring)');
    }
    const includedOn = request.includedOn ?? household.monitoredSince;
    if (!includedOn) throw invalidField('input.includedOn', 'required', '请填写纳入监测日期 (the inclusion date is unknown)');
    return {
      subject: household.id,
      place: { town: household.town, village: household.village },
      householdId: household.id,
      // 返贫: an identification included the household again while its last case waits out the revert
      // window after risk elimination; that case closes as superseded and this one starts fresh.
      supersede: request.identificationId ? (services: Services, openId: string) => supersedeEliminated(services, openId, request.identificationId, includedOn) : undefined,
      workflowArgs: (processId: string): [HelperAssignmentInput] => [
        {
          processId,
          household: { id: household.id, headName: household.headName, town: household.town, village: household.village },
          includedOn,
          category: (household.monitoringCategory ?? undefined) as MonitoringCategory | undefined,
          riskTypes: household.riskTypes as RiskType[],
          identificationId: request.identificationId,
          startedBy: { id: actor.id, name: actor.name },
          policy: policy.helperAssignment,
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};

/**
 * Ask the household's open case to close as superseded and wait until it has. A case that is not in
 * its revert window refuses (it still follows the household: the caller then finds it open).
 */
async function supersedeEliminated(services: Services, openId: string, identificationId: string | undefined, includedOn: string): Promise<void> {
  const handle = services.temporal.client.workflow.getHandle(openId);
  try {
    await handle.executeUpdate(HELPER_ASSIGNMENT.supersede, { args: [{ identificationId, includedOn, at: new Date().toISOString() }] });
  } catch (err) {
    const refusal = fromTemporal(err);
    if ((refusal as { kind?: string }).kind === 'conflict') return;
    throw refusal;
  }
  // The update answers once the case has closed; the run itself ends a moment later.
  for (let i = 0; i < 200; i++) {
    if ((await handle.describe()).status.name !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
