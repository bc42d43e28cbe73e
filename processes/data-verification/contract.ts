/**
 * 部门数据比对核实 — verifying a department's warning (plan items 16, 43, 47). A department's batch
 * (server/data-exchange) is matched against the register; each matched record that sets off a rule
 * becomes a warning, and the batch's workflow opens one verification case per warning for the
 * household's village cadres, due by policy. Confirmed, the warning starts or joins the household's
 * identification as a department alert (channel `department_alert`); dismissed, it needs reasons. The
 * outcome goes back to the department with the record.
 */
import { t } from '../../contracts/i18n';
import type { DueRule } from '../../contracts/due';
import type { Place } from '../../contracts/roles';
import type { StepDefinition } from '../../contracts/steps';
import type { RiskType } from '../../contracts/vocabulary';

export const DATA_VERIFICATION = {
  type: 'dataVerification',
  workflowType: 'dataVerification',
  /** One per batch: follows every warning of the batch up, in chunks (processes/data-verification/workflows.ts). */
  batchWorkflowType: 'dataExchangeBatch',
  title: t('部门数据比对核实', 'Verification of a department data warning'),
  description: t('部门共享数据与农户台账比对发现的风险预警，由村干部核实：属实的转入监测对象认定，不属实的说明理由', 'A warning from comparing a department\'s data with the register, verified by the village cadres: confirmed warnings go to identification, dismissed ones need reasons'),
  steps: {
    dataVerification: {
      key: 'dataVerification',
      title: t('比对预警核实', 'Verify the warning'),
      role: 'village_cadre',
      scope: 'village',
      duePolicyKey: 'dataExchange.verification',
    },
  } satisfies Record<string, StepDefinition>,
} as const;

/** Policy section `dataExchange`. */
export interface DataExchangePolicy {
  /** 监测标准: the yearly per-capita income line (元/人·年) by year, e.g. { "2026": 7500 }. */
  monitoringLine: Record<string, number>;
  /** When a warning's verification is due. */
  verification: DueRule;
}

/** A rule that went off on a record: which, the risk type it suggests, and what the department reported. */
export interface FiredRule {
  rule: string;
  riskType: RiskType;
  text: string;
}

export interface VerificationForm {
  decision: 'confirm' | 'dismiss';
  /** What the cadres found (required when dismissing: the reasons the department reads). */
  reasons?: string;
}

export interface DataVerificationInput {
  processId: string;
  batchId: string;
  seq: number;
  department: string;
  household: Place & { id: string; headName: string };
  /** The record's name (the member the department reported) and the rules it set off. */
  personName: string;
  rules: FiredRule[];
  due: DueRule;
}

export interface DataExchangeBatchInput {
  batchId: string;
  department: string;
  /** Records in the batch (sequence numbers 1 … total). */
  total: number;
  due: DueRule;
  /** Where the previous run stopped (continue-as-new). */
  from?: number;
  taskQueue?: string;
}

/** A verification the batch opens: the case's id and its input (from the activity that followed the chunk up). */
export interface VerificationToOpen {
  processId: string;
  input: Omit<DataVerificationInput, 'due' | 'processId'>;
}

/** The verification case of a record: fixed by the batch and the record, so a redelivered chunk opens it once. */
export const verificationId = (householdId: string, batchId: string, seq: number) => `${DATA_VERIFICATION.type}:${householdId}:${batchId}-${seq}`;
