/** 问题整改 — a problem a campaign visit or a supervisor's finding raised, to close-out (see contract.ts). Its deadlines are in the campaign's policy section. */
import { processDefinition, type ProcessModule } from '../module';
import { RECTIFICATION } from './contract';
import { AnalysisSchema, FixSchema, RecheckSchema, RectificationStartSchema } from './schemas';
import { rectificationStarter } from './starter';

export const rectification = {
  definition: processDefinition(RECTIFICATION, {
    startSchema: RectificationStartSchema,
    // Started by a campaign visit's failed checklist item, or by the district for an assessment's,
    // inspection's, audit's or tour's finding (item 49).
    startRoles: ['district_supervisor', 'admin'],
    steps: [
      { ...RECTIFICATION.steps.analysis, form: AnalysisSchema },
      { ...RECTIFICATION.steps.fix, form: FixSchema },
      { ...RECTIFICATION.steps.recheck, form: RecheckSchema },
    ],
    signals: [],
  }),
  workflows: new URL('./workflows', import.meta.url),
  starter: rectificationStarter,
} satisfies ProcessModule;
