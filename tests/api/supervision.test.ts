/**
 * 督办 from the overdue view (plan item 6): a district supervisor sends the responsible town or
 * department a reminder about overdue steps; the reply step lands in that unit's inbox, due by policy,
 * and names the steps and cases it is about. Every refusal names the field and the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Step } from '../../db';
import { shanghaiDate } from '../../calendar/dates';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/integrations';

let t: TestApp;
const enc = encodeURIComponent;
const HOUR = 3600_000;

/** An open step of a case, `hoursLate` past its due time (negative: not yet due). */
async function openStep(id: string, place: { town: string; village: string }, hoursLate: number, extra: Partial<{ department: string; role: string; scope: string }> = {}) {
  const em = t.db.em();
  const dueAt = new Date(Date.now() - hoursLate * HOUR);
  em.create(Step, {
    id: `identification:${id}:1/homeVerification-1`, processId: `identification:${id}:1`, stepId: 'homeVerification-1', processType: 'identification', stepKey: 'homeVerification',
    titleZh: '入户核实', titleEn: 'Home verification', role: extra.role ?? 'village_cadre', scope: extra.scope ?? 'village', department: extra.department ?? null,
    ...place, householdId: id, openedAt: new Date(dueAt.getTime() - 5 * 24 * HOUR), dueAt, dueDate: shanghaiDate(dueAt), status: 'open',
  });
  await em.flush();
  return `identification:${id}:1/homeVerification-1`;
}

const send = (as: string, input: object) => t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'supervisionNotice', input } });
const field = (res: { json(): any }) => res.json().error.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`);

let lateTongjing: string, lateGulu: string, notYetDue: string, lateYibao: string;
beforeAll(async () => {
  t = await startTestApp();
  lateTongjing = await openStep('SV0000001', { town: '统景镇', village: '荣光村' }, 48);
  lateGulu = await openStep('SV0000002', { town: '古路镇', village: '草坪村' }, 48);
  notYetDue = await openStep('SV0000003', { town: '统景镇', village: '荣光村' }, -48);
  lateYibao = await openStep('SV0000004', { town: '统景镇', village: '荣光村' }, 24, { department: '区医保局', role: 'department_officer', scope: 'department' });
});
afterAll(async () => t?.close());

describe('督办', () => {
  it('a supervisor sends one to a town: the reply is in the town officers\' inbox, due in 3 working days, naming the overdue steps', async () => {
    expect((await send('town.tongjing', { town: '统景镇', stepIds: [lateTongjing], requirement: '限期办结' })).statusCode).toBe(403);
    const res = await send('supervisor', { town: '统景镇', stepIds: [lateTongjing], requirement: '三个工作日内完成入户核实并反馈' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    expect((await send('supervisor', { town: '统景镇', stepIds: [lateTongjing], requirement: '再次督办' })).statusCode).toBe(409);

    const kase = await eventually(
      async () => (await t.call('town.tongjing', { method: 'GET', url: `/api/processes/${enc(id)}` })).json(),
      (c: any) => c.openSteps?.length === 1,
    );
    expect(kase.openSteps[0].key).toBe('townReply');
    expect(kase.state.data.items.map((i: { stepId: string }) => i.stepId)).toEqual([lateTongjing]);
    expect(kase.state.events.some((e: { summary: string }) => e.summary.includes('入户核实') && e.summary.includes('三个工作日内'))).toBe(true);
    const inbox = await t.call('town.tongjing', { method: 'GET', url: `/api/steps?filter=${enc(JSON.stringify({ processType: 'supervisionNotice', status: 'open' }))}` });
    expect(inbox.json().map((s: { processId: string }) => s.processId)).toContain(id);
    const gulu = await t.call('town.gulu', { method: 'GET', url: `/api/steps?filter=${enc(JSON.stringify({ processType: 'supervisionNotice', status: 'open' }))}` });
    expect(gulu.json().map((s: { processId: string }) => s.processId)).not.toContain(id);

    const wrong = await t.call('town.gulu', { method: 'POST', url: `/api/processes/${enc(id)}/steps/townReply`, payload: { measures: '已办', doneBy: '2026-12-08' } });
    expect(wrong.statusCode).toBe(404); // another town does not see the notice at all
    const reply = await t.call('town.tongjing', { method: 'POST', url: `/api/processes/${enc(id)}/steps/townReply`, payload: { measures: '已督促荣光村完成入户核实', doneBy: shanghaiDate(new Date()) } });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().state.status).toBe('completed');
  });

  it('to a department: the department\'s officers reply', async () => {
    const res = await send('supervisor', { department: '区医保局', stepIds: [lateYibao], requirement: '尽快出具部门意见' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const kase = await eventually(
      async () => (await t.call('yibao', { method: 'GET', url: `/api/processes/${enc(id)}` })).json(),
      (c: any) => c.openSteps?.length === 1,
    );
    expect(kase.openSteps[0].key).toBe('departmentReply');
    const reply = await t.call('yibao', { method: 'POST', url: `/api/processes/${enc(id)}/steps/departmentReply`, payload: { measures: '已出具意见', doneBy: shanghaiDate(new Date()) } });
    expect(reply.statusCode, reply.body).toBe(200);
  });

  it.each([
    ['both a town and a department', () => ({ town: '统景镇', department: '区医保局', stepIds: [lateTongjing], requirement: '办' }), 'input.town:oneOf'],
    ['neither', () => ({ stepIds: [lateTongjing], requirement: '办' }), 'input.town:oneOf'],
    ['an unknown town', () => ({ town: '不存在镇', stepIds: [lateTongjing], requirement: '办' }), 'input.town:unknown'],
    ['a step not yet due', () => ({ town: '统景镇', stepIds: [notYetDue], requirement: '办' }), 'input.stepIds.0:overdue'],
    ['another town\'s step', () => ({ town: '统景镇', stepIds: [lateGulu], requirement: '办' }), 'input.stepIds.0:unit'],
    ['an unknown step', () => ({ town: '统景镇', stepIds: ['identification:NOPE:1/x-1'], requirement: '办' }), 'input.stepIds.0:unknown'],
    ['no steps', () => ({ town: '统景镇', stepIds: [], requirement: '办' }), 'input.stepIds:minItems'],
  ])('refuses %s (400 naming the field and rule)', async (_, input, expected) => {
    const res = await send('supervisor', input());
    expect(res.statusCode, res.body).toBe(400);
    expect(field(res)).toContain(expected);
  });
});
