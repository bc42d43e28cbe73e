/**
 * 督办 on the time-skipping server: the reply step is in the town officers' (or the department's)
 * inbox, due by policy (3 working days), overdue once that passes, and the reply closes the notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal, startWorkflowEnv, waitForState, type WorkflowTestEnv } from '../helpers/workflow-env';
import { recordHistory } from '../helpers/histories';
import { loadPolicy } from '../../policy';
import { Process, Step } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import type { Actor } from '../../contracts/roles';
import type { CaseState } from '../../contracts/steps';
import type { SupervisionInput } from '../../processes/supervision/contract';

let t: WorkflowTestEnv;
let town: Actor, otherTown: Actor, yibao: Actor, supervisor: Actor;
const policy = loadPolicy();

beforeAll(async () => {
  t = await startWorkflowEnv();
  [town, otherTown, yibao, supervisor] = await Promise.all(['town.tongjing', 'town.gulu', 'yibao', 'supervisor'].map((u) => t.actor(u)));
});
afterAll(async () => t?.close());

const item = { stepId: 'identification:H00000001:1/homeVerification-1', processId: 'identification:H00000001:1', processType: 'identification', title: '入户核实', headName: '张三', town: '统景镇', village: '荣光村', dueDate: '2026-12-01' };

async function send(id: string, target: SupervisionInput['target']) {
  const processId = `supervisionNotice:${id}:1`;
  const input: SupervisionInput = { processId, target, items: [item], requirement: '三个工作日内办结并反馈', sentBy: { id: supervisor.id, name: supervisor.name }, policy: policy.supervision, policyVersion: 'test' };
  const handle = await t.env.client.workflow.start('supervisionNotice', { workflowId: processId, taskQueue: t.taskQueue, args: [input] });
  const state = await waitForState<CaseState>(handle, (s) => s.steps.some((x) => x.status === 'open'));
  return { handle, processId, state };
}

describe('督办', () => {
  it('opens the reply in the town officers\' inbox, due in 3 working days; overdue after; the reply closes it', async () => {
    const { handle, processId, state } = await send('town-test', { town: '统景镇' });
    const [step] = state.steps;
    expect(step).toMatchObject({ key: 'townReply', role: 'town_officer', scope: 'town', status: 'open' });
    expect(state.events.some((e) => e.kind === 'sent' && e.summary.includes('张三 入户核实'))).toBe(true);
    const row = await t.db.em().findOneOrFail(Step, { processId });
    expect(row).toMatchObject({ town: '统景镇', role: 'town_officer', status: 'open' });
    // 3 working days: at least 3 calendar days after it opened.
    expect(row.dueAt.getTime() - row.openedAt.getTime()).toBeGreaterThanOrEqual(3 * 86_400_000 - 60_000);

    await t.env.sleep('10 days');
    const overdue = await waitForState<CaseState>(handle, (s) => !!s.steps[0].escalatedAt);
    expect(overdue.events.some((e) => e.kind === 'step_overdue')).toBe(true);
    expect((await t.db.em().fork().findOneOrFail(Step, { processId })).escalatedAt).toBeTruthy();

    const reply = { measures: '已督促荣光村完成入户核实', doneBy: '2026-12-08' };
    expect((await refusal(handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'townReply', form: reply, actor: otherTown }] }))).type).toBe('Forbidden');
    const done = await handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'townReply', form: reply, actor: town }] });
    expect(done.status).toBe('completed');
    expect(done.events.some((e) => e.kind === 'replied' && e.summary.includes('已督促荣光村'))).toBe(true);
    await recordHistory(handle, 'supervision-notice-town-overdue-replied');
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).status).toBe('completed');
  });

  it('to a department: the reply is that department\'s, and the case is visible to it', async () => {
    const { handle, processId, state } = await send('department-test', { department: '区医保局' });
    expect(state.steps[0]).toMatchObject({ key: 'departmentReply', role: 'department_officer', scope: 'department', department: '区医保局' });
    expect(state.departments).toContain('区医保局');
    expect((await refusal(handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'departmentReply', form: { measures: '已办', doneBy: '2026-12-08' }, actor: town }] }))).type).toBe('Forbidden');
    const done = await handle.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'departmentReply', form: { measures: '已完成医保核查', doneBy: '2026-12-08' }, actor: yibao }] });
    expect(done.status).toBe('completed');
    await recordHistory(handle, 'supervision-notice-department-replied');
    expect((await t.db.em().findOneOrFail(Process, { id: processId })).departments).toContain('区医保局');
  });
});
