/** P2 帮扶 — helper assignment, the household's plan and risk elimination (see contract.ts). */
import { REVIEW_FORMS, ObjectionSchema } from '../../contracts/schemas/review';
import { catalogueSignal, policySection, processDefinition, type ProcessModule } from '../module';
import { HELPER_ASSIGNMENT, helperRefusal, mayBeHelper, type PersonRef } from './contract';
import {
  AddMeasureSchema,
  AssignHelperSchema,
  HelperAssignmentStartSchema,
  MonthlyVisitSchema,
  ProposeEliminationSchema,
  ReassignHelperSchema,
  RevertEliminationSchema,
} from './schemas';
import { helperAssignmentSection } from './policy';
import { helperAssignmentStarter } from './starter';

export const helperAssignment = {
  definition: processDefinition(HELPER_ASSIGNMENT, {
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
      catalogueSignal(HELPER_ASSIGNMENT.signals.reassignHelper, {
        schema: ReassignHelperSchema,
        roles: ['town_officer', 'district_supervisor', 'admin'],
        // Any level here; the case applies its policy's `helperLevels` (and refuses in its timeline).
        precheck: (p, place) => (mayBeHelper(p.helper as PersonRef | undefined, place) ? undefined : helperRefusal(place)),
      }),
      catalogueSignal(HELPER_ASSIGNMENT.signals.addMeasure, { schema: AddMeasureSchema, roles: ['town_officer', 'department_officer', 'district_supervisor', 'admin'] }),
      catalogueSignal(HELPER_ASSIGNMENT.signals.objection, { schema: ObjectionSchema, roles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'], stages: ['publicNotice'] }),
    ],
  }),
  workflows: new URL('./workflows', import.meta.url),
  policy: policySection('helperAssignment', helperAssignmentSection),
  starter: helperAssignmentStarter,
  notice: {
    title: '防止返贫监测对象风险消除公示',
    proposal: '拟对下列监测户标注风险消除',
    minimum: (p): string => p.helperAssignment.elimination.noticeMinimum,
  },
} satisfies ProcessModule;
