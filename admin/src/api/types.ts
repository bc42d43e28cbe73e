/** Shapes of the API's answers (see docs/api.md and server/routes). */
import type { RJSFSchema } from '@rjsf/utils';
import type { Text } from '../../../contracts/i18n';
import type { Role } from '../../../contracts/roles';
import type { PolicyChange, VersionSummary } from '../../../contracts/policy-versions';
import type { CaseState, StepScope } from '../../../contracts/steps';

export interface CatalogueStepInfo {
  key: string;
  title: Text;
  role: Role;
  scope: StepScope;
  department?: string;
  due?: { rule: unknown; text: Text };
  form: RJSFSchema;
}

export interface CatalogueSignalInfo {
  name: string;
  title: Text;
  roles: Role[];
  stages?: string[];
  schema: RJSFSchema;
}

/** One entry of `GET /api/process-types?lang=…` (schemas already in the requested language). */
export interface ProcessTypeInfo {
  type: string;
  title: Text;
  description: Text;
  startRoles: Role[];
  startSchema: RJSFSchema;
  steps: CatalogueStepInfo[];
  signals: CatalogueSignalInfo[];
}

export interface OpenStep {
  id: string;
  key: string;
  title: Text;
  role: Role;
  scope: StepScope;
  department?: string;
  assignee?: { id: string; name: string };
  openedAt: string;
  dueAt: string;
  dueDate: string;
  provisional: boolean;
  overdue: boolean;
  mayComplete: boolean;
  context?: Record<string, unknown>;
}

export type ProcessStatus = 'running' | 'completed' | 'rejected' | 'cancelled' | 'failed';

export interface ProcessRecord {
  id: string;
  /** The case number people read out (`认定-2026-0012`); absent until the read model has seen the case. */
  caseNo?: string;
  runId?: string;
  type: string;
  status: ProcessStatus;
  stage: string;
  subject: string;
  householdId?: string;
  title?: string;
  town: string;
  village: string;
  startedAt: string;
  closedAt?: string;
  dueAt?: string;
  dueDate?: string;
  provisional?: boolean;
  overdue: boolean;
  outcome?: string;
  outcomeReasons?: string;
}

export interface ProcessDetail extends ProcessRecord {
  state: CaseState | null;
  openSteps: OpenStep[];
  /** The policy version the case runs under, `v<n>#<digest>`. */
  policyVersion?: string;
  temporalUiUrl?: string;
}

/** A document a case offers to print (`GET /api/processes/:id/documents`). */
export interface DocumentOffer {
  kind: string;
  title: string;
  /** A list printed per village. */
  village?: string;
}

export interface HistoryEntry {
  at: string;
  kind: string;
  actor?: { id: string; name: string };
  step?: string;
  signal?: string;
  summary: string;
  /** For a step: the uploaded files its form used, with the SHA-256 the case recorded. */
  files?: { field: string; id: string; sha256: string; takenAt?: string; flags?: EvidenceFlag[] }[];
}

/** What the reviewer is told about a photo (the policy's evidence limits); never a refusal. */
export type EvidenceFlag = { rule: 'takenBeforeStep'; takenAt: string; days: number } | { rule: 'farFromVillage'; km: number };

/** An uploaded evidence file (`POST /api/files`). */
export interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  thumbnail?: string;
  takenAt?: string;
  location?: { latitude: number; longitude: number };
}

export interface StepRecord {
  id: string;
  processId: string;
  caseNo?: string;
  processType: string;
  stepKey: string;
  stepId: string;
  title: Text;
  role: Role;
  department?: string;
  assignee?: string;
  town: string;
  village: string;
  householdId?: string;
  /** The household head's name (户主), when the case concerns a household. */
  headName?: string;
  processTitle: Text;
  openedAt: string;
  dueAt: string;
  dueDate: string;
  provisional: boolean;
  overdue: boolean;
  overdueDays: number;
  /** Open steps only: soon from the second working day before the due date (the API's calendar). */
  dueState?: StepDueState;
  dueSoon: boolean;
  /** Working days left, when the step's deadline is counted in working days. */
  workingDaysLeft?: number;
  status: 'open' | 'done' | 'cancelled';
  completedAt?: string;
  completedBy?: string;
}

export type StepDueState = 'overdue' | 'soon' | 'later';

export type OverdueGroupBy = 'town' | 'processType' | 'role' | 'department';

/** `GET /api/steps/summary`: open, due-soon and overdue steps per group. */
export interface StepCounts {
  open: number;
  soon: number;
  overdue: number;
}
export interface StepSummary extends StepCounts {
  groupBy: OverdueGroupBy;
  groups: (StepCounts & { key: string })[];
}

export interface OverdueGroup {
  key: string;
  count: number;
  oldestDueAt: string;
  maxOverdueDays: number;
  oldestStepId?: string;
  oldestProcessId: string;
  oldestCaseNo?: string;
}

export interface OverdueSummary {
  groupBy: OverdueGroupBy;
  total: number;
  groups: OverdueGroup[];
}

/** GET /api/stats/monitoring: one group's figures (server/stats/schemas.ts). */
export type StatsGroupBy = 'town' | 'village' | 'category' | 'riskType';
export interface MonitoringStatsRow {
  key: string;
  label: string;
  town?: string;
  village?: string;
  monitored: number;
  eliminated: number;
  includedInPeriod: number;
  eliminatedInPeriod: number;
  returned: number;
  returnedInPeriod: number;
  openSteps: number;
  dueSoonSteps: number;
  overdueSteps: number;
  helpersAssigned: number;
  helpersAssignedOnTime: number;
  visitsDue: number;
  visitsDone: number;
}

export interface HouseholdRecord {
  id: string;
  headName: string;
  idNumber: string;
  idNumberMasked?: boolean;
  phone: string | null;
  town: string;
  village: string;
  memberCount: number;
  status: string;
  lowIncomeGroups: string[];
  monitoringStatus: string;
  monitoringCategory: string | null;
  riskTypes: string[];
  monitoredSince: string | null;
  monitoringProcessId: string | null;
  /** 包户干部 (server/households/contact-cadre.ts). */
  contactCadre?: { id: string; name: string; since: string | null } | null;
  createdAt?: string;
  updatedAt?: string;
  cases?: { id: string; type: string; status: ProcessStatus; stage: string; startedAt: string; closedAt: string | null; dueDate: string | null }[];
  /** Only on `GET /api/households/:id` (server/housing-history.ts). */
  housingHistory?: HousingHistory;
}

/** 住房档案: a household's house safety appraisals and renovations (P4), oldest first. */
export interface HousingHistory {
  /** unknown | safe | grade_c | grade_d */
  status: string;
  appraisals: { processId: string | null; grade: string | null; appraisedOn: string; appraiser: string | null; reportNo: string | null }[];
  renovations: {
    processId: string | null;
    year: number | null;
    grade: string | null;
    /** reinforcement (C) | rebuild (D) */
    method: string | null;
    completedOn: string;
    /** yuan */
    subsidy: number | null;
    voucherNo: string | null;
  }[];
}

export interface ImportReport {
  format: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: { row: number; reasons: string[] }[];
  createdIds: string[];
  updatedIds: string[];
  ignoredColumns: string[];
}

export interface UserRecord {
  id: string;
  name: string;
  username: string;
  roles: Role[];
  town: string | null;
  village: string | null;
  department: string | null;
  /** 职务 (contracts/posts.ts), or null. */
  post: string | null;
  active: boolean;
  /** Administrators only: the end of the lock failed logins put on the user's login, while locked. */
  lockedUntil?: string;
}

export interface VillageRecord {
  id: number;
  town: string;
  name: string;
  key: boolean;
}

/** `GET /api/api-keys`: never the secret. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  active: boolean;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  /** Only in the answer to the creation, once. */
  key?: string;
}

/** `GET /api/dead-letters`: an integration event that could not be delivered, and its replay. */
export interface DeadLetterRecord {
  id: string;
  source: string;
  sourceName: string;
  endpoint: string;
  payload: unknown;
  reason: string;
  status: number;
  attempts: number;
  receivedAt: string;
  replayedAt: string | null;
  replayedBy: string | null;
  replayResult: { ok: boolean; status: number; body: unknown } | null;
  delivered: boolean;
}

/** `GET /api/policy/versions/{id}`: a policy version, with what it changes against the version in force (the list answers the same without values and changes). */
export interface PolicyVersionRecord extends VersionSummary {
  values?: unknown;
  inForce?: { id: string; version: number } | null;
  changes?: PolicyChange[];
}

/** `GET /api/audit`: one entry of the append-only audit log (`at` in Asia/Shanghai). */
export interface AuditRecord {
  id: number;
  at: string;
  actorKind: 'user' | 'integration' | 'anonymous';
  actorId: string;
  actorName: string;
  action: string;
  processId: string | null;
  target: string | null;
  ip: string | null;
  outcome: 'ok' | 'refused' | 'error';
  detail: Record<string, unknown> | null;
}

/** `GET /api/users`. */
export interface UserRecord {
  id: string;
  name: string;
  username: string;
  roles: Role[];
  town: string | null;
  village: string | null;
  department: string | null;
  active: boolean;
}

/** A year of the working calendar (GET /api/calendar/{year}). */
export interface CalendarYear {
  year: number;
  /** false: no official notice yet, the statutory holidays only (provisional). */
  official: boolean;
  source: string;
  holidays: { date: string; name: string }[];
  makeUpWorkdays: { date: string; name: string }[];
}

/** What entering a year's schedule did (PUT /api/calendar/{year}). */
export interface CalendarYearEntered {
  year: number;
  holidays: number;
  makeUpWorkdays: number;
  /** Open cases recomputing their provisional deadlines. */
  recomputed: number;
}

/** A town's figures of the year's campaign (GET /api/campaigns/{year}/progress). */
export interface CampaignCounts {
  households: number;
  visited: number;
  visitsOverdue: number;
  problems: number;
  problemsByCategory: Record<string, number>;
  closed: number;
  reopened: number;
  overdue: number;
}

export interface CampaignProgress {
  campaign: { id: string; status: string; stage: string; startedAt: string; closedAt: string | null; outcome: string | null };
  year: number;
  towns: ({ town: string } & CampaignCounts)[];
  totals?: CampaignCounts;
  reopenedByDepartment?: Record<string, number>;
  categories: Record<string, { zh: string; en: string }>;
}

export type { HouseholdMember, ContactCadreAnswer } from './household-types';
export type { InformationOfficerStaffing } from './stats-types';
export type { SupervisionScoreRow, SupervisionScores } from '../../../contracts/supervision-scores';
