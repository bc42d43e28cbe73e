/**
 * The BPMN interpreter (`designedProcess`) on the time-skipping server: every supported element and the
 * combinations the issue names (parallel inside exclusive, a timer boundary on a task inside a parallel
 * branch, a message arriving before and after its catch is reached), from BPMN parsed as the API does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { bpmn, chain, designedInput, flow, modelOf, task, timerDef } from '../helpers/bpmn';
import { completeStepUpdate } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import type { DesignedData, DesignedModel } from '../../processes/designed/contract';

type State = CaseState<DesignedData>;

let t: WorkflowTestEnv;
let admin: Actor;
let cadre: Actor;
let town: Actor;
let n = 0;
beforeAll(async () => {
  t = await startWorkflowEnv();
  admin = await t.actor('admin');
  cadre = await t.actor('cadre.rongguang');
  town = await t.actor('town.tongjing');
});
afterAll(async () => t?.close());

async function start(model: DesignedModel, startForm: Record<string, unknown> = {}) {
  const id = `designed-test:${++n}`;
  return t.env.client.workflow.start('designedProcess', { workflowId: id, taskQueue: t.taskQueue, args: [designedInput(id, model, startForm)] });
}
type Handle = Awaited<ReturnType<typeof start>>;

const open = (s: State) => s.steps.filter((x) => x.status === 'open').map((x) => x.key).sort();
const complete = (h: Handle, stepKey: string, form: Record<string, unknown> = {}, actor = admin) =>
  h.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] }) as unknown as Promise<State>;
const send = (h: Handle, name: string, payload: Record<string, unknown> = {}) => h.signal(name, { payload, actor: admin, receivedAt: new Date().toISOString() });

describe('designedProcess', () => {
  const approval = bpmn(`
    <bpmn:startEvent id="start"/>
    ${task('apply', '申请核实', 'village_cadre', 'ff:due="workingDays:3" ff:form="applyForm"')}
    <bpmn:exclusiveGateway id="amount" name="金额判断" default="f_small"/>
    <bpmn:parallelGateway id="fork"/>
    ${task('townReview', '镇级审核', 'town_officer')}
    ${task('payment', '民政局审定', 'department_officer', 'ff:department="区民政局" ff:due="calendarDays:7"')}
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="bigEnd" name="大额办结"/>
    <bpmn:endEvent id="smallEnd" name="小额办结"/>
    ${chain('start', 'apply', 'amount')}
    ${flow('f_big', 'amount', 'fork', 'apply.amount > 5000')}
    ${flow('f_small', 'amount', 'smallEnd')}
    ${chain('fork', 'townReview', 'join', 'bigEnd')}
    ${chain('fork', 'payment', 'join')}`);

  it('routes by a task form through an exclusive gateway: a parallel fork and join inside one branch, the default flow on the other', async () => {
    const model = await modelOf(approval, ['applyForm']);
    const big = await start(model);
    let s = await waitForState<State>(big, (x) => open(x).includes('apply'));
    const apply = s.steps.find((x) => x.key === 'apply')!;
    expect(apply).toMatchObject({ role: 'village_cadre', scope: 'village', title: { zh: '申请核实' } });
    // Only the household's village may complete it (authorization like a coded step).
    await expect(complete(big, 'apply', { amount: 8000 }, town)).rejects.toThrow();
    s = await complete(big, 'apply', { amount: 8000 }, cadre);
    expect(open(s)).toEqual(['payment', 'townReview']);
    expect(s.steps.find((x) => x.key === 'payment')).toMatchObject({ scope: 'department', department: '区民政局' });
    s = await complete(big, 'townReview', { opinion: '同意' }, town);
    expect(s.status).toBe('running');
    expect(open(s)).toEqual(['payment']);
    await complete(big, 'payment');
    s = await waitForState<State>(big, (x) => x.status === 'completed');
    expect(s.outcome?.result).toContain('大额办结');
    expect(s.data.forms.apply).toEqual({ amount: 8000 });
    await recordHistory(big, 'designed-parallel-in-exclusive');

    const small = await start(model);
    await waitForState<State>(small, (x) => open(x).includes('apply'));
    await complete(small, 'apply', { amount: 1000 });
    s = await waitForState<State>(small, (x) => x.status === 'completed');
    expect(s.outcome?.result).toContain('小额办结');
  });

  it('a timer boundary on a task inside a parallel branch: non-interrupting opens a 督办 step, interrupting takes the other path', async () => {
    const model = await modelOf(
      bpmn(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      ${task('verify', '入户核实', 'village_cadre', 'ff:due="calendarDays:10"')}
      <bpmn:boundaryEvent id="remind" name="3天督办" attachedToRef="verify" cancelActivity="false">${timerDef('P3D')}</bpmn:boundaryEvent>
      ${task('supervise', '督办', 'district_supervisor')}
      <bpmn:endEvent id="superviseEnd"/>
      ${task('approve', '乡镇审批', 'town_officer')}
      <bpmn:boundaryEvent id="late" name="5天未审批" attachedToRef="approve">${timerDef('calendarDays:5')}</bpmn:boundaryEvent>
      ${task('escalate', '区级处理', 'district_supervisor')}
      <bpmn:parallelGateway id="join"/>
      <bpmn:endEvent id="end" name="办结"/>
      ${chain('start', 'fork', 'verify', 'join', 'end')}
      ${chain('fork', 'approve', 'join')}
      ${chain('remind', 'supervise', 'superviseEnd')}
      ${chain('late', 'escalate', 'join')}`),
    );
    const h = await start(model);
    await waitForState<State>(h, (x) => open(x).length === 2);
    await t.env.sleep('4 days');
    let s = await waitForState<State>(h, (x) => open(x).includes('supervise'));
    expect(open(s)).toEqual(['approve', 'supervise', 'verify']);
    await t.env.sleep('2 days');
    s = await waitForState<State>(h, (x) => open(x).includes('escalate'));
    expect(open(s)).toEqual(['escalate', 'supervise', 'verify']);
    expect(s.steps.find((x) => x.key === 'approve')).toMatchObject({ status: 'cancelled' });
    await complete(h, 'verify');
    await complete(h, 'escalate');
    await complete(h, 'supervise');
    await waitForState<State>(h, (x) => x.status === 'completed');
    await recordHistory(h, 'designed-timer-boundaries');
  });

  it('a message arriving before its catch is kept and consumed there; one arriving after the catch is reached moves it on', async () => {
    const model = await modelOf(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${task('apply', '申请', 'village_cadre')}
      <bpmn:intermediateCatchEvent id="voucher" name="等待支付凭证"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${chain('start', 'apply', 'voucher', 'end')}`,
        ['paid'],
      ),
    );
    expect(model.messages).toEqual(['paid']);
    const early = await start(model);
    await waitForState<State>(early, (x) => open(x).includes('apply'));
    await send(early, 'paid', { voucher: 'PZ-1' });
    await waitForState<State>(early, (x) => (x.data.pending.paid?.length ?? 0) === 1);
    await complete(early, 'apply');
    let s = await waitForState<State>(early, (x) => x.status === 'completed');
    expect(s.data.forms.voucher).toEqual({ voucher: 'PZ-1' });

    const late = await start(model);
    await waitForState<State>(late, (x) => open(x).includes('apply'));
    await complete(late, 'apply');
    await waitForState<State>(late, (x) => x.data.at.includes('voucher'));
    await send(late, 'paid', { voucher: 'PZ-2' });
    s = await waitForState<State>(late, (x) => x.status === 'completed');
    expect(s.data.forms.voucher).toEqual({ voucher: 'PZ-2' });
    await recordHistory(late, 'designed-message-catch');
  });

  it('an intermediate timer, a service task notifying a department, and a terminate end that withdraws the other branch', async () => {
    const model = await modelOf(
      bpmn(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:intermediateCatchEvent id="wait" name="等待两天">${timerDef('P2D')}</bpmn:intermediateCatchEvent>
      <bpmn:serviceTask id="notify" name="通知民政局" ff:action="notifyDepartment" ff:department="区民政局"/>
      <bpmn:endEvent id="stop" name="终止"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      ${task('visit', '走访', 'village_cadre')}
      <bpmn:endEvent id="end"/>
      ${chain('start', 'fork', 'wait', 'notify', 'stop')}
      ${chain('fork', 'visit', 'end')}`),
    );
    const h = await start(model);
    await waitForState<State>(h, (x) => open(x).includes('visit'));
    await t.env.sleep('3 days');
    const s = await waitForState<State>(h, (x) => x.status === 'completed');
    expect(s.outcome?.result).toContain('终止');
    expect(s.steps.find((x) => x.key === 'visit')).toMatchObject({ status: 'cancelled' });
    expect(s.departments).toContain('区民政局');
    expect(s.events.map((e) => e.summary).join('\n')).toContain('已通知区民政局');
    await recordHistory(h, 'designed-timer-service-terminate');
  });

  it('a service task starts an identification for the household', async () => {
    const model = await modelOf(
      bpmn(`
      <bpmn:startEvent id="start"/>
      <bpmn:serviceTask id="identify" name="发起认定" ff:action="startIdentification"/>
      <bpmn:endEvent id="end"/>
      ${chain('start', 'identify', 'end')}`),
    );
    const id = `designed-test:${++n}`;
    const h = await t.env.client.workflow.start('designedProcess', {
      workflowId: id,
      taskQueue: t.taskQueue,
      args: [designedInput(id, model, { description: '突发重病', riskTypes: ['illness'] }, { id: 'H00000003', headName: '王样本', town: '统景镇', village: '荣光村' })],
    });
    const s = await waitForState<State>(h, (x) => x.status === 'completed', 600);
    expect(s.events.map((e) => e.summary).join('\n')).toMatch(/已发起监测对象认定 identification:H00000003/);
  });

  it('a long case continues as new with its tokens: open steps and a waiting message catch are taken up by the next run', async () => {
    const model = await modelOf(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      ${task('review', '复核', 'town_officer')}
      <bpmn:exclusiveGateway id="again" name="是否再复核" default="f_done"/>
      <bpmn:intermediateCatchEvent id="paid" name="等待发放"><bpmn:messageEventDefinition messageRef="msg_paid"/></bpmn:intermediateCatchEvent>
      <bpmn:parallelGateway id="join"/>
      <bpmn:endEvent id="end"/>
      ${chain('start', 'fork', 'review', 'again')}
      ${flow('f_loop', 'again', 'review', 'review.again = true')}
      ${flow('f_done', 'again', 'join')}
      ${chain('fork', 'paid', 'join', 'end')}`,
        ['paid'],
      ),
    );
    const id = `designed-test:${++n}`;
    const h = await t.env.client.workflow.start('designedProcess', { workflowId: id, taskQueue: t.taskQueue, args: [{ ...designedInput(id, model, {}), historyEventLimit: 40 }] });
    await waitForState<State>(h, (x) => open(x).includes('review'));
    for (let i = 0; i < 4; i++) {
      await complete(h, 'review', { again: true });
      await waitForState<State>(h, (x) => open(x).includes('review'));
    }
    await waitForState<State>(h, (x) => x.events.some((e) => e.kind === 'continued'));
    expect((await h.describe()).runId).not.toBe(h.firstExecutionRunId);
    await send(h, 'paid', { voucher: 'PZ-3' });
    await waitForState<State>(h, (x) => !!x.data.forms.paid);
    await complete(h, 'review', { again: false });
    const s = await waitForState<State>(h, (x) => x.status === 'completed');
    expect(s.steps.filter((x) => x.key === 'review' && x.status === 'open')).toEqual([]);
    await recordHistory(h, 'designed-continued-as-new');
  });

  it('no condition true and no default flow: the case records the error in Chinese and waits', async () => {
    const model = await modelOf(
      bpmn(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="check" name="金额判断"/>
      <bpmn:endEvent id="a"/>
      <bpmn:endEvent id="b"/>
      ${chain('start', 'check')}
      ${flow('f_a', 'check', 'a', 'amount > 100')}
      ${flow('f_b', 'check', 'b', 'amount < 0')}`),
    );
    const h = await start(model, { amount: 50 });
    const s = await waitForState<State>(h, (x) => !!x.data.error);
    expect(s.status).toBe('running');
    expect(s.data.error).toMatchObject({ element: 'check' });
    expect(s.data.error!.message).toContain('没有满足条件的出线');
    await h.terminate();
  });
});
