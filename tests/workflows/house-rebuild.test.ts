/**
 * P4 dilapidated-house rebuilding on the time-skipping server: the A/B, C and D paths, a failed
 * acceptance, the re-eligibility rule (plan item 22) both ways, temporary housing before demolition,
 * deadlines by grade from the real policy file, and overdue steps once time has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refusal, startWorkflowEnv, waitForState as waitFor, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { loadPolicy } from '../../policy';
import { computeDue, loadCalendar } from '../../calendar';
import { Household, HousingRecord, Process, Step } from '../../db';
import { cancelCaseUpdate, completeStepUpdate, stateQuery } from '../../contracts/messages';
import { HOUSE_REBUILD, type HouseholdFacts, type HouseRebuildData, type HouseRebuildInput, type HouseRebuildRequest, type RenovationFact } from '../../processes/house-rebuild/contract';
import type { DueRule } from '../../contracts/due';
import type { Actor } from '../../contracts/roles';
import type { CaseState, StepInstance } from '../../contracts/steps';

let t: WorkflowTestEnv;
let cadre: Actor, town: Actor, zhujian: Actor, supervisor: Actor;
/** 区财政局 has no demo account: the actor the API would vouch for. */
const finance: Actor = { kind: 'user', id: 'caizheng', name: '区财政局经办人', roles: ['department_officer'], department: '区财政局' };
const policy = loadPolicy();
const calendar = loadCalendar();
const P = policy.houseRebuild;
let seq = 0;

beforeAll(async () => {
  t = await startWorkflowEnv();
  [cadre, town, zhujian, supervisor] = await Promise.all(['cadre.rongguang', 'town.tongjing', 'zhujian', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

type Facts = Pick<HouseholdFacts, 'status' | 'monitoringStatus' | 'lowIncomeGroups'>;

async function newHousehold(facts: Facts): Promise<string> {
  const id = `HR${String(++seq).padStart(6, '0')}`;
  const em = t.db.em();
  em.create(Household, { id, headName: `危房户${seq}`, idNumber: `TEST-${id}`, town: '统景镇', village: '荣光村', memberCount: 3, ...facts });
  await em.flush();
  return id;
}

async function start(o: { facts?: Partial<Facts>; request?: Partial<HouseRebuildRequest>; renovations?: RenovationFact[]; policy?: Partial<HouseRebuildInput['policy']> } = {}) {
  const facts: Facts = { status: 'out_of_poverty', monitoringStatus: 'none', lowIncomeGroups: [], ...o.facts };
  const householdId = await newHousehold(facts);
  const processId = `houseRebuild:${householdId}:1`;
  const input: HouseRebuildInput = {
    processId,
    request: { householdId, description: '墙体开裂，屋面漏雨', onlyHouse: true, attachments: ['photos/1.jpg', 'photos/2.jpg'], ...o.request },
    household: { id: householdId, headName: `危房户${seq}`, town: '统景镇', village: '荣光村', housingStatus: 'unknown', ...facts },
    history: { renovations: o.renovations ?? [] },
    startedBy: { id: cadre.id, name: cadre.name },
    policy: { ...P, ...o.policy },
    policyVersion: 'test',
  };
  const handle = await t.env.client.workflow.start('houseRebuild', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
  await waitFor(handle, (s) => openStep(s, 'eligibility') !== undefined);
  return { handle, householdId, processId };
}


const openStep = (s: CaseState, key: string) => s.steps.find((x) => x.key === key && x.status === 'open');
const dataOf = (s: CaseState) => s.data as unknown as HouseRebuildData;
const complete = (handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] });
const progress = (handle: WorkflowHandle, percent: number, description: string) =>
  handle.signal(HOUSE_REBUILD.signals.progressReport.definition, { payload: { reportedOn: '2026-11-10', percent, description }, actor: cadre, receivedAt: new Date().toISOString() });


/** The step's deadline is the policy rule applied from its opening (the calendar the workflows use). */
function expectDue(step: StepInstance | undefined, rule: DueRule): void {
  expect(step).toBeDefined();
  const due = computeDue(rule, new Date(step!.openedAt), calendar);
  expect({ dueAt: step!.dueAt, dueDate: step!.dueDate }).toEqual({ dueAt: due.dueAt, dueDate: due.dueDate });
}
const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const eligible = { decision: 'eligible', checkedOn: '2026-11-02' };
const appraised = (grade: string) => ({ grade, appraiser: '重庆某房屋安全鉴定所 张工', appraisedOn: '2026-11-03', reportNo: `JD-2026-${grade}` });
const planC = { summary: '更换屋面檩条、加固承重墙', estimatedCost: 9000, builder: '本村工匠' };
const planD = { summary: '原址拆除重建砖混结构住房 60 平方米', estimatedCost: 60000 };
const housing = { arrangement: 'relatives', address: '荣光村 3 组亲戚家', arrangedOn: '2026-11-05' };
const started = { startedOn: '2026-11-06', builder: '某建筑队' };
const finished = { finishedOn: '2026-11-20', summary: '按方案完成' };
const passed = { result: 'pass', inspectedOn: '2026-11-25', inspectors: '区住房城乡建委 李工、镇建设办 王工' };
const paid = (amount: number) => ({ amount, voucherNo: `YKT-2026-${amount}`, paidOn: '2026-11-28' });

async function toAppraisal(handle: WorkflowHandle): Promise<CaseState> {
  const state = await complete(handle, 'eligibility', eligible, town);
  expect(state.stage).toBe('appraisal');
  return state;
}

describe('P4 dilapidated-house rebuilding', () => {
  it('A or B: the appraisal closes the case as safe, recorded in the housing history', async () => {
    const { handle, householdId, processId } = await start();
    let state = await handle.query(stateQuery);
    expectDue(openStep(state, 'eligibility'), P.steps.eligibility);
    expect(state.departments).toContain('区住房城乡建委');
    state = await toAppraisal(handle);
    expectDue(openStep(state, 'appraisal'), P.steps.appraisal);
    // Only 区住房城乡建委 appraises.
    expect((await refusal(complete(handle, 'appraisal', appraised('B'), town))).type).toBe('Forbidden');
    state = await complete(handle, 'appraisal', appraised('B'), zhujian);
    expect(state.status).toBe('completed');
    expect(dataOf(state).result).toBe('safe');
    expect(state.outcome?.result).toContain('房屋安全');
    await handle.result();
    await recordHistory(handle, 'house-rebuild-safe');

    const household = await t.db.em().findOneOrFail(Household, { id: householdId });
    expect(household.housingStatus).toBe('safe');
    const records = await t.db.em().find(HousingRecord, { householdId });
    expect(records.map((r) => [r.kind, r.grade, r.date, r.appraiser])).toEqual([['appraisal', 'B', '2026-11-03', '重庆某房屋安全鉴定所 张工']]);
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).status).toBe('completed');
  });

  it('C: plan, construction with progress reports, acceptance, the C subsidy; the house becomes safe', async () => {
    const { handle, householdId, processId } = await start({ facts: { status: 'ordinary', lowIncomeGroups: ['subsistence_allowance'] } });
    await toAppraisal(handle);
    let state = await complete(handle, 'appraisal', appraised('C'), zhujian);
    expect(state.stage).toBe('plan');
    expect(dataOf(state).method).toBe('reinforcement');
    expect((await t.db.em().findOneOrFail(Household, { id: householdId })).housingStatus).toBe('grade_c');
    expectDue(openStep(state, 'plan'), P.steps.plan);

    state = await complete(handle, 'plan', planC, town);
    // C is reinforced in place: no demolition, no temporary housing.
    expect(state.stage).toBe('constructionStart');
    expect(state.steps.map((s) => s.key)).not.toContain('demolition');
    expectDue(openStep(state, 'constructionStart'), P.steps.constructionStart);
    await progress(handle, 5, '开工前的报告');
    state = await complete(handle, 'constructionStart', started, cadre);
    expect(state.stage).toBe('construction');
    const works = openStep(state, 'reinforcement')!;
    // Reinforcement is due 90 calendar days after construction started (policy construction.C).
    expectDue(works, P.construction.C);
    expect(works.dueDate).toBe(plusDays(shanghaiDay(works.openedAt), 90));

    await progress(handle, 40, '屋面檩条已更换');
    await progress(handle, 80, '承重墙加固完成');
    state = await waitFor(handle, (s) => dataOf(s).progress.length === 2);
    expect(dataOf(state).progress.map((p) => p.percent)).toEqual([40, 80]);
    expect(state.events.map((e) => e.kind)).toContain('progress_ignored');

    state = await complete(handle, 'reinforcement', finished, cadre);
    expect(state.stage).toBe('acceptance');
    expectDue(openStep(state, 'acceptance'), P.steps.acceptance);
    state = await complete(handle, 'acceptance', passed, zhujian);
    expect(state.stage).toBe('payment');
    const payment = openStep(state, 'payment')!;
    expect(payment.department).toBe('区财政局');
    expect(payment.context).toEqual({ grade: 'C', amount: 7500 });
    expectDue(payment, P.steps.payment);
    // The town does not pay; the standard is the policy's for grade C, and another amount needs its reason.
    expect((await refusal(complete(handle, 'payment', paid(7500), town))).type).toBe('Forbidden');
    const wrong = await refusal(complete(handle, 'payment', paid(9000), finance));
    expect(wrong.type).toBe('RuleViolation');
    expect(wrong.message).toContain('补助标准（7,500.00 元）不同，须说明原因');
    state = await complete(handle, 'payment', { ...paid(9000), differenceReason: '按实际加固费用核定' }, finance);
    expect(state.status).toBe('completed');
    expect(state.events.find((e) => e.kind === 'subsidy_differs')?.summary).toBe('补助金额 9,000.00 元（补助标准 7,500.00 元）：按实际加固费用核定');
    expect(dataOf(state).result).toBe('reinforced');
    await handle.result();
    await recordHistory(handle, 'house-rebuild-reinforced');

    const household = await t.db.em().findOneOrFail(Household, { id: householdId });
    expect(household.housingStatus).toBe('safe');
    const records = await t.db.em().find(HousingRecord, { householdId }, { orderBy: { kind: 'ASC' } });
    expect(records.map((r) => [r.id, r.kind, r.grade])).toEqual([
      [`${processId}/appraisal-1`, 'appraisal', 'C'],
      [`${processId}/renovation`, 'renovation', 'C'],
    ]);
    expect(records[1]).toMatchObject({ method: 'reinforcement', subsidy: 9000, voucherNo: 'YKT-2026-9000', year: 2026, date: '2026-11-25' });
    const steps = await t.db.em().find(Step, { processId });
    expect(steps.find((s) => s.stepKey === 'payment')?.department).toBe('区财政局');
  });

  it('D: demolition is refused until temporary housing is recorded; rebuilding is due by grade D; the D subsidy', async () => {
    const { handle, householdId } = await start({ facts: { status: 'ordinary', monitoringStatus: 'monitored' } });
    await toAppraisal(handle);
    let state = await complete(handle, 'appraisal', appraised('D'), zhujian);
    expect(dataOf(state).method).toBe('rebuild');
    state = await complete(handle, 'plan', planD, town);
    expect(state.stage).toBe('demolition');
    expect(state.steps.filter((s) => s.status === 'open').map((s) => s.key).sort()).toEqual(['demolition', 'temporaryHousing']);
    expectDue(openStep(state, 'temporaryHousing'), P.steps.temporaryHousing);
    expectDue(openStep(state, 'demolition'), P.steps.demolition);

    const early = await refusal(complete(handle, 'demolition', { demolishedOn: '2026-11-06' }, cadre));
    expect(early.type).toBe('RuleViolation');
    expect(early.message).toContain('过渡住房');
    expect(openStep(await handle.query(stateQuery), 'demolition')).toBeDefined();

    state = await complete(handle, 'temporaryHousing', housing, cadre);
    expect(dataOf(state).temporaryHousing).toEqual(housing);
    expect(state.stage).toBe('demolition');
    state = await complete(handle, 'demolition', { demolishedOn: '2026-11-06' }, cadre);
    expect(state.stage).toBe('constructionStart');
    state = await complete(handle, 'constructionStart', started, cadre);
    const works = openStep(state, 'rebuilding')!;
    expect(works).toBeDefined();
    expectDue(works, P.construction.D);
    expect(works.dueDate).toBe(plusDays(shanghaiDay(works.openedAt), 180));

    await complete(handle, 'rebuilding', finished, cadre);
    await complete(handle, 'acceptance', passed, zhujian);
    state = await handle.query(stateQuery);
    expect(openStep(state, 'payment')?.context).toEqual({ grade: 'D', amount: 20000 });
    state = await complete(handle, 'payment', paid(20000), finance);
    expect(state.status).toBe('completed');
    expect(dataOf(state).result).toBe('rebuilt');
    await handle.result();
    await recordHistory(handle, 'house-rebuild-rebuilt');
    expect((await t.db.em().findOneOrFail(Household, { id: householdId })).housingStatus).toBe('safe');
    const renovation = await t.db.em().findOneOrFail(HousingRecord, { householdId, kind: 'renovation' });
    expect(renovation).toMatchObject({ grade: 'D', method: 'rebuild', subsidy: 20000 });
  });

  it('D with temporary housing in the plan: demolition opens alone and is accepted', async () => {
    const { handle } = await start({ facts: { lowIncomeGroups: ['extremely_poor'] } });
    await toAppraisal(handle);
    await complete(handle, 'appraisal', appraised('D'), zhujian);
    let state = await complete(handle, 'plan', { ...planD, temporaryHousing: housing }, town);
    expect(state.steps.filter((s) => s.status === 'open').map((s) => s.key)).toEqual(['demolition']);
    state = await complete(handle, 'demolition', { demolishedOn: '2026-11-06' }, cadre);
    expect(state.stage).toBe('constructionStart');
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('a failed acceptance lists the defects and returns the case to construction, due by the rework rule', async () => {
    const { handle, householdId } = await start();
    await toAppraisal(handle);
    await complete(handle, 'appraisal', appraised('C'), zhujian);
    await complete(handle, 'plan', planC, town);
    await complete(handle, 'constructionStart', started, cadre);
    await complete(handle, 'reinforcement', finished, cadre);

    const noDefects = await refusal(complete(handle, 'acceptance', { ...passed, result: 'fail' }, zhujian));
    expect(noDefects.message).toContain('存在的问题');
    let state = await complete(handle, 'acceptance', { ...passed, result: 'fail', defects: ['圈梁未闭合', '屋面防水未做'] }, zhujian);
    expect(state.stage).toBe('construction');
    expect(dataOf(state).openDefects).toEqual(['圈梁未闭合', '屋面防水未做']);
    const rework = openStep(state, 'reinforcement')!;
    expect(rework.id).toBe('reinforcement-2');
    expect(rework.context).toEqual({ defects: ['圈梁未闭合', '屋面防水未做'] });
    expectDue(rework, P.rework);
    // Progress reports are taken again while the defects are fixed.
    await progress(handle, 90, '圈梁已整改');
    await waitFor(handle, (s) => dataOf(s).progress.length === 1);

    state = await complete(handle, 'reinforcement', { finishedOn: '2026-11-26', summary: '圈梁闭合，屋面防水完成' }, cadre);
    expect(openStep(state, 'acceptance')?.context).toEqual({ previousDefects: ['圈梁未闭合', '屋面防水未做'] });
    state = await complete(handle, 'acceptance', { ...passed, inspectedOn: '2026-11-27' }, zhujian);
    expect(state.stage).toBe('payment');
    expect(dataOf(state).openDefects).toBeUndefined();
    expect(dataOf(state).acceptances.map((a) => a.result)).toEqual(['fail', 'pass']);
    await complete(handle, 'payment', paid(7500), finance);
    await handle.result();
    await recordHistory(handle, 'house-rebuild-acceptance-failed');
    const renovation = await t.db.em().findOneOrFail(HousingRecord, { householdId, kind: 'renovation' });
    expect(renovation.date).toBe('2026-11-27');
  });

  it('re-eligibility (item 22): renovated before and dangerous again for another cause is refused; the town finds it ineligible', async () => {
    const { handle, householdId } = await start({ request: { earlierRenovation: { year: 2019, dangerCause: 'ageing' } } });
    const refused = await refusal(complete(handle, 'eligibility', eligible, town));
    expect(refused.type).toBe('RuleViolation');
    expect(refused.message).toContain('第22项');
    expect(refused.message).toContain('2019');
    let state = await handle.query(stateQuery);
    expect(state.stage).toBe('eligibility');
    expect(openStep(state, 'eligibility')?.context).toMatchObject({ earlierRenovation: { year: 2019, dangerCause: 'ageing', source: 'request' } });

    expect((await refusal(complete(handle, 'eligibility', { decision: 'ineligible', checkedOn: '2026-11-02' }, town))).message).toContain('说明理由');
    state = await complete(handle, 'eligibility', { decision: 'ineligible', checkedOn: '2026-11-02', reasons: '2019年已改造，本次系年久失修' }, town);
    expect(state.status).toBe('rejected');
    expect(state.outcome?.reasons).toBe('2019年已改造，本次系年久失修');
    expect(dataOf(state).result).toBe('ineligible');
    await handle.result();
    await recordHistory(handle, 'house-rebuild-ineligible');
    expect((await t.db.em().findOneOrFail(Household, { id: householdId })).housingStatus).toBe('unknown');
  });

  it('re-eligibility (item 22): renovated before and damaged by a natural disaster is eligible again', async () => {
    const { handle } = await start({ request: { earlierRenovation: { year: 2019, dangerCause: 'natural_disaster' } } });
    const state = await complete(handle, 'eligibility', eligible, town);
    expect(state.stage).toBe('appraisal');
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('re-eligibility (item 22) and the groups (item 20) follow the policy: force majeure qualifies by default; a narrower policy refuses', async () => {
    const byDefault = await start({ request: { earlierRenovation: { year: 2019, dangerCause: 'force_majeure' } } });
    expect((await complete(byDefault.handle, 'eligibility', eligible, town)).stage).toBe('appraisal');
    const disastersOnly = await start({ request: { earlierRenovation: { year: 2019, dangerCause: 'force_majeure' } }, policy: { reEligibleCauses: ['natural_disaster'] } });
    const refused = await refusal(complete(disastersOnly.handle, 'eligibility', eligible, town));
    expect(refused.message).toContain('仅因自然灾害再次成为危房的方可再次纳入支持范围');
    expect(refused.message).toContain('本次致危原因：其他不可抗力');
    const noOutOfPoverty = await start({ policy: { eligibleGroups: ['monitored', 'subsistence_allowance'] } });
    expect((await refusal(complete(noOutOfPoverty.handle, 'eligibility', eligible, town))).message).toContain('不属于可纳入危房改造的农村低收入群体（监测户、低保户）');
    for (const h of [byDefault.handle, disastersOnly.handle, noOutOfPoverty.handle]) await h.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('re-eligibility from the housing history: a renovation on record with no cause given is refused', async () => {
    const { handle } = await start({ renovations: [{ year: 2020, processId: 'houseRebuild:HX:1', grade: 'C', completedOn: '2020-06-30' }] });
    const state = await handle.query(stateQuery);
    expect(dataOf(state).facts.earlierRenovation).toEqual({ year: 2020, source: 'register' });
    const refused = await refusal(complete(handle, 'eligibility', eligible, town));
    expect(refused.message).toContain('2020');
    expect(refused.message).toContain('未说明');
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('eligibility refuses a household in no low-income group, and a house that is not the only one', async () => {
    const a = await start({ facts: { status: 'ordinary', monitoringStatus: 'none', lowIncomeGroups: [] } });
    expect((await refusal(complete(a.handle, 'eligibility', eligible, town))).message).toContain('低收入群体');
    const b = await start({ request: { onlyHouse: false } });
    expect((await refusal(complete(b.handle, 'eligibility', eligible, town))).message).toContain('唯一住房');
    // Another town's officer may not check it at all.
    const gulu = await t.actor('town.gulu');
    expect((await refusal(complete(b.handle, 'eligibility', eligible, gulu))).type).toBe('Forbidden');
    for (const h of [a.handle, b.handle]) await h.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('marks the appraisal overdue once its working days have passed, in state and in the read model', async () => {
    const { handle, processId } = await start();
    await toAppraisal(handle);
    await t.env.sleep('20 days');
    const state = await waitFor(handle, (s) => !!openStep(s, 'appraisal')?.escalatedAt);
    const step = openStep(state, 'appraisal')!;
    expect(Date.parse(step.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(step.dueAt));
    expect(state.events.some((e) => e.kind === 'step_overdue')).toBe(true);
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
    await recordHistory(handle, 'house-rebuild-overdue-cancelled');
    const row = await t.db.em().findOneOrFail(Step, { processId, stepKey: 'appraisal' });
    expect(row.escalatedAt).toBeTruthy();
    expect(row.department).toBe('区住房城乡建委');
  });
});
