/**
 * P1 监测对象认定 — monitoring identification (plan items 16, 43–47): decide whether a household at risk
 * becomes a 监测户 (household under monitoring), through the shared review procedure, within 15 days.
 */
import { defineSignal } from '@temporalio/workflow';
import { t } from '../../contracts/i18n';
import { objectionSignal, reviewSteps, type ReviewPolicy } from '../../contracts/review';
import type { SignalEnvelope } from '../../contracts/steps';
import type { DiscoveryChannel, MonitoringCategory, RiskType } from '../../contracts/vocabulary';
import type { DueRule } from '../../contracts/due';
import type { Place } from '../../contracts/roles';

export const IDENTIFICATION = {
  type: 'identification',
  workflowType: 'identification',
  title: t('监测对象认定', 'Monitoring identification'),
  description: t(
    '入户核实、民主评议、公示、乡镇审核、区级审定，认定为监测户（15日内办结）',
    'Verify, review, post a public notice, town review and district approval to include a household in monitoring (within 15 days)',
  ),
  steps: reviewSteps('identification'),
  signals: {
    objection: { definition: objectionSignal, title: t('公示异议', 'Objection to the notice') },
    /** A further alert for a household already being identified joins its case (also sent by illness relief). */
    departmentAlert: { definition: defineSignal<[SignalEnvelope<DepartmentAlertPayload>]>('departmentAlert'), title: t('部门预警', 'Department alert') },
  },
} as const;

export interface IdentificationPolicy extends ReviewPolicy {
  /** The overall limit from start to decision (item 45: 15 days). */
  overallLimit: DueRule;
}

/** What a case handler or a department alert supplies to open an identification. */
export interface IdentificationRequest {
  householdId: string;
  channel: DiscoveryChannel;
  category: MonitoringCategory;
  riskTypes: RiskType[];
  description: string;
  /** For department alerts: which department and its own reference. */
  alert?: { department: string; reference?: string };
}

/** The workflow's input: the request plus what the API resolved and the policy snapshot. */
export interface IdentificationInput {
  processId: string;
  request: IdentificationRequest;
  household: Place & { id: string; headName: string };
  startedBy: { id: string; name: string };
  policy: IdentificationPolicy;
  policyVersion: string;
}

export interface DepartmentAlertPayload {
  department: string;
  reference?: string;
  riskTypes?: RiskType[];
  description: string;
}

/** P1's own part of the case state. */
export interface IdentificationData {
  request: IdentificationRequest;
  headName: string;
  objections: { id: string; at: string; raisedBy: string; content: string; status: 'new' | 'reviewing' | 'upheld' | 'dismissed'; reasons?: string }[];
  alerts: (DepartmentAlertPayload & { at: string })[];
  rounds: number;
  /** Set on approval: the household became a 监测户 from this date. */
  includedOn?: string;
  /** The P2 follow-up case started on approval. */
  followUpId?: string;
}
