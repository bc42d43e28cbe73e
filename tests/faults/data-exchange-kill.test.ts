/**
 * The worker SIGKILLed while a department's batch of 20,000 records is followed up (issue 20, "Done when"):
 * 区医保局 sends its yearly out-of-pocket list, FAULT_EXCHANGE_WARNINGS (default 200) records of it belong
 * to registered households and set off the P3-threshold rule, a few of those households are monitored
 * already (a note, no verification), the rest are people the register does not know. The worker is killed
 * FAULT_KILLS times (default 3) as the batch's progress passes a quarter, a half and three quarters, and
 * started again. Then: the batch finishes with every record processed; every warning of an unmonitored
 * household has exactly one verification case (one workflow run, one case row, one open step in the
 * village cadre's inbox), none missing, none doubled; every monitored one a note and no case.
 *
 * Part of `npm test` (tests/faults/ is in the 'suite' project) and of `npm run test:faults`.
 */
import { describe, expect, it } from 'vitest';
import { Household, Process, Step } from '../../db';
import { batchWorkflowId } from '../../server/data-exchange/intake';
import { verificationId } from '../../processes/data-verification/contract';
import { KILLS, LIMIT, client, db, killWorker, log, reliably, sleep, startWorker, useFaultHarness } from './harness';

useFaultHarness();

const RECORDS = 20_000;
const WARNINGS = Number(process.env.FAULT_EXCHANGE_WARNINGS || 200);
/** Every MONITORED_EVERY-th warned household is monitored already. */
const MONITORED_EVERY = 20;

/** A well-formed 身份证号 (the batch's schema checks the form) from a 6-digit area code and a number. */
function idNumber(area: string, n: number): string {
  const body = `${area}${String(n).padStart(11, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

async function addWarnedHouseholds(): Promise<{ id: string; idNumber: string; monitored: boolean }[]> {
  const em = db.em();
  const out = [];
  for (let i = 0; i < WARNINGS; i++) {
    const h = { id: `X${String(i).padStart(6, '0')}`, idNumber: idNumber('500113', i), monitored: i % MONITORED_EVERY === 0 };
    em.create(Household, { id: h.id, headName: `比对${i}`, idNumber: h.idNumber, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [], monitoringStatus: h.monitored ? 'monitored' : 'none' } as never);
    out.push(h);
  }
  await em.flush();
  return out;
}

const batchRow = async (id: string) => (await db.em().getKnex().select('status', 'processed').from('exchange_batch').where('id', id).first()) as { status: string; processed: number };

describe('the worker killed while a batch is followed up', () => {
  it(`SIGKILLs the worker ${KILLS} times during a batch of ${RECORDS} records: every warning opened exactly once`, async () => {
    const households = await addWarnedHouseholds();
    // The warned households spread over the batch: record 1, 1 + gap, 1 + 2·gap …; the others unknown.
    const gap = Math.floor(RECORDS / WARNINGS);
    const records = Array.from({ length: RECORDS }, (_, i) => {
      const h = i % gap === 0 ? households[i / gap] : undefined;
      return h ? { idNumber: h.idNumber, name: `比对${i / gap}`, outOfPocket: 52_000 } : { idNumber: idNumber('500114', i), name: `外地${i}`, outOfPocket: 52_000 };
    });
    const started = Date.now();
    const summary = await reliably('yibao', '/api/data-exchange/batches', { department: '区医保局', kind: '年度自付医疗费用', records }, 'fault-exchange-batch', [201]);
    expect(summary).toMatchObject({ received: RECORDS, matched: WARNINGS, unmatched: RECORDS - WARNINGS, warnings: WARNINGS });
    log(`batch ${summary.id} stored in ${Date.now() - started} ms`);

    // Kill the worker each time the batch's progress passes the next quarter, while it is still processing.
    const killedAt: number[] = [];
    for (let k = 1; k <= KILLS; k++) {
      const mark = Math.floor((RECORDS * k) / (KILLS + 1));
      let row = await batchRow(summary.id);
      while (row.processed < mark && row.status === 'processing') {
        await sleep(50);
        row = await batchRow(summary.id);
      }
      expect(row.status, `the batch finished before kill ${k} (at ${mark} records)`).toBe('processing');
      await killWorker('SIGKILL');
      killedAt.push(row.processed);
      log(`worker killed at ${row.processed} records`);
      await sleep(500);
      await startWorker();
    }
    expect(killedAt).toHaveLength(KILLS);

    // The batch finishes (through its continue-as-new runs) with every record processed.
    expect(await client.workflow.getHandle(batchWorkflowId(summary.id)).result()).toEqual({ processed: RECORDS });
    expect(await batchRow(summary.id)).toEqual({ status: 'done', processed: RECORDS });
    log(`batch followed up in ${Date.now() - started} ms, kills at ${killedAt.join(', ')} records`);

    // Every warning followed up once: a verification for each unmonitored household, a note for each monitored one.
    const knex = db.em().getKnex();
    const warned = (await knex.select('seq', 'household_id', 'follow_up', 'verification_id', 'outcome').from('exchange_record').where({ batch_id: summary.id, result: 'warning' }).orderBy('seq')) as {
      seq: number;
      household_id: string;
      follow_up: string;
      verification_id: string | null;
      outcome: string;
    }[];
    expect(warned).toHaveLength(WARNINGS);
    const monitored = new Set(households.filter((h) => h.monitored).map((h) => h.id));
    for (const r of warned) {
      expect(r, `record ${r.seq}`).toEqual(
        monitored.has(r.household_id)
          ? { seq: r.seq, household_id: r.household_id, follow_up: 'note', verification_id: null, outcome: 'noted' }
          : { seq: r.seq, household_id: r.household_id, follow_up: 'verification', verification_id: verificationId(r.household_id, summary.id, r.seq), outcome: 'open' },
      );
    }
    const expected = warned.filter((r) => r.follow_up === 'verification').map((r) => r.verification_id!).sort();
    expect(expected).toHaveLength(WARNINGS - monitored.size);

    // Temporal: one run of each verification workflow, none other.
    // (The visibility store may lag a little behind the histories: read it until it holds them all.)
    let runs: string[] = [];
    for (let i = 0; i < 40; i++) {
      runs = [];
      for await (const w of client.workflow.list({ query: `WorkflowType = 'dataVerification'` })) runs.push(w.workflowId);
      if (runs.length >= expected.length) break;
      await sleep(500);
    }
    expect(runs.sort()).toEqual(expected);

    // The read model: one case row and one open step (in the village cadre's inbox) per verification.
    const em = db.em();
    const cases = await em.find(Process, { type: 'dataVerification' }, { orderBy: { id: 'ASC' } });
    expect(cases.map((c) => c.id).sort()).toEqual(expected);
    expect(cases.every((c) => c.status === 'running' && c.village === '荣光村')).toBe(true);
    const steps = await em.find(Step, { processType: 'dataVerification' });
    expect(steps.map((s) => s.processId).sort()).toEqual(expected);
    expect(steps.every((s) => s.stepId === 'dataVerification-1' && s.status === 'open')).toBe(true);
  }, LIMIT);
});
