/**
 * The batch workflow's activities: follow a chunk of warnings up, keep the batch's progress, and record
 * each verification's outcome on its record (what the department reads back). Every one is idempotent:
 * a retried or replayed call changes nothing twice.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db';
import { MEASURE_CATEGORIES } from '../../contracts/vocabulary';
import { shanghaiDate } from '../../calendar/dates';
import { addMeasureToPlan } from '../helper-assignment/plan-measure';
import { verificationId, type FiredRule, type VerificationToOpen } from './contract';
import { exchangeRule } from './rules';

/** Days a suggested measure is due in: by the helper's next monthly visit or so. */
const MEASURE_DUE_DAYS = 30;

interface WarnedRow {
  seq: number;
  name: string;
  household_id: string;
  rules: string;
  follow_up: string | null;
  head_name: string;
  town: string;
  village: string;
  monitoring_status: string;
  department: string;
}

/**
 * A monitored household's warning as measures suggested for its 一户一策 plan (one per fired rule that
 * suggests one, event id `<batch>:<seq>:<rule>` so a retried chunk adds each once), and the note the
 * department reads about them.
 */
async function suggestMeasures(db: Db, client: () => Pick<Client, 'workflow'>, batchId: string, r: WarnedRow): Promise<string> {
  const dueDate = shanghaiDate(new Date(Date.now() + MEASURE_DUE_DAYS * 86_400_000));
  const suggested: string[] = [];
  let unplanned = false;
  for (const fired of JSON.parse(r.rules) as FiredRule[]) {
    const measure = exchangeRule(fired.rule)?.measure;
    if (!measure) continue;
    const done = await addMeasureToPlan(db, client, {
      householdId: r.household_id,
      eventId: `${batchId}:${r.seq}:${fired.rule}`,
      source: `${r.department}数据比对 ${batchId}-${r.seq}`,
      measure: { category: measure.category, target: `${fired.text}（${r.name}）：${measure.target}`, responsibleUnit: r.department, dueDate },
    });
    suggested.push(MEASURE_CATEGORIES[measure.category].zh);
    unplanned ||= !done.helperProcessId;
  }
  if (!suggested.length) return '已是监测户，预警已记录';
  const list = [...new Set(suggested)].join('、');
  return unplanned ? `已是监测户，建议帮扶措施：${list}；该户没有办理中的帮扶流程，请帮扶责任人补入帮扶计划` : `已是监测户，已在帮扶计划中建议措施：${list}`;
}

/** The activities; `client` signals P2 (default: the worker's own client, the activity context's). */
export function dataVerificationActivities({ db, client = () => Context.current().client }: { db: Db; client?: () => Pick<Client, 'workflow'> }) {
  const knex = () => db.em().getKnex();
  return {
    /**
     * The warnings among records `from`…`to` of a batch: a household already monitored gets a note on
     * the record and the measures its rules suggest in its plan; every other warning a verification case, whose id and input are answered (also when
     * an earlier attempt marked it already: the workflow opens each id once).
     */
    async followUpExchangeRecords(a: { batchId: string; from: number; to: number }): Promise<VerificationToOpen[]> {
      const rows = (await knex()
        .select('r.seq', 'r.name', 'r.household_id', 'r.rules', 'r.follow_up', 'h.head_name', 'h.town', 'h.village', 'h.monitoring_status', 'b.department')
        .from('exchange_record as r')
        .join('household as h', 'h.id', 'r.household_id')
        .join('exchange_batch as b', 'b.id', 'r.batch_id')
        .where('r.batch_id', a.batchId)
        .andWhere('r.result', 'warning')
        .andWhereBetween('r.seq', [a.from, a.to])
        .orderBy('r.seq')) as WarnedRow[];
      const noted = rows.filter((r) => r.follow_up === 'note' || (r.follow_up === null && r.monitoring_status === 'monitored'));
      const verified = rows.filter((r) => !noted.includes(r));
      const fresh = (seqs: number[]) => knex()('exchange_record').where('batch_id', a.batchId).whereIn('seq', seqs).whereNull('follow_up');
      // Measures first (P2 keeps each once): a chunk retried after a crash in between suggests none twice.
      for (const r of noted) {
        const note = await suggestMeasures(db, client, a.batchId, r);
        await fresh([r.seq]).update({ follow_up: 'note', outcome: 'noted', reasons: note, decided_at: new Date() });
      }
      for (const r of verified.filter((v) => v.follow_up === null)) {
        await fresh([r.seq]).update({ follow_up: 'verification', outcome: 'open', verification_id: verificationId(r.household_id, a.batchId, r.seq) });
      }
      return verified.map((r) => ({
        processId: verificationId(r.household_id, a.batchId, r.seq),
        input: {
          batchId: a.batchId,
          seq: r.seq,
          department: r.department,
          household: { id: r.household_id, headName: r.head_name, town: r.town, village: r.village },
          personName: r.name,
          rules: JSON.parse(r.rules) as FiredRule[],
        },
      }));
    },

    /** Records done so far (never going back), and the batch finished. */
    async recordExchangeProgress(a: { batchId: string; processed: number; done: boolean }): Promise<void> {
      await knex()('exchange_batch')
        .where('id', a.batchId)
        .andWhere('processed', '<=', a.processed)
        .update({ processed: a.processed, ...(a.done ? { status: 'done', finished_at: new Date() } : {}) });
    },

    /** A verification's outcome on its record: confirmed (with the identification it went to) or dismissed with reasons. */
    async recordExchangeOutcome(a: { batchId: string; seq: number; outcome: 'confirmed' | 'dismissed'; reasons?: string; caseId?: string }): Promise<void> {
      await knex()('exchange_record')
        .where({ batch_id: a.batchId, seq: a.seq })
        .update({ outcome: a.outcome, reasons: a.reasons ?? null, case_id: a.caseId ?? null, decided_at: new Date() });
    },
  };
}
