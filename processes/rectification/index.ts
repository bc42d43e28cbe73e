/** 问题整改 — a problem a campaign visit found, to close-out (see contract.ts). Its deadlines are in the campaign's policy section. */
import { processDefinition, type ProcessModule } from '../module';
import { RECTIFICATION } from './contract';
import { AnalysisSchema, FixSchema, RecheckSchema, RectificationStartSchema } from './schemas';

export const rectification = {
  definition: processDefinition(RECTIFICATION, {
    startSchema: RectificationStartSchema,
    // Started by a campaign visit's failed checklist item only.
    startRoles: [],
    steps: [
      { ...RECTIFICATION.steps.analysis, form: AnalysisSchema },
      { ...RECTIFICATION.steps.fix, form: FixSchema },
      { ...RECTIFICATION.steps.recheck, form: RecheckSchema },
    ],
    signals: [],
  }),
  workflows: new URL('./workflows', import.meta.url),
} satisfies ProcessModule;
