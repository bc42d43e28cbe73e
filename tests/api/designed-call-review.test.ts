/**
 * A designed process calling the shared review procedure, over the API: a call activity to anything but
 * `review` is refused naming the element; a published one lists the review's steps with their usual forms
 * and the objection signal in its catalogue entry, and its case runs them with their usual roles and
 * prints its public notice as P1 does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/integrations';
import { bpmn, chain, flow } from '../helpers/bpmn';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const enc = encodeURIComponent;
const key = `subsidy${Date.now().toString(36)}`;
const forms = {
  apply: { type: 'object', title: '申请', required: ['householdId'], additionalProperties: false, properties: { householdId: { type: 'string', title: '农户编号' } } },
};
const xml = (called = 'review') =>
  bpmn(`
  <bpmn:startEvent id="start"/>
  <bpmn:callActivity id="review" name="资格审核" calledElement="${called}"/>
  <bpmn:exclusiveGateway id="decided" name="审核结果" default="f_refused"/>
  <bpmn:endEvent id="granted" name="已纳入"/>
  <bpmn:endEvent id="refused" name="未通过"/>
  ${chain('start', 'review', 'decided')}
  ${flow('f_granted', 'decided', 'granted', 'review.decision = "approved"')}
  ${flow('f_refused', 'decided', 'refused')}`);
const draft = (bpmnXml: string) =>
  t.call('admin', { method: 'POST', url: '/api/process-definitions', payload: { key, title: { zh: '专项补助', en: 'Special subsidy' }, bpmn: bpmnXml, forms, startRoles: ['village_cadre'], startForm: 'apply' } });
const caseOf = async (id: string) => (await t.call('admin', { method: 'GET', url: `/api/processes/${enc(id)}` })).json();
const openStep = (id: string, stepKey: string) => eventually(() => caseOf(id), (c: any) => !!c.openSteps?.some((s: { key: string }) => s.key === stepKey));
const step = (as: string, id: string, stepKey: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${enc(id)}/steps/${stepKey}`, payload: form });
const objection = (id: string) => t.call('cadre.rongguang', { method: 'POST', url: `/api/processes/${enc(id)}/signals/objection`, payload: { raisedBy: '村民甲', content: '该户家中有车' } });
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('a designed call activity to the review procedure', () => {
  it('refuses a call activity to anything but the review, a second one, and a task taking a review step’s key, naming each element in Chinese', async () => {
    const bad = await draft(xml('other'));
    expect(bad.statusCode).toBe(422);
    const details = bad.json().error.details as { field: string; message: string }[];
    expect(details.find((d) => d.field === 'review')?.message).toMatch(/「资格审核」调用活动不支持调用「other」/);
    // The review runs once at a time under its own step keys: a second call activity, or a task taking one of its keys, is refused.
    const twice = await draft(
      xml()
        .replace('<bpmn:endEvent id="granted" name="已纳入"/>', '<bpmn:callActivity id="again" name="复审" calledElement="review"/><bpmn:userTask id="homeVerification" name="走访" ff:role="village_cadre"/><bpmn:endEvent id="granted" name="已纳入"/>')
        .replace(`${flow('f_granted', 'decided', 'granted', 'review.decision = "approved"')}`, `${flow('f_granted', 'decided', 'again', 'review.decision = "approved"')}${chain('again', 'homeVerification', 'granted')}`),
    );
    expect(twice.statusCode).toBe(422);
    const problems = twice.json().error.details as { field: string; message: string }[];
    expect(problems.map((d) => d.field).sort()).toEqual(['again', 'homeVerification']);
    expect(problems.find((d) => d.field === 'again')?.message).toContain('只能有一个调用审核程序的调用活动');
    expect(problems.find((d) => d.field === 'homeVerification')?.message).toContain('与审核程序的环节重名');
  });

  it('publishes: the review steps and the objection signal are in the catalogue; a case opens 入户核实 for the village, prints its notice and takes objections only while the notice is up', async () => {
    const created = await draft(xml());
    expect(created.statusCode).toBe(201);
    expect((await t.call('admin', { method: 'POST', url: `/api/process-definitions/${created.json().id}/publish` })).statusCode).toBe(200);
    const types = (await t.call('cadre.rongguang', { method: 'GET', url: '/api/process-types' })).json() as any[];
    const type = types.find((p) => p.type === key);
    expect(type.steps.map((s: { key: string }) => s.key)).toEqual(['homeVerification', 'villageReview', 'publicNotice', 'objectionReview', 'townReview', 'districtApproval']);
    expect(type.steps.find((s: { key: string }) => s.key === 'homeVerification')).toMatchObject({ role: 'village_cadre', scope: 'village', title: { zh: '入户核实' } });
    expect(type.signals).toMatchObject([{ name: 'objection', title: { zh: '公示异议' }, stages: ['publicNotice'] }]);

    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: key, input: { householdId: 'H00000003' } } });
    expect(started.statusCode).toBe(201);
    const id = started.json().id as string;
    await openStep(id, 'homeVerification');
    const verification = { verifiedOn: today(), coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 4800, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '医疗支出大' };
    expect((await step('cadre.jixing', id, 'homeVerification', verification)).statusCode).toBeGreaterThanOrEqual(403);
    expect((await step('cadre.rongguang', id, 'homeVerification', verification)).statusCode).toBe(200);
    await openStep(id, 'villageReview');
    expect((await objection(id)).statusCode).toBe(409);
    expect((await step('cadre.rongguang', id, 'villageReview', { heldOn: today(), participants: 20, result: 'pass', minutes: '同意' })).statusCode).toBe(200);
    await openStep(id, 'publicNotice');
    // The notice is printed as P1's: the head of the household and the village, the period, no id.
    const headName = (await t.call('admin', { method: 'GET', url: '/api/households/H00000003' })).json().headName as string;
    const notice = (await t.call('cadre.rongguang', { method: 'GET', url: `/api/processes/${enc(id)}/notice` })).json();
    expect(notice).toMatchObject({ title: '专项补助公示', status: 'posted', householdHead: headName, town: '统景镇', village: '荣光村', period: { minimumDays: 5 } });
    expect(notice.text).toContain('拟同意下列农户的「专项补助」申请');
    expect(notice.text).not.toContain('H00000003');
    expect((await objection(id)).statusCode).toBe(202);
    const reviewing = await openStep(id, 'objectionReview');
    expect(reviewing.stage).toBe('publicNotice');
    const inbox = (await t.call('town.tongjing', { method: 'GET', url: `/api/steps?filter=${enc(JSON.stringify({ processId: id }))}` })).json() as any[];
    expect(inbox.some((s) => s.stepKey === 'objectionReview' && s.status === 'open')).toBe(true);
  });
});
