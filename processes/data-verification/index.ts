/** 部门数据比对核实 — verifying the warnings of a department's data batch (see contract.ts). */
import { policySection, processDefinition, type ProcessModule } from '../module';
import { DATA_VERIFICATION } from './contract';
import { VerificationSchema, VerificationStartSchema } from './schemas';
import { dataExchangeSection } from './policy';
import { dataVerificationActivities } from './activities';

export const dataVerification = {
  definition: processDefinition(DATA_VERIFICATION, {
    startSchema: VerificationStartSchema,
    // Opened by a batch's workflow only.
    startRoles: [],
    steps: [{ ...DATA_VERIFICATION.steps.dataVerification, form: VerificationSchema }],
    signals: [],
  }),
  workflows: new URL('./workflows', import.meta.url),
  // Optional: versions stored before the data exchange existed take the defaults (no monitoring line yet).
  policy: { ...policySection('dataExchange', dataExchangeSection), optional: true },
  activities: dataVerificationActivities,
} satisfies ProcessModule;
