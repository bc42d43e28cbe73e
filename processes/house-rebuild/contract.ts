/**
 * P4 农村危房改造 — dilapidated-house rebuilding (plan items 10, 20–22): every unsafe house of a
 * low-income family is followed to a safe house or a recorded reason ("发现一户、保障一户").
 * 资格审核 → 房屋安全鉴定 (A/B safe; C reinforce; D demolish and rebuild) → plan (D: temporary
 * housing before demolition) → construction → 竣工验收 (failure returns to construction) → subsidy.
 */
import { defineSignal } from '@temporalio/workflow';
import { t, type Text } from '../../contracts/i18n';
import type { SignalEnvelope, StepDefinition } from '../../contracts/steps';
import type { DueRule } from '../../contracts/due';
import type { Place } from '../../contracts/roles';
import {
  DANGER_CAUSES,
  type AppraisalGrade,
  type DangerCause,
  type HousingReportChannel,
  type TemporaryHousing,
} from '../../contracts/vocabulary';

const step = (key: string, title: Text, rest: Omit<StepDefinition, 'key' | 'title' | 'duePolicyKey'>, duePolicyKey = `houseRebuild.steps.${key}`): StepDefinition => ({
  key,
  title,
  ...rest,
  duePolicyKey,
});

export const HOUSING_DEPARTMENT = '区住房城乡建委';
/** Pays the subsidy: 区财政局 disburses 惠民惠农补贴 through the “一卡通” straight to the family's account. */
export const PAYING_DEPARTMENT = '区财政局';

export const HOUSE_REBUILD = {
  type: 'houseRebuild',
  workflowType: 'houseRebuild',
  title: t('农村危房改造', 'Dilapidated-house rebuilding'),
  description: t(
    '资格审核、房屋安全鉴定（A/B级安全；C级加固；D级拆除重建）、改造方案、施工、竣工验收、补助资金发放，做到“发现一户、保障一户”',
    'Eligibility, house safety appraisal (A/B safe; C reinforce; D demolish and rebuild), plan, construction, acceptance and the subsidy: every unsafe house found is made safe',
  ),
  steps: {
    eligibility: step('eligibility', t('资格审核', 'Eligibility check'), { role: 'town_officer', scope: 'town' }),
    appraisal: step('appraisal', t('房屋安全鉴定', 'House safety appraisal'), { role: 'department_officer', scope: 'department', department: HOUSING_DEPARTMENT }),
    plan: step('plan', t('改造方案', 'Rebuilding plan'), { role: 'town_officer', scope: 'town' }),
    temporaryHousing: step('temporaryHousing', t('过渡安置', 'Temporary housing'), { role: 'village_cadre', scope: 'village' }),
    demolition: step('demolition', t('拆除旧房', 'Demolition of the old house'), { role: 'village_cadre', scope: 'village' }),
    constructionStart: step('constructionStart', t('开工', 'Construction started'), { role: 'village_cadre', scope: 'village' }),
    reinforcement: step('reinforcement', t('加固施工（竣工）', 'Reinforcement works (finished)'), { role: 'village_cadre', scope: 'village' }, 'houseRebuild.construction.C'),
    rebuilding: step('rebuilding', t('重建施工（竣工）', 'Rebuilding works (finished)'), { role: 'village_cadre', scope: 'village' }, 'houseRebuild.construction.D'),
    acceptance: step('acceptance', t('竣工验收', 'Completion acceptance'), { role: 'department_officer', scope: 'department', department: HOUSING_DEPARTMENT }),
    payment: step('payment', t('补助资金发放', 'Subsidy payment'), { role: 'department_officer', scope: 'department', department: PAYING_DEPARTMENT }),
  },
  signals: {
    progressReport: { definition: defineSignal<[SignalEnvelope<ProgressReportPayload>]>('progressReport'), title: t('施工进度报告', 'Construction progress report') },
  },
} as const;

export type HouseRebuildStepKey = keyof typeof HOUSE_REBUILD.steps;
/** Steps whose deadline is one rule in `houseRebuild.steps` (the works are due by grade instead). */
export const FIXED_DUE_STEPS = ['eligibility', 'appraisal', 'plan', 'temporaryHousing', 'demolition', 'constructionStart', 'acceptance', 'payment'] as const;
export type FixedDueStep = (typeof FIXED_DUE_STEPS)[number];
/** Grades that need works (and are paid a subsidy). */
export const UNSAFE_GRADES = ['C', 'D'] as const;
export type UnsafeGrade = (typeof UNSAFE_GRADES)[number];

/** The `houseRebuild` section of the policy file, snapshotted into each case. */
export interface HouseRebuildPolicy {
  steps: Record<FixedDueStep, DueRule>;
  /** From 开工 to 竣工, by grade (C reinforcement, D rebuilding). */
  construction: Record<UnsafeGrade, DueRule>;
  /** To fix the defects listed by a failed acceptance. */
  rework: DueRule;
  /** Subsidy in yuan per household, by grade: the standard; a different amount needs a reason. */
  subsidy: Record<UnsafeGrade, number>;
  /** 农村低收入群体 that qualify (item 20). Absent in snapshots taken before the field: all of them. */
  eligibleGroups?: HouseRebuildGroup[];
  /** Causes that let a house renovated before qualify again (item 22: 自然灾害等原因). Absent: the defaults. */
  reEligibleCauses?: DangerCause[];
}

/** What a case handler or the housing system supplies to report an unsafe house. */
export interface HouseRebuildRequest {
  householdId: string;
  channel?: HousingReportChannel;
  /** The reporting system's own reference (e.g. the housing system's record number). */
  reference?: string;
  description: string;
  /** The house is the family's only one (唯一住房). */
  onlyHouse: boolean;
  /** The house was renovated under this programme before: when, and why it is dangerous again. */
  earlierRenovation?: { year: number; dangerCause: DangerCause };
  /** Photo or attachment references (up to 20). */
  attachments?: string[];
}

/** Household facts the starter snapshots from the register (the eligibility rule needs them). */
export interface HouseholdFacts extends Place {
  id: string;
  headName: string;
  status: string;
  monitoringStatus: string;
  lowIncomeGroups: string[];
  housingStatus: string;
}

/** Earlier renovations found in the household's housing history. */
export interface RenovationFact {
  year: number;
  processId?: string;
  grade?: string;
  completedOn?: string;
}

export interface HouseRebuildInput {
  processId: string;
  request: HouseRebuildRequest;
  household: HouseholdFacts;
  history: { renovations: RenovationFact[] };
  startedBy: { id: string; name: string };
  policy: HouseRebuildPolicy;
  policyVersion: string;
}

// ---- forms (their JSON Schemas are in schemas/house-rebuild.ts) ----

export interface EligibilityForm {
  decision: 'eligible' | 'ineligible';
  checkedOn: string;
  reasons?: string;
}

export interface AppraisalForm {
  grade: AppraisalGrade;
  appraiser: string;
  appraisedOn: string;
  reportNo?: string;
  findings?: string;
}

export interface TemporaryHousingForm {
  arrangement: TemporaryHousing;
  address: string;
  arrangedOn: string;
}

export interface PlanForm {
  summary: string;
  estimatedCost?: number;
  builder?: string;
  /** For a D house the family's temporary housing may be recorded with the plan. */
  temporaryHousing?: TemporaryHousingForm;
}

export interface DemolitionForm {
  demolishedOn: string;
  notes?: string;
}

export interface ConstructionStartForm {
  startedOn: string;
  builder?: string;
  notes?: string;
}

export interface WorksFinishedForm {
  finishedOn: string;
  summary: string;
}

export interface AcceptanceForm {
  result: 'pass' | 'fail';
  inspectedOn: string;
  inspectors: string;
  /** Uploaded site photos (file ids). */
  sitePhotos?: string[];
  defects?: string[];
  remarks?: string;
}

export interface PaymentForm {
  amount: number;
  voucherNo: string;
  paidOn: string;
  /** Why the amount differs from the grade's standard (required then). */
  differenceReason?: string;
}

/** Payload of the repeatable `progressReport` signal. */
export interface ProgressReportPayload {
  reportedOn: string;
  percent: number;
  description: string;
  attachments?: string[];
}

/** How a case ended (state.data.result). */
export type HouseRebuildResult = 'ineligible' | 'safe' | 'reinforced' | 'rebuilt';

/** P4's own part of the case state. */
export interface HouseRebuildData {
  request: HouseRebuildRequest;
  headName: string;
  facts: EligibilityFacts;
  eligibility?: EligibilityForm;
  appraisal?: AppraisalForm;
  method?: 'reinforcement' | 'rebuild';
  plan?: PlanForm;
  temporaryHousing?: TemporaryHousingForm;
  demolition?: DemolitionForm;
  constructionStart?: ConstructionStartForm;
  progress: (ProgressReportPayload & { at: string; by: { id: string; name: string } })[];
  acceptances: AcceptanceForm[];
  /** Defects of the last failed acceptance, to be fixed before the next one. */
  openDefects?: string[];
  subsidy?: PaymentForm;
  result?: HouseRebuildResult;
}

// ---- the eligibility rule (items 20, 22), a pure function of the snapshotted facts ----

/** 农村低收入群体 that may qualify (item 20); the policy's `eligibleGroups` lists those that do. */
export const HOUSE_REBUILD_GROUPS = {
  out_of_poverty: t('脱贫户', 'Out-of-poverty households'),
  monitored: t('监测户', 'Monitored households'),
  subsistence_allowance: t('低保户', 'Minimum living allowance households'),
  extremely_poor: t('分散供养特困人员', 'Persons in extreme poverty supported at home'),
  near_subsistence: t('低保边缘家庭', 'Families on the margin of the allowance'),
  monitoring_target: t('防止返贫监测对象', 'Monitored to prevent return to poverty'),
} satisfies Record<string, Text>;
export type HouseRebuildGroup = keyof typeof HOUSE_REBUILD_GROUPS;
export const HOUSE_REBUILD_GROUP_KEYS = Object.keys(HOUSE_REBUILD_GROUPS) as HouseRebuildGroup[];
/** 自然灾害等原因 (item 22): natural disasters and other force majeure, unless the policy says otherwise. */
export const DEFAULT_RE_ELIGIBLE_CAUSES: DangerCause[] = ['natural_disaster', 'force_majeure'];

export interface EligibilityFacts {
  /** Which low-income groups the household belongs to (codes; empty: none). */
  lowIncome: string[];
  onlyHouse: boolean;
  /** A renovation before, from the request or the housing history. */
  earlierRenovation?: { year: number; dangerCause?: DangerCause; source: 'request' | 'register' };
}

export function eligibilityFacts(input: Pick<HouseRebuildInput, 'request' | 'household' | 'history' | 'policy'>): EligibilityFacts {
  const h = input.household;
  const groups: readonly string[] = input.policy.eligibleGroups ?? HOUSE_REBUILD_GROUP_KEYS;
  const lowIncome = [
    ...(h.status === 'out_of_poverty' ? ['out_of_poverty'] : []),
    ...(h.monitoringStatus === 'monitored' ? ['monitored'] : []),
    ...h.lowIncomeGroups,
  ].filter((g) => groups.includes(g));
  const fromRequest = input.request.earlierRenovation;
  const latest = [...input.history.renovations].sort((a, b) => b.year - a.year)[0];
  const earlierRenovation = fromRequest
    ? { ...fromRequest, source: 'request' as const }
    : latest
      ? { year: latest.year, source: 'register' as const }
      : undefined;
  return { lowIncome, onlyHouse: input.request.onlyHouse, ...(earlierRenovation ? { earlierRenovation } : {}) };
}

const titles = (keys: readonly string[], vocabulary: Record<string, Text>) => keys.map((k) => vocabulary[k]?.zh ?? k).join('、');

/** Why the household may not be found eligible (→ 422), or undefined. */
export function eligibilityRefusal(facts: EligibilityFacts, policy: Pick<HouseRebuildPolicy, 'eligibleGroups' | 'reEligibleCauses'>): string | undefined {
  if (facts.lowIncome.length === 0) {
    const groups = titles(policy.eligibleGroups ?? HOUSE_REBUILD_GROUP_KEYS, HOUSE_REBUILD_GROUPS);
    return `该户不属于可纳入危房改造的农村低收入群体（${groups}），不纳入危房改造支持范围 (the household is in none of the eligible low-income groups)`;
  }
  if (!facts.onlyHouse) return '危房改造只保障唯一住房，该户另有住房 (only a family\'s only house is supported)';
  const earlier = facts.earlierRenovation;
  const causes = policy.reEligibleCauses ?? DEFAULT_RE_ELIGIBLE_CAUSES;
  if (earlier && !(earlier.dangerCause && causes.includes(earlier.dangerCause))) {
    const cause = earlier.dangerCause ? DANGER_CAUSES[earlier.dangerCause].zh : '未说明';
    return (
      `该户住房已于${earlier.year}年实施过农村危房改造，仅因${titles(causes, DANGER_CAUSES)}再次成为危房的方可再次纳入支持范围（实施方案第22项），本次致危原因：${cause} ` +
      `(plan item 22: a house renovated before is eligible again only for these causes: ${causes.join(', ')})`
    );
  }
  return undefined;
}
