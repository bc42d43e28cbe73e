/**
 * 问题整改 — the rectification of one problem (plan item 49: “统筹考核评估、督查、审计、巡视等发现问题，
 * 一体整改落实”): 研判 analysis → the responsible department's 整改 fix → the town's 复核 re-check → 销号
 * close-out; a rejected re-check (a false or perfunctory fix) reopens the fix, is counted against the
 * department and records who is held accountable (问责). Started by a campaign visit's failed checklist
 * item, or by a district supervisor for a finding of an assessment, inspection, audit or inspection
 * tour (that names the responsible department). Its deadlines are in the policy's `campaign` section.
 */
import { t } from '../../contracts/i18n';
import type { StepDefinition } from '../../contracts/steps';
import type { Text } from '../../contracts/i18n';
import type { Department } from '../../contracts/roles';
import type { CampaignHousehold, CampaignPolicy, ChecklistItem, Person, ProblemCategory } from '../campaign/contract';

/** Where a problem was found (item 49). A visit's problems are `campaign_visit`; the others a supervisor opens. */
export const RECTIFICATION_SOURCES = {
  campaign_visit: t('大走访、大排查', 'The annual campaign\'s visit'),
  assessment: t('考核评估', 'Assessment and evaluation'),
  supervision: t('督查', 'Supervision'),
  audit: t('审计', 'Audit'),
  inspection_tour: t('巡视巡察', 'Inspection tour'),
} satisfies Record<string, Text>;
export type RectificationSource = keyof typeof RECTIFICATION_SOURCES;
/** The sources a supervisor opens a rectification for. */
export const DIRECT_SOURCES = {
  assessment: RECTIFICATION_SOURCES.assessment,
  supervision: RECTIFICATION_SOURCES.supervision,
  audit: RECTIFICATION_SOURCES.audit,
  inspection_tour: RECTIFICATION_SOURCES.inspection_tour,
};
export type DirectSource = keyof typeof DIRECT_SOURCES;

export const RECTIFICATION = {
  type: 'rectification',
  workflowType: 'rectification',
  title: t('问题整改', 'Rectification of a problem'),
  description: t('研判、责任部门整改、镇级复核、销号；虚假整改、敷衍整改退回重改并计入部门', 'Analysis, the responsible department\'s fix, the town\'s re-check and close-out; a false or perfunctory fix is reopened and counted'),
  steps: {
    analysis: { key: 'analysis', title: t('问题研判', 'Analysis'), role: 'town_officer', scope: 'town', duePolicyKey: 'campaign.analysis' },
    /** The department is the category's (policy `campaign.departments`), set on the instance. */
    fix: { key: 'fix', title: t('整改', 'Fix'), role: 'department_officer', scope: 'department', duePolicyKey: 'campaign (deadline set by the analysis)' },
    recheck: { key: 'recheck', title: t('整改复核', 'Re-check'), role: 'town_officer', scope: 'town', duePolicyKey: 'campaign.recheck' },
  },
} as const satisfies { steps: Record<string, StepDefinition> } & Record<string, unknown>;

export interface RectificationInput {
  processId: string;
  year: number;
  household: CampaignHousehold;
  /** The failed checklist item (a visit's problem); absent for a finding a supervisor opened. */
  item?: ChecklistItem;
  /** What was found: the visit's note, or the finding. */
  note: string;
  foundBy: Person;
  visitId?: string;
  rectifyEndsOn?: string;
  /** A finding a supervisor opened (absent: a campaign visit's problem). */
  finding?: { source: DirectSource; reference: string; department: Department; category: ProblemCategory };
  policy: CampaignPolicy;
  /** Set when the API starts it (a visit's problem shares its campaign's). */
  policyVersion?: string;
}

/** What a supervisor sends to open a rectification (`POST /api/processes`, type `rectification`). */
export interface DirectRectificationRequest {
  householdId: string;
  source: DirectSource;
  /** The report's number or the finding's reference (文号、问题编号). */
  reference: string;
  finding: string;
  department: Department;
  category?: ProblemCategory;
}

/** 问责: who is held accountable for a false or perfunctory fix, the measure, and when it was decided. */
export interface Accountability {
  who: string;
  measure: string;
  decidedOn: string;
}

export interface AnalysisForm {
  category: ProblemCategory;
  measure: string;
  deadline: string;
  /** Housing only: hand the house to P4 农村危房改造. */
  houseRebuild?: boolean;
  onlyHouse?: boolean;
}
export interface FixForm {
  fixedOn: string;
  measureTaken: string;
  /** Uploaded photos or documents (file ids; typed references before issue 22). */
  evidence: string[];
}
export interface RecheckForm {
  decision: 'pass' | 'reject';
  checkedOn: string;
  reason?: string;
  /** Required with a rejection (item 49: 对虚假整改、敷衍整改、整改不力的严肃问责). */
  accountability?: Accountability;
}

export const rectificationId = (year: number, householdId: string, item: ChecklistItem) => `${RECTIFICATION.type}:${year}:${householdId}:${item}`;
