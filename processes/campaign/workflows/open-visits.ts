/** Opening a village's (or a part's) visit cases, and passing team changes down to them. */
import { condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { teamChangedSignal, visitCaseId, type CampaignHousehold, type CampaignVillageInput, type TeamChanged } from '../contract';
import { fanOut } from './common';
import { campaignVisit } from './campaign-visit';

/**
 * Opens one visit case per household, each for its team (the village's, or another one named for the
 * household), forwards team changes to the open visits, and waits until every visit has ended.
 */
export async function openVisits(input: CampaignVillageInput, households: CampaignHousehold[]): Promise<{ village: string; households: number }> {
  const overrides = { ...input.overrides };
  let villageTeam = input.team;
  const changes = teamChanges();
  const ended = await fanOut(
    campaignVisit,
    households.map((household) => {
      const processId = visitCaseId(input.year, household.id);
      return {
        id: processId,
        arg: { processId, year: input.year, household, team: overrides[household.id] ?? villageTeam, visitEndsOn: input.visitEndsOn, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy, taskQueue: input.taskQueue },
      };
    }),
  );
  await relayTeamChanges(changes, () => ended() === households.length, (change) => {
    if (change.householdId) overrides[change.householdId] = change.team;
    else villageTeam = change.team;
    return households.filter((h) => (change.householdId ? h.id === change.householdId : !overrides[h.id])).map((h) => visitCaseId(input.year, h.id));
  });
  return { village: input.village, households: households.length };
}

/** The team changes this run receives (from the town case or the village run), in order. */
export function teamChanges(): TeamChanged[] {
  const changes: TeamChanged[] = [];
  setHandler(teamChangedSignal, (c) => {
    changes.push(c);
  });
  return changes;
}

/**
 * Until `done()`, passes each team change on to the workflows `apply` names (after recording it): a
 * village run to its parts, a village run or part to its open visits. A visit already closed is skipped.
 */
export async function relayTeamChanges(changes: TeamChanged[], done: () => boolean, apply: (change: TeamChanged) => string[]): Promise<void> {
  for (;;) {
    await condition(() => changes.length > 0 || done());
    if (changes.length === 0) return;
    const change = changes.shift()!;
    await Promise.all(apply(change).map((id) => getExternalWorkflowHandle(id).signal(teamChangedSignal, change).catch(() => undefined)));
  }
}
