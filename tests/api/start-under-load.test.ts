/**
 * A 201 means what it says at any load: 64 identifications started at once while no worker runs (a
 * worker far behind), the worker started only after longer than any start used to wait; every start
 * answers 201 once its first step is open, and each first step is completed right after its 201.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestWorker, type TestApp } from '../helpers/app';
import { Household } from '../../db';

const CASES = 64;
const CADRE = 'cadre.rongguang';
const verification = { verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' };

let t: TestApp;
let worker: { stop(): Promise<void> } | undefined;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
  const em = t.db.em();
  for (let i = 0; i < CASES; i++) {
    const id = `L${String(i).padStart(8, '0')}`;
    em.create(Household, { id, headName: `负载户${i}`, idNumber: `LOAD-${id}`, town: '统景镇', village: '荣光村', memberCount: 3 });
  }
  await em.flush();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('starting cases under load', () => {
  it('answers each of 64 concurrent starts only when its first step can be completed', async () => {
    await t.login(CADRE);
    const answered: number[] = [];
    const units = Array.from({ length: CASES }, async (_, i) => {
      const householdId = `L${String(i).padStart(8, '0')}`;
      const started = await t.call(CADRE, {
        method: 'POST',
        url: '/api/processes',
        payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '负载测试：户主患病' } },
      });
      answered.push(i);
      if (started.statusCode !== 201) return { start: started.statusCode, complete: 0, body: started.body };
      const { id } = started.json();
      const done = await t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/homeVerification`, payload: verification });
      return { start: 201, complete: done.statusCode, body: done.body };
    });
    // Longer than the old start's 5 s wait for the first steps: none may have answered yet.
    await sleep(6000);
    expect(answered).toEqual([]);
    worker = await startTestWorker(t.services);
    const results = await Promise.all(units);
    const failed = results.filter((r) => r.start !== 201 || r.complete !== 200);
    expect(failed).toEqual([]);

    // Every case moved on past its first step, as the read model lists it.
    const res = await t.call('admin', { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ processType: 'identification', status: 'done' }))}&range=[0,199]` });
    expect(res.statusCode).toBe(200);
    expect(res.json().filter((s: { stepKey: string; householdId?: string }) => s.stepKey === 'homeVerification' && s.householdId?.startsWith('L')).length).toBe(CASES);
  }, 300_000);
});
