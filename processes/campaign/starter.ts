/**
 * How the API starts the year's campaign (P5): a district supervisor names the year, the towns and the
 * two phases' end dates. One campaign per year: the fixed id `campaign:<year>` (a second start, even
 * after the first closed, is 409).
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { Village } from '../../db';
import type { Actor } from '../../contracts/roles';
import { CAMPAIGN, campaignId, type CampaignInput, type CampaignRequest } from './contract';
import { CampaignStartSchema } from './schemas';
import type { Policy } from '../../policy';
import { forbidden, invalidField } from '../../server/commands/refusal';
import type { Starter } from '../../server/processes/start';
import { validateAgainst } from '../../server/processes/validate';
import { shanghaiDate } from '../../calendar/dates';
import { MAX_YEAR, MIN_YEAR } from '../../calendar';

export const campaignStarter: Starter<CampaignRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: CampaignRequest, policy: Policy) {
    if (actor.kind !== 'user') throw forbidden('年度大走访由区专班启动 (the district starts the campaign)');
    validateAgainst(CampaignStartSchema, request, 'input');
    // Every deadline of the campaign comes from the working calendar: a year it does not reach would
    // leave the case retrying its deadlines for ever.
    if (request.year < MIN_YEAR || request.year > MAX_YEAR) {
      throw invalidField('input.year', 'calendar', `工作日历只覆盖 ${MIN_YEAR}–${MAX_YEAR} 年，无法为 ${request.year} 年计算期限 (the working calendar does not reach ${request.year})`);
    }
    if (Number(request.rectifyEndsOn.slice(0, 4)) > MAX_YEAR) {
      throw invalidField('input.rectifyEndsOn', 'calendar', `工作日历只覆盖到 ${MAX_YEAR} 年 (the working calendar does not reach this date)`);
    }
    const known = new Set((await em.find(Village, { town: { $in: request.towns } }, { fields: ['town'] })).map((v) => v.town));
    const unknown = request.towns.filter((t) => !known.has(t));
    if (unknown.length) throw invalidField('input.towns', 'town', `未知的镇：${unknown.join('、')} (unknown towns)`);
    if (request.visitEndsOn < shanghaiDate(new Date())) throw invalidField('input.visitEndsOn', 'future', '走访截止日期不能早于今天 (the visit phase cannot end in the past)');
    if (request.rectifyEndsOn < request.visitEndsOn) throw invalidField('input.rectifyEndsOn', 'order', '整改截止日期不能早于走访截止日期 (rectification ends after the visits)');
    if (!request.visitEndsOn.startsWith(String(request.year))) throw invalidField('input.visitEndsOn', 'year', `走访须在 ${request.year} 年内完成 (the visits lie in the campaign's year)`);
    return {
      subject: String(request.year),
      place: { town: '', village: '' },
      processId: campaignId(request.year),
      workflowArgs: (processId: string): [CampaignInput] => [
        {
          processId,
          request: { ...request, towns: [...request.towns] },
          startedBy: { id: actor.id, name: actor.name },
          policy: policy[CAMPAIGN.type],
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};
