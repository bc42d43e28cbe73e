/** P1 监测对象认定 — monitoring identification (see contract.ts). */
import { REVIEW_FORMS, ObjectionSchema } from '../../contracts/schemas/review';
import { catalogueSignal, policySection, processDefinition, type ProcessModule } from '../module';
import { IDENTIFICATION } from './contract';
import { DepartmentAlertSchema, IdentificationStartSchema } from './schemas';
import { identificationSection } from './policy';
import { identificationStarter } from './starter';

export const identification = {
  definition: processDefinition(IDENTIFICATION, {
    startSchema: IdentificationStartSchema,
    startRoles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin', 'information_officer'],
    steps: Object.values(IDENTIFICATION.steps).map((s) => ({ ...s, form: REVIEW_FORMS[s.key as keyof typeof REVIEW_FORMS] })),
    signals: [
      catalogueSignal(IDENTIFICATION.signals.objection, { schema: ObjectionSchema, roles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'], stages: ['publicNotice'] }),
      catalogueSignal(IDENTIFICATION.signals.departmentAlert, { schema: DepartmentAlertSchema, roles: ['department_officer', 'district_supervisor', 'admin'], senderDepartment: 'department' }),
    ],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('identification', identificationSection),
  starter: identificationStarter,
  notice: {
    title: '防止返贫监测对象认定公示',
    proposal: '拟将下列农户纳入防止返贫监测对象',
    minimum: (p): string => p.identification.noticeMinimum,
  },
} satisfies ProcessModule;
