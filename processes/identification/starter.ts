/** How the API opens a P1 identification: resolve the household, check scope, snapshot the policy. */
import type { EntityManager } from '@mikro-orm/sqlite';
import { Household } from '../../db';
import type { Actor } from '../../contracts/roles';
import { coversPlace } from '../../contracts/roles';
import { speaksFor } from '../../contracts/authz';
import type { IdentificationInput, IdentificationRequest } from './contract';
import type { Policy } from '../../policy';
import { forbidden, invalidField, notFound, notOwnDepartment } from '../../server/commands/refusal';
import type { Starter } from '../../server/processes/start';

export const identificationStarter: Starter<IdentificationRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: IdentificationRequest, policy: Policy) {
    const household = await em.findOne(Household, { id: request.householdId });
    if (!household) throw notFound(`农户 ${request.householdId} 不存在 (no such household)`);
    const place = { town: household.town, village: household.village };
    const departmentAlert = actor.roles.includes('department_officer') || actor.kind === 'integration';
    if (!coversPlace(actor, place) && !departmentAlert) {
      throw forbidden(`无权为辖区外农户发起认定 (the household is outside your area)`);
    }
    if (request.channel === 'department_alert' && !request.alert) {
      throw invalidField('input.alert', 'required', '部门筛查预警须填写预警部门 (a department alert names the department)');
    }
    // The alerting department is involved with the household from now on (server/privacy.ts): the caller's own only.
    if (request.alert && !speaksFor(actor, request.alert.department)) throw notOwnDepartment('input.alert.department');
    if (household.monitoringStatus === 'monitored') {
      throw invalidField('input.householdId', 'state', '该户已是监测户 (the household is already under monitoring)');
    }
    return {
      subject: household.id,
      place,
      householdId: household.id,
      workflowArgs: (processId: string): [IdentificationInput] => [
        {
          processId,
          request,
          household: { id: household.id, headName: household.headName, town: household.town, village: household.village },
          startedBy: { id: actor.id, name: actor.name },
          policy: policy.identification,
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};
