/** P4 农村危房改造 — rebuilding or renovating a dilapidated rural house (see contract.ts). */
import { catalogueSignal, policySection, processDefinition, type ProcessModule } from '../module';
import { HOUSE_REBUILD } from './contract';
import { HOUSE_REBUILD_FORMS, HouseRebuildStartSchema, ProgressReportSchema } from './schemas';
import { houseRebuildSection } from './policy';
import { houseRebuildStarter } from './starter';
import { houseRebuildActivities } from './activities';

export const houseRebuild = {
  definition: processDefinition(HOUSE_REBUILD, {
    startSchema: HouseRebuildStartSchema,
    // Also the housing system, with an API key scoped `start:houseRebuild` (see starter.ts).
    startRoles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'],
    steps: Object.values(HOUSE_REBUILD.steps).map((s) => ({ ...s, form: HOUSE_REBUILD_FORMS[s.key as keyof typeof HOUSE_REBUILD_FORMS] })),
    signals: [
      catalogueSignal(HOUSE_REBUILD.signals.progressReport, {
        schema: ProgressReportSchema,
        roles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
        stages: ['construction'],
      }),
    ],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('houseRebuild', houseRebuildSection),
  starter: houseRebuildStarter,
  activities: houseRebuildActivities,
} satisfies ProcessModule;
