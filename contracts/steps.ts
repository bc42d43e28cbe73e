import { t, type Text } from './i18n';
import type { Actor, Department, Role } from './roles';
import type { Due } from './due';

/**
 * Who may complete a step: a role, narrowed to the case's village or town, or to a department.
 * `village`: a village cadre of the case's village; `town`: a town officer of the case's town;
 * `department`: an officer of `department`; `district`: the district supervisor; `assignee`: the one
 * person named on the step (e.g. the household's helper 帮扶责任人), who must also hold `role`.
 */
export type StepScope = 'village' | 'town' | 'department' | 'district' | 'assignee';

/** A kind of human task a process can open (catalogue entry, no form schema: workflows import this). */
export interface StepDefinition {
  key: string;
  title: Text;
  role: Role;
  scope: StepScope;
  department?: Department;
  /** Where the step's due rule lives in the policy file, e.g. `identification.steps.homeVerification`. */
  duePolicyKey: string;
  /**
   * An on-demand action rather than a step the process opens: available while the case lists it in
   * `state.actions` (e.g. proposing risk elimination), completed through the same step endpoint.
   */
  onDemand?: boolean;
}

export type StepStatus = 'open' | 'done' | 'cancelled';

/** A step's status as people read it (lists, ledgers). */
export const STEP_STATUSES: Record<StepStatus, Text> = {
  open: t('待办理', 'Open'),
  done: t('已完成', 'Done'),
  cancelled: t('已撤回', 'Withdrawn'),
};

/** One opened step of one case, as the workflow holds it and the read model mirrors it. */
export interface StepInstance extends Due {
  id: string; // unique within the case: `${key}-${n}`
  key: string;
  title: Text;
  role: Role;
  scope: StepScope;
  department?: string;
  /** The one person who may complete it (scope `assignee`). */
  assignee?: { id: string; name: string };
  status: StepStatus;
  openedAt: string;
  /** Set when the due-time timer fired while the step was still open (escalation recorded). */
  escalatedAt?: string;
  completedAt?: string;
  completedBy?: Actor;
  /** The submitted form (kept only while the case needs it; the history keeps it for ever). */
  result?: unknown;
  /** The uploaded files the submission used, each with the SHA-256 of its bytes: evidence cannot be swapped later. */
  evidence?: EvidenceRef[];
  /** Why a step was cancelled (e.g. the notice withdrawn after an upheld objection). */
  cancelReason?: string;
  /** Context shown with the step (e.g. the objection under review). */
  context?: Record<string, unknown>;
}

export type CaseStatus = 'running' | 'completed' | 'rejected' | 'cancelled' | 'failed';

/** A case's status as people read it (lists, ledgers). */
export const CASE_STATUSES: Record<CaseStatus, Text> = {
  running: t('办理中', 'In progress'),
  completed: t('已办结', 'Completed'),
  rejected: t('未通过', 'Rejected'),
  cancelled: t('已撤销', 'Cancelled'),
  failed: t('异常', 'Failed'),
};

/** A line of the case's own timeline (what happened, in words), kept in workflow state. */
export interface CaseEvent {
  at: string;
  kind: string;
  summary: string;
  actor?: { id: string; name: string };
  step?: string;
}

/** The live answer of every case's `state` query (process-specific fields go in `data`). */
export interface CaseState<D = Record<string, unknown>> {
  processId: string;
  type: string;
  householdId?: string;
  subject: string;
  town: string;
  village: string;
  status: CaseStatus;
  stage: string;
  startedAt: string;
  closedAt?: string;
  /** The overall deadline where the policy sets one. */
  due?: Due;
  overdueSince?: string;
  steps: StepInstance[];
  events: CaseEvent[];
  outcome?: { result: string; reasons?: string };
  /** On-demand actions available now (step keys), with who may take them. */
  actions?: { key: string; title: Text; role: Role; scope: StepScope; department?: string; assignee?: { id: string; name: string } }[];
  /** Departments involved besides those owning steps (e.g. the one that raised an alert): they may see the case. */
  departments?: string[];
  /** Incremented at every change; the read model keeps the highest it has seen. */
  revision: number;
  data: D;
}

/** Arguments of the `completeStep` update. The API fills `actor`; clients send the form. */
/** A file a step form named (`format: "file-id"`), as the API found it: its field, id and the SHA-256 of its bytes. */
export interface EvidenceRef {
  field: string;
  id: string;
  sha256: string;
  /** When the photo was taken (its EXIF): a photo taken long before the step is flagged to the reviewer. */
  takenAt?: string;
  /** What the reviewer should look at twice (the policy's evidence limits at completion); never a refusal. */
  flags?: EvidenceFlag[];
}

/** A photo taken `days` before its step opened, or `km` from its village (policy `evidence.photoMaxAgeDays`, `photoMaxDistanceKm`). */
export type EvidenceFlag = { rule: 'takenBeforeStep'; takenAt: string; days: number } | { rule: 'farFromVillage'; km: number };

export interface CompleteStepArgs {
  stepId?: string;
  stepKey: string;
  form: Record<string, unknown>;
  /** The files the form names, with their hashes (recorded in the history with the step). */
  files?: EvidenceRef[];
  actor: Actor;
  /** Business-level event id for idempotent delivery (an Idempotency-Key or the caller's event id). */
  eventId?: string;
  /** When the API received it: the time the case records for it (workflows/case-clock.ts). */
  at?: string;
}

/** Arguments of the `cancelCase` update (supervisors and admins). */
export interface CancelArgs {
  reason: string;
  actor: Actor;
  /** When the API received it. */
  at?: string;
}

/** Every signal travels in this envelope, so the case records who sent it and deduplicates by event id. */
export interface SignalEnvelope<P = Record<string, unknown>> {
  payload: P;
  actor: Actor;
  eventId?: string;
  receivedAt: string;
  /** The uploaded files the payload names (a progress report's photos), with their hashes: recorded in the history. */
  files?: EvidenceRef[];
}

/** Failure types the workflow raises from update validators; the API maps them to HTTP statuses. */
export const FAILURE = {
  /** A business rule refuses the action → 422. */
  rule: 'RuleViolation',
  /** The step is not open (done, cancelled, unknown) or the case is closed → 409. */
  conflict: 'Conflict',
  /** No such step in this case → 404. */
  notFound: 'NotFound',
  /** The actor may not complete this step → 403. */
  forbidden: 'Forbidden',
} as const;

/**
 * A validator's refusal that names the form field and the rule it breaks (the API answers 422 with it
 * in `error.details`); a plain string refuses the form as a whole.
 */
export interface FieldRefusal {
  field: string;
  rule: string;
  message: string;
}
