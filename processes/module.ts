/**
 * What a process is: one folder under processes/ exporting one ProcessModule, listed once in
 * processes/index.ts. The module holds the catalogue entry (`GET /api/process-types`: start form,
 * steps and their forms, signals), where its workflows are, its policy section, its starter and the
 * activities only it uses. The UI renders every form from the catalogue; the API validates with it.
 */
import type { SignalDefinition } from '@temporalio/workflow';
import type { Text } from '../contracts/i18n';
import type { Place, Role } from '../contracts/roles';
import type { SignalEnvelope, StepDefinition } from '../contracts/steps';
import type { Db } from '../db';
import type { Policy } from '../policy';
import type { Starter } from '../server/processes/start';

export interface CatalogueStep extends StepDefinition {
  form: object;
}

export interface CatalogueSignal {
  name: string;
  title: Text;
  /** The typed definition the workflow handles; senders that only know the name (the API) send it. */
  definition: SignalDefinition<[SignalEnvelope<unknown>]>;
  schema: object;
  /** Roles allowed to send it (integration keys are scoped separately). */
  roles: Role[];
  /** The process stage(s) in which the signal is meaningful (others get 409). */
  stages?: string[];
  /**
   * A business rule the API checks before sending (signals cannot answer): returns the refusal (→ 422).
   * The workflow applies the same rule when the signal arrives.
   */
  precheck?: (payload: Record<string, unknown>, place: Place) => string | undefined;
  /**
   * The payload field naming the department the signal is sent in the name of (a department alert):
   * it must be the sender's own (contracts/authz.ts speaksFor), 403 otherwise.
   */
  senderDepartment?: string;
}

export interface ProcessTypeDefinition {
  type: string;
  workflowType: string;
  title: Text;
  description: Text;
  startSchema: object;
  startRoles: Role[];
  steps: CatalogueStep[];
  signals: CatalogueSignal[];
  /** Messages only the system sends the case (an integration's deliveries), named for its history; no one may send them as signals. */
  systemSignals?: { name: string; title: Text }[];
}

/** The catalogue entry of a contract (its type, workflow type and titles) with its forms, starters and signals. */
export function processDefinition(
  contract: Pick<ProcessTypeDefinition, 'type' | 'workflowType' | 'title' | 'description'>,
  entry: Omit<ProcessTypeDefinition, 'type' | 'workflowType' | 'title' | 'description'>,
): ProcessTypeDefinition {
  return { type: contract.type, workflowType: contract.workflowType, title: contract.title, description: contract.description, ...entry };
}

/** A signal as a process contract declares it: the typed definition (its name is the wire name) and a title. */
export interface ContractSignal<P> {
  definition: SignalDefinition<[SignalEnvelope<P>]>;
  title: Text;
}

/** The catalogue entry of a contract's signal, with who may send it and its form. */
export function catalogueSignal<P>(signal: ContractSignal<P>, entry: Omit<CatalogueSignal, 'name' | 'title' | 'definition'>): CatalogueSignal {
  return { name: signal.definition.name, title: signal.title, definition: signal.definition, ...entry };
}

/** A process's section of the policy file (policy/policy.yaml): its key and its checker. */
export interface PolicySection<K extends string = string, P = unknown> {
  key: K;
  check: (value: unknown, key: string) => P;
  /** May be absent from a file or a stored version: `check` gets undefined and answers the defaults. */
  optional?: boolean;
}

export const policySection = <K extends string, P>(key: K, check: (value: unknown, key: string) => P): PolicySection<K, P> => ({ key, check });

/** The printable public notice (公示) of a process that posts one (GET /api/processes/:id/notice). */
export interface NoticeSpec {
  title: string;
  proposal: string;
  /** The minimum notice period in force (an ISO duration), from the policy. */
  minimum: (policy: Policy) => string | undefined;
}

export interface ProcessModule {
  definition: ProcessTypeDefinition;
  /**
   * The module whose exports are this process's workflow functions (sandbox code only: the worker's
   * bundle imports it, nothing else of the folder).
   */
  workflows: URL;
  policy?: PolicySection;
  /** How `POST /api/processes` starts a case (absent: started by another case or a schedule only). */
  starter?: Starter<any>;
  /** Activities only this process's workflows call. */
  activities?: (deps: { db: Db }) => object;
  notice?: NoticeSpec;
}
