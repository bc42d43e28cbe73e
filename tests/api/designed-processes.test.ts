/**
 * Designed processes over the API (API.md "Designed processes"): an administrator drafts a BPMN
 * definition (refused, naming the element, when the engine cannot run it), publishes it, and the type
 * is then started, worked and signalled like a coded one; a new version never changes a running case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createKey, eventually, withKey } from '../helpers/integrations';
import { bpmn, chain, flow, task } from '../helpers/bpmn';
import { loadDesignedExamples } from '../../server/processes/designed-examples';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const enc = encodeURIComponent;
const key = `relief${Date.now().toString(36)}`;
const forms = {
  apply: {
    type: 'object',
    title: '临时救助申请',
    required: ['householdId', 'reason'],
    additionalProperties: false,
    properties: { householdId: { type: 'string', title: '农户编号' }, reason: { type: 'string', title: '申请事由', minLength: 1 } },
  },
  verify: {
    type: 'object',
    title: '核实',
    required: ['amount'],
    additionalProperties: false,
    properties: { amount: { type: 'number', title: '拟救助金额（元）', minimum: 0 } },
  },
};
const xml = (approvalName = '区级审批') =>
  bpmn(
    `
  <bpmn:startEvent id="start"/>
  ${task('verifyStep', '村级核实', 'village_cadre', 'ff:form="verify" ff:due="workingDays:3"')}
  <bpmn:exclusiveGateway id="amountCheck" name="金额判断" default="f_small"/>
  ${task('districtApproval', approvalName, 'district_supervisor')}
  ${task('townApproval', '镇级审批', 'town_officer')}
  <bpmn:intermediateCatchEvent id="payment" name="等待发放"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" name="救助办结"/>
  ${chain('start', 'verifyStep', 'amountCheck')}
  ${flow('f_big', 'amountCheck', 'districtApproval', 'verifyStep.amount > 5000')}
  ${flow('f_small', 'amountCheck', 'townApproval')}
  ${chain('districtApproval', 'payment')}
  ${chain('townApproval', 'payment', 'end')}`,
    ['paid'],
  );
const draft = (body: Record<string, unknown>, as = 'admin') => t.call(as, { method: 'POST', url: '/api/process-definitions', payload: { key, title: { zh: '临时救助', en: 'Temporary assistance' }, bpmn: xml(), forms, startRoles: ['village_cadre', 'town_officer'], startForm: 'apply', ...body } });
const publish = (id: string) => t.call('admin', { method: 'POST', url: `/api/process-definitions/${id}/publish` });
const caseOf = (id: string, as = 'admin') => t.call(as, { method: 'GET', url: `/api/processes/${enc(id)}` });
const openStep = (id: string, stepKey: string) => eventually(async () => (await caseOf(id)).json(), (c: any) => !!c.openSteps?.some((s: { key: string }) => s.key === stepKey));
const step = (as: string, id: string, stepKey: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${enc(id)}/steps/${stepKey}`, payload: form });
const start = (as: string, input: object) => t.call(as, { method: 'POST', url: '/api/processes', payload: { type: key, input } });

describe('designed process definitions', () => {
  it('refuses what the engine cannot run, naming each element and why in Chinese', async () => {
    const bad = await draft({
      bpmn: bpmn(`
        <bpmn:startEvent id="start"/>
        <bpmn:scriptTask id="calc" name="计算"/>
        <bpmn:userTask id="noRole" name="无角色"/>
        <bpmn:endEvent id="end"/>
        ${chain('start', 'calc', 'noRole', 'end')}`),
    });
    expect(bad.statusCode).toBe(422);
    const details = bad.json().error.details as { field: string; rule: string; message: string }[];
    expect(details.find((d) => d.field === 'calc')?.message).toContain('不支持');
    // In plain Chinese for the designer's list; the attribute for API clients in `rule`.
    expect(details.find((d) => d.field === 'noRole')).toMatchObject({ rule: 'ff:role', message: '「无角色」须指定办理角色（村干部、镇工作组、区级部门、区专班之一）' });
    // The two refused tasks are still connected: their neighbours are not reported as unconnected too.
    expect(details.map((d) => d.field).sort()).toEqual(['calc', 'noRole']);
    const badFeel = await draft({ bpmn: xml().replace('verifyStep.amount &gt; 5000', 'verifyStep.amount &gt;') });
    expect(badFeel.statusCode).toBe(422);
    expect(badFeel.json().error.details[0]).toMatchObject({ field: 'f_big' });
    expect((await draft({ key: 'Bad-key' })).statusCode).toBe(400);
    expect((await draft({ key: 'identification' })).statusCode).toBe(409);
    expect((await draft({ startForm: 'missing' })).json().error.details[0].field).toBe('startForm');
    expect((await draft({}, 'town.tongjing')).statusCode).toBe(403);
  });

  it('publishes a draft into the catalogue; a case starts, routes by a form value, takes a message from an API key holding only its scope', async () => {
    const created = await draft({});
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key, version: 1, status: 'draft' });
    const id = created.json().id as string;
    expect((await start('cadre.rongguang', { householdId: 'H00000003', reason: '因病' })).statusCode).toBe(404); // not published yet
    const detail = (await t.call('admin', { method: 'GET', url: `/api/process-definitions/${id}` })).json();
    expect(detail).toMatchObject({ key, status: 'draft', forms });
    expect(detail.bpmn).toContain('verifyStep');

    expect((await publish(id)).json()).toMatchObject({ status: 'active', version: 1 });
    expect((await publish(id)).statusCode).toBe(409);
    const list = (await t.call('admin', { method: 'GET', url: `/api/process-definitions?filter=${enc(JSON.stringify({ key }))}` })).json();
    expect(list).toHaveLength(1);
    const types = (await t.call('cadre.rongguang', { method: 'GET', url: '/api/process-types' })).json() as any[];
    const type = types.find((p) => p.type === key);
    expect(type.title.zh).toBe('临时救助');
    expect(type.steps.map((s: { key: string }) => s.key).sort()).toEqual(['districtApproval', 'townApproval', 'verifyStep']);
    expect(type.steps.find((s: { key: string }) => s.key === 'verifyStep')).toMatchObject({ role: 'village_cadre', scope: 'village', form: forms.verify });
    expect(type.startSchema).toEqual(forms.apply);
    expect(type.signals.map((s: { name: string }) => s.name)).toEqual(['paid']);

    expect((await start('yibao', { householdId: 'H00000003', reason: '因病' })).statusCode).toBe(403);
    const invalid = await start('cadre.rongguang', { householdId: 'H00000003' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details[0].field).toBe('input.reason');
    const started = await start('cadre.rongguang', { householdId: 'H00000003', reason: '因病' });
    expect(started.statusCode).toBe(201);
    const caseId = started.json().id as string;
    await openStep(caseId, 'verifyStep');
    expect((await step('cadre.rongguang', caseId, 'verifyStep', { amount: 'much' })).statusCode).toBe(400);
    expect((await step('cadre.jixing', caseId, 'verifyStep', { amount: 8000 })).statusCode).toBeGreaterThanOrEqual(403);
    expect((await step('cadre.rongguang', caseId, 'verifyStep', { amount: 8000 })).statusCode).toBe(200);
    await openStep(caseId, 'districtApproval');
    const inbox = (await t.call('supervisor', { method: 'GET', url: `/api/steps?filter=${enc(JSON.stringify({ processId: caseId }))}` })).json() as any[];
    expect(inbox.some((s) => s.stepKey === 'districtApproval' && s.status === 'open')).toBe(true);
    expect((await step('supervisor', caseId, 'districtApproval', {})).statusCode).toBe(200);

    const other = await createKey(t, [`start:${key}`]);
    const scoped = await createKey(t, [`signal:${key}.paid`]);
    const signalUrl = `/api/processes/${enc(caseId)}/signals/paid`;
    expect((await withKey(t, other.key, { method: 'POST', url: signalUrl, payload: { voucher: 'PZ-1' } })).statusCode).toBe(403);
    expect((await withKey(t, scoped.key, { method: 'POST', url: signalUrl, payload: { voucher: 'PZ-1' } })).statusCode).toBe(202);
    const done = await eventually(async () => (await caseOf(caseId)).json(), (c: any) => c.status === 'completed');
    expect(done.status).toBe('completed');
  });

  it('a version published while a case runs: the case finishes on the version it started with', async () => {
    const started = await start('town.tongjing', { householdId: 'H00000004', reason: '因灾' });
    expect(started.statusCode).toBe(201);
    const caseId = started.json().id as string;
    await openStep(caseId, 'verifyStep');
    // Version 2 renames a task and asks more of the verification form; the running case keeps version 1's.
    const v2 = await draft({ bpmn: xml('区级终审'), forms: { ...forms, verify: { ...forms.verify, required: ['amount', 'note'], properties: { ...forms.verify.properties, note: { type: 'string', title: '备注' } } } } });
    expect(v2.json()).toMatchObject({ version: 2 });
    expect((await publish(v2.json().id)).json()).toMatchObject({ version: 2, status: 'active' });
    const types = (await t.call('admin', { method: 'GET', url: '/api/process-types' })).json() as any[];
    expect(types.find((p) => p.type === key).steps.find((s: { key: string }) => s.key === 'districtApproval').title.zh).toBe('区级终审');

    expect((await step('cadre.rongguang', caseId, 'verifyStep', { amount: 9000 })).statusCode).toBe(200);
    const c = await openStep(caseId, 'districtApproval');
    expect(c.openSteps.find((s: { key: string }) => s.key === 'districtApproval').title.zh).toBe('区级审批');
    expect(c.state.data.definition).toEqual({ key, version: 1 });
    expect((await step('supervisor', caseId, 'districtApproval', {})).statusCode).toBe(200);
    expect((await t.call('admin', { method: 'POST', url: `/api/processes/${enc(caseId)}/signals/paid`, payload: { voucher: 'PZ-2' } })).statusCode).toBe(202);
    const done = await eventually(async () => (await caseOf(caseId)).json(), (x: any) => x.status === 'completed');
    expect(done.state.data.definition).toEqual({ key, version: 1 });
  });

  it('the shipped 临时救助 loads as a published definition and runs: village verification, town approval with an amount, district approval above ¥5,000, payment by 区民政局', async () => {
    expect(await loadDesignedExamples(t.services)).toEqual(['temporaryRelief', 'projectLibrary']);
    expect(await loadDesignedExamples(t.services)).toEqual([]);
    const types = (await t.call('cadre.rongguang', { method: 'GET', url: '/api/process-types' })).json() as any[];
    expect(types.find((p) => p.type === 'temporaryRelief').title.zh).toBe('临时救助');
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'temporaryRelief', input: { householdId: 'H00000002', reason: '火灾损毁住房', requested: 8000 } } });
    expect(started.statusCode).toBe(201);
    const caseId = started.json().id as string;
    await openStep(caseId, 'verify');
    expect((await step('cadre.rongguang', caseId, 'verify', { findings: '属实', confirmed: true })).statusCode).toBe(200);
    await openStep(caseId, 'townApproval');
    expect((await step('town.tongjing', caseId, 'townApproval', { decision: 'approve', amount: 6000 })).statusCode).toBe(200);
    await openStep(caseId, 'districtApproval');
    expect((await step('supervisor', caseId, 'districtApproval', { opinion: '同意' })).statusCode).toBe(200);
    await openStep(caseId, 'payment');
    // Another department neither sees the case nor may pay (the same answer as for a case that does not exist).
    expect((await step('yibao', caseId, 'payment', { voucherNo: 'MZ-1', paidOn: '2026-12-07' })).statusCode).toBe(404);
    expect((await step('minzheng', caseId, 'payment', { voucherNo: 'MZ-1', paidOn: '2026-12-07' })).statusCode).toBe(200);
    const done = await eventually(async () => (await caseOf(caseId)).json(), (x: any) => x.status === 'completed');
    expect(done.state.outcome.result).toContain('救助已发放');
  });

  it('the shipped project library runs its five levels: the department returns the application to the town with its reasons, the town passes it again, and it is filed', async () => {
    const types = (await t.call('cadre.rongguang', { method: 'GET', url: '/api/process-types' })).json() as any[];
    expect(types.find((p) => p.type === 'projectLibrary').title.zh).toBe('项目库五级申报');
    const declaration = { projectName: '荣光村柑橘分拣中心', category: '产业发展', budget: 380000, beneficiaries: 42, description: '新建分拣厂房 300 平方米及冷库' };
    // Only a village cadre declares.
    expect((await t.call('town.tongjing', { method: 'POST', url: '/api/processes', payload: { type: 'projectLibrary', input: declaration } })).statusCode).toBe(403);
    const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'projectLibrary', input: declaration } });
    expect(started.statusCode).toBe(201);
    const caseId = started.json().id as string;
    await openStep(caseId, 'townReview');
    expect((await step('town.tongjing', caseId, 'townReview', { decision: 'pass', reasons: '符合产业规划' })).statusCode).toBe(200);
    await openStep(caseId, 'departmentReview');
    // A return without its reasons is refused, naming the field.
    const bare = await step('shuili', caseId, 'departmentReview', { decision: 'return' });
    expect(bare.statusCode).toBe(400);
    expect(JSON.stringify(bare.json())).toContain('reasons');
    expect((await step('shuili', caseId, 'departmentReview', { decision: 'return', reasons: '缺少用地手续' })).statusCode).toBe(200);
    // Returned one level down: the town reviews again (the village is not asked).
    const back = await openStep(caseId, 'townReview');
    expect(back.openSteps.map((s: { key: string }) => s.key)).toEqual(['townReview']);
    expect(back.state.data.forms.departmentReview).toEqual({ decision: 'return', reasons: '缺少用地手续' });
    expect((await step('town.tongjing', caseId, 'townReview', { decision: 'pass', reasons: '已补充用地手续' })).statusCode).toBe(200);
    await openStep(caseId, 'departmentReview');
    expect((await step('shuili', caseId, 'departmentReview', { decision: 'pass' })).statusCode).toBe(200);
    await openStep(caseId, 'districtApproval');
    expect((await step('supervisor', caseId, 'districtApproval', { decision: 'pass' })).statusCode).toBe(200);
    await openStep(caseId, 'cityFiling');
    expect((await step('supervisor', caseId, 'cityFiling', { decision: 'pass', reasons: '已报市级备案' })).statusCode).toBe(200);
    const done = await eventually(async () => (await caseOf(caseId)).json(), (x: any) => x.status === 'completed');
    expect(done.state.outcome.result).toContain('项目已入库');
    expect(done.state.steps.filter((s: { key: string }) => s.key === 'townReview')).toHaveLength(2);
  });
});
