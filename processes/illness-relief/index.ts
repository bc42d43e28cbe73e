/** P3 大病救助 — relief for a household's heavy medical costs (see contract.ts). */
import { policySection, processDefinition, type ProcessModule } from '../module';
import { ILLNESS_RELIEF } from './contract';
import { ILLNESS_RELIEF_FORMS, IllnessReliefStartSchema } from './schemas';
import { illnessReliefSection } from './policy';
import { illnessReliefStarter } from './starter';
import { illnessReliefActivities } from './activities';

export const illnessRelief = {
  definition: processDefinition(ILLNESS_RELIEF, {
    startSchema: IllnessReliefStartSchema,
    // A case handler's application; the settlement system starts cases through POST /api/integrations/medical-settlements.
    startRoles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
    steps: Object.values(ILLNESS_RELIEF.steps).map((s) => ({ ...s, form: ILLNESS_RELIEF_FORMS[s.key as keyof typeof ILLNESS_RELIEF_FORMS] })),
    // No signal a person or a key may send: settlements reach the case only through
    // POST /api/integrations/medical-settlements, which records and accumulates them first
    // (listing `medicalSettlement` here would make `signal:illnessRelief.medicalSettlement` a key scope).
    signals: [],
    systemSignals: [{ name: ILLNESS_RELIEF.signals.settlement.definition.name, title: ILLNESS_RELIEF.signals.settlement.title }],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('illnessRelief', illnessReliefSection),
  starter: illnessReliefStarter,
  activities: illnessReliefActivities,
} satisfies ProcessModule;
