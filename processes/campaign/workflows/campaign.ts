/** The year's campaign (`campaign:<year>`): a town case per town, until all end or the rectification phase does. */
import { Case } from '../../../workflows/case';
import { deadline } from '../../../workflows/deadline';
import type { CampaignProgress } from '../activities';
import { CAMPAIGN, CAMPAIGN_HOUSEHOLD_GROUPS, LEGACY_CAMPAIGN_GROUPS, townCaseId, type CampaignInput } from '../contract';
import { endOfDay } from '../../../workflows/clock';
import { lists } from '../../../workflows/activity-options';
import { fanOut } from './common';
import { campaignTown } from './campaign-town';

interface CampaignData extends Record<string, unknown> {
  headName: string;
  year: number;
  towns: string[];
  visitEndsOn: string;
  rectifyEndsOn: string;
  households?: number;
  report?: CampaignProgress;
}

export async function campaign(input: CampaignInput): Promise<unknown> {
  const r = input.request;
  const kase = new Case<CampaignData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    subject: String(r.year),
    town: '',
    village: '',
    stage: 'visit',
    data: { headName: `${r.year}年度大走访、大排查、大整改`, year: r.year, towns: r.towns, visitEndsOn: r.visitEndsOn, rectifyEndsOn: r.rectifyEndsOn },
  });
  return kase.run(async () => {
    const groups = input.policy.householdGroups ?? LEGACY_CAMPAIGN_GROUPS;
    const scope = await lists.campaignScope({ towns: r.towns, groups });
    const households = scope.reduce((n, t) => n + t.villages.reduce((m, v) => m + v.households, 0), 0);
    kase.state.data.households = households;
    const who = groups === 'all' ? '全部农户' : groups.map((g) => CAMPAIGN_HOUSEHOLD_GROUPS[g].zh).join('、');
    kase.record('scope', `排查范围：${r.towns.join('、')}，${who}共 ${households} 户；走访至 ${r.visitEndsOn}，整改至 ${r.rectifyEndsOn}`);
    await kase.commit();

    const ended = await fanOut(
      campaignTown,
      scope.map((town) => {
        const processId = townCaseId(r.year, town.town);
        return {
          id: processId,
          arg: { processId, campaignId: input.processId, year: r.year, scope: town, visitEndsOn: r.visitEndsOn, rectifyEndsOn: r.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
        };
      }),
    );
    let timeUp = false;
    const end = endOfDay(r.rectifyEndsOn);
    const timer = deadline(end, () => {
      kase.moveTo(end);
      timeUp = true;
    });
    await kase.waitFor(() => ended() === scope.length || timeUp);
    if (ended() === scope.length) {
      timer.cancel();
      kase.setStage('closed');
      return { status: 'completed', result: '全部走访，发现问题全部销号 (every household visited, every problem closed)' };
    }
    const report = await lists.campaignProgress({ year: r.year });
    kase.state.data.report = report;
    kase.setStage('carriedOver');
    const t = report.totals;
    return {
      status: 'completed',
      result: '整改期满，未完成事项结转 (closed at the end date; open items carried over)',
      reasons: `应走访 ${t.households} 户，已走访 ${t.visited} 户；发现问题 ${t.problems} 个，已销号 ${t.closed} 个，结转 ${t.problems - t.closed} 个，复核退回 ${t.reopened} 个`,
    };
  });
}
