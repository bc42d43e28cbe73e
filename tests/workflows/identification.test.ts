/**
 * P1 monitoring identification on the time-skipping server: every branch of the review procedure,
 * objections during the notice, the notice minimum and the 15-day limit, with time moved by the
 * test server (the real policy file's values, not short test durations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refusal, startWorkflowEnv, waitForState as waitFor, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { loadPolicy } from '../../policy';
import { Household, Process, Step } from '../../db';
import { cancelCaseUpdate, completeStepUpdate, stateQuery } from '../../contracts/messages';
import { objectionSignal } from '../../contracts/review';
import { IDENTIFICATION, type IdentificationInput } from '../../processes/identification/contract';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import { caseHistory } from '../../server/processes/history';

let t: WorkflowTestEnv;
let cadre: Actor, cadre2: Actor, otherCadre: Actor, town: Actor, supervisor: Actor;
const policy = loadPolicy();
let seq = 0;


beforeAll(async () => {
  t = await startWorkflowEnv();
  [cadre, cadre2, otherCadre, town, supervisor] = await Promise.all(
    ['cadre.rongguang', 'cadre.rongguang2', 'cadre.jixing', 'town.tongjing', 'supervisor'].map((u) => t.actor(u)),
  );
});
afterAll(async () => t?.close());

async function newHousehold(): Promise<string> {
  const id = `HT${String(++seq).padStart(6, '0')}`;
  const em = t.db.em();
  em.create(Household, {
    id,
    headName: `测试户${seq}`,
    idNumber: `TEST-${id}`,
    town: '统景镇',
    village: '荣光村',
    memberCount: 3,
  });
  await em.flush();
  return id;
}

async function start(): Promise<{ handle: WorkflowHandle; householdId: string; processId: string }> {
  const householdId = await newHousehold();
  const processId = `identification:${householdId}:1`;
  const input: IdentificationInput = {
    processId,
    request: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '家中主要劳动力患病' },
    household: { id: householdId, headName: '测试户', town: '统景镇', village: '荣光村' },
    startedBy: { id: cadre.id, name: cadre.name },
    policy: policy.identification,
    policyVersion: 'test',
  };
  const handle = await t.env.client.workflow.start('identification', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
  await waitFor(handle, (s) => s.steps.some((x) => x.key === 'homeVerification' && x.status === 'open'));
  return { handle, householdId, processId };
}


const complete = (handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, form, actor }] });

const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** The notice's period as the cadre records it: posted the day its step opened, ended today (by the test server's clock). */
async function noticeForm(handle: WorkflowHandle, location = '村务公开栏') {
  const state = await handle.query(stateQuery);
  const opened = state.steps.find((s) => s.key === 'publicNotice' && s.status === 'open')!.openedAt;
  return { postedOn: shanghaiDay(Date.parse(opened)), endedOn: shanghaiDay(await t.env.currentTimeMs()), location };
}

const verification = (co: Actor) => ({
  verifiedOn: '2026-01-05',
  coVerifierId: co.id,
  coVerifier: { id: co.id, name: co.name, roles: co.roles, town: co.town, village: co.village },
  memberCount: 3,
  perCapitaIncome: 5200,
  guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' },
  findings: '户主住院，医疗支出大',
});


async function throughNotice(handle: WorkflowHandle) {
  await complete(handle, 'homeVerification', verification(cadre2), cadre);
  await complete(handle, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'pass', minutes: '一致同意' }, cadre);
  await t.env.sleep('5 days');
  await complete(handle, 'publicNotice', await noticeForm(handle), cadre);
}

describe('P1 monitoring identification', () => {
  it('runs verification → review → notice (≥5 days) → town → district and makes the household 监测户', async () => {
    const { handle, householdId, processId } = await start();
    let state = await complete(handle, 'homeVerification', verification(cadre2), cadre);
    expect(state.stage).toBe('villageReview');
    expect(state.steps.find((s) => s.key === 'villageReview')?.status).toBe('open');

    await complete(handle, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'pass', minutes: '一致同意' }, cadre);
    // Too early: the notice lasts at least 5 days.
    await t.env.sleep('4 days');
    const early = await refusal(complete(handle, 'publicNotice', await noticeForm(handle), cadre));
    expect(early.type).toBe('RuleViolation');
    expect(early.message).toContain('公示期不少于');
    state = await handle.query(stateQuery);
    expect(state.steps.find((s) => s.key === 'publicNotice')?.status).toBe('open');

    await t.env.sleep('1 day');
    state = await complete(handle, 'publicNotice', await noticeForm(handle), cadre);
    expect(state.stage).toBe('townReview');
    state = await complete(handle, 'townReview', { decision: 'approve' }, town);
    expect(state.stage).toBe('districtApproval');
    state = await complete(handle, 'districtApproval', { decision: 'approve' }, supervisor);
    expect(state.status).toBe('completed');
    await handle.result();
    await recordHistory(handle, 'identification-approved');

    const household = await t.db.em().findOneOrFail(Household, { id: householdId });
    expect(household.monitoringStatus).toBe('monitored');
    expect(household.monitoringCategory).toBe('marginal');
    expect(household.riskTypes).toEqual(['illness']);
    const approvedAt = Date.parse(state.steps.find((s) => s.key === 'districtApproval')!.completedAt!);
    expect(household.monitoredSince).toBe(shanghaiDay(approvedAt));
    const row = await t.db.em().findOneOrFail(Process, { id: processId });
    expect(row.status).toBe('completed');
    const steps = await t.db.em().find(Step, { processId });
    expect(steps.map((s) => [s.stepKey, s.status])).toEqual(
      expect.arrayContaining([
        ['homeVerification', 'done'],
        ['villageReview', 'done'],
        ['publicNotice', 'done'],
        ['townReview', 'done'],
        ['districtApproval', 'done'],
      ]),
    );
  });

  it('keeps the SHA-256 of each file the notice used, in its state and in the workflow history', async () => {
    const { handle, processId } = await start();
    await complete(handle, 'homeVerification', verification(cadre2), cadre);
    await complete(handle, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'pass', minutes: '一致同意' }, cadre);
    await t.env.sleep('5 days');
    const files = [
      { field: 'photos', id: `F${'a'.repeat(32)}`, sha256: 'b'.repeat(64) },
      { field: 'photos', id: `F${'c'.repeat(32)}`, sha256: 'd'.repeat(64) },
    ];
    const form = { ...(await noticeForm(handle)), photos: files.map((f) => f.id) };
    const state = await handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'publicNotice', form, files, actor: cadre }] });
    expect(state.steps.find((s) => s.key === 'publicNotice')!.evidence).toEqual(files);
    const history = await caseHistory(t.env.client, processId, 'identification');
    expect(history.find((e) => e.step === 'publicNotice')!.files).toEqual(files);
    expect(history.find((e) => e.step === 'villageReview')!.files).toBeUndefined();
  });

  it('refuses a verification without a second cadre of the village, and a step from another village', async () => {
    const { handle } = await start();
    const self = await refusal(complete(handle, 'homeVerification', verification(cadre), cadre));
    expect(self.message).toContain('同行核实人不能是本人');
    const outsider = await refusal(complete(handle, 'homeVerification', verification(otherCadre), cadre));
    expect(outsider.message).toContain('本村村干部');
    const foreign = await refusal(complete(handle, 'homeVerification', verification(cadre2), otherCadre));
    expect(foreign.type).toBe('Forbidden');
    const notOpen = await refusal(complete(handle, 'townReview', { decision: 'approve' }, town));
    expect(notOpen.type).toBe('Conflict');
    expect((await handle.query(stateQuery)).stage).toBe('homeVerification');
  });

  it('town review can return the case to verification with reasons, and must give reasons', async () => {
    const { handle } = await start();
    await throughNotice(handle);
    const noReason = await refusal(complete(handle, 'townReview', { decision: 'return' }, town));
    expect(noReason.message).toContain('必须说明理由');
    const state = await complete(handle, 'townReview', { decision: 'return', reasons: '收入数据需复核' }, town);
    expect(state.stage).toBe('homeVerification');
    expect(state.steps.filter((s) => s.key === 'homeVerification').map((s) => s.status)).toEqual(['done', 'open']);
  });

  it('town rejection and district rejection close the case as rejected with reasons', async () => {
    const a = await start();
    await throughNotice(a.handle);
    let state = await complete(a.handle, 'townReview', { decision: 'reject', reasons: '收入高于监测线' }, town);
    expect(state.status).toBe('rejected');
    expect(state.outcome?.reasons).toBe('收入高于监测线');

    const b = await start();
    await throughNotice(b.handle);
    await complete(b.handle, 'townReview', { decision: 'approve' }, town);
    state = await complete(b.handle, 'districtApproval', { decision: 'reject', reasons: '不符合认定条件' }, supervisor);
    expect(state.status).toBe('rejected');
    const household = await t.db.em().findOneOrFail(Household, { id: b.householdId });
    expect(household.monitoringStatus).toBe('none');
  });

  it('a failed village review rejects the case', async () => {
    const { handle } = await start();
    await complete(handle, 'homeVerification', verification(cadre2), cadre);
    const state = await complete(handle, 'villageReview', { heldOn: '2026-01-06', participants: 20, result: 'fail', minutes: '群众认为家庭有稳定收入' }, cadre);
    expect(state.status).toBe('rejected');
    expect(state.outcome?.reasons).toBe('群众认为家庭有稳定收入');
  });

  it('an objection during the notice is reviewed by the town: dismissed, the notice continues; upheld, back to verification', async () => {
    const { handle } = await start();
    await complete(handle, 'homeVerification', verification(cadre2), cadre);
    await complete(handle, 'villageReview', { heldOn: '2026-01-06', participants: 25, result: 'pass', minutes: '一致同意' }, cadre);
    const objection = (content: string) =>
      handle.signal(objectionSignal, { payload: { raisedBy: '村民甲', content }, actor: cadre, receivedAt: new Date().toISOString() });

    await objection('该户有小车一辆');
    let state = await waitFor(handle, (s) => s.steps.some((x) => x.key === 'objectionReview' && x.status === 'open'));
    await t.env.sleep('5 days');
    const blocked = await refusal(complete(handle, 'publicNotice', await noticeForm(handle, '公开栏'), cadre));
    expect(blocked.message).toContain('异议');
    state = await complete(handle, 'objectionReview', { decision: 'dismiss', reasons: '车辆为务工所需，价值较低' }, town);
    expect(state.stage).toBe('publicNotice');
    expect((state.data as any).objections[0].status).toBe('dismissed');

    await objection('该户在城区有住房');
    await waitFor(handle, (s) => s.steps.filter((x) => x.key === 'objectionReview').length === 2);
    state = await complete(handle, 'objectionReview', { decision: 'uphold', reasons: '经核实属实，需重新核实' }, town);
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
    await recordHistory(handle, 'identification-objections-cancelled');
    expect(state.stage).toBe('homeVerification');
    expect(state.steps.find((s) => s.key === 'publicNotice')?.status).toBe('cancelled');
    expect(state.steps.filter((s) => s.key === 'homeVerification' && s.status === 'open')).toHaveLength(1);
  });

  it('marks the open step and the case overdue when the 15 days pass, in state and in the read model', async () => {
    const { handle, processId } = await start();
    await t.env.sleep('16 days');
    const state = await waitFor(handle, (s) => !!s.overdueSince);
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
    await recordHistory(handle, 'identification-overdue-cancelled');
    const step = state.steps.find((s) => s.key === 'homeVerification')!;
    expect(step.status).toBe('open');
    expect(step.escalatedAt).toBeTruthy();
    expect(state.due?.dueDate).toBeTruthy();
    const row = await t.db.em().findOneOrFail(Process, { id: processId });
    expect(row.overdueSince).toBeTruthy();
    const stepRow = await t.db.em().findOneOrFail(Step, { processId, stepKey: 'homeVerification' });
    expect(stepRow.escalatedAt).toBeTruthy();
    expect(Date.parse(state.overdueSince!)).toBeGreaterThan(stepRow.dueAt.getTime());
    // Each escalates at the due time its timer was set for (workflows/case-clock.ts), the same on every replay.
    expect(Date.parse(step.escalatedAt!)).toBe(Date.parse(step.dueAt));
    expect(stepRow.escalatedAt!.getTime()).toBe(stepRow.dueAt.getTime());
    expect(Date.parse(state.overdueSince!)).toBe(Date.parse(state.due!.dueAt));
  });

  it('a submission received after its step fell due finds the step escalated at its due time, before it was completed', async () => {
    // However the SDK batches a late submission with the step's timer (a workflow task retried after a
    // worker died holds both), the case handles them in time order: the same state on every run.
    const { handle } = await start();
    const open = (await handle.query(stateQuery)).steps.find((s) => s.key === 'homeVerification')!;
    const at = new Date(Date.parse(open.dueAt) + 3600_000).toISOString();
    const state = await handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'homeVerification', form: verification(cadre2), actor: cadre, at }] });
    const step = state.steps.find((s) => s.id === open.id)!;
    expect(step.status).toBe('done');
    const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : undefined);
    expect(ms(step.escalatedAt)).toBe(ms(open.dueAt));
    expect(ms(step.completedAt)).toBe(ms(at));
    const kinds = state.events.filter((e) => e.step === open.id).map((e) => [e.kind, ms(e.at)]);
    expect(kinds).toEqual([['step_opened', ms(open.openedAt)], ['step_overdue', ms(open.dueAt)], ['step_done', ms(at)]]);
    expect(state.overdueSince).toBeUndefined();
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
  });

  it('a burst of department alerts is in the case and in the read model, each stored inside the workflow task that took it', async () => {
    const { handle, processId } = await start();
    const alerts = 30;
    await Promise.all(
      Array.from({ length: alerts }, (_, i) =>
        handle.signal(IDENTIFICATION.signals.departmentAlert.definition, {
          payload: { department: '区医保局', reference: `YB-${i}`, riskTypes: ['illness'], description: `自付费用高 ${i}` },
          actor: cadre,
          receivedAt: new Date().toISOString(),
          eventId: `burst-${processId}-${i}`,
        }),
      ),
    );
    const state = await waitFor(handle, (s) => s.events.filter((e) => e.kind === 'department_alert').length === alerts);
    // The read model reaches the case's newest revision, with the department able to see it.
    let row = await t.db.em().findOneOrFail(Process, { id: processId });
    for (let i = 0; i < 100 && row.revision < state.revision; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await t.db.em().findOneOrFail(Process, { id: processId });
    }
    expect(row.revision).toBe(state.revision);
    expect(row.departments).toContain('区医保局');
    // Each alert's revision is stored by a local activity of the workflow task that took the alert (a
    // marker in the history, no activity task): one projection per commit, which replays whatever the
    // grouping of local-activity results (workflows/projection.ts).
    // (The workflow task that stored the last ones may still be completing: its markers land with it.)
    const history = async () => (await handle.fetchHistory()).events ?? [];
    const projections = (events: Awaited<ReturnType<typeof history>>) =>
      events.filter((e) => {
        const marker = e.markerRecordedEventAttributes;
        if (marker?.markerName !== 'core_local_activity') return false;
        return Buffer.from(marker.details?.data?.payloads?.[0]?.data ?? new Uint8Array()).toString('utf8').includes('"projectCase"');
      }).length;
    await expect.poll(async () => projections(await history()), { timeout: 30_000, interval: 200 }).toBe(state.revision);
    expect((await history()).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'projectCase')).toBe(false);
    await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '测试结束', actor: supervisor }] });
    await recordHistory(handle, 'identification-alert-burst');
  });

  it('a supervisor can cancel a running case with a reason; the case closes as cancelled', async () => {
    const { handle, processId } = await start();
    const state = await handle.executeUpdate(cancelCaseUpdate, { args: [{ reason: '重复录入', actor: supervisor }] });
    expect(state.status).toBe('cancelled');
    expect(state.steps.every((s) => s.status !== 'open')).toBe(true);
    const row = await t.db.em().findOneOrFail(Process, { id: processId });
    expect(row.status).toBe('cancelled');
  });
});
