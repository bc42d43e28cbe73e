/**
 * 问题整改 — the rectification of one problem a campaign visit found (plan item 49): 研判 analysis →
 * the responsible department's 整改 fix → the town's 复核 re-check → 销号 close-out; a rejected
 * re-check (a false or perfunctory fix) reopens the fix and is counted against the department.
 * Started by the campaign's visit cases only; its deadlines are in the policy's `campaign` section.
 */
import { t } from '../../contracts/i18n';
import type { StepDefinition } from '../../contracts/steps';
import type { CampaignHousehold, CampaignPolicy, ChecklistItem, Person, ProblemCategory } from '../campaign/contract';

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
  item: ChecklistItem;
  note: string;
  foundBy: Person;
  visitId: string;
  rectifyEndsOn: string;
  policy: CampaignPolicy;
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
}

export const rectificationId = (year: number, householdId: string, item: ChecklistItem) => `${RECTIFICATION.type}:${year}:${householdId}:${item}`;
