/**
 * The review sub-procedure the policy repeats (plan items 44–46): 入户核实 home verification →
 * 村级民主评议 village democratic review → 村内公示 public notice (objections may arrive) →
 * 乡镇审核 town review → 区级审定 district approval. Identification (P1) and risk elimination (P2)
 * both run it; this file is its one contract.
 */
import { defineSignal } from '@temporalio/workflow';
import { t } from './i18n';
import type { Guarantee } from './vocabulary';
import type { SignalEnvelope, StepDefinition } from './steps';
import type { DueRule } from './due';

export const REVIEW_STEP_KEYS = [
  'homeVerification',
  'villageReview',
  'publicNotice',
  'objectionReview',
  'townReview',
  'districtApproval',
] as const;
export type ReviewStepKey = (typeof REVIEW_STEP_KEYS)[number];

/** The procedure's steps; `policyRoot` is where the owning process keeps their due rules in the policy file. */
export function reviewSteps(policyRoot: string): Record<ReviewStepKey, StepDefinition> {
  return {
    homeVerification: {
      key: 'homeVerification',
      title: t('入户核实', 'Home verification'),
      role: 'village_cadre',
      scope: 'village',
      duePolicyKey: `${policyRoot}.steps.homeVerification`,
    },
    villageReview: {
      key: 'villageReview',
      title: t('村级民主评议', 'Village democratic review'),
      role: 'village_cadre',
      scope: 'village',
      duePolicyKey: `${policyRoot}.steps.villageReview`,
    },
    publicNotice: {
      key: 'publicNotice',
      title: t('村内公示', 'Public notice in the village'),
      role: 'village_cadre',
      scope: 'village',
      duePolicyKey: `${policyRoot}.steps.publicNotice`,
    },
    objectionReview: {
      key: 'objectionReview',
      title: t('异议处理', 'Objection review'),
      role: 'town_officer',
      scope: 'town',
      duePolicyKey: `${policyRoot}.steps.objectionReview`,
    },
    townReview: {
      key: 'townReview',
      title: t('乡镇审核', 'Town review'),
      role: 'town_officer',
      scope: 'town',
      duePolicyKey: `${policyRoot}.steps.townReview`,
    },
    districtApproval: {
      key: 'districtApproval',
      title: t('区级审定', 'District approval'),
      role: 'district_supervisor',
      scope: 'district',
      department: '区乡村振兴局',
      duePolicyKey: `${policyRoot}.steps.districtApproval`,
    },
  };
}

/** The procedure's policy values, snapshotted into each case at its start. */
export interface ReviewPolicy {
  steps: Record<ReviewStepKey, DueRule>;
  /** ISO 8601 duration the notice must stay up at least (item 45: 5 days). */
  noticeMinimum: string;
  /**
   * At most this many days before the approval day may the district's decision take effect
   * (`districtApproval.effectiveOn`); absent in cases started before it existed: DEFAULT_BACKDATE_DAYS.
   */
  backdateDays?: number;
}

/** The effective date may lie this many days before the approval day when the policy does not say. */
export const DEFAULT_BACKDATE_DAYS = 3;

// ---- Forms (their JSON Schemas are in schemas/review.ts) ----

export type GuaranteeStatus = 'secure' | 'at_risk';

export interface HomeVerificationForm {
  verifiedOn: string; // YYYY-MM-DD
  /** The second village cadre who verified together with the submitter (两人入户). */
  coVerifierId: string;
  memberCount: number;
  /** 人均纯收入, yuan per year. */
  perCapitaIncome: number;
  guarantees: Record<Guarantee, GuaranteeStatus>;
  findings: string;
  /** Filled by the API from the user register: the co-verifier as an actor. */
  coVerifier?: { id: string; name: string; roles: string[]; town?: string; village?: string };
}

export interface VillageReviewForm {
  heldOn: string;
  participants: number;
  result: 'pass' | 'fail';
  minutes: string;
}

export interface PublicNoticeForm {
  postedOn: string;
  endedOn: string;
  location: string;
  /** Uploaded photos of the posted notice (file ids). */
  photos?: string[];
  remarks?: string;
}

export interface ObjectionReviewForm {
  decision: 'uphold' | 'dismiss';
  reasons: string;
}

export interface TownReviewForm {
  decision: 'approve' | 'return' | 'reject';
  reasons?: string;
}

export interface DistrictApprovalForm {
  decision: 'approve' | 'reject';
  reasons?: string;
  /** Date the inclusion/elimination takes effect (defaults to the approval day). */
  effectiveOn?: string;
}

/** An objection (异议) raised while the notice is up. */
export interface ObjectionPayload {
  raisedBy: string;
  content: string;
  contact?: string;
}

/** The objection signal: both processes that post a notice take objections under this one name. */
export const objectionSignal = defineSignal<[SignalEnvelope<ObjectionPayload>]>('objection');
