/**
 * The batch workflow's activities: follow a chunk of warnings up, keep the batch's progress, and record
 * each verification's outcome on its record (what the department reads back). Every one is idempotent:
 * a retried or replayed call changes nothing twice.
 */
import type { Db } from '../../db';
import { verificationId, type FiredRule, type VerificationToOpen } from './contract';

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

export function dataVerificationActivities({ db }: { db: Db }) {
  const knex = () => db.em().getKnex();
  return {
    /**
     * The warnings among records `from`…`to` of a batch: a household already monitored gets a note on
     * the record; every other warning a verification case, whose id and input are answered (also when
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
      if (noted.length) await fresh(noted.map((r) => r.seq)).update({ follow_up: 'note', outcome: 'noted' });
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
