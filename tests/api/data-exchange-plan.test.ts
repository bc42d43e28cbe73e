/**
 * A department's warning for a household already monitored (issue 20): no verification, a note on the
 * record, and the measure the rule suggests added to the household's 一户一策 plan (its open P2 case);
 * without an open P2 case the note says a person has to carry the measure over. The rules list the
 * measure each suggests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, eventually, json, newHousehold } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

async function monitoredHousehold() {
  const hh = await newHousehold(t, RONGGUANG);
  await t.db.em().getKnex()('household').where('id', hh.id).update({ monitoring_status: 'monitored' });
  return hh;
}

describe('a warning for a monitored household', () => {
  it("adds the rule's measure to the household's plan instead of opening a verification", async () => {
    const planned = await monitoredHousehold();
    const p2 = await t.call('admin', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: planned.id, includedOn: '2026-11-02' } } });
    expect(p2.statusCode, p2.body).toBe(201);
    const p2Id = p2.json().processId ?? p2.json().id;
    const unplanned = await monitoredHousehold();

    const sent = await t.call('zhujian', {
      method: 'POST',
      url: '/api/data-exchange/batches',
      payload: { department: '区住房城乡建委', kind: '房屋安全鉴定', records: [{ idNumber: planned.idNumber, name: '测试户', houseGrade: 'D' }, { idNumber: unplanned.idNumber, name: '测试户', houseGrade: 'C' }] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ received: 2, matched: 2, warnings: 2 });
    const batchId = sent.json().id;

    const rows = await eventually(
      async () => (await t.call('zhujian', { method: 'GET', url: `/api/data-exchange/batches/${batchId}/records?filter=${json({})}` })).json() as any[],
      (list) => list.every((r) => r.outcome === 'noted'),
      30_000,
    );
    expect(rows.map((r) => [r.outcome, r.followUp, r.verificationId, r.reasons])).toEqual([
      ['noted', 'note', null, '已是监测户，已在帮扶计划中建议措施：住房保障'],
      ['noted', 'note', null, '已是监测户，建议帮扶措施：住房保障；该户没有办理中的帮扶流程，请帮扶责任人补入帮扶计划'],
    ]);

    const plan = await eventually(
      async () => (await t.call('admin', { method: 'GET', url: `/api/processes/${encodeURIComponent(p2Id)}` })).json(),
      (p) => (p.state?.data?.measures ?? []).length > 0,
      20_000,
    );
    expect(plan.state.data.measures).toEqual([
      expect.objectContaining({ category: 'housing', responsibleUnit: '区住房城乡建委', status: 'planned', target: expect.stringContaining('房屋安全鉴定为 D 级危房'), source: `区住房城乡建委数据比对 ${batchId}-1` }),
    ]);

    const rules = (await t.call('admin', { method: 'GET', url: '/api/data-exchange/rules' })).json();
    expect(rules.find((r: any) => r.key === 'unsafeHouse').measure).toBe('住房保障');
  });
});
