/**
 * P2 helper assignment and follow-up on the time-skipping server: the 10-working-day assignment limit
 * across a holiday, 13 months of visits with two missed months counted, continue-as-new keeping
 * everything, risk elimination refused before 6 months and approved after, and its revert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { refusal, startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { Worker } from '@temporalio/worker';
import { loadPolicy } from '../../policy';
import { loadCalendar } from '../../calendar';
import { createActivities } from '../../activities';
import { workflowBundle } from '../../server/worker';
import { Household, Step } from '../../db';
import { completeStepUpdate, stateQuery } from '../../contracts/messages';
import { HELPER_ASSIGNMENT, type HelperAssignmentData, type HelperAssignmentInput } from '../../processes/helper-assignment/contract';
import type { Actor } from '../../contracts/roles';
import type { CaseState, StepInstance } from '../../contracts/steps';

let t: WorkflowTestEnv;
let town: Actor, helper: Actor, supervisor: Actor, cadre2: Actor, otherTown: Actor;
const policy = loadPolicy();
const calendar = loadCalendar();
let seq = 0;

beforeAll(async () => {
  t = await startWorkflowEnv();
  [town, helper, supervisor, cadre2, otherTown] = await Promise.all(['town.tongjing', 'cadre.rongguang', 'supervisor', 'cadre.rongguang2', 'cadre.jixing'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

type State = CaseState<HelperAssignmentData>;
const waitFor = (handle: WorkflowHandle, pred: (s: State) => boolean) => waitForState<State>(handle, pred);
const SH = 8 * 3600_000;
const day = (ms: number) => new Date(ms + SH).toISOString().slice(0, 10);

async function start(includedOn: string, overrides: Partial<HelperAssignmentInput['policy']> = {}) {
  const id = `HA${String(++seq).padStart(6, '0')}`;
  const em = t.db.em();
  em.create(Household, { id, headName: `帮扶户${seq}`, idNumber: `TEST-${id}`, town: '统景镇', village: '荣光村', memberCount: 3, monitoringStatus: 'monitored', monitoredSince: includedOn });
  await em.flush();
  const input: HelperAssignmentInput = {
    processId: `helperAssignment:${id}:1`,
    household: { id, headName: `帮扶户${seq}`, town: '统景镇', village: '荣光村' },
    includedOn,
    category: 'marginal',
    riskTypes: ['illness'],
    startedBy: { id: 'system', name: 'system' },
    policy: { ...policy.helperAssignment, ...overrides },
    policyVersion: 'test',
  };
  const handle = await t.env.client.workflow.start('helperAssignment', { workflowId: input.processId, taskQueue: t.taskQueue, args: [input] });
  await waitFor(handle, (s) => s.steps.some((x) => x.key === 'assignHelper'));
  return { handle, householdId: id, processId: input.processId };
}


const complete = (handle: WorkflowHandle, stepKey: string, form: Record<string, unknown>, actor: Actor, stepId?: string) =>
  handle.executeUpdate(completeStepUpdate, { args: [{ stepKey, stepId, form, actor }] }) as unknown as Promise<State>;


const asPerson = (a: Actor) => ({ id: a.id, name: a.name, roles: a.roles, town: a.town, village: a.village });
const plan = (dueDate: string) => ({
  helperId: helper.id,
  helper: asPerson(helper),
  measures: [
    { category: 'medical_assistance', target: '落实大病医疗救助', responsibleUnit: '区医保局', dueDate },
    { category: 'employment', target: '安排公益性岗位1个', responsibleUnit: '统景镇', dueDate },
  ],
});

/** The workflow's clock: the newest event time in its state. */
const clock = (s: State) => Math.max(...s.events.map((e) => Date.parse(e.at)));
const openVisit = (s: State): StepInstance | undefined => s.steps.find((x) => x.key === 'monthlyVisit' && x.status === 'open' && x.context?.month === day(clock(s)).slice(0, 7));

describe('P2 helper assignment and follow-up', () => {
  it('gives the town 10 working days to name the helper, counted across the National Day holiday, then marks it overdue', async () => {
    const { handle, processId } = await start('2026-09-28');
    const state = await waitFor(handle, (s) => !!s.steps.find((x) => x.key === 'assignHelper')?.escalatedAt);
    const step = state.steps.find((x) => x.key === 'assignHelper')!;
    // Mon 28 Sep + 10 working days: Oct 1–7 off, Sat Oct 10 a make-up workday → Fri 16 Oct.
    expect(step.dueDate).toBe('2026-10-16');
    expect(step.provisional).toBe(false);
    let row = await t.db.em().findOneOrFail(Step, { processId, stepKey: 'assignHelper' });
    for (let i = 0; i < 100 && !row.escalatedAt; i++) {
      await new Promise((r) => setTimeout(r, 30));
      row = await t.db.em().findOneOrFail(Step, { processId, stepKey: 'assignHelper' });
    }
    expect(row.escalatedAt).toBeTruthy();
  });

  it('a helper from another town is refused; the plan opens this month\'s visit for the helper', async () => {
    const { handle } = await start(day(await t.env.currentTimeMs()));
    let s = (await handle.query(stateQuery)) as unknown as State;
    const assign = s.steps.find((x) => x.key === 'assignHelper')!;
    expect(assign.escalatedAt).toBeUndefined();
    const bad = await refusal(complete(handle, 'assignHelper', { ...plan('2027-06-30'), helperId: otherTown.id, helper: asPerson(otherTown) }, town));
    expect(bad.type).toBe('RuleViolation');
    expect(bad.message).toContain('帮扶责任人须为在岗的区级干部（区专班、区级部门）、统景镇镇级干部、统景镇村级干部');
    s = await complete(handle, 'assignHelper', plan('2099-06-30'), town);
    expect(s.data.phase).toBe('monitoring');
    expect(s.data.helper?.id).toBe(helper.id);
    expect(s.data.measures.map((m) => m.id)).toEqual(['M1', 'M2']);
    const visit = openVisit(s)!;
    expect(visit.assignee?.id).toBe(helper.id);
    // Only the helper may record it.
    const other = await refusal(complete(handle, 'monthlyVisit', { visitedOn: day(clock(s)), notes: '走访' }, cadre2));
    expect(other.type).toBe('Forbidden');
  });

  it('a district cadre may be the helper (区镇村三级); a policy narrowed to town and village levels refuses one', async () => {
    const yibao = await t.actor('yibao');
    const today = day(await t.env.currentTimeMs());
    const wide = await start(today);
    const s = await complete(wide.handle, 'assignHelper', { ...plan('2099-06-30'), helperId: yibao.id, helper: asPerson(yibao) }, town);
    expect(s.data.helper?.id).toBe(yibao.id);
    expect(openVisit(s)?.assignee?.id).toBe(yibao.id);
    const narrow = await start(today, { helperLevels: ['town', 'village'] });
    const bad = await refusal(complete(narrow.handle, 'assignHelper', { ...plan('2099-06-30'), helperId: yibao.id, helper: asPerson(yibao) }, town));
    expect(bad.type).toBe('RuleViolation');
    expect(bad.message).toContain('帮扶责任人须为在岗的统景镇镇级干部、统景镇村级干部');
  });

  it('follows 13 months of visits, counts the two missed months, continues as new and keeps everything, then eliminates the risk and reverts it', async () => {
    const included = day(await t.env.currentTimeMs());
    const { handle, householdId, processId } = await start(included, { historyEventLimit: 200 });
    let s = await complete(handle, 'assignHelper', plan('2099-06-30'), town);
    const missed: string[] = [];
    const visited: string[] = [];
    for (let month = 0; month < 13; month++) {
      s = await waitFor(handle, (x) => !!openVisit(x));
      const visit = openVisit(s)!;
      const m = String(visit.context!.month);
      if (month === 3 || month === 7) {
        missed.push(m);
      } else {
        if (month === 1) {
          // The visit date must lie in the visit's month and not in the future.
          const future = await refusal(complete(handle, 'monthlyVisit', { visitedOn: '2099-01-01', notes: '走访' }, helper, visit.id));
          expect(future.message).toContain('不能晚于今天');
        }
        const form = { visitedOn: day(clock(s)), notes: `第${month + 1}次走访`, measureProgress: month === 4 ? [{ measureId: 'M1', note: '已获医疗救助', done: true }] : [], newRisks: month === 5 ? ['unstable_employment'] : [] };
        s = await complete(handle, 'monthlyVisit', form, helper, visit.id);
        visited.push(m);
      }
      // To the next month (past this month's end).
      await t.env.sleep(Date.parse(visit.dueAt) - clock(s) + 60_000);
    }
    s = await waitFor(handle, (x) => x.data.missedMonths.length === 2 && !!openVisit(x));
    expect(s.data.missedMonths).toEqual(missed);
    expect(s.data.visitedMonths).toEqual(visited);
    expect(s.data.measures.find((m) => m.id === 'M1')?.status).toBe('done');
    expect(s.data.newRisks.map((r) => r.riskTypes)).toEqual([['unstable_employment']]);
    expect(s.data.helper?.id).toBe(helper.id);
    // History stayed bounded: the case continued as new, and the current run is below the limit.
    expect(s.data.runs).toBeGreaterThanOrEqual(2);
    const desc = await handle.describe();
    expect(desc.historyLength).toBeLessThan(400);
    expect(s.events.some((e) => e.kind === 'continued')).toBe(true);
    // The two missed months' steps are still open and overdue in the read model.
    const openRows = await t.db.em().find(Step, { processId, stepKey: 'monthlyVisit', status: 'open' });
    expect(openRows.map((r) => r.escalatedAt).filter(Boolean)).toHaveLength(2);

    // Elimination: now more than 6 months, one measure done.
    const proposal = { reasons: '务工收入稳定', perCapitaIncome: 12000, incomeAboveLine: true, labourCount: 2 };
    const noLabour = await refusal(complete(handle, 'proposeElimination', { ...proposal, labourCount: 0 }, helper));
    expect(noLabour.message).toContain('无劳动力');
    s = await complete(handle, 'proposeElimination', proposal, helper);
    expect(s.data.phase).toBe('eliminating');
    expect(s.stage).toBe('homeVerification');
    const verification = { verifiedOn: day(clock(s)), coVerifierId: cadre2.id, coVerifier: asPerson(cadre2), memberCount: 3, perCapitaIncome: 12000, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '收入稳定' };
    await complete(handle, 'homeVerification', verification, helper);
    s = await complete(handle, 'villageReview', { heldOn: day(clock(s)), participants: 20, result: 'pass', minutes: '同意' }, helper);
    const postedOn = day(Date.parse(s.steps.find((x) => x.key === 'publicNotice' && x.status === 'open')!.openedAt));
    await t.env.sleep('5 days');
    await complete(handle, 'publicNotice', { postedOn, endedOn: day(await t.env.currentTimeMs()), location: '公开栏' }, helper);
    await complete(handle, 'townReview', { decision: 'approve' }, town);
    s = await complete(handle, 'districtApproval', { decision: 'approve' }, supervisor);
    expect(s.data.phase).toBe('eliminated');
    expect(s.steps.filter((x) => x.key === 'monthlyVisit' && x.status === 'open')).toHaveLength(0);
    expect(s.actions?.map((a) => a.key)).toEqual(['revertElimination']);
    expect((await t.db.em().findOneOrFail(Household, { id: householdId })).monitoringStatus).toBe('eliminated');

    // Revert: monitoring resumes with this month's visit.
    const notSupervisor = await refusal(complete(handle, 'revertElimination', { reasons: '返贫风险' }, helper));
    expect(notSupervisor.type, notSupervisor.message).toBe('Forbidden');
    s = await complete(handle, 'revertElimination', { reasons: '家庭成员突发重病' }, supervisor);
    expect(s.data.phase).toBe('monitoring');
    s = await waitFor(handle, (x) => !!openVisit(x));
    expect((await t.db.em().findOneOrFail(Household, { id: householdId })).monitoringStatus).toBe('monitored');
    expect(s.actions?.map((a) => a.key)).toEqual(['proposeElimination']);
    await recordHistory(handle, 'helper-assignment-13-months');
  });

  it('a continued run takes a step update that arrives with its first task (the open visit step it adopted)', async () => {
    // A run in monitoring with this month's visit open; what it would carry into its next run is built
    // from its state. The next run is started on a task queue no worker polls yet, the helper's visit
    // is sent at once, and only then a worker starts: its first task carries the start and the update.
    const { handle } = await start(day(await t.env.currentTimeMs()));
    const s = await complete(handle, 'assignHelper', plan('2099-06-30'), town);
    const visit = openVisit(s)!;
    const payload = (await handle.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const first = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as HelperAssignmentInput;
    const counters: [string, number][] = [['assignHelper', 1], ['monthlyVisit', 1]];
    const carried = {
      kase: { state: { ...s, steps: s.steps.filter((x) => x.status === 'open') }, seenEventIds: [], counters },
      data: s.data,
    };
    const queue = `${t.taskQueue}-continued`;
    const next = await t.env.client.workflow.start('helperAssignment', { workflowId: `${first.processId}:continued`, taskQueue: queue, args: [{ ...first, processId: `${first.processId}:continued`, carried } as HelperAssignmentInput] });
    const update = complete(next, 'monthlyVisit', { visitedOn: day(clock(s)), notes: '第一任务中的走访' }, helper, visit.id);
    await new Promise((r) => setTimeout(r, 1000));
    const worker = await Worker.create({ connection: t.env.nativeConnection, taskQueue: queue, workflowBundle: await workflowBundle(), activities: createActivities({ db: t.db, calendar: () => calendar, startCase: () => Promise.reject(new Error('no follow-up in this test')) }) });
    const running = worker.run();
    try {
      const after = await update;
      expect(after.steps.find((x) => x.id === visit.id)?.status).toBe('done');
      expect(after.data.visitedMonths).toContain(visit.context?.month);
    } finally {
      worker.shutdown();
      await running;
    }
  });

  it('refuses elimination before 6 months of monitoring and without a measure carried out', async () => {
    const now = await t.env.currentTimeMs();
    const recent = await start(day(now));
    await complete(recent.handle, 'assignHelper', plan('2099-06-30'), town);
    const proposal = { reasons: '收入提高', perCapitaIncome: 12000, incomeAboveLine: true, labourCount: 2 };
    let r = await refusal(complete(recent.handle, 'proposeElimination', proposal, helper));
    expect(r.type).toBe('RuleViolation');
    expect(r.message).toContain('满6个月');
    // Included 190 days ago: the time rule is met, the measure rule is not.
    const { handle } = await start(day(now - 190 * 86_400_000));
    await complete(handle, 'assignHelper', plan('2099-06-30'), town);
    r = await refusal(complete(handle, 'proposeElimination', proposal, helper));
    expect(r.message).toContain('至少落实一项帮扶措施');
    // A measure can be added by signal (e.g. from illness relief), and a helper reassigned by the town.
    await handle.signal(HELPER_ASSIGNMENT.signals.addMeasure.definition, { payload: { category: 'insurance', target: '参加防贫保险', responsibleUnit: '统景镇', dueDate: '2099-01-01' }, actor: town, receivedAt: new Date().toISOString() });
    await handle.signal(HELPER_ASSIGNMENT.signals.reassignHelper.definition, { payload: { helperId: cadre2.id, reason: '工作调整', helper: asPerson(cadre2) }, actor: town, receivedAt: new Date().toISOString() });
    const s = await waitFor(handle, (x) => x.data.helper?.id === cadre2.id && x.data.measures.length === 3);
    expect(s.actions?.[0].assignee?.id).toBe(cadre2.id);
    expect(s.steps.filter((x) => x.status === 'open' && x.key === 'monthlyVisit').every((x) => x.assignee?.id === cadre2.id)).toBe(true);
  });
});
