/**
 * How the API opens a P4 dilapidated-house case: resolve the household, check who may report it (a case
 * handler of its area, or the housing system with an API key scoped `start:houseRebuild`), and snapshot
 * what the eligibility rule needs: the register's facts, the housing history and the policy section.
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { coversPlace, type Actor } from '../../contracts/roles';
import { integrationAllows } from '../../contracts/authz';
import { HOUSE_REBUILD, type HouseRebuildInput, type HouseRebuildRequest } from './contract';
import { HouseRebuildStartSchema } from './schemas';
import type { Policy } from '../../policy';
import { housingHistory } from '../../server/housing-history';
import { forbidden, invalidField } from '../../server/commands/refusal';
import { visibleHousehold } from '../../server/commands/visible-household';
import type { Starter } from '../../server/processes/start';
import { validateAgainst } from '../../server/processes/validate';
import { shanghaiDate, yearOf } from '../../calendar/dates';

export const houseRebuildStarter: Starter<HouseRebuildRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: HouseRebuildRequest, policy: Policy) {
    const fromHousingSystem = integrationAllows(actor, `start:${HOUSE_REBUILD.type}`);
    if (actor.kind === 'integration' && !fromHousingSystem) {
      throw forbidden(`该接口密钥无权发起农村危房改造 (the API key lacks start:${HOUSE_REBUILD.type})`);
    }
    // The HTTP route validated it already; other callers (follow-ups from P2/P5, integrations) too.
    validateAgainst(HouseRebuildStartSchema, request, 'input');
    const household = await visibleHousehold(em, actor, request.householdId);
    const place = { town: household.town, village: household.village };
    if (!fromHousingSystem && !coversPlace(actor, place)) {
      throw forbidden(`无权为辖区外农户发起危房改造 (the household is outside your area)`);
    }
    if (request.earlierRenovation && request.earlierRenovation.year > yearOf(shanghaiDate(new Date()))) {
      throw invalidField('input.earlierRenovation.year', 'maximum', '改造年份不能晚于今年 (the year cannot be in the future)');
    }
    const history = await housingHistory(em, household);
    const channel = request.channel ?? (fromHousingSystem ? 'housing_system' : undefined);
    return {
      subject: household.id,
      place,
      householdId: household.id,
      workflowArgs: (processId: string): [HouseRebuildInput] => [
        {
          processId,
          request: { ...request, ...(channel ? { channel } : {}) },
          household: {
            id: household.id,
            headName: household.headName,
            town: household.town,
            village: household.village,
            status: household.status,
            monitoringStatus: household.monitoringStatus,
            lowIncomeGroups: [...(household.lowIncomeGroups ?? [])],
            housingStatus: household.housingStatus,
          },
          history: {
            renovations: history.renovations.map((r) => ({
              year: r.year ?? Number(r.completedOn.slice(0, 4)),
              ...(r.processId ? { processId: r.processId } : {}),
              ...(r.grade ? { grade: r.grade } : {}),
              completedOn: r.completedOn,
            })),
          },
          startedBy: { id: actor.id, name: actor.name },
          policy: policy.houseRebuild,
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};
