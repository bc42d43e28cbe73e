/** A village run (`campaign:<year>:<town>:<village>`, no steps): opens the village's visits, directly or through parts. */
import { patched } from '@temporalio/workflow';
import { LEGACY_CAMPAIGN_GROUPS, villagePartId, type CampaignHousehold, type CampaignVillageInput } from '../contract';
import { lists } from '../../../workflows/activity-options';
import { fanOut } from './common';
import { campaignVillagePart } from './campaign-village-part';
import { openVisits, relayTeamChanges, teamChanges } from './open-visits';

/**
 * At most this many visit cases under one workflow. A village run with more households opens them
 * through parts (`campaign:<year>:<town>:<village>:<n>`) of this size: each visit's start and end are
 * events in its parent's history, and a parent replayed with thousands of them (20,000 households:
 * 465 a village, 1,660 events, ~1 s per replay) took 9–16 s per workflow task on this machine, past
 * Temporal's 10 s workflow task timeout.
 */
const VISITS_PER_RUN = 100; // policy campaign.visitsPerRun when set

/** Opens one visit case per household of the village (snapshotted now) and waits for them all. */
export async function campaignVillage(input: CampaignVillageInput): Promise<{ village: string; households: number }> {
  const households = await lists.campaignHouseholds({ town: input.town, village: input.village, groups: input.policy.householdGroups ?? LEGACY_CAMPAIGN_GROUPS });
  const perRun = input.policy.visitsPerRun ?? VISITS_PER_RUN;
  if (households.length <= perRun || !patched('campaign-village-parts')) return openVisits(input, households);
  // Parts: each opens its households' visits and forwards team changes to them; this run forwards
  // team changes to the parts.
  const parts: { id: string; households: CampaignHousehold[] }[] = [];
  for (let i = 0; i < households.length; i += perRun) {
    parts.push({ id: villagePartId(input.year, input.town, input.village, parts.length + 1), households: households.slice(i, i + perRun) });
  }
  const changes = teamChanges();
  const ended = await fanOut(
    campaignVillagePart,
    parts.map((part) => ({ id: part.id, arg: { ...input, processId: part.id, households: part.households } })),
  );
  await relayTeamChanges(changes, () => ended() === parts.length, (change) =>
    parts.filter((p) => !change.householdId || p.households.some((h) => h.id === change.householdId)).map((p) => p.id),
  );
  return { village: input.village, households: households.length };
}
