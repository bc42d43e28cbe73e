/**
 * A designed process calling the shared review procedure (a BPMN call activity, calledElement="review") on
 * the time-skipping server: the review's steps are the case's own with their usual roles, scopes and the
 * notice minimum of the policy the case started under; objections to the notice are taken; its outcome is
 * the call activity's form, and the exclusive gateway after it branches on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal, startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { bpmn, chain, designedInput, flow, modelOf, task } from '../helpers/bpmn';
import { completeStepUpdate, stateQuery } from '../../contracts/messages';
import { objectionSignal } from '../../contracts/review';
import { loadPolicy } from '../../policy';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import type { DesignedData, DesignedModel } from '../../processes/designed/contract';

type State = CaseState<DesignedData>;

let t: WorkflowTestEnv;
let cadre: Actor, cadre2: Actor, town: Actor, supervisor: Actor;
const { identification } = loadPolicy();
let n = 0;
beforeAll(async () => {
  t = await startWorkflowEnv();
  [cadre, cadre2, town, supervisor] = await Promise.all(['cadre.rongguang', 'cadre.rongguang2', 'town.tongjing', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

/** 低保申请: the village applies, the review decides, an approved application is paid by the town. */
const application = bpmn(`
  <bpmn:startEvent id="start"/>
  ${task('apply', '提交申请', 'village_cadre')}
  <bpmn:callActivity id="review" name="认定审核" calledElement="review"/>
  <bpmn:exclusiveGateway id="decided" name="审核结果" default="f_refused"/>
  ${task('payment', '乡镇发放', 'town_officer')}
  <bpmn:endEvent id="paid" name="已发放"/>
  <bpmn:endEvent id="refused" name="未通过"/>
  ${chain('start', 'apply', 'review', 'decided')}
  ${flow('f_approved', 'decided', 'payment', 'review.decision = "approved"')}
  ${flow('f_refused', 'decided', 'refused')}
  ${chain('payment', 'paid')}`);

async function start(model: DesignedModel) {
  const id = `designed-review-test:${++n}`;
  const { steps, noticeMinimum, backdateDays } = identification;
  const input = { ...designedInput(id, model, {}), review: { steps, noticeMinimum, ...(backdateDays === undefined ? {} : { backdateDays }) } };
  const handle = await t.env.client.workflow.start('designedProcess', { workflowId: id, taskQueue: t.taskQueue, args: [input] });
  await waitForState<State>(handle, (s) => open(s).includes('apply'));
  return handle;
}
type Handle = Awaited<ReturnType<typeof start>>;

const open = (s: State) => s.steps.filter((x) => x.status === 'open').map((x) => x.key).sort();
const complete = (h: Handle, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  h.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] }) as unknown as Promise<State>;
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

const verification = () => ({
  verifiedOn: '2026-01-05',
  coVerifierId: cadre2.id,
  coVerifier: { id: cadre2.id, name: cadre2.name, roles: cadre2.roles, town: cadre2.town, village: cadre2.village },
  memberCount: 3,
  perCapitaIncome: 5200,
  guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
  findings: '户主住院，医疗支出大',
});

async function noticeForm(h: Handle) {
  const state = (await h.query(stateQuery)) as unknown as State;
  const opened = state.steps.find((s) => s.key === 'publicNotice' && s.status === 'open')!.openedAt;
  return { postedOn: shanghaiDay(Date.parse(opened)), endedOn: shanghaiDay(await t.env.currentTimeMs()), location: '村务公开栏' };
}

describe('a designed call activity to the review procedure', () => {
  it('runs verification → village review → notice (the policy minimum, objections) → town → district as the case steps; approval takes the gateway to payment', async () => {
    const h = await start(await modelOf(application));
    let s = await complete(h, 'apply', {}, cadre);
    s = await waitForState<State>(h, (x) => open(x).includes('homeVerification'));
    expect(s.steps.find((x) => x.key === 'homeVerification')).toMatchObject({ role: 'village_cadre', scope: 'village', title: { zh: '入户核实' } });
    // Only the household's village verifies, with a second cadre (the procedure's own rules).
    await expect(complete(h, 'homeVerification', verification(), town)).rejects.toThrow();
    expect((await refusal(complete(h, 'homeVerification', { ...verification(), coVerifierId: undefined, coVerifier: undefined }, cadre))).message).toContain('同行核实人');
    s = await complete(h, 'homeVerification', verification(), cadre);
    expect(s.stage).toBe('villageReview');
    s = await complete(h, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'pass', minutes: '一致同意' }, cadre);
    expect(s.stage).toBe('publicNotice');

    // An objection while the notice is up: the town reviews it and dismisses it.
    await h.signal(objectionSignal, { payload: { raisedBy: '村民甲', content: '该户有小轿车' }, actor: cadre, receivedAt: new Date().toISOString() });
    s = await waitForState<State>(h, (x) => open(x).includes('objectionReview'));
    expect(s.steps.find((x) => x.key === 'objectionReview')).toMatchObject({ role: 'town_officer', scope: 'town' });
    await complete(h, 'objectionReview', { decision: 'dismiss', reasons: '车辆为亲属所有，已核实' }, town);

    // The notice minimum is the policy's (5 days): not before.
    await t.env.sleep('4 days');
    expect((await refusal(complete(h, 'publicNotice', await noticeForm(h), cadre))).message).toContain('公示期不少于');
    await t.env.sleep('1 day');
    s = await complete(h, 'publicNotice', await noticeForm(h), cadre);
    expect(s.stage).toBe('townReview');
    await complete(h, 'townReview', { decision: 'approve' }, town);
    s = await complete(h, 'districtApproval', { decision: 'approve' }, supervisor);
    s = await waitForState<State>(h, (x) => open(x).includes('payment'));
    const approvedOn = shanghaiDay(Date.parse(s.steps.find((x) => x.key === 'districtApproval')!.completedAt!));
    expect(s.data.forms.review).toEqual({ decision: 'approved', effectiveOn: approvedOn });
    expect(s.data.objections).toMatchObject([{ raisedBy: '村民甲', status: 'dismissed' }]);
    await complete(h, 'payment', {}, town);
    s = await waitForState<State>(h, (x) => x.status === 'completed');
    expect(s.outcome?.result).toContain('已发放');
    await recordHistory(h, 'designed-call-review-approved');
  });

  it('a review the village rejects is the call activity form with who and why; the gateway takes the default flow', async () => {
    const h = await start(await modelOf(application));
    await complete(h, 'apply', {}, cadre);
    await waitForState<State>(h, (x) => open(x).includes('homeVerification'));
    await complete(h, 'homeVerification', verification(), cadre);
    await complete(h, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'fail', minutes: '收入高于标准' }, cadre);
    const s = await waitForState<State>(h, (x) => x.status === 'completed');
    expect(s.data.forms.review).toEqual({ decision: 'rejected', by: 'village', reasons: '收入高于标准' });
    expect(s.outcome?.result).toContain('未通过');
    expect(s.steps.some((x) => x.key === 'payment' || x.key === 'publicNotice')).toBe(false);
    await recordHistory(h, 'designed-call-review-rejected');
  });
});
