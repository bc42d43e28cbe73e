/** 督办 — a supervision notice to a town or a department about overdue steps (see contract.ts). */
import { policySection, processDefinition, type ProcessModule } from '../module';
import { SUPERVISION } from './contract';
import { SupervisionReplySchema, SupervisionStartSchema } from './schemas';
import { supervisionSection } from './policy';
import { supervisionStarter } from './starter';

export const supervisionNotice = {
  definition: processDefinition(SUPERVISION, {
    startSchema: SupervisionStartSchema,
    startRoles: ['district_supervisor', 'admin'],
    steps: [
      { ...SUPERVISION.steps.townReply, form: SupervisionReplySchema },
      { ...SUPERVISION.steps.departmentReply, form: SupervisionReplySchema },
    ],
    signals: [],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('supervision', supervisionSection),
  starter: supervisionStarter,
} satisfies ProcessModule;
