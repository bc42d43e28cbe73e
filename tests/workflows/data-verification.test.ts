/**
 * Department data exchange on the time-skipping server: a batch's workflow opens one verification per
 * warning (a note for a household already monitored), a dismissal needs reasons, a confirmation starts the
 * household's identification as a 区残联 alert, and the outcomes land on the batch's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowEnv, refusal, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { randomIdNumber } from '../helpers/integrations';
import { Household, Step } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';
import { receiveBatch, batchWorkflowId } from '../../server/data-exchange/intake';

let t: WorkflowTestEnv;
let cadre: Actor;
beforeAll(async () => {
  t = await startWorkflowEnv();
  cadre = await t.actor('cadre.rongguang');
});
afterAll(async () => t?.close());

const recordsOf = (batchId: string) => t.db.em().getKnex()('exchange_record').where('batch_id', batchId).orderBy('seq') as Promise<Record<string, any>[]>;

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await get();
  for (let i = 0; i < 200 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 50));
    v = await get();
  }
  return v;
}

describe('data exchange batch and verification', () => {
  it('opens a verification per warning, notes a monitored household, and records confirmations and dismissals', async () => {
    const [a, b, monitored] = await t.db.em().find(Household, { village: '荣光村' }, { orderBy: { id: 'ASC' }, limit: 3 });
    await t.db.em().nativeUpdate(Household, { id: monitored.id }, { monitoringStatus: 'monitored' });
    const admin = await t.actor('admin');
    const summary = await receiveBatch(
      t.services,
      admin,
      {
        department: '区残联',
        kind: '新办残疾证',
        records: [
          { idNumber: a.idNumber, name: a.headName, disabilityGrade: 1 },
          { idNumber: randomIdNumber(), name: '外地人员', disabilityGrade: 2 },
          { idNumber: b.idNumber, name: b.headName, disabilityGrade: 3 },
          { idNumber: monitored.idNumber, name: monitored.headName, disabilityGrade: 4 },
        ],
      },
      { key: 'wf-test-batch', source: 'api' },
    );
    expect(summary).toMatchObject({ received: 4, matched: 3, unmatched: 1, warnings: 3 });

    const batch = t.env.client.workflow.getHandle(batchWorkflowId(summary.id));
    const rows = await until(() => recordsOf(summary.id), (rs) => rs.filter((r) => r.follow_up).length === 3);
    expect(rows.map((r) => r.follow_up)).toEqual(['verification', null, 'verification', 'note']);
    expect(rows[3].outcome).toBe('noted');

    const confirm = t.env.client.workflow.getHandle(rows[0].verification_id);
    const dismiss = t.env.client.workflow.getHandle(rows[2].verification_id);
    // (The records are marked before the batch opens their cases: wait for both steps in the read model.)
    await until(() => t.db.em().count(Step, { processId: { $in: [rows[0].verification_id, rows[2].verification_id] }, status: 'open' }), (n) => n === 2);
    const update = (h: typeof confirm, form: Record<string, unknown>) => h.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'dataVerification', form, actor: cadre }] });
    expect((await refusal(update(dismiss, { decision: 'dismiss' }))).message).toContain('理由');
    expect((await update(dismiss, { decision: 'dismiss', reasons: '残疾证为外地同名人员' })).status).toBe('rejected');

    expect((await update(confirm, { decision: 'confirm', reasons: '属实' })).status).toBe('completed');
    const done = await until(() => recordsOf(summary.id), (rs) => rs[0].outcome === 'confirmed' && rs[2].outcome === 'dismissed');
    expect(done[2].reasons).toBe('残疾证为外地同名人员');
    expect(done[0].case_id).toMatch(/^identification:/);
    const identification = await waitForState<any>(t.env.client.workflow.getHandle(done[0].case_id), (s) => !!s.data?.request);
    expect(identification.data.request).toMatchObject({ channel: 'department_alert', alert: { department: '区残联' }, riskTypes: ['disability'] });

    expect((await batch.describe()).status.name).toBe('COMPLETED');
    const [stored] = (await t.db.em().getKnex()('exchange_batch').where('id', summary.id)) as Record<string, any>[];
    expect(stored).toMatchObject({ processed: 4, status: 'done' });
    await recordHistory(batch, 'data-exchange-batch');
    await recordHistory(confirm, 'data-verification-confirmed');
    await recordHistory(dismiss, 'data-verification-dismissed');
  });
});
