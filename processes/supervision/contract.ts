/**
 * 督办 — a supervision notice (plan item 6: supervision, talks and accountability): from the overdue view a
 * district supervisor sends the responsible town or department a reminder about one or more overdue
 * steps. The notice is itself a step, in the inbox of that town's officers or that department's
 * officers, due by policy (`supervision.reply`, e.g. 3 working days) and overdue like any step; it is
 * answered with what was done. The notice names the steps and the cases it is about.
 */
import { t } from '../../contracts/i18n';
import type { DueRule } from '../../contracts/due';
import type { Department } from '../../contracts/roles';
import type { StepDefinition } from '../../contracts/steps';

export const SUPERVISION = {
  type: 'supervisionNotice',
  workflowType: 'supervisionNotice',
  title: t('督办', 'Supervision notice'),
  description: t('区里就逾期事项向责任镇或部门发出督办，限期反馈办理情况', 'The district reminds the responsible town or department of overdue steps; it replies with what was done by a deadline'),
  steps: {
    townReply: {
      key: 'townReply',
      title: t('督办反馈（镇）', 'Reply to a supervision notice (town)'),
      role: 'town_officer',
      scope: 'town',
      duePolicyKey: 'supervision.reply',
    },
    departmentReply: {
      key: 'departmentReply',
      title: t('督办反馈（部门）', 'Reply to a supervision notice (department)'),
      role: 'department_officer',
      scope: 'department',
      duePolicyKey: 'supervision.reply',
    },
  } satisfies Record<string, StepDefinition>,
} as const;

export interface SupervisionPolicy {
  /** When the town or department must reply (e.g. 3 working days). */
  reply: DueRule;
}

/** What the supervisor sends (`POST /api/processes {type: 'supervisionNotice', input}`): exactly one of town and department. */
export interface SupervisionRequest {
  town?: string;
  department?: Department;
  /** The overdue steps (`<processId>/<stepId>`, as `GET /api/steps` lists them). */
  stepIds: string[];
  requirement: string;
}

/** One overdue step the notice is about, as it stood when the notice was sent. */
export interface SupervisedStep {
  stepId: string;
  processId: string;
  processType: string;
  title: string;
  householdId?: string;
  headName?: string;
  town: string;
  village: string;
  dueDate: string;
}

export interface SupervisionInput {
  processId: string;
  /** The unit supervised: a town, or a department. */
  target: { town: string } | { department: Department };
  items: SupervisedStep[];
  requirement: string;
  sentBy: { id: string; name: string };
  policy: SupervisionPolicy;
  policyVersion?: string;
}

export interface SupervisionReplyForm {
  measures: string;
  /** When the overdue work was (or will be) done. */
  doneBy: string;
}
