/**
 * Starting a case: one open case per subject (household, campaign year…), guarded by a unique row in
 * the read model that is checked against Temporal itself, then the workflow start. A 201 means
 * Temporal has the case.
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { UniqueConstraintViolationException, raw } from '@mikro-orm/core';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition, Workflow } from '@temporalio/common';
import { settledUpdate } from '../../contracts/messages';
import type { EvidenceRef, SignalEnvelope } from '../../contracts/steps';
import { Household, OpenCase } from '../../db';
import type { Actor, Place } from '../../contracts/roles';
import { processModule, processType } from '../../processes';
import { processIdOf } from '../../contracts/ids';
import type { Policy } from '../../policy';
import type { Services } from '../services';
import { Refusal, notFound } from '../commands/refusal';
import { fromTemporal } from './temporal-errors';

export interface Prepared {
  subject: string;
  place: Place;
  householdId?: string;
  workflowArgs: (processId: string) => unknown[];
  /**
   * A fixed workflow id instead of a numbered one (a campaign's `campaign:<year>`; illness relief's
   * `illnessRelief:<household>:<year>[-<n>]`). Temporal then refuses a second run of the same id
   * (REJECT_DUPLICATE), so a closed case is never started again.
   */
  processId?: string;
  /**
   * The subject's open case may give way to this one (e.g. a follow-up case in its revert window when
   * the household is included again): asked to close itself; the subject's open case is looked up again.
   */
  supersede?: (services: Services, openId: string) => Promise<void>;
}

export interface Starter<Req> {
  prepare(em: EntityManager, actor: Actor, request: Req, policy: Policy): Promise<Prepared>;
}

/**
 * The subject has its case of this type already (open, or, for a type with one case per period, the
 * period's): the answer names it, and a follow-up takes it as its own (server/processes/follow-up.ts).
 */
export class CaseExists extends Refusal {
  constructor(
    message: string,
    readonly processId: string | undefined,
  ) {
    super('conflict', message, [], { id: processId });
  }
}

export interface Started {
  id: string;
  runId: string;
  type: string;
}

/** The running case of this type for this subject, if any (stale guards are cleared). */
export async function openCaseOf(services: Services, type: string, subject: string): Promise<string | undefined> {
  const em = services.db.em();
  const guard = await em.findOne(OpenCase, { type, subject });
  if (!guard) return undefined;
  try {
    const desc = await services.temporal.client.workflow.getHandle(guard.processId).describe();
    if (desc.status.name === 'RUNNING') return guard.processId;
  } catch (err) {
    if ((err as Error).name !== 'WorkflowNotFoundError') throw fromTemporal(err);
    // Taken a moment ago: another request is between taking it and starting the workflow. It stands
    // (clearing it would let a second case start beside the first).
    if (Date.now() - guard.createdAt.getTime() < GUARD_GRACE_MS) return guard.processId;
  }
  // The guard outlived its case (e.g. the API died between taking it and starting): release it.
  await em.nativeDelete(OpenCase, { id: guard.id });
  return undefined;
}

/**
 * How long a guard whose workflow Temporal does not know yet is taken for a start in flight. Shorter
 * than the idempotency lease (server/idempotency.ts LEASE_MS), so that a retry taking over a crashed
 * start finds the stale guard cleared.
 */
export const GUARD_GRACE_MS = 30_000;

/**
 * Wait until the case is quiet: its first steps are open (or it waits on time or a message, or has
 * ended) and the read model has stored it, so the caller's next request finds them. An update, not a
 * poll: it waits as long as the case takes, at any load.
 */
function settled(handle: WorkflowHandle): Promise<unknown> {
  return handle.executeUpdate(settledUpdate);
}

/**
 * `opts.reserve` is told the new case's id before Temporal is asked to start it (idempotent retries
 * after a crash find the case by it: see server/idempotency.ts).
 */
export async function startProcess(
  services: Services,
  actor: Actor,
  type: string,
  input: Record<string, unknown>,
  opts: { reserve?: (processId: string) => Promise<void>; files?: EvidenceRef[] } = {},
): Promise<Started> {
  const def = processType(type);
  const starter = processModule(type)?.starter;
  if (!def || !starter) throw notFound(`未知流程类型 ${type} (unknown process type)`);
  // The version in force now (an activation by another instance is noticed here); the case keeps it.
  await services.policyVersions.sync();
  const prepared = await starter.prepare(services.db.em(), actor, input, services.policy());

  let existing = await openCaseOf(services, type, prepared.subject);
  if (existing && prepared.supersede) {
    await prepared.supersede(services, existing);
    existing = await openCaseOf(services, type, prepared.subject);
  }
  if (existing) throw new CaseExists(`该户已有办理中的${def.title.zh} (an open case exists)`, existing);

  // A numbered id may already exist in Temporal for a case this database does not know (a restored
  // backup, another deployment in the namespace): the next number is taken then.
  for (let attempt = 0; ; attempt++) {
    const processId = await takeGuard(services, def.title.zh, type, prepared);
    // Start and wait for the first steps in one call (update-with-start): the 201 that follows means
    // the case is in Temporal and the steps it opened can be completed.
    let start: WithStartWorkflowOperation<Workflow> | undefined;
    try {
      await opts.reserve?.(processId);
      start = new WithStartWorkflowOperation(def.workflowType, {
        workflowId: processId,
        taskQueue: services.temporal.taskQueue,
        args: withStartFiles(prepared.workflowArgs(processId), opts.files),
        memo: policyMemo(prepared, processId),
        workflowIdConflictPolicy: 'FAIL',
        ...(prepared.processId ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
      });
      const update = await services.temporal.client.workflow.startUpdateWithStart(settledUpdate, {
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        startWorkflowOperation: start,
      });
      await update.result();
      return { id: processId, runId: update.workflowRunId ?? '', type };
    } catch (err) {
      // Started, but the wait for its first steps failed (Temporal unreachable meanwhile): the case is
      // open, its guard stays; a retry with the same Idempotency-Key answers it (server/commands/start.ts).
      if (start && (await start.workflowHandle().then(() => true, () => false))) throw fromTemporal(err);
      await services.db.em().nativeDelete(OpenCase, { processId });
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        if (!prepared.processId && attempt < 10) continue;
        throw new CaseExists('该流程已存在 (the case already exists)', processId);
      }
      throw fromTemporal(err);
    }
  }
}

/**
 * The files the start form used, with the SHA-256 of their bytes, go into the case's input: the
 * history's first event keeps them, so they cannot be swapped later (a step's files are in its update).
 */
function withStartFiles(args: unknown[], files: EvidenceRef[] | undefined): unknown[] {
  const [input, ...rest] = args;
  if (!files?.length || !input || typeof input !== 'object') return args;
  return [{ ...input, startFiles: files }, ...rest];
}

/**
 * The policy version the case snapshots (its input's `policyVersion`, `v<n>#<digest>`), kept in the
 * workflow's memo too: `GET /api/processes/{id}` answers it without reading the history.
 */
function policyMemo(prepared: Prepared, processId: string): Record<string, string> {
  const input = prepared.workflowArgs(processId)[0] as { policyVersion?: unknown } | undefined;
  return typeof input?.policyVersion === 'string' ? { policyVersion: input.policyVersion } : {};
}

/** Number the case and take the one-open-case guard, in one transaction. */
async function takeGuard(services: Services, title: string, type: string, prepared: Prepared): Promise<string> {
  try {
    return await services.db.em().transactional(async (em) => {
      let n = 0;
      if (prepared.processId) {
        // fixed id: nothing to number
      } else if (prepared.householdId) {
        // Write first: a SQLite transaction that reads and then writes fails at once (SQLITE_BUSY)
        // when another process wrote meanwhile; one that starts by writing waits for the lock.
        await em.nativeUpdate(Household, { id: prepared.householdId }, { caseSeq: raw('case_seq + 1') });
        const household = await em.findOneOrFail(Household, { id: prepared.householdId }, { refresh: true });
        n = household.caseSeq;
      } else {
        n = Date.now();
      }
      const id = prepared.processId ?? processIdOf(type, prepared.subject, n);
      em.create(OpenCase, { type, subject: prepared.subject, processId: id, createdAt: new Date() });
      await em.flush();
      return id;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      const open = await services.db.em().findOne(OpenCase, { type, subject: prepared.subject });
      throw new CaseExists(`该户已有办理中的${title} (an open case exists)`, open?.processId);
    }
    throw err;
  }
}

/**
 * Signal-with-start for a type with fixed ids (Prepared.processId): the signal goes to the running case
 * of the subject, or starts it with the signal as its first message, atomically in Temporal (two
 * concurrent deliveries end in one case that has both signals). The one-open-case guard is taken as
 * in startProcess, so lists and `POST /api/processes` see the case as open at once; a delivery that
 * finds the guard already held just signals. A closed case of the same id is never restarted (409).
 */
export async function signalWithStartProcess<P>(
  services: Services,
  type: string,
  prepared: Prepared & { processId: string },
  signal: { definition: SignalDefinition<[SignalEnvelope<P>]>; env: SignalEnvelope<P> },
): Promise<Started & { started: boolean }> {
  const def = processType(type);
  if (!def) throw notFound(`未知流程类型 ${type} (unknown process type)`);
  const { processId } = prepared;
  const open = await openCaseOf(services, type, prepared.subject);
  let tookGuard = false;
  if (!open) {
    try {
      // A unit of work of its own: a refused insert must not stay pending in the request's EntityManager.
      const em = services.db.em().fork();
      em.create(OpenCase, { type, subject: prepared.subject, processId, createdAt: new Date() });
      await em.flush();
      tookGuard = true;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
  }
  try {
    const handle = await services.temporal.client.workflow.signalWithStart(def.workflowType, {
      workflowId: open ?? processId,
      taskQueue: services.temporal.taskQueue,
      args: prepared.workflowArgs(processId),
      memo: policyMemo(prepared, processId),
      signal: signal.definition,
      signalArgs: [signal.env],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    if (tookGuard) await settled(handle);
    return { id: open ?? processId, runId: handle.signaledRunId, type, started: tookGuard };
  } catch (err) {
    if (tookGuard) await services.db.em().nativeDelete(OpenCase, { processId });
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseExists(`${def.title.zh}已办结，不再重新发起 (the case of this period is closed)`, processId);
    throw fromTemporal(err);
  }
}
