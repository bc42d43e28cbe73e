/**
 * The registry: every process, one line each. The catalogue (`GET /api/process-types`, in this order),
 * the starters, the policy file's sections, the notices, the process activities and the worker's
 * workflow bundle (server/worker.ts) are all read from this list. A new process is a folder and a line.
 */
import type { Db } from '../db';
import type { NoticeSpec, PolicySection, ProcessModule, ProcessTypeDefinition } from './module';
import { identification } from './identification';
import { houseRebuild } from './house-rebuild';
import { helperAssignment } from './helper-assignment';
import { illnessRelief } from './illness-relief';
import { outOfPovertyVisit } from './poverty-visit';
import { campaign } from './campaign';
import { rectification } from './rectification';
import { checkEvidencePolicy, type EvidencePolicy } from '../policy/evidence';
import { checkStaffingPolicy, type StaffingPolicy } from '../policy/staffing';
import { dataVerification } from './data-verification';
import { designedCatalogue, designedType } from './designed/registry';

import { supervisionNotice } from './supervision';

export const PROCESSES = [identification, houseRebuild, helperAssignment, illnessRelief, outOfPovertyVisit, campaign, rectification, dataVerification, supervisionNotice] as const satisfies readonly ProcessModule[];

type Process = (typeof PROCESSES)[number];
/** The intersection of a union's members (`A | B` → `A & B`). */
type AllOf<U> = (U extends unknown ? (u: U) => void : never) extends (all: infer I) => void ? I : never;

export const CATALOGUE: ProcessTypeDefinition[] = PROCESSES.map((p) => p.definition);

/** The coded processes and the published designed ones (processes/designed/registry.ts), in that order. */
export function catalogue(): ProcessTypeDefinition[] {
  return [...CATALOGUE, ...designedCatalogue()];
}

export function processType(type: string): ProcessTypeDefinition | undefined {
  return CATALOGUE.find((p) => p.type === type) ?? designedType(type)?.definition;
}

export function processModule(type: string): Pick<ProcessModule, 'definition' | 'starter'> | undefined {
  return PROCESSES.find((p) => p.definition.type === type) ?? designedType(type);
}

/** The policy file's sections, each checked by its process (evidence, shared by all: policy/evidence.ts; staffing: policy/staffing.ts); `Policy` has one typed field per key. */
export const POLICY_SECTIONS: PolicySection[] = [...PROCESSES.flatMap((p) => ('policy' in p ? [p.policy] : [])), { key: 'evidence', check: checkEvidencePolicy, optional: true },
  { key: 'staffing', check: checkStaffingPolicy, optional: true },
];
export type PolicySections = AllOf<Process extends infer P ? (P extends { policy: PolicySection<infer K, infer S> } ? { [k in K]: S } : never) : never> & { evidence: EvidencePolicy; staffing: StaffingPolicy };

/** What each process that posts a public notice announces. */
export const NOTICES = Object.fromEntries(PROCESSES.flatMap((p) => ('notice' in p ? [[p.definition.type, p.notice] as const] : [])));

/** The notice a type posts: a coded process's, or a designed one's that calls the review procedure. */
export function noticeOf(type: string): NoticeSpec | undefined {
  return NOTICES[type] ?? designedType(type)?.notice;
}

/** The activities only one process uses, from every process (activities/index.ts adds them to the shared ones). */
export type ProcessActivities = AllOf<Process extends infer P ? (P extends { activities: (deps: never) => infer A } ? A : never) : never>;
export function processActivities(deps: { db: Db }): ProcessActivities {
  return Object.assign({}, ...PROCESSES.map((p) => ('activities' in p ? p.activities(deps) : {})));
}

/** Where every process's workflow functions are (the worker bundles these modules). */
export const WORKFLOW_MODULES: URL[] = [...PROCESSES.map((p) => p.workflows), new URL('./designed/workflows', import.meta.url)];
