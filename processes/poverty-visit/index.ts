/** 脱贫户走访 — the out-of-poverty households' visits, in rounds started by a schedule (see contract.ts). */
import { policySection, processDefinition, type ProcessModule } from '../module';
import { OUT_OF_POVERTY_VISIT } from './contract';
import { PovertyVisitSchema, PovertyVisitStartSchema } from './schemas';
import { outOfPovertyVisitsSection } from './policy';

export const outOfPovertyVisit = {
  definition: processDefinition(OUT_OF_POVERTY_VISIT, {
    startSchema: PovertyVisitStartSchema,
    // Started by the schedule's rounds only.
    startRoles: [],
    steps: [{ ...OUT_OF_POVERTY_VISIT.steps.povertyVisit, form: PovertyVisitSchema }],
    signals: [],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('outOfPovertyVisits', outOfPovertyVisitsSection),
} satisfies ProcessModule;
