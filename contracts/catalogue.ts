/**
 * The process catalogue: every process type with its start form, steps (and their forms) and signals.
 * `GET /api/process-types` serves it; the UI renders every form from it; the API validates with it.
 */
import type { Text } from './i18n';
import type { Role } from './roles';
import type { StepDefinition } from './steps';
import { IDENTIFICATION } from './processes/identification';
import { REVIEW_FORMS, ObjectionSchema } from './schemas/review';
import { DepartmentAlertSchema, IdentificationStartSchema } from './schemas/identification';

export interface CatalogueStep extends StepDefinition {
  form: object;
}

export interface CatalogueSignal {
  name: string;
  title: Text;
  schema: object;
  /** Roles allowed to send it (integration keys are scoped separately). */
  roles: Role[];
  /** The process stage(s) in which the signal is meaningful (others get 409). */
  stages?: string[];
}

export interface ProcessTypeDefinition {
  type: string;
  workflowType: string;
  title: Text;
  description: Text;
  startSchema: object;
  startRoles: Role[];
  steps: CatalogueStep[];
  signals: CatalogueSignal[];
}

export const CATALOGUE: ProcessTypeDefinition[] = [
  {
    type: IDENTIFICATION.type,
    workflowType: IDENTIFICATION.workflowType,
    title: IDENTIFICATION.title,
    description: IDENTIFICATION.description,
    startSchema: IdentificationStartSchema,
    startRoles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
    steps: Object.values(IDENTIFICATION.steps).map((s) => ({ ...s, form: REVIEW_FORMS[s.key as keyof typeof REVIEW_FORMS] })),
    signals: [
      {
        ...IDENTIFICATION.signals.objection,
        schema: ObjectionSchema,
        roles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'],
        stages: ['publicNotice'],
      },
      {
        ...IDENTIFICATION.signals.departmentAlert,
        schema: DepartmentAlertSchema,
        roles: ['department_officer', 'district_supervisor', 'admin'],
      },
    ],
  },
];

export function processType(type: string): ProcessTypeDefinition | undefined {
  return CATALOGUE.find((p) => p.type === type);
}
