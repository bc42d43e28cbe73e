import type { CampaignVillagePartInput } from '../contract';
import { openVisits } from './open-visits';

/** A part of a large village: opens the visits of its households (see VISITS_PER_RUN in campaign-village.ts). */
export async function campaignVillagePart(input: CampaignVillagePartInput): Promise<{ village: string; households: number }> {
  return openVisits(input, input.households);
}
