/** How the API opens a P2 follow-up case: for a household under monitoring, with the policy snapshot. */
import type { EntityManager } from '@mikro-orm/sqlite';
import type { Actor } from '../../contracts/roles';
import type { HelperAssignmentInput, HelperAssignmentRequest } from './contract';
import type { MonitoringCategory, RiskType } from '../../contracts/vocabulary';
import type { Policy } from '../../policy';
import { invalidField } from '../../server/commands/refusal';
import { visibleHousehold } from '../../server/commands/visible-household';
import type { Starter } from '../../server/processes/start';

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
