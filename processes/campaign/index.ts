/** P5 大走访、大排查、大整改 — the annual campaign: towns, villages, household visits (see contract.ts). */
import { catalogueSignal, policySection, processDefinition, type ProcessModule } from '../module';
import { CAMPAIGN } from './contract';
import { CampaignStartSchema, CampaignVisitSchema, ConfirmVisitSchema, FormTeamsSchema, ReassignTeamSchema } from './schemas';
import { campaignSection } from './policy';
import { campaignStarter } from './starter';
import { campaignActivities } from './activities';

export const campaign = {
  definition: processDefinition(CAMPAIGN, {
    startSchema: CampaignStartSchema,
    // One a year (`campaign:<year>`), by the district (or its schedule); the town and visit cases are its children.
    startRoles: ['district_supervisor', 'admin'],
    steps: [
      { ...CAMPAIGN.steps.formTeams, form: FormTeamsSchema },
      { ...CAMPAIGN.steps.campaignVisit, form: CampaignVisitSchema },
      { ...CAMPAIGN.steps.confirmVisit, form: ConfirmVisitSchema },
    ],
    signals: [
      catalogueSignal(CAMPAIGN.signals.reassignTeam, {
        schema: ReassignTeamSchema,
        roles: ['town_officer', 'district_supervisor', 'admin'],
        stages: ['visits'],
        precheck: (p) => {
          const m = p.members as string[];
          return m.length === 2 && m[0] !== m[1] ? undefined : '每个走访小组须由两名不同人员组成 (a team is exactly two distinct people)';
        },
      }),
    ],
  }),
  workflows: new URL('./workflows', import.meta.url),
  // Also the rectification's deadlines and the category → department map.
  policy: policySection('campaign', campaignSection),
  starter: campaignStarter,
  activities: campaignActivities,
} satisfies ProcessModule;
