/**
 * P2 帮扶 — helper assignment and follow-up (plan items 5, 7, 16, 46): for a household included in
 * monitoring, name the 帮扶责任人 (helper) and the 一户一策 plan (one plan per household) within 10
 * working days, visit it every month, carry out the measures, and end monitoring only through risk
 * elimination (风险消除), which runs the same review procedure as identification. One case per
 * household's monitoring period; it continues as new to keep its history bounded.
 */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { t } from '../../contracts/i18n';
import { objectionSignal, reviewSteps, type ReviewPolicy } from '../../contracts/review';
import type { SignalEnvelope, StepDefinition } from '../../contracts/steps';
import type { Place } from '../../contracts/roles';
import type { DueRule } from '../../contracts/due';
import type { MeasureCategory, MonitoringCategory, RiskType } from '../../contracts/vocabulary';

const steps = {
  assignHelper: {
    key: 'assignHelper',
    title: t('确定帮扶责任人和“一户一策”', 'Name the helper and the household plan'),
    role: 'town_officer',
    scope: 'town',
    duePolicyKey: 'helperAssignment.assignmentLimit',
  },
  monthlyVisit: {
    key: 'monthlyVisit',
    title: t('月度走访', 'Monthly visit'),
    role: 'village_cadre',
    scope: 'assignee',
    duePolicyKey: 'helperAssignment.visitDue',
  },
  proposeElimination: {
    key: 'proposeElimination',
    title: t('申请风险消除', 'Propose risk elimination'),
    role: 'village_cadre',
    scope: 'assignee',
    duePolicyKey: '',
    onDemand: true,
  },
  revertElimination: {
    key: 'revertElimination',
    title: t('撤销风险消除，恢复监测', 'Revert elimination and resume monitoring'),
    role: 'district_supervisor',
    scope: 'district',
    duePolicyKey: '',
    onDemand: true,
  },
} satisfies Record<string, StepDefinition>;

export const HELPER_ASSIGNMENT = {
  type: 'helperAssignment',
  workflowType: 'helperAssignment',
  title: t('帮扶责任落实与风险消除', 'Helper assignment, follow-up and risk elimination'),
  description: t(
    '10个工作日内确定帮扶责任人和帮扶措施，每月至少走访一次，风险消除须经核实、评议、公示、审核、审定',
    'Name the helper and measures within 10 working days, visit at least monthly, and end monitoring only through the review procedure',
  ),
  steps,
  /** The elimination review reuses the shared procedure; its due rules live under helperAssignment.elimination. */
  eliminationSteps: reviewSteps('helperAssignment.elimination'),
  signals: {
    reassignHelper: { definition: defineSignal<[SignalEnvelope<ReassignHelperPayload>]>('reassignHelper'), title: t('调整帮扶责任人', 'Reassign the helper') },
    /** Also sent by illness relief (a measure the relief proposes for the household's plan). */
    addMeasure: { definition: defineSignal<[SignalEnvelope<MeasureInput>]>('addMeasure'), title: t('增加帮扶措施', 'Add a support measure') },
    objection: { definition: objectionSignal, title: t('公示异议', 'Objection to the notice') },
  },
  /**
   * Sent by the API when an approved identification includes again a household whose risk was
   * eliminated (返贫): the old case, still in its revert window, closes as superseded, so that the new
   * monitoring period starts a case of its own (helper within 10 working days, monthly visits).
   * Refused (Conflict) unless the case is in its revert window.
   */
  supersede: defineUpdate<unknown, [SupersedeArgs]>('supersedeByReinclusion'),
} as const;

export interface SupersedeArgs {
  /** The identification that included the household again, and from when. */
  identificationId?: string;
  includedOn: string;
  /** When the API sent it (the case's clock moves there). */
  at: string;
}

export interface HelperAssignmentPolicy {
  /** 10 working days from inclusion to a named helper and plan (item 46). */
  assignmentLimit: DueRule;
  /** Each month's visit is due by this rule from the month's first day (end of month). */
  visitDue: DueRule;
  /** Monitored at least this many months before elimination may be proposed. */
  eliminationMinimumMonths: number;
  /** How long an elimination can still be reverted before the case closes. */
  eliminationRevertWindow: DueRule;
  /** Continue as new once the run's history passes this many events (Temporal's own suggestion also counts). */
  historyEventLimit: number;
  elimination: ReviewPolicy;
  /** Levels a helper may come from (absent in snapshots taken before the field: every level). */
  helperLevels?: HelperLevel[];
}

export interface Measure {
  id: string;
  category: MeasureCategory;
  target: string;
  responsibleUnit: string;
  dueDate: string;
  status: 'planned' | 'in_progress' | 'done';
  progress: { at: string; note: string }[];
  source?: string;
}

export type MeasureInput = Pick<Measure, 'category' | 'target' | 'responsibleUnit' | 'dueDate'> & { source?: string };

export interface PersonRef {
  id: string;
  name: string;
  roles?: string[];
  town?: string;
  village?: string;
}

export interface AssignHelperForm {
  helperId: string;
  measures: MeasureInput[];
  /** Filled by the API from the user register. */
  helper?: PersonRef;
}

export interface MonthlyVisitForm {
  visitedOn: string;
  notes: string;
  measureProgress?: { measureId: string; note: string; done?: boolean }[];
  newRisks?: RiskType[];
  newRiskNote?: string;
  /** An unsafe house found on the visit: starts dilapidated-house rebuilding (P4). */
  unsafeHouse?: { description: string; onlyHouse: boolean };
}

export interface ProposeEliminationForm {
  reasons: string;
  perCapitaIncome: number;
  incomeAboveLine: boolean;
  /** Able-bodied members: a household with no labour at all is not eliminated. */
  labourCount: number;
}

export interface RevertEliminationForm {
  reasons: string;
}

export interface ReassignHelperPayload {
  helperId: string;
  reason: string;
  /** Filled by the API from the user register. */
  helper?: PersonRef;
}

/** 区镇村三级联系帮扶 (item 7): the levels a helper may come from. */
export const HELPER_LEVELS = {
  district: t('区级干部（区专班、区级部门）', 'District cadres (district office, departments)'),
  town: t('本镇镇级干部', 'Town officers of the household\'s town'),
  village: t('本镇村级干部', 'Village cadres of the household\'s town'),
};
export type HelperLevel = keyof typeof HELPER_LEVELS;
export const HELPER_LEVEL_KEYS = Object.keys(HELPER_LEVELS) as HelperLevel[];
/** The rule before helpers could come from the district (cases started before the `helper-levels` patch). */
export const TOWN_ONLY_HELPERS: HelperLevel[] = ['town', 'village'];

/** The level at which this user may help a household at this place, if any (an active user: the API checks that). */
function helperLevel(user: PersonRef, place: Pick<Place, 'town'>, levels: readonly HelperLevel[]): HelperLevel | undefined {
  const roles = user.roles ?? [];
  if (levels.includes('district') && roles.some((r) => r === 'district_supervisor' || r === 'department_officer')) return 'district';
  if (user.town !== place.town) return undefined;
  if (levels.includes('town') && roles.includes('town_officer')) return 'town';
  if (levels.includes('village') && roles.includes('village_cadre')) return 'village';
  return undefined;
}

/** May this user be the helper of a household at this place? A cadre of one of `levels` (policy `helperAssignment.helperLevels`). */
export function mayBeHelper(user: PersonRef | undefined, place: Pick<Place, 'town'>, levels: readonly HelperLevel[] = HELPER_LEVEL_KEYS): user is PersonRef {
  return !!user && helperLevel(user, place, levels) !== undefined;
}

/** The refusal when `mayBeHelper` says no, naming the levels allowed. */
export function helperRefusal(place: Pick<Place, 'town'>, levels: readonly HelperLevel[] = HELPER_LEVEL_KEYS): string {
  const zh = levels.map((l) => HELPER_LEVELS[l].zh.replace('本镇', place.town)).join('、');
  return `帮扶责任人须为在岗的${zh} (the helper must be an active cadre at these levels: ${levels.join(', ')})`;
}

export interface HelperAssignmentRequest {
  householdId: string;
  /** The identification that included the household (when P1 starts this case). */
  identificationId?: string;
  /** Inclusion date; defaults to the register's 监测 date. */
  includedOn?: string;
}

export type MonitoringPhase = 'assigning' | 'monitoring' | 'eliminating' | 'eliminated';

export interface HelperAssignmentData {
  headName: string;
  includedOn: string;
  category?: MonitoringCategory;
  riskTypes: RiskType[];
  identificationId?: string;
  phase: MonitoringPhase;
  helper?: PersonRef;
  measures: Measure[];
  /** Months (YYYY-MM) whose visit is recorded, most recent last (last 36 kept). */
  visitedMonths: string[];
  /** Months whose visit was not done by the month's end. */
  missedMonths: string[];
  lastMonthOpened?: string;
  newRisks: { at: string; month: string; riskTypes: RiskType[]; note?: string }[];
  /** Cases started from visits (e.g. house rebuilding). */
  followUps?: { at: string; type: string; id?: string; refused?: string }[];
  objections: { id: string; at: string; raisedBy: string; content: string; status: 'new' | 'reviewing' | 'upheld' | 'dismissed'; reasons?: string }[];
  eliminatedOn?: string;
  eliminations: number;
  runs: number;
}

export interface HelperAssignmentInput {
  processId: string;
  household: Place & { id: string; headName: string };
  includedOn: string;
  category?: MonitoringCategory;
  riskTypes: RiskType[];
  identificationId?: string;
  startedBy: { id: string; name: string };
  policy: HelperAssignmentPolicy;
  policyVersion: string;
  /** Set when the case continues as new. */
  carried?: { kase: unknown; data: HelperAssignmentData };
}
