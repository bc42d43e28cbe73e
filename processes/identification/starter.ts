/** How the API opens a P1 identification: resolve the household (visible to the caller), snapshot the policy. */
import type { EntityManager } from '@mikro-orm/sqlite';
import { reportsFor, type Actor } from '../../contracts/roles';
import { speaksFor } from '../../contracts/authz';
import type { IdentificationInput, IdentificationRequest } from './contract';
import type { Policy } from '../../policy';
import { invalidField, notOwnDepartment } from '../../server/commands/refusal';
import { visibleHousehold } from '../../server/commands/visible-household';
import type { Starter } from '../../server/processes/start';

export const identificationStarter: Starter<IdentificationRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: IdentificationRequest, policy: Policy) {
    const household = await visibleHousehold(em, actor, request.householdId);
    // Department officers and keys (department alerts) start for any household, the others in their area.
    const place = { town: household.town, village: household.village };
    if (request.channel === 'department_alert' && !request.alert) {
      throw invalidField('input.alert', 'required', '部门筛查预警须填写预警部门 (a department alert names the department)');
    }
    // The alerting department is involved with the household from now on (server/privacy.ts): the caller's own only.
    if (request.alert && !speaksFor(actor, request.alert.department)) throw notOwnDepartment('input.alert.department');
    // 信息员 report through their own channel, for the households they report for (server/scope.ts lets them see those).
    const cadre = actor.kind === 'user' && actor.roles.some((r) => r !== 'information_officer');
    if (actor.kind === 'user' && !cadre && request.channel !== 'information_officer') {
      throw invalidField('input.channel', 'informationOfficer', '信息员报告的发现渠道为“信息员报告” (an information officer reports through the information_officer channel)');
    }
    if (request.channel === 'information_officer' && actor.kind === 'user' && !reportsFor(actor, place) && !actor.roles.includes('admin')) {
      throw invalidField('input.channel', 'informationOfficer', '“信息员报告”须由本区域的信息员发起 (the information_officer channel is for information officers of the household\'s area)');
    }
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
