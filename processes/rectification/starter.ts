/**
 * How a district supervisor opens a rectification for a finding of an assessment, inspection, audit or
 * inspection tour (plan item 49): the household, the source and its reference, the finding and the
 * responsible department. One open case per household and finding (the reference).
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import type { Actor } from '../../contracts/roles';
import type { DirectRectificationRequest, RectificationInput } from './contract';
import { RectificationStartSchema } from './schemas';
import type { Policy } from '../../policy';
import { forbidden } from '../../server/commands/refusal';
import { visibleHousehold } from '../../server/commands/visible-household';
import type { Starter } from '../../server/processes/start';
import { validateAgainst } from '../../server/processes/validate';
import { shanghaiDate, yearOf } from '../../calendar/dates';

export const rectificationStarter: Starter<DirectRectificationRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: DirectRectificationRequest, policy: Policy) {
    if (actor.kind !== 'user') throw forbidden('问题整改由区专班发起 (the district opens a rectification)');
    validateAgainst(RectificationStartSchema, request, 'input');
    const household = await visibleHousehold(em, actor, request.householdId);
    const reference = request.reference.trim();
    return {
      subject: `${household.id}:${request.source}:${reference}`,
      place: { town: household.town, village: household.village },
      householdId: household.id,
      workflowArgs: (processId: string): [RectificationInput] => [
        {
          processId,
          year: yearOf(shanghaiDate(new Date())),
          household: { id: household.id, headName: household.headName, town: household.town, village: household.village },
          note: request.finding,
          foundBy: { id: actor.id, name: actor.name },
          finding: { source: request.source, reference, department: request.department, category: request.category ?? 'other' },
          policy: policy.campaign,
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};
