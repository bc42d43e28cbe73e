/**
 * Receiving a department's batch: who may send it, matching its records against the register by ID
 * number (set-based: one query per few hundred numbers, for household heads and for members), the
 * rules on each matched record, and the batch's workflow that follows the warnings up.
 *
 * One batch per delivery: the delivery key (caller and Idempotency-Key) is unique, so a second delivery
 * of the same batch answers the first one's summary and creates nothing; its workflow has a fixed id.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { Knex } from '@mikro-orm/knex';
import { integrationAllows, may, speaksFor } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import { shanghaiDate } from '../../calendar/dates';
import { DATA_VERIFICATION, type DataExchangeBatchInput, type FiredRule } from '../../processes/data-verification/contract';
import { evaluateRules, monitoringLineOf, type Indicators } from '../../processes/data-verification/rules';
import type { Services } from '../services';
import { forbidden } from '../commands/refusal';
import { Refusal } from '../commands/refusal';
import { fromTemporal } from '../processes/temporal-errors';
import type { BatchInput, ExchangeRecordInput } from './schemas';

/** The API-key scope of the data exchange (contracts/authz.ts ENDPOINT_SCOPES). */
export const EXCHANGE_SCOPE = 'exchange';
/** ID numbers per `IN (...)` query. */
const MATCH_CHUNK = 500;
/** Records per insert statement (SQLite's multi-row insert is a compound SELECT of at most 500 terms). */
const INSERT_CHUNK = 250;

export interface BatchSummary {
  id: string;
  received: number;
  matched: number;
  unmatched: number;
  warnings: number;
}

/** May the actor send data at all (before the body is read)? An API key needs the `exchange` scope, a person the permission. */
export function checkMaySend(actor: Actor): void {
  if (actor.kind === 'integration' ? !integrationAllows(actor, EXCHANGE_SCOPE) : !may(actor, 'exchange.send')) {
    throw forbidden(actor.kind === 'integration' ? `接口密钥无权报送比对数据 (the API key lacks the \`${EXCHANGE_SCOPE}\` scope)` : '仅区级部门可报送比对数据 (only departments send data)');
  }
}

/** A key or officer sends its own department's data only. */
export function checkOwnDepartment(actor: Actor, department: string): void {
  if (!speaksFor(actor, department)) {
    const message = '只能报送本部门的数据 (a batch carries your own department\'s data; an API key the department an admin bound it to with a department:<部门> scope)';
    throw new Refusal('forbidden', `department: ${message}`, [{ field: 'department', rule: 'own', message }]);
  }
}

interface Match {
  householdId: string;
  relation: string;
}

/** Which household each ID number belongs to: a member's, or a head's (heads are members too, but older registers lack them). */
export async function matchIdNumbers(knex: Knex, idNumbers: string[]): Promise<Map<string, Match>> {
  const found = new Map<string, Match>();
  for (let i = 0; i < idNumbers.length; i += MATCH_CHUNK) {
    const chunk = idNumbers.slice(i, i + MATCH_CHUNK);
    const [heads, members] = await Promise.all([
      knex.select('id', 'id_number').from('household').whereIn('id_number', chunk) as Promise<{ id: string; id_number: string }[]>,
      knex.select('household_id', 'id_number', 'relation').from('household_member').whereIn('id_number', chunk) as Promise<{ household_id: string; id_number: string; relation: string }[]>,
    ]);
    for (const m of members) found.set(m.id_number, { householdId: m.household_id, relation: m.relation });
    for (const h of heads) found.set(h.id_number, { householdId: h.id, relation: 'head' });
  }
  return found;
}

/** The monitoring status of each matched household (the rules read it). */
async function monitoredHouseholds(knex: Knex, ids: string[]): Promise<Set<string>> {
  const monitored = new Set<string>();
  for (let i = 0; i < ids.length; i += MATCH_CHUNK) {
    const rows = (await knex.select('id').from('household').whereIn('id', ids.slice(i, i + MATCH_CHUNK)).andWhere('monitoring_status', 'monitored')) as { id: string }[];
    for (const r of rows) monitored.add(r.id);
  }
  return monitored;
}

const indicatorsOf = ({ idNumber: _id, name: _name, ...rest }: ExchangeRecordInput): Indicators & { reference?: string } => rest;

/** The batch of this delivery, if it came before. */
async function deliveredBefore(knex: Knex, deliveryKey: string): Promise<(BatchSummary & { department: string }) | undefined> {
  const row = (await knex.select('id', 'department', 'received', 'matched', 'unmatched', 'warnings').from('exchange_batch').where('delivery_key', deliveryKey).first()) as
    | { id: string; department: string; received: number; matched: number; unmatched: number; warnings: number }
    | undefined;
  return row && { id: row.id, department: row.department, received: row.received, matched: row.matched, unmatched: row.unmatched, warnings: row.warnings };
}

/**
 * Store a batch (matched, rules applied) and start its workflow; a delivery seen before answers its
 * batch (and makes sure its workflow runs: the first attempt may have died before starting it: the
 * workflow's fixed id keeps it one).
 */
export async function receiveBatch(services: Services, actor: Actor, input: BatchInput, delivery: { key: string; source: 'api' | 'upload' }): Promise<BatchSummary> {
  checkMaySend(actor);
  checkOwnDepartment(actor, input.department);
  const summary = await storeBatch(services, actor, input, delivery);
  await startBatchWorkflow(services, { batchId: summary.id, department: input.department, total: summary.received });
  return summary;
}

/** Match and store a batch (or find the delivery's batch stored before): what the benchmark times. */
export async function storeBatch(services: Pick<Services, 'db' | 'policy'>, actor: Actor, input: BatchInput, delivery: { key: string; source: 'api' | 'upload' }): Promise<BatchSummary> {
  const knex = services.db.em().getKnex();
  const before = await deliveredBefore(knex, delivery.key);
  if (before) return { id: before.id, received: before.received, matched: before.matched, unmatched: before.unmatched, warnings: before.warnings };
  const policy = services.policy();
  const now = new Date();
  const year = Number(shanghaiDate(now).slice(0, 4));
  const idNumbers = input.records.map((r) => r.idNumber.toUpperCase());
  const matches = await matchIdNumbers(knex, [...new Set(idNumbers)]);
  const monitored = await monitoredHouseholds(knex, [...new Set([...matches.values()].map((m) => m.householdId))]);
  const context = { year, monitoringLine: monitoringLineOf(policy, year), outOfPocketThreshold: policy.illnessRelief.threshold.fixedAmount };
  const id = `DX-${shanghaiDate(now).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  const seen = new Set<string>();
  const counts = { matched: 0, unmatched: 0, duplicates: 0, warnings: 0 };
  const rows = input.records.map((r, i) => {
    const idNumber = idNumbers[i];
    const match = matches.get(idNumber);
    const duplicate = seen.has(idNumber);
    seen.add(idNumber);
    const indicators = indicatorsOf(r);
    let result: 'matched' | 'unmatched' | 'duplicate' | 'warning';
    let rules: FiredRule[] = [];
    if (duplicate) result = 'duplicate';
    else if (!match) result = 'unmatched';
    else {
      rules = evaluateRules(indicators, { ...context, monitored: monitored.has(match.householdId) });
      result = rules.length ? 'warning' : 'matched';
    }
    if (result === 'duplicate') counts.duplicates++;
    else if (result === 'unmatched') counts.unmatched++;
    else counts.matched++;
    if (result === 'warning') counts.warnings++;
    return {
      batch_id: id,
      seq: i + 1,
      id_number: idNumber,
      name: r.name,
      indicators: JSON.stringify(indicators),
      result,
      household_id: duplicate ? null : (match?.householdId ?? null),
      relation: duplicate ? null : (match?.relation ?? null),
      rules: rules.length ? JSON.stringify(rules) : null,
    };
  });
  try {
    await knex.transaction(async (trx) => {
      await trx('exchange_batch').insert({
        id,
        delivery_key: delivery.key,
        department: input.department,
        kind: input.kind,
        sender_id: `${actor.kind}:${actor.id}`,
        sender_name: actor.name,
        source: delivery.source,
        policy_version: `${policy.version}#${policy.digest}`,
        received: rows.length,
        ...counts,
        processed: 0,
        status: 'processing',
        received_at: now,
      });
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx('exchange_record').insert(rows.slice(i, i + INSERT_CHUNK));
    });
  } catch (err) {
    // Two deliveries of one batch at once: the second answers the first's.
    const again = await deliveredBefore(knex, delivery.key);
    if (!again) throw err;
    return { id: again.id, received: again.received, matched: again.matched, unmatched: again.unmatched, warnings: again.warnings };
  }
  return { id, received: rows.length, matched: counts.matched, unmatched: counts.unmatched, warnings: counts.warnings };
}

/** The workflow id of a batch's follow-up. */
export const batchWorkflowId = (batchId: string) => `${DATA_VERIFICATION.batchWorkflowType}:${batchId}`;

async function startBatchWorkflow(services: Services, b: { batchId: string; department: string; total: number }): Promise<void> {
  const input: DataExchangeBatchInput = { ...b, due: services.policy().dataExchange.verification, taskQueue: services.temporal.taskQueue };
  try {
    await services.temporal.client.workflow.start(DATA_VERIFICATION.batchWorkflowType, { workflowId: batchWorkflowId(b.batchId), taskQueue: services.temporal.taskQueue, args: [input], workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw fromTemporal(err);
  }
}
