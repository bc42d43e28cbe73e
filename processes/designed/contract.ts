/**
 * Designed processes (API.md "Designed processes"): the compact model the server computes from a
 * published BPMN definition, and the input of the one interpreter workflow, `designedProcess`. The
 * workflow reads this model, never the XML: the model, the forms' keys and the policy snapshot travel in
 * the input, so a later version never changes a running case and a replay sees exactly what the case saw.
 */
import type { Text } from '../../contracts/i18n';
import type { DueRule } from '../../contracts/due';
import type { Place } from '../../contracts/roles';
import type { CallableElement, ServiceAction, TaskRole } from '../../contracts/bpmn/designed';
import { reviewSteps, type ReviewPolicy } from '../../contracts/review';
import type { StepScope } from '../../contracts/steps';

export const DESIGNED = {
  workflowType: 'designedProcess',
} as const;

export type ElementKind = 'start' | 'end' | 'terminateEnd' | 'userTask' | 'serviceTask' | 'exclusive' | 'parallel' | 'timer' | 'message' | 'boundaryTimer' | 'callActivity';

/** One BPMN flow node, with what the interpreter needs of it. */
export interface ModelElement {
  id: string;
  kind: ElementKind;
  /** The name on the diagram (the element id when it has none). */
  name: string;
  incoming: string[];
  outgoing: string[];
  /** userTask */
  role?: TaskRole;
  department?: string;
  due?: DueRule;
  form?: string;
  /** Boundary timers attached to this task (element ids). */
  boundaries?: string[];
  /** serviceTask */
  action?: ServiceAction;
  /** timer, boundaryTimer: how long from reaching it (or from the task opening). */
  timer?: DueRule;
  /** boundaryTimer */
  attachedTo?: string;
  interrupting?: boolean;
  /** message catch: the message's name (also the signal's name) */
  message?: string;
  /** exclusive gateway: the default flow's id */
  defaultFlow?: string;
  /** callActivity: what it runs (the shared review procedure). */
  called?: CallableElement;
}

export interface ModelFlow {
  id: string;
  source: string;
  target: string;
  /** A FEEL expression (out of an exclusive gateway). */
  condition?: string;
}

export interface DesignedModel {
  elements: Record<string, ModelElement>;
  flows: Record<string, ModelFlow>;
  /** The start event's id. */
  start: string;
  /** The message names the process catches (its signals). */
  messages: string[];
}

/** Who completes a user task of each role: the household's village or town, a department, the district. */
export const TASK_SCOPES: Record<TaskRole, StepScope> = {
  village_cadre: 'village',
  town_officer: 'town',
  department_officer: 'department',
  district_supervisor: 'district',
};

/**
 * The steps of the review a call activity runs: the procedure's own (their keys are its stages and the
 * objection signal's), due by the identification section of the policy, where its snapshot comes from.
 */
export const CALLED_REVIEW_STEPS = reviewSteps('identification');

/** A task without `ff:due`. */
export const DEFAULT_TASK_DUE: DueRule = { workingDays: 5 };

/** The due rule of an `ff:due` text (already checked by dueRuleProblem). */
export function dueRuleOf(text: string): DueRule {
  const m = /^(calendarDays|workingDays):(\d+)$/.exec(text);
  if (m) return m[1] === 'calendarDays' ? { calendarDays: Number(m[2]) } : { workingDays: Number(m[2]) };
  if (text === 'endOfMonth') return { endOfMonth: true };
  return { duration: text };
}

export interface DesignedInput {
  processId: string;
  key: string;
  version: number;
  title: Text;
  model: DesignedModel;
  /** The start form as submitted (FEEL conditions read it as `start` and by its field names). */
  startForm: Record<string, unknown>;
  household?: Place & { id: string; headName: string };
  /** Where the case belongs when it has no household: the starter's place. */
  place: Place;
  subject: string;
  startedBy: { id: string; name: string };
  policyVersion: string;
  /**
   * The review procedure's policy (notice minimum, due rules), snapshotted from the policy version the case
   * started under as identification's is; present only when the model has a call activity.
   */
  review?: ReviewPolicy;
  /** Continue as new past this many history events (or when Temporal suggests it); default 10,000. */
  historyEventLimit?: number;
  /** Carried by continue-as-new (absent on a first run): the case, its data (tokens at `data.at`) and the joins' arrivals. */
  carried?: { kase: unknown; data: DesignedData; joins: [string, number][] };
}

/** The case's own data: the definition it runs, the forms so far, messages not yet caught, a runtime error. */
export interface DesignedData {
  definition: { key: string; version: number };
  /** The household head's name, as the coded processes keep it: the case's title in lists and on its page, and on a review's public notice. */
  headName?: string;
  /** `start` and each completed task's form by task id (the FEEL context). */
  forms: Record<string, unknown>;
  /** Messages received and not yet consumed by a catch, by name. */
  pending: Record<string, unknown[]>;
  /** Where the case stands: the elements holding a token. */
  at: string[];
  /** Objections to a review's public notice (only in a case with a call activity). */
  objections?: { id: string; at: string; raisedBy: string; content: string; status: 'new' | 'reviewing' | 'upheld' | 'dismissed'; reasons?: string }[];
  /** A runtime error the case waits on (e.g. no condition matched), in Chinese. */
  error?: { element: string; message: string };
}

/**
 * A call activity's outcome, kept as its form (`data.forms[<element id>]`) for the conditions after it
 * (`review.decision = "approved"`): the decision, when it takes effect, or who rejected it and why.
 */
export interface CalledReviewForm {
  decision: 'approved' | 'rejected';
  effectiveOn?: string;
  by?: 'village' | 'town' | 'district';
  reasons?: string;
}

/** Arguments of the FEEL evaluation activity: the first flow whose condition is true. */
export interface ConditionsQuery {
  conditions: { flow: string; expression: string }[];
  context: Record<string, unknown>;
}
