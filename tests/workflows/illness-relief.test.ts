/**
 * P3 critical-illness relief on the time-skipping server: signal-with-start by a settlement, the
 * whole path into monitoring (P1), the send-back until medical assistance is applied (by a step or a
 * re-settlement), "not needed", the three parallel opinions (one missing keeps the case waiting and
 * goes overdue), disbursement per channel by its department, and the follow-up into the P2 plan.
 * Deadlines are the real policy file's working days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refusal, startWorkflowEnv, waitForState as waitFor, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { loadPolicy } from '../../policy';
import { computeDue, loadCalendar } from '../../calendar';
import { Household, Process, Step } from '../../db';
import { cancelCaseUpdate, completeStepUpdate, stateQuery } from '../../contracts/messages';
import {
  ILLNESS_RELIEF,
  illnessReliefId,
  reliefThreshold,
  type IllnessReliefData,
  type IllnessReliefInput,
  type SettlementEntry,
} from '../../processes/illness-relief/contract';
import type { HelperAssignmentData } from '../../processes/helper-assignment/contract';
import type { IdentificationData } from '../../processes/identification/contract';
import type { Actor } from '../../contracts/roles';
import type { CaseState, StepInstance } from '../../contracts/steps';
import type { DueRule } from '../../contracts/due';
import { startProcess } from '../../server/processes/start';

let t: WorkflowTestEnv;
let yibao: Actor, weijian: Actor, minzheng: Actor, town: Actor, supervisor: Actor;
const policy = loadPolicy();
const calendar = loadCalendar();
const P = policy.illnessRelief;
/** The settlement system, as the API vouches for its key. */
const settlementSystem: Actor = { kind: 'integration', id: 'key-medical', name: '医保结算系统', roles: [], scopes: ['settlement'] };
let seq = 0;
let eventSeq = 0;

beforeAll(async () => {
  t = await startWorkflowEnv();
  [yibao, weijian, minzheng, town, supervisor] = await Promise.all(['yibao', 'weijian', 'minzheng', 'town.tongjing', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const today = async () => shanghaiDay(await t.env.currentTimeMs());

type Facts = { status: 'ordinary' | 'out_of_poverty'; monitoringStatus: 'none' | 'monitored' };

async function newHousehold(facts: Facts): Promise<string> {
  const id = `HI${String(++seq).padStart(6, '0')}`;
  const em = t.db.em();
  em.create(Household, {
    id,
    headName: `大病户${seq}`,
    idNumber: `TEST-${id}`,
    town: '统景镇',
    village: '荣光村',
    memberCount: 3,
    ...facts,
    ...(facts.monitoringStatus === 'monitored' ? { monitoringCategory: 'unstable', riskTypes: ['illness'], monitoredSince: '2026-01-10' } : {}),
  });
  await em.flush();
  return id;
}

/** 60,000 yuan of which 12,000.50 remain out of pocket after the three layers. */
function settlement(day: string, over: Partial<SettlementEntry> = {}): SettlementEntry {
  const n = ++eventSeq;
  return {
    eventKey: `e:YB${n}`,
    eventId: `YB${n}`,
    source: 'integration',
    receivedAt: new Date().toISOString(),
    patient: { name: '张某', relation: '户主' },
    disease: '恶性肿瘤',
    settlementDate: day,
    totalCost: 60000,
    paidByBasicInsurance: 30000,
    paidByCriticalIllnessInsurance: 12000,
    paidByMedicalAssistance: 5999.5,
    outOfPocket: 12000.5,
    ...over,
  };
}

const sendSettlement = (handle: WorkflowHandle, s: SettlementEntry) =>
  handle.signal(ILLNESS_RELIEF.signals.settlement.definition, { payload: s, actor: settlementSystem, eventId: s.eventKey, receivedAt: s.receivedAt });

/** As the API does it: signal-with-start with the settlement that passed the threshold. */
async function start(facts: Facts = { status: 'out_of_poverty', monitoringStatus: 'none' }) {
  const householdId = await newHousehold(facts);
  const day = await today();
  const year = Number(day.slice(0, 4));
  const processId = illnessReliefId(householdId, year);
  const first = settlement(day);
  const input: IllnessReliefInput = {
    processId,
    year,
    household: { id: householdId, headName: `大病户${seq}`, town: '统景镇', village: '荣光村', ...facts },
    groups: [...(facts.status === 'out_of_poverty' ? ['out_of_poverty' as const] : []), ...(facts.monitoringStatus === 'monitored' ? ['monitored' as const] : [])],
    threshold: reliefThreshold(P.threshold),
    settlements: [first],
    startedBy: { id: settlementSystem.id, name: settlementSystem.name },
    policy: P,
    policyVersion: 'test',
  };
  const handle = await t.env.client.workflow.signalWithStart('illnessRelief', {
    workflowId: processId,
    taskQueue: t.taskQueue,
    args: [input],
    signal: ILLNESS_RELIEF.signals.settlement.definition,
    signalArgs: [{ payload: first, actor: settlementSystem, eventId: first.eventKey, receivedAt: first.receivedAt }],
  });
  const state = await waitFor(handle, (s) => !!openStep(s, 'expenseVerification'));
  return { handle, householdId, processId, day, first, state };
}


const openStep = (s: CaseState, key: string) => s.steps.find((x) => x.key === key && x.status === 'open');
const openKeys = (s: CaseState) => s.steps.filter((x) => x.status === 'open').map((x) => x.key);
const dataOf = (s: CaseState) => s.data as unknown as IllnessReliefData;
const complete = (handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] });


function expectDue(step: StepInstance | undefined, rule: DueRule): void {
  expect(step).toBeDefined();
  const due = computeDue(rule, new Date(step!.openedAt), calendar);
  expect({ dueAt: step!.dueAt, dueDate: step!.dueDate }).toEqual({ dueAt: due.dueAt, dueDate: due.dueDate });
}

const layers = { basicInsuranceApplied: true, criticalIllnessInsuranceApplied: true, medicalAssistanceApplied: true };
const confirm = (verifiedOutOfPocket: number) => ({ decision: 'confirm', ...layers, verifiedOutOfPocket });
const assessment = (day: string) => ({ decision: 'proceed', visitedOn: day, findings: '户主化疗期间无法务工，家庭收入骤减' });
const opinion = (suggestedAmount: number) => ({ recommendation: 'support', suggestedAmount, opinion: '同意一事一议救助' });
const grant = (day: string, channels: { channel: string; amount: number }[]) => ({ decision: 'grant', heldOn: day, channels, reasons: '三部门一致同意' });
const paid = (day: string, amount: number, voucher: string) => ({ amount, voucherNumber: voucher, paidOn: day });

/** Verification, assessment and the three opinions: the decision step is open. */
async function toDecision(handle: WorkflowHandle, day: string, verified = 12000.5): Promise<CaseState> {
  await complete(handle, 'expenseVerification', confirm(verified), yibao);
  await complete(handle, 'impactAssessment', assessment(day), town);
  await complete(handle, 'opinionMedicalInsurance', opinion(8000), yibao);
  await complete(handle, 'opinionHealth', opinion(8000), weijian);
  const state = await complete(handle, 'opinionCivilAffairs', opinion(7000), minzheng);
  expect(state.stage).toBe('decision');
  return state;
}

describe('P3 threshold', () => {
  it('is the fixed sum, or the share of a known income combined as the policy says', () => {
    const income = { yearly: 12000, perCapitaIncome: 4000, memberCount: 3, processId: 'identification:H1:1' };
    expect(reliefThreshold({ fixedAmount: 10000, incomeShare: 0.5, combine: 'lower' })).toMatchObject({ amount: 10000, basis: 'fixed' });
    expect(reliefThreshold({ fixedAmount: 10000, incomeShare: 0.5, combine: 'lower' }, income)).toMatchObject({ amount: 6000, basis: 'income' });
    expect(reliefThreshold({ fixedAmount: 10000, incomeShare: 0.5, combine: 'higher' }, income)).toMatchObject({ amount: 10000, basis: 'fixed' });
    expect(reliefThreshold({ fixedAmount: 10000, combine: 'lower' }, income)).toMatchObject({ amount: 10000, basis: 'fixed' });
  });
});

describe('P3 critical-illness relief', () => {
  it('runs verification → assessment → three opinions → decision → disbursement per channel, and starts P1 (因病) for a 脱贫户 not monitored', async () => {
    const { handle, householdId, processId, day, first, state: started } = await start();
    // The settlement that started the case came both in the input and as the signal: counted once.
    expect(dataOf(started).settlements.map((s) => s.eventKey)).toEqual([first.eventKey]);
    expect(dataOf(started).totals.outOfPocket).toBe(12000.5);
    expectDue(openStep(started, 'expenseVerification'), P.steps.expenseVerification);
    expect(openStep(started, 'expenseVerification')).toMatchObject({ department: '区医保局', role: 'department_officer', scope: 'department' });

    // A later settlement of the year joins the case; a redelivery of it does not count twice.
    const second = settlement(day, { totalCost: 2000, paidByBasicInsurance: 1000, paidByCriticalIllnessInsurance: 0, paidByMedicalAssistance: 500, outOfPocket: 500 });
    await sendSettlement(handle, second);
    await sendSettlement(handle, second);
    let state = await waitFor(handle, (s) => dataOf(s).settlements.length === 2);
    expect(dataOf(state).totals).toMatchObject({ totalCost: 62000, outOfPocket: 12500.5 });

    // Only 区医保局 verifies.
    expect((await refusal(complete(handle, 'expenseVerification', confirm(12500.5), weijian))).type).toBe('Forbidden');
    expect((await refusal(complete(handle, 'expenseVerification', confirm(12500.555), yibao))).message).toContain('两位小数');
    state = await complete(handle, 'expenseVerification', confirm(12500.5), yibao);
    expect(state.stage).toBe('impactAssessment');
    expectDue(openStep(state, 'impactAssessment'), P.steps.impactAssessment);
    expect((await refusal(complete(handle, 'impactAssessment', assessment(day), yibao))).type).toBe('Forbidden');
    state = await complete(handle, 'impactAssessment', assessment(day), town);
    expect(state.stage).toBe('deliberation');
    expect(openKeys(state).sort()).toEqual(['opinionCivilAffairs', 'opinionHealth', 'opinionMedicalInsurance']);
    for (const key of ['opinionMedicalInsurance', 'opinionHealth', 'opinionCivilAffairs']) expectDue(openStep(state, key), P.steps.opinion);
    await complete(handle, 'opinionMedicalInsurance', opinion(8000), yibao);
    await complete(handle, 'opinionHealth', opinion(8000), weijian);
    state = await complete(handle, 'opinionCivilAffairs', opinion(7000), minzheng);
    expect(Object.keys(dataOf(state).opinions).sort()).toEqual(['区医保局', '区卫生健康委', '区民政局'].sort());
    expect(state.stage).toBe('decision');
    expect(openStep(state, 'decision')).toMatchObject({ role: 'district_supervisor', scope: 'district' });
    expectDue(openStep(state, 'decision'), P.steps.decision);

    const channels = [
      { channel: 'social_assistance', amount: 5000 },
      { channel: 'social_donation', amount: 2000.5 },
      { channel: 'medical_mutual_aid', amount: 1000 },
    ];
    expect((await refusal(complete(handle, 'decision', grant(day, channels), town))).type).toBe('Forbidden');
    state = await complete(handle, 'decision', grant(day, channels), supervisor);
    expect(state.stage).toBe('disbursement');
    expect(dataOf(state).decision?.total).toBe(8000.5);
    // One step per channel, each by its department.
    expect(openKeys(state).sort()).toEqual(['disburseMedicalMutualAid', 'disburseSocialAssistance', 'disburseSocialDonation']);
    expect(openStep(state, 'disburseSocialAssistance')?.department).toBe('区民政局');
    expect(openStep(state, 'disburseSocialDonation')?.department).toBe('区民政局');
    expect(openStep(state, 'disburseMedicalMutualAid')?.department).toBe('区医保局');
    for (const key of ['disburseSocialAssistance', 'disburseSocialDonation', 'disburseMedicalMutualAid']) expectDue(openStep(state, key), P.steps.disbursement);
    expect((await refusal(complete(handle, 'disburseSocialAssistance', paid(day, 5000, 'LS-1'), yibao))).type).toBe('Forbidden');
    const wrong = await refusal(complete(handle, 'disburseSocialAssistance', paid(day, 4000, 'LS-1'), minzheng));
    expect(wrong.type).toBe('RuleViolation');
    expect(wrong.message).toContain('5,000.00');
    await complete(handle, 'disburseSocialAssistance', paid(day, 5000, 'LS-2026-001'), minzheng);
    state = await complete(handle, 'disburseMedicalMutualAid', paid(day, 1000, 'HZ-2026-001'), yibao);
    expect(state.stage).toBe('disbursement'); // the donation is still to be paid
    state = await complete(handle, 'disburseSocialDonation', paid(day, 2000.5, 'CS-2026-001'), minzheng);
    await handle.result();
    await recordHistory(handle, 'illness-relief-relieved');
    state = await handle.query(stateQuery);
    expect(state.status).toBe('completed');
    expect(state.outcome?.result).toContain('8,000.50');
    expect(dataOf(state).disbursements.map((d) => [d.channel, d.voucherNumber]).sort()).toEqual([
      ['medical_mutual_aid', 'HZ-2026-001'],
      ['social_assistance', 'LS-2026-001'],
      ['social_donation', 'CS-2026-001'],
    ]);

    // Follow-up: P1 through the department-alert channel, risk 因病.
    const follow = dataOf(state).followUp!;
    expect(follow.action).toBe('identificationStarted');
    const identificationId = (follow as { identificationId: string }).identificationId;
    expect(identificationId).toMatch(new RegExp(`^identification:${householdId}:`));
    const p1 = await t.env.client.workflow.getHandle(identificationId).query(stateQuery);
    const p1data = p1.data as unknown as IdentificationData;
    expect(p1.status).toBe('running');
    expect(p1data.request).toMatchObject({ channel: 'department_alert', category: 'unstable', riskTypes: ['illness'], alert: { department: '区医保局', reference: processId } });

    // The read model: the case, and every step with its department.
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).status).toBe('completed');
    const steps = await t.db.em().find(Step, { processId });
    expect(Object.fromEntries(steps.map((s) => [s.stepKey, s.department]))).toMatchObject({
      expenseVerification: '区医保局',
      opinionHealth: '区卫生健康委',
      opinionCivilAffairs: '区民政局',
      disburseSocialAssistance: '区民政局',
      disburseMedicalMutualAid: '区医保局',
    });
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).departments).toEqual(expect.arrayContaining(['区医保局', '区卫生健康委', '区民政局']));
  });

  it('sends the case back until medical assistance is applied: by 区医保局\'s step, or by a re-settlement', async () => {
    const { handle, day, first } = await start();
    // Confirming needs the three layers applied; sending back needs reasons.
    const layersMissing = await refusal(complete(handle, 'expenseVerification', { ...confirm(12000.5), medicalAssistanceApplied: false }, yibao));
    expect(layersMissing.type).toBe('RuleViolation');
    expect(layersMissing.message).toContain('三重制度');
    expect((await refusal(complete(handle, 'expenseVerification', { decision: 'sendBack', ...layers, medicalAssistanceApplied: false }, yibao))).message).toContain('说明原因');

    const sendBack = { decision: 'sendBack', ...layers, medicalAssistanceApplied: false, reasons: '未享受医疗救助，请先按规定落实' };
    let state = await complete(handle, 'expenseVerification', sendBack, yibao);
    expect(state.stage).toBe('awaitingMedicalAssistance');
    expect(openKeys(state)).toEqual(['medicalAssistanceApplied']);
    expectDue(openStep(state, 'medicalAssistanceApplied'), P.steps.medicalAssistance);
    // 1) 区医保局 records the assistance applied outside the settlement: the out-of-pocket shrinks, verification again.
    expect((await refusal(complete(handle, 'medicalAssistanceApplied', { amount: 20000, reference: 'JZ-1', appliedOn: day }, yibao))).message).toContain('不能超过');
    state = await complete(handle, 'medicalAssistanceApplied', { amount: 3000, reference: 'JZ-2026-7', appliedOn: day }, yibao);
    expect(state.stage).toBe('expenseVerification');
    expect(dataOf(state).totals).toMatchObject({ outOfPocket: 9000.5, paidByMedicalAssistance: 8999.5 });
    expect(state.steps.filter((s) => s.key === 'expenseVerification').map((s) => s.status)).toEqual(['done', 'open']);

    // 2) Sent back again; this time the settlement system re-settles the stay with assistance applied.
    state = await complete(handle, 'expenseVerification', sendBack, yibao);
    expect(state.stage).toBe('awaitingMedicalAssistance');
    const resettled = settlement(day, { paidByMedicalAssistance: 9999.5, outOfPocket: 8000.5, replacesEventKey: first.eventKey });
    await sendSettlement(handle, resettled);
    state = await waitFor(handle, (s) => s.stage === 'expenseVerification' && !!openStep(s, 'expenseVerification'));
    expect(state.steps.filter((s) => s.key === 'medicalAssistanceApplied').map((s) => s.status)).toEqual(['done', 'cancelled']);
    expect(dataOf(state).settlements.find((s) => s.eventKey === first.eventKey)?.supersededBy).toBe(resettled.eventKey);
    // The replaced settlement no longer counts: 8,000.50 re-settled − 3,000 applied by the step.
    expect(dataOf(state).totals.outOfPocket).toBe(5000.5);
    expect(dataOf(state).sendBacks).toHaveLength(2);
    // The verified amount cannot exceed what the settlements show.
    expect((await refusal(complete(handle, 'expenseVerification', confirm(6000), yibao))).message).toContain('超过结算记录');
    state = await complete(handle, 'expenseVerification', confirm(5000.5), yibao);
    expect(state.stage).toBe('impactAssessment');
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
    await recordHistory(handle, 'illness-relief-sent-back-cancelled');
  });

  it('closes with "not needed" when the town finds basic living unaffected (reasons required)', async () => {
    const { handle, processId, day } = await start();
    await complete(handle, 'expenseVerification', confirm(12000.5), yibao);
    const noReason = await refusal(complete(handle, 'impactAssessment', { decision: 'notNeeded', visitedOn: day, findings: '家庭有稳定务工收入' }, town));
    expect(noReason.message).toContain('理由');
    const state = await complete(handle, 'impactAssessment', { decision: 'notNeeded', visitedOn: day, findings: '家庭有稳定务工收入', reasons: '子女务工收入足以覆盖自付费用' }, town);
    expect(state.status).toBe('rejected');
    expect(state.outcome).toEqual({ result: expect.stringContaining('无需救助'), reasons: '子女务工收入足以覆盖自付费用' });
    expect(state.steps.some((s) => s.key.startsWith('opinion'))).toBe(false);
    await handle.result();
    await recordHistory(handle, 'illness-relief-not-needed');
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).status).toBe('rejected');
  });

  it('needs all three opinions: one missing keeps the case waiting and goes overdue; the decision is capped and may refuse', async () => {
    const { handle, processId, day } = await start();
    await complete(handle, 'expenseVerification', confirm(12000.5), yibao);
    await complete(handle, 'impactAssessment', assessment(day), town);
    // Each department gives only its own opinion.
    expect((await refusal(complete(handle, 'opinionHealth', opinion(5000), yibao))).type).toBe('Forbidden');
    await complete(handle, 'opinionMedicalInsurance', opinion(8000), yibao);
    let state = await complete(handle, 'opinionCivilAffairs', opinion(7000), minzheng);
    expect(state.stage).toBe('deliberation');
    expect(openKeys(state)).toEqual(['opinionHealth']);

    // 5 working days pass (and more): the missing opinion is escalated, the case still waits for it.
    await t.env.sleep('15 days');
    state = await waitFor(handle, (s) => !!openStep(s, 'opinionHealth')?.escalatedAt);
    expect(state.stage).toBe('deliberation');
    expect(openKeys(state)).toEqual(['opinionHealth']);
    expect(state.steps.filter((s) => s.key.startsWith('opinion') && s.status === 'done').every((s) => !s.escalatedAt)).toBe(true);
    expect(state.events.map((e) => e.kind)).toContain('step_overdue');
    const row = await t.db.em().findOneOrFail(Step, { processId, stepKey: 'opinionHealth' });
    expect(row.status).toBe('open');
    expect(row.escalatedAt).toBeTruthy();
    expect(row.dueAt.getTime()).toBeLessThan(await t.env.currentTimeMs());

    state = await complete(handle, 'opinionHealth', { recommendation: 'notSupport', opinion: '已享受医疗救助，建议不予救助' }, weijian);
    expect(state.stage).toBe('decision');
    // The relief cannot exceed the verified out-of-pocket amount (12,000.50).
    const over = await refusal(complete(handle, 'decision', grant(day, [{ channel: 'social_assistance', amount: 10000 }, { channel: 'social_donation', amount: 2000.51 }]), supervisor));
    expect(over.type).toBe('RuleViolation');
    expect(over.message).toContain('不能超过');
    expect((await refusal(complete(handle, 'decision', grant(day, []), supervisor))).message).toContain('救助渠道');
    expect((await refusal(complete(handle, 'decision', grant(day, [{ channel: 'social_assistance', amount: 1 }, { channel: 'social_assistance', amount: 2 }]), supervisor))).message).toContain('一次');
    state = await complete(handle, 'decision', { decision: 'refuse', heldOn: day, reasons: '经三部门研究，已足额享受三重保障，不予救助' }, supervisor);
    expect(state.status).toBe('rejected');
    expect(state.outcome?.result).toContain('不予救助');
    await handle.result();
    await recordHistory(handle, 'illness-relief-opinion-overdue-refused');
  });

  it('adds a medical measure to the P2 plan of a monitored household; without an open P2 case the measure waits on the case', async () => {
    // With an open helper assignment (P2) case.
    const a = await start({ status: 'ordinary', monitoringStatus: 'monitored' });
    const p2 = await startProcess(t.services, supervisor, 'helperAssignment', { householdId: a.householdId });
    await toDecision(a.handle, a.day);
    let state = await complete(a.handle, 'decision', grant(a.day, [{ channel: 'medical_mutual_aid', amount: 3000 }]), supervisor);
    // Only the chosen channel opens.
    expect(openKeys(state)).toEqual(['disburseMedicalMutualAid']);
    await complete(a.handle, 'disburseMedicalMutualAid', paid(a.day, 3000, 'HZ-2026-009'), yibao);
    await a.handle.result();
    await recordHistory(a.handle, 'illness-relief-plan-measure');
    state = await a.handle.query(stateQuery);
    expect(state.status).toBe('completed');
    expect(dataOf(state).followUp).toMatchObject({ action: 'planMeasureAdded', helperProcessId: p2.id, measure: { category: 'medical_assistance', responsibleUnit: '区医保局' } });
    const plan = await waitFor(t.env.client.workflow.getHandle(p2.id), (s) => (s.data as unknown as HelperAssignmentData).measures.length > 0);
    expect((plan.data as unknown as HelperAssignmentData).measures).toEqual([
      expect.objectContaining({ category: 'medical_assistance', responsibleUnit: '区医保局', source: expect.stringContaining(a.processId) }),
    ]);
    // No identification was started for a monitored household.
    expect(await t.db.em().count(Process, { type: 'identification', householdId: a.householdId })).toBe(0);

    // Without one: the measure is kept on the case for a person to carry over.
    const b = await start({ status: 'out_of_poverty', monitoringStatus: 'monitored' });
    await toDecision(b.handle, b.day);
    await complete(b.handle, 'decision', grant(b.day, [{ channel: 'social_assistance', amount: 3000 }]), supervisor);
    state = await complete(b.handle, 'disburseSocialAssistance', paid(b.day, 3000, 'LS-2026-010'), minzheng);
    state = await waitFor(b.handle, (s) => s.status === 'completed');
    expect(dataOf(state).followUp).toMatchObject({ action: 'planMeasurePending', measure: { category: 'medical_assistance' } });
  });
});
