/**
 * P5 大走访、大排查、大整改 — the annual visit-inspect-rectify campaign (plan items 17, 48–51).
 * One campaign per year (`campaign:<year>`) fans out: a town case per town (the town forms teams of
 * two, item 51), a village workflow per village, a visit case per household (the checklist), and a
 * rectification case per problem found (研判 → 整改 → 复核 → 销号; a rejected re-check, item 49,
 * reopens the fix and is counted against the department). No workflow's history grows with the
 * district's size: each level holds only its own children.
 */
import { defineSignal } from '@temporalio/workflow';
import { t, type Text } from '../../contracts/i18n';
import type { SignalEnvelope, StepDefinition } from '../../contracts/steps';
import type { DueRule } from '../../contracts/due';
import type { Department } from '../../contracts/roles';

export const CAMPAIGN = {
  type: 'campaign',
  workflowType: 'campaign',
  /** Internal workflow types (their cases project as type `campaign`, so their steps are the catalogue's). */
  townWorkflowType: 'campaignTown',
  villageWorkflowType: 'campaignVillage',
  visitWorkflowType: 'campaignVisit',
  /** The yearly Temporal Schedule starts this small workflow, which starts `campaign:<year>`. */
  scheduledWorkflowType: 'campaignScheduled',
  scheduleId: 'fangfan-annual-campaign',
  title: t('大走访、大排查、大整改', 'Annual visit, inspect and rectify campaign'),
  description: t(
    '每年对所选镇的农户（政策可限定户类别）全面走访：两人一组入户，按清单排查，发现问题逐一研判、整改、复核、销号',
    'Every year the households of the chosen towns (the policy may narrow them to groups) are visited by a team of two with the checklist; every problem found is analysed, fixed, re-checked and closed',
  ),
  steps: {
    formTeams: { key: 'formTeams', title: t('组建走访小组', 'Form the visiting teams'), role: 'town_officer', scope: 'town', duePolicyKey: 'campaign.formTeams' },
    /** Scope `assignee`: the step names the team's first member; `context.team` lists both (either may complete it). */
    campaignVisit: { key: 'campaignVisit', title: t('入户走访排查', 'Household visit and inspection'), role: 'village_cadre', scope: 'assignee', duePolicyKey: 'campaign (the visit phase ends on visitEndsOn)' },
    /** 两人一组 (item 51): the team's other member confirms the visit one of them recorded. Scope `assignee`: that member alone. */
    confirmVisit: { key: 'confirmVisit', title: t('同组确认走访', 'Second team member confirms the visit'), role: 'village_cadre', scope: 'assignee', duePolicyKey: 'campaign (the visit phase ends on visitEndsOn)' },
  },
  signals: {
    reassignTeam: { definition: defineSignal<[SignalEnvelope<ReassignTeamPayload>]>('reassignTeam'), title: t('调整走访小组', 'Reassign a visiting team') },
  },
} as const satisfies { steps: Record<string, StepDefinition> } & Record<string, unknown>;

/** The visit checklist (two 不愁, three 保障, drinking water, income; item 48). */
export const CHECKLIST_ITEMS = {
  food: t('吃穿不愁', 'Food and clothing'),
  education: t('义务教育有保障（无辍学）', 'Compulsory education (no dropout)'),
  medical: t('基本医疗有保障（医保参保、家庭医生签约）', 'Medical insurance and family doctor'),
  housing: t('住房安全有保障', 'Housing safety'),
  water: t('饮水安全（水量、水质、用水方便、供水保证）', 'Drinking water: quantity, quality, convenience, supply'),
  income: t('收入与就业', 'Income and employment'),
  other: t('其他', 'Other'),
} satisfies Record<string, Text>;
export type ChecklistItem = keyof typeof CHECKLIST_ITEMS;
export const CHECKLIST_KEYS = Object.keys(CHECKLIST_ITEMS) as ChecklistItem[];

/** Problem categories (the policy maps each to its responsible department). */
export const PROBLEM_CATEGORIES = {
  food: t('吃穿', 'Food and clothing'),
  education: t('教育', 'Education'),
  medical: t('医疗', 'Medical'),
  housing: t('住房', 'Housing'),
  water: t('饮水', 'Drinking water'),
  employment: t('就业', 'Employment'),
  industry: t('产业', 'Industry'),
  other: t('其他', 'Other'),
} satisfies Record<string, Text>;
export type ProblemCategory = keyof typeof PROBLEM_CATEGORIES;
export const PROBLEM_CATEGORY_KEYS = Object.keys(PROBLEM_CATEGORIES) as ProblemCategory[];

/** The category a failed checklist item starts as (the analysis may change it). */
export const DEFAULT_CATEGORY: Record<ChecklistItem, ProblemCategory> = {
  food: 'food',
  education: 'education',
  medical: 'medical',
  housing: 'housing',
  water: 'water',
  income: 'employment',
  other: 'other',
};

/**
 * 户类别 a district may narrow the campaign to (item 51: 常态化全面查找). Without a list the campaign
 * visits every household of the chosen towns.
 */
export const CAMPAIGN_HOUSEHOLD_GROUPS = {
  out_of_poverty: t('脱贫户', 'Out-of-poverty households'),
  monitored: t('监测户', 'Monitored households'),
  eliminated: t('风险已消除户', 'Households whose risk was eliminated'),
  subsistence_allowance: t('低保户', 'Minimum living allowance households'),
  extremely_poor: t('特困人员', 'Persons in extreme poverty'),
  near_subsistence: t('低保边缘家庭', 'Families on the margin of the allowance'),
} satisfies Record<string, Text>;
export type CampaignHouseholdGroup = keyof typeof CAMPAIGN_HOUSEHOLD_GROUPS;
export const CAMPAIGN_HOUSEHOLD_GROUP_KEYS = Object.keys(CAMPAIGN_HOUSEHOLD_GROUPS) as CampaignHouseholdGroup[];
/** The scope of campaigns started before the policy named one (their snapshot has no `householdGroups`). */
export const LEGACY_CAMPAIGN_GROUPS: CampaignHouseholdGroup[] = ['out_of_poverty', 'monitored'];

/** The `campaign` section of the policy file. */
export interface CampaignPolicy {
  formTeams: DueRule;
  analysis: DueRule;
  recheck: DueRule;
  /** Category → responsible department (item 50). */
  departments: Record<ProblemCategory, Department>;
  /** How often a housing problem handed to P4 looks whether P4 has closed. */
  housingPollHours: number;
  /**
   * The households visited: those in any of these groups, or 'all' (every household of the chosen
   * towns, the default). Absent only in snapshots taken before the field (脱贫户 and 监测户 then).
   */
  householdGroups?: CampaignHouseholdGroup[] | 'all';
  /**
   * At most this many visit cases under one workflow (default 100): a larger village opens its visits
   * through parts of this size, so that no workflow's history grows with a village's size.
   */
  visitsPerRun?: number;
  /** The yearly start by a Temporal Schedule (Asia/Shanghai), over every town; absent: started by hand only. */
  schedule?: CampaignSchedulePolicy;
}

export interface CampaignSchedulePolicy {
  month: number;
  dayOfMonth: number;
  hour: number;
  /** The visit phase ends this many days after the start, the rectification phase that many. */
  visitDays: number;
  rectifyDays: number;
}

export interface CampaignScheduledInput {
  policy: CampaignPolicy;
  policyVersion: string;
  taskQueue?: string;
}

export interface CampaignRequest {
  year: number;
  towns: string[];
  visitEndsOn: string;
  rectifyEndsOn: string;
}

export interface Person {
  id: string;
  name: string;
}
/** A visiting team: exactly two distinct active users of the town (item 51). */
export type Team = [Person, Person];

export interface CampaignInput {
  processId: string;
  request: CampaignRequest;
  startedBy: Person;
  policy: CampaignPolicy;
  policyVersion: string;
  taskQueue?: string;
}

export interface CampaignTownScope {
  town: string;
  villages: { village: string; households: number }[];
  /** Active users of the town at start (team members are drawn from them). */
  users: Person[];
}

export interface CampaignTownInput {
  processId: string;
  campaignId: string;
  year: number;
  scope: CampaignTownScope;
  visitEndsOn: string;
  rectifyEndsOn: string;
  policy: CampaignPolicy;
  taskQueue?: string;
}

export interface CampaignVillageInput {
  processId: string;
  year: number;
  town: string;
  village: string;
  team: Team;
  /** Households assigned to another team than the village's. */
  overrides: Record<string, Team>;
  visitEndsOn: string;
  rectifyEndsOn: string;
  policy: CampaignPolicy;
  taskQueue?: string;
}

/** A part of a large village's visits (see workflows/campaign-village.ts): its own households. */
export interface CampaignVillagePartInput extends CampaignVillageInput {
  households: CampaignHousehold[];
}

export interface CampaignHousehold {
  id: string;
  headName: string;
  town: string;
  village: string;
  /** The household's students (members flagged `student`), by name only: the visit asks about each. */
  students?: CampaignStudent[];
}

/** A student of a visited household, as the visit names them (never their ID number). */
export interface CampaignStudent {
  name: string;
}

export interface CampaignVisitInput {
  processId: string;
  year: number;
  household: CampaignHousehold;
  team: Team;
  visitEndsOn: string;
  rectifyEndsOn: string;
  policy: CampaignPolicy;
  taskQueue?: string;
}

// ---- forms ----

export interface TeamAssignment {
  members: string[];
  villages?: string[];
  households?: string[];
}
export interface FormTeamsForm {
  teams: TeamAssignment[];
}
export interface ReassignTeamPayload {
  village: string;
  householdId?: string;
  members: string[];
  reason: string;
}
export interface ChecklistEntry {
  result: 'pass' | 'fail';
  note?: string;
}
/** 在校情况 of a student (a dropout is an education problem). */
export const SCHOOLING = {
  in_school: t('正常在校', 'In school'),
  dropped_out: t('辍学', 'Dropped out'),
  suspended: t('休学', 'Suspended'),
} satisfies Record<string, Text>;
export type Schooling = keyof typeof SCHOOLING;
export const YES_NO = { yes: t('是', 'Yes'), no: t('否', 'No') } satisfies Record<string, Text>;
/** The visit's answer about one student of the household (named as the step's context lists them). */
export interface StudentAnswer {
  name: string;
  schooling: Schooling;
  /** 享受教育资助 */
  educationAid: keyof typeof YES_NO;
  note?: string;
}
export interface CampaignVisitForm {
  visitedOn: string;
  items: Record<ChecklistItem, ChecklistEntry>;
  /** One answer per student the step's context lists (households without students: absent). */
  students?: StudentAnswer[];
  notes?: string;
}
/** The second team member's word on the visit recorded (两人一组, item 51). */
export interface ConfirmVisitForm {
  decision: 'confirm' | 'dispute';
  /** Required when disputed: what is not as recorded. */
  note?: string;
}
/** The internal message a town sends down to its villages and visits when a team changes. */
export interface TeamChanged {
  householdId?: string;
  team: Team;
  reason: string;
  by: Person;
}
export const teamChangedSignal = defineSignal<[TeamChanged]>('campaignTeamChanged');

export const campaignId = (year: number) => `${CAMPAIGN.type}:${year}`;
export const townCaseId = (year: number, town: string) => `${CAMPAIGN.type}:${year}:${town}`;
export const villageRunId = (year: number, town: string, village: string) => `${CAMPAIGN.type}:${year}:${town}:${village}`;
export const villagePartId = (year: number, town: string, village: string, part: number) => `${villageRunId(year, town, village)}:${part}`;
export const visitCaseId = (year: number, householdId: string) => `${CAMPAIGN.visitWorkflowType}:${year}:${householdId}`;

/** The Asia/Shanghai date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from one Asia/Shanghai date to another (0 when `to` is not later). */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}
