/**
 * P2 over HTTP on the real dev server: an approved identification hands the household to helper
 * assignment; the town names the helper and plan; the helper records this month's visit; refusals;
 * reassignment; the visit schedule for 脱贫户 is created once and its round opens one visit per 脱贫户.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { photoId } from '../helpers/evidence';
import { Household, Process } from '../../db';
import { loadPolicy } from '../../policy';
import { deleteVisitSchedule, ensureVisitSchedule } from '../../server/schedules';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (o: unknown) => encodeURIComponent(JSON.stringify(o));
/** Poll until `check` holds: what a user would wait for, bounded generously for a loaded machine. */
async function eventually<T>(get: () => Promise<T>, check: (v: T) => boolean, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await get();
  while (!check(v) && Date.now() < until) {
    await sleep(200);
    v = await get();
  }
  return v;
}
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const enc = encodeURIComponent;

async function newHousehold(status = 'ordinary'): Promise<string> {
  const em = t.db.em();
  const id = `H9${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  em.create(Household, { id, headName: `测试户${id.slice(-3)}`, idNumber: `T${id}`, town: '统景镇', village: '荣光村', memberCount: 3, status });
  await em.flush();
  return id;
}

async function approveIdentification(householdId: string): Promise<string> {
  const start = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId, channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '因病支出大' } } });
  expect(start.statusCode).toBe(201);
  const id = enc(start.json().id);
  const step = (as: string, key: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${id}/steps/${key}`, payload: form });
  expect((await step('cadre.rongguang', 'homeVerification', { verifiedOn: today(), coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 4800, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '医疗支出大' })).statusCode).toBe(200);
  expect((await step('cadre.rongguang', 'villageReview', { heldOn: today(), participants: 20, result: 'pass', minutes: '同意' })).statusCode).toBe(200);
  await sleep(2100);
  expect((await step('cadre.rongguang', 'publicNotice', { postedOn: today(), endedOn: today(), location: '公开栏', photos: [await photoId(t, 'cadre.rongguang')] })).statusCode).toBe(200);
  expect((await step('town.tongjing', 'townReview', { decision: 'approve' })).statusCode).toBe(200);
  const done = await step('supervisor', 'districtApproval', { decision: 'approve' });
  expect(done.statusCode).toBe(200);
  return done.json().state.data.followUpId as string;
}

describe('P2 over HTTP', () => {
  it('starts from an approved identification; the town names the helper and plan; the helper records the visit', async () => {
    const hh = await newHousehold();
    const p2 = await approveIdentification(hh);
    expect(p2).toMatch(new RegExp(`^helperAssignment:${hh}:`));
    const url = `/api/processes/${enc(p2)}`;
    let d = (await t.call('town.tongjing', { method: 'GET', url })).json();
    expect(d.type).toBe('helperAssignment');
    expect(d.openSteps.map((s: any) => s.key)).toEqual(['assignHelper']);
    expect(d.openSteps[0].mayComplete).toBe(true);

    // A second P2 for the same household: 409 with the open one.
    const dup = await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: hh } } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.id).toBe(p2);
    // Only supervisors and admins start P2 by hand, and only for a monitored household.
    expect((await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: hh } } })).statusCode).toBe(403);
    const ordinary = await newHousehold();
    expect((await t.call('supervisor', { method: 'POST', url: '/api/processes', payload: { type: 'helperAssignment', input: { householdId: ordinary } } })).statusCode).toBe(400);

    const plan = { helperId: 'cadre.rongguang', measures: [{ category: 'medical_assistance', target: '落实医疗救助', responsibleUnit: '区医保局', dueDate: '2099-12-31' }] };
    let res = await t.call('town.tongjing', { method: 'POST', url: `${url}/steps/assignHelper`, payload: { ...plan, measures: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('measures');
    res = await t.call('town.tongjing', { method: 'POST', url: `${url}/steps/assignHelper`, payload: { ...plan, helperId: 'cadre.jixing' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('帮扶责任人须为在岗的区级干部（区专班、区级部门）、统景镇镇级干部、统景镇村级干部');
    res = await t.call('town.tongjing', { method: 'POST', url: `${url}/steps/assignHelper`, payload: plan });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.data.helper.id).toBe('cadre.rongguang');

    // This month's visit is in the helper's inbox, not in the other cadre's.
    res = await t.call('cadre.rongguang', { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processId: p2 })}` });
    expect(res.json().map((s: any) => s.stepKey)).toEqual(['monthlyVisit']);
    res = await t.call('cadre.rongguang2', { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processId: p2 })}` });
    expect(res.json()).toEqual([]);
    expect((await t.call('cadre.rongguang2', { method: 'POST', url: `${url}/steps/monthlyVisit`, payload: { visitedOn: today(), notes: '走访' } })).statusCode).toBe(403);
    res = await t.call('cadre.rongguang', { method: 'POST', url: `${url}/steps/monthlyVisit`, payload: { visitedOn: '2099-01-01', notes: '走访' } });
    expect(res.statusCode).toBe(422);
    res = await t.call('cadre.rongguang', {
      method: 'POST',
      url: `${url}/steps/monthlyVisit`,
      payload: { visitedOn: today(), notes: '户主病情稳定', measureProgress: [{ measureId: 'M1', note: '已报销', done: true }], unsafeHouse: { description: '后墙开裂，雨季漏水', onlyHouse: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.data.measures[0].status).toBe('done');
    // The unsafe house found on the visit went straight to house rebuilding (P4).
    const followUp = res.json().state.data.followUps[0];
    expect(followUp.id).toMatch(new RegExp(`^houseRebuild:${hh}:`));
    const p4 = (await t.call('town.tongjing', { method: 'GET', url: `/api/processes/${enc(followUp.id)}` })).json();
    expect(p4.type).toBe('houseRebuild');
    expect(p4.status).toBe('running');

    // Elimination can be proposed (the short test policy needs no months) and goes into verification.
    d = (await t.call('cadre.rongguang', { method: 'GET', url })).json();
    expect(d.state.actions.map((a: any) => a.key)).toEqual(['proposeElimination']);
    res = await t.call('cadre.rongguang', { method: 'POST', url: `${url}/steps/proposeElimination`, payload: { reasons: '收入稳定', perCapitaIncome: 15000, incomeAboveLine: true, labourCount: 0 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('无劳动力');
    res = await t.call('cadre.rongguang', { method: 'POST', url: `${url}/steps/proposeElimination`, payload: { reasons: '收入稳定', perCapitaIncome: 15000, incomeAboveLine: true, labourCount: 2 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().state.stage).toBe('homeVerification');

    // Reassignment by the town: to a village cadre of another town is refused at once; to a district
    // cadre (区镇村三级联系帮扶) or within the town it takes effect.
    res = await t.call('town.tongjing', { method: 'POST', url: `${url}/signals/reassignHelper`, payload: { helperId: 'cadre.jixing', reason: '调整' } });
    expect(res.statusCode).toBe(422);
    res = await t.call('town.tongjing', { method: 'POST', url: `${url}/signals/reassignHelper`, payload: { helperId: 'yibao', reason: '区医保局结对帮扶' } });
    expect(res.statusCode).toBe(202);
    d = await eventually(async () => (await t.call('town.tongjing', { method: 'GET', url })).json(), (v) => v.state.data.helper.id === 'yibao');
    expect(d.state.data.helper.name).toBe('赵敏');
    res = await t.call('town.tongjing', { method: 'POST', url: `${url}/signals/reassignHelper`, payload: { helperId: 'cadre.rongguang2', reason: '工作调整' } });
    expect(res.statusCode).toBe(202);
    for (let i = 0; i < 50; i++) {
      d = (await t.call('town.tongjing', { method: 'GET', url })).json();
      if (d.state.data.helper.id === 'cadre.rongguang2') break;
      await sleep(100);
    }
    expect(d.state.data.helper.id).toBe('cadre.rongguang2');
    const history = (await t.call('town.tongjing', { method: 'GET', url: `${url}/history` })).json();
    expect(history.some((e: any) => e.kind === 'signal' && e.signal === 'reassignHelper' && e.actor.id === 'town.tongjing')).toBe(true);
  });
});

describe('re-inclusion after risk elimination (返贫)', () => {
  it('an eliminated household identified again gets a new follow-up case; the old one closes as superseded', async () => {
    const hh = await newHousehold();
    const p2 = await approveIdentification(hh);
    const url = `/api/processes/${enc(p2)}`;
    const step = (as: string, key: string, form: object) => t.call(as, { method: 'POST', url: `${url}/steps/${key}`, payload: form });
    expect((await step('town.tongjing', 'assignHelper', { helperId: 'cadre.rongguang', measures: [{ category: 'employment', target: '公益性岗位', responsibleUnit: '统景镇', dueDate: '2099-12-31' }] })).statusCode).toBe(200);
    expect((await step('cadre.rongguang', 'monthlyVisit', { visitedOn: today(), notes: '走访', measureProgress: [{ measureId: 'M1', note: '已上岗', done: true }] })).statusCode).toBe(200);
    expect((await step('cadre.rongguang', 'proposeElimination', { reasons: '务工收入稳定', perCapitaIncome: 15000, incomeAboveLine: true, labourCount: 2 })).statusCode).toBe(200);
    expect((await step('cadre.rongguang', 'homeVerification', { verifiedOn: today(), coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 15000, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '收入稳定' })).statusCode).toBe(200);
    expect((await step('cadre.rongguang', 'villageReview', { heldOn: today(), participants: 20, result: 'pass', minutes: '同意' })).statusCode).toBe(200);
    await sleep(2100);
    expect((await step('cadre.rongguang', 'publicNotice', { postedOn: today(), endedOn: today(), location: '公开栏', photos: [await photoId(t, 'cadre.rongguang')] })).statusCode).toBe(200);
    expect((await step('town.tongjing', 'townReview', { decision: 'approve' })).statusCode).toBe(200);
    const eliminated = await step('supervisor', 'districtApproval', { decision: 'approve' });
    expect(eliminated.json().state.data.phase).toBe('eliminated');
    expect((await t.call('town.tongjing', { method: 'GET', url: `/api/households/${hh}` })).json().monitoringStatus).toBe('eliminated');

    // Identified again and approved: a new case with the helper step, not the old one.
    const again = await approveIdentification(hh);
    expect(again).toMatch(new RegExp(`^helperAssignment:${hh}:`));
    expect(again).not.toBe(p2);
    const fresh = (await t.call('town.tongjing', { method: 'GET', url: `/api/processes/${enc(again)}` })).json();
    expect(fresh.status).toBe('running');
    expect(fresh.openSteps.map((s: any) => s.key)).toEqual(['assignHelper']);
    const old = (await t.call('town.tongjing', { method: 'GET', url })).json();
    expect(old.status).toBe('completed');
    expect(old.state.outcome.result).toContain('重新纳入监测');
    expect(old.state.actions ?? []).toEqual([]);
    expect((await t.call('town.tongjing', { method: 'GET', url: `/api/households/${hh}` })).json().monitoringStatus).toBe('monitored');
  });
});

describe('visits to 脱贫户 in March, August and November', () => {
  it('the schedule is created once, and a round opens one visit per 脱贫户 that the village cadre completes', async () => {
    const scheduleId = `test-visits-${t.taskQueue}`;
    const policy = loadPolicy(policyFile).outOfPovertyVisits;
    try {
      expect(await ensureVisitSchedule({ client: t.client, taskQueue: t.taskQueue, policy, scheduleId })).toBe(true);
      expect(await ensureVisitSchedule({ client: t.client, taskQueue: t.taskQueue, policy, scheduleId })).toBe(false);
      const handle = t.client.schedule.getHandle(scheduleId);
      const desc = await handle.describe();
      expect(desc.spec.timezone).toBe('Asia/Shanghai');
      expect(desc.spec.calendars?.[0].month).toEqual([{ start: 'MARCH', end: 'MARCH', step: 1 }, { start: 'AUGUST', end: 'AUGUST', step: 1 }, { start: 'NOVEMBER', end: 'NOVEMBER', step: 1 }]);

      const outOfPoverty = await t.db.em().count(Household, { status: 'out_of_poverty' });
      expect(outOfPoverty).toBeGreaterThan(0);
      // Fire it now (twice: a round repeated in a month does not visit twice).
      await handle.trigger();
      await handle.trigger();
      // The scheduler takes a round (a second trigger in the same second has the same workflow id, one
      // while a round runs is skipped); wait for it to have started every visit case.
      const rounds = await eventually(() => handle.describe(), (s) => s.info.numActionsTaken >= 1);
      expect(rounds.info.numActionsTaken).toBeGreaterThanOrEqual(1);
      for (const a of rounds.info.recentActions) {
        expect(await t.client.workflow.getHandle(a.action.workflow.workflowId).result()).toMatchObject({ households: outOfPoverty });
      }
      // The same round once more in the month (a retry, a manual run) opens no second visit.
      if (desc.action.type !== 'startWorkflow') throw new Error(`unexpected schedule action ${desc.action.type}`);
      const again = await t.client.workflow.execute(desc.action.workflowType, { taskQueue: desc.action.taskQueue, workflowId: `${scheduleId}-again`, args: desc.action.args });
      expect(again).toMatchObject({ households: outOfPoverty });
      // The visit cases, then their steps, reach the read model a moment after their workflows start.
      const visits = await eventually(() => t.db.em().find(Process, { type: 'outOfPovertyVisit' }), (v) => v.length >= outOfPoverty);
      expect(visits).toHaveLength(outOfPoverty);
      const rongguang = visits.filter((v) => v.village === '荣光村' && v.town === '统景镇');
      expect(rongguang.length).toBeGreaterThan(0);
      const inbox = () => t.call('cadre.rongguang', { method: 'GET', url: `/api/steps?filter=${json({ mine: true, status: 'open', processType: 'outOfPovertyVisit' })}` }).then((r) => r.json());
      const mine = await eventually(inbox, (m) => m.length >= rongguang.length);
      expect(mine).toHaveLength(rongguang.length);
      expect(new Set(mine.map((s: any) => s.processId))).toEqual(new Set(rongguang.map((v) => v.id)));
      expect(mine[0].dueDate.slice(0, 7)).toBe(today().slice(0, 7));
      const url = `/api/processes/${enc(mine[0].processId)}/steps/povertyVisit`;
      expect((await t.call('cadre.rongguang', { method: 'POST', url, payload: { visitedOn: '2000-01-01', notes: '走访' } })).statusCode).toBe(422);
      const res = await t.call('cadre.rongguang', { method: 'POST', url, payload: { visitedOn: today(), notes: '两不愁三保障均有保障' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().state.status).toBe('completed');
    } finally {
      await deleteVisitSchedule(t.client, scheduleId);
    }
  }, 300_000); // the waits above are bounded at 60 s each
});
