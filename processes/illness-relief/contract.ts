/**
 * P3 大病一事一议特殊救助 — critical-illness case-by-case relief (plan items 9, 18). A 脱贫户 or 监测户
 * whose yearly out-of-pocket medical costs (after 基本医保, 大病保险 and 医疗救助, the "three layers")
 * pass a threshold gets a case: 费用核实 by 区医保局 → 影响基本生活评估 by the town → 一事一议 opinions of
 * 区医保局, 区卫生健康委 and 区民政局 → the district's decision on relief channels and amounts →
 * disbursement by each channel's department → follow-up into monitoring (P1) or the household's plan (P2).
 *
 * One open case per household (一事一议: each matter its own case): workflow id
 * `illnessRelief:<householdId>:<year>` for the year's first case, `…:<year>-<n>` for the n-th, started by
 * signal-with-start from the medical insurance settlement system (or by a case handler's application).
 */
import { defineSignal } from '@temporalio/workflow';
import { t, type Text } from '../../contracts/i18n';
import { processIdOf } from '../../contracts/ids';
import type { Department, Place } from '../../contracts/roles';
import type { DueRule } from '../../contracts/due';
import type { SignalEnvelope, StepDefinition } from '../../contracts/steps';
import type { HouseholdStatus, MonitoringStatus } from '../../contracts/vocabulary';
import type { MeasureInput } from '../helper-assignment/contract';

const TYPE = 'illnessRelief';

const step = (key: string, title: Text, role: StepDefinition['role'], scope: StepDefinition['scope'], due: IllnessReliefDueKey, department?: Department): StepDefinition => ({
  key,
  title,
  role,
  scope,
  ...(department ? { department } : {}),
  duePolicyKey: `${TYPE}.steps.${due}`,
});

/** 救助渠道: relief channels a deliberation may name, each disbursed by its own department (DISBURSEMENT_STEPS). */
export const RELIEF_CHANNELS = {
  social_assistance: t('社会救助（临时救助等）', 'Social assistance (temporary assistance etc.)'),
  social_donation: t('社会捐赠（慈善帮扶）', 'Social donation (charity)'),
  medical_mutual_aid: t('医疗互助', 'Medical mutual aid'),
} as const;
export type ReliefChannel = keyof typeof RELIEF_CHANNELS;

export const ILLNESS_RELIEF = {
  type: TYPE,
  workflowType: TYPE,
  title: t('大病一事一议特殊救助', 'Critical-illness case-by-case relief'),
  description: t(
    '医保结算自付费用超过标准的脱贫户、监测户：费用核实、影响基本生活评估、区医保局/区卫生健康委/区民政局一事一议、救助发放，未监测户纳入监测认定',
    'For out-of-poverty and monitored households whose out-of-pocket medical costs pass the threshold: expense verification, impact assessment, case-by-case deliberation by three departments, disbursement, and monitoring for households not yet monitored',
  ),
  steps: {
    expenseVerification: step('expenseVerification', t('费用核实', 'Expense verification'), 'department_officer', 'department', 'expenseVerification', '区医保局'),
    medicalAssistanceApplied: step('medicalAssistanceApplied', t('医疗救助落实', 'Medical assistance applied'), 'department_officer', 'department', 'medicalAssistance', '区医保局'),
    impactAssessment: step('impactAssessment', t('影响基本生活评估', 'Impact on basic living'), 'town_officer', 'town', 'impactAssessment'),
    opinionMedicalInsurance: step('opinionMedicalInsurance', t('一事一议意见（区医保局）', 'Deliberation opinion (medical insurance)'), 'department_officer', 'department', 'opinion', '区医保局'),
    opinionHealth: step('opinionHealth', t('一事一议意见（区卫生健康委）', 'Deliberation opinion (health)'), 'department_officer', 'department', 'opinion', '区卫生健康委'),
    opinionCivilAffairs: step('opinionCivilAffairs', t('一事一议意见（区民政局）', 'Deliberation opinion (civil affairs)'), 'department_officer', 'department', 'opinion', '区民政局'),
    decision: step('decision', t('一事一议决定', 'Deliberation decision'), 'district_supervisor', 'district', 'decision', '区乡村振兴局'),
    disburseSocialAssistance: step('disburseSocialAssistance', t('救助发放（社会救助）', 'Disbursement (social assistance)'), 'department_officer', 'department', 'disbursement', '区民政局'),
    disburseSocialDonation: step('disburseSocialDonation', t('救助发放（社会捐赠）', 'Disbursement (social donation)'), 'department_officer', 'department', 'disbursement', '区民政局'),
    disburseMedicalMutualAid: step('disburseMedicalMutualAid', t('救助发放（医疗互助）', 'Disbursement (medical mutual aid)'), 'department_officer', 'department', 'disbursement', '区医保局'),
  },
  signals: {
    settlement: { definition: defineSignal<[SignalEnvelope<SettlementEntry>]>('medicalSettlement'), title: t('医保结算信息', 'Medical insurance settlement') },
  },
} as const;

export type IllnessReliefStepKey = keyof typeof ILLNESS_RELIEF.steps;

/** The three opinions of the deliberation, in the order they open. */
export const OPINION_STEPS = ['opinionMedicalInsurance', 'opinionHealth', 'opinionCivilAffairs'] as const satisfies readonly IllnessReliefStepKey[];

/**
 * Which department disburses each channel: social assistance is 区民政局's own (临时救助); charity
 * donations are linked to government assistance by 区民政局 too (it registers and supervises the
 * charities, 政府救助与慈善帮扶衔接); medical mutual aid is a layer of the multi-tier medical security
 * system that 区医保局 coordinates.
 */
export const DISBURSEMENT_STEPS: Record<ReliefChannel, IllnessReliefStepKey> = {
  social_assistance: 'disburseSocialAssistance',
  social_donation: 'disburseSocialDonation',
  medical_mutual_aid: 'disburseMedicalMutualAid',
};

export const ILLNESS_RELIEF_DUE_KEYS = ['expenseVerification', 'medicalAssistance', 'impactAssessment', 'opinion', 'decision', 'disbursement'] as const;
export type IllnessReliefDueKey = (typeof ILLNESS_RELIEF_DUE_KEYS)[number];

/** The department that reports large medical costs to monitoring (部门筛查预警). */
export const ALERTING_DEPARTMENT: Department = '区医保局';

// ---------- ids ----------

/** The household's n-th case of the year (n = 1: the year's first, the id every case had before). */
export const illnessReliefId = (householdId: string, year: number, n = 1): string => processIdOf(TYPE, householdId, n > 1 ? `${year}-${n}` : year);
/** The year and number of a case id built by illnessReliefId. */
export function reliefCaseOf(processId: string): { year: number; n: number } {
  const [year, n] = (processId.split(':').pop() ?? '').split('-').map(Number);
  return { year, n: n || 1 };
}
/**
 * The subject the one-open-case guard holds: the household (one open case per household). Cases
 * started before held it per household and year (`<household>:<year>`, their input has no `subject`).
 */
export const illnessReliefSubject = (householdId: string, year?: number): string => (year === undefined ? householdId : `${householdId}:${year}`);

// ---------- policy ----------

export interface ReliefThresholdPolicy {
  /** Yearly out-of-pocket above this many yuan starts a case. */
  fixedAmount: number;
  /** Or above this share of the household's yearly income (when the income is known). */
  incomeShare?: number;
  /** `lower`: whichever limit is lower applies (passing either starts a case); `higher`: both must be passed. */
  combine: 'lower' | 'higher';
}

export interface IllnessReliefPolicy {
  threshold: ReliefThresholdPolicy;
  steps: Record<IllnessReliefDueKey, DueRule>;
}

/** Where the household's yearly income came from (the register has no income field). */
export interface HouseholdIncome {
  /** Yearly income in yuan: per-capita income × members, as the last home verification recorded them. */
  yearly: number;
  perCapitaIncome: number;
  memberCount: number;
  verifiedOn?: string;
  /** The identification case whose home verification recorded it. */
  processId: string;
}

/** The threshold that applied to a household, with how it was reached (snapshotted into the case). */
export interface ReliefThreshold {
  amount: number;
  basis: 'fixed' | 'income';
  fixedAmount: number;
  incomeShare?: number;
  combine: 'lower' | 'higher';
  income?: HouseholdIncome;
}

/** The threshold for a household: the fixed sum, or the share of its income combined as the policy says. */
export function reliefThreshold(policy: ReliefThresholdPolicy, income?: HouseholdIncome): ReliefThreshold {
  const base = { fixedAmount: policy.fixedAmount, incomeShare: policy.incomeShare, combine: policy.combine };
  if (policy.incomeShare === undefined || !income) return { ...base, amount: policy.fixedAmount, basis: 'fixed' };
  const share = Math.round(income.yearly * policy.incomeShare * 100) / 100;
  const useShare = policy.combine === 'lower' ? share < policy.fixedAmount : share > policy.fixedAmount;
  return { ...base, income, amount: useShare ? share : policy.fixedAmount, basis: useShare ? 'income' : 'fixed' };
}

// ---------- settlements ----------

/** What the medical insurance settlement system reports for one settlement (amounts in yuan, 2 decimals). */
export interface MedicalSettlementPayload {
  /** The settlement system's own id of the settlement (结算流水号); duplicates never count twice. */
  eventId?: string;
  householdId: string;
  patient: { name: string; relation: string };
  disease: string;
  settlementDate: string; // YYYY-MM-DD
  totalCost: number;
  paidByBasicInsurance: number;
  paidByCriticalIllnessInsurance: number;
  paidByMedicalAssistance: number;
  outOfPocket: number;
  /** A re-settlement (e.g. after medical assistance was applied) names the settlement it replaces. */
  replacesEventId?: string;
}

/** A settlement as a case holds it. */
export interface SettlementEntry extends Omit<MedicalSettlementPayload, 'householdId' | 'eventId' | 'replacesEventId'> {
  /** Deduplication key: `e:<eventId>` from the settlement system, else `k:<caller>:<Idempotency-Key>`. */
  eventKey: string;
  eventId?: string;
  replacesEventKey?: string;
  source: 'integration' | 'application' | 'adjustment';
  receivedAt: string;
  /** Set when a later re-settlement replaced it (it no longer counts). */
  supersededBy?: string;
}

export const settlementEventKey = (o: { eventId?: string; actorId: string; idempotencyKey?: string }): string =>
  o.eventId ? `e:${o.eventId}` : `k:${o.actorId}:${o.idempotencyKey}`;

/** The amounts that must add up: total = basic + critical illness + assistance + out-of-pocket. */
export const SETTLEMENT_AMOUNTS = ['totalCost', 'paidByBasicInsurance', 'paidByCriticalIllnessInsurance', 'paidByMedicalAssistance', 'outOfPocket'] as const;

// ---------- start and input ----------

/** A case handler's application (依申请): the household and the expenses it declares. */
export interface IllnessReliefApplication extends Omit<MedicalSettlementPayload, 'eventId' | 'replacesEventId'> {
  description: string;
}

export type ReliefGroup = 'out_of_poverty' | 'monitored';

export interface IllnessReliefInput {
  processId: string;
  year: number;
  household: Place & { id: string; headName: string; status: HouseholdStatus; monitoringStatus: MonitoringStatus };
  /** Why the household qualifies (脱贫户 or 监测户) when the case started. */
  groups: ReliefGroup[];
  threshold: ReliefThreshold;
  /** The year's settlements known when the case started (the one that started it arrives as the signal too). */
  settlements: SettlementEntry[];
  application?: { description: string };
  /** The one-open-case guard's subject (absent in cases started per household and year). */
  subject?: string;
  startedBy: { id: string; name: string };
  policy: IllnessReliefPolicy;
  policyVersion: string;
}

// ---------- forms ----------

export interface ExpenseVerificationForm {
  decision: 'confirm' | 'sendBack';
  basicInsuranceApplied: boolean;
  criticalIllnessInsuranceApplied: boolean;
  medicalAssistanceApplied: boolean;
  /** 核实的个人自付金额 (compliant out-of-pocket), required to confirm. */
  verifiedOutOfPocket?: number;
  reasons?: string;
}

export interface MedicalAssistanceAppliedForm {
  amount: number;
  reference: string;
  appliedOn: string;
  remarks?: string;
}

export interface ImpactAssessmentForm {
  decision: 'proceed' | 'notNeeded';
  visitedOn: string;
  findings: string;
  reasons?: string;
}

export interface OpinionForm {
  recommendation: 'support' | 'notSupport';
  suggestedAmount?: number;
  opinion: string;
}

export interface DecisionForm {
  decision: 'grant' | 'refuse';
  heldOn: string;
  channels?: { channel: ReliefChannel; amount: number }[];
  reasons: string;
}

export interface DisbursementForm {
  amount: number;
  voucherNumber: string;
  paidOn: string;
  remarks?: string;
}

// ---------- follow-up ----------

/**
 * The measure a monitored household's 一户一策 plan gains (P2's `addMeasure` signal, envelope eventId
 * `<processId>:measure`, so a retried activity adds it once).
 */
export type PlanMeasureProposal = MeasureInput & { category: 'medical_assistance' };

export type FollowUp =
  | { action: 'identificationStarted' | 'identificationJoined'; identificationId: string }
  | { action: 'planMeasureAdded'; helperProcessId: string; measure: PlanMeasureProposal }
  | { action: 'planMeasurePending'; reason: string; measure: PlanMeasureProposal }
  | { action: 'identificationNotStarted'; reason: string };

/** P3's own part of the case state. */
export interface IllnessReliefData {
  headName: string;
  year: number;
  groups: ReliefGroup[];
  threshold: ReliefThreshold;
  application?: { description: string };
  settlements: SettlementEntry[];
  /** Sums of the settlements that count (not superseded), in yuan. */
  totals: { totalCost: number; paidByBasicInsurance: number; paidByCriticalIllnessInsurance: number; paidByMedicalAssistance: number; outOfPocket: number };
  sendBacks: { at: string; reasons: string }[];
  verification?: { verifiedOutOfPocket: number; at: string; by: string };
  assessment?: ImpactAssessmentForm & { by: string };
  opinions: Partial<Record<Department, OpinionForm & { by: string }>>;
  decision?: DecisionForm & { total: number };
  disbursements: (DisbursementForm & { channel: ReliefChannel; by: string })[];
  followUp?: FollowUp;
}
