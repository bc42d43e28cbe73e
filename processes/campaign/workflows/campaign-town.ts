/** A town's case (`campaign:<year>:<town>`): teams of two, then a village run per village; team changes go down. */
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { Case, endOf, type CaseEnd } from '../../../workflows/case';
import { CAMPAIGN, teamChangedSignal, villageRunId, type CampaignTownInput, type FormTeamsForm, type Team, type TeamChanged } from '../contract';
import { fanOut, names } from './common';
import { campaignVillage } from './campaign-village';

interface TownData extends Record<string, unknown> {
  headName: string;
  year: number;
  villages: { village: string; households: number }[];
  teams?: { members: Team; villages: string[]; households: string[] }[];
}

export async function campaignTown(input: CampaignTownInput): Promise<CaseEnd> {
  const { scope, year } = input;
  const kase = new Case<TownData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    subject: `${year}:${scope.town}`,
    town: scope.town,
    village: '',
    stage: 'formTeams',
    data: { headName: `${year}年度大走访（${scope.town}）`, year, villages: scope.villages },
  });
  const users = new Map(scope.users.map((u) => [u.id, u]));
  /** Two distinct active users of the town (item 51), or the refusal. */
  const teamOf = (members: string[]): Team | string => {
    if (members.length !== 2 || members[0] === members[1]) return '每个走访小组须由两名不同人员组成 (a team is exactly two distinct people)';
    const found = members.map((id) => users.get(id));
    if (found.some((u) => !u)) return `组员须为${scope.town}在岗人员 (both members must be active users of ${scope.town})`;
    return found as Team;
  };
  let villagesOpen = false;

  setHandler(CAMPAIGN.signals.reassignTeam.definition, async (env) => {
    if (!kase.firstDelivery(env.eventId, env.receivedAt)) return;
    const p = env.payload;
    const team = teamOf(p.members);
    const actor = { id: env.actor.id, name: env.actor.name };
    if (typeof team === 'string' || !villagesOpen || !scope.villages.some((v) => v.village === p.village)) {
      kase.record('team_change_refused', `走访小组调整未生效：${typeof team === 'string' ? team : villagesOpen ? `${p.village}不在排查范围` : '尚未组建走访小组'}`, { actor });
      await kase.commit();
      return;
    }
    kase.record('team_changed', `${p.village}${p.householdId ? ` ${p.householdId}` : ''} 走访小组调整为 ${names(team)}：${p.reason}`, { actor });
    await kase.commit();
    const change: TeamChanged = { ...(p.householdId ? { householdId: p.householdId } : {}), team, reason: p.reason, by: actor };
    await getExternalWorkflowHandle(villageRunId(year, scope.town, p.village))
      .signal(teamChangedSignal, change)
      .catch(() => undefined); // the village's visits are all done
  });

  return kase.run(async () => {
    if (scope.villages.length === 0) return { status: 'completed', result: '本镇无排查对象 (no household in scope)' };
    const step = await kase.openStep<FormTeamsForm>(CAMPAIGN.steps.formTeams, input.policy.formTeams, {
      context: { villages: scope.villages, users: scope.users },
      validate: (form) => {
        const byVillage = new Map<string, number>();
        const byHousehold = new Set<string>();
        for (const team of form.teams) {
          const t = teamOf(team.members);
          if (typeof t === 'string') return t;
          for (const v of team.villages ?? []) {
            if (!scope.villages.some((x) => x.village === v)) return `${v}不在本镇排查范围内 (not a village in scope)`;
            byVillage.set(v, (byVillage.get(v) ?? 0) + 1);
          }
          for (const h of team.households ?? []) {
            if (byHousehold.has(h)) return `农户 ${h} 被分配给多个小组 (a household belongs to one team)`;
            byHousehold.add(h);
          }
        }
        for (const v of scope.villages) {
          const n = byVillage.get(v.village) ?? 0;
          if (n === 0) return `${v.village}尚未分配走访小组，每户都须有小组负责 (every household needs a team: ${v.village} has none)`;
          if (n > 1) return `${v.village}被分配给多个小组 (a village belongs to one team; assign single households with "households")`;
        }
        return undefined;
      },
    });
    const { form } = await kase.completion(step);
    const teams = form.teams.map((t) => ({ members: teamOf(t.members) as Team, villages: t.villages ?? [], households: t.households ?? [] }));
    kase.state.data.teams = teams;
    const overrides: Record<string, Team> = {};
    for (const t of teams) for (const h of t.households) overrides[h] = t.members;
    kase.setStage('visits');
    await kase.commit();

    villagesOpen = true;
    const ended = await fanOut(
      campaignVillage,
      scope.villages.map(({ village }) => {
        const team = teams.find((t) => t.villages.includes(village))!.members;
        const processId = villageRunId(year, scope.town, village);
        return {
          id: processId,
          arg: { processId, year, town: scope.town, village, team, overrides, visitEndsOn: input.visitEndsOn, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
        };
      }),
    );
    await kase.waitFor(() => ended() === scope.villages.length);
    kase.setStage('closed');
    return { status: 'completed', result: '本镇全部走访，问题全部销号 (every household visited, every problem closed)' };
  }).then(endOf);
}
