/** The 脱贫户 visit round on the time-skipping server: one visit case per 脱贫户, due at the month's end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowEnv, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { Household, Process, Step } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';

let t: WorkflowTestEnv;
let cadre: Actor;
beforeAll(async () => {
  t = await startWorkflowEnv();
  cadre = await t.actor('cadre.rongguang');
});
afterAll(async () => t?.close());

describe('脱贫户 visit round', () => {
  it('opens one visit per 脱贫户, due at the month end; a visit closes its case; the others stay open', async () => {
    const households = await t.db.em().find(Household, { status: 'out_of_poverty' });
    const round = await t.env.client.workflow.start('outOfPovertyVisitRound', { workflowId: 'round-test', taskQueue: t.taskQueue, args: [{ due: { endOfMonth: true } }] });
    // (Waiting on results in the time-skipping server also moves its clock: poll the read model instead.)
    const count = households.length;
    expect(count).toBeGreaterThan(0);
    let rows = await t.db.em().find(Step, { processType: 'outOfPovertyVisit' });
    for (let i = 0; i < 100 && rows.length < count; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await t.db.em().find(Step, { processType: 'outOfPovertyVisit' });
    }
    expect(rows).toHaveLength(count);
    const month = rows[0].dueDate.slice(0, 7);
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    expect(new Set(rows.map((r) => r.dueDate))).toEqual(new Set([lastDay]));

    const mine = rows.find((r) => r.village === '荣光村')!;
    const visit = t.env.client.workflow.getHandle(mine.processId);
    const now = await t.env.currentTimeMs();
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    const state = await visit.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'povertyVisit', form: { visitedOn: today, notes: '生活稳定' }, actor: cadre }] });
    expect(state.status).toBe('completed');
    await recordHistory(visit, 'out-of-poverty-visit-done');
    await recordHistory(round, 'out-of-poverty-visit-round');
    expect((await round.describe()).status.name).toBe('COMPLETED');

    const open = await t.db.em().count(Process, { type: 'outOfPovertyVisit', status: 'running' });
    expect(open).toBe(count - 1);
  });
});
