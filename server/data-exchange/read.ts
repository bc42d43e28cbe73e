/**
 * Reading batches and their records back: a department its own (an API key the departments it is bound
 * to), the district's supervision every one. Each record carries its outcome, which is the feedback.
 */
import type { Knex } from '@mikro-orm/knex';
import { DEPARTMENT_SCOPE } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { Static } from 'typebox';
import { notFound } from '../commands/refusal';
import { maskIdNumber } from '../validation/id-number';
import type { ListQuery } from '../lists';
import type { BatchView, RecordView } from './schemas';

/** The departments whose batches the actor reads; undefined: every department. */
export function readableDepartments(actor: Actor): string[] | undefined {
  if (actor.kind === 'integration') return (actor.scopes ?? []).filter((s) => s.startsWith(DEPARTMENT_SCOPE)).map((s) => s.slice(DEPARTMENT_SCOPE.length));
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return undefined;
  return actor.department ? [actor.department] : [];
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | number).toISOString());

type BatchRow = Record<string, any>;
function batchView(r: BatchRow): Static<typeof BatchView> {
  return {
    id: r.id,
    department: r.department,
    kind: r.kind,
    source: r.source,
    senderName: r.sender_name,
    receivedAt: iso(r.received_at)!,
    finishedAt: iso(r.finished_at),
    status: r.status,
    received: Number(r.received),
    matched: Number(r.matched),
    unmatched: Number(r.unmatched),
    duplicates: Number(r.duplicates),
    warnings: Number(r.warnings),
    processed: Number(r.processed),
    policyVersion: r.policy_version,
  };
}

/** Apply a parsed list query (filters as `{ column: value }` conditions, sorts as column names). */
function applyList(q: Knex.QueryBuilder, list: Pick<ListQuery, 'where'>): Knex.QueryBuilder {
  for (const cond of (list.where.$and as Record<string, unknown>[] | undefined) ?? []) {
    for (const [column, value] of Object.entries(cond)) {
      if (Array.isArray(value)) q.whereIn(column, value);
      else q.where(column, value as string);
    }
  }
  return q;
}

function scoped(knex: Knex, actor: Actor): Knex.QueryBuilder {
  const q = knex('exchange_batch');
  const departments = readableDepartments(actor);
  if (departments) q.whereIn('department', departments);
  return q;
}

export async function listBatches(knex: Knex, actor: Actor, list: ListQuery): Promise<{ rows: Static<typeof BatchView>[]; total: number }> {
  const total = Number(((await applyList(scoped(knex, actor), list).count({ n: '*' })) as { n: number | string }[])[0].n);
  const [[column, dir]] = Object.entries(list.orderBy);
  const rows = (await applyList(scoped(knex, actor), list).select('*').orderBy(column, dir.toLowerCase() as 'asc' | 'desc').orderBy('id', 'desc').offset(list.offset).limit(list.limit)) as BatchRow[];
  return { rows: rows.map(batchView), total };
}

/** A batch the actor may read (404 otherwise: another department's batches are not there for it). */
export async function readBatch(knex: Knex, actor: Actor, id: string): Promise<Static<typeof BatchView>> {
  const row = (await scoped(knex, actor).where('id', id).first()) as BatchRow | undefined;
  if (!row) throw notFound(`比对批次 ${id} 不存在 (no such batch)`);
  return batchView(row);
}

/** The records of a batch; ID numbers whole for the department that sent them, masked for everyone else. */
export async function listRecords(knex: Knex, actor: Actor, batch: Static<typeof BatchView>, list: ListQuery): Promise<{ rows: Static<typeof RecordView>[]; total: number }> {
  const base = () => applyList(knex('exchange_record').where('batch_id', batch.id), list);
  const total = Number(((await base().count({ n: '*' })) as { n: number | string }[])[0].n);
  const [[column, dir]] = Object.entries(list.orderBy);
  const rows = (await base().select('*').orderBy(column, dir.toLowerCase() as 'asc' | 'desc').offset(list.offset).limit(list.limit)) as Record<string, any>[];
  const own = readableDepartments(actor)?.includes(batch.department) ?? actor.department === batch.department;
  return {
    total,
    rows: rows.map((r) => ({
      id: `${r.batch_id}-${r.seq}`,
      seq: Number(r.seq),
      idNumber: own ? r.id_number : maskIdNumber(r.id_number),
      name: r.name,
      indicators: JSON.parse(r.indicators),
      result: r.result,
      householdId: r.household_id,
      relation: r.relation,
      rules: r.rules ? JSON.parse(r.rules) : [],
      followUp: r.follow_up,
      verificationId: r.verification_id,
      outcome: r.outcome,
      reasons: r.reasons,
      caseId: r.case_id,
      decidedAt: iso(r.decided_at),
    })),
  };
}
