/**
 * The process catalogue: every process type with its start form, steps (and their forms) and signals.
 * `GET /api/process-types` serves it; the UI renders every form from it; the API validates with it.
 */
import type { Text } from '../contracts/i18n';
import type { Place, Role } from '../contracts/roles';
import type { StepDefinition } from '../contracts/steps';
import { IDENTIFICATION } from './identification/contract';
import { REVIEW_FORMS, ObjectionSchema } from '../contracts/schemas/review';
import { DepartmentAlertSchema, IdentificationStartSchema } from './identification/schemas';
import { HOUSE_REBUILD } from './house-rebuild/contract';
import { OUT_OF_POVERTY_VISIT } from './poverty-visit/contract';
import { PovertyVisitSchema, PovertyVisitStartSchema } from './poverty-visit/schemas';
import { HELPER_ASSIGNMENT, mayBeHelper, type PersonRef } from './helper-assignment/contract';
import {
  AddMeasureSchema,
  AssignHelperSchema,
  HelperAssignmentStartSchema,
  MonthlyVisitSchema,
  ProposeEliminationSchema,
  ReassignHelperSchema,
  RevertEliminationSchema,
} from './helper-assignment/schemas';
import { HOUSE_REBUILD_FORMS, HouseRebuildStartSchema, ProgressReportSchema } from './house-rebuild/schemas';
import { ILLNESS_RELIEF } from './illness-relief/contract';
import { ILLNESS_RELIEF_FORMS, IllnessReliefStartSchema } from './illness-relief/schemas';
import { CAMPAIGN, RECTIFICATION } from './campaign/contract';
import { AnalysisSchema, CampaignStartSchema, CampaignVisitSchema, FixSchema, FormTeamsSchema, ReassignTeamSchema, RecheckSchema, RectificationStartSchema } from './campaign/schemas';

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
  /**
   * A business rule the API checks before sending (signals cannot answer): returns the refusal (→ 422).
   * The workflow applies the same rule when the signal arrives.
   */
  precheck?: (payload: Record<string, unknown>, place: Place) => string | undefined;
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
  {
    type: HOUSE_REBUILD.type,
    workflowType: HOUSE_REBUILD.workflowType,
    title: HOUSE_REBUILD.title,
    description: HOUSE_REBUILD.description,
    startSchema: HouseRebuildStartSchema,
    // Also the housing system, with an API key scoped `start:houseRebuild` (see server/processes/house-rebuild.ts).
    startRoles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'],
    steps: Object.values(HOUSE_REBUILD.steps).map((s) => ({ ...s, form: HOUSE_REBUILD_FORMS[s.key as keyof typeof HOUSE_REBUILD_FORMS] })),
    signals: [
      {
        ...HOUSE_REBUILD.signals.progressReport,
        schema: ProgressReportSchema,
        roles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
        stages: ['construction'],
      },
    ],
  },
  {
    type: HELPER_ASSIGNMENT.type,
    workflowType: HELPER_ASSIGNMENT.workflowType,
    title: HELPER_ASSIGNMENT.title,
    description: HELPER_ASSIGNMENT.description,
    startSchema: HelperAssignmentStartSchema,
    // Normally started by an approved identification; by hand only for households already monitored.
    startRoles: ['district_supervisor', 'admin'],
    steps: [
      { ...HELPER_ASSIGNMENT.steps.assignHelper, form: AssignHelperSchema },
      { ...HELPER_ASSIGNMENT.steps.monthlyVisit, form: MonthlyVisitSchema },
      { ...HELPER_ASSIGNMENT.steps.proposeElimination, form: ProposeEliminationSchema },
      { ...HELPER_ASSIGNMENT.steps.revertElimination, form: RevertEliminationSchema },
      ...Object.values(HELPER_ASSIGNMENT.eliminationSteps).map((s) => ({ ...s, form: REVIEW_FORMS[s.key as keyof typeof REVIEW_FORMS] })),
    ],
    signals: [
      {
        ...HELPER_ASSIGNMENT.signals.reassignHelper,
        schema: ReassignHelperSchema,
        roles: ['town_officer', 'district_supervisor', 'admin'],
        precheck: (p, place) => (mayBeHelper(p.helper as PersonRef, place) ? undefined : `帮扶责任人须为${place.town}的干部 (the helper must be a cadre of ${place.town})`),
      },
      { ...HELPER_ASSIGNMENT.signals.addMeasure, schema: AddMeasureSchema, roles: ['town_officer', 'department_officer', 'district_supervisor', 'admin'] },
      { ...HELPER_ASSIGNMENT.signals.objection, schema: ObjectionSchema, roles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'], stages: ['publicNotice'] },
    ],
  },
  {
    type: ILLNESS_RELIEF.type,
    workflowType: ILLNESS_RELIEF.workflowType,
    title: ILLNESS_RELIEF.title,
    description: ILLNESS_RELIEF.description,
    startSchema: IllnessReliefStartSchema,
    // A case handler's application; the settlement system starts cases through POST /api/integrations/medical-settlements.
    startRoles: ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin'],
    steps: Object.values(ILLNESS_RELIEF.steps).map((s) => ({ ...s, form: ILLNESS_RELIEF_FORMS[s.key as keyof typeof ILLNESS_RELIEF_FORMS] })),
    // No signal a person or a key may send: settlements reach the case only through
    // POST /api/integrations/medical-settlements, which records and accumulates them first
    // (listing `medicalSettlement` here would make `signal:illnessRelief.medicalSettlement` a key scope).
    signals: [],
  },
  {
    type: OUT_OF_POVERTY_VISIT.type,
    workflowType: OUT_OF_POVERTY_VISIT.workflowType,
    title: OUT_OF_POVERTY_VISIT.title,
    description: OUT_OF_POVERTY_VISIT.description,
    startSchema: PovertyVisitStartSchema,
    // Started by the schedule's rounds only.
    startRoles: [],
    steps: [{ ...OUT_OF_POVERTY_VISIT.steps.povertyVisit, form: PovertyVisitSchema }],
    signals: [],
  },
  {
    type: CAMPAIGN.type,
    workflowType: CAMPAIGN.workflowType,
    title: CAMPAIGN.title,
    description: CAMPAIGN.description,
    startSchema: CampaignStartSchema,
    // One a year (`campaign:<year>`), by the district (or its schedule); the town and visit cases are its children.
    startRoles: ['district_supervisor', 'admin'],
    steps: [
      { ...CAMPAIGN.steps.formTeams, form: FormTeamsSchema },
      { ...CAMPAIGN.steps.campaignVisit, form: CampaignVisitSchema },
    ],
    signals: [
      {
        ...CAMPAIGN.signals.reassignTeam,
        schema: ReassignTeamSchema,
        roles: ['town_officer', 'district_supervisor', 'admin'],
        stages: ['visits'],
        precheck: (p) => {
          const m = p.members as string[];
          return m.length === 2 && m[0] !== m[1] ? undefined : '每个走访小组须由两名不同人员组成 (a team is exactly two distinct people)';
        },
      },
    ],
  },
  {
    type: RECTIFICATION.type,
    workflowType: RECTIFICATION.workflowType,
    title: RECTIFICATION.title,
    description: RECTIFICATION.description,
    startSchema: RectificationStartSchema,
    // Started by a campaign visit's failed checklist item only.
    startRoles: [],
    steps: [
      { ...RECTIFICATION.steps.analysis, form: AnalysisSchema },
      { ...RECTIFICATION.steps.fix, form: FixSchema },
      { ...RECTIFICATION.steps.recheck, form: RecheckSchema },
    ],
    signals: [],
  },
];

export function processType(type: string): ProcessTypeDefinition | undefined {
  return CATALOGUE.find((p) => p.type === type);
}
