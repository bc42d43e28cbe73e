/**
 * Projection of case state into the read model. Idempotent: rows are keyed by the case's and the
 * step's ids and a row is only overwritten by the same or a newer revision, so a retried or late
 * activity never duplicates or rolls back anything. The same revision is written again: a workflow task
 * retried after its worker died may number its commits as the lost attempt did, with more events in
 * them; the retry is what the history keeps.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sqlite';
import { CaseNumber, Household, OpenCase, Process, Step } from '../db';
import type { CaseState } from '../contracts/steps';
import { caseCounterKey, formatCaseNumber } from '../contracts/case-number';
import { RECTIFICATION } from '../processes/rectification/contract';
import { projectRectificationAccountability } from '../processes/rectification/accountability';

const date = (iso: string | undefined | null) => (iso ? new Date(iso) : null);

export async function projectCase(em: EntityManager, state: CaseState): Promise<void> {
  await em.transactional(async (tx) => {
    // Take the write lock before reading: on SQLite a transaction that reads and then writes fails at
    // once with SQLITE_BUSY (no busy wait) when another process (an API instance, a second worker)
    // wrote in between; a write first waits its turn (busy_timeout) instead. A no-op elsewhere.
    const sqlite = tx.getPlatform().constructor.name.toLowerCase().includes('sqlite');
    if (sqlite) await tx.execute('update process set revision = revision where 0');
    // PostgreSQL: lock the case's row (select … for update), so that a late attempt waits for one in
    // progress and then sees its newer revision instead of overwriting it.
    const existing = await tx.findOne(Process, { id: state.processId }, sqlite ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (existing && existing.revision > state.revision) return; // already have a newer one
    const headName = typeof state.data?.headName === 'string' ? (state.data.headName as string) : state.subject;
    const departments = [...new Set([...(state.departments ?? []), ...state.steps.map((s) => s.department).filter((d): d is string => !!d)])];
    const row = {
      id: state.processId,
      type: state.type,
      status: state.status,
      stage: state.stage,
      subject: state.subject,
      householdId: state.householdId ?? null,
      title: headName,
      town: state.town,
      village: state.village,
      departments,
      startedAt: new Date(state.startedAt),
      closedAt: date(state.closedAt),
      dueAt: date(state.due?.dueAt),
      dueDate: state.due?.dueDate ?? null,
      dueProvisional: state.due?.provisional ?? false,
      overdueSince: date(state.overdueSince),
      outcome: state.outcome?.result ?? null,
      outcomeReasons: state.outcome?.reasons ?? null,
      revision: state.revision,
    };
    if (existing) tx.assign(existing, row);
    else {
      tx.create(Process, row);
      await numberCase(tx, state.processId, state.type, row.startedAt);
    }

    // The case's step rows in one query (a long-running case has many), then insert or update each.
    const stored = new Map((await tx.find(Step, { processId: state.processId })).map((r) => [r.id, r]));
    for (const s of state.steps) {
      const id = `${state.processId}/${s.id}`;
      const stepRow = {
        id,
        processId: state.processId,
        stepId: s.id,
        processType: state.type,
        stepKey: s.key,
        titleZh: s.title.zh,
        titleEn: s.title.en,
        role: s.role,
        scope: s.scope,
        department: s.department ?? null,
        assignee: s.assignee?.id ?? null,
        team: teamIds(s.context?.team),
        town: state.town,
        village: state.village,
        householdId: state.householdId ?? null,
        openedAt: new Date(s.openedAt),
        dueAt: new Date(s.dueAt),
        dueDate: s.dueDate,
        provisional: s.provisional,
        escalatedAt: date(s.escalatedAt),
        status: s.status,
        completedAt: date(s.completedAt),
        completedBy: s.completedBy?.id ?? null,
        completedByName: s.completedBy?.name ?? null,
      };
      const found = stored.get(id);
      if (found) tx.assign(found, stepRow);
      else tx.create(Step, stepRow);
    }
    await tx.flush();
    await copyHouseholdGroups(tx, 'process_id', state.processId);
    // A rectification's 问责 (rejected re-checks) in the district's 约谈/问责 list.
    if (state.type === RECTIFICATION.type) await projectRectificationAccountability(tx, state);
    // A closed case frees its subject for a new case of the same type.
    if (state.status !== 'running') await tx.nativeDelete(OpenCase, { type: state.type, subject: state.subject, processId: state.processId });
  });
}

/**
 * Number cases in the order given (scripts/reproject.ts: by start time, so that a read model rebuilt
 * into an empty database gives each case the number the live one gave it); a case numbered before keeps its number.
 */
export async function numberCasesInOrder(em: EntityManager, cases: { processId: string; type: string; startedAt: Date }[]): Promise<void> {
  for (const c of cases) await em.transactional((tx) => numberCase(tx, c.processId, c.type, c.startedAt));
}

/**
 * The case's human number (contracts/case-number.ts), taken from its process's and year's counter in
 * one statement (atomic on both databases); a case numbered before (a reprojection) keeps its number.
 */
async function numberCase(tx: EntityManager, processId: string, type: string, startedAt: Date): Promise<void> {
  if (await tx.findOne(CaseNumber, { processId })) return;
  const key = caseCounterKey(type, startedAt);
  const [taken] = await tx.execute<{ n: number }[]>(
    'insert into case_counter ("key", n) values (?, 1) on conflict ("key") do update set n = case_counter.n + 1 returning n',
    [key],
  );
  tx.create(CaseNumber, { processId, caseNo: formatCaseNumber(key, Number(taken.n)) });
}

export interface MonitoringInclusion {
  householdId: string;
  processId: string;
  category: string;
  riskTypes: string[];
  includedOn: string;
}

/**
 * The steps' copy of their household's category and risk types (the statistics group by them without
 * a join: Migration20261208StepHouseholdGroups), taken from the household row as it is now.
 */
async function copyHouseholdGroups(em: EntityManager, column: 'process_id' | 'household_id', value: string): Promise<void> {
  await em.execute(
    `update step set
      household_category = (select h.monitoring_category from household h where h.id = step.household_id),
      household_risk_types = (select cast(h.risk_types as text) from household h where h.id = step.household_id)
    where ${column} = ? and household_id is not null`,
    [value],
  );
}

/** Approval of an identification: the household becomes a 监测户. Setting fields is naturally idempotent. */
export async function recordMonitoringInclusion(em: EntityManager, m: MonitoringInclusion): Promise<void> {
  await em.transactional(async (tx) => {
    const household = await tx.findOneOrFail(Household, { id: m.householdId });
    tx.assign(household, {
      monitoringStatus: 'monitored',
      monitoringCategory: m.category,
      riskTypes: m.riskTypes,
      monitoredSince: m.includedOn,
      monitoringProcessId: m.processId,
      // Included again after an elimination: returned to monitoring (返贫). The elimination date stays.
      ...(household.eliminatedOn ? { returnedOn: m.includedOn } : {}),
    });
    await tx.flush();
    await copyHouseholdGroups(tx, 'household_id', m.householdId);
  });
}

export interface MonitoringStatusChange {
  householdId: string;
  processId: string;
  status: 'monitored' | 'eliminated';
  on: string;
}

/** Risk elimination (or its revert) changes the household's monitoring status; idempotent. */
export async function recordMonitoringStatus(em: EntityManager, m: MonitoringStatusChange): Promise<void> {
  const household = await em.findOneOrFail(Household, { id: m.householdId });
  // A revert (back to monitored) undoes the elimination, so its date goes too.
  em.assign(household, { monitoringStatus: m.status, monitoringProcessId: m.processId, eliminatedOn: m.status === 'eliminated' ? m.on : null });
  await em.flush();
}

/** `,id1,id2,` for a team step's members (searchable for either), or null. */
function teamIds(team: unknown): string | null {
  if (!Array.isArray(team) || team.length === 0) return null;
  const ids = team.map((m) => (m && typeof m === 'object' ? String((m as { id?: unknown }).id ?? '') : '')).filter(Boolean);
  return ids.length ? `,${ids.join(',')},` : null;
}
